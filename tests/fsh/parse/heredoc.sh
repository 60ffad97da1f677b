cat <<EOF
line one $HOME
	tab \$esc
EOF
cat <<-END
	stripped $X
	END
cat <<'Q' | upcase
no $expansion here
Q
cat <<A; cat <<B
a body
A
b body
B
cat << "quoted"
$x
quoted
