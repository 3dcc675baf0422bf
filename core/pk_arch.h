/* pk_arch.h - the --arch value every Pike tool takes: "v2" (the default:
 * pk_core2, docs/ARCHITECTURE.md) or "v1" (pk_core, docs/ARCHITECTURE_V1.md),
 * as the integer the libraries use (pk_sim_opts_t.arch, pk_gen_bundle_arch,
 * pk_check_opts_t.arch): 2 or 1.  One parser, so every tool accepts and
 * names the same values. */
#ifndef PK_ARCH_H
#define PK_ARCH_H

#include <string.h>

#define PK_ARCH_DEFAULT 2

/* 1 for "v1", 2 for "v2", 0 for anything else (the caller's error). */
static inline int pk_arch_parse(const char *s)
{
    return !strcmp(s, "v1") ? 1 : !strcmp(s, "v2") ? 2 : 0;
}

/* "v1" for 1, "v2" otherwise. */
static inline const char *pk_arch_name(int arch)
{
    return arch == 1 ? "v1" : "v2";
}

#endif
