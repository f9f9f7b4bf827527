package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func randVec(r *rand.Rand, n int, ties bool) []float64 {
	x := make([]float64, n)
	for i := range x {
		if ties {
			x[i] = float64(r.IntN(5))
		} else {
			x[i] = r.NormFloat64()
		}
	}
	return x
}

func inUnit(p float64) bool { return p >= 0 && p <= 1 }

// TestWilcoxProperties: W(x,y) + W(y,x) = nx·ny, p-values in [0,1],
// P_less(x,y) = P_greater(y,x), equal two-sided p both ways, and the exact
// distributions sum to choose(m+n, n) and 2^n.
func TestWilcoxProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for it := 0; it < 60; it++ {
		nx, ny := 1+r.IntN(30), 1+r.IntN(30)
		ties := it%3 == 0
		x, y := randVec(r, nx, ties), randVec(r, ny, ties)
		for _, alt := range []Alternative{TwoSided, Less, Greater} {
			a, err := WilcoxTest(x, y, WilcoxOptions{Alternative: alt, Correct: true})
			if err != nil {
				t.Fatal(err)
			}
			inv := alt
			switch alt {
			case Less:
				inv = Greater
			case Greater:
				inv = Less
			}
			b, _ := WilcoxTest(y, x, WilcoxOptions{Alternative: inv, Correct: true})
			if a.Statistic+b.Statistic != float64(nx*ny) {
				t.Fatalf("W(x,y)+W(y,x) = %g, want %d", a.Statistic+b.Statistic, nx*ny)
			}
			if !(math.IsNaN(a.PValue) || inUnit(a.PValue)) || !close(a.PValue, b.PValue, 1e-12, 1e-15) {
				t.Fatalf("p %g vs swapped %g (alt %v)", a.PValue, b.PValue, alt)
			}
		}
	}
	for _, mn := range [][2]int{{3, 4}, {10, 12}, {25, 20}} {
		s := 0.0
		for _, c := range wilcoxCounts(mn[0], mn[1]) {
			s += c
		}
		if !close(s, chooseExact(mn[0]+mn[1], mn[1]), 1e-14, 0) {
			t.Errorf("cwilcox(%v) sums to %g", mn, s)
		}
	}
	for _, n := range []int{1, 5, 20, 49} {
		s := 0.0
		for _, c := range signrankCounts(n) {
			s += c
		}
		if s != math.Ldexp(1, n) {
			t.Errorf("csignrank(%d) sums to %g", n, s)
		}
	}
}

// TestKruskalTwoGroups: with two groups H equals the square of the
// uncorrected normal statistic of the rank-sum test (p-values equal).
func TestKruskalTwoGroups(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	f := false
	for it := 0; it < 30; it++ {
		x, y := randVec(r, 3+r.IntN(20), it%2 == 0), randVec(r, 3+r.IntN(20), it%2 == 0)
		k, err := KruskalTest([][]float64{x, y})
		if err != nil {
			t.Fatal(err)
		}
		w, _ := WilcoxTest(x, y, WilcoxOptions{Exact: &f})
		if math.IsNaN(k.PValue) && math.IsNaN(w.PValue) {
			continue
		}
		if !close(k.PValue, w.PValue, 1e-10, 1e-15) {
			t.Errorf("kruskal p %g, wilcox p %g", k.PValue, w.PValue)
		}
	}
}

// bruteFisher enumerates every table with the margins of t (small tables).
func bruteFisher(t [][]float64) float64 {
	nr, nc := len(t), len(t[0])
	rs := make([]int, nr)
	cs := make([]int, nc)
	tot := 0
	lv := 0.0
	for i := range t {
		for j := range t[i] {
			v := int(t[i][j])
			rs[i] += v
			cs[j] += v
			tot += v
			lv -= lfact(v)
		}
	}
	k := -lfact(tot)
	for _, v := range rs {
		k += lfact(v)
	}
	for _, v := range cs {
		k += lfact(v)
	}
	p := 0.0
	cell := make([][]int, nr)
	for i := range cell {
		cell[i] = make([]int, nc)
	}
	rem := append([]int(nil), rs...)
	var rec func(i, j int, colLeft int)
	rec = func(i, j, colLeft int) {
		if j == nc {
			v := 0.0
			for a := range cell {
				for b := range cell[a] {
					v -= lfact(cell[a][b])
				}
			}
			if v <= lv+fisherTol {
				p += math.Exp(k + v)
			}
			return
		}
		if i == nr-1 {
			if colLeft > rem[i] {
				return
			}
			cell[i][j] = colLeft
			rem[i] -= colLeft
			next := 0
			if j+1 < nc {
				next = cs[j+1]
			}
			rec(0, j+1, next)
			rem[i] += colLeft
			return
		}
		for v := 0; v <= colLeft && v <= rem[i]; v++ {
			cell[i][j] = v
			rem[i] -= v
			rec(i+1, j, colLeft-v)
			rem[i] += v
		}
	}
	rec(0, 0, cs[0])
	return p
}

