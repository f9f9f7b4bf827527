package norm

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/her2het/her2het/core/stats"
)

// trimWindow must select exactly the elements whose R average rank is in
// the window, from exact values (delta 0) and from approximations within
// delta of values with ties and near-ties (a few ulps apart, closer than
// delta), whose exact values it asks for.
func TestTrimWindowMatchesRank(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 3000; trial++ {
		n := 1 + r.IntN(200)
		x := make([]float64, n)
		levels := 1 + r.IntN(n+3) // few levels = many ties
		for i := range x {
			x[i] = float64(r.IntN(levels)) / 3
			if r.IntN(4) == 0 { // a near-tie
				x[i] = math.Nextafter(x[i], math.Inf(2*r.IntN(2)-1))
			}
		}
		trimL := []float64{0, 0.05, 0.3, 0.45, 0.5}[r.IntN(5)]
		loR := math.Floor(float64(n)*trimL) + 1
		hiR := float64(n) + 1 - loR
		rk := stats.Rank(x, stats.Average) // core/stats: an independent rank()
		for _, delta := range []float64{0, 1e-12, 0.01} {
			y := make([]float64, n)
			for i := range y {
				y[i] = x[i]
				if delta > 0 {
					y[i] += delta * (2*r.Float64() - 1) * 0.99
				}
			}
			asked := 0
			sc := newTMMScratch(n)
			w := sc.trimWindow(y, delta, loR, hiR, func(i int) float64 { asked++; return x[i] })
			for i := range x {
				want := rk[i] >= loR && rk[i] <= hiR
				got := y[i] >= w.lo && y[i] <= w.hi
				if got != want {
					t.Fatalf("trial %d n=%d trim=%v delta=%v: x[%d]=%v rank %v window [%v,%v] got %v want %v", trial, n, trimL, delta, i, x[i], rk[i], loR, hiR, got, want)
				}
			}
			if delta == 1e-12 && asked > n {
				t.Fatalf("trial %d: %d exact values asked for %d", trial, asked, n)
			}
		}
	}
}

// The sampled path (on by default from 2048 values) gives the same
// windows: forced on small inputs, and on long ones with ties, sorted and
// adversarial orders, with exact and approximate values.
func TestTrimWindowSampled(t *testing.T) {
	defer func(v int) { sampledMin = v }(sampledMin)
	sampledMin = 1
	TestTrimWindowMatchesRank(t)
	r := rand.New(rand.NewPCG(7, 8))
	for trial := 0; trial < 200; trial++ {
		n := 2000 + r.IntN(3000)
		x := make([]float64, n)
		levels := 1 + r.IntN(n)
		for i := range x {
			x[i] = float64(r.IntN(levels))
		}
		switch trial % 3 {
		case 1:
			slices.Sort(x)
		case 2: // sample positions hold the extremes
			for i := 0; i < nSample; i++ {
				x[i*n/nSample] = float64(levels * (i % 2))
			}
		}
		trimL := []float64{0.05, 0.3, 0.5}[trial%3]
		loR := math.Floor(float64(n)*trimL) + 1
		hiR := float64(n) + 1 - loR
		rk := stats.Rank(x, stats.Average)
		for _, delta := range []float64{0, 1e-9} {
			y := make([]float64, n)
			for i := range y {
				y[i] = x[i] + delta*(2*r.Float64()-1)*0.99
			}
			w := newTMMScratch(n).trimWindow(y, delta, loR, hiR, func(i int) float64 { return x[i] })
			for i := range x {
				if got, want := y[i] >= w.lo && y[i] <= w.hi, rk[i] >= loR && rk[i] <= hiR; got != want {
					t.Fatalf("trial %d n=%d delta=%v: x[%d]=%v rank %v window [%v,%v]: got %v want %v", trial, n, delta, i, x[i], rk[i], loR, hiR, got, want)
				}
			}
		}
	}
}

func TestSelectK(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 500; trial++ {
		n := 1 + r.IntN(100)
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(r.IntN(10))
		}
		k := r.IntN(n)
		s := append([]float64(nil), x...)
		got := stats.SelectK(s, k)
		sorted := append([]float64(nil), x...)
		sortFloatsDesc(sorted)
		if want := sorted[n-1-k]; got != want {
			t.Fatalf("SelectK(%v, %d) = %v, want %v", x, k, got, want)
		}
	}
}

