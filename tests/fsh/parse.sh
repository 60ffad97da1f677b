#!/bin/bash
# parse.sh FSH: the parser, no VMs. Golden syntax trees (`fsh -n`) for
# every construct in parse/*.sh, and malformed input: a message naming line
# and column, status 2, and nothing run. UPDATE=1 rewrites the goldens.
set -u
fsh=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

for input in "$here"/parse/*.sh; do
	golden=${input%.sh}.ast
	if [ "${UPDATE:-}" = 1 ]; then
		"$fsh" -n < "$input" > "$golden"
		continue
	fi
	if ! "$fsh" -n < "$input" > "$tmp/out" 2> "$tmp/err"; then
		fail "$(basename "$input"): status $?: $(cat "$tmp/err")"
	elif ! diff -u "$golden" "$tmp/out"; then
		fail "$(basename "$input"): tree differs"
	fi
done

# bad INPUT MESSAGE: `fsh -n` says MESSAGE with status 2; `fsh -c` with a
# command before INPUT on the same line runs nothing at all.
bad() {
	local input=$1 want=$2 st
	"$fsh" -n -c "$input" > "$tmp/out" 2> "$tmp/err"
	st=$?
	[ "$st" = 2 ] || fail "[$input]: status $st, want 2"
	[ "$(cat "$tmp/err")" = "$want" ] ||
		fail "[$input]: said '$(cat "$tmp/err")', want '$want'"
	[ -s "$tmp/out" ] && fail "[$input]: printed a tree"
	[ "${3:-}" = later ] && return
	rm -f "$tmp/ran"
	(cd "$tmp" && FLEET_URI=test:///refused "$fsh" -c ": > ran; $input" \
	    > /dev/null 2>&1)
	st=$?
	[ "$st" = 2 ] || fail "[: > ran; $input]: status $st, want 2"
	[ -e "$tmp/ran" ] && fail "[: > ran; $input]: ran half a line"
}

nl='
'
bad "echo \"abc" "fsh: 1: Syntax error: unterminated double quote (column 6)"
bad "echo 'abc" "fsh: 1: Syntax error: unterminated single quote (column 6)"
bad "echo 'abc${nl}def" "fsh: 1: Syntax error: unterminated single quote (column 6)"
bad "echo a | | b" "fsh: 1: Syntax error: unexpected '|' (column 10)"
bad "| b" "fsh: 1: Syntax error: unexpected '|' (column 1)"
bad "echo a |" "fsh: 1: Syntax error: unexpected end of input (column 9)"
bad "echo >" "fsh: 1: Syntax error: expected a file name after '>' (column 7)"
bad "echo > | x" "fsh: 1: Syntax error: expected a file name after '>' (column 8)"
bad "cat 2>" "fsh: 1: Syntax error: expected a file name after '>' (column 7)"
bad "cat <<" "fsh: 1: Syntax error: expected a delimiter after '<<' (column 7)"
bad "cat <<EOF" "fsh: 1: Syntax error: unterminated here-document (column 5)"
bad "cat <<EOF${nl}abc${nl}EO" \
	"fsh: 1: Syntax error: unterminated here-document (wanted 'EOF') (column 5)"
bad "echo a && && b" "fsh: 1: Syntax error: unexpected '&&' (column 11)"
bad "echo a ;; b" "fsh: 1: Syntax error: unexpected ';;' (column 8)"
bad "; echo a" "fsh: 1: Syntax error: unexpected ';' (column 1)"
bad "if true; then echo a" "fsh: 1: Syntax error: unexpected end of input, expected 'fi' (column 21)"
bad "if true; echo a; fi" "fsh: 1: Syntax error: unexpected 'fi', expected 'then' (column 18)"
bad "echo a; fi" "fsh: 1: Syntax error: unexpected 'fi' (column 9)"
bad "while true; echo; done" "fsh: 1: Syntax error: unexpected 'done', expected 'do' (column 19)"
bad "for 1 in a; do :; done" "fsh: 1: Syntax error: unexpected '1', expected a variable name (column 5)"
bad "for i in a b do :; done" "fsh: 1: Syntax error: unexpected 'done', expected 'do' (column 20)"
bad "{ echo a" "fsh: 1: Syntax error: unexpected end of input, expected '}' (column 9)"
bad "{ }" "fsh: 1: Syntax error: unexpected '}' (column 3)"
bad "echo \$(ls" "fsh: 1: Syntax error: unexpected end of input, expected ')' (column 10)"
bad "echo \`ls" "fsh: 1: Syntax error: EOF in backquote substitution (column 6)"
bad "echo \${x" "fsh: 1: Syntax error: Missing '}' (column 6)"
bad "echo \${x!}" "fsh: 1: Syntax error: Bad substitution (column 6)"
bad "echo \$((1+2)" "fsh: 1: Syntax error: unexpected end of input, expected ')' (column 13)"
bad "(echo a" "fsh: 1: Syntax error: unexpected end of input, expected ')' (column 8)"
bad ")" "fsh: 1: Syntax error: unexpected ')' (column 1)"
bad "case x in a) echo" "fsh: 1: Syntax error: unexpected end of input, expected ';;' or 'esac' (column 18)"
bad "case x a) ;; esac" "fsh: 1: Syntax error: unexpected 'a', expected 'in' (column 8)"
bad "esac" "fsh: 1: Syntax error: unexpected 'esac' (column 1)"
bad "f() }" "fsh: 1: Syntax error: unexpected '}', expected a compound command (column 5)"
# Nesting is bounded (the parser and the expansions recurse).
deep=$(printf '(%.0s' $(seq 600))
bad "${deep}echo" "fsh: 1: Syntax error: nested too deeply (column 501)"
deep=$(printf '$(echo %.0s' $(seq 600))
bad "echo $deep" "fsh: 1: Syntax error: nested too deeply (column 3506)"
# Like sh, the complete commands before a bad one have run.
bad "echo a${nl}echo b |${nl}|" "fsh: 3: Syntax error: unexpected '|' (column 1)" later

[ "$fails" = 0 ] && echo "parse: all passed"
exit $((fails > 0))
