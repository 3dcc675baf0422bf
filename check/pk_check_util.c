/* pk_check_util.c - files, directories and subprocesses for pikecheck.
 *
 * Subprocesses are started with fork + execvp (argument vectors, never a
 * shell string, so paths with spaces or quotes are safe), except the one
 * fixed `verilator --version` query, which uses popen.
 */
#include "pk_check_int.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int pk_check_mkdirs(const char *path, pk_error_t *err)
{
    char p[1024];
    snprintf(p, sizeof p, "%s", path);
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == 0) {
            char c = *s;
            *s = 0;
            if (mkdir(p, 0777) != 0 && errno != EEXIST)
                return pk_error_set(err, PK_EIO, p, 0, "directory", "cannot create: %s",
                                    strerror(errno));
            *s = c;
            if (!c)
                break;
        }
    }
    return 0;
}

int pk_check_read_file(const char *path, char **out, size_t *len, pk_error_t *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return pk_error_set(err, PK_EIO, path, 0, "file", "cannot open: %s", strerror(errno));
    size_t cap = 65536, n = 0, k;
    char *b = malloc(cap + 1);
    while (b && (k = fread(b + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            char *q = realloc(b, 2 * cap + 1);
            if (!q) {
                free(b);
                b = NULL;
                break;
            }
            b = q;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!b)
        return pk_error_set(err, PK_ENOMEM, path, 0, "file", "out of memory");
    if (bad) {
        free(b);
        return pk_error_set(err, PK_EIO, path, 0, "file", "read error");
    }
    b[n] = 0;
    *out = b;
    *len = n;
    return 0;
}

int pk_check_write_file(const char *path, const void *data, size_t len, pk_error_t *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return pk_error_set(err, PK_EIO, path, 0, "file", "cannot create: %s", strerror(errno));
    size_t k = len ? fwrite(data, 1, len, f) : 0;
    if (fclose(f) != 0 || k != len)
        return pk_error_set(err, PK_EIO, path, 0, "file", "write error");
    return 0;
}

int pk_check_capture(const char *cmd, char **out, size_t *len, pk_error_t *err)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return pk_error_set(err, PK_EIO, "pikecheck", 0, "command", "cannot run '%s'", cmd);
    char *b = malloc(4097);
    size_t n = b ? fread(b, 1, 4096, p) : 0;
    int st = pclose(p);
    if (!b)
        return pk_error_set(err, PK_ENOMEM, "pikecheck", 0, "command", "out of memory");
    b[n] = 0;
    if (st != 0 || n == 0) {
        free(b);
        return pk_error_set(err, PK_EIO, "pikecheck", 0, "command",
                            "'%s' failed (is it installed and on PATH?)", cmd);
    }
    *out = b;
    *len = n;
    return 0;
}

int pk_check_exec(const char *const *argv, const char *cwd, const char *log_path,
                  const char *field, const char *what, pk_error_t *err)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return pk_error_set(err, PK_EIO, "pikecheck", 0, argv[0], "fork failed: %s",
                            strerror(errno));
    if (pid == 0) {
        int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (fd < 0 || (cwd && chdir(cwd) != 0))
            _exit(127);
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return pk_error_set(err, PK_EIO, "pikecheck", 0, argv[0], "waitpid failed: %s",
                                strerror(errno));
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    if (code == 0)
        return 0;
    char tail[600];
    pk_check_log_tail(log_path, tail, sizeof tail);
    return pk_error_set(err, PK_EINTERNAL, "pikecheck", 0, field, "%s failed (exit %d): %s", what,
                        code, tail);
}

void pk_check_log_tail(const char *path, char *buf, size_t len)
{
    char *d = NULL;
    size_t n = 0;
    buf[0] = 0;
    if (pk_check_read_file(path, &d, &n, NULL))
        return;
    size_t from = n + 1 > len ? n + 1 - len : 0;
    size_t k = 0;
    for (size_t i = from; i < n && k + 4 < len; i++) {
        if (d[i] == '\n') {
            if (i + 1 < n)
                k += (size_t)snprintf(buf + k, len - k, " | ");
        } else
            buf[k++] = d[i];
    }
    buf[k < len ? k : len - 1] = 0;
    free(d);
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(p);
    return 0;
}

void pk_check_rmtree(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
