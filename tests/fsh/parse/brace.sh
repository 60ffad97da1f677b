{ a; b; }
{ a
b
} > out
{ { nested; }; }
echo { } x
