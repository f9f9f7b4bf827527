package engine

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/api"
)

// TestDEBuilderLeavesOutEmptyLibraries: a sample whose counts are all zero is
// left out of the DE builder's design with the QC warning (file, sample, column),
// shown by the design check and with the result, and both methods run on the
// other samples (before: voom stopped in filterByExpr, DESeq2 in its size
// factors). A matrix of zeros only is refused with the reason.
func TestDEBuilderLeavesOutEmptyLibraries(t *testing.T) {
	genes := ecGenes(t, 300)
	c, s := biCohortNamed(7, genes)
	c = ecEdit(c, func(g int, _ string, v []string) { v[2] = "0" })
	e := ecSession(t, biFiles{"counts.tsv": c, "samples.tsv": s}, "counts.tsv", "samples.tsv")
	const warn = "counts.tsv: sample P03_pre (sample column 3 of 18) has library size 0 (no read in any of 300 genes): left out of every analysis (QC)"
	for _, method := range []string{"voom", "deseq2"} {
		p, _ := json.Marshal(api.DEParams{Formula: "~ pCR", Contrast: "pCR,yes,no", Method: method})
		var check api.DEDesign
		for _, ev := range run(t, e, api.Request{ID: 1, Kind: api.KindDEDesign, Params: p}, nil) {
			if ev.DataType == "deDesign" {
				json.Unmarshal(ev.Data, &check)
			}
		}
		if !check.OK || check.Samples != 17 || !strings.Contains(strings.Join(check.Notes, "\n"), warn) {
			t.Errorf("%s: design check %+v, want OK on 17 samples with the warning", method, check)
		}
		var sec api.Section
		for _, ev := range run(t, e, api.Request{ID: 2, Kind: api.KindDERun, Params: p}, nil) {
			if ev.Kind == api.EventError {
				t.Fatalf("%s: %v", method, ev.Error)
			}
			if ev.DataType == "section" {
				json.Unmarshal(ev.Data, &sec)
			}
		}
		if len(sec.Tables) == 0 || !strings.Contains(strings.Join(sec.Notes, "\n"), warn) {
			t.Errorf("%s: result %v / notes %q, want a top table and the warning", method, sec.Summary, sec.Notes)
		}
	}

	zero := ecEdit(c, func(g int, _ string, v []string) {
		for i := range v {
			v[i] = "0"
		}
	})
	e = ecSession(t, biFiles{"counts.tsv": zero, "samples.tsv": s}, "counts.tsv", "samples.tsv")
	p, _ := json.Marshal(api.DEParams{Formula: "~ pCR", Contrast: "pCR,yes,no", Method: "voom"})
	evs := run(t, e, api.Request{ID: 3, Kind: api.KindDERun, Params: p}, nil)
	last := evs[len(evs)-1]
	if last.Kind != api.EventError || !strings.Contains(last.Error.Error(), "counts.tsv: every sample has library size 0") {
		t.Errorf("all-zero matrix: %+v %v, want the every-sample error", last, last.Error)
	}
}
