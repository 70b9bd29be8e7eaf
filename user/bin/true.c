/*
 * true: exit with status 0 and do nothing else.  bench uses it as the
 * cheapest possible program to time fork+exec+wait.
 */
int
main(void)
{
	return 0;
}
