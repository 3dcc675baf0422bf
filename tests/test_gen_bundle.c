/* test_gen_bundle.c - the bundle of every shipped config: the expected files
 * exist, manifest.json hashes every other file correctly (and nothing else
 * is on disk), two runs are byte-identical, every generated file starts with
 * the generator header, nothing looks like a timestamp, and pike_top.v's
 * parameters are the config's.  The Xilinx synthesis script is Yosys's
 * synth_xilinx in announced stages, without `share` and nothing else left
 * out (checked against the installed Yosys's own script). */
#include <criterion/criterion.h>
#include <regex.h>

#include <jansson.h>

#include "gen/gen_test_util.h"
#include "pk_contract.h"
#include "pk_gen.h"

/* Generate cfgname into dir; returns the loaded config (caller frees). */
static pk_config_t *generate(const char *cfgname, const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/hw_configs/%s", PIKE_SOURCE_ROOT, cfgname);
    pk_config_t *cfg = NULL;
    pk_error_t err = {0};
    cr_assert_eq(pk_config_load(path, &cfg, &err), 0, "%s: %s", path, err.msg);
    pk_bundle_t *b = NULL;
    char msg[2048];
    int rc = pk_gen_bundle(cfg, gt_templates(), &b, &err);
    pk_error_format(&err, msg, sizeof msg);
    cr_assert_eq(rc, 0, "%s: %s", cfgname, msg);
    rc = pk_bundle_write(b, dir, 0, &err);
    pk_error_format(&err, msg, sizeof msg);
    cr_assert_eq(rc, 0, "%s", msg);
    pk_bundle_free(b);
    return cfg;
}

/* Every regular file under root, relative, sorted. */
static size_t list_files(const char *root, const char *rel, char **out, size_t n, size_t max)
{
    char path[1024];
    snprintf(path, sizeof path, "%s%s%s", root, rel[0] ? "/" : "", rel);
    DIR *d = opendir(path);
    cr_assert(d, "%s", path);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char r[1024], full[2048];
        snprintf(r, sizeof r, "%s%s%s", rel, rel[0] ? "/" : "", de->d_name);
        snprintf(full, sizeof full, "%s/%s", root, r);
        struct stat st;
        cr_assert_eq(stat(full, &st), 0);
        if (S_ISDIR(st.st_mode))
            n = list_files(root, r, out, n, max);
        else if (n < max)
            out[n++] = strdup(r);
    }
    closedir(d);
    qsort(out, n, sizeof *out, gt_cmp_str);
    return n;
}

