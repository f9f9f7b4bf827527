package engine

import (
	"strings"
	"testing"

	"github.com/her2het/her2het/core/api"
)

// TestDERunDESeq2Progress: a DESeq2 run reports each of DESeq2's steps with the
// genes done, and the bar never goes back.
func TestDERunDESeq2Progress(t *testing.T) {
	e := New()
	loadFixture(t, e, "counts.tsv", "samples.tsv")
	evs := run(t, e, api.Request{ID: 2, Kind: api.KindDERun,
		Params: api.Marshal(api.DEParams{Formula: "~ pCR", Contrast: "pCR,yes,no", Method: "deseq2"})}, nil)
	if last := evs[len(evs)-1]; last.Kind != api.EventDone {
		t.Fatalf("DE run: %v", last.Error)
	}
	var steps []string
	prev := 0.0
	for _, ev := range evs {
		if ev.Kind != api.EventProgress {
			continue
		}
		if ev.Fraction < prev || ev.Fraction > 1 {
			t.Errorf("progress went from %g to %g at %q", prev, ev.Fraction, ev.Step)
		}
		prev = ev.Fraction
		steps = append(steps, ev.Step)
	}
	all := strings.Join(steps, "\n")
	for _, want := range []string{"DESeq2: size factors", "DESeq2: gene-wise dispersions (", " of 300 genes)", "DESeq2: MAP dispersions", "DESeq2: GLM fits", "DESeq2: results", "draw"} {
		if !strings.Contains(all, want) {
			t.Errorf("progress steps lack %q:\n%s", want, all)
		}
	}
	if prev < 0.85 {
		t.Errorf("last fraction %g", prev)
	}
}

func TestDESeqProgressFractions(t *testing.T) {
	var got []float64
	p := deseqProgress(1, func(ev api.Event) { got = append(got, ev.Fraction) })
	p("size factors", 0, 0)
	p("gene-wise dispersions", 500, 1000)
	p("outlier refit: gene-wise dispersions", 1, 2)
	p("an unknown step", 0, 0) // keeps the last fraction
	p("results", 0, 0)
	want := []float64{0.05, 0.07 + 0.31*0.5, 0.83, 0.83, 0.87}
	for i := range want {
		if d := got[i] - want[i]; d > 1e-12 || d < -1e-12 {
			t.Errorf("call %d: fraction %g, want %g", i, got[i], want[i])
		}
	}
}

// TestDERunVoomIndeterminate: limma's workflow reports no steps, so its
// progress event asks for a moving bar.
func TestDERunVoomIndeterminate(t *testing.T) {
	e := New()
	loadFixture(t, e, "counts.tsv", "samples.tsv")
	evs := run(t, e, api.Request{ID: 2, Kind: api.KindDERun,
		Params: api.Marshal(api.DEParams{Formula: "~ timepoint", Contrast: "timepoint,post,pre", Method: "voom", Block: "patient"})}, nil)
	if last := evs[len(evs)-1]; last.Kind != api.EventDone {
		t.Fatalf("DE run: %v", last.Error)
	}
	found := false
	for _, ev := range evs {
		if ev.Kind == api.EventProgress && ev.Indeterminate {
			found = true
			if !strings.Contains(ev.Step, "duplicateCorrelation (block patient)") {
				t.Errorf("step %q", ev.Step)
			}
		}
	}
	if !found {
		t.Error("no indeterminate progress event for limma-voom")
	}
}