func TestQuantile7(t *testing.T) {
	// R: quantile(c(3, 1, 4, 1, 5, 9, 2, 6), c(0, .25, .5, .75, .999, 1))
	x := []float64{3, 1, 4, 1, 5, 9, 2, 6}
	cases := []struct{ p, want float64 }{
		{0, 1}, {0.25, 1.75}, {0.5, 3.5}, {0.75, 5.25}, {0.999, 8.979}, {1, 9},
	}
	for _, c := range cases {
		if got := quantile7(x, c.p); !closeRel(got, c.want, 1e-15, 1e-15) {
			t.Errorf("quantile(%v) = %.17g, want %v", c.p, got, c.want)
		}
		s := append([]float64(nil), x...)
		sortFloatsDesc(s)
		for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
			s[i], s[j] = s[j], s[i]
		}
		if got, want := quantile7(x, c.p), quantileSorted(s, c.p); got != want {
			t.Errorf("select vs sort at %v: %v vs %v", c.p, got, want)
		}
	}
	if !math.IsNaN(quantile7(nil, 0.5)) {
		t.Error("empty quantile not NaN")
	}
}

// BenchmarkTrimWindow: the two trims of one TMM sample (20,000 genes, M
// with ties from small counts, approximations within 1e-12).
func BenchmarkTrimWindow(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 10))
	x := make([]float64, 20000)
	for i := range x {
		x[i] = math.Log2(float64(1+r.IntN(200))/float64(1+r.IntN(200))) + 0.1*r.Float64()*float64(i%2)
	}
	y := make([]float64, len(x))
	sc := newTMMScratch(len(x))
	exact := func(i int) float64 { return x[i] }
	n := float64(len(x))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		copy(y, x)
		sc.trimWindow(y, 1e-12, math.Floor(n*0.3)+1, n-math.Floor(n*0.3), exact)
		sc.trimWindow(y, 1e-12, math.Floor(n*0.05)+1, n-math.Floor(n*0.05), exact)
	}
}

// quantileScratch (sampled for long inputs) equals quantile7.
func TestQuantileScratch(t *testing.T) {
	defer func(v int) { sampledMin = v }(sampledMin)
	r := rand.New(rand.NewPCG(11, 12))
	for trial := 0; trial < 400; trial++ {
		n := 1 + r.IntN(5000)
		x := make([]float64, n)
		levels := 1 + r.IntN(n+5)
		for i := range x {
			x[i] = float64(r.IntN(levels))
		}
		if trial%4 == 1 {
			slices.Sort(x)
		}
		sampledMin = []int{1, 2048}[trial%2]
		for _, p := range []float64{0, 0.25, 0.75, 0.9, 1} {
			want := quantile7(x, p)
			if got := quantileScratch(x, p, make([]float64, n)); got != want {
				t.Fatalf("trial %d n=%d p=%v: %v, want %v", trial, n, p, got, want)
			}
		}
	}
}

// colQuantiles (sampled brackets over row segments) equals quantile7 on
// each gathered column, bit for bit: few and many levels, genes sorted by
// value, the sampled rows holding the extremes, several p.
func TestColQuantiles(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for trial := 0; trial < 40; trial++ {
		K := 2048 + r.IntN(4000)
		ns := 1 + r.IntN(70)
		m := simCounts(K, ns, uint64(trial))
		levels := 1 + r.IntN(K)
		for i := range m.Data {
			switch trial % 4 {
			case 1:
				m.Data[i] = float64(r.IntN(levels))
			case 2:
				m.Data[i] = float64(i / ns) // sorted by gene
			}
		}
		if trial%4 == 3 {
			for i := 0; i < nSample; i++ {
				g := i * K / nSample
				for j := 0; j < ns; j++ {
					m.Data[g*ns+j] = float64(1e6 * (i % 2))
				}
			}
		}
		rows := make([]int, 0, K)
		for g := 0; g < K; g++ {
			if r.IntN(10) > 0 || len(rows) < sampledMin {
				rows = append(rows, g)
			}
		}
		if len(rows) < sampledMin {
			continue
		}
		p := []float64{0.75, 0.5, 0.9, 0.01}[trial%4]
		j0 := r.IntN(ns)
		j1 := j0 + 1 + r.IntN(ns-j0)
		q := make([]float64, j1-j0)
		colQuantiles(m, rows, j0, j1, p, q, make([]float64, (j1-j0)*quantileRoom(len(rows))), make([]float64, len(rows)), make([]float64, len(rows)))
		col := make([]float64, len(rows))
		for j := j0; j < j1; j++ {
			gatherCols(m, rows, j, j+1, col)
			if want := quantile7(col, p); q[j-j0] != want {
				t.Fatalf("trial %d column %d p=%v: %v, want %v", trial, j, p, q[j-j0], want)
			}
		}
	}
}
