// ring2_harness.cpp - the v2 activation ring (rtl_templates/pk_ring2.v)
// against the layouts of ARCHITECTURE.md V2-3.1 and the write-FIFO rule
// of V2-11.4 item 4 (tests/rtl/ring2_ref.h).
//
// `ring2_<set> --seeds N [--wq Q --lat L]` (default: the contract's
// PK_RING_WQ and PK_RING_WR_LAT; pk_ring2's WQ defaults to PK_RING_WQ)
// compiles the zoo networks on edge and cloud and N seeded random configs
// (tests/test_v2_random.h) and, for every layer, measures the write-FIFO
// backlog of its A rows arriving back to back (printed per config family:
// the bound that sets WQ and RING_WR_LAT).  Every layer whose config has the
// set's R, a ring of at most PK_DA words per bank and beats of at most PK_WL
// words is then streamed through pk_ring2: each row's words with random
// tags, in the cycle of their beat (rows back to back, or with random gaps),
// while every cycle a read of all R rows at a random rotation checks words
// whose row is usable (the cycle D + 1 + L, D the cycle after the row's last
// beat) - the most recently usable first, so a late write is seen.  Fails
// (exit 1, first mismatch printed) on a wrong word, a FIFO overflow (w_ovf),
// or a measured backlog above Q words or L cycles.  Then (`--stress N`, default
// 20,000 cycles) random beats on every lane, each lane a random bank and address,
// against a cycle model of the FIFOs and banks: every read, w_pend every cycle.  Then
// (`--ovf N`, default 2,000 runs) beats that pass WQ words in a bank: w_ovf in exactly
// the cycle after (V2-11.5 "Timing, step 4").
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "Vpk_ring2.h"
#include "verilated.h"

extern "C" {
#include "pk_compile.h"
#include "pk_compile_v2.h"
#include "pk_config.h"
#include "pk_contract.h"
#include "pk_net.h"
#include "pk_plan.h"
#include "pk_imath.h"
#include "pk_v2desc.h"
#include "pk_v2ringwr.h"
}
#include "../test_v2_random.h"
#include "harness_rng.h"
#include "harness_v2net.h"

#ifndef PK_ROWS
#error "PK_ROWS, PK_DA, PK_AW, PK_WL come from tests/rtl/CMakeLists.txt"
#endif

static const int64_t R = PK_ROWS;
static int64_t opt_wq = PK_RING_WQ, opt_lat = PK_RING_WR_LAT, max_rows = 16, stress_cycles = 20000,
               ovf_runs = 2000;
static bool verbose;
static const char *fam_name[4] = {"edge", "cloud", "ice40", "random"};
static pk_v2_backlog_t worst[4];
static int64_t refused[4], measured[4];
static int64_t layers_run, words_run, reads_checked;

static void tick(Vpk_ring2 *m)
{
    m->clk = 0;
    m->eval();
    m->clk = 1;
    m->eval();
}

struct Pending {
    int64_t at;        // first cycle a read sees it
    int64_t bank, addr;
    uint32_t tag;
};

