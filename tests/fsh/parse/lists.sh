a; b; c
a && b || c
a &
a & b; c &
a &&
b
a ||

b