static void check_config(const char *cfgname)
{
    char tmp[512], d1[600], d2[600];
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "genbundle"));
    snprintf(d1, sizeof d1, "%s/one", tmp);
    snprintf(d2, sizeof d2, "%s/two", tmp);
    pk_config_t *cfg = generate(cfgname, d1);
    pk_config_free(generate(cfgname, d2));

    /* expected files by family */
    const char *common[] = {"Makefile", "README.md", "files.f", "manifest.json", "pk_regmap.h",
                            "pike_top.sdc", "synth_generic.ys", "rtl/pike_top.v", "rtl/pk_core.v"};
    const char *ice40[] = {"pike_board.pcf", "synth_ice40.ys"};
    const char *ecp5[] = {"pike_ulx3s.v", "pike_ulx3s.lpf", "synth_ecp5.ys", "ecp5_dsp_map.v"};
    const char *xil[] = {"pike_top.xdc", "synth_xilinx.ys", "vivado.tcl"};
    char p[1024];
    for (size_t i = 0; i < sizeof common / sizeof *common; i++) {
        snprintf(p, sizeof p, "%s/%s", d1, common[i]);
        cr_assert_eq(access(p, R_OK), 0, "%s: missing %s", cfgname, common[i]);
    }
    int fam = cfg->fpga.family;
    for (size_t i = 0; i < 2; i++) {
        snprintf(p, sizeof p, "%s/%s", d1, ice40[i]);
        cr_assert_eq(access(p, R_OK) == 0, fam == PK_FPGA_ICE40, "%s: %s", cfgname, ice40[i]);
    }
    for (size_t i = 0; i < sizeof ecp5 / sizeof *ecp5; i++) {
        snprintf(p, sizeof p, "%s/%s", d1, ecp5[i]);
        cr_assert_eq(access(p, R_OK) == 0, fam == PK_FPGA_ECP5, "%s: %s", cfgname, ecp5[i]);
    }
    /* the board top (pk_board_spi) for the families with place and route; a
     * report script for those whose report needs more than one line */
    snprintf(p, sizeof p, "%s/rtl/pike_board.v", d1);
    cr_assert_eq(access(p, R_OK) == 0, fam == PK_FPGA_ICE40 || fam == PK_FPGA_ECP5, "%s: board",
                 cfgname);
    if (fam == PK_FPGA_ICE40 || fam == PK_FPGA_ECP5) {
        /* the board's core is the generated pike_top (so it repeats none of
         * pk_core's parameters), and pike_board sets only the rows the
         * memory shares with the core */
        snprintf(p, sizeof p, "%s/rtl/pk_board_spi.v", d1);
        char *bt = gt_read(p, NULL);
        cr_assert(bt, "%s: no pk_board_spi.v", cfgname);
        cr_assert(strstr(bt, "pike_top #(") && !strstr(bt, "pk_core #("),
                  "%s: pk_board_spi does not build its core as pike_top", cfgname);
        free(bt);
        snprintf(p, sizeof p, "%s/rtl/pike_board.v", d1);
        bt = gt_read(p, NULL);
        cr_assert(bt);
        cr_assert(strstr(bt, "pk_board_spi #(") && !strstr(bt, "parameter ROWS"),
                  "%s: pike_board does not wrap pk_board_spi with the shared rows only", cfgname);
        free(bt);
    }
    snprintf(p, sizeof p, "%s/report.sh", d1);
    cr_assert_eq(access(p, R_OK) == 0, fam == PK_FPGA_ECP5 || fam == PK_FPGA_XILINX,
                 "%s: report.sh", cfgname);
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", d1, xil[i]);
        cr_assert_eq(access(p, R_OK) == 0, fam == PK_FPGA_XILINX, "%s: %s", cfgname, xil[i]);
    }
    /* only the templates the tops reach are copied: v1's, never the v2
     * engines (pk_*2.v) nor the generated pk_par2.v; the board files only
     * with the board top (that nothing is missing: gen_lint's Verilator) */
    DIR *td = opendir(gt_templates());
    struct dirent *de;
    int ncopied = 0;
    while ((de = readdir(td)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 3 || strcmp(de->d_name + l - 2, ".v"))
            continue;
        snprintf(p, sizeof p, "%s/rtl/%s", d1, de->d_name);
        int in = access(p, R_OK) == 0, v2 = de->d_name[l - 3] == '2';
        int board = !strcmp(de->d_name, "pk_board_spi.v") || !strcmp(de->d_name, "pk_board_io.v") ||
                    !strcmp(de->d_name, "pk_uart_bridge.v");
        ncopied += in;
        if (v2 || (board && fam != PK_FPGA_ICE40 && fam != PK_FPGA_ECP5))
            cr_assert(!in, "%s: template %s is not reached from pike_top, but copied", cfgname,
                      de->d_name);
        if (!strcmp(de->d_name, "pk_core.v") || !strcmp(de->d_name, "pk_sram.v"))
            cr_assert(in, "%s: template %s not in the bundle", cfgname, de->d_name);
    }
    closedir(td);
    cr_assert(ncopied <= 40, "%s: %d templates copied (pikecheck takes 40 RTL files)", cfgname,
              ncopied);

    /* manifest: hashes, and exactly the files on disk */
    snprintf(p, sizeof p, "%s/manifest.json", d1);
    json_error_t je;
    json_t *m = json_load_file(p, 0, &je);
    cr_assert(m, "manifest.json: %s", je.text);
    json_t *files = json_object_get(m, "files");
    cr_assert(json_is_object(files));
    /* the v2 rows beside v1's in the manifest's contract, and the generated
     * parameter registers */
    json_t *ct = json_object_get(m, "contract");
    size_t n2f;
    const pk_desc_field_t *f2r = pk_contract_desc2_fields(&n2f);
    json_t *f2 = json_object_get(json_object_get(ct, "descriptor2_fields"), f2r[n2f - 1].name);
    cr_assert_eq(json_integer_value(json_object_get(f2, "word")), f2r[n2f - 1].word);
    cr_assert_eq(json_object_size(json_object_get(ct, "descriptor2_fields")), n2f);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(ct, "constants"),
                                                    "desc2_load_words")),
                 pk_contract_desc2_load_words());
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(ct, "constants"),
                                                    "desc2_bytes")),
                 PK_DESC2_BYTES);
    snprintf(p, sizeof p, "%s/rtl/pk_par2.v", d1);
    cr_assert_neq(access(p, R_OK), 0, "%s: rtl/pk_par2.v in a v1 bundle", cfgname);
    char *on_disk[256], *on_disk2[256];
    size_t n = list_files(d1, "", on_disk, 0, 256), n2 = list_files(d2, "", on_disk2, 0, 256);
    cr_assert_eq(n, json_object_size(files) + 1, "%zu files on disk, %zu in the manifest", n,
                 json_object_size(files));
    cr_assert_eq(n, n2);
    regex_t ts;
    cr_assert_eq(regcomp(&ts,
                         "[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}:[0-9]{2}:[0-9]{2}|"
                         "(Mon|Tue|Wed|Thu|Fri|Sat|Sun),? +(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|"
                         "Oct|Nov|Dec)",
                         REG_EXTENDED | REG_NOSUB),
                 0);
    char hdr[128];
    snprintf(hdr, sizeof hdr, "Generated by pikegen %s from config \"%s\"", pk_gen_version(),
             cfg->name);
    for (size_t i = 0; i < n; i++) {
        cr_assert_str_eq(on_disk[i], on_disk2[i]);
        char a[1024], b[1024];
        size_t la = 0, lb = 0;
        snprintf(a, sizeof a, "%s/%s", d1, on_disk[i]);
        snprintf(b, sizeof b, "%s/%s", d2, on_disk[i]);
        char *ta = gt_read(a, &la), *tb = gt_read(b, &lb);
        cr_assert(ta && tb);
        cr_assert(la == lb && !memcmp(ta, tb, la), "%s differs between two runs", on_disk[i]);
        cr_assert_eq(regexec(&ts, ta, 0, NULL, 0), REG_NOMATCH,
                     "%s has a timestamp-looking string", on_disk[i]);
        if (strcmp(on_disk[i], "manifest.json")) {
            const char *want = json_string_value(json_object_get(files, on_disk[i]));
            cr_assert(want, "%s is not in the manifest", on_disk[i]);
            char hex[65];
            pk_sha256_hex(ta, la, hex);
            cr_assert_str_eq(hex, want, "%s: hash mismatch", on_disk[i]);
            /* the header comes first: within the first 3 lines */
            const char *h = strstr(ta, hdr);
            int line = 1;
            for (const char *q = ta; h && q < h; q++)
                line += *q == '\n';
            cr_assert(h && line <= 3, "%s: no generator header at the top", on_disk[i]);
        }
        free(ta);
        free(tb);
        free(on_disk[i]);
        free(on_disk2[i]);
    }
    regfree(&ts);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(m, "generator"), "version")),
                     pk_gen_version());

    /* pike_top.v parameters = the config's table = the manifest's */
    snprintf(p, sizeof p, "%s/rtl/pike_top.v", d1);
    char *top = gt_read(p, NULL);
    pk_gparam_t params[PK_GEN_MAX_PARAMS];
    size_t np = pk_gen_params(cfg, params);
    json_t *mp = json_object_get(m, "rtl_parameters");
    for (size_t i = 0; i < np; i++) {
        char pat[128], lit[64];
        pk_gen_param_literal(&params[i], lit, sizeof lit);
        snprintf(pat, sizeof pat, "parameter %s", params[i].name);
        const char *q = strstr(top, pat);
        cr_assert(q, "pike_top.v lacks parameter %s", params[i].name);
        q = strchr(q, '=');
        while (*++q == ' ')
            ;
        cr_assert(!strncmp(q, lit, strlen(lit)) && (q[strlen(lit)] == ',' || q[strlen(lit)] == ' '),
                  "%s: pike_top.v has '%.20s', config gives %s", params[i].name, q, lit);
        cr_assert_eq(json_integer_value(json_object_get(mp, params[i].name)), params[i].value);
        snprintf(pat, sizeof pat, ".%s(%s)", params[i].name, params[i].name);
        cr_assert(strstr(top, pat), "pike_top.v does not pass %s to pk_core", params[i].name);
    }
    free(top);
    json_decref(m);
    pk_config_free(cfg);
    gt_rm_tree(tmp);
}

