package spatial

import (
	"bytes"
	"math"
	"testing"

	"github.com/her2het/her2het/core/demo"
)

// TestDemoSpatial runs the DSP-export path on the demo's GeoMx-like TSV pair:
// the poor segment fails QC (nuclei), ERBB2 is higher in HER2-high segments,
// and the HER2-high vs HER2-low difference is larger in HET patients.
func TestDemoSpatial(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the demo cohort (seconds)")
	}
	c, err := demo.Generate(demo.Options{Genes: 2000, Uncompressed: true})
	if err != nil {
		t.Fatal(err)
	}
	var segs, counts *Table
	for _, f := range c.Files() {
		switch f.Name {
		case demo.FileSpatialSegments:
			segs, err = ReadTable(bytes.NewReader(f.Data), f.Name)
		case demo.FileSpatialCounts:
			counts, err = ReadTable(bytes.NewReader(f.Data), f.Name)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	set, err := FromDSPExport(segs, counts, "RNA")
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Segments) != 64 {
		t.Errorf("%d segments", len(set.Segments))
	}
	qc := QC(set, WorkflowQC())
	keep := make([]bool, len(qc))
	nfail := 0
	for i, q := range qc {
		keep[i] = q.Pass
		if !q.Pass {
			nfail++
			t.Logf("segment %s fails QC: %s", set.Segments[i].Name, q)
		}
	}
	// The demo's one poor segment (index 13) is the only one with too few
	// nuclei; its single negative-probe draw can be 0 in a few segments, which
	// the workflow's minNegativeCount 1 flags too.
	nLowNuc := 0
	for _, q := range qc {
		if q.Flags[7] {
			nLowNuc++
		}
	}
	if nLowNuc != 1 || !qc[13].Flags[7] || nfail > 6 {
		t.Errorf("%d segments fail QC, %d with LowNuclei; segment 14: %s", nfail, nLowNuc, qc[13])
	}
	set, _ = set.Subset(keep)
	var endo []int
	for i, tg := range set.Targets {
		if !tg.Negative {
			endo = append(endo, i)
		}
	}
	norm, err := ApplyFactors(set.Counts, Q3Factors(set.Counts))
	if err != nil {
		t.Fatal(err)
	}
	norm = norm.SubsetRows(endo)
	d, err := DesignFromSet(set, DesignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := Compare(norm, d, CompareOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if cmp.NPatients != 8 || cmp.NHET != 4 || cmp.NNonHET != 4 {
		t.Errorf("patients %d HET %d non-HET %d", cmp.NPatients, cmp.NHET, cmp.NNonHET)
	}
	for i, r := range cmp.Region {
		if r.Target != "ERBB2" {
			continue
		}
		t.Logf("ERBB2 region %+v", r)
		t.Logf("ERBB2 HET %+v", cmp.HET[i])
		if !(r.Log2FC > 0.5) || !(r.FDR < 0.05) || r.NPairs != 8 {
			t.Errorf("ERBB2 HER2-high vs low: %+v", r)
		}
		if !(cmp.HET[i].Interaction > 0.5) || !(cmp.HET[i].InteractionP < 0.05) {
			t.Errorf("ERBB2 interaction: %+v", cmp.HET[i])
		}
	}
	// Workers do not change any number.
	one, err := Compare(norm, d, CompareOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range one.Region {
		a, b := one.Region[i], cmp.Region[i]
		if math.Float64bits(a.P) != math.Float64bits(b.P) || math.Float64bits(a.DF) != math.Float64bits(b.DF) ||
			math.Float64bits(one.HET[i].InteractionP) != math.Float64bits(cmp.HET[i].InteractionP) {
			t.Fatalf("target %s differs with 1 and 2 workers", a.Target)
		}
	}
	v := VolcanoFigure(cmp, 0.05)
	if len(v.Scatter.Points) < 1000 {
		t.Errorf("volcano has %d points", len(v.Scatter.Points))
	}
	if _, err := TargetFigure(norm, d, "ERBB2", 1); err != nil {
		t.Error(err)
	}
}
