/* pk_bundle.c - the in-memory bundle and its atomic write to disk.
 *
 * Design: files are kept sorted by path, so every consumer (manifest,
 * writer, tests) sees one order.  Writing happens in a fresh
 * mkdtemp("DIR.tmp-XXXXXX") beside DIR; only when every file is written and
 * flushed is the directory renamed into place: renameat2(RENAME_NOREPLACE)
 * when DIR must not exist, RENAME_EXCHANGE with --force so the old bundle is
 * removed only after the new one sits at DIR.  Any failure removes the
 * temporary directory.
 */
#define _GNU_SOURCE
#include "pk_gen_int.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

struct pk_bundle {
    pk_bundle_file_t *files;
    size_t n, cap;
};

pk_bundle_t *pk_bundle_new(void)
{
    return calloc(1, sizeof(pk_bundle_t));
}

void pk_bundle_free(pk_bundle_t *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++) {
        free(b->files[i].path);
        free(b->files[i].data);
    }
    free(b->files);
    free(b);
}

int pk_bundle_add(pk_bundle_t *b, const char *path, char *data, size_t len, pk_error_t *err)
{
    size_t at = 0;
    while (at < b->n && strcmp(b->files[at].path, path) < 0)
        at++;
    if (at < b->n && !strcmp(b->files[at].path, path)) {
        free(data);
        return pk_error_set(err, PK_EINTERNAL, "", 0, path, "generated twice");
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 32;
        pk_bundle_file_t *f = realloc(b->files, cap * sizeof *f);
        if (!f) {
            free(data);
            return pk_error_set(err, PK_ENOMEM, "", 0, path, "out of memory");
        }
        b->files = f;
        b->cap = cap;
    }
    char *p = strdup(path);
    if (!p) {
        free(data);
        return pk_error_set(err, PK_ENOMEM, "", 0, path, "out of memory");
    }
    memmove(b->files + at + 1, b->files + at, (b->n - at) * sizeof *b->files);
    b->files[at] = (pk_bundle_file_t){.path = p, .data = data, .len = len};
    b->n++;
    return 0;
}

size_t pk_bundle_count(const pk_bundle_t *b)
{
    return b->n;
}

const pk_bundle_file_t *pk_bundle_file(const pk_bundle_t *b, size_t i)
{
    return i < b->n ? &b->files[i] : NULL;
}

const pk_bundle_file_t *pk_bundle_find(const pk_bundle_t *b, const char *path)
{
    for (size_t i = 0; i < b->n; i++)
        if (!strcmp(b->files[i].path, path))
            return &b->files[i];
    return NULL;
}

int pk_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
        return PK_EINTERNAL;
    for (unsigned i = 0; i < mdlen; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    return 0;
}

/* ---- writing ------------------------------------------------------------ */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int rm_tree(const char *path)
{
    return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* mkdir -p of every directory component of path (path itself included
 * when include_last). */
static int mkdirs(char *path, int include_last)
{
    size_t n = strlen(path);
    for (size_t i = 1; i <= n; i++) {
        if (path[i] != '/' && !(include_last && path[i] == '\0'))
            continue;
        char c = path[i];
        path[i] = '\0';
        int rc = mkdir(path, 0777);
        int e = errno;
        path[i] = c;
        if (rc && e != EEXIST)
            return -1;
    }
    return 0;
}

static int write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(data, 1, len, f);
    int rc = (w == len) ? 0 : -1;
    if (fclose(f))
        rc = -1;
    return rc;
}

static int io_error(pk_error_t *err, const char *path, const char *what)
{
    return pk_error_set(err, PK_EIO, path, 0, "output", "%s: %s", what, strerror(errno));
}

int pk_bundle_write(const pk_bundle_t *b, const char *dir, int force, pk_error_t *err)
{
    size_t dlen = strlen(dir);
    while (dlen > 1 && dir[dlen - 1] == '/')
        dlen--;
    if (dlen == 0 || dlen > 3500)
        return pk_error_set(err, PK_EINPUT, "", 0, "--out",
                            "bad output directory '%s'; give a path of 1..3500 characters", dir);
    char target[4096], tmp[4200], path[8400];
    snprintf(target, sizeof target, "%.*s", (int)dlen, dir);
    struct stat st;
    if (lstat(target, &st) == 0 && !force)
        return pk_error_set(err, PK_EINPUT, "", 0, "--out",
                            "'%s' already exists; pass --force to replace it, or choose "
                            "another --out directory",
                            target);
    if (mkdirs(target, 0))
        return io_error(err, target, "cannot create the parent directory");
    snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", target);
    if (!mkdtemp(tmp))
        return io_error(err, tmp, "cannot create a temporary directory");
    int rc = 0;
    for (size_t i = 0; i < b->n && !rc; i++) {
        snprintf(path, sizeof path, "%s/%s", tmp, b->files[i].path);
        if (mkdirs(path, 0) || write_file(path, b->files[i].data, b->files[i].len))
            rc = io_error(err, path, "cannot write");
    }
    /* mkdtemp makes the directory 0700; a bundle is an ordinary directory. */
    if (!rc) {
        mode_t um = umask(0);
        umask(um);
        if (chmod(tmp, 0777 & ~um))
            rc = io_error(err, tmp, "cannot set permissions");
    }
    if (!rc) {
        if (renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_NOREPLACE) == 0) {
            return 0;
        } else if (errno == EEXIST && force) {
            /* Swap: target gets the new bundle, tmp holds the old one. */
            if (renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_EXCHANGE) == 0) {
                if (rm_tree(tmp))
                    return io_error(err, tmp, "new bundle in place, but cannot remove the old "
                                              "one (moved here)");
                return 0;
            }
            rc = io_error(err, target, "cannot replace");
        } else if (errno == EEXIST) {
            rc = pk_error_set(err, PK_EINPUT, "", 0, "--out",
                              "'%s' already exists; pass --force to replace it", target);
        } else {
            rc = io_error(err, target, "cannot rename the temporary directory to");
        }
    }
    rm_tree(tmp);
    return rc;
}
