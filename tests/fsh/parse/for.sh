for i in 1 2 3; do echo $i; done
for i in; do x; done
for i; do echo $i; done
for i
do
	echo "$i"
done
for f in *.c "$x"
do cat $f; done
