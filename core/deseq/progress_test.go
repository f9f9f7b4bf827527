package deseq

import (
	"sync"
	"testing"
)

// TestProgress checks Options.Progress: every step is reported in order,
// done never decreases within a step and never exceeds total, the number of
// calls stays small, calls never overlap, and reporting changes no result bit.
func TestProgress(t *testing.T) {
	var sc scenario
	for _, s := range scenarios {
		if s.name == "rep8" {
			sc = s
		}
	}
	cm, X, cols := loadInput(t, sc)
	type call struct {
		step        string
		done, total int
	}
	var calls []call
	var mu sync.Mutex
	opts := Options{Factors: sc.factors, Workers: 3}
	opts.Progress = func(step string, done, total int) {
		if !mu.TryLock() {
			t.Error("overlapping Progress calls")
			return
		}
		defer mu.Unlock()
		calls = append(calls, call{step, done, total})
	}
	fit, err := Run(cm, X, cols, opts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := fit.Results(ResultsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"size factors", "gene-wise dispersions", "dispersion trend", "MAP dispersions", "GLM fits", "done", "results"}
	var seen []string
	for i, c := range calls {
		if c.done < 0 || c.done > c.total {
			t.Errorf("call %d %+v: done outside [0, total]", i, c)
		}
		if len(seen) == 0 || seen[len(seen)-1] != c.step {
			seen = append(seen, c.step)
		} else if p := calls[i-1]; c.done < p.done || c.total != p.total {
			t.Errorf("call %d %+v after %+v: progress went back", i, c, p)
		}
	}
	j := 0
	for _, s := range seen {
		if j < len(want) && s == want[j] {
			j++
		}
	}
	if j != len(want) {
		t.Errorf("steps %q, want %q in this order", seen, want)
	}
	if len(calls) < 10 || len(calls) > 100 {
		t.Errorf("%d Progress calls, want a few dozen", len(calls))
	}
	plain, err := Run(cm, X, cols, Options{Factors: sc.factors, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	pres, _ := plain.Results(ResultsOptions{})
	if !sameBits(fit.Dispersion, plain.Dispersion) || !sameBits(fit.Beta, plain.Beta) || !sameBits(res.Padj, pres.Padj) {
		t.Error("results with Progress differ from results without it")
	}
}
