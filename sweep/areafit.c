/* pikesweep-areafit - fit the area model (pk_area.h) to Yosys results.
 *
 *   pikesweep-areafit [--arch v1|v2] DATA.csv > sweep/pk_area_coef_ARCH.h   (report on stderr)
 *
 * --arch (default v2, as every Pike tool) names the RTL the data was
 * synthesized from (benches/area_gather.sh --arch: benches/area/data.csv is
 * v1's, data_v2.csv v2's); the features are the arch's (pk_area_features) and
 * the header written is that arch's coefficient set, PK_AREA_COEF_V1 or _V2.
 * DATA.csv is benches/area_gather.sh's output, columns by their header name:
 * name, rows, cols, lanes, wbits, abits, pplanes, acts, cells, and optionally
 * acc_bits.  Rows whose name starts with 't' are the training set (least
 * squares on pk_area_features with non-negative costs, columns scaled to unit
 * maximum, normal equations solved by Gaussian elimination with partial
 * pivoting); every other row is held out and only scored.  The report gives
 * every row's estimate and relative error, and the median and maximum
 * absolute error of each set.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_arch.h"
#include "pk_area.h"

#define MAX_ROWS 512
#define NF PK_AREA_NFEAT

typedef struct sample {
    char name[64];
    pk_area_in_t in;
    double cells;
} sample_t;

static unsigned width_mask(const char *list)
{
    unsigned m = 0;
    for (const char *c = list; *c; c++)
        if (*c >= '1' && *c <= '8' && (c[1] == ',' || c[1] == 0))
            m |= 1u << (*c == '1' ? 0 : *c == '2' ? 1 : *c == '4' ? 2 : 3);
    return m;
}

static int max_width(unsigned m) { return m & 8 ? 8 : m & 4 ? 4 : m & 2 ? 2 : 1; }

/* Split one CSV line into fields (quotes removed); returns the field count. */
static int split(char *line, char **f, int max)
{
    int n = 0;
    char *c = line;
    while (*c && n < max) {
        int q = *c == '"';
        f[n++] = c += q;
        c += strcspn(c, q ? "\"" : ",\n");
        if (q && *c)
            *c++ = 0;
        if (*c == ',' || *c == '\n')
            *c++ = 0;
    }
    return n;
}

/* Column of each field in the header (-1 if absent; acc_bits is optional). */
enum { C_NAME, C_ROWS, C_COLS, C_LANES, C_WBITS, C_ABITS, C_PPL, C_ACTS, C_ACC, C_CELLS, C_N };
static const char *const COLS[C_N] = { "name", "rows", "cols", "lanes", "wbits",
                                       "abits", "pplanes", "acts", "acc_bits", "cells" };

static int header(char *line, int col[C_N])
{
    char *f[32];
    int n = split(line, f, 32);
    for (int c = 0; c < C_N; c++) {
        col[c] = -1;
        for (int i = 0; i < n; i++)
            if (!strcmp(f[i], COLS[c]))
                col[c] = i;
        if (col[c] < 0 && c != C_ACC)
            return -1;
    }
    return 0;
}

static void sample(char **f, const int col[C_N], int arch, sample_t *x)
{
    x->in.arch = arch;
    snprintf(x->name, sizeof x->name, "%s", f[col[C_NAME]]);
    x->in.rows = atoi(f[col[C_ROWS]]);
    x->in.cols = atoi(f[col[C_COLS]]);
    x->in.lanes = atoi(f[col[C_LANES]]);
    x->in.wmask = width_mask(f[col[C_WBITS]]);
    x->in.amask = width_mask(f[col[C_ABITS]]);
    x->in.pplanes = atoi(f[col[C_PPL]]);
    x->in.prelu = strstr(f[col[C_ACTS]], "prelu") != NULL;
    /* without the column: area_gather.sh's rule, max widths + log2(4096) */
    x->in.acc_bits = col[C_ACC] >= 0 ? atoi(f[col[C_ACC]])
                                     : max_width(x->in.wmask) + max_width(x->in.amask) + 12;
    x->cells = atof(f[col[C_CELLS]]);
}

static int read_samples(const char *path, int arch, sample_t *s, int *n)
{
    FILE *fp = fopen(path, "r");
    char line[1024];
    int col[C_N];
    if (!fp || !fgets(line, sizeof line, fp) || header(line, col)) {
        fprintf(stderr, "pikesweep-areafit: %s: cannot read, or a column is missing\n", path);
        if (fp)
            fclose(fp);
        return -1;
    }
    *n = 0;
    while (*n < MAX_ROWS && fgets(line, sizeof line, fp)) {
        char *f[32];
        int nf = split(line, f, 32), need = 0;
        for (int c = 0; c < C_N; c++)
            need = col[c] >= need ? col[c] + 1 : need;
        if (line[0] == '#' || nf < need)
            continue;
        sample(f, col, arch, &s[(*n)++]);
    }
    fclose(fp);
    return 0;
}

/* Solve A x = b (n x n, in place); -1 if singular. */
static int solve(double A[NF][NF], double *b, double *x, int n)
{
    for (int c = 0; c < n; c++) {
        int p = c;
        for (int r = c + 1; r < n; r++)
            if (fabs(A[r][c]) > fabs(A[p][c]))
                p = r;
        if (fabs(A[p][c]) < 1e-12)
            return -1;
        for (int k = 0; k < n; k++) {
            double t = A[c][k];
            A[c][k] = A[p][k];
            A[p][k] = t;
        }
        double t = b[c];
        b[c] = b[p];
        b[p] = t;
        for (int r = c + 1; r < n; r++) {
            double m = A[r][c] / A[c][c];
            for (int k = c; k < n; k++)
                A[r][k] -= m * A[c][k];
            b[r] -= m * b[c];
        }
    }
    for (int r = n - 1; r >= 0; r--) {
        double s = b[r];
        for (int k = r + 1; k < n; k++)
            s -= A[r][k] * x[k];
        x[r] = s / A[r][r];
    }
    return 0;
}