// Stream one layer's A rows through the ring and check reads; false on a
// mismatch (printed).
static bool stream(Vpk_ring2 *m, const pk_v2_ringgeom_t &g, const pk_v2_desc_t &d, Rng &rng,
                   const char *what)
{
    std::vector<uint8_t> needed((size_t)d.in_h);
    pk_v2_ring_needed(&d, needed.data());
    std::vector<int64_t> rows;
    for (int64_t y = 0; y < d.in_h; y++)
        if (needed[(size_t)y])
            rows.push_back(y);
    std::vector<std::vector<uint32_t>> ref((size_t)R, std::vector<uint32_t>((size_t)g.da));
    std::vector<std::vector<uint8_t>> ok_at((size_t)R, std::vector<uint8_t>((size_t)g.da));
    std::vector<std::vector<int32_t>> pend((size_t)R, std::vector<int32_t>((size_t)g.da));
    std::vector<std::vector<int64_t>> fresh((size_t)R);
    std::deque<Pending> commit;
    std::vector<pk_v2_ringword_t> words((size_t)pk_v2_ring_row_words_max(&d));
    size_t nw = 0;
    int64_t nbeats = pk_cdiv(d.row_bytes, g.pb), x = 0;
    bool gaps = rng.chance(50);
    size_t k = 0, wi = 0;
    int64_t t0 = 0;
    std::vector<uint32_t> want((size_t)R);
    std::vector<int> check((size_t)R);
    for (;;) {
        if (wi == nw && x >= t0 + nbeats && k < rows.size() && (int64_t)k < max_rows) {
            t0 = x + (gaps && rng.chance(30) ? rng.in(1, 3) : 0);
            nw = (size_t)pk_v2_ring_row_words(&g, &d, rows[k], (int64_t)k, words.data());
            k++;
            wi = 0;
        }
        bool done = wi == nw && (k == rows.size() || (int64_t)k == max_rows) && commit.empty();
        if (done && !m->w_pend)
            break;
        // the beat of cycle x
        m->w_valid = 0;
        int n = 0;
        while (wi < nw && t0 + words[wi].beat == x) {
            const pk_v2_ringword_t &w = words[wi++];
            if (n >= PK_WL) {
                fprintf(stderr, "FAIL %s: more than %d words in one beat\n", what, PK_WL);
                return false;
            }
            uint32_t tag = (uint32_t)rng.next();
            m->w_valid |= 1u << n;
            put(m->w_bank, n * PK_RA, PK_RA, (uint64_t)w.bank);
            put(m->w_addr, n * PK_AW, PK_AW, (uint64_t)w.addr);
            put(m->w_data, n * 32, 32, tag);
            pend[(size_t)w.bank][(size_t)w.addr]++;
            commit.push_back({t0 + nbeats + 1 + opt_lat, w.bank, w.addr, tag});
            n++;
            words_run++;
        }
        while (!commit.empty() && commit.front().at <= x) {
            Pending &p = commit.front();
            ref[(size_t)p.bank][(size_t)p.addr] = p.tag;
            ok_at[(size_t)p.bank][(size_t)p.addr] = 1;
            pend[(size_t)p.bank][(size_t)p.addr]--;
            fresh[(size_t)p.bank].push_back(p.addr);
            commit.pop_front();
        }
        // a read of all rows at a random rotation
        int64_t rot = rng.in(0, R - 1);
        m->re = 1;
        m->rot = (uint32_t)rot;
        for (int64_t r = 0; r < R; r++) {
            size_t b = (size_t)((r + rot) % R);
            int64_t a = rng.in(0, g.da - 1);
            if (!fresh[b].empty()) {
                a = fresh[b].back();
                fresh[b].pop_back();
            }
            check[(size_t)r] = ok_at[b][(size_t)a] && !pend[b][(size_t)a];
            want[(size_t)r] = ref[b][(size_t)a];
            put(m->raddr, (int)r * PK_AW, PK_AW, (uint64_t)a);
        }
        tick(m);
        m->eval();
        for (int64_t r = 0; r < R; r++)
            if (check[(size_t)r]) {
                reads_checked++;
                uint32_t got = (uint32_t)get(m->rdata, (int)r * 32, 32);
                if (got != want[(size_t)r]) {
                    fprintf(stderr, "FAIL %s: cycle %" PRId64 " row %" PRId64 " rot %" PRId64
                            ": read %08x, want %08x\n", what, x, r, rot, got,
                            want[(size_t)r]);
                    return false;
                }
            }
        if (m->w_ovf) {
            fprintf(stderr, "FAIL %s: write FIFO overflow (WQ %" PRId64 ") at cycle %" PRId64 "\n",
                    what, opt_wq, x);
            return false;
        }
        x++;
    }
    layers_run++;
    return true;
}

