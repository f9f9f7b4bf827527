package norm

import (
	"strconv"
	"testing"

	"github.com/her2het/her2het/core/design"
)

// groupDesign builds model.matrix(~group [+ cov]) with the first level as reference.
func groupDesign(t testing.TB, group []string, cov []float64) *design.Matrix {
	t.Helper()
	levels, code := levelsOf(group)
	cols := []string{"(Intercept)"}
	for _, l := range levels[1:] {
		cols = append(cols, "group"+l)
	}
	if cov != nil {
		cols = append(cols, "cov")
	}
	p := len(cols)
	x := make([]float64, len(group)*p)
	for i := range group {
		x[i*p] = 1
		if code[i] > 0 {
			x[i*p+code[i]] = 1
		}
		if cov != nil {
			x[i*p+p-1] = cov[i]
		}
	}
	d, err := design.FromValues(cols, len(group), x)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestFilterByExprGolden(t *testing.T) {
	A := counts(t, "A")
	E := counts(t, "E")
	B := counts(t, "B")
	gA := values(t, "A.group")
	cov := valuesF(t, "A.cov")
	nf, err := NormFactors(A, NormOptions{})
	if err != nil {
		t.Fatal(err)
	}
	eff := EffectiveLibSizes(colSums(A), nf)
	gE := make([]string, 24)
	for i := range gE {
		gE[i] = "p"
		if i >= 12 {
			gE[i] = "q"
		}
	}
	cases := []struct {
		key string
		m   string
		opt FilterOptions
	}{
		{"A.keep.group", "A", FilterOptions{Group: gA}},
		{"A.keep.design", "A", FilterOptions{Design: groupDesign(t, gA, nil)}},
		{"A.keep.none", "A", FilterOptions{}},
		{"A.keep.dge", "A", FilterOptions{Group: gA, LibSize: eff}},
		{"A.keep.dge.design", "A", FilterOptions{Design: groupDesign(t, gA, cov), LibSize: eff}},
		{"A.keep.mincount", "A", FilterOptions{Group: gA, MinCount: 5, MinTotalCount: 30}},
		{"E.keep.group", "E", FilterOptions{Group: gE}},
		{"E.keep.design", "E", FilterOptions{Design: groupDesign(t, gE, nil)}},
		{"B.keep.group", "B", FilterOptions{Group: []string{"1", "1", "2", "2"}}},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			m := A
			switch c.m {
			case "E":
				m = E
			case "B":
				m = B
			}
			got, err := FilterByExpr(m, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			want := valuesB(t, c.key)
			nk := 0
			for g := range want {
				if got[g] != want[g] {
					t.Errorf("gene %s: keep %v, want %v", m.Genes[g], got[g], want[g])
				}
				if want[g] {
					nk++
				}
			}
			if nk == 0 || nk == len(want) {
				t.Errorf("degenerate golden: %d of %d kept", nk, len(want))
			}
			t.Logf("%s: %s of %d kept", c.key, strconv.Itoa(nk), len(want))
		})
	}
}

func TestHatMaxProperty(t *testing.T) {
	// For a one-way layout, max hat = 1/(smallest group size).
	g := []string{"a", "a", "a", "b", "b", "c", "c", "c", "c"}
	h, err := hatMax(groupDesign(t, g, nil), len(g))
	if err != nil {
		t.Fatal(err)
	}
	if !closeRel(h, 0.5, 1e-14, 0) {
		t.Errorf("max hat = %.17g, want 0.5", h)
	}
	// ~0 + group (indicators, no intercept): hat() prepends a column of ones, which
	// the pivoted QR drops as dependent, so the answer is the same.
	x := make([]float64, len(g)*3)
	for i, v := range g {
		x[i*3+int(v[0]-'a')] = 1
	}
	d, err := design.FromValues([]string{"a", "b", "c"}, len(g), x)
	if err != nil {
		t.Fatal(err)
	}
	h0, err := hatMax(d, len(g))
	if err != nil {
		t.Fatal(err)
	}
	if !closeRel(h0, 0.5, 1e-14, 0) {
		t.Errorf("no-intercept max hat = %.17g, want 0.5", h0)
	}
}

func TestSizeFactorsGolden(t *testing.T) {
	const rel = 1e-8 // issue 4: size factors rel <= 1e-8
	control := make([]int, 0, 130)
	for g := 20; g < 150; g++ {
		control = append(control, g)
	}
	for _, name := range []string{"A", "B", "E"} {
		m := counts(t, name)
		cases := []struct {
			key string
			opt SizeFactorOptions
		}{
			{".sf.ratio", SizeFactorOptions{Type: Ratio}},
			{".sf.poscounts", SizeFactorOptions{Type: PosCounts}},
			{".sf.ratio.control", SizeFactorOptions{Type: Ratio, ControlGenes: control}},
			{".sf.poscounts.control", SizeFactorOptions{Type: PosCounts, ControlGenes: control}},
		}
		for _, c := range cases {
			t.Run(name+c.key, func(t *testing.T) {
				got, err := SizeFactors(m, c.opt)
				if err != nil {
					t.Fatal(err)
				}
				compareVec(t, name+c.key, got, valuesF(t, name+c.key), rel, 0)
			})
		}
	}
}

func TestSizeFactorsProperties(t *testing.T) {
	B := counts(t, "B")
	// Doubling every count of one sample doubles its ratio size factor.
	B2 := B.SubsetCols([]int{0, 1, 2, 3})
	for g := 0; g < B2.Rows(); g++ {
		B2.Data[g*4+1] *= 2
	}
	s1, _ := SizeFactors(B, SizeFactorOptions{})
	s2, _ := SizeFactors(B2, SizeFactorOptions{})
	// geometric means move by 2^(1/4), so s2[1]/s1[1] = 2/2^(1/4), others / 2^(1/4)
	r := s2[1] / s1[1] * (s1[0] / s2[0])
	if !closeRel(r, 2, 1e-12, 0) {
		t.Errorf("ratio of ratios %.17g, want 2", r)
	}
	// all genes with a zero: error for ratio, fine for poscounts.
	Z := B.SubsetRows([]int{10, 11})
	Z.Data[0], Z.Data[5] = 0, 0
	if _, err := SizeFactors(Z, SizeFactorOptions{}); err != ErrAllGenesZero {
		t.Errorf("err = %v, want ErrAllGenesZero", err)
	}
	if _, err := SizeFactors(Z, SizeFactorOptions{Type: PosCounts}); err != nil {
		t.Error(err)
	}
	if _, err := SizeFactors(B, SizeFactorOptions{ControlGenes: []int{-1}}); err == nil {
		t.Error("bad control gene accepted")
	}
}
