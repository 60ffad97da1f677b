case $1 in
a|b) echo ab ;;
"c"*) echo c; echo more ;;
(d) ;;
*) echo other
esac
case x in x) echo one;; esac
case $x in esac