// TestFisherRxCBrute checks the network algorithm against complete
// enumeration on random small tables, and against the 2x2 path.
func TestFisherRxCBrute(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for it := 0; it < 40; it++ {
		nr, nc := 2+r.IntN(3), 2+r.IntN(2)
		tab := make([][]float64, nr)
		for i := range tab {
			tab[i] = make([]float64, nc)
			for j := range tab[i] {
				tab[i][j] = float64(r.IntN(6))
			}
			tab[i][r.IntN(nc)]++
		}
		for j := 0; j < nc; j++ {
			tab[r.IntN(nr)][j]++
		}
		got, err := fisherRxC(tab, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := bruteFisher(tab)
		if !close(got, want, 1e-11, 1e-14) {
			t.Errorf("table %v: network %.17g, brute force %.17g", tab, got, want)
		}
		if nr == 2 && nc == 2 {
			res, _ := FisherTest(tab, FisherOptions{})
			if !close(res.PValue, got, 1e-10, 1e-14) {
				t.Errorf("table %v: 2x2 %.17g, network %.17g", tab, res.PValue, got)
			}
		}
	}
}

// TestChisqClosedForm: the uncorrected 2x2 statistic is n(ad-bc)²/(r1 r2 c1 c2).
func TestChisqClosedForm(t *testing.T) {
	for _, tab := range [][][]float64{{{3, 7}, {9, 2}}, {{10, 20}, {30, 41}}, {{1, 1}, {1, 2}}} {
		a, b, c, d := tab[0][0], tab[0][1], tab[1][0], tab[1][1]
		n := a + b + c + d
		want := n * (a*d - b*c) * (a*d - b*c) / ((a + b) * (c + d) * (a + c) * (b + d))
		res, err := ChisqTest(tab, false)
		if err != nil || !close(res.Statistic, want, 1e-13, 0) || !inUnit(res.PValue) {
			t.Errorf("%v: X² %g want %g (err %v)", tab, res.Statistic, want, err)
		}
	}
}

// TestCorProperties: Spearman rho is Pearson on ranks; Pearson is invariant
// under increasing affine maps and flips sign under decreasing ones.
func TestCorProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for it := 0; it < 20; it++ {
		n := 4 + r.IntN(40)
		x, y := randVec(r, n, false), randVec(r, n, false)
		sp, _ := CorTest(x, y, CorOptions{Method: Spearman})
		if !close(sp.Estimate, Cor(Rank(x, Average), Rank(y, Average)), 1e-15, 0) || !inUnit(sp.PValue) {
			t.Fatalf("spearman rho %g", sp.Estimate)
		}
		x2 := make([]float64, n)
		for i := range x {
			x2[i] = -3*x[i] + 7
		}
		a, _ := CorTest(x, y, CorOptions{})
		b, _ := CorTest(x2, y, CorOptions{})
		if !close(a.Estimate, -b.Estimate, 1e-12, 1e-15) || !close(a.PValue, b.PValue, 1e-9, 1e-15) {
			t.Fatalf("pearson %g vs %g", a.Estimate, b.Estimate)
		}
	}
}

// TestROCProperties: AUC = W(cases, controls)/(m·n) for direction "<", and
// swapping roles flips the direction with the same AUC.
func TestROCProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for it := 0; it < 20; it++ {
		ctl, cas := randVec(r, 2+r.IntN(30), it%2 == 0), randVec(r, 2+r.IntN(30), it%2 == 0)
		for i := range cas {
			cas[i] += 0.7
		}
		roc, err := ROCDirection(ctl, cas, "<")
		if err != nil {
			t.Fatal(err)
		}
		w, _ := WilcoxTest(cas, ctl, WilcoxOptions{})
		if !close(roc.AUC, w.Statistic/float64(len(ctl)*len(cas)), 1e-14, 1e-15) {
			t.Fatalf("AUC %g, W/(mn) %g", roc.AUC, w.Statistic/float64(len(ctl)*len(cas)))
		}
		a, _ := ROC(ctl, cas)
		b, _ := ROC(cas, ctl)
		if a.Direction == b.Direction && Median(ctl) != Median(cas) {
			t.Fatalf("directions %s %s", a.Direction, b.Direction)
		}
		if !(a.CI[0] <= a.AUC && a.AUC <= a.CI[1]) {
			t.Fatalf("CI %v does not contain %g", a.CI, a.AUC)
		}
	}
}

