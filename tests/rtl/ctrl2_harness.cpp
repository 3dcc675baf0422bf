// ctrl2_harness.cpp - the v2 layer controller and descriptor RAM
// (rtl_templates/pk_ctrl2.v, pk_desc2.v, through tests/rtl/ctrl2_top.v)
// against the v2 model's layer boundaries (sim/pk_v2.h pk_v2_timing_trace,
// ARCHITECTURE.md V2-7.5).
//
// `ctrl2_<set> --seeds N` compiles the zoo networks on edge and cloud and N
// seeded random configs (tests/test_v2_random.h) whose read port has the
// set's PB, runs the model with a trace, and replays whole networks through
// one Verilated model: the harness is the host (start, cmd_count), the
// loader (takes each descriptor request in the cycle the model issues the
// descriptor, writes its PB-byte beats into pk_desc2 ending in the model's
// D, desc_done in D), COMPUTE (comp_busy in every STEP cycle, comp_done once
// the layer's last step has ended) and POST (lay_done in E_L - 1).  Checked:
// every descriptor request (cycle, address, entry), every parameter row
// (the descriptor's words 0 .. pk_v2_desc_load_words() - 1 in order, DLW =
// pk_v2_desc_load_lanes(PB) a row, with the image's values), lay_start in
// the model's cycle (the LAYER event's ps)
// with every parameter register of pk_par2 (PK_PAR2_FIELDS) holding its
// field of the layer's descriptor (pk_desc_get / pk_desc2_get),
// LAYER, the end of the run (busy, done, fin), and the cycles / busy / stall
// counts against the model's counters at every layer end.  Prints the first
// mismatch and exits 1.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "Vctrl2_top.h"
#include "Vctrl2_top___024root.h"
#include "verilated.h"

extern "C" {
#include "pk_contract.h"
#include "pk_v2_consts.h"
}
#include "v2_nets.h"

#if !defined(PK_PB) || !defined(PK_DLW)
#error "PK_PB, PK_DLW come from tests/rtl/CMakeLists.txt"
#endif

static const int64_t PB = PK_PB;
static const int DLW = PK_DLW;  // the model's -GDLW: must be pk_v2_desc_load_lanes(PB) (main)

static void tick(Vctrl2_top *m)
{
    m->clk = 0;
    m->eval();
    m->clk = 1;
    m->eval();
}

// What the model says about one layer.
struct Lay {
    int64_t dreq = -1, d_end = -1;  // descriptor: first request's issue, last request's D
    int64_t start = 0, ls = 0, end = 0, comp_end = 0;
    uint64_t busy = 0, stall = 0;   // cumulative to this layer's end
};

static int64_t networks_run, layers_run;

static bool fail(const char *what, int64_t x, const char *msg)
{
    fprintf(stderr, "FAIL %s: cycle %" PRId64 ": %s\n", what, x, msg);
    return false;
}

static uint32_t word_at(const uint8_t *d)
{
    return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
}

// PB bytes into a data port: a plain integer up to 64 bits, else Verilator's word array.
template <typename T> static void put_bytes(T &port, const uint8_t *d)
{
    uint64_t v = 0;
    for (int64_t i = 0; i < PB; i++)
        v |= (uint64_t)d[i] << (8 * i);
    port = (T)v;
}
template <std::size_t N> static void put_bytes(VlWide<N> &port, const uint8_t *d)
{
    for (std::size_t w = 0; w < N; w++)
        port[w] = word_at(d + 4 * w);
}

// Word j of a read row on pw_data: a plain integer up to 64 bits, else Verilator's word array.
template <typename T> static uint32_t lane_of(const T &port, int j)
{
    return (uint32_t)((uint64_t)port >> (32 * j));
}
template <std::size_t N> static uint32_t lane_of(const VlWide<N> &port, int j)
{
    return port[(std::size_t)j];
}

// The loader's beats of descriptor l: beat b written in cycle d_end - beats + 1 + b
// (the last in the model's D, usable in D + 1).
static void drive_beats(Vctrl2_top *m, const Lay &L, size_t l, const pk_v2img_t *img, int64_t x)
{
    const int64_t beats = PK_DESC2_BYTES / PB, rowb = PB < 4 ? 4 : PB;
    int64_t b = x - (L.d_end - beats + 1);
    m->we = b >= 0 && b < beats;
    m->desc_done = b == beats - 1;
    if (!m->we)
        return;
    m->wrow = (uint32_t)((int64_t)(l % 2) * (PK_DESC2_BYTES / rowb) + b * PB / rowb);
    m->wlane = (uint32_t)((b * PB % rowb) / PB);
    put_bytes(m->wdata, pk_v2img_descriptor(img, (int)l) + b * PB);
}