// Random beats on every lane (each lane a random bank and address, each bank's FIFO
// filled up to WQ words) for `cycles` cycles, then drained, against a cycle model of
// the write FIFOs (a bank writes its oldest word in every cycle after the push) and
// of the bank memories (a read returns the word before that cycle's write); a read
// of all rows at a random rotation every cycle, w_pend every cycle, w_ovf never.
static bool stress(Vpk_ring2 *m, Rng &rng, int64_t cycles)
{
    struct W {
        int64_t addr;
        uint32_t tag;
    };
    std::vector<std::deque<W>> q((size_t)R);
    std::vector<std::vector<uint32_t>> mem((size_t)R, std::vector<uint32_t>((size_t)PK_DA));
    std::vector<std::vector<uint8_t>> known((size_t)R, std::vector<uint8_t>((size_t)PK_DA));
    std::vector<std::vector<int64_t>> written((size_t)R);
    std::vector<uint32_t> want((size_t)R);
    std::vector<int> check((size_t)R);
    int64_t lanes_used[PK_WL] = {0}, words = 0, checked = 0;
    for (int64_t x = 0;; x++) {
        bool busy = false;
        for (int64_t b = 0; b < R; b++)
            busy = busy || !q[(size_t)b].empty();
        if (x >= cycles && !busy)
            break;
        // the beat: lane k valid with a random bank while that bank's FIFO has room
        std::vector<int64_t> room((size_t)R);
        for (int64_t b = 0; b < R; b++)
            room[(size_t)b] = opt_wq - (int64_t)q[(size_t)b].size() + (q[(size_t)b].empty() ? 0 : 1);
        std::vector<std::pair<int64_t, W>> push;
        m->w_valid = 0;
        int dense = (int)rng.in(20, 100);
        for (int k = 0; k < PK_WL && x < cycles; k++) {
            int64_t b = rng.in(0, R - 1);
            if (!rng.chance(dense) || room[(size_t)b] == 0)
                continue;
            room[(size_t)b]--;
            W w = {rng.in(0, PK_DA - 1), (uint32_t)rng.next()};
            m->w_valid |= 1u << k;
            put(m->w_bank, k * PK_RA, PK_RA, (uint64_t)b);
            put(m->w_addr, k * PK_AW, PK_AW, (uint64_t)w.addr);
            put(m->w_data, k * 32, 32, w.tag);
            push.push_back({b, w});
            lanes_used[k]++;
            words++;
        }
        int64_t rot = rng.in(0, R - 1);
        m->re = 1;
        m->rot = (uint32_t)rot;
        for (int64_t r = 0; r < R; r++) {
            size_t b = (size_t)((r + rot) % R);
            int64_t a = rng.in(0, PK_DA - 1);
            if (!written[b].empty() && rng.chance(90))
                a = written[b][(size_t)rng.in(0, (int64_t)written[b].size() - 1)];
            check[(size_t)r] = known[b][(size_t)a];
            want[(size_t)r] = mem[b][(size_t)a];
            put(m->raddr, (int)r * PK_AW, PK_AW, (uint64_t)a);
        }
        m->eval();
        if ((bool)m->w_pend != busy) {
            fprintf(stderr, "FAIL stress: cycle %" PRId64 ": w_pend %d, model %d\n", x,
                    (int)m->w_pend, (int)busy);
            return false;
        }
        tick(m);
        m->eval();
        for (int64_t r = 0; r < R; r++)
            if (check[(size_t)r]) {
                checked++;
                uint32_t got = (uint32_t)get(m->rdata, (int)r * 32, 32);
                if (got != want[(size_t)r]) {
                    fprintf(stderr, "FAIL stress: cycle %" PRId64 " row %" PRId64 " rot %" PRId64
                            ": read %08x, want %08x\n", x, r, rot, got, want[(size_t)r]);
                    return false;
                }
            }
        if (m->w_ovf) {
            fprintf(stderr, "FAIL stress: w_ovf at cycle %" PRId64 "\n", x);
            return false;
        }
        // the cycle's writes: each bank's oldest word, then the beat's pushes
        for (int64_t b = 0; b < R; b++)
            if (!q[(size_t)b].empty()) {
                W w = q[(size_t)b].front();
                q[(size_t)b].pop_front();
                mem[(size_t)b][(size_t)w.addr] = w.tag;
                if (!known[(size_t)b][(size_t)w.addr])
                    written[(size_t)b].push_back(w.addr);
                known[(size_t)b][(size_t)w.addr] = 1;
            }
        for (auto &p : push)
            q[(size_t)p.first].push_back(p.second);
    }
    printf("ring2 stress: %" PRId64 " cycles, %" PRId64 " words on random lanes and banks (lanes",
           cycles, words);
    for (int k = 0; k < PK_WL; k++)
        printf(" %" PRId64, lanes_used[k]);
    printf("), %" PRId64 " reads checked\n", checked);
    return true;
}

