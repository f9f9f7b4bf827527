package gsea

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/geneset"
)

// bruteES walks all N positions: P_hit - P_miss (Subramanian et al. 2005),
// returning the deviation of largest magnitude (ties: 0, as fgsea).
func bruteES(w []float64, in []bool) float64 {
	N, k := len(w), 0
	nr := 0.0
	for i, h := range in {
		if h {
			k++
			nr += w[i]
		}
	}
	var hit float64
	miss := 0
	maxP, minP := math.Inf(-1), math.Inf(1)
	for i := 0; i < N; i++ {
		if in[i] {
			if nr == 0 {
				hit += 1 / float64(k)
			} else {
				hit += w[i] / nr
			}
		} else {
			miss++
		}
		dev := hit - float64(miss)/float64(N-k)
		if in[i] {
			maxP = math.Max(maxP, dev)
			// the value just before this hit is the candidate minimum
			if nr == 0 {
				minP = math.Min(minP, dev-1/float64(k))
			} else {
				minP = math.Min(minP, dev-w[i]/nr)
			}
		}
	}
	switch {
	case maxP > -minP:
		return maxP
	case maxP < -minP:
		return minP
	}
	return 0
}

// TestESBruteForce: ES of random sets on random rankings agrees with an
// explicit walk to abs <= 1e-10 (issue 5 acceptance for fgsea ES), including
// tied and zero statistics and gseaParam 0.5/1/2.
func TestESBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 200; trial++ {
		N := 20 + r.IntN(500)
		stats := make([]float64, N)
		genes := make([]string, N)
		for i := range stats {
			stats[i] = r.NormFloat64() * 3
			if trial%5 == 0 {
				stats[i] = math.Round(stats[i]) // ties and zeros
			}
			genes[i] = fmt.Sprintf("g%d", i)
		}
		rk, err := NewRanking(genes, stats)
		if err != nil {
			t.Fatal(err)
		}
		p := []float64{1, 0.5, 2}[trial%3]
		w := make([]float64, N)
		for i, s := range rk.Stats {
			w[i] = math.Pow(math.Abs(s), p)
		}
		k := 1 + r.IntN(N-1)
		perm := r.Perm(N)[:k]
		set := geneset.Set{Name: "s"}
		for _, i := range perm {
			set.Genes = append(set.Genes, genes[i])
		}
		ps := rk.positions(set)
		in := make([]bool, N)
		for _, q := range ps {
			in[q] = true
		}
		es, _, _, _ := enrichment(w, ps)
		if want := bruteES(w, in); math.Abs(es-want) > 1e-10 {
			t.Fatalf("trial %d: ES %v, brute force %v", trial, es, want)
		}
		// the null computation of the C++ code agrees too when no weight is 0
		hasZero := false
		for _, q := range ps {
			hasZero = hasZero || w[q] == 0
		}
		if !hasZero {
			if ne := nullES(w, ps); math.Abs(ne-es) > 1e-10 {
				t.Fatalf("trial %d: null ES %v, ES %v", trial, ne, es)
			}
		}
	}
}

// TestESHand: a hand-computed case. Ranking (a=4, b=3, c=2, d=1), set {a, c}:
// NR = 6; tops: 4/6 - 0 = 2/3, 6/6 - 1/2 = 1/2; bottoms: 0, 1/6; ES = 2/3,
// leading edge {a}. Set {d}: tops 1 - 3/3 = 0, bottoms -1; ES = -1, edge {d}.
func TestESHand(t *testing.T) {
	rk, err := NewRanking([]string{"c", "a", "d", "b"}, []float64{2, 4, 1, 3})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rk.Genes, "") != "abcd" {
		t.Fatalf("order %v", rk.Genes)
	}
	tests := []struct {
		genes []string
		es    float64
		edge  string
	}{
		{[]string{"a", "c", "zzz"}, 2.0 / 3, "a"},
		{[]string{"d"}, -1, "d"},
		{[]string{"c", "d"}, -1, "d,c"},
	}
	for _, tc := range tests {
		res, err := Run(rk, []geneset.Set{{Name: "s", Genes: tc.genes}}, Options{NPerm: 10})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(res[0].ES-tc.es) > 1e-15 || strings.Join(res[0].LeadingEdge, ",") != tc.edge {
			t.Errorf("%v: ES %v edge %v, want %v %v", tc.genes, res[0].ES, res[0].LeadingEdge, tc.es, tc.edge)
		}
	}
}

