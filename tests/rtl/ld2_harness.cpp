// ld2_harness.cpp - the v2 loader's request side (rtl_templates/pk_ld2.v)
// against the v2 model's event trace (sim/pk_v2.h pk_v2_timing_trace,
// ARCHITECTURE_V2.md V2-6, V2-7.1, V2-11.4 items 3, 5, 6).
//
// `ld2_<set> --seeds N` compiles the zoo networks on the set's config and N
// seeded random configs (tests/test_v2_random.h, their latency set to the
// set's LAT; those with another PB are skipped), runs the model with a
// trace, and replays every layer pk_ld2 builds (WS, no operand B, not a
// global pool: sim/pk_v2ldconst) through it: `start` in the cycle before the
// layer's first unit may issue (max(U_desc, S_L + 1, the descriptor's issue
// + 1) - 1, and not before lay_start, V2-7.5), the layer constants from pk_v2_ldconst, COMPUTE's a_free from
// the model's steps (a row fetch is free from the end of the last step that
// read it), and a read port as ARCHITECTURE.md 7.1 (first beat of a request
// at max(I + LAT, the previous request's D)).  Every request must have the
// model's address and length, in the model's order (the layer's units, then
// the next layer's descriptor), and its first beat in the model's cycle (V2-11.4
// item 3: issue may lag, data never); a_done / w_done must count the model's
// rows and weight units from their usable cycles (D + 1 + RING_WR_LAT, D +
// 1).  Prints the first mismatch and exits 1.
#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "Vpk_ld2.h"
#include "verilated.h"

extern "C" {
#include "pk_compile.h"
#include "pk_compile_v2.h"
#include "pk_config.h"
#include "pk_contract.h"
#include "pk_imath.h"
#include "pk_net.h"
#include "pk_plan.h"
#include "pk_v2.h"
#include "pk_v2desc.h"
#include "pk_v2ldconst.h"
}
#include "../test_v2_random.h"
#include "harness_v2net.h"

#ifndef PK_PB
#error "PK_PB, PK_MB, PK_LAT, PK_CFG come from tests/rtl/CMakeLists.txt"
#endif

static const int64_t NEVER = INT64_MAX / 4;
static int64_t layers_run, reqs_run, lagged, max_lag;

static void tick(Vpk_ld2 *m)
{
    m->clk = 0;
    m->eval();
    m->clk = 1;
    m->eval();
}

static void drive(Vpk_ld2 *m, const pk_v2_ldconst_t &k)
{
    m->l_nt = (uint16_t)k.nt;
    m->l_has_w = k.has_w;
    m->l_wu_bytes = (uint32_t)k.wu_bytes;
    m->l_wu_last = (uint32_t)k.wu_last;
    m->l_addr_w = k.addr_w;
    m->l_row_bytes = (uint32_t)k.row_bytes;
    m->l_cap = (uint16_t)k.cap;
    m->l_ymax = (uint16_t)k.ymax;
    m->l_y0 = (uint16_t)k.y0;
    m->l_addr_y0 = k.addr_y0;
    m->l_ym0 = (uint8_t)k.ym0;
    m->l_s = (uint8_t)k.s;
    m->l_kh = (uint8_t)k.kh;
    m->l_jump = (uint16_t)k.jump;
    m->l_jump_bytes = (uint32_t)k.jump_bytes;
    m->l_y1_0 = (uint16_t)k.y1_0;
    m->l_prec = (uint8_t)k.prec;
    m->l_addr_param = k.addr_param;
    m->l_has_next = k.has_next;
    m->l_desc_addr = k.desc_addr;
}

