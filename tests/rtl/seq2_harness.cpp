// seq2_harness.cpp - the v2 COMPUTE sequencer (rtl_templates/pk_seq2.v)
// against the v2 model's event trace (sim/pk_v2.h pk_v2_timing_trace,
// ARCHITECTURE_V2.md V2-7.3, V2-11).
//
// `seq2_<set> --seeds N` compiles the zoo networks on edge and cloud (as
// many as the set's rows allow: the model's R must equal the RTL's) and N
// seeded random configs with that R (tests/test_v2_random.h), runs the model
// with a trace, and replays every WS layer without operand B through
// pk_seq2: the harness plays the loader (a_done / w_done count the A rows and
// weight units whose last beat is written, raised in the model's usable
// cycle D + 1, A rows RING_WR_LAT later) and POST (bank_free in the cycle before each tile's PPU end).
// Every step must start in the model's cycle, and every tile event must come
// in the model's cycle with the model's fields.  Prints the first mismatch
// and exits 1.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "Vpk_seq2.h"
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
}
#include "../test_v2_random.h"

#ifndef PK_ROWS
#error "PK_ROWS comes from tests/rtl/CMakeLists.txt"
#endif

static const int64_t R = PK_ROWS;


struct Trace {
    std::vector<pk_v2_event_t> ev;
};

static void record(void *ctx, const pk_v2_event_t *e) { ((Trace *)ctx)->ev.push_back(*e); }

static void tick(Vpk_seq2 *m)
{
    m->clk = 0;
    m->eval();
    m->clk = 1;
    m->eval();
}

static int64_t layers_run, steps_run, tiles_run;

