/*
 * false: exit with status 1.  Handy for testing the shell's $? and for
 * checking that exit statuses reach the parent.
 */
int
main(void)
{
	return 1;
}