// One layer's replay; false on the first mismatch (printed).
static bool replay(Vpk_ld2 *m, const pk_v2_desc_t &d, const pk_v2_ldconst_t &k,
                   const std::vector<pk_v2_event_t> &ev, const std::vector<pk_v2_event_t> &next,
                   int64_t R, const char *what)
{
    std::vector<pk_v2_event_t> want, reqs;
    int64_t S = 0, P = 0, u_desc = 0, i_desc = 0, d_prev = 0, last_end = 0;
    std::vector<int64_t> step_end;
    for (const pk_v2_event_t &e : ev) {
        if (e.kind == PK_V2_EV_REQ && e.unit == PK_V2_U_DESC) {
            u_desc = e.end + 1;
            i_desc = e.cycle;
            d_prev = e.end;
        } else if (e.kind == PK_V2_EV_REQ) {
            want.push_back(e);
        } else if (e.kind == PK_V2_EV_STEP) {
            step_end.push_back(e.end);
        } else if (e.kind == PK_V2_EV_LAYER) {
            S = e.cycle;
            P = e.ps;
        }
    }
    reqs = want;
    for (const pk_v2_event_t &e : next)
        if (e.kind == PK_V2_EV_REQ && e.unit == PK_V2_U_DESC)
            want.push_back(e);
    for (const pk_v2_event_t &e : want)
        last_end = std::max(last_end, e.end);
    // a_done / w_done: rows and weight units in fetch order
    std::vector<int64_t> a_rows, a_use, w_use;
    {
        uint64_t off = 0;
        for (const pk_v2_event_t &e : reqs)
            if (e.unit == PK_V2_U_A) {
                if (off == 0) {
                    a_use.push_back(0);
                    a_rows.push_back((int64_t)((e.addr - d.addr_in) / (uint64_t)d.row_bytes));
                }
                a_use.back() = e.end + 1 + PK_RING_WR_LAT;
                off = (off + (uint64_t)e.len) % (uint64_t)d.row_bytes;
            }
        off = 0;
        int64_t nt = 0;
        for (const pk_v2_event_t &e : reqs)
            if (e.unit == PK_V2_U_W) {
                if (off == 0)
                    w_use.push_back(0);
                w_use.back() = e.end + 1;
                off += (uint64_t)e.len;
                if ((int64_t)off == (nt + 1 == k.nt ? k.wu_last : k.wu_bytes)) {
                    off = 0;
                    nt++;
                }
            }
    }
    // a_free: fetch q is free from the end of the last step that read its row
    std::vector<int64_t> fetch_of((size_t)d.in_h, -1), rel(a_rows.size(), NEVER);
    for (size_t q = 0; q < a_rows.size(); q++)
        fetch_of[(size_t)a_rows[q]] = (int64_t)q;
    for (size_t s = 0; s < step_end.size(); s++) {
        int64_t mt = (int64_t)s / d.nt, p0 = mt * R, p1 = std::min(d.out_h * d.out_w, p0 + R) - 1;
        int64_t y0 = std::max<int64_t>(0, p0 / d.out_w * d.s - d.pad);
        int64_t y1 = std::min(d.in_h - 1, p1 / d.out_w * d.s + d.kh - 1 - d.pad);
        for (int64_t y = y0; y <= y1; y++)
            if (fetch_of[(size_t)y] >= 0)
                rel[(size_t)fetch_of[(size_t)y]] = step_end[s];
    }
    // the loader starts with the engines, at lay_start (V2-7.5: the LAYER event's ps)
    int64_t x0 = std::max(std::max(std::max(u_desc, S + 1), i_desc + 1) - 1, P);
    drive(m, k);
    std::deque<int64_t> beats;
    std::vector<int64_t> got_i, got_first;
    std::vector<uint64_t> got_addr;
    std::vector<int64_t> got_len;
    for (int64_t x = x0; x <= last_end + PK_RING_WR_LAT + 4; x++) {
        int64_t fr = 0;
        while ((size_t)fr < rel.size() && rel[(size_t)fr] <= x)
            fr++;
        m->a_free = (uint16_t)fr;
        m->start = x == x0;
        m->rd_req_ready = 1;
        m->rd_data_valid = !beats.empty() && beats.front() == x;
        if (m->rd_data_valid)
            beats.pop_front();
        m->eval();
        int64_t ad = std::count_if(a_use.begin(), a_use.end(), [x](int64_t u) { return u <= x; });
        int64_t wd = std::count_if(w_use.begin(), w_use.end(), [x](int64_t u) { return u <= x; });
        if (x > x0 && ((int64_t)m->a_done != ad || (int64_t)m->w_done != wd)) {
            fprintf(stderr, "FAIL %s: cycle %" PRId64 ": a_done %u w_done %u, model %" PRId64
                    " %" PRId64 "\n", what, x, m->a_done, m->w_done, ad, wd);
            return false;
        }
        if (m->rd_req_valid) {
            int64_t nb = pk_cdiv((int64_t)m->rd_req_len, PK_PB);
            int64_t first = std::max(x + PK_LAT, d_prev);
            for (int64_t b = 0; b < nb; b++)
                beats.push_back(first + b);
            d_prev = first + nb;
            got_i.push_back(x);
            got_first.push_back(first);
            got_addr.push_back(m->rd_req_addr);
            got_len.push_back((int64_t)m->rd_req_len);
        }
        tick(m);
    }
    m->start = 0;
    for (size_t j = 0; j < std::max(want.size(), got_i.size()); j++) {
        if (j >= want.size() || j >= got_i.size()) {
            fprintf(stderr, "FAIL %s: %zu requests, model %zu\n", what, got_i.size(), want.size());
            return false;
        }
        const pk_v2_event_t &e = want[j];
        int64_t first = e.end - pk_cdiv(e.len, PK_PB);
        if (got_addr[j] != e.addr || got_len[j] != e.len || got_first[j] != first ||
            got_i[j] < e.cycle) {
            fprintf(stderr, "FAIL %s: request %zu (unit %d): issue %" PRId64 " addr %" PRIu64
                    " len %" PRId64 " first beat %" PRId64 "; model issue %" PRId64
                    " addr %" PRIu64 " len %" PRId64 " first beat %" PRId64 "\n", what, j,
                    (int)e.unit, got_i[j], got_addr[j], got_len[j], got_first[j], e.cycle,
                    (uint64_t)e.addr, e.len, first);
            return false;
        }
        if (got_i[j] > e.cycle) {
            lagged++;
            max_lag = std::max(max_lag, got_i[j] - e.cycle);
        }
    }
    if (m->busy) {
        fprintf(stderr, "FAIL %s: still busy after the last beat\n", what);
        return false;
    }
    layers_run++;
    reqs_run += (int64_t)got_i.size();
    return true;
}