// One layer's replay; false on the first mismatch (printed).
static bool replay(Vpk_seq2 *m, const pk_config_t *cfg, const pk_v2_desc_t &d,
                   const std::vector<pk_v2_event_t> &ev, const char *what)
{
    int64_t wb = cfg->d.word_bytes;
    int per_ch = d.uses_params && !d.per_tensor;
    // the loader's completions: A rows and weight units in fetch order
    std::vector<int64_t> a_use, w_use, steps, frees_at, frees_id;
    std::vector<pk_v2_event_t> tiles;
    int64_t start = 0, end = 0, w_off = 0, nt_next = 0;
    for (const pk_v2_event_t &e : ev) {
        if (e.kind == PK_V2_EV_REQ && e.unit == PK_V2_U_A) {
            if ((int64_t)((e.addr - d.addr_in) % (uint64_t)d.row_bytes) == 0)
                a_use.push_back(0);
            a_use.back() = e.end + 1 + PK_RING_WR_LAT; // ring write FIFOs (V2-11.4 item 4)
        } else if (e.kind == PK_V2_EV_REQ && e.unit == PK_V2_U_W) {
            if ((int64_t)(e.addr - d.addr_w) == w_off) {
                int64_t nc = d.out_c - nt_next * d.ct < d.ct ? d.out_c - nt_next * d.ct : d.ct;
                w_off += pk_cdiv(d.unit_bytes * nc, d.ct) + (per_ch ? nc * d.rec : 0);
                nt_next++;
                w_use.push_back(0);
            }
            w_use.back() = e.end + 1;
        } else if (e.kind == PK_V2_EV_STEP) {
            steps.push_back(e.cycle);
        } else if (e.kind == PK_V2_EV_TILE) {
            tiles.push_back(e);
            frees_at.push_back(e.end - 1);
            frees_id.push_back(e.bank);
        } else if (e.kind == PK_V2_EV_LAYER) {
            start = e.cycle;
            end = e.end;
        }
    }
    // the layer constants (what the compiler will put in the descriptor)
    int64_t e_rows = d.kh < d.s ? d.kh : d.s, nneg = 0;
    if (d.kh >= d.s)
        nneg = d.pad;
    else
        for (int64_t oy = 0; oy * d.s < d.pad; oy++)
            for (int64_t i = 0; i < d.kh && oy * d.s + i < d.pad; i++)
                nneg++;
    int64_t na = 0;
    for (int64_t y = 0; y < d.in_h; y++) {
        int need = 0;
        for (int64_t i = 0; i < d.kh; i++) {
            int64_t t = y + d.pad - i;
            need |= t >= 0 && t % d.s == 0 && t / d.s < d.out_h;
        }
        na += need;
    }
    int64_t c0k = d.kh >= d.s ? d.kh - d.pad : d.kh - nneg;
    m->l_mt = d.mt;
    m->l_nt = d.nt;
    m->l_ks = d.ks;
    m->l_tail = per_ch ? pk_cdiv(d.rec, wb) : 0;
    m->l_ct = d.ct;
    m->l_nc_last = d.out_c - (d.nt - 1) * d.ct;
    m->l_nr_last = d.out_h * d.out_w - (d.mt - 1) * R;
    m->l_nw = d.nw;
    m->l_out_w = d.out_w;
    m->l_rm = d.r_mod;
    m->l_ox1 = (R - 1) % d.out_w;
    m->l_na = na;
    m->l_f0 = (uint32_t)(((R - 1) / d.out_w) * e_rows + c0k);
    m->l_e = e_rows;
    m->l_rde = d.r_div * e_rows;
    bool no_w = w_use.empty();
    size_t ai = 0, wi = 0, fi = 0, si = 0, ti = 0;
    for (int64_t x = start; x <= end + 2; x++) {
        while (ai < a_use.size() && a_use[ai] <= x)
            ai++;
        while (wi < w_use.size() && w_use[wi] <= x)
            wi++;
        m->a_done = ai;
        m->w_done = no_w ? 0xFFFF : wi;
        m->bank_free = fi < frees_at.size() && frees_at[fi] == x;
        m->bank_free_id = m->bank_free ? frees_id[fi] : 0;
        if (m->bank_free)
            fi++;
        m->start = x == start;
        m->eval();
        if (m->k_first) {
            if (si >= steps.size() || steps[si] != x) {
                fprintf(stderr, "FAIL %s: step %zu starts at %" PRId64 ", model %" PRId64 "\n",
                        what, si, x, si < steps.size() ? steps[si] : -1);
                return false;
            }
            si++;
        }
        if (m->tile_valid) {
            const pk_v2_event_t *t = ti < tiles.size() ? &tiles[ti] : nullptr;
            if (!t || t->cycle != x || (int64_t)m->tile_p0 != t->p0 ||
                (int64_t)m->tile_nr != t->nr || (int64_t)m->tile_c0 != t->c0 ||
                (int64_t)m->tile_nc != t->nc || m->tile_bank != t->bank ||
                m->tile_open != t->open || m->tile_close != t->close || m->tile_last != t->last) {
                fprintf(stderr,
                        "FAIL %s: tile %zu at %" PRId64 ": p0 %u nr %u c0 %u nc %u bank %u"
                        " open %u close %u last %u; model at %" PRId64 ": p0 %" PRId64
                        " nr %" PRId64 " c0 %" PRId64 " nc %" PRId64 " bank %" PRId64
                        " open %d close %d last %d\n",
                        what, ti, x, m->tile_p0, m->tile_nr, m->tile_c0, m->tile_nc,
                        m->tile_bank, m->tile_open, m->tile_close, m->tile_last,
                        t ? t->cycle : -1, t ? t->p0 : -1, t ? t->nr : -1, t ? t->c0 : -1,
                        t ? t->nc : -1, t ? t->bank : -1, t ? t->open : -1, t ? t->close : -1,
                        t ? t->last : -1);
                return false;
            }
            ti++;
        }
        tick(m);
    }
    m->start = 0;
    if (si != steps.size() || ti != tiles.size()) {
        fprintf(stderr, "FAIL %s: %zu of %zu steps, %zu of %zu tiles\n", what, si, steps.size(),
                ti, tiles.size());
        return false;
    }
    layers_run++;
    steps_run += (int64_t)si;
    tiles_run += (int64_t)ti;
    return true;
}

