/* test_gen_cli.c - the pikegen command line: bad flags, a missing --config,
 * bad config files, an existing output directory and a board port without
 * a pin (naming the arch's board top) each give exit status 2
 * and exactly one message line (FILE:LINE: FIELD: ... for config errors),
 * and leave no output directory (nor DIR.tmp-*) behind; --force replaces. */
#include <criterion/criterion.h>
#include <regex.h>

#include "gen/gen_test_util.h"

typedef struct {
    int status;
    char *out, *err;
} run_t;

static run_t pikegen(const char *tmp, const char *args)
{
    char cmd[4096], o[700], e[700];
    snprintf(o, sizeof o, "%s/stdout.txt", tmp);
    snprintf(e, sizeof e, "%s/stderr.txt", tmp);
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s >'%s' 2>'%s'", tmp, GT_PIKEGEN, args, o, e);
    int st = system(cmd);
    run_t r = {WIFEXITED(st) ? WEXITSTATUS(st) : -1, gt_read(o, NULL), gt_read(e, NULL)};
    remove(o);
    remove(e);
    return r;
}

static int lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Nothing but the files we put there (names given) is in dir. */
static void assert_only(const char *dir, const char *const *keep, size_t nkeep)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        int ok = 0;
        for (size_t i = 0; i < nkeep; i++)
            ok |= !strcmp(de->d_name, keep[i]);
        cr_assert(ok, "'%s' was left in %s", de->d_name, dir);
    }
    closedir(d);
}

static void expect_usage_error(const char *args, const char *mention)
{
    char tmp[512];
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "gencli"));
    run_t r = pikegen(tmp, args);
    cr_assert_eq(r.status, 2, "pikegen %s: exit %d, stderr: %s", args, r.status, r.err);
    cr_assert_eq(lines(r.err), 1, "pikegen %s: not one line: '%s'", args, r.err);
    cr_assert(strstr(r.err, mention), "pikegen %s: '%s' does not mention %s", args, r.err,
              mention);
    cr_assert_str_eq(r.out, "");
    assert_only(tmp, NULL, 0);
    free(r.out);
    free(r.err);
    gt_rm_tree(tmp);
}

Test(gen_cli, bad_flags)
{
    expect_usage_error("--bogus", "--bogus");
    expect_usage_error("--config", "--config");
    expect_usage_error("-x --config x.yaml", "-x");
    expect_usage_error("--config a.yaml stray", "stray");
    expect_usage_error("--out out", "--config");
    expect_usage_error("", "--config");
    expect_usage_error("--config a.yaml --out ''", "--out");
}

Test(gen_cli, help_and_version)
{
    char tmp[512];
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "gencli"));
    run_t r = pikegen(tmp, "--help");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "--config FILE"));
    free(r.out);
    free(r.err);
    r = pikegen(tmp, "--version");
    cr_assert_eq(r.status, 0);
    cr_assert(!strncmp(r.out, "pikegen ", 8), "%s", r.out);
    free(r.out);
    free(r.err);
    gt_rm_tree(tmp);
}

/* A valid config (ice40.yaml) with one line replaced. */
static void bad_config(const char *find, const char *repl, const char *field, int line)
{
    char tmp[512], cfg[600], args[1400];
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "gencli"));
    char *good = gt_read(PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml", NULL);
    const char *at = strstr(good, find);
    cr_assert(at, "ice40.yaml has no '%s'", find);
    char text[8192];
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - good), good, repl, at + strlen(find));
    snprintf(cfg, sizeof cfg, "%s/bad.yaml", tmp);
    gt_write(cfg, text);
    free(good);
    snprintf(args, sizeof args, "--config bad.yaml --out out/x");
    run_t r = pikegen(tmp, args);
    cr_assert_eq(r.status, 2, "%s -> %s: exit %d (%s)", find, repl, r.status, r.err);
    cr_assert_eq(lines(r.err), 1, "not one line: '%s'", r.err);
    char want[256];
    if (line > 0)
        snprintf(want, sizeof want, "bad.yaml:%d: %s: ", line, field);
    else
        snprintf(want, sizeof want, "bad.yaml:");
    cr_assert(!strncmp(r.err, want, strlen(want)), "got '%s', want prefix '%s'", r.err, want);
    regex_t re;
    regcomp(&re, "^[^:]+:[0-9]+: [^:]+: .+", REG_EXTENDED | REG_NOSUB);
    cr_assert_eq(regexec(&re, r.err, 0, NULL, 0), 0, "'%s' is not FILE:LINE: FIELD: message",
                 r.err);
    regfree(&re);
    const char *keep[] = {"bad.yaml"};
    assert_only(tmp, keep, 1);
    free(r.out);
    free(r.err);
    gt_rm_tree(tmp);
}

