package study

import (
	"bytes"
	"context"
	"math"
	"strconv"
	"testing"

	"github.com/her2het/her2het/core/demo"
	"github.com/her2het/her2het/core/stats"
)

// demoRun runs the study on the built-in synthetic cohort (2000 genes to keep the
// test fast; the planted programs are all present at that size).
func demoRun(t *testing.T) *Result {
	t.Helper()
	c, err := demo.Generate(demo.Options{Genes: 2000, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	in := &Inputs{}
	for _, f := range c.Files() {
		switch f.Name {
		case demo.FileCounts, demo.FileSamples, demo.FileFISH, demo.FileSpatialSegments, demo.FileSpatialCounts:
			fs, err := in.Add(f.Name, bytes.NewReader(f.Data), nil)
			if err != nil {
				t.Fatalf("Add(%s): %v", f.Name, err)
			}
			if !fs.Synthetic {
				t.Errorf("%s not marked synthetic", f.Name)
			}
		}
	}
	p := DefaultParams()
	p.GSEAPerm = 200
	p.Workers = 2
	res, err := Run(context.Background(), in, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// patientMedians returns the median of a patients.tsv column by group.
func patientMedians(t *testing.T, res *Result, col string) map[string]float64 {
	t.Helper()
	k := -1
	for i, c := range res.Patients.Columns {
		if c == col {
			k = i
		}
	}
	if k < 0 {
		t.Fatalf("patients.tsv has no column %q", col)
	}
	v := map[string][]float64{}
	for _, r := range res.Patients.Rows {
		x, err := strconv.ParseFloat(r[k], 64)
		if err != nil || math.IsNaN(x) {
			continue
		}
		v[r[1]] = append(v[r[1]], x)
		het := "non-HET"
		if r[3] == "1" {
			het = "HET"
		}
		v["by HET: "+het] = append(v["by HET: "+het], x)
	}
	m := map[string]float64{}
	for g, x := range v {
		m[g] = stats.Median(x)
	}
	return m
}

// TestDemoFindings checks that the demo cohort shows the findings of study.md in
// the right direction (finding 6, GeoMx, is not analysed yet).
func TestDemoFindings(t *testing.T) {
	if testing.Short() {
		t.Skip("demo cohort run")
	}
	res := demoRun(t)
	const pcr, nopcr, het = GroupNonHETpCR, GroupNonHETnopCR, GroupHETnopCR
	sig := func(analysis, variable, groups string) {
		t.Helper()
		tr := testRow(res, analysis, variable, groups)
		if tr == nil || !(tr.PValue < 0.05) {
			t.Errorf("%s %s %s: not significant: %+v", analysis, variable, groups, tr)
		}
	}
	// 1. pCR: highest ERBB2 mRNA and ERBB signalling.
	e := patientMedians(t, res, "ERBB2")
	if !(e[pcr] > e[nopcr] && e[nopcr] > e[het]) {
		t.Errorf("finding 1/2: ERBB2 medians %v, want pCR > no pCR > HET", e)
	}
	sig("amplicon", "ERBB2", "")
	eg := patientMedians(t, res, "progeny:EGFR")
	if !(eg[pcr] > eg[nopcr]) {
		t.Errorf("finding 1: PROGENy EGFR medians %v, want pCR > no pCR", eg)
	}
	// 2. HET: no pCR, basal-like, low ERBB2 yet high ERBB signalling.
	for _, r := range res.Patients.Rows {
		if r[3] == "1" && r[2] == "yes" {
			t.Errorf("finding 2: HET patient %s with pCR", r[0])
		}
	}
	b := patientMedians(t, res, "PAM50_cor_Basal")
	if !(b[het] > b[pcr] && b[het] > b[nopcr]) {
		t.Errorf("finding 2: Basal correlation medians %v, want HET highest", b)
	}
	sig("pam50 correlation", "PAM50 cor Basal", "")
	es := patientMedians(t, res, "gsva:Signaling by ERBB2")
	if !(es[het] > es[nopcr]) {
		t.Errorf("finding 2: ERBB2 signalling medians %v, want HET > non-HET/no pCR", es)
	}
	pi := patientMedians(t, res, "progeny:PI3K")
	if !(pi[het] > pi[nopcr]) {
		t.Errorf("finding 2: PROGENy PI3K medians %v, want HET > non-HET/no pCR", pi)
	}
	// 3. Residual tumours: more PI3K, more luminal, ERBB2 copy-number heterogeneity.
	d := patientMedians(t, res, "delta:progeny:PI3K")
	if !(d["by HET: non-HET"] > 0) {
		t.Errorf("finding 3: PI3K change %v, want up after treatment", d)
	}
	sig("score change", "progeny:PI3K", "non-HET: post vs pre")
	lum := testRow(res, "pam50", "subtype", "pre | post")
	if lum == nil || !(lum.PValue < 0.05) {
		t.Errorf("finding 3: PAM50 composition pre vs post: %+v", lum)
	}
	for _, f := range res.Section("pam50").Figures {
		if f.ID != "pam50-by-timepoint" {
			continue
		}
		share := func(row int) float64 {
			var lum, tot float64
			for k, ser := range f.Bars.Series {
				v := float64(f.Bars.Values[k][row])
				tot += v
				if ser == "LumA" || ser == "LumB" {
					lum += v
				}
			}
			return lum / tot
		}
		if !(share(1) > share(0)) {
			t.Errorf("finding 3: luminal share post %.2f, pre %.2f: want more luminal after treatment", share(1), share(0))
		}
	}
	sig("FISH pre vs post", "fraction_non_amplified", "")
	ihc := testRow(res, "treatment change", "HER2 IHC score", "post vs pre")
	if ihc == nil || !(ihc.PValue < 0.05) || !(ihc.Statistic < float64(ihc.N*(ihc.N+1))/4) {
		t.Errorf("finding 3: HER2 IHC score should fall after treatment: %+v", ihc)
	}
	// 4. HET tumours change little, non-HET a lot.
	ch := patientMedians(t, res, "pre_post_projection")
	if !(ch["by HET: non-HET"] > ch["by HET: HET"]) {
		t.Errorf("finding 4: change along the treatment direction %v, want non-HET > HET", ch)
	}
	sig("treatment change", "pre_post_projection", "")
	// 5. Immune infiltration with pCR and with HET status.
	sig("immune by pCR", "T cells", "")
	im := patientMedians(t, res, "immune:T cells")
	if !(im[pcr] > im[nopcr]) {
		t.Errorf("finding 5: T cells medians %v, want pCR > no pCR", im)
	}
	// 6. GeoMx: HER2-rich vs HER2-poor regions (when the spatial analysis is built in).
	if spatialHook != nil {
		sp := testRow(res, "spatial region", "ERBB2", "")
		if sp == nil || !(sp.PValue < 0.05) || !(sp.Statistic > 0) {
			t.Errorf("finding 6: ERBB2 HER2-high vs HER2-low: %+v (%s)", sp, res.Section("spatial").Summary)
		}
	}
	// By HET: at least one of the main immune scores lower in HET at p < 0.05.
	var byHET []string
	for _, v := range []string{"T cells", "CD8 T cells", "Cytotoxic lymphocytes", "ImmuneScore", "CD45"} {
		tr := testRow(res, "immune by HET", v, "")
		m := patientMedians(t, res, "immune:"+v)
		if tr != nil && tr.PValue < 0.05 && m["by HET: HET"] < m["by HET: non-HET"] {
			byHET = append(byHET, v)
		}
	}
	if len(byHET) == 0 {
		t.Errorf("finding 5: no immune score lower in HET at p < 0.05")
	}
}
