#!/bin/bash
# tty.sh FSH: fsh on a terminal driven by tmux: ctrl-Z pauses the VMs,
# bg and fg resume them, ctrl-C interrupts; ctrl-C, ctrl-Z and ctrl-\ at
# the prompt reach fsh alone and leave it running; line editing, history,
# tab completion, finished background jobs reported at the prompt, and
# exit's status.
set -u
fsh=$1
. "$(dirname "$0")/lib.sh"
need_sandbox
sock=fsh-test-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null
	[ -s "$tmp/daemon.pid" ] && kill "$(cat "$tmp/daemon.pid")" 2>/dev/null
	rm -rf "$tmp"' EXIT

target=t	# the tmux session the keys go to

screen() {
	tmux -L "$sock" capture-pane -p -t "$target" -S -200
}

# session_left: the terminal is gone (its shell ended): stop here.
session_left() {
	tmux -L "$sock" has-session -t "$target" 2>/dev/null && return 1
	fail "the terminal's session ended${1:+ ($1)}"
	finish tty
}

# wait_for REGEX [SECONDS]: the screen matches within the bound.
wait_for() {
	local i
	for i in $(seq $((${2:-60} * 5))); do
		screen | grep -qE "$1" && return 0
		session_left "waiting for /$1/"
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
		session_left "waiting for a prompt"
		sleep 0.2
	done
	fail "no fresh prompt"
}

# type TEXT: keys, then Enter.
type_line() {
	tmux -L "$sock" send-keys -t "$target" -l "$1"
	tmux -L "$sock" send-keys -t "$target" Enter
}

keys() {
	tmux -L "$sock" send-keys -t "$target" "$@"
}

# beside_alive WHEN: what runs beside fsh did not get the terminal's
# signals: the pane's shell (sandbox.sh's stand-in), the stand-in for
# fleetd, and fleetd if the sandbox has one.
beside_alive() {
	kill -0 "$(cat "$tmp/pane.pid")" 2>/dev/null ||
		fail "$1 ended the shell that started fsh (sandbox.sh's stand-in)"
	kill -0 "$(cat "$tmp/daemon.pid")" 2>/dev/null ||
		fail "$1 ended the process beside fsh (fleetd's stand-in)"
	[ -z "$fleetd" ] || kill -0 "$fleetd" 2>/dev/null ||
		fail "$1 ended fleetd"
}

# fsh_pid: fsh, the child of the pane's shell.
fsh_pid() {
	ps -o pid=,comm= --ppid "$(cat "$tmp/pane.pid")" |
		awk '$2 == "fsh" { print $1 }'
}

# The pane: a shell that starts fsh, as sandbox.sh does, and beside fsh,
# in the terminal's foreground group as sandbox.sh's daemons were, a
# stand-in for fleetd that ends at the first SIGINT it gets. fleetd takes
# SIGINT through a signalfd, so the SIG_IGN a background job starts with
# does not keep it off; nor here.
mkdir -p "$tmp/state"
cat >"$tmp/pane.sh" <<EOF
echo \$\$ >$tmp/pane.pid
python3 -c 'import signal
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
signal.sigwait({signal.SIGINT})' &
echo \$! >$tmp/daemon.pid
env XDG_STATE_HOME=$tmp/state PS1='fsh> ' FLEET_PATH=${FLEET_PATH:-} $fsh
echo "fsh-status=\$?"
sleep 600
EOF
fleetd=$(pgrep -x fleetd | head -1)
tmux -L "$sock" new-session -d -s t -x 150 -y 50 "sh $tmp/pane.sh"
wait_for '^fsh>' 30 || finish tty

# fsh leads a process group of its own and holds the terminal.
pid=$(fsh_pid)
read -r pgid tpgid <<<"$(ps -o pgid=,tpgid= -p "${pid:-0}")"
[ -n "$pid" ] && [ "${pgid:-}" = "$pid" ] && [ "${tpgid:-}" = "$pid" ] ||
	fail "fsh ($pid) is not the terminal's foreground group" \
	    "(its group ${pgid:-?}, the terminal's ${tpgid:-?})"