// One network on one config; false on a mismatch; *ran: the model mapped it.
static bool network(Vpk_seq2 *m, const char *cfgpath, const char *netpath, const char *what)
{
    pk_config_t *cfg = nullptr;
    pk_net_t *net = nullptr;
    pk_hwnet_t *hw = nullptr;
    pk_plan_t *plan = nullptr;
    pk_v2img_t *img = nullptr;
    pk_error_t e;
    pk_error_clear(&e);
    bool ok = true;
    if (pk_config_load(cfgpath, &cfg, &e) || pk_net_load(netpath, &net, &e) ||
        pk_compile(net, cfg, 0, &hw, &e) || pk_plan_make(hw, nullptr, &plan, &e) ||
        pk_v2_compile(hw, plan, &img, &e) || cfg->array.rows != R)
        goto done; // not mappable here (the v2 tests check why)
    {
        Trace tr;
        pk_v2_trace_t t = {record, &tr};
        std::vector<pk_layer_timing_t> T((size_t)hw->n_layers);
        pk_counters_t tot;
        if (pk_v2_timing_trace(cfg, nullptr, hw->n_layers, pk_v2img_descriptor(img, 0), &t,
                               T.data(), &tot, &e)) {
            fprintf(stderr, "FAIL %s: model: %s\n", what, e.msg);
            ok = false;
            goto done;
        }
        size_t k = 0;
        for (int i = 0; i < hw->n_layers && ok; i++) {
            std::vector<pk_v2_event_t> lev;
            while (k < tr.ev.size() && tr.ev[k].layer == i)
                lev.push_back(tr.ev[k++]);
            pk_v2_desc_t d;
            pk_v2_desc_decode(pk_v2img_descriptor(img, i), &d);
            if (d.order != PK_ORDER_WS || d.global || d.b_row_bytes)
                continue;
            std::string w = std::string(what) + " " + hw->layers[i].name;
            ok = replay(m, cfg, d, lev, w.c_str());
        }
    }
done:
    pk_v2img_free(img);
    pk_plan_free(plan);
    pk_hwnet_free(hw);
    pk_net_free(net);
    pk_config_free(cfg);
    return ok;
}

static std::string write_tmp(const char *name, const char *text)
{
    std::string p = std::string("seq2_") + std::to_string(R) + "_" + name;
    FILE *f = fopen(p.c_str(), "w");
    if (!f || fputs(text, f) < 0 || fclose(f)) {
        perror(p.c_str());
        exit(2);
    }
    return p;
}

int main(int argc, char **argv)
{
    int seeds = 40;
    for (int i = 1; i + 1 < argc; i += 2)
        if (!strcmp(argv[i], "--seeds"))
            seeds = atoi(argv[i + 1]);
    Verilated::commandArgs(argc, argv);
    Vpk_seq2 *m = new Vpk_seq2;
    m->rst = 1;
    tick(m);
    m->rst = 0;
    bool ok = true;
    const char *zoo[] = {"resnet18_w4a4", "mobilenetv2_w4a4", "pikelpn_1x"};
    const char *cfgs[] = {"edge", "cloud"};
    for (const char *c : cfgs)
        for (const char *n : zoo) {
            std::string cp = std::string(PIKE_SOURCE_ROOT) + "/hw_configs/" + c + ".yaml";
            std::string np = std::string(PIKE_SOURCE_ROOT) + "/networks/" + n + ".yaml";
            std::string w = std::string(c) + "/" + n;
            if (ok)
                ok = network(m, cp.c_str(), np.c_str(), w.c_str());
        }
    for (int seed = 1; seed <= 4000 && ok && seeds > 0; seed++) {
        rng_state = (uint64_t)seed * 0x9E3779B97F4A7C15ULL;
        std::string cfg = random_cfg(), net = random_net();
        if (cfg.find("rows: " + std::to_string(R) + ",") == std::string::npos)
            continue;
        std::string cp = write_tmp("c.yaml", cfg.c_str()), np = write_tmp("n.yaml", net.c_str());
        std::string w = "seed " + std::to_string(seed);
        int64_t before = layers_run;
        ok = network(m, cp.c_str(), np.c_str(), w.c_str());
        seeds -= layers_run > before;
    }
    delete m;
    if (!ok)
        return 1;
    printf("seq2 R=%" PRId64 ": %" PRId64 " WS layers, %" PRId64 " steps and %" PRId64
           " tile events at the model's cycles\n", R, layers_run, steps_run, tiles_run);
    return 0;
}
