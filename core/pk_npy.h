/* pk_npy.h - read NumPy .npy arrays (the parameter-file format of networks).
 *
 * Supported: format versions 1.0, 2.0 and 3.0; dtypes int8, int16, int32
 * and float32, little-endian (or byte-order-free '|i1'); C order; at most
 * PK_NPY_MAX_DIMS dimensions.  Anything else (big-endian, Fortran order,
 * other dtypes, a header that is not the dict numpy writes, a file whose
 * size does not match its shape) is an error that says which.
 *
 * Two steps, so a loader can check a file's shape without reading it:
 * pk_npy_header() parses the header only; pk_npy_read_i32() then reads the
 * data, converting every element to int32 (float32 elements must hold
 * integer values in int32 range: weights and parameters are integer codes).
 *
 * No allocation: the caller owns the output buffer.  Errors are PK_EINPUT
 * with field "npy" and file = the .npy path.
 */
#ifndef PK_NPY_H
#define PK_NPY_H

#include <stdint.h>

#include "pk_error.h"

#define PK_NPY_MAX_DIMS 8
#define PK_NPY_MAX_HEADER 65536

typedef enum pk_npy_dtype {
    PK_NPY_I8 = 0,
    PK_NPY_I16 = 1,
    PK_NPY_I32 = 2,
    PK_NPY_F32 = 3
} pk_npy_dtype_t;

typedef struct pk_npy {
    pk_npy_dtype_t dtype;
    int item_bytes;
    int ndim;                        /* 0 = scalar (count 1) */
    int64_t shape[PK_NPY_MAX_DIMS];
    int64_t count;                   /* product of shape */
    int64_t data_offset;             /* byte offset of the first element */
} pk_npy_t;

/* Parse the header of `path` into *out. */
int pk_npy_header(const char *path, pk_npy_t *out, pk_error_t *err);

/* Read all h->count elements of `path` (whose header is h) into out[0..n),
 * n must equal h->count. */
int pk_npy_read_i32(const char *path, const pk_npy_t *h, int32_t *out, int64_t n,
                    pk_error_t *err);

/* Write n = prod(shape) elements (int32 or float32 per dtype, from i32 or
 * f32, the other NULL) as a version 1.0, little-endian, C-order .npy file.
 * Written to a temporary name beside path and renamed, so a failure leaves
 * no partial file; the file mode follows the umask.  Errors: PK_EIO. */
int pk_npy_write(const char *path, pk_npy_dtype_t dtype, const int64_t *shape, int ndim,
                 const int32_t *i32, const float *f32, pk_error_t *err);

/* Same, as float (integer dtypes converted; float32 elements as they are). */
int pk_npy_read_f32(const char *path, const pk_npy_t *h, float *out, int64_t n, pk_error_t *err);

/* "int8", "int16", "int32", "float32". */
const char *pk_npy_dtype_name(pk_npy_dtype_t t);

#endif
