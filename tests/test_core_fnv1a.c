/* test_core_fnv1a.c - core/pk_fnv1a against the FNV reference's test
 * vectors (the empty string, "a", "foobar" for FNV-1a 32 and 64, as in the
 * FNV reference code's test suite), and the incremental form: a string
 * hashed in pieces equals the string hashed at once. */
#include <criterion/criterion.h>
#include <string.h>

#include "pk_fnv1a.h"

static const struct {
    const char *s;
    uint32_t h32;
    uint64_t h64;
} known[] = {
    {"", 0x811c9dc5u, 0xcbf29ce484222325ull},
    {"a", 0xe40c292cu, 0xaf63dc4c8601ec8cull},
    {"foobar", 0xbf9cf968u, 0x85944171f73967e8ull},
};

Test(core_fnv1a, reference_vectors)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        const char *s = known[i].s;
        cr_expect_eq(pk_fnv1a32(PK_FNV1A32_INIT, s, strlen(s)), known[i].h32,
                     "FNV-1a 32 of \"%s\"", s);
        cr_expect_eq(pk_fnv1a64(PK_FNV1A64_INIT, s, strlen(s)), known[i].h64,
                     "FNV-1a 64 of \"%s\"", s);
        cr_expect_eq(pk_fnv1a64_str(s), known[i].h64, "pk_fnv1a64_str(\"%s\")", s);
    }
}

Test(core_fnv1a, pieces_equal_the_whole)
{
    const char *s = "ROWS=4/0;COLS=8/0;MODES=6/4;";
    size_t n = strlen(s);
    for (size_t cut = 0; cut <= n; cut++) {
        uint32_t h32 = pk_fnv1a32(pk_fnv1a32(PK_FNV1A32_INIT, s, cut), s + cut, n - cut);
        uint64_t h64 = pk_fnv1a64(pk_fnv1a64(PK_FNV1A64_INIT, s, cut), s + cut, n - cut);
        cr_expect_eq(h32, pk_fnv1a32(PK_FNV1A32_INIT, s, n), "32-bit, cut at %zu", cut);
        cr_expect_eq(h64, pk_fnv1a64_str(s), "64-bit, cut at %zu", cut);
    }
    cr_expect_eq(pk_fnv1a32(123u, NULL, 0), 123u, "no bytes: h unchanged");
}