Test(gen_bundle, every_shipped_config)
{
    char names[16][64];
    size_t n = gt_shipped(names, 16);
    cr_assert_geq(n, 3, "expected the shipped configs in hw_configs/");
    for (size_t i = 0; i < n; i++) {
        cr_log_info("bundle: %s", names[i]);
        check_config(names[i]);
    }
}

/* The lines of text after the line equal to start, up to the next line
 * that does not begin with indent spaces, each stripped of them, joined
 * with '\n' into out. */
static void section(const char *text, const char *start, int indent, char *out, size_t len)
{
    const char *p = strstr(text, start);
    cr_assert(p, "no '%s'", start);
    p = strchr(p + strlen(start), '\n');
    size_t n = 0;
    out[0] = '\0';
    while (p && p[1]) {
        p++;
        int sp = 0;
        while (p[sp] == ' ')
            sp++;
        size_t l = strcspn(p, "\n");
        if (l == 0)
            break;
        if (sp < indent)
            break;
        n += (size_t)snprintf(out + n, len - n, "%.*s\n", (int)(l - (size_t)sp), p + sp);
        cr_assert_lt(n, len);
        p += l;
    }
}

/* edge.yaml's synth_xilinx.ys: steps announced [1/n]..[n/n] in order; the
 * synth_xilinx -run stages and Pike's own steps cover synth_xilinx's script
 * of the installed Yosys with nothing left out but `share` (coarse step,
 * taken from `yosys -h synth_xilinx`) and with Pike's multi-port memory
 * rule before memory_libmap.  Fails if a Yosys version adds a command to
 * its coarse step that this script would skip. */
