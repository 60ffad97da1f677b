/* spin: burn CPU until the host sends a signal. */
int
main(void)
{
	volatile unsigned long n = 0;

	for (;;)
		n++;
}
