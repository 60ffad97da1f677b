(cd /tmp && echo here)
(echo a; echo b) | upcase
( (echo nested) ) > out 2>&1
