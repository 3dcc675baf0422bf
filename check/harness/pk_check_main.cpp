// pk_check_main.cpp - pikecheck's model executable: the Verilated pike_top
// plus the bench of pk_tb.h, driven by a plan file.  No comparison happens
// here: it loads the memory image, executes the plan and writes what it saw;
// check/pk_check.c compares.
//
// Usage: Vpike_top --image FILE --plan FILE --results FILE --pb N --lat N
//                  [--trace FILE]
// Plan (text, one command per line):
//   run BASE COUNT MAXCYC  clear counters, start COUNT layers at descriptor
//                          address BASE, clock until irq (at most MAXCYC)
//   dump ADDR LEN FILE     write memory bytes [ADDR, ADDR+LEN) to FILE
//   reload                 restore the memory to the loaded image
// Results (text): for each run
//   run BASE COUNT STATUS IRQ_CYCLES C0 .. C(PK_CNT_COUNT-1) MICROSECONDS
// (STATUS = the STATUS register, IRQ_CYCLES = -1 on timeout, MICROSECONDS =
// wall time of this run alone), and at the end
//   speed TICKS MICROSECONDS   (clock cycles simulated, wall time of the runs)
//   fault 0|1 ADDR
// Exit status: 0 when the plan ran (mismatches are not this program's
// business), 2 for bad arguments or files.
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "Vpike_top.h"
#include "pk_tb.h"
#include "verilated.h"
#ifdef PK_TRACE
#include "verilated_fst_c.h"
#endif

static bool read_file(const char *path, std::vector<uint8_t> &out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    uint8_t buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        out.insert(out.end(), buf, buf + n);
    bool ok = !ferror(f);
    fclose(f);
    return ok;
}

int main(int argc, char **argv)
{
    const char *image = nullptr, *plan = nullptr, *results = nullptr, *trace = nullptr;
    int pb = 0, lat = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--image"))
            image = argv[i + 1];
        else if (!strcmp(argv[i], "--plan"))
            plan = argv[i + 1];
        else if (!strcmp(argv[i], "--results"))
            results = argv[i + 1];
        else if (!strcmp(argv[i], "--trace"))
            trace = argv[i + 1];
        else if (!strcmp(argv[i], "--pb"))
            pb = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--lat"))
            lat = atoi(argv[i + 1]);
    }
    if (!image || !plan || !results || pb < 1 || pb > 64 || lat < 1) {
        fprintf(stderr, "usage: %s --image F --plan F --results F --pb N --lat N [--trace F]\n",
                argv[0]);
        return 2;
    }
    std::vector<uint8_t> img;
    if (!read_file(image, img)) {
        fprintf(stderr, "%s: cannot read\n", image);
        return 2;
    }
    FILE *pf = fopen(plan, "r");
    FILE *rf = fopen(results, "w");
    if (!pf || !rf) {
        fprintf(stderr, "cannot open the plan or the results file\n");
        return 2;
    }

    VerilatedContext ctx;
    Vpike_top *top = new Vpike_top(&ctx);
    pk_tb::Bench<Vpike_top> tb(top, pb, lat);
    tb.mem = img;
#ifdef PK_TRACE
    VerilatedFstC *tfp = nullptr;
    if (trace) {
        ctx.traceEverOn(true);
        tfp = new VerilatedFstC;
        top->trace(tfp, 99);
        tfp->open(trace);
        tb.on_eval = [&](int64_t t) { tfp->dump((uint64_t)t); };
    }
#else
    if (trace) {
        fprintf(stderr, "--trace: this model was built without tracing\n");
        return 2;
    }
#endif
    tb.reset();

    int64_t us = 0, run_ticks = 0;
    char line[4096];
    int rc = 0;
    while (fgets(line, sizeof line, pf)) {
        char cmd[16], file[4000];
        unsigned long long a, b, c;
        if (sscanf(line, "%15s", cmd) != 1)
            continue;
        if (!strcmp(cmd, "run") && sscanf(line, "%*s %llu %llu %llu", &a, &b, &c) == 3) {
            auto t0 = std::chrono::steady_clock::now();
            int64_t c0 = tb.cyc;
            int64_t n = tb.run((uint32_t)a, (uint32_t)b, (int64_t)c);
            auto t1 = std::chrono::steady_clock::now();
            run_ticks += tb.cyc - c0;
            int64_t run_us =
                std::chrono::duration_cast<std::chrono::microseconds>(t1 - t0).count();
            us += run_us;
            uint32_t status = tb.host_read(PK_REG_STATUS);
            uint64_t cnt[pk_tb::N_COUNTERS];
            tb.counters(cnt);
            fprintf(rf, "run %llu %llu %u %" PRId64, a, b, status, n);
            for (int i = 0; i < pk_tb::N_COUNTERS; i++)
                fprintf(rf, " %" PRIu64, cnt[i]);
            fprintf(rf, " %" PRId64 "\n", run_us);
        } else if (!strcmp(cmd, "dump") &&
                   sscanf(line, "%*s %llu %llu %3999s", &a, &b, file) == 3) {
            FILE *df = fopen(file, "wb");
            if (!df || a + b > tb.mem.size() ||
                fwrite(tb.mem.data() + a, 1, (size_t)b, df) != (size_t)b) {
                fprintf(stderr, "dump %llu %llu %s: failed\n", a, b, file);
                rc = 2;
            }
            if (df)
                fclose(df);
        } else if (!strcmp(cmd, "reload")) {
            tb.mem = img;
        } else {
            fprintf(stderr, "plan: bad line: %s", line);
            rc = 2;
            break;
        }
    }
    fprintf(rf, "speed %" PRId64 " %" PRId64 "\n", run_ticks, us);
    fprintf(rf, "fault %d %llu\n", tb.fault ? 1 : 0, (unsigned long long)tb.fault_addr);
    fclose(pf);
    if (fclose(rf) != 0)
        rc = 2;
#ifdef PK_TRACE
    if (tfp) {
        tfp->close();
        delete tfp;
    }
#endif
    top->final();
    delete top;
    return rc;
}