// One network on one config; false on a mismatch.
static bool network(Vpk_ld2 *m, const char *cfgpath, const char *netpath, const char *what)
{
    V2Net n(cfgpath, netpath);
    std::vector<std::vector<pk_v2_event_t>> lev;
    if (!n.ok || n.cfg->offchip.bytes_per_cycle != PK_PB || n.cfg->offchip.latency != PK_LAT)
        return true; // not mappable here
    if (!n.trace(lev, what))
        return false;
    bool ok = true;
    for (int i = 0; i < n.hw->n_layers && ok; i++) {
        pk_v2_desc_t d;
        pk_v2_ldconst_t k;
        pk_v2_ringgeom_t g;
        pk_v2_desc_decode(pk_v2img_descriptor(n.img, i), &d);
        pk_v2_ring_geom(&d, n.cfg->array.rows, n.cfg->d.word_bytes, n.cfg->buffers.activations,
                        n.cfg->offchip.bytes_per_cycle, n.hw->layers[i].vp, &g);
        if (pk_v2_ldconst(&d, &g, n.cfg->d.word_bits, i, n.hw->n_layers, &k))
            continue;
        std::string w = std::string(what) + " " + n.hw->layers[i].name;
        ok = replay(m, d, k, lev[(size_t)i], lev[(size_t)i + 1], n.cfg->array.rows, w.c_str());
    }
    return ok;
}

int main(int argc, char **argv)
{
    int seeds = 40;
    for (int i = 1; i + 1 < argc; i += 2)
        if (!strcmp(argv[i], "--seeds"))
            seeds = atoi(argv[i + 1]);
    Verilated::commandArgs(argc, argv);
    Vpk_ld2 *m = new Vpk_ld2;
    m->rst = 1;
    tick(m);
    m->rst = 0;
    bool ok = true;
    const char *zoo[] = {"resnet18_w4a4", "mobilenetv2_w4a4", "pikelpn_1x", "resnet50_w4a4"};
    for (const char *n : zoo) {
        std::string cp = std::string(PIKE_SOURCE_ROOT) + "/hw_configs/" + PK_CFG + ".yaml";
        std::string np = std::string(PIKE_SOURCE_ROOT) + "/networks/" + n + ".yaml";
        std::string w = std::string(PK_CFG) + "/" + n;
        if (ok)
            ok = network(m, cp.c_str(), np.c_str(), w.c_str());
    }
    int64_t zoo_layers = layers_run;
    for (int seed = 1; seed <= 4000 && ok && seeds > 0; seed++) {
        rng_state = (uint64_t)seed * 0x9E3779B97F4A7C15ULL;
        std::string cfg = random_cfg(), net = random_net();
        size_t p = cfg.find("latency: ");
        cfg.replace(p, cfg.find(',', p) - p, "latency: " + std::to_string(PK_LAT));
        if (cfg.find("bytes_per_cycle: " + std::to_string(PK_PB) + ",") == std::string::npos)
            continue;
        std::string pre = std::string("ld2_") + PK_CFG;
        std::string cp = write_case(pre, "c.yaml", cfg), np = write_case(pre, "n.yaml", net);
        std::string w = "seed " + std::to_string(seed);
        int64_t before = layers_run;
        ok = network(m, cp.c_str(), np.c_str(), w.c_str());
        seeds -= layers_run > before;
    }
    delete m;
    if (!ok)
        return 1;
    printf("ld2 %s: %" PRId64 " layers (%" PRId64 " zoo), %" PRId64
           " requests at the model's address, length and data cycle; %" PRId64
           " issued later than the model (at most %" PRId64 " cycles)\n", PK_CFG, layers_run,
           zoo_layers, reqs_run, lagged, max_lag);
    return 0;
}
