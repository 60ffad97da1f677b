FOO=bar
A=1 B="two words" C= cmd arg X=notassign
export FOO BAR=baz
1X=no _ok=yes
