/* main.c - the pikegen command line.
 *
 *   pikegen --config FILE [--out DIR] [--force] [--templates DIR] [--arch v1|v2]
 *   pikegen --contract-header DIR
 *
 * --arch defaults to v2 (pike_top wraps pk_core2); --arch v1 gives pk_core.
 * Loads and validates the config (core/pk_config), generates the whole
 * bundle in memory (pk_gen_bundle) and writes it atomically
 * (pk_bundle_write).  Every failure is reported as one line and only here
 * does the program exit: status 2 for bad input (flags, config, an existing
 * output directory without --force), 1 for I/O or internal errors.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "pk_arch.h"
#include "pk_config.h"
#include "pk_gen.h"

static const char usage[] =
    "usage: pikegen --config FILE [--out DIR] [--force] [--templates DIR] [--arch v1|v2]\n"
    "       pikegen --contract-header DIR\n"
    "  --config FILE     hardware config (YAML, see docs/CONFIG.md)\n"
    "  --out DIR         bundle directory (default: out/<config name>)\n"
    "  --force           replace DIR if it exists\n"
    "  --templates DIR   RTL templates (default: $PIKE_ROOT/rtl_templates or the source tree)\n"
    "  --arch v1|v2      v2 (default): pike_top wraps pk_core2 (docs/ARCHITECTURE.md;\n"
    "                    board top pk_board2 on iCE40 / ECP5); v1: pk_core (pk_board_spi)\n"
    "  --contract-header DIR  only write DIR/pk_contract.vh and DIR/pk_regmap.h, the\n"
    "                    RTL/model contract without a config (DIR is replaced)\n"
    "  --help, --version\n";

#define ALLOWED                                                                                    \
    "allowed: --config FILE, --out DIR, --force, --templates DIR, --arch v1|v2, "                  \
    "--contract-header DIR, --help, --version"

static int fail(const pk_error_t *err)
{
    char buf[2048];
    pk_error_format(err, buf, sizeof buf);
    fprintf(stderr, "%s%s\n", err->file[0] ? "" : "pikegen: ", buf);
    return pk_error_exit_status(err->code);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, 0, 'c'}, {"out", required_argument, 0, 'o'},
        {"force", no_argument, 0, 'f'},        {"templates", required_argument, 0, 't'},
        {"contract-header", required_argument, 0, 'H'}, {"arch", required_argument, 0, 'a'},
        {"help", no_argument, 0, 'h'},         {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0},
    };
    const char *config = NULL, *out = NULL, *templates = NULL, *contract = NULL, *arch_s = NULL;
    int force = 0, c, arch = 2; /* --arch v2 is the default */
    pk_error_t err = {0};
    opterr = 0; /* we print one message of our own */
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case 'o': out = optarg; break;
        case 'f': force = 1; break;
        case 't': templates = optarg; break;
        case 'H': contract = optarg; break;
        case 'a':
            arch_s = optarg;
            if (!(arch = pk_arch_parse(optarg))) {
                pk_error_set(&err, PK_EINPUT, "", 0, "--arch", "'%s': must be v1 or v2", optarg);
                return fail(&err);
            }
            break;
        case 'h': fputs(usage, stdout); return 0;
        case 'V': printf("pikegen %s\n", pk_gen_version()); return 0;
        case ':':
            pk_error_set(&err, PK_EINPUT, "", 0, argv[optind - 1], "needs a value; %s", ALLOWED);
            return fail(&err);
        default:
            pk_error_set(&err, PK_EINPUT, "", 0, argv[optind - 1], "unknown option; %s",
                         ALLOWED);
            return fail(&err);
        }
    }
    if (optind < argc) {
        pk_error_set(&err, PK_EINPUT, "", 0, argv[optind],
                     "unexpected argument; options only: %s", ALLOWED);
        return fail(&err);
    }
    if (contract) {
        if (!*contract || config || out || templates || force || arch_s) {
            pk_error_set(&err, PK_EINPUT, "", 0, "--contract-header",
                         !*contract ? "empty; give a directory"
                                    : "takes no other option (it writes no bundle)");
            return fail(&err);
        }
        if (pk_gen_contract_headers(contract, &err))
            return fail(&err);
        printf("pikegen: wrote the contract headers to %s\n", contract);
        return 0;
    }
    if (!config) {
        pk_error_set(&err, PK_EINPUT, "", 0, "--config",
                     "missing; give the hardware config, e.g. --config hw_configs/edge.yaml");
        return fail(&err);
    }
    if (out && !*out) {
        pk_error_set(&err, PK_EINPUT, "", 0, "--out", "empty; give a directory");
        return fail(&err);
    }

    pk_config_t *cfg = NULL;
    if (pk_config_load(config, &cfg, &err))
        return fail(&err);
    char tdir[4096], odir[4096];
    if (!templates)
        templates = pk_gen_default_templates(tdir, sizeof tdir);
    if (!out) {
        snprintf(odir, sizeof odir, "out/%s", cfg->name);
        out = odir;
    }
    pk_bundle_t *b = NULL;
    int rc = pk_gen_bundle_arch(cfg, templates, arch, &b, &err);
    if (!rc)
        rc = pk_bundle_write(b, out, force, &err);
    if (!rc)
        printf("pikegen: wrote %zu files to %s (config %s%s)\n", pk_bundle_count(b), out,
               cfg->name, arch == 2 ? ", arch v2" : ", arch v1");
    pk_bundle_free(b);
    pk_config_free(cfg);
    return rc ? fail(&err) : 0;
}
