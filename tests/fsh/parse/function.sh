greet() { echo "hello $1"; }
f()
{
	local x=1
	return 3
}
g() ( cd /tmp; echo sub ) > out
greet world