# ctrl-C at an empty prompt: a new prompt, fsh goes on, and nothing beside
# it got the signal.
keys C-c
sleep 1
beside_alive "ctrl-C at the prompt"
type_line 'echo after-ctrl-c'
wait_for '^after-ctrl-c$'
wait_prompt

# ctrl-C drops what was typed; ctrl-Z and ctrl-\ at the prompt do nothing.
tmux -L "$sock" send-keys -t "$target" -l 'echo dropped'
keys C-c
sleep 0.5
keys C-z
sleep 0.5
keys 'C-\'
sleep 0.5
type_line 'echo still-here'
wait_for '^still-here$'
wait_prompt
screen | grep -q '^dropped$' && fail "ctrl-C ran the line it should drop"
beside_alive 'ctrl-C, ctrl-Z and ctrl-\ at the prompt'

# Line editing: cursor keys and ctrl-A.
tmux -L "$sock" send-keys -t "$target" -l 'echo wrld'
keys Left Left Left
tmux -L "$sock" send-keys -t "$target" -l 'o'
keys Enter
wait_for '^world$'
tmux -L "$sock" send-keys -t "$target" -l 'cho edited'
keys C-a
tmux -L "$sock" send-keys -t "$target" -l 'e'
keys Enter
wait_for '^edited$'

# History: up arrow brings the last line back.
type_line 'echo from-history'
wait_for '^from-history$'
keys Up Enter
sleep 1; [ "$(screen | grep -c '^from-history$')" = 2 ] ||
	fail "up arrow did not rerun the line"

# Tab completion of an image name.
tmux -L "$sock" send-keys -t "$target" -l 'echo tab | upc'
keys Tab
sleep 0.5
keys Enter
wait_for '^TAB$'
wait_prompt

# Tab completion of a builtin, and of a file name in the working directory.
tmux -L "$sock" send-keys -t "$target" -l 'alia'
keys Tab
sleep 0.5
tmux -L "$sock" send-keys -t "$target" -l "zz='echo by-alias'"
keys Enter
wait_prompt
type_line 'zz'
wait_for '^by-alias$'
wait_prompt
echo 'completed file' > "$tmp/state/zz-unique-name.txt"
type_line "cd $tmp/state"
tmux -L "$sock" send-keys -t "$target" -l 'cat zz-uniq'
keys Tab
sleep 0.5
keys Enter
wait_for '^completed file$'
wait_prompt

# ctrl-C during a pipeline of VMs ends all of it.
type_line 'spin | spin | spin'
sleep 3
keys C-c
wait_prompt
type_line 'echo "pipe-st=$?"'
wait_for '^pipe-st=130$'

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
beside_alive "ctrl-C in fg after bg"

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

# exit's status is fsh's; the terminal goes back to the pane's shell.
beside_alive "the session"
type_line 'echo across-sessions'
wait_for '^across-sessions$'
type_line 'exit 3'
wait_for '^fsh-status=3$'
pane=$(cat "$tmp/pane.pid")
[ "$(ps -o tpgid= -p "$pane" | tr -d ' ')" = \
    "$(ps -o pgid= -p "$pane" | tr -d ' ')" ] ||
	fail "fsh did not give the terminal back to the pane's shell"
grep -q 'from-history' "$tmp/state/fleet/fsh_history" ||
	fail "no history in $tmp/state/fleet/fsh_history"

# History across sessions: a second fsh finds the first one's lines.
target=t2
tmux -L "$sock" new-session -d -s t2 -x 150 -y 50 \
    "env XDG_STATE_HOME=$tmp/state PS1='fsh> ' $fsh; echo fsh2-status=\$?; sleep 600"
wait_for '^fsh>' 30
keys Up Up Enter
wait_for '^across-sessions$'

# ctrl-D at an empty prompt ends fsh, with the last command's status.
wait_prompt
keys C-d
wait_for '^fsh2-status=0$'

finish tty