Test(gen_bundle, xilinx_script_is_synth_xilinx_without_share)
{
    char tmp[512], d[600], p[700], log[700];
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "genxil"));
    snprintf(d, sizeof d, "%s/b", tmp);
    pk_config_free(generate("edge.yaml", d));
    snprintf(p, sizeof p, "%s/synth_xilinx.ys", d);
    char *ys = gt_read(p, NULL);
    cr_assert(ys);

    /* announced steps, numbered in order */
    int n = 0, total = 0, i, t;
    for (const char *q = ys; (q = strstr(q, "pike: synth-xilinx [")) != NULL; q++) {
        cr_assert_eq(sscanf(q, "pike: synth-xilinx [%d/%d]", &i, &t), 2);
        cr_assert_eq(i, ++n, "step %d announced as [%d/%d]", n, i, t);
        cr_assert(total == 0 || t == total);
        total = t;
    }
    cr_assert(n >= 5 && n == total, "%d steps announced of %d", n, total);

    /* the run stages chain begin:map_dsp, map_dsp:coarse, then Pike's
     * coarse step, then map_memory:fine, fine:map_luts, map_luts:edif */
    const char *runs[] = {"-run begin:map_dsp\n", "-run map_dsp:coarse\n",
                          "-run map_memory:fine\n", "-run fine:map_luts\n",
                          "-run map_luts:edif\n"};
    const char *last = ys;
    for (size_t k = 0; k < sizeof runs / sizeof *runs; k++) {
        const char *q = strstr(ys, runs[k]);
        cr_assert(q && q > last, "synth_xilinx %s missing or out of order", runs[k]);
        last = q;
    }
    cr_assert(!strstr(ys, "-run coarse:"), "synth_xilinx's own coarse step runs share");
    cr_assert(!strstr(ys, "\nshare"), "the script runs share");

    /* Pike's coarse step = Yosys's coarse label without share */
    snprintf(log, sizeof log, "%s/help.txt", tmp);
    cr_assert_eq(gt_run("yosys -h synth_xilinx", log), 0);
    char *help = gt_read(log, NULL), want[2048], got[2048];
    section(help, "\n    coarse:", 8, want, sizeof want);
    cr_assert(strstr(want, "share\n"), "Yosys's coarse step has no share:\n%s", want);
    /* drop share, and pick the LUT width of a 6-input family */
    char *s = strstr(want, "share\n");
    memmove(s, s + 6, strlen(s + 6) + 1);
    for (char *w; (w = strstr(want, "[46]")) != NULL;)
        memmove(w, w + 3, strlen(w + 3) + 1), w[0] = '6';
    const char *q = strstr(ys, "-run map_dsp:coarse\n");
    q = strchr(strstr(q, "pike: synth-xilinx ["), '\n') + 1;
    size_t gl = 0;
    while (strncmp(q, "log -stderr", 11)) {
        size_t l = strcspn(q, "\n");
        gl += (size_t)snprintf(got + gl, sizeof got - gl, "%.*s\n", (int)l, q);
        q += l + 1;
    }
    cr_assert_str_eq(got, want, "Pike's coarse step:\n%s\nYosys's without share:\n%s", got, want);
    /* the multi-port rule comes between the coarse step and memory_libmap */
    const char *mm = strstr(ys, "\nmemory_map r:WR_PORTS>1 r:RD_PORTS>4\n");
    cr_assert(mm && mm > q - 1 && mm < strstr(ys, "-run map_memory:fine"));
    free(help);
    free(ys);
    gt_rm_tree(tmp);
}
