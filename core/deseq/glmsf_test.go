package deseq

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/fmath"
)

// sizeFactorsRef is SizeFactors by the plain definition: every sample's log
// ratios gathered, then their median (the implementation before the bracketed
// one-pass selection).
func sizeFactorsRef(counts *dataset.Matrix, t SizeFactorType) ([]float64, bool) {
	G, m := counts.Rows(), counts.Cols()
	lgm := make([]float64, G)
	finite := 0
	for g := range lgm {
		// the double-double row mean of the logs
		var s, e float64
		all0 := true
		for _, v := range counts.Row(g) {
			if v > 0 {
				l := logCountR(v)
				hi := s + l
				bb := hi - s
				e += (s - (hi - bb)) + (l - bb)
				s = hi
				all0 = false
			} else if t == Ratio {
				s = math.Inf(-1)
			}
		}
		if t == PosCounts && all0 {
			s = math.Inf(-1)
		}
		if math.IsInf(s, 0) {
			lgm[g] = s / float64(m)
			continue
		}
		mf := float64(m)
		q := s / mf
		lgm[g] = q + (math.FMA(-q, mf, s)+e)/mf
		finite++
	}
	if finite == 0 {
		return nil, false
	}
	sf := make([]float64, m)
	for j := range sf {
		var r []float64
		for g := 0; g < G; g++ {
			if v := counts.Row(g)[j]; v > 0 && !math.IsInf(lgm[g], 0) {
				r = append(r, logCountR(v)-lgm[g])
			}
		}
		sf[j] = expRounded(medianInPlace(r))
	}
	if t == PosCounts {
		var s float64
		for _, v := range sf {
			s += fmath.Log(v)
		}
		gm := fmath.Exp(s / float64(m))
		for j := range sf {
			sf[j] /= gm
		}
	}
	return sf, true
}

// TestSizeFactorsBracketed checks that SizeFactors' one-pass bracketed
// medians give exactly (bit for bit) the factors of the plain median, on
// simulated data, ties, zeros, few genes, both estimators, and data whose
// systematic gene sample misleads the brackets (so that samples take the
// fallback gather).
func TestSizeFactorsBracketed(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	type tc struct {
		name string
		cm   *dataset.Matrix
	}
	var cases []tc
	cm, _, _, _, _ := studySim(3000, 40)
	cases = append(cases, tc{"sim3000x40", cm})
	cm, _, _, _, _ = studySim(5000, 12)
	cases = append(cases, tc{"sim5000x12", cm})
	mk := func(G, m int, f func(g, j int) float64) *dataset.Matrix {
		genes, samples := make([]string, G), make([]string, m)
		for g := range genes {
			genes[g] = fmt.Sprint("g", g)
		}
		for j := range samples {
			samples[j] = fmt.Sprint("s", j)
		}
		c := dataset.NewMatrix(dataset.Counts, genes, samples)
		for g := 0; g < G; g++ {
			for j := 0; j < m; j++ {
				c.Row(g)[j] = f(g, j)
			}
		}
		return c
	}
	// small counts: many ties among the ratios
	cases = append(cases, tc{"ties", mk(6000, 9, func(g, j int) float64 { return float64(1 + rng.IntN(4)) })})
	// zeros in a third of the genes, large counts (logs beyond the table)
	cases = append(cases, tc{"zeros", mk(4100, 7, func(g, j int) float64 {
		if g%3 == 0 && j == g%7 {
			return 0
		}
		return math.Floor(5000 * math.Exp(3*rng.Float64()))
	})})
	for _, G := range []int{1, 2, 3, 5} {
		cases = append(cases, tc{fmt.Sprint("G", G), mk(G, 4, func(g, j int) float64 { return float64(1 + (g*7+j*3)%11) })})
	}
	// the sampled genes (every step-th) are unlike the others: brackets miss
	cases = append(cases, tc{"misleading", mk(8192, 6, func(g, j int) float64 {
		if g%4 == 0 {
			return float64(100 + 50*j + rng.IntN(3))
		}
		return float64(400 - 50*j + rng.IntN(3))
	})})
	// every gene has a zero (Ratio: an error); sample 0 zero in the sampled
	// genes (every 2nd of 4096) and in all but a few others
	cases = append(cases, tc{"zeroSampled", mk(4096, 5, func(g, j int) float64 {
		if j == 0 && (g%2 == 0 || g%7 != 0) {
			return 0
		}
		return float64(10 + (g*13+j*5)%17)
	})})
	// every gene the same profile: all ratios of a sample (nearly) tie, more
	// than the kept values' room
	cases = append(cases, tc{"sameProfile", mk(5000, 6, func(g, j int) float64 { return float64((g%50 + 1) * (j + 1)) })})
	// a sample without positive counts: an error
	cases = append(cases, tc{"emptySample", mk(300, 4, func(g, j int) float64 {
		if j == 2 {
			return 0
		}
		return float64(1 + g%9)
	})})
	// many samples in blocks of 16 (buffers reused)
	cm, _, _, _, _ = studySim(2100, 50)
	cases = append(cases, tc{"blocks", cm})
	defer func(b int) { sfBlockBytes = b }(sfBlockBytes)
	for _, c := range cases {
		sfBlockBytes = 16 << 20
		if c.name == "blocks" {
			sfBlockBytes = 1
		}
		for _, st := range []SizeFactorType{Ratio, PosCounts} {
			want, ok := sizeFactorsRef(c.cm, st)
			got, err := SizeFactors(c.cm, st)
			if !ok {
				if err == nil {
					t.Errorf("%s/%d: no error, want one", c.name, st)
				}
				continue
			}
			nan := false
			for _, v := range want {
				nan = nan || math.IsNaN(v)
			}
			if nan {
				if err == nil {
					t.Errorf("%s/%d: no error for a sample without usable counts", c.name, st)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s/%d: %v", c.name, st, err)
				continue
			}
			for j := range want {
				if math.Float64bits(got[j]) != math.Float64bits(want[j]) {
					t.Errorf("%s/%d: sample %d: %.17g, want %.17g", c.name, st, j, got[j], want[j])
				}
			}
		}
	}
}
