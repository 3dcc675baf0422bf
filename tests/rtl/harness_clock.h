// harness_clock.h - one clock cycle of a Verilated model in two evaluations:
// eval_low() with the cycle's inputs set and clk low (the outputs are then
// read), tick() the rising edge.  Every eval() re-evaluates the model's whole
// input-driven logic (Verilator 5's `ico` region runs on each call), which is
// most of a large engine's time, so no third evaluation (a separate clk = 0
// step before the edge) is made: in pk_ld2's harness that was 25% of the run.
// tick() without an eval_low() since the last edge makes the low evaluation
// itself, so two ticks in a row are two edges.
#pragma once

template <class M> struct Clock {
    bool low = false;  // evaluated with clk low since the last edge
    void eval_low(M *m)
    {
        m->clk = 0;
        m->eval();
        low = true;
    }
    void tick(M *m)
    {
        if (!low)
            eval_low(m);
        m->clk = 1;
        m->eval();
        low = false;
    }
};
