/* pk_npy.c - NumPy .npy reader (see pk_npy.h).
 *
 * The header is a Python dict literal such as
 *     {'descr': '<i4', 'fortran_order': False, 'shape': (64, 3, 3, 3), }
 * padded with spaces to an aligned length.  Rather than a general Python
 * parser, the three keys numpy always writes are looked up and their values
 * parsed strictly; anything unexpected is refused, never guessed.  Data are
 * read in chunks and converted from little-endian bytes explicitly, so the
 * reader does not depend on the host's byte order.
 */
#include "pk_npy.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NERR(...) pk_error_set(err, PK_EINPUT, path, 0, "npy", __VA_ARGS__)

const char *pk_npy_dtype_name(pk_npy_dtype_t t)
{
    static const char *const n[] = { "int8", "int16", "int32", "float32" };
    return (unsigned)t < 4 ? n[t] : "?";
}

/* Value text after 'key': in hdr, or NULL. */
static const char *find_key(const char *hdr, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "'%s'", key);
    const char *p = strstr(hdr, pat);
    if (!p)
        return NULL;
    p += strlen(pat);
    while (*p == ' ')
        p++;
    if (*p != ':')
        return NULL;
    p++;
    while (*p == ' ')
        p++;
    return p;
}

int pk_npy_header(const char *path, pk_npy_t *out, pk_error_t *err)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NERR("cannot open (missing or not readable)");
    unsigned char pre[12];
    int rc = 0;
    char *hdr = NULL;
    size_t got = fread(pre, 1, 10, f);
    if (got < 10 || memcmp(pre, "\x93NUMPY", 6) != 0) {
        rc = NERR("not a .npy file (no \\x93NUMPY magic)");
        goto done;
    }
    int major = pre[6];
    uint32_t hlen;
    int64_t off;
    if (major == 1) {
        hlen = (uint32_t)pre[8] | (uint32_t)pre[9] << 8;
        off = 10;
    } else if (major == 2 || major == 3) {
        if (fread(pre + 10, 1, 2, f) != 2) {
            rc = NERR("truncated header");
            goto done;
        }
        hlen = (uint32_t)pre[8] | (uint32_t)pre[9] << 8 | (uint32_t)pre[10] << 16 |
               (uint32_t)pre[11] << 24;
        off = 12;
    } else {
        rc = NERR("format version %d.%d not supported (1.0, 2.0, 3.0)", major, pre[7]);
        goto done;
    }
    if (hlen == 0 || hlen > PK_NPY_MAX_HEADER) {
        rc = NERR("header length %u out of range [1, %d]", hlen, PK_NPY_MAX_HEADER);
        goto done;
    }
    hdr = malloc(hlen + 1);
    if (!hdr) {
        rc = pk_error_set(err, PK_ENOMEM, path, 0, "npy", "out of memory");
        goto done;
    }
    if (fread(hdr, 1, hlen, f) != hlen) {
        rc = NERR("truncated header");
        goto done;
    }
    hdr[hlen] = '\0';
    if (strlen(hdr) != hlen) {
        rc = NERR("header contains a NUL byte");
        goto done;
    }
    out->data_offset = off + hlen;

    const char *d = find_key(hdr, "descr");
    static const struct { const char *s; pk_npy_dtype_t t; int bytes; } types[] = {
        { "'|i1'", PK_NPY_I8, 1 },  { "'<i1'", PK_NPY_I8, 1 },  { "'<i2'", PK_NPY_I16, 2 },
        { "'<i4'", PK_NPY_I32, 4 }, { "'<f4'", PK_NPY_F32, 4 },
    };
    int found = 0;
    for (size_t i = 0; d && i < sizeof types / sizeof types[0]; i++)
        if (strncmp(d, types[i].s, strlen(types[i].s)) == 0) {
            out->dtype = types[i].t;
            out->item_bytes = types[i].bytes;
            found = 1;
        }
    if (!found) {
        char what[32] = "missing";
        if (d)
            snprintf(what, sizeof what, "%.*s", (int)strcspn(d, ",}"), d);
        rc = NERR("dtype %s not supported (little-endian int8, int16, int32, float32)", what);
        goto done;
    }
    const char *fo = find_key(hdr, "fortran_order");
    if (!fo || strncmp(fo, "False", 5) != 0) {
        rc = NERR("only C order is supported (fortran_order must be False)");
        goto done;
    }
    const char *s = find_key(hdr, "shape");
    if (!s || *s != '(') {
        rc = NERR("header has no shape tuple");
        goto done;
    }
    s++;
    out->count = 1;
    for (;;) {
        while (*s == ' ')
            s++;
        if (*s == ')')
            break;
        char *e;
        long long v = strtoll(s, &e, 10);
        if (e == s || v < 0) {
            rc = NERR("bad shape entry in header");
            goto done;
        }
        if (out->ndim == PK_NPY_MAX_DIMS) {
            rc = NERR("more than %d dimensions", PK_NPY_MAX_DIMS);
            goto done;
        }
        out->shape[out->ndim++] = v;
        if (__builtin_mul_overflow(out->count, (int64_t)v, &out->count) ||
            out->count > ((int64_t)1 << 40)) {
            rc = NERR("shape too large");
            goto done;
        }
        s = e;
        while (*s == ' ')
            s++;
        if (*s == ',')
            s++;
        else if (*s != ')') {
            rc = NERR("bad shape tuple in header");
            goto done;
        }
    }
    /* the file must hold exactly the data the shape says */
    if (fseek(f, 0, SEEK_END) != 0) {
        rc = NERR("cannot seek");
        goto done;
    }
    long size = ftell(f);
    int64_t want = out->data_offset + out->count * out->item_bytes;
    if (size < 0 || (int64_t)size != want) {
        rc = NERR("file is %ld bytes, the header's shape and dtype need %lld", size,
                  (long long)want);
        goto done;
    }
