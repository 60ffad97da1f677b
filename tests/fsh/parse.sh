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
bad "echo \"abc" "fsh: line 1, column 6: unterminated double quote"
bad "echo 'abc" "fsh: line 1, column 6: unterminated single quote"
bad "echo 'abc${nl}def" "fsh: line 1, column 6: unterminated single quote"
bad "echo a | | b" "fsh: line 1, column 10: unexpected '|'"
bad "| b" "fsh: line 1, column 1: unexpected '|'"
bad "echo a |" "fsh: line 1, column 9: unexpected end of input"
bad "echo >" "fsh: line 1, column 7: expected a file name after '>'"
bad "echo > | x" "fsh: line 1, column 8: expected a file name after '>'"
bad "cat 2>" "fsh: line 1, column 7: expected a file name after '>'"
bad "cat <<" "fsh: line 1, column 7: expected a delimiter after '<<'"
bad "cat <<EOF" "fsh: line 1, column 5: unterminated here-document"
bad "cat <<EOF${nl}abc${nl}EO" \
	"fsh: line 1, column 5: unterminated here-document (wanted 'EOF')"
bad "echo a && && b" "fsh: line 1, column 11: unexpected '&&'"
bad "echo a ;; b" "fsh: line 1, column 8: unexpected ';;'"
bad "; echo a" "fsh: line 1, column 1: unexpected ';'"
bad "if true; then echo a" "fsh: line 1, column 21: unexpected end of input, expected 'fi'"
bad "if true; echo a; fi" "fsh: line 1, column 18: unexpected 'fi', expected 'then'"
bad "echo a; fi" "fsh: line 1, column 9: unexpected 'fi'"
bad "while true; echo; done" "fsh: line 1, column 19: unexpected 'done', expected 'do'"
bad "for 1 in a; do :; done" "fsh: line 1, column 5: unexpected '1', expected a variable name"
bad "for i in a b do :; done" "fsh: line 1, column 20: unexpected 'done', expected 'do'"
bad "{ echo a" "fsh: line 1, column 9: unexpected end of input, expected '}'"
bad "{ }" "fsh: line 1, column 3: unexpected '}'"
bad "echo \$(ls)" "fsh: line 1, column 6: command substitution \$(...) is not supported"
bad "echo \`ls\`" "fsh: line 1, column 6: command substitution \`...\` is not supported"
bad "echo \${x#y}" "fsh: line 1, column 6: unsupported \${...} form"
bad "(echo a)" "fsh: line 1, column 1: subshells ( ... ) are not supported"
# Like sh, the complete commands before a bad one have run.
bad "echo a${nl}echo b |${nl}|" "fsh: line 3, column 1: unexpected '|'" later

[ "$fails" = 0 ] && echo "parse: all passed"
exit $((fails > 0))
