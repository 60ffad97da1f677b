cat < in > out
cat >> log 2> err
cat 2>&1 >/dev/null
a > x | b < y | c 2>&1
> only
2>e 1>o 0<i cmd
cat <> rw >| clobber 3>&- <&0
echo a>b 12> far
{ a; } < in > out
