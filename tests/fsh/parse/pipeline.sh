echo hello | upcase
a | b | c | d
! false
! a | b
a |
b
