if a; then b; fi
if a; then b; else c; fi
if a
then
	b
elif c; then d
elif e; then f
else
	g
fi
if a; b; then c; d; fi 2>/dev/null
