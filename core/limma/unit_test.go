package limma

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
)

func TestVoomBlockGolden(t *testing.T) {
	counts := readMatrix(t, "testdata/paired_counts.tsv", dataset.Counts)
	fr := readSheet(t, "testdata/paired_samples.tsv")
	X := mustDesign(t, "~ HET", fr)
	h := readHyper(t, "testdata/paired_hyper.tsv")
	v, err := Voom(counts, X, &VoomOptions{Block: fr.Columns["patient"], Correlation: h["consensus"][0]})
	if err != nil {
		t.Fatal(err)
	}
	w := readMatrix(t, "testdata/paired_voom2_weights.tsv", dataset.Expression)
	checkSlice(t, "weights", v.Weights, w.Data, tolWeights)
}

// Gene-wise work must not depend on the number of workers, bit for bit.
func TestWorkersBitwise(t *testing.T) {
	fr := pairedFrame(20, 15)
	counts := simCounts(300, len(fr.Samples), 9)
	X, err := design.ModelMatrix("~ HET", fr)
	if err != nil {
		t.Fatal(err)
	}
	block := fr.Columns["patient"]
	run := func(workers int) ([]float64, []float64, float64, []float64) {
		v, err := Voom(counts, X, &VoomOptions{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		dc, err := DuplicateCorrelation(v.E, X, block, &DupCorOptions{Weights: v.Weights, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		f, err := LmFit(v.E, X, &LmOptions{Weights: v.Weights, Block: block, Correlation: dc.Consensus, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := EBayes(f, nil); err != nil {
			t.Fatal(err)
		}
		return v.Weights, f.T, dc.Consensus, dc.AtanhCorrelations
	}
	w1, t1, c1, a1 := run(1)
	for _, k := range []int{2, 3, 7} {
		wk, tk, ck, ak := run(k)
		if ck != c1 {
			t.Fatalf("workers %d: consensus %v != %v", k, ck, c1)
		}
		for i := range w1 {
			if math.Float64bits(wk[i]) != math.Float64bits(w1[i]) {
				t.Fatalf("workers %d: weight %d differs", k, i)
			}
		}
		for i := range t1 {
			if math.Float64bits(tk[i]) != math.Float64bits(t1[i]) {
				t.Fatalf("workers %d: t %d differs", k, i)
			}
		}
		for i := range a1 {
			if math.Float64bits(ak[i]) != math.Float64bits(a1[i]) {
				t.Fatalf("workers %d: atanh %d differs", k, i)
			}
		}
	}
}

func TestInterpCompressed(t *testing.T) {
	// A piecewise-linear curve with 1000 points on 4 segments compresses to
	// its 5 breakpoints and interpolates the same.
	x := make([]float64, 1001)
	y := make([]float64, 1001)
	for i := range x {
		x[i] = float64(i) / 100
		switch {
		case x[i] < 2.5:
			y[i] = 1 + 0.3*x[i]
		case x[i] < 5:
			y[i] = 1.75 - 0.1*(x[i]-2.5)
		case x[i] < 7.5:
			y[i] = 1.5 + 0.05*(x[i]-5)
		default:
			y[i] = 1.625
		}
	}
	cx, _ := compressLinear(x, y)
	if len(cx) > 8 {
		t.Errorf("compressed to %d points", len(cx))
	}
	ip := newInterp(x, y)
	for q := -0.5; q < 11; q += 0.0137 {
		if a, b := ip.at(q), approxRule2(x, y, q); math.Abs(a-b) > 1e-13 {
			t.Fatalf("at(%v) = %v want %v", q, a, b)
		}
	}
}

func TestInterpMatchesApprox(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 500)
	y := make([]float64, 500)
	v := 0.0
	for i := range x {
		v += r.Float64() * 0.1
		x[i] = v
		y[i] = r.NormFloat64()
	}
	ip := newInterp(x, y)
	for k := 0; k < 20000; k++ {
		q := -1 + r.Float64()*(v+2)
		if k%7 == 0 {
			q = x[r.IntN(len(x))]
		}
		if a, b := ip.at(q), approxRule2(x, y, q); math.Abs(a-b) > 1e-13*(math.Abs(b)+1) {
			t.Fatalf("at(%v) = %v, approx %v", q, a, b)
		}
	}
}

// Independent property: with unit weights and no NA, LmFit equals the
// closed-form two-group fit (difference of means, pooled SD).
func TestLmFitTwoGroupClosedForm(t *testing.T) {
	y := &dataset.Matrix{Genes: []string{"a", "b"}, Samples: []string{"1", "2", "3", "4", "5"},
		Data: []float64{1, 2, 3, 5, 8, 2, 2, 4, 4, 4}}
	X, _ := design.FromValues([]string{"(Intercept)", "g"}, 5, []float64{1, 0, 1, 0, 1, 0, 1, 1, 1, 1})
	f, err := LmFit(y, X, nil)
	if err != nil {
		t.Fatal(err)
	}
	// gene a: group0 {1,2,3} mean 2, group1 {5,8} mean 6.5; RSS = 2 + 4.5.
	if math.Abs(f.Coefficients[1]-4.5) > 1e-14 || math.Abs(f.Sigma[0]-math.Sqrt(6.5/3)) > 1e-14 {
		t.Fatalf("coef %v sigma %v", f.Coefficients[:2], f.Sigma[0])
	}
	if math.Abs(f.StdevUnscaled[1]-math.Sqrt(1.0/3+1.0/2)) > 1e-14 || f.DfResidual[0] != 3 {
		t.Fatalf("stdev %v df %v", f.StdevUnscaled[1], f.DfResidual[0])
	}
	// NaN observation: dropped, df decreases; zero weight the same.
	y.Data[0] = math.NaN()
	f, _ = LmFit(y, X, nil)
	if f.DfResidual[0] != 2 || math.Abs(f.Coefficients[0]-2.5) > 1e-14 {
		t.Fatalf("NA gene: df %v coef %v", f.DfResidual[0], f.Coefficients[0])
	}
	w := []float64{1, 1, 1, 1, 1, 0, 1, 1, 1, 1}
	f, _ = LmFit(y, X, &LmOptions{Weights: w})
	if f.DfResidual[1] != 2 || math.Abs(f.Coefficients[2]-3) > 1e-14 {
		t.Fatalf("zero weight: df %v coef %v", f.DfResidual[1], f.Coefficients[2])
	}
}

func TestErrors(t *testing.T) {
	m := &dataset.Matrix{Genes: []string{"a", "b"}, Samples: []string{"1", "2"}, Data: []float64{1, 2, -1, 4}}
	X, _ := design.FromValues([]string{"x"}, 2, []float64{1, 1})
	if _, err := Voom(m, X, nil); err == nil || !strings.Contains(err.Error(), "negative") {
		t.Errorf("negative counts: %v", err)
	}
	m.Data[2] = math.NaN()
	if _, err := Voom(m, X, nil); err == nil || !strings.Contains(err.Error(), "NA") {
		t.Errorf("NA counts: %v", err)
	}
	m.Data[2] = 3
	if _, err := Voom(m, X, &VoomOptions{LibSize: []float64{1}}); err == nil {
		t.Error("short lib sizes accepted")
	}
	one := &dataset.Matrix{Genes: []string{"a"}, Samples: []string{"1", "2"}, Data: []float64{1, 2}}
	if _, err := Voom(one, X, nil); err == nil {
		t.Error("one gene accepted")
	}
	X3, _ := design.FromValues([]string{"x"}, 3, []float64{1, 1, 1})
	if _, err := LmFit(m, X3, nil); err == nil {
		t.Error("design rows mismatch accepted")
	}
	if _, err := LmFit(m, X, &LmOptions{Block: []string{"a", "a"}, Correlation: 1}); err == nil {
		t.Error("correlation 1 accepted")
	}
	if _, err := LmFit(&dataset.Matrix{Samples: []string{"1", "2"}}, X, nil); err == nil {
		t.Error("no genes accepted")
	}
	// No residual df.
	f, _ := LmFit(m, X, nil)
	f.DfResidual = []float64{0, 0}
	if _, err := EBayes(f, nil); err == nil {
		t.Error("zero df accepted")
	}
	if _, err := TopTable(f, 0, nil); err == nil {
		t.Error("topTable before eBayes accepted")
	}
	f, _ = LmFit(m, X, nil)
	if _, err := ContrastsFit(f, []float64{1, 2}, []string{"c"}); err == nil {
		t.Error("wrong contrast size accepted")
	}
	if _, err := ContrastsFit(f, []float64{math.NaN()}, []string{"c"}); err == nil {
		t.Error("NaN contrast accepted")
	}
	if _, err := DuplicateCorrelation(m, X, []string{"a"}, nil); err == nil {
		t.Error("short block accepted")
	}
}

func TestDupCorEarlyExits(t *testing.T) {
	fr := pairedFrame(12, 8)
	counts := simCounts(50, len(fr.Samples), 4)
	X, _ := design.ModelMatrix("~ HET", fr)
	v, _ := Voom(counts, X, nil)
	single := make([]string, len(fr.Samples))
	for i := range single {
		single[i] = fr.Samples[i]
	}
	dc, err := DuplicateCorrelation(v.E, X, single, nil)
	if err != nil || dc.Consensus != 0 || !strings.Contains(dc.Reason, "size 1") {
		t.Errorf("singletons: %+v %v", dc, err)
	}
	Xp, _ := design.ModelMatrix("~ patient", fr)
	dc, err = DuplicateCorrelation(v.E, Xp, fr.Columns["patient"], nil)
	if err != nil || dc.Consensus != 0 || !strings.Contains(dc.Reason, "already") {
		t.Errorf("block in design: %+v %v", dc, err)
	}
	// A constant gene gives NaN, not rounding noise.
	c := dataset.NewMatrix(dataset.Expression, []string{"k", "v"}, fr.Samples)
	for j := range fr.Samples {
		c.Data[j] = 5
		c.Data[len(fr.Samples)+j] = float64(j % 3)
	}
	dc, _ = DuplicateCorrelation(c, X, fr.Columns["patient"], nil)
	if !math.IsNaN(dc.AtanhCorrelations[0]) || math.IsNaN(dc.AtanhCorrelations[1]) {
		t.Errorf("constant gene: %v", dc.AtanhCorrelations)
	}
}

func TestTopTableSorting(t *testing.T) {
	f := &Fit{Genes: []string{"a", "b", "c", "d"}, CoefNames: []string{"x"},
		Coefficients: []float64{1, -3, 2, math.NaN()}, T: []float64{1, -3, 2, math.NaN()},
		PValue: []float64{0.3, 0.01, 0.05, math.NaN()}, Lods: []float64{-1, 2, 0, math.NaN()},
		Amean: []float64{5, 6, 7, 8}}
	order := func(by string, n int) string {
		rows, err := TopTable(f, 0, &TopTableOptions{SortBy: by, Number: n})
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, r := range rows {
			s = append(s, r.Gene)
		}
		return strings.Join(s, "")
	}
	for by, want := range map[string]string{"B": "bcad", "P": "bcad", "t": "bcad", "logFC": "bcad", "AveExpr": "dcba", "none": "abcd"} {
		if got := order(by, 0); got != want {
			t.Errorf("sort.by %s: %s want %s", by, got, want)
		}
	}
	if got := order("B", 2); got != "bc" {
		t.Errorf("number 2: %s", got)
	}
	rows, _ := TopTable(f, 0, &TopTableOptions{SortBy: "none"})
	// BH over the 3 non-NA p-values: 0.01*3/1, 0.05*3/2, 0.3*3/3.
	want := []float64{0.3, 0.03, 0.075}
	for i, w := range want {
		if math.Abs(rows[i].AdjPVal-w) > 1e-15 {
			t.Errorf("adj[%d] = %v want %v", i, rows[i].AdjPVal, w)
		}
	}
	if !math.IsNaN(rows[3].AdjPVal) {
		t.Error("NA p-value adjusted")
	}
	if _, err := TopTable(f, 0, &TopTableOptions{SortBy: "zz"}); err == nil {
		t.Error("bad sort.by accepted")
	}
}

func TestGoldenFTest(t *testing.T) {
	counts := readMatrix(t, "testdata/three_counts.tsv", dataset.Counts)
	fr := readSheet(t, "testdata/three_samples.tsv")
	X := mustDesign(t, "~ group", fr)
	v, err := Voom(counts, X, nil)
	if err != nil {
		t.Fatal(err)
	}
	fit, err := LmFit(v.E, X, &LmOptions{Weights: v.Weights})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EBayes(fit, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := TopTableF(fit, nil, 0, "none")
	if err != nil {
		t.Fatal(err)
	}
	l := readLines(t, "testdata/three_F.tsv")[1:]
	var got, want [6][]float64
	for i, r := range l {
		if rows[i].Gene != r[0] {
			t.Fatalf("row %d gene %s want %s", i, rows[i].Gene, r[0])
		}
		g := []float64{rows[i].Coef[0], rows[i].Coef[1], rows[i].AveExpr, rows[i].F, rows[i].PValue, rows[i].AdjPVal}
		for k := range g {
			got[k] = append(got[k], g[k])
			want[k] = append(want[k], parseF(t, r[k+1]))
		}
	}
	checkSlice(t, "groupb", got[0], want[0], tolLogFC)
	checkSlice(t, "groupc", got[1], want[1], tolLogFC)
	checkSlice(t, "F", got[3], want[3], tol{1e-8, 1e-8})
	checkSlice(t, "P.Value", got[4], want[4], tol{0, 1e-6})
	checkSlice(t, "adj.P.Val", got[5], want[5], tolAdjP)
	// All coefficients (eBayes's F, intercept included).
	F, p, df1, err := FTest(fit, []int{0, 1, 2})
	if err != nil || df1 != 3 {
		t.Fatal(err, df1)
	}
	all := readVector(t, "testdata/three_Fall.tsv")
	n := len(F)
	checkSlice(t, "F all", F, all[:n], tol{1e-8, 1e-8})
	checkSlice(t, "F.p.value all", p, all[n:], tol{0, 1e-6})
}

func TestGoldenBlocksNAWeights(t *testing.T) {
	E := readMatrix(t, "testdata/blocks_E.tsv", dataset.Expression)
	W := readMatrix(t, "testdata/blocks_W.tsv", dataset.Expression)
	fr := readSheet(t, "testdata/blocks_samples.tsv")
	fr.Kinds = map[string]design.Kind{"x": design.Numeric}
	X := mustDesign(t, "~ x", fr)
	dc, err := DuplicateCorrelation(E, X, fr.Columns["block"], &DupCorOptions{Weights: W.Data})
	if err != nil {
		t.Fatal(err)
	}
	h := readHyper(t, "testdata/blocks_hyper.tsv")
	checkSlice(t, "consensus", []float64{dc.Consensus}, h["consensus"], tolDupCor)
	checkSlice(t, "atanh", dc.AtanhCorrelations, readVector(t, "testdata/blocks_atanh.tsv"), tol{1e-6, 1e-6})
	fit, err := LmFit(E, X, &LmOptions{Weights: W.Data, Block: fr.Columns["block"], Correlation: h["consensus"][0]})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EBayes(fit, nil); err != nil {
		t.Fatal(err)
	}
	checkTop(t, "testdata/blocks_top.tsv", fit, 1)
}

// Voom's log-CPM values equal log2((c + 0.5)/(L + 1)·1e6) to a few ulp
// for whole counts (from the table), fractional counts, counts beyond the
// table and zeros, row by row whatever mix a row holds; library sizes are
// the column sums.
func TestVoomLogCPMValues(t *testing.T) {
	G, n := 40, 6
	counts := simCounts(G, n, 77)
	for j := 0; j < n; j++ {
		counts.Data[3*n+j] = 0.25 + float64(j)    // fractional row
		counts.Data[5*n+j] = 70000 + float64(3*j) // beyond the table
		counts.Data[7*n+j] = 0
	}
	counts.Data[9*n+2] = 12.5     // one fractional count in a whole row
	counts.Data[11*n+4] = 1 << 20 // one large count in a row
	orig := append([]float64(nil), counts.Data...)
	v, err := Voom(counts, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	lib := make([]float64, n)
	for g := 0; g < G; g++ {
		for j := 0; j < n; j++ {
			lib[j] += orig[g*n+j]
		}
	}
	for j := range lib {
		if v.LibSize[j] != lib[j] {
			t.Fatalf("library size %d: %v, want %v", j, v.LibSize[j], lib[j])
		}
	}
	for g := 0; g < G; g++ {
		for j := 0; j < n; j++ {
			want := math.Log2((orig[g*n+j] + 0.5) / (lib[j] + 1) * 1e6)
			if got := v.E.Data[g*n+j]; math.Abs(got-want) > 1e-13*math.Max(1, math.Abs(want)) {
				t.Fatalf("gene %d sample %d: log-CPM %.17g, want %.17g", g, j, got, want)
			}
		}
	}
}
