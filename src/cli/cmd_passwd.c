/* cli/cmd_passwd.c: `ophanimflow passwd USER [--random]`: sets a
 * dashboard user's password, adding the user if there is none of that
 * name, and ends the user's sessions. The way in when the dashboard's
 * passwords are lost, and the way to set the first one before the first
 * start.
 *
 * The password is read from the terminal twice without echo, or as one
 * line from stdin when stdin is not a terminal (scripts); --random makes
 * a strong one and prints it on stdout, alone on its line. Never from the
 * command line, where other users of the machine could read it. */
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "auth/password.h"
#include "auth/users.h"
#include "cli/cli.h"
#include "store/appdb.h"

enum { OPT_RANDOM = CLI_OPT__NEXT };

/* A password and the byte that shows a line was longer than allowed. */
#define PW_BUF (PASSWORD_MAX + 3)

static void passwd_usage(FILE *f)
{
    fputs("usage: ophanimflow passwd [-c FILE] [--db PATH] USER [--random]\n", f);
}

/* One line of f without its line end: 0, -ENAMETOOLONG past PASSWORD_MAX
 * bytes, -EIO at end of input. */
static int read_line(FILE *f, char buf[PW_BUF], size_t *len)
{
    if (!fgets(buf, PW_BUF, f))
        return -EIO;
    size_t n = strcspn(buf, "\n");
    bool whole = buf[n] == '\n' || feof(f);
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    if (!whole || n > PASSWORD_MAX)
        return -ENAMETOOLONG;
    *len = n;
    return 0;
}

/* Reads with the terminal's echo off. */
static int read_hidden(const char *prompt, char buf[PW_BUF], size_t *len)
{
    struct termios old, quiet;
    fputs(prompt, stderr);
    fflush(stderr);
    bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    int rc = read_line(stdin, buf, len);
    if (tty) {
        (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    return rc;
}

static int ask_password(char pw[PW_BUF], size_t *len)
{
    if (!isatty(STDIN_FILENO))
        return read_line(stdin, pw, len);
    char again[PW_BUF];
    size_t n2 = 0;
    int rc = read_hidden("New password: ", pw, len);
    if (rc == 0)
        rc = read_hidden("Once more: ", again, &n2);
    if (rc == 0 && (n2 != *len || memcmp(pw, again, n2) != 0))
        rc = -EINVAL;
    sodium_memzero(again, sizeof(again));
    return rc;
}

/* The password to set: generated, typed or piped. CLI_OK or CLI_USAGE
 * (message printed). */
static int get_password(bool random, char pw[PW_BUF], size_t *len)
{
    if (random) {
        password_random(pw);
        *len = strlen(pw);
        return CLI_OK;
    }
    int rc = ask_password(pw, len);
    if (rc == -EINVAL) {
        fprintf(stderr, "ophanimflow: the two passwords differ\n");
        return CLI_USAGE;
    }
    if (rc == -EIO) {
        fprintf(stderr, "ophanimflow: no password given\n");
        return CLI_USAGE;
    }
    if (rc < 0 || !password_ok(pw, *len)) {
        fprintf(stderr, "ophanimflow: a password is %d to %d bytes\n", PASSWORD_MIN, PASSWORD_MAX);
        return CLI_USAGE;
    }
    return CLI_OK;
}

static int set_password(struct sqlite3 *db, const char *user, const char *pw, size_t len,
                        bool random)
{
    bool created = false;
    int e = users_set_password(db, user, pw, len, NULL, true, (int64_t)time(NULL), &created);
    if (e < 0) {
        fprintf(stderr, "ophanimflow: setting the password failed: %s\n",
                e == -ENOSPC ? "too many users" : strerror(-e));
        return CLI_FAIL;
    }
    if (random)
        printf("%s\n", pw);
    fprintf(stderr,
            created ? "ophanimflow: created user %s\n"
                    : "ophanimflow: password of %s changed; its sessions ended\n",
            user);
    return CLI_OK;
}

int cmd_passwd(int argc, char **argv)
{
    static const struct option longopts[] = {CLI_COMMON_LONGOPTS,
                                             {"random", no_argument, NULL, OPT_RANDOM},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    struct cli_common common = {0};
    bool bad = false;
    bool random = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        if (cli_common_opt(&common, opt, optarg, &bad))
            continue;
        if (opt == OPT_RANDOM) {
            random = true;
            continue;
        }
        passwd_usage(opt == 'h' ? stdout : stderr);
        return opt == 'h' ? CLI_OK : CLI_USAGE;
    }
    if (bad || optind + 1 != argc) {
        passwd_usage(stderr);
        return CLI_USAGE;
    }
    const char *user = argv[optind];
    if (!users_name_ok(user, strlen(user))) {
        fprintf(stderr, "ophanimflow: a user name is 1 to %d of A-Z a-z 0-9 . _ -\n",
                USERS_NAME_MAX);
        return CLI_USAGE;
    }
    struct of_config cfg;
    struct appdb *app = NULL;
    struct sqlite3 *db = NULL;
    char pw[PW_BUF];
    size_t len = 0;
    int rc = cli_load_config(&common, &cfg);
    if (rc == CLI_OK)
        rc = cli_open_app(&cfg, &app, &db);
    if (rc == CLI_OK)
        rc = get_password(random, pw, &len);
    if (rc == CLI_OK)
        rc = set_password(db, user, pw, len, random);
    sodium_memzero(pw, sizeof(pw));
    cli_close_app(app, db);
    config_fini(&cfg);
    return rc;
}
