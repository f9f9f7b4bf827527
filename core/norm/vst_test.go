package norm

import (
	"math"
	"sort"
	"strconv"
	"testing"

	"github.com/her2het/her2het/core/dataset"
)

// tableFunc returns R's local dispersion function as a table on R's own grid; a call
// off the grid returns NaN so that a grid mismatch fails the test.
func tableFunc(xg, disp []float64) func(float64) float64 {
	return func(x float64) float64 {
		i := sort.SearchFloat64s(xg, x)
		for _, k := range []int{i - 1, i} {
			if k >= 0 && k < len(xg) && math.Abs(xg[k]-x) <= 1e-12*xg[k] {
				return disp[k]
			}
		}
		return math.NaN()
	}
}

func TestVSTGolden(t *testing.T) {
	const rel = 1e-6 // issue 4: VST rel <= 1e-6
	A := counts(t, "A")
	B := counts(t, "B")
	sfA := valuesF(t, "A.vst.sf")
	par := valuesF(t, "A.vst.blind.par.coef")
	nob := valuesF(t, "A.vst.noblind.par.coef")
	xg := valuesF(t, "A.vst.local.xg")
	ld := valuesF(t, "A.vst.local.disp")
	cases := []struct {
		file string
		m    *dataset.Matrix
		sf   []float64
		fit  DispersionFit
	}{
		{"A_vst_blind_parametric.tsv", A, sfA, DispersionFit{Type: Parametric, AsymptDisp: par[0], ExtraPois: par[1]}},
		{"A_vst_noblind_parametric.tsv", A, sfA, DispersionFit{Type: Parametric, AsymptDisp: nob[0], ExtraPois: nob[1]}},
		{"A_vst_blind_mean.tsv", A, sfA, DispersionFit{Type: Mean, MeanDisp: valuesF(t, "A.vst.blind.mean.alpha")[0]}},
		{"A_vst_blind_local.tsv", A, sfA, DispersionFit{Type: Local, Func: tableFunc(xg, ld)}},
		{"B_vst_blind_mean.tsv", B, []float64{0.8, 1.1, 1.3, 0.9}, DispersionFit{Type: Mean, MeanDisp: valuesF(t, "B.vst.mean.alpha")[0]}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			got, err := VST(c.m, c.sf, c.fit)
			if err != nil {
				t.Fatal(err)
			}
			compareMat(t, c.file, got, readTSV(t, c.file, dataset.Expression), rel, 0)
		})
	}
	// The Go grid equals R's grid.
	maxq := math.Inf(-1)
	q, _ := NormalizedCounts(A, sfA)
	for _, v := range q.Data {
		maxq = math.Max(maxq, v)
	}
	compareVec(t, "VSTGrid", VSTGrid(maxq), xg, 1e-13, 0)
}