func TestCurve(t *testing.T) {
	rk, _ := NewRanking([]string{"a", "b", "c", "d"}, []float64{4, 3, 2, 1})
	pts := Curve(rk, geneset.Set{Name: "s", Genes: []string{"a", "c"}}, 1)
	want := []Point{{0, 0}, {0, 0}, {1, 2.0 / 3}, {2, 1.0 / 6}, {3, 0.5}, {5, 0}}
	if len(pts) != len(want) {
		t.Fatalf("points %v", pts)
	}
	for i := range want {
		if pts[i].X != want[i].X || math.Abs(pts[i].Y-want[i].Y) > 1e-15 {
			t.Errorf("point %d: %v, want %v", i, pts[i], want[i])
		}
	}
	if Curve(rk, geneset.Set{Genes: []string{"x"}}, 1) != nil {
		t.Error("curve of an absent set")
	}
}

// TestRunProperties: same seed, same numbers for any worker count; p-values
// in (0, 1]; a set of the top genes is strongly enriched.
func TestRunProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	N := 3000
	genes := make([]string, N)
	stats := make([]float64, N)
	for i := range genes {
		genes[i] = fmt.Sprintf("G%d", i)
		stats[i] = r.NormFloat64()
	}
	rk, _ := NewRanking(genes, stats)
	var sets []geneset.Set
	sets = append(sets, geneset.Set{Name: "top", Genes: rk.Genes[:40]})
	for s := 0; s < 20; s++ {
		k := 5 + r.IntN(200)
		set := geneset.Set{Name: fmt.Sprintf("rnd%d", s)}
		for _, i := range r.Perm(N)[:k] {
			set.Genes = append(set.Genes, genes[i])
		}
		sets = append(sets, set)
	}
	a, err := Run(rk, sets, Options{NPerm: 2000, Seed: 7, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Run(rk, sets, Options{NPerm: 2000, Seed: 7, Workers: 3})
	c, _ := Run(rk, sets, Options{NPerm: 2000, Seed: 8, Workers: 3})
	same := true
	for i := range a {
		if a[i].PValue != b[i].PValue || a[i].NES != b[i].NES || a[i].NMoreExtreme != b[i].NMoreExtreme {
			t.Errorf("%s: workers change the result: %+v vs %+v", a[i].Pathway, a[i], b[i])
		}
		same = same && a[i].PValue == c[i].PValue
		if !(a[i].PValue > 0 && a[i].PValue <= 1) || a[i].PAdj < a[i].PValue {
			t.Errorf("%s: p %v padj %v", a[i].Pathway, a[i].PValue, a[i].PAdj)
		}
	}
	if same {
		t.Error("a different seed gave identical p-values")
	}
	if a[0].ES < 0.9 || a[0].NMoreExtreme != 0 || a[0].PValue > 2.0/2001*2 || a[0].NES < 2 {
		t.Errorf("top set: %+v", a[0])
	}
}

func TestRunErrors(t *testing.T) {
	if _, err := NewRanking([]string{"a", "a"}, []float64{1, 2}); err == nil || !strings.Contains(err.Error(), "more than once") {
		t.Errorf("duplicate genes: %v", err)
	}
	if _, err := NewRanking([]string{"a", "b"}, []float64{1, math.NaN()}); err == nil {
		t.Error("NaN accepted")
	}
	if _, err := NewRanking([]string{"a"}, []float64{1, 2}); err == nil {
		t.Error("length mismatch accepted")
	}
	rk, _ := NewRanking([]string{"a", "b", "c"}, []float64{1, 2, 3})
	if _, err := Run(rk, []geneset.Set{{Name: "all", Genes: []string{"a", "b", "c"}}}, Options{}); err == nil {
		t.Error("a set holding every gene was tested")
	}
	if _, err := Run(nil, nil, Options{}); err == nil {
		t.Error("nil ranking accepted")
	}
}

func BenchmarkRun(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	N := 20000
	genes := make([]string, N)
	stats := make([]float64, N)
	for i := range genes {
		genes[i] = fmt.Sprintf("G%d", i)
		stats[i] = r.NormFloat64()
	}
	rk, _ := NewRanking(genes, stats)
	var sets []geneset.Set
	for s := 0; s < 50; s++ {
		set := geneset.Set{Name: fmt.Sprint(s)}
		for _, i := range r.Perm(N)[:15+r.IntN(186)] {
			set.Genes = append(set.Genes, genes[i])
		}
		sets = append(sets, set)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Run(rk, sets, Options{NPerm: 1000, Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
