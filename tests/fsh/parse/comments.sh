# a whole-line comment
echo a # trailing comment
echo b#not-a-comment '#' "#"