static int line_of(const char *find)
{
    char *good = gt_read(PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml", NULL);
    const char *at = strstr(good, find);
    int line = 1;
    for (const char *q = good; q < at; q++)
        line += *q == '\n';
    free(good);
    return line;
}

Test(gen_cli, bad_configs)
{
    bad_config("rows: 1", "rows: 0", "array.rows", line_of("rows: 1"));
    bad_config("lanes: 8", "lanes: 7", "array.lanes", line_of("lanes: 8"));
    bad_config("weight_bits: [2, 4]", "weight_bits: [2, 3]", "precision.weight_bits[1]",
               line_of("weight_bits: [2, 4]"));
    bad_config("acc_bits: 20", "acc_bits: 12", "precision.acc_bits", line_of("acc_bits: 20"));
    bad_config("bytes_per_cycle: 2", "bytes_per_cycle: 3", "offchip.bytes_per_cycle",
               line_of("bytes_per_cycle: 2"));
    bad_config("package: sg48", "package: tq144", "fpga.package", line_of("package: sg48"));
}

Test(gen_cli, missing_config_file)
{
    char tmp[512];
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "gencli"));
    run_t r = pikegen(tmp, "--config nope.yaml");
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert_eq(lines(r.err), 1, "%s", r.err);
    cr_assert(!strncmp(r.err, "nope.yaml", 9), "%s", r.err);
    assert_only(tmp, NULL, 0);
    free(r.out);
    free(r.err);
    gt_rm_tree(tmp);
}

static void list_tree(const char *dir, char *out, size_t len)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cd '%s' && find . | sort && cat marker", dir);
    FILE *p = popen(cmd, "r");
    size_t n = fread(out, 1, len - 1, p);
    out[n] = '\0';
    pclose(p);
}

Test(gen_cli, existing_dir_needs_force, .timeout = 60)
{
    char tmp[512], dir[600], marker[700], args[1600];
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "gencli"));
    snprintf(dir, sizeof dir, "%s/bundle", tmp);
    mkdir(dir, 0777);
    snprintf(marker, sizeof marker, "%s/marker", dir);
    gt_write(marker, "old bundle\n");
    char before[4096], after[4096];
    list_tree(dir, before, sizeof before);

    snprintf(args, sizeof args, "--config '%s/hw_configs/ice40.yaml' --out bundle --templates '%s'",
             PIKE_SOURCE_ROOT, gt_templates());
    run_t r = pikegen(tmp, args);
    cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    cr_assert_eq(lines(r.err), 1, "%s", r.err);
    cr_assert(strstr(r.err, "--force"), "%s", r.err);
    list_tree(dir, after, sizeof after);
    cr_assert_str_eq(before, after, "the existing directory was modified");
    const char *keep[] = {"bundle"};
    assert_only(tmp, keep, 1);
    free(r.out);
    free(r.err);

    strcat(args, " --force");
    r = pikegen(tmp, args);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_assert_eq(access(marker, F_OK), -1, "old content survived --force");
    char mf[700];
    snprintf(mf, sizeof mf, "%s/manifest.json", dir);
    cr_assert_eq(access(mf, R_OK), 0);
    assert_only(tmp, keep, 1);
    free(r.out);
    free(r.err);

    /* default output directory: out/<name> relative to the working directory */
    snprintf(args, sizeof args, "--config '%s/hw_configs/ice40.yaml' --templates '%s'",
             PIKE_SOURCE_ROOT, gt_templates());
    r = pikegen(tmp, args);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    snprintf(mf, sizeof mf, "%s/out/ice40/manifest.json", tmp);
    cr_assert_eq(access(mf, R_OK), 0, "default --out is not out/<name>");
    free(r.out);
    free(r.err);
    gt_rm_tree(tmp);
}

Test(gen_cli, template_problem_leaves_nothing)
{
    char tmp[512], args[1600];
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "gencli"));
    snprintf(args, sizeof args,
             "--config '%s/hw_configs/edge.yaml' --out sub/bundle --templates '%s/none'",
             PIKE_SOURCE_ROOT, tmp);
    run_t r = pikegen(tmp, args);
    cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    cr_assert_eq(lines(r.err), 1, "%s", r.err);
    assert_only(tmp, NULL, 0);
    free(r.out);
    free(r.err);
    gt_rm_tree(tmp);
}