// TestGLMOddsRatio: with one binary predictor the slope is the log odds
// ratio of the 2x2 table and its SE is sqrt(1/a+1/b+1/c+1/d).
func TestGLMOddsRatio(t *testing.T) {
	var x [][]float64
	var y []float64
	counts := [2][2]int{{12, 7}, {5, 16}} // [x][y]
	for xv := 0; xv < 2; xv++ {
		for yv := 0; yv < 2; yv++ {
			for k := 0; k < counts[xv][yv]; k++ {
				x = append(x, []float64{float64(xv)})
				y = append(y, float64(yv))
			}
		}
	}
	fit, err := GLMBinomial(x, y)
	if err != nil {
		t.Fatal(err)
	}
	a, b, c, d := 12.0, 7.0, 5.0, 16.0
	lor := math.Log(a * d / (b * c))
	se := math.Sqrt(1/a + 1/b + 1/c + 1/d)
	if !close(fit.Coef[1], lor, 1e-8, 0) || !close(fit.SE[1], se, 1e-6, 0) {
		t.Errorf("slope %g se %g, want %g %g", fit.Coef[1], fit.SE[1], lor, se)
	}
	if _, err := GLMBinomial([][]float64{{1}, {2}}, []float64{0, 2}); err == nil {
		t.Error("y = 2 accepted")
	}
	if _, err := GLMBinomial([][]float64{{1, 2}, {2, 4}, {3, 6}}, []float64{0, 1, 1}); err == nil {
		t.Error("rank-deficient design accepted")
	}
}

// TestHelperProperties: rank sums, quantile ends, PAdjust monotonicity.
func TestHelperProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for it := 0; it < 30; it++ {
		n := 1 + r.IntN(50)
		x := randVec(r, n, it%2 == 0)
		for _, ties := range []Ties{Average, Min, Max, First, Last} {
			s := 0.0
			for _, v := range Rank(x, ties) {
				s += v
			}
			if (ties == Average || ties == First || ties == Last) && s != float64(n*(n+1)/2) {
				t.Fatalf("rank sum %g", s)
			}
		}
		s := sorted(x)
		if Quantile(x, 0) != s[0] || Quantile(x, 1) != s[n-1] || Quantile(x, 0.5) != Median(x) {
			t.Fatalf("quantile ends")
		}
		p := make([]float64, n)
		for i := range p {
			p[i] = r.Float64()
		}
		for _, m := range []AdjustMethod{BH, BY, Holm, Hochberg, Bonferroni, Hommel} {
			adj := PAdjust(p, m)
			o := Order(p, false)
			for k := range o {
				if adj[o[k]] < p[o[k]] || adj[o[k]] > 1 || (k > 0 && adj[o[k]] < adj[o[k-1]]) {
					t.Fatalf("%v: not monotone or out of range", m)
				}
			}
		}
	}
	if !math.IsNaN(Quantile(nil, 0.5)) || !math.IsNaN(Median(nil)) || !math.IsNaN(Mean(nil)) || !math.IsNaN(Var([]float64{1})) {
		t.Error("empty input must give NaN")
	}
}

// TestErrors: user-data problems are errors, never panics.
func TestErrors(t *testing.T) {
	if _, err := WilcoxTest(nil, []float64{1}, WilcoxOptions{}); err == nil {
		t.Error("empty x accepted")
	}
	if _, err := WilcoxTest([]float64{1, 2}, []float64{1}, WilcoxOptions{Paired: true}); err == nil {
		t.Error("unequal paired lengths accepted")
	}
	if _, err := KruskalTest([][]float64{{1, 2}, {math.NaN()}}); err == nil {
		t.Error("empty group accepted")
	}
	if _, err := FisherTest([][]float64{{1, -1}, {2, 3}}, FisherOptions{}); err == nil {
		t.Error("negative count accepted")
	}
	if _, err := FisherTest([][]float64{{1, 1.5}, {2, 3}}, FisherOptions{}); err == nil {
		t.Error("non-integer count accepted")
	}
	if _, err := ChisqTest([][]float64{{0, 0}, {0, 0}}, true); err == nil {
		t.Error("zero table accepted")
	}
	if _, err := CorTest([]float64{1, 2}, []float64{1, 2}, CorOptions{}); err == nil {
		t.Error("n = 2 Pearson accepted")
	}
	big := [][]float64{{40, 30, 20, 10}, {20, 25, 25, 15}, {15, 20, 15, 10}, {10, 8, 12, 6}, {5, 7, 8, 4}}
	// the table needs far more than the default budget too
	if _, err := FisherTest(big, FisherOptions{MaxWork: 1_000_000}); err != ErrFisherTooLarge {
		t.Errorf("5x4 n=305: err %v, want ErrFisherTooLarge", err)
	}
	if _, err := ROC(nil, []float64{1}); err == nil {
		t.Error("no controls accepted")
	}
}

