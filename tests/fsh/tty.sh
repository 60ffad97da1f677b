#!/bin/bash
# tty.sh FSH: fsh on a terminal driven by tmux: ctrl-Z pauses the VMs,
# bg and fg resume them, ctrl-C interrupts; line editing, history, tab
# completion, and finished background jobs reported at the prompt.
set -u
fsh=$1
. "$(dirname "$0")/lib.sh"
need_sandbox
sock=fsh-test-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT

screen() {
	tmux -L "$sock" capture-pane -p -t t -S -200
}

# wait_for REGEX [SECONDS]: the screen matches within the bound.
wait_for() {
	local i
	for i in $(seq $((${2:-60} * 5))); do
		screen | grep -qE "$1" && return 0
		sleep 0.2
	done
	fail "screen never showed /$1/:"
	screen | grep -v '^$' | tail -15 | sed 's/^/    | /'
	return 1
}

# wait_prompt: the last line on the screen is a fresh prompt.
wait_prompt() {
	local i
	for i in $(seq 150); do
		[ "$(screen | grep -v '^$' | tail -1)" = 'fsh>' ] && return 0
		sleep 0.2
	done
	fail "no fresh prompt"
}

# type TEXT: keys, then Enter.
type_line() {
	tmux -L "$sock" send-keys -t t -l "$1"
	tmux -L "$sock" send-keys -t t Enter
}

keys() {
	tmux -L "$sock" send-keys -t t "$@"
}

mkdir -p "$tmp/state"
tmux -L "$sock" new-session -d -s t -x 150 -y 50 \
	"env XDG_STATE_HOME=$tmp/state PS1='fsh> ' FLEET_PATH=${FLEET_PATH:-} $fsh; sleep 600"
wait_for '^fsh>' 30 || finish tty

# Line editing: cursor keys and ctrl-A.
tmux -L "$sock" send-keys -t t -l 'echo wrld'
keys Left Left Left
tmux -L "$sock" send-keys -t t -l 'o'
keys Enter
wait_for '^world$'
tmux -L "$sock" send-keys -t t -l 'cho edited'
keys C-a
tmux -L "$sock" send-keys -t t -l 'e'
keys Enter
wait_for '^edited$'

# History: up arrow brings the last line back.
type_line 'echo from-history'
wait_for '^from-history$'
keys Up Enter
sleep 1; [ "$(screen | grep -c '^from-history$')" = 2 ] ||
	fail "up arrow did not rerun the line"

# Tab completion of an image name.
tmux -L "$sock" send-keys -t t -l 'echo tab | upc'
keys Tab
sleep 0.5
keys Enter
wait_for '^TAB$'
wait_prompt

# The foreground job reads the terminal; ctrl-D ends its input.
type_line 'cat | upcase'
type_line 'typed at cat'
wait_for '^TYPED AT CAT$'
keys C-d
wait_prompt

# ctrl-Z suspends the foreground VM (paused), bg resumes it, fg, ctrl-C.
type_line 'spin'
sleep 3
keys C-z
wait_for '^\[1\]\+  Stopped +spin$'
wait_prompt
type_line 'ps'
wait_for 'spin +paused'
type_line 'jobs'
wait_for '^\[1\]\+  Stopped +spin$'
type_line 'bg'
wait_for '^\[1\]\+ spin &$'
type_line 'jobs'
wait_for '^\[1\]\+  Running +spin$'
type_line 'fg'
wait_for '^spin$'
sleep 2
keys C-c
wait_prompt
type_line 'echo "st=$?"'
wait_for '^st=130$'

# ctrl-C ends the whole command line, loop included.
type_line 'while true; do spin; echo looped; done; echo after'
sleep 3
keys C-c
wait_prompt
screen | grep -qE '^(looped|after)$' && fail "ctrl-C did not end the loop"

# A background job that ends is reported at the next prompt.
type_line 'true &'
sleep 5
type_line ''
wait_for '^\[1\]\+  Done +true$'

type_line 'exit'
sleep 1
grep -q 'from-history' "$tmp/state/fleet/fsh_history" ||
	fail "no history in $tmp/state/fleet/fsh_history"

finish tty