/* A board top port no pin rule takes (here `btn`, added to copies of both
 * board templates): the constraint writer of the family refuses it in one
 * line that names the board top this arch emits (pk_board_spi for v1,
 * pk_board2 for v2) and its template, and leaves no bundle. */
Test(gen_cli, board_pin_error_names_the_board_top, .timeout = 60)
{
    char tmp[512], cmd[2400];
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "gencli"));
    snprintf(cmd, sizeof cmd,
             "cp -r '%s' '%s/t' && cd '%s/t' && sed -i 's/^    input  wire clk,$/&\\n    input  "
             "wire btn,/' pk_board_spi.v pk_board2.v && test $(grep -c 'wire btn,' pk_board_spi.v "
             "pk_board2.v | grep -c ':1$') = 2",
             gt_templates(), tmp, tmp);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    static const struct {
        const char *config, *arch, *top, *where;
    } cases[] = {
        {"ice40.yaml", "v1", "pk_board_spi", "the iCE40 board (gen/pk_genflow.c"},
        {"ice40.yaml", "v2", "pk_board2", "the iCE40 board (gen/pk_genflow.c"},
        {"ecp5.yaml", "v1", "pk_board_spi", "the ULX3S (gen/pk_genecp5.c"},
        {"ecp5.yaml", "v2", "pk_board2", "the ULX3S (gen/pk_genecp5.c"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[1600], want[1200];
        snprintf(args, sizeof args,
                 "--config '%s/hw_configs/%s' --arch %s --out bundle --templates '%s/t'",
                 PIKE_SOURCE_ROOT, cases[i].config, cases[i].arch, tmp);
        run_t r = pikegen(tmp, args);
        cr_assert_eq(r.status, 2, "%s %s: exit %d: %s", cases[i].config, cases[i].arch,
                     r.status, r.err);
        cr_assert_eq(lines(r.err), 1, "%s", r.err);
        snprintf(want, sizeof want, "%s/t/%s.v: %s: port 'btn' has no pin on %s", tmp,
                 cases[i].top, cases[i].top, cases[i].where);
        cr_assert(strstr(r.err, want), "%s %s: '%s' lacks '%s'", cases[i].config, cases[i].arch,
                  r.err, want);
        if (!strcmp(cases[i].arch, "v2"))
            cr_assert(!strstr(r.err, "pk_board_spi"), "v2 names v1's board: %s", r.err);
        const char *keep[] = {"t"};
        assert_only(tmp, keep, 1);
        free(r.out);
        free(r.err);
    }
    gt_rm_tree(tmp);
}

/* --contract-header DIR: only the two contract headers, the same text as the
 * bundle's rtl/pk_contract.vh block; combined with bundle options it is a
 * usage error. */
Test(gen_cli, contract_header)
{
    char tmp[512], path[700];
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "gencli"));
    run_t r = pikegen(tmp, "--contract-header hdr");
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    snprintf(path, sizeof path, "%s/hdr", tmp);
    const char *const files[] = {"pk_contract.vh", "pk_regmap.h"};
    assert_only(path, files, 2);
    snprintf(path, sizeof path, "%s/hdr/pk_contract.vh", tmp);
    char *vh = gt_read(path, NULL);
    cr_assert(vh && strstr(vh, "`define PK_CNT_COUNT ") && strstr(vh, "`define PK_DESC_KIND ") &&
                  strstr(vh, "`define PK_DESC2_LOAD_WORDS ") &&
                  strstr(vh, "`define PK_DESC2_CAP_WB_WORD ") && strstr(vh, "`define PK_RING_WQ "),
              "%s", vh ? vh : "(missing)");
    snprintf(path, sizeof path, "%s/hdr/pk_regmap.h", tmp);
    char *h = gt_read(path, NULL);
    cr_assert(h && strstr(h, "#define PK_REG_CTRL ") && strstr(h, "#define PK_DESC_KIND_LSB ") &&
                  strstr(h, "#define PK_DESC2_CAP_WB_WORD ") && strstr(h, "#define PK_DESC2_BYTES "),
              "%s", h ? h : "(missing)");
    free(vh);
    free(h);
    free(r.out);
    free(r.err);
    expect_usage_error("--contract-header hdr --config a.yaml", "--contract-header");
    expect_usage_error("--contract-header ''", "--contract-header");
    gt_rm_tree(tmp);
}
