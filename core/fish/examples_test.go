package fish

import (
	"os"
	"strings"
	"testing"
)

// The real STAR-FISH spot-count folder kept outside the repository
// (../shared/examples/fish-spotcounts from /work/main). Skipped when absent.
const examplesDir = "../../../shared/examples/fish-spotcounts"

func TestRealSpotCounts(t *testing.T) {
	if _, err := os.Stat(examplesDir); err != nil {
		t.Skip("examples folder absent:", err)
	}
	set, err := ReadSpotCounts(os.DirFS(examplesDir), SpotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Both naming styles load: T-DM1 trial style (AG-0008_S1_C2) and PR/PO style.
	var styleTrial, stylePrePost, copyFiles, plainFiles int
	for _, im := range set.Images {
		if strings.Contains(im.Sample, "-") {
			styleTrial++
		} else {
			stylePrePost++
		}
		for _, f := range im.Files {
			if strings.Contains(f, " copy") {
				copyFiles++
			} else {
				plainFiles++
			}
		}
	}
	if styleTrial == 0 || stylePrePost == 0 || copyFiles == 0 || plainFiles == 0 {
		t.Fatalf("images: trial style %d, PR/PO style %d; files with copy %d, without %d", styleTrial, stylePrePost, copyFiles, plainFiles)
	}
	for _, f := range set.Ignored {
		if strings.HasSuffix(f, ".txt") && !strings.Contains(f, "_ch01") && !strings.Contains(f, "_ch03") {
			t.Errorf("channel file ignored by the default pattern: %s", f)
		}
	}
	if len(set.Cells) < 10000 {
		t.Fatalf("only %d cells", len(set.Cells))
	}
	res, err := Summarise(set.Cells, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Areas) != len(set.Images) {
		t.Errorf("%d areas for %d images", len(res.Areas), len(set.Images))
	}
	t.Logf("%d images, %d cells, %d areas, %d sites, %d tumours, %d changes, %d warnings",
		len(set.Images), len(set.Cells), len(res.Areas), len(res.Sites), len(res.Tumours), len(res.Changes), len(res.Warnings))
	// Per-area results checked against sums made independently with paste and awk on the
	// channel files (ERBB2 ch02, CEP17 ch00; ratio cells have CEP17 > 0; amplified when
	// ERBB2 >= 2*CEP17).
	want := []struct {
		sample, tp, site, area                   string
		n, sumE, sumC, nRatio, sumER, sumCR, amp int
		called                                   bool
	}{
		{"AG-0008", "", "S1", "C2_Series008", 77, 203, 8, 5, 21, 8, 3, false},
		{"6450", "pre", "BM_06", "Series013", 404, 1170, 3801, 358, 1134, 3801, 21, true},
	}
	for _, w := range want {
		found := false
		for _, a := range res.Areas {
			if a.Sample != w.sample || a.Timepoint != w.tp || a.Site != w.site || a.Name != w.area {
				continue
			}
			found = true
			if a.NCells != w.n || a.NRatio != w.nRatio || a.NAmplified != w.amp || a.Called != w.called ||
				a.MeanERBB2 != float64(w.sumE)/float64(w.n) || a.MeanCEP17 != float64(w.sumC)/float64(w.n) ||
				a.Ratio != float64(w.sumER)/float64(w.sumCR) {
				t.Errorf("area %s/%s/%s: %+v", w.sample, w.site, w.area, a.Summary)
			}
		}
		if !found {
			t.Errorf("area %s %s %s %s not found", w.sample, w.tp, w.site, w.area)
		}
	}
	// Per-tumour results: pre and post of the PR/PO cohort pair up; tumours with CEP17 in
	// too few nuclei are not called under the ratio rule, and are under the copies rule.
	nPaired := 0
	for _, c := range res.Changes {
		if c.Sample == "0040" || c.Sample == "0048" || c.Sample == "6450" || c.Sample == "6748" {
			nPaired++
		}
	}
	if nPaired != 4 {
		t.Errorf("paired changes %+v", res.Changes)
	}
	joined := strings.Join(set.Warnings, "\n")
	if !strings.Contains(joined, "Log_MAX_IW-0014_S2_C1_Series016_z6: no ERBB2 file") {
		t.Errorf("no warning for the image without an ERBB2 file:\n%s", joined)
	}
	o := DefaultOptions()
	o.Rule = RuleCopies6
	res6, err := Summarise(set.Cells, o)
	if err != nil {
		t.Fatal(err)
	}
	for i, tu := range res6.Tumours {
		if tu.Het == HetNA || tu.Reason == "" {
			t.Errorf("copies rule: tumour %s %s not called: %s", tu.Sample, tu.Timepoint, tu.Reason)
		}
		t.Logf("%-8s %-5s ratio rule: %-7v copies rule: %-7v nonamp %.3f shannon %.3f", tu.Sample, tu.Timepoint, res.Tumours[i].Het, tu.Het, tu.FractionNonAmplified, tu.Shannon)
	}
}
