# bench/loop.sh: 1,000 loop iterations of arithmetic, case and builtins,
# no program started; bench/fsh.sh runs it under fsh and under dash.
i=0 n=0 s=
while [ $i -lt 1000 ]; do
	case $((i % 4)) in
	0) n=$((n + 1)) ;;
	1|2) s="${s#??}x$i" ;;
	*) test -n "$s" && : ;;
	esac
	i=$((i + 1))
done
printf '%d %s\n' "$n" "${#s}"