done:
    free(hdr);
    fclose(f);
    return rc;
}

/* Read all elements as int32 (out, floats must hold integers) or as float
 * (fout, integers converted); exactly one of out / fout is non-NULL. */
static int read_elems(const char *path, const pk_npy_t *h, int32_t *out, float *fout, int64_t n,
                      pk_error_t *err)
{
    if (n != h->count)
        return pk_error_set(err, PK_EINTERNAL, path, 0, "npy", "asked for %lld of %lld elements",
                            (long long)n, (long long)h->count);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NERR("cannot open (missing or not readable)");
    int rc = 0;
    if (fseek(f, (long)h->data_offset, SEEK_SET) != 0) {
        rc = NERR("cannot seek to the data");
        goto done;
    }
    unsigned char buf[4096];
    int64_t i = 0;
    const int per = (int)sizeof buf / h->item_bytes;
    while (i < n) {
        int64_t todo = n - i < per ? n - i : per;
        if (fread(buf, (size_t)h->item_bytes, (size_t)todo, f) != (size_t)todo) {
            rc = NERR("truncated data");
            goto done;
        }
        for (int64_t j = 0; j < todo; j++, i++) {
            const unsigned char *b = buf + j * h->item_bytes;
            uint32_t u = (uint32_t)b[0];
            int32_t iv;
            if (h->item_bytes >= 2)
                u |= (uint32_t)b[1] << 8;
            if (h->item_bytes == 4)
                u |= (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
            if (h->dtype == PK_NPY_I8) {
                iv = (int8_t)u;
            } else if (h->dtype == PK_NPY_I16) {
                iv = (int16_t)(uint16_t)u;
            } else if (h->dtype == PK_NPY_I32) {
                memcpy(&iv, &u, 4);
            } else { /* float32: as is, or as an integer code */
                float v;
                memcpy(&v, &u, 4);
                if (fout) {
                    fout[i] = v;
                    continue;
                }
                if (!(v == floorf(v)) || v < -2147483648.0f || v >= 2147483648.0f) {
                    rc = NERR("element %lld is %g: float32 data must hold integer codes",
                              (long long)i, (double)v);
                    goto done;
                }
                iv = (int32_t)v;
            }
            if (fout)
                fout[i] = (float)iv;
            else
                out[i] = iv;
        }
    }
done:
    fclose(f);
    return rc;
}

int pk_npy_read_i32(const char *path, const pk_npy_t *h, int32_t *out, int64_t n,
                    pk_error_t *err)
{
    return read_elems(path, h, out, NULL, n, err);
}

int pk_npy_read_f32(const char *path, const pk_npy_t *h, float *out, int64_t n, pk_error_t *err)
{
    return read_elems(path, h, NULL, out, n, err);
}

/* ---- writer ------------------------------------------------------------ */

static int put_le32(FILE *f, uint32_t v)
{
    unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 24) };
    return fwrite(b, 1, 4, f) == 4 ? 0 : -1;
}

int pk_npy_write(const char *path, pk_npy_dtype_t dtype, const int64_t *shape, int ndim,
                 const int32_t *i32, const float *f32, pk_error_t *err)
{
    char hdr[512], dims[400] = "";
    int64_t n = 1;
    size_t dl = 0;
    for (int i = 0; i < ndim; i++) {
        n *= shape[i];
        dl += (size_t)snprintf(dims + dl, sizeof dims - dl, "%lld%s", (long long)shape[i],
                               ndim == 1 || i + 1 < ndim ? ", " : "");
        if (dl >= sizeof dims)
            return pk_error_set(err, PK_EINTERNAL, path, 0, "npy", "too many dimensions");
    }
    if (ndim == 1)
        dims[dl - 1] = 0; /* "(n,)" */
    int hl = snprintf(hdr, sizeof hdr, "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }",
                      dtype == PK_NPY_F32 ? "<f4" : "<i4", dims);
    while ((10 + hl + 1) % 64)
        hdr[hl++] = ' ';
    hdr[hl++] = '\n';
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return pk_error_set(err, PK_EIO, path, 0, "npy", "cannot create: %s", strerror(errno));
    unsigned char pre[10] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(hl & 255),
                              (unsigned char)(hl >> 8) };
    int bad = fwrite(pre, 1, 10, f) != 10 || fwrite(hdr, 1, (size_t)hl, f) != (size_t)hl;
    for (int64_t i = 0; i < n && !bad; i++) {
        uint32_t v;
        if (dtype == PK_NPY_F32)
            memcpy(&v, &f32[i], 4);
        else
            v = (uint32_t)i32[i];
        bad = put_le32(f, v) != 0;
    }
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        unlink(tmp);
        return pk_error_set(err, PK_EIO, path, 0, "npy", "write failed");
    }
    return 0;
}