// TestFisherSimulated: the Monte Carlo p-value is deterministic for a seed
// and within Monte Carlo error of the exact network p-value.
func TestFisherSimulated(t *testing.T) {
	tab := [][]float64{{20, 15, 10}, {10, 12, 12}, {8, 10, 8}, {5, 4, 5}, {3, 4, 3}}
	o := FisherOptions{Simulate: true, B: 20000, Seed: 42}
	a, err := FisherTest(tab, o)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := FisherTest(tab, o)
	if a.PValue != b.PValue {
		t.Fatalf("not deterministic: %g %g", a.PValue, b.PValue)
	}
	exact, _ := FisherTest(tab, FisherOptions{})
	se := math.Sqrt(exact.PValue * (1 - exact.PValue) / 20000)
	if math.Abs(a.PValue-exact.PValue) > 5*se+1e-4 {
		t.Errorf("simulated %g, exact %g (se %g)", a.PValue, exact.PValue, se)
	}
	if a.Method != "Fisher's Exact Test for Count Data with simulated p-value\n\t (based on 20000 replicates)" {
		t.Errorf("method %q", a.Method)
	}
	// a skewed table: p-value small but >= 1/(B+1)
	sk := [][]float64{{30, 2, 1}, {2, 25, 3}, {1, 2, 28}}
	s, _ := FisherTest(sk, FisherOptions{Simulate: true, Seed: 1})
	if s.PValue != 1.0/2001 {
		t.Errorf("skewed table: p %g, want 1/2001", s.PValue)
	}
}

// TestSymEigen checks A v = λ v, orthonormal vectors and ascending values on
// seeded random symmetric matrices (tolerance 1e-12 relative to the largest
// |λ|), and the known spectrum of a small matrix.
func TestSymEigen(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{1, 2, 3, 7, 30, 64} {
		a := make([]float64, n*n)
		for i := 0; i < n; i++ {
			for j := i; j < n; j++ {
				v := r.NormFloat64()
				a[i*n+j], a[j*n+i] = v, v
			}
		}
		vals, vecs, err := SymEigen(a, n)
		if err != nil {
			t.Fatal(err)
		}
		scale := math.Max(math.Abs(vals[0]), math.Abs(vals[n-1]))
		for c := 0; c < n; c++ {
			if c > 0 && vals[c] < vals[c-1] {
				t.Errorf("n=%d: values not ascending", n)
			}
			for i := 0; i < n; i++ {
				var av float64
				for k := 0; k < n; k++ {
					av += a[i*n+k] * vecs[k*n+c]
				}
				if math.Abs(av-vals[c]*vecs[i*n+c]) > 1e-12*scale {
					t.Fatalf("n=%d: (A v - λ v)[%d] = %g for λ_%d", n, i, av-vals[c]*vecs[i*n+c], c)
				}
			}
			for c2 := 0; c2 <= c; c2++ {
				var dot float64
				for i := 0; i < n; i++ {
					dot += vecs[i*n+c] * vecs[i*n+c2]
				}
				want := 0.0
				if c == c2 {
					want = 1
				}
				if math.Abs(dot-want) > 1e-12 {
					t.Fatalf("n=%d: v%d.v%d = %g", n, c, c2, dot)
				}
			}
		}
	}
	// [[2,1],[1,2]] has eigenvalues 1 and 3; [[4,0,0],[0,1,0],[0,0,2]] 1, 2, 4.
	for _, tc := range []struct {
		a    []float64
		n    int
		want []float64
	}{{[]float64{2, 1, 1, 2}, 2, []float64{1, 3}}, {[]float64{4, 0, 0, 0, 1, 0, 0, 0, 2}, 3, []float64{1, 2, 4}}} {
		vals, _, err := SymEigen(tc.a, tc.n)
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range tc.want {
			if math.Abs(vals[i]-w) > 1e-14 {
				t.Errorf("eigenvalues %v, want %v", vals, tc.want)
			}
		}
	}
	if _, _, err := SymEigen([]float64{1, math.NaN(), math.NaN(), 1}, 2); err == nil {
		t.Error("NaN matrix: no error")
	}
}
