/* true: succeed, whatever the arguments. */
int
main(void)
{
	return 0;
}
