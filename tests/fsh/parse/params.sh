echo $VAR ${VAR} $? $$ $! $1 $9 $# $@ "$@" $* $0 ${10} $-
echo pre${X}post "$X$Y" $ lone $%
echo ${x:-def} "${x-a b}" ${x:=$y} ${x=} ${x:+alt} ${x?} ${x:?"no x"} ${#x} ${#} ${10:-ten}
