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

// RegClock: the same protocol (set the cycle's inputs, eval_low(), read the
// outputs, tick()) for a model built as <module>_regin (cmake/PikeRegWrap.cmake: every
// input but clk through a flip-flop on in_clk), in which no logic is driven by
// a top-level input, so Verilator computes the module's combinational logic only
// when state changes.  tick() does not evaluate: it owes the edge.  eval_low()
// loads the cycle's inputs with in_clk's rising edge and, when an edge is owed,
// gives clk's in the same evaluation; the module's registers then see the
// flip-flops' old values, the inputs of the cycle the edge ends (the harness
// must not change inputs between eval_low() and tick()), and the outputs are
// those of the new cycle with its inputs.  That logic is computed about once a
// cycle instead of three times.  settle() pays an owed edge (with the inputs as
// they are: as the old tick() left the model) before outputs are read after a
// tick() without an eval_low().
template <class M> struct RegClock {
    bool owed = false;    // a rising edge of clk not yet evaluated
    bool loaded = false;  // the cycle's inputs loaded since the last tick()
    void eval_low(M *m)
    {
        m->in_clk = 1;
        m->clk = owed ? 1 : 0;
        m->eval();
        m->in_clk = 0;
        m->clk = 0;
        m->eval();  // no edge: nothing to compute
        owed = false;
        loaded = true;
    }
    void tick(M *m)
    {
        if (!loaded)
            eval_low(m);
        owed = true;
        loaded = false;
    }
    void settle(M *m)
    {
        if (owed)
            eval_low(m);
    }
};
