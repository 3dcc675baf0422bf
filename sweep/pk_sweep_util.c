/* pk_sweep_util.c - helpers of pk_sweep_util.h.  Atomic writes are what make
 * the sweep's cache safe to kill: a reader sees a whole file or none. */
#include "pk_sweep_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/sha.h>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

void pk_sw_buf_add(pk_sw_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    if (b->oom)
        return;
    for (;;) {
        size_t room = b->cap - b->len;
        va_start(ap, fmt);
        int n = b->s ? vsnprintf(b->s + b->len, room, fmt, ap) : -2;
        va_end(ap);
        if (n >= 0 && (size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        if (n == -1) {
            b->oom = 1;
            return;
        }
        size_t need = b->len + (n > 0 ? (size_t)n : 0) + 1, cap = b->cap ? b->cap : 256;
        while (cap < need)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = 1;
            return;
        }
        if (!b->s)
            s[0] = 0;
        b->s = s;
        b->cap = cap;
    }
}

char *pk_sw_quote(const char *s)
{
    pk_sw_buf_t b = { 0 };
    pk_sw_buf_add(&b, "\"");
    for (; *s; s++)
        pk_sw_buf_add(&b, (*s == '"' || *s == '\\') ? "\\%c" : "%c", *s);
    pk_sw_buf_add(&b, "\"");
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

char *pk_sw_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

char *pk_sw_join(const char *dir, const char *rel)
{
    if (rel[0] == '/' || !strcmp(dir, "."))
        return strdup(rel);
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, rel);
    return p;
}

int pk_sw_mkscratch(const char *tag, char *dir, size_t len)
{
    const char *t = getenv("TMPDIR");
    int n = snprintf(dir, len, "%s/pikesweep-%s-XXXXXX", t && *t ? t : "/tmp", tag);
    if (n < 0 || (size_t)n >= len) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return mkdtemp(dir) ? 0 : -1;
}

int pk_sw_mkdirs(const char *path)
{
    char *p = strdup(path);
    if (!p)
        return -1;
    for (char *c = p + 1;; c++) {
        if (*c != '/' && *c)
            continue;
        char save = *c;
        *c = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        if (!(*c = save))
            break;
    }
    free(p);
    return 0;
}

int pk_sw_write_atomic(const char *path, const char *data, size_t len)
{
    static unsigned serial;
    size_t n = strlen(path) + 48;
    char *tmp = malloc(n);
    if (!tmp)
        return -1;
    snprintf(tmp, n, "%s.tmp-%ld-%u", path, (long)getpid(), serial++);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    int rc = fd < 0 ? -1 : 0;
    for (size_t done = 0; rc == 0 && done < len;) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            rc = -1;
        else
            done += (size_t)w;
    }
    if (fd >= 0 && close(fd) != 0)
        rc = -1;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -1;
    if (rc != 0 && fd >= 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
    }
    free(tmp);
    return rc;
}

char *pk_sw_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    pk_sw_buf_t b = { 0 };
    char chunk[8192];
    size_t n;
    pk_sw_buf_add(&b, "%s", "");
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        pk_sw_buf_add(&b, "%.*s", (int)n, chunk);
    int bad = ferror(f) || b.oom || memchr(b.s, 0, b.len);
    fclose(f);
    if (bad) {
        free(b.s);
        return NULL;
    }
    if (len)
        *len = b.len;
    return b.s;
}

void pk_sw_sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(data, len, md);
    for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

int pk_sw_run_capture(char **argv, char *out, size_t len)
{
    int fds[2];
    if (pipe(fds))
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    size_t used = 0;
    ssize_t n;
    while (rc == 0 && (n = read(fds[0], out + used, len - 1 - used)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        used += (size_t)n;
        if (used == len - 1)
            break;
    }
    out[used] = 0;
    close(fds[0]);
    if (rc) {
        errno = rc;
        return -1;
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