// pk_par2's registers (public signals of the model) against descriptor l.
static bool par2_holds(Vctrl2_top *m, const pk_v2img_t *img, size_t l, const char *what,
                       int64_t x)
{
    uint32_t w[PK_DESC2_WORDS];
    for (int k = 0; k < PK_DESC2_WORDS; k++)
        w[k] = word_at(pk_v2img_descriptor(img, (int)l) + 4 * k);
    char msg[160];
#define PAR2_GET_DF(f) pk_desc_get(w, f)
#define PAR2_GET_D2(f) pk_desc2_get(w, f)
#define PAR2_CHECK(T, N, p, B, A, F, u)                                                            \
    if ((uint32_t)m->rootp->ctrl2_top__DOT__par__DOT__l_##p != PAR2_GET_##T(PK_##T##_##N)) {       \
        snprintf(msg, sizeof msg, "lay_start of layer %zu: pk_par2 l_" #p " = 0x%x, want 0x%x", l, \
                 (uint32_t)m->rootp->ctrl2_top__DOT__par__DOT__l_##p, PAR2_GET_##T(PK_##T##_##N)); \
        return fail(what, x, msg);                                                                 \
    }
    PK_PAR2_FIELDS(PAR2_CHECK)
#undef PAR2_CHECK
#undef PAR2_GET_DF
#undef PAR2_GET_D2
    return true;
}

static bool replay(Vctrl2_top *m, const std::vector<Lay> &L, const pk_v2img_t *img,
                   const std::vector<std::pair<int64_t, int64_t>> &steps, const char *what)
{
    const int nr = pk_v2_desc_load_rows(PB);
    int64_t t_end = L.back().end;
    size_t si = 0, li_start = 0, li_req = 0, le = 0, lb = 0;
    int64_t cur = -1, rows = 0;              // layer whose lay_start has come; rows streamed
    uint64_t cyc = 0, busy = 0, stall = 0;
    char msg[256];
    m->cmd_base = 0;
    m->cmd_count = (uint16_t)L.size();
    for (int64_t x = -1; x <= t_end + 1; x++) {
        m->start = x == -1;
        while (si < steps.size() && steps[si].second <= x)
            si++;
        m->comp_busy = si < steps.size() && steps[si].first <= x;
        m->comp_done = cur >= 0 && x >= L[(size_t)cur].comp_end;
        bool take = li_req < L.size() && L[li_req].dreq == x;
        m->dreq_ready = take;
        while (le < L.size() && L[le].end - 1 < x)
            le++;
        m->lay_done = le < L.size() && L[le].end - 1 == x;
        while (lb + 1 < L.size() && L[lb].d_end < x)
            lb++;
        drive_beats(m, L[lb], lb, img, x);
        m->eval();
        if (take) {
            if (!m->dreq_valid || m->dreq_addr != li_req * PK_DESC2_BYTES ||
                m->dreq_entry != (li_req & 1)) {
                snprintf(msg, sizeof msg,
                         "descriptor %zu: model requests it, RTL valid %d addr %u entry %d",
                         li_req, m->dreq_valid, m->dreq_addr, m->dreq_entry);
                return fail(what, x, msg);
            }
            li_req++;
        }
        if (m->pw_valid) {
            size_t l = li_start;
            for (int j = 0; j < DLW; j++) {
                int64_t w = rows * DLW + j;
                uint32_t want = l < L.size() && w < PK_DESC2_WORDS
                                    ? word_at(pk_v2img_descriptor(img, (int)l) + 4 * w)
                                    : 0;
                if (l >= L.size() || m->pw_idx != rows || lane_of(m->pw_data, j) != want) {
                    snprintf(msg, sizeof msg,
                             "layer %zu parameter row %" PRId64 " word %" PRId64
                             ": RTL row %u lane %d = 0x%08x, image 0x%08x",
                             l, rows, w, m->pw_idx, j, lane_of(m->pw_data, j), want);
                    return fail(what, x, msg);
                }
            }
            rows++;
        }
        bool ls_model = li_start < L.size() && L[li_start].ls == x;
        if ((bool)m->lay_start != ls_model || (m->lay_start && (rows != nr || m->layer != li_start))) {
            snprintf(msg, sizeof msg,
                     "lay_start %d (LAYER %u, %" PRId64 " rows), model: layer %zu at %" PRId64
                     " after %d rows", m->lay_start, m->layer, rows, li_start,
                     li_start < L.size() ? L[li_start].ls : -1, nr);
            return fail(what, x, msg);
        }
        if (ls_model && !par2_holds(m, img, li_start, what, x))
            return false;
        if (ls_model) {
            cur = (int64_t)li_start++;
            rows = 0;
        }
        bool run = x >= 0 && x < t_end;
        if ((bool)m->busy != run || (bool)m->fin != (x == t_end) || (x >= t_end && !m->done)) {
            snprintf(msg, sizeof msg, "busy %d done %d fin %d, run ends at %" PRId64, m->busy,
                     m->done, m->fin, t_end);
            return fail(what, x, msg);
        }
        cyc += m->inc_cycles;
        busy += m->inc_busy;
        stall += m->inc_stall;
        if (m->lay_done && (cyc != (uint64_t)L[le].end || busy != L[le].busy ||
                            stall != L[le].stall)) {
            snprintf(msg, sizeof msg,
                     "layer %zu ends: cycles %" PRIu64 " busy %" PRIu64 " stall %" PRIu64
                     ", model %" PRId64 " %" PRIu64 " %" PRIu64, le, cyc, busy, stall,
                     L[le].end, L[le].busy, L[le].stall);
            return fail(what, x, msg);
        }
        tick(m);
    }
    if (li_req != L.size() || li_start != L.size())
        return fail(what, t_end, "not every descriptor requested / layer started");
    layers_run += (int64_t)L.size();
    networks_run++;
    return true;
}

// One network on one config; false on a mismatch (a network the model
// cannot map here, or of another PB, is skipped).
static bool network(Vctrl2_top *m, const char *cfgpath, const char *netpath, const char *what)
{
    V2Net n;
    if (!n.load(cfgpath, netpath,
                [](const pk_config_t *c) { return c->offchip.bytes_per_cycle == PB; }))
        return true;
    if (!n.trace(what))
        return false;
    std::vector<Lay> L((size_t)n.hw->n_layers);
    std::vector<std::pair<int64_t, int64_t>> steps;
    for (const pk_v2_event_t &ev : n.ev) {
        Lay &l = L[(size_t)ev.layer];
        if (ev.kind == PK_V2_EV_REQ && ev.unit == PK_V2_U_DESC) {
            if (l.dreq < 0)
                l.dreq = ev.cycle;
            l.d_end = ev.end;
        } else if (ev.kind == PK_V2_EV_STEP) {
            steps.push_back({ev.cycle, ev.end});
            l.comp_end = ev.end;
        } else if (ev.kind == PK_V2_EV_LAYER) {
            l.start = ev.cycle;
            l.ls = ev.ps;
            l.end = ev.end;
        }
    }
    uint64_t b = 0, s = 0;
    for (size_t i = 0; i < L.size(); i++) {
        b += n.T[i].cnt.v[PK_CNT_BUSY];
        s += n.T[i].cnt.v[PK_CNT_STALL];
        L[i].busy = b;
        L[i].stall = s;
    }
    return replay(m, L, n.img, steps, what);
}

int main(int argc, char **argv)
{
    int seeds = 20;
    for (int i = 1; i + 1 < argc; i += 2)
        if (!strcmp(argv[i], "--seeds"))
            seeds = atoi(argv[i + 1]);
    if (DLW != pk_v2_desc_load_lanes(PB)) {
        fprintf(stderr, "FAIL: verilated with DLW = %d, pk_v2_desc_load_lanes(%" PRId64 ") = %d\n",
                DLW, PB, pk_v2_desc_load_lanes(PB));
        return 1;
    }
    Verilated::commandArgs(argc, argv);
    Vctrl2_top *m = new Vctrl2_top;
    m->rst = 1;
    tick(m);
    m->rst = 0;
    bool ok = v2_each_network(
        "ctrl2_" + std::to_string(PB) + "_", "bytes_per_cycle: " + std::to_string(PB) + ",",
        seeds, [&](const char *c, const char *n, const char *w) { return network(m, c, n, w); },
        [] { return networks_run; });
    delete m;
    if (!ok)
        return 1;
    printf("ctrl2 PB=%" PRId64 " DLW=%d: %" PRId64 " networks, %" PRId64
           " layers: descriptor requests, parameter rows, lay_start, run end and"
           " cycles/busy/stall at the model's cycles, pk_par2's registers at lay_start\n", PB,
           DLW, networks_run, layers_run);
    return 0;
}
