while a; do b; done
until a; do b; done
while a
do
	b; c
done | d
while if a; then b; fi; do :; done
