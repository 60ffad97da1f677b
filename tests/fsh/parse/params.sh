echo $VAR ${VAR} $? $$ $! $1 $9 $# $@ "$@" $* $0 ${10} $-
echo pre${X}post "$X$Y" $ lone $%