// Overflow (the bound of V2-11.4 item 4 broken on purpose): from rst, random beats (most
// lanes to one bank) until a bank's count after the cycle, cnt + pushes - pop (a pop in
// every cycle after a push), passes WQ; w_ovf must be 0 until that cycle's clock edge, 1
// after it, and stay 1.  `trials` runs; a run that has not overflowed in 64 cycles ends.
static bool overflow(Vpk_ring2 *m, Rng &rng, int64_t trials)
{
    int64_t over_runs = 0, at_count[PK_WL + 1] = {0};
    for (int64_t t = 0; t < trials; t++) {
        m->rst = 1;
        m->w_valid = 0;
        tick(m);
        m->rst = 0;
        std::vector<int64_t> cnt((size_t)R);
        int64_t hot = rng.in(0, R - 1);
        int dense = (int)rng.in(20, 100), focus = (int)rng.in(50, 100);
        for (int64_t x = 0; x < 64; x++) {
            std::vector<int64_t> np((size_t)R);
            m->w_valid = 0;
            m->re = 0;
            for (int k = 0; k < PK_WL; k++) {
                if (!rng.chance(dense))
                    continue;
                int64_t b = rng.chance(focus) ? hot : rng.in(0, R - 1);
                m->w_valid |= 1u << k;
                put(m->w_bank, k * PK_RA, PK_RA, (uint64_t)b);
                put(m->w_addr, k * PK_AW, PK_AW, (uint64_t)rng.in(0, PK_DA - 1));
                put(m->w_data, k * 32, 32, (uint32_t)rng.next());
                np[(size_t)b]++;
            }
            bool over = false;
            int64_t over_np = 0;
            for (int64_t b = 0; b < R; b++) {
                int64_t after = cnt[(size_t)b] + np[(size_t)b] - (cnt[(size_t)b] > 0 ? 1 : 0);
                if (after > opt_wq) {
                    over = true;
                    over_np = np[(size_t)b];
                }
                cnt[(size_t)b] = after;
            }
            m->eval();
            tick(m);
            m->eval();
            if ((bool)m->w_ovf != over) {
                fprintf(stderr, "FAIL overflow: run %" PRId64 " cycle %" PRId64 ": w_ovf %d, model %d"
                        " (counts after the cycle:", t, x, (int)m->w_ovf, (int)over);
                for (int64_t b = 0; b < R; b++)
                    fprintf(stderr, " %" PRId64, cnt[(size_t)b]);
                fprintf(stderr, "; WQ %" PRId64 ")\n", opt_wq);
                return false;
            }
            if (over) {
                m->w_valid = 0;
                tick(m);
                m->eval();
                if (!m->w_ovf) {
                    fprintf(stderr, "FAIL overflow: run %" PRId64 ": w_ovf fell\n", t);
                    return false;
                }
                over_runs++;
                at_count[over_np]++;
                break;
            }
        }
    }
    m->rst = 1;
    m->w_valid = 0;
    tick(m);
    m->rst = 0;
    printf("ring2 overflow: %" PRId64 " runs, %" PRId64 " overflowed (w_ovf in its cycle; by the"
           " bank's pushes in that cycle:", trials, over_runs);
    for (int k = 0; k <= PK_WL; k++)
        printf(" %" PRId64, at_count[k]);
    printf(")\n");
    return true;
}

// One network on one config; false on a mismatch.
static bool network(Vpk_ring2 *m, Rng &rng, const char *cfgpath, const char *netpath,
                    const char *what, int fam)
{
    V2Net n(cfgpath, netpath);
    if (!n.ok)
        return true; // not mappable (the v2 tests check why)
    bool ok = true;
    for (int i = 0; i < n.hw->n_layers && ok; i++) {
        pk_v2_desc_t d;
        pk_v2_desc_decode(pk_v2img_descriptor(n.img, i), &d);
        if (d.in_h <= 0 || d.row_bytes <= 0)
            continue;
        pk_v2_ringgeom_t g;
        pk_v2_ring_geom(&d, n.cfg->array.rows, n.cfg->d.word_bytes, n.cfg->buffers.activations,
                        n.cfg->offchip.bytes_per_cycle, n.hw->layers[i].vp, &g);
        pk_v2_backlog_t b;
        if (pk_v2_ring_backlog(&g, &d, INT64_MAX, &b)) {
            fprintf(stderr, "FAIL %s: out of memory\n", what);
            ok = false;
            break;
        }
        measured[fam]++;
        if (b.occ > opt_wq || b.lag > opt_lat) { // outside the rule: refused (V2-11.4 item 4)
            refused[fam]++;
            if (verbose)
                printf("refused %s %s: backlog %" PRId64 " words, lag %" PRId64 " (R %" PRId64
                       " PB %" PRId64 " Jw %" PRId64 " fx %d s %" PRId64 " in_c %" PRId64 ")\n",
                       what, n.hw->layers[i].name, b.occ, b.lag, g.R, g.pb, d.jw, d.fx, d.s,
                       d.in_c);
            continue;
        }
        worst[fam].occ = pk_max2(worst[fam].occ, b.occ);
        worst[fam].lag = pk_max2(worst[fam].lag, b.lag);
        worst[fam].per_beat = pk_max2(worst[fam].per_beat, b.per_beat);
        worst[fam].per_bank_beat = pk_max2(worst[fam].per_bank_beat, b.per_bank_beat);
        std::string w = std::string(what) + " " + n.hw->layers[i].name;
        if (g.R == R && g.da <= PK_DA && b.per_beat <= PK_WL)
            ok = stream(m, g, d, rng, w.c_str());
    }
    return ok;
}