/* Least squares with the features in `off` left out (coefficient 0). */
static int fit_subset(const sample_t *s, int n, const int off[NF], double coef[NF])
{
    double scale[NF] = { 0 }, A[NF][NF] = { { 0 } }, b[NF] = { 0 }, f[NF];
    for (int i = 0; i < n; i++) {
        if (s[i].name[0] != 't')
            continue;
        pk_area_features(&s[i].in, f);
        for (int k = 0; k < NF; k++)
            scale[k] = fmax(scale[k], fabs(f[k]));
    }
    for (int i = 0; i < n; i++) {
        if (s[i].name[0] != 't')
            continue;
        pk_area_features(&s[i].in, f);
        for (int k = 0; k < NF; k++)
            f[k] /= scale[k] ? scale[k] : 1;
        for (int r = 0; r < NF; r++) {
            b[r] += f[r] * s[i].cells;
            for (int c = 0; c < NF; c++)
                A[r][c] += f[r] * f[c];
        }
    }
    /* a feature left out, or 0 on every training config (not determined), gets
     * coefficient 0; the others are fitted without it */
    for (int k = 0; k < NF; k++)
        if (!scale[k] || off[k]) {
            for (int c = 0; c < NF; c++)
                A[k][c] = A[c][k] = 0;
            A[k][k] = 1;
            b[k] = 0;
        }
    if (solve(A, b, coef, NF))
        return -1;
    for (int k = 0; k < NF; k++)
        coef[k] /= scale[k] ? scale[k] : 1;
    return 0;
}

/* Every cost is non-negative: while the fit gives a feature (other than the
 * constant) a negative coefficient - collinear features trading off - leave
 * out the most negative one and fit again (a simple active-set NNLS). */
static int fit(const sample_t *s, int n, double coef[NF])
{
    int off[NF] = { 0 };
    for (;;) {
        if (fit_subset(s, n, off, coef))
            return -1;
        int worst = 0;
        for (int k = 1; k < NF; k++)
            if (coef[k] < 0 && (!worst || coef[k] < coef[worst]))
                worst = k;
        if (!worst)
            break;
        off[worst] = 1;
        fprintf(stderr, "pikesweep-areafit: f%d left out (its fitted cost was negative)\n", worst);
    }
    for (int k = 0; k < NF; k++)
        if (coef[k] == 0)
            fprintf(stderr, "pikesweep-areafit: f%d has coefficient 0\n", k);
    return 0;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const sample_t *s, int n, const double coef[NF])
{
    double err[2][MAX_ROWS];
    int m[2] = { 0, 0 };
    fprintf(stderr, "| config | set | Yosys cells | estimate | error |\n|---|---|---|---|---|\n");
    for (int i = 0; i < n; i++) {
        double f[NF], est = 0;
        pk_area_features(&s[i].in, f);
        for (int k = 0; k < NF; k++)
            est += coef[k] * f[k];
        double e = (est - s[i].cells) / s[i].cells;
        int set = s[i].name[0] == 't' ? 0 : 1;
        err[set][m[set]++] = fabs(e);
        fprintf(stderr, "| %s | %s | %.0f | %.0f | %+.1f%% |\n", s[i].name,
                set ? "held out" : "training", s[i].cells, est, 100 * e);
    }
    for (int set = 0; set < 2; set++) {
        if (!m[set])
            continue;
        qsort(err[set], (size_t)m[set], sizeof(double), cmp_d);
        double med = m[set] % 2 ? err[set][m[set] / 2]
                                : (err[set][m[set] / 2 - 1] + err[set][m[set] / 2]) / 2;
        fprintf(stderr, "%s: %d configs, median |error| %.1f%%, max %.1f%%\n",
                set ? "held out" : "training", m[set], 100 * med, 100 * err[set][m[set] - 1]);
    }
}

int main(int argc, char **argv)
{
    static sample_t s[MAX_ROWS];
    int n, arch = 2;
    double coef[NF];
    if (argc == 4 && !strcmp(argv[1], "--arch")) {
        if (!(arch = pk_arch_parse(argv[2]))) {
            fprintf(stderr, "pikesweep-areafit: --arch: '%s': must be v1 or v2\n", argv[2]);
            return 2;
        }
        argv += 2;
        argc -= 2;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: pikesweep-areafit [--arch v1|v2] DATA.csv > pk_area_coef_ARCH.h\n");
        return 2;
    }
    if (read_samples(argv[1], arch, s, &n))
        return 2;
    if (fit(s, n, coef)) {
        fprintf(stderr, "pikesweep-areafit: %s: the training set does not determine the %d "
                        "coefficients (too few or collinear configs)\n", argv[1], NF);
        return 1;
    }
    report(s, n, coef);
    const char *base = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
    printf("/* pk_area_coef_v%d.h - written by pikesweep-areafit --arch v%d from benches/area/%s\n"
           " * (benches/area_gather.sh); do not edit, refit (docs/SWEEP.md, \"Area model\"). */\n"
           "#ifndef PK_AREA_COEF_V%d_H\n#define PK_AREA_COEF_V%d_H\n"
           "static const double PK_AREA_COEF_V%d[%d] = {", arch, arch, base, arch, arch, arch, NF);
    for (int k = 0; k < NF; k++)
        printf("%s%.17g", k ? ", " : " ", coef[k]);
    printf(" };\n#endif\n");
    return 0;
}
