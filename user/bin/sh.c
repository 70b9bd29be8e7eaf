/*
 * sh: the brinch shell, started (and restarted) by init.  Reads a line,
 * splits it into commands on ';' and '&', and runs each one: builtins
 * in the shell itself, programs with fork + exec, '&' in the background.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <fcntl.h>
#include <sys/wait.h>

#define LINE_SIZE	1024

struct command {
	int	 argc;
	char	*argv[MAXARG + 1];	/* NULL-terminated, for exec */
	int	 background;		/* ended with '&' */
};

/* Walks one input line; words are copied, unquoted, into `words`. */
struct parser {
	const char	*p;
	char		 words[2 * LINE_SIZE];	/* room for $? expansions */
	size_t		 used;
};

static int last_status;		/* $?: status of the last command */

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Ends a word when not quoted. */
static int
is_separator(char c)
{
	return c == '\0' || c == ';' || c == '&' || is_blank(c);
}

static int
append(struct parser *ps, const char *s, size_t n)
{
	if (ps->used + n >= sizeof(ps->words)) {
		dprintf(2, "sh: line too long\n");
		return -1;
	}
	memcpy(ps->words + ps->used, s, n);
	ps->used += n;
	return 0;
}

/* Copy one word, removing quotes and expanding $?.  Returns -1 on a
 * syntax error; the word is NUL-terminated in ps->words. */
static int
parse_word(struct parser *ps)
{
	char quote = 0;		/* the open quote character, if any */
	char status[12];

	for (; quote != 0 || !is_separator(*ps->p); ps->p++) {
		char c = *ps->p;

		if (c == '\0') {
			dprintf(2, "sh: missing closing %c\n", quote);
			return -1;
		}
		if (quote == 0 && (c == '\'' || c == '"')) {
			quote = c;
			continue;
		}
		if (c == quote) {
			quote = 0;
			continue;
		}
		/* $? is expanded outside quotes and inside "...", as in sh. */
		if (c == '$' && ps->p[1] == '?' && quote != '\'') {
			int n = snprintf(status, sizeof(status), "%d", last_status);

			if (append(ps, status, n) < 0)
				return -1;
			ps->p++;
			continue;
		}
		if (append(ps, &c, 1) < 0)
			return -1;
	}
	return append(ps, "", 1);	/* the terminating NUL */
}

/*
 * Parse the next command of the line into cmd.  Returns 1 when a
 * command (possibly with no words) was read, 0 at the end of the line,
 * -1 on a syntax error.
 */
static int
parse_command(struct parser *ps, struct command *cmd)
{
	cmd->argc = 0;
	cmd->background = 0;
	for (;;) {
		while (is_blank(*ps->p))
			ps->p++;
		if (*ps->p == '\0') {
			cmd->argv[cmd->argc] = NULL;
			return cmd->argc > 0 ? 1 : 0;
		}
		if (*ps->p == ';' || *ps->p == '&') {
			cmd->background = *ps->p == '&';
			ps->p++;
			cmd->argv[cmd->argc] = NULL;
			return 1;
		}
		if (cmd->argc == MAXARG) {
			dprintf(2, "sh: too many arguments (at most %d)\n",
			    MAXARG);
			return -1;
		}
		cmd->argv[cmd->argc] = ps->words + ps->used;
		if (parse_word(ps) < 0)
			return -1;
		cmd->argc++;
	}
}

/* Exit code as $? shows it: the exit status, or 128 + the signal. */
static int
status_code(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Report background jobs that have finished, without blocking. */
static void
reap_background(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		printf("[%d] done, status %d\n", pid, status_code(status));
}

static void
builtin_help(void)
{
	struct dirent ent;
	int fd;

	printf("builtins: exit [n], help\n");
	printf("programs:");
	fd = open("/bin", O_RDONLY);
	if (fd >= 0) {
		while (readdir(fd, &ent) == 1)
			printf(" %s", ent.name);
		close(fd);
	}
	printf("\n");
	printf("syntax: cmd args; cmd & ('...' \"...\" quote, $? is the "
	    "last status)\n");
}

/* Run a builtin and return 1, or return 0 if argv[0] is not one. */
static int
run_builtin(struct command *cmd)
{
	if (strcmp(cmd->argv[0], "exit") == 0) {
		exit(cmd->argc > 1 ? atoi(cmd->argv[1]) : last_status);
	}
	if (strcmp(cmd->argv[0], "help") == 0) {
		builtin_help();
		last_status = 0;
		return 1;
	}
	return 0;
}

/* The child's half of running a program: never returns. */
static void
exec_child(struct command *cmd)
{
	char path[MAXPATH];
	const char *name = cmd->argv[0];

	/* Our SIG_IGN for SIGINT would survive exec: undo it, so that
	 * Ctrl-C can stop the program. */
	signal(SIGINT, SIG_DFL);
	if (!cmd->background)
		setfg(getpid());	/* beat the parent to it: no gap */

	if (strchr(name, '/') != NULL)
		strlcpy(path, name, sizeof(path));
	else if (snprintf(path, sizeof(path), "/bin/%s", name) >=
	    (int)sizeof(path)) {
		dprintf(2, "sh: %s: %s\n", name, strerror(ENAMETOOLONG));
		_exit(127);
	}
	exec(path, cmd->argv);
	dprintf(2, "sh: %s: %s\n", name, strerror(errno));
	_exit(127);
}

static void
run_program(struct command *cmd)
{
	int status;
	pid_t pid, me = getpid();

	pid = fork();
	if (pid < 0) {
		dprintf(2, "sh: fork: %s\n", strerror(errno));
		last_status = 1;
		return;
	}
	if (pid == 0)
		exec_child(cmd);

	if (cmd->background) {
		printf("[%d]\n", pid);
		last_status = 0;
		return;
	}
	setfg(pid);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			dprintf(2, "sh: waitpid: %s\n", strerror(errno));
			status = 1 << 8;
			break;
		}
	}
	setfg(me);
	if (WIFSIGNALED(status) && WTERMSIG(status) != SIGINT)
		dprintf(2, "sh: pid %d killed by signal %d\n", pid,
		    WTERMSIG(status));
	last_status = status_code(status);
}

static void
run_line(const char *line)
{
	static struct parser ps;	/* large: keep it off the stack */
	struct command cmd;
	int r;

	ps.p = line;
	ps.used = 0;
	while ((r = parse_command(&ps, &cmd)) != 0) {
		if (r < 0) {
			last_status = 2;	/* sh's code for bad syntax */
			return;
		}
		if (cmd.argc == 0)
			continue;	/* ";;" or a lone "&" */
		if (!run_builtin(&cmd))
			run_program(&cmd);
	}
}

/* Read one line; 0 at end of input.  Drops the rest of overlong lines. */
static int
read_line(char *line, int size)
{
	size_t len;

	if (readline_fd(STDIN_FILENO, line, size) == NULL)
		return 0;
	len = strlen(line);
	if (len > 0 && line[len - 1] != '\n' && (int)len == size - 1) {
		char rest[64];

		while (readline_fd(STDIN_FILENO, rest, sizeof(rest)) != NULL &&
		    rest[strlen(rest) - 1] != '\n')
			;
		dprintf(2, "sh: line too long (at most %d bytes)\n", size - 2);
		line[0] = '\0';
	}
	return 1;
}

int
main(void)
{
	static char line[LINE_SIZE];

	/* Ctrl-C is for the program in the foreground, not for us. */
	signal(SIGINT, SIG_IGN);
	for (;;) {
		reap_background();
		printf("$ ");
		if (!read_line(line, sizeof(line)))
			exit(0);
		run_line(line);
	}
}