func TestVSTSubsetGolden(t *testing.T) {
	A := counts(t, "A").SubsetCols([]int{0, 1, 2, 3, 4, 5, 6})
	sf, err := SizeFactors(A, SizeFactorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	compareVec(t, "A7 size factors", sf, valuesF(t, "A7.vst.sf"), 1e-8, 0)
	idx, err := VSTSubset(A, sf, 1000)
	if err != nil {
		t.Fatal(err)
	}
	want := values(t, "A7.vst.nsub.genes")
	if len(idx) != len(want) {
		t.Fatalf("%d genes, want %d", len(idx), len(want))
	}
	for k := range idx {
		w, _ := strconv.Atoi(want[k])
		if idx[k] != w-1 {
			t.Fatalf("subset[%d] = %d, want %d", k, idx[k], w-1)
		}
	}
	co := valuesF(t, "A7.vst.nsub.coef")
	got, err := VST(A, sf, DispersionFit{Type: Parametric, AsymptDisp: co[0], ExtraPois: co[1]})
	if err != nil {
		t.Fatal(err)
	}
	compareMat(t, "A7_vst_nsub.tsv", got, readTSV(t, "A7_vst_nsub.tsv", dataset.Expression), 1e-6, 0)
	if _, err := VSTSubset(A.SubsetRows([]int{1, 2, 3}), sf, 1000); err == nil {
		t.Error("3 genes accepted for nsub = 1000")
	}
}

// Property: the parametric VST is increasing in q and close to log2(q) for large q;
// the mean VST equals the parametric one with extraPois = 0 (asinh identity).
func TestVSTProperties(t *testing.T) {
	genes := []string{"g1", "g2", "g3", "g4"}
	m := &dataset.Matrix{Kind: dataset.Counts, Genes: genes, Samples: []string{"s"}, Data: []float64{0, 10, 1000, 1e6}}
	sf := []float64{1}
	a := 0.1
	p, err := VST(m, sf, DispersionFit{Type: Parametric, AsymptDisp: a, ExtraPois: 1})
	if err != nil {
		t.Fatal(err)
	}
	for g := 1; g < 4; g++ {
		if !(p.Data[g] > p.Data[g-1]) {
			t.Errorf("parametric VST not increasing at %d", g)
		}
	}
	if d := math.Abs(p.Data[3] - math.Log2(1e6)); d > 0.01 {
		t.Errorf("VST(1e6) - log2(1e6) = %g", d)
	}
	mean, err := VST(m, sf, DispersionFit{Type: Mean, MeanDisp: a})
	if err != nil {
		t.Fatal(err)
	}
	// With extraPois = 0 the parametric formula is log2 of (1+2aq+2sqrt(aq(1+aq)))/(4a)
	// = (2 asinh(sqrt(aq)) - log(4a))/log 2: the two closed forms agree.
	p0, _ := VST(m, sf, DispersionFit{Type: Parametric, AsymptDisp: a, ExtraPois: 0})
	compareVec(t, "mean vs parametric b=0", mean.Data, p0.Data, 1e-13, 1e-13)
	if _, err := VST(m, sf, DispersionFit{Type: Local}); err == nil {
		t.Error("local fit without function accepted")
	}
	if _, err := VST(m, sf, DispersionFit{Type: Parametric}); err == nil {
		t.Error("zero asymptDisp accepted")
	}
}

func TestFMMSplineInterpolates(t *testing.T) {
	x := []float64{0, 0.5, 1.2, 2, 3.1, 4}
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = v*v*v - 2*v + 1 // a cubic: the FMM end conditions reproduce it exactly
	}
	s, err := newFMMSpline(x, y)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []float64{-0.5, 0, 0.3, 1.7, 3.9, 4.5} {
		want := u*u*u - 2*u + 1
		if got := s.eval(u); !closeRel(got, want, 1e-12, 1e-12) {
			t.Errorf("spline(%g) = %.17g, want %.17g", u, got, want)
		}
	}
}

func TestNormalizationFactorsGolden(t *testing.T) {
	A := counts(t, "A")
	tx := readTSV(t, "A_avgtxlength.tsv", dataset.Expression)
	for _, c := range []struct {
		file string
		typ  SizeFactorType
	}{{"A_txnf_ratio.tsv", Ratio}, {"A_txnf_poscounts.tsv", PosCounts}} {
		nf, err := NormalizationFactors(A, tx, SizeFactorOptions{Type: c.typ}, true)
		if err != nil {
			t.Fatal(err)
		}
		compareMat(t, c.file, nf, readTSV(t, c.file, dataset.Expression), 1e-8, 0)
		if c.typ != Ratio {
			continue
		}
		co := valuesF(t, "A.txnf.vst.par.coef")
		v, err := VSTNormFactors(A, nf, DispersionFit{Type: Parametric, AsymptDisp: co[0], ExtraPois: co[1]})
		if err != nil {
			t.Fatal(err)
		}
		compareMat(t, "A_txnf_vst_parametric.tsv", v, readTSV(t, "A_txnf_vst_parametric.tsv", dataset.Expression), 1e-6, 0)
	}
	// Property: an all-ones normalization matrix gives nf_gj = sf_j / geomean(sf), so the
	// VST with those factors equals the VST with renormalised ratio size factors.
	ones := newLike(A)
	for i := range ones.Data {
		ones.Data[i] = 1
	}
	nf, err := NormalizationFactors(A, ones, SizeFactorOptions{}, false)
	if err != nil {
		t.Fatal(err)
	}
	sf, _ := SizeFactors(A, SizeFactorOptions{})
	fit := DispersionFit{Type: Local, Func: func(x float64) float64 { return 0.05 + 1/x }}
	v1, err := VSTNormFactors(A, nf, fit)
	if err != nil {
		t.Fatal(err)
	}
	var ls float64
	for _, v := range sf {
		ls += math.Log(v)
	}
	g := math.Exp(ls / float64(len(sf)))
	sfn := make([]float64, len(sf))
	for j, v := range sf {
		sfn[j] = v / g
	}
	v2, _ := VST(A, sfn, fit)
	compareVec(t, "VST nf vs sf", v1.Data, v2.Data, 1e-12, 1e-12)
}