int main(int argc, char **argv)
{
    int seeds = 40;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--seeds"))
            seeds = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--wq"))
            opt_wq = atoll(argv[i + 1]);
        else if (!strcmp(argv[i], "--lat"))
            opt_lat = atoll(argv[i + 1]);
        else if (!strcmp(argv[i], "--rows"))
            max_rows = atoll(argv[i + 1]);
        else if (!strcmp(argv[i], "--stress"))
            stress_cycles = atoll(argv[i + 1]);
        else if (!strcmp(argv[i], "--ovf"))
            ovf_runs = atoll(argv[i + 1]);
        else if (!strcmp(argv[i], "--verbose"))
            verbose = atoi(argv[i + 1]);
    }
    Verilated::commandArgs(argc, argv);
    Vpk_ring2 *m = new Vpk_ring2;
    Rng rng(1);
    m->rst = 1;
    tick(m);
    m->rst = 0;
    bool ok = true;
    const char *zoo[] = {"resnet18_w4a4", "mobilenetv2_w4a4", "pikelpn_1x", "resnet50_w4a4"};
    const char *cfgs[] = {"edge", "cloud", "ice40"};
    for (const char *const &c : cfgs)
        for (const char *n : zoo) {
            std::string cp = std::string(PIKE_SOURCE_ROOT) + "/hw_configs/" + c + ".yaml";
            std::string np = std::string(PIKE_SOURCE_ROOT) + "/networks/" + n + ".yaml";
            std::string w = std::string(c) + "/" + n;
            if (ok)
                ok = network(m, rng, cp.c_str(), np.c_str(), w.c_str(), (int)(&c - cfgs));
        }
    for (int seed = 1; seed <= seeds && ok; seed++) {
        rng_state = (uint64_t)seed * 0x9E3779B97F4A7C15ULL;
        std::string cfg = random_cfg(), net = random_net();
        std::string pre = "ring2_" + std::to_string(R);
        std::string cp = write_case(pre, "c.yaml", cfg), np = write_case(pre, "n.yaml", net);
        std::string w = "seed " + std::to_string(seed);
        ok = network(m, rng, cp.c_str(), np.c_str(), w.c_str(), 3);
    }
    if (ok && stress_cycles > 0)
        ok = stress(m, rng, stress_cycles);
    if (ok && ovf_runs > 0)
        ok = overflow(m, rng, ovf_runs);
    delete m;
    for (int f = 0; f < 4; f++)
        printf("ring2 %s: %" PRId64 " layers, %" PRId64 " outside WQ %" PRId64 " / RING_WR_LAT %"
               PRId64 "; the others: backlog <= %" PRId64 " words, lag <= %" PRId64
               " cycles, <= %" PRId64 " words per beat, <= %" PRId64 " for one bank\n",
               fam_name[f], measured[f], refused[f], opt_wq, opt_lat, worst[f].occ, worst[f].lag,
               worst[f].per_beat, worst[f].per_bank_beat);
    if (!ok)
        return 1;
    printf("ring2 R=%" PRId64 ": %" PRId64 " layers streamed, %" PRId64 " words written, %" PRId64
           " reads checked\n", R, layers_run, words_run, reads_checked);
    return 0;
}
