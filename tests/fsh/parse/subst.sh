echo $(date) "$(echo "in quotes")" `echo back`
x=$(echo a | upcase)
echo $((1 + 2 * x)) "$(( (3) ))"
echo ${#x} ${x%.c} ${x%%/*} ${x#*/} ${x##*.}
echo $(echo $(echo nested))
