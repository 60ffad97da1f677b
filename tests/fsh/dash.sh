#!/bin/bash
# dash.sh FSH: each script gives the same stdout and status under fsh (with
# fleet's echo, true, false, cat, wc, seq as VMs) as under dash with
# coreutils.
set -u
fsh=$1
. "$(dirname "$0")/lib.sh"
need_sandbox
export T=$tmp

scripts=(
	'echo hello world'
	'echo a; echo b'
	'echo "two  spaces" '"'"'single $quoted'"'"' a\ b'
	'true && echo yes'
	'false && echo no; echo $?'
	'false || echo fallback'
	'! true; echo $?'
	'! false; echo $?'
	'false'
	'exit 7'
	'if false; then echo t; else echo f; fi'
	'if false; then echo 1; elif true; then echo 2; else echo 3; fi'
	'for i in 1 2 3; do echo $i; done'
	'for i in a b c; do echo $i; done | wc -l'
	'x=5; echo "x is $x"'
	'x="a   b"; echo $x; echo "$x"'
	'seq 1 5 | wc -l'
	'seq 3 | cat'
	'seq 1 200 | cat | cat | wc -c'
	'echo "a b  c" | wc -w'
	'set -- one two three; echo $#; echo "$2"'
	'set -- "a b" c; for w in "$@"; do echo "[$w]"; done'
	'echo text > $T/f; cat < $T/f; cat < $T/f | wc -c'
	'echo one > $T/g; echo two >> $T/g; cat < $T/g'
	'cat <<EOF
here $T
EOF'
	'cat <<'"'"'EOF'"'"'
literal $T
EOF'
	'{ echo a; echo b; } | wc -l'
	'{ echo a; echo b; } > $T/h; cat < $T/h'
	'while false; do echo never; done; echo after'
	'until true; do echo never; done; echo after'
	'echo $?; false; echo $?'
	'set -e; true; false; echo notreached'
	'nosuchcommand 2>/dev/null; echo $?'
	'{ echo out; echo err 1>&2; } 2>&1 | wc -l'
	'{ echo out; echo err 1>&2; } 2>/dev/null'
	'echo out; echo err 1>&2'
	'f=$T/nofile; cat < $f 2>/dev/null; echo $?'
	'unset x; echo "[$x]"; x=1; unset x; echo "[$x]"'
	'export Y=2; echo $Y'
	'unset x; echo ${x:-def} ${#x}; x=abc; echo ${#x} ${x:+set} ${x-no}'
	'unset x; echo ${x:=assigned}; echo $x'
	'for i in 1 2 3; do echo $i; break; echo no; done; echo end'
	'for i in 1 2; do for j in a b; do echo $i$j; continue 2; done; done'
	'while true; do echo once; break; done | wc -l'
	'read x y <<EOF
hello big world
EOF
echo "[$x] [$y]"'
	'read x y z <<EOF
  a
EOF
echo "[$x] [$y] [$z]"'
	'IFS=: read a b c <<EOF
1:2:3:4
EOF
echo "[$a] [$b] [$c]"'
	'IFS=": " read a b c <<EOF
1 : 2 3
EOF
echo "[$a] [$b] [$c]"'
	'IFS= read x <<EOF
  spaced
EOF
echo "[$x]"'
	'read a b <<EOF
x\ y z\
w
EOF
echo "[$a] [$b]"'
	'read x < /dev/null; echo "st=$? [$x]"'
	'read; echo st=$?'
	'read 1x <<EOF
a
EOF
echo st=$?'
	'echo a b > $T/f; echo c d >> $T/f; { read x; read y; } < $T/f; echo "[$x][$y]"'
	'x=$(seq 3); echo "[$x]"'
	'echo "lines: $(seq 5 | wc -l)"'
	'n=$(echo a b c | wc -w); echo $((n * 2))'
	'x=`seq 2 | cat`; echo $x'
	'echo $(echo $(seq 2) | wc -w)'
	'x=$(false); echo $?; x=$(true); echo $?'
	'for i in $(seq 3); do echo "n$i"; done'
	'for i in $(seq 100); do echo $i; done | wc -l'
	'case $(seq 1) in 1) echo one;; *) echo other;; esac'
	'for w in $(seq 4); do case $w in 1|3) echo odd;; *) echo even;; esac; done'
	'f() { seq "$1" | wc -l; }; f 3; f 5'
	'count() { n=0; for x in "$@"; do n=$((n + 1)); done; echo $n; }; count $(seq 7)'
	'f() { cat; }; echo piped | f'
	'f() { echo "in f"; return 3; }; f | cat; echo $?'
	'(cd /; pwd); (seq 2; echo sub) | wc -l'
	'x=1; (x=2; echo $x | cat); echo $x'
	'(exit 4); echo $?'
	'{ seq 2; echo brace; } | cat'
	'seq 3 | while read l; do echo "got $l"; done'
	'seq 5 | { read a; read b; echo "$a $b"; cat; }'
	'i=0; while [ $i -lt 3 ]; do i=$((i + 1)); echo $i; done | cat'
	'test "$(seq 1)" = 1 && echo same'
	'[ $(seq 3 | wc -l) -eq 3 ] && echo three'
	'printf "%s\n" c a b | sort'
	'printf "%05d\n" $(seq 3) | cat'
	'x=$(printf "a\n\n\n"); echo "[$x]"'
	'trap "echo bye" EXIT; seq 2 | cat'
	'set -e; f() { false; echo notreached; }; f || echo caught'
	'command seq 2'
	'command echo via program'
	'type seq >/dev/null && echo found'
	'x=abc.tar.gz; echo ${x%%.*} ${x#*.} $(echo ${x%.gz} | cat)'
	'eval "seq 2 | wc -l"'
	'exec seq 3; echo notreached'
	'f() { local v=$(seq 1); echo $v; }; f'
	'echo $(( $(seq 4 | wc -l) + 1 ))'
	'cat <<EOF
sum $((2 + 3)) lines $(seq 3 | wc -l)
EOF'
	'g() { while getopts n: o; do echo "$o=$OPTARG"; done; }; g -n $(seq 1)'
)

for s in "${scripts[@]}"; do
	want=$(cd "$tmp" && timeout 60 dash -c "$s" 2>/dev/null)
	want_st=$?
	rm -f "$tmp"/f "$tmp"/g "$tmp"/h
	run 180 "$s"
	rm -f "$tmp"/f "$tmp"/g "$tmp"/h
	[ "$out" = "$want" ] ||
		fail "[$s]: fsh printed '$out', dash '$want' (fsh stderr: $err)"
	[ "$st" = "$want_st" ] ||
		fail "[$s]: fsh status $st, dash $want_st (fsh stderr: $err)"
done

finish dash
