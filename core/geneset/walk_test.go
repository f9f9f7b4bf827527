package geneset

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSubRepeat: subRepeat equals the loop of r subtractions bit for bit
// (tolerance 0) from starting values of both signs and many magnitudes, with
// decrements 1/(p-k) of GSVA walks, powers of two, values whose scaled
// fractional part is exactly one half (parity-dependent rounding), and runs
// that cross zero and many binades.
func TestSubRepeat(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	loop := func(c, dec float64, n int) float64 {
		for ; n > 0; n-- {
			c -= dec
		}
		return c
	}
	decs := []float64{1.0 / 19850, 1.0 / 3, 1.0 / 7, 0.5, 0.25, 1.0 / 1024, 1e-300, 3, 1 + 0x1p-52, 0.1}
	for i := 0; i < 40; i++ {
		decs = append(decs, 1/float64(1+r.IntN(30000)))
	}
	// 1.5 ulp(1): at c in [1, 2) dec/u is exactly half-way
	decs = append(decs, 0x1.8p-52, 0x1.8p-40, 5*0x1p-53)
	starts := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 0x1p-30, -0x1p-30, 1e-310, 2, 1e10, -1e10}
	for i := 0; i < 60; i++ {
		starts = append(starts, (r.Float64()*2-1)*math.Pow(2, float64(r.IntN(40)-30)))
	}
	// starts next to binade boundaries with decrements of a few ulps
	for j := 0; j < 7; j++ {
		for _, sg := range []float64{1, -1} {
			starts = append(starts, sg*(1+float64(j)*0x1p-52), sg*(2-float64(j)*0x1p-52), sg*(0.5+float64(j)*0x1p-53))
		}
	}
	for _, d0 := range []float64{0.3, 0.7, 1, 1.5, 2, 2.2, 3, 4.5} {
		decs = append(decs, d0*0x1p-52, d0*0x1p-53)
	}
	for _, dec := range decs {
		for _, c := range starts {
			for _, n := range []int{0, 1, 2, 3, 4, 5, 17, 100, 1000, 20000} {
				got, want := subRepeat(c, dec, n), loop(c, dec, n)
				if math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("subRepeat(%v, %v, %d) = %v, loop %v", c, dec, n, got, want)
				}
			}
		}
	}
}

// TestKSSparse: the sparse walk equals ks_sample's sequential walk (ksSample)
// bit for bit, for tau 1 and 0.5 and every mx.diff / abs.ranking variant.
func TestKSSparse(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, p := range []int{5, 64, 65, 500, 3001} {
		w := newWalkWork(p)
		col := make([]float64, p)
		for g := range col {
			col[g] = math.Round(r.NormFloat64()*8) / 4 // ties
		}
		w.rank(col)
		score := make([]float64, p)
		for i, g := range w.order {
			score[g] = rankScore(i, p)
		}
		for trial := 0; trial < 30; trial++ {
			k := 1 + r.IntN(min(p-1, 200))
			set := r.Perm(p)[:k]
			mask := make([]bool, p)
			for _, g := range set {
				mask[g] = true
			}
			for _, tau := range []float64{1, 0.5} {
				for _, v := range [][2]bool{{true, false}, {true, true}, {false, false}} {
					got := w.ksSparse(set, tau, v[0], v[1])
					want := ksSample(score, w.order, mask, set, tau, v[0], v[1])
					if math.Float64bits(got) != math.Float64bits(want) {
						t.Fatalf("p=%d k=%d tau=%v %v: sparse %v, sequential %v", p, k, tau, v, got, want)
					}
				}
			}
		}
	}
}

// ksSample is GSVA 1.46's ks_sample (src/ks_test.c) for one sample, step by
// step: the reference for ksSparse.
func ksSample(score []float64, order []int, mask []bool, set []int, tau float64, maxDiff, absRank bool) float64 {
	p, k := len(order), len(set)
	dec := 1.0 / float64(p-k)
	pw := func(v float64) float64 {
		if tau == 1 {
			return v
		}
		return math.Pow(v, tau)
	}
	sumSet := 0.0
	for _, g := range set {
		sumSet += pw(score[g])
	}
	var cum, mxPos, mxNeg float64
	for _, g := range order {
		if mask[g] {
			cum += pw(score[g]) / sumSet
		} else {
			cum -= dec
		}
		if cum > mxPos {
			mxPos = cum
		}
		if cum < mxNeg {
			mxNeg = cum
		}
	}
	if maxDiff {
		if absRank {
			return mxPos - mxNeg
		}
		return mxPos + mxNeg
	}
	if mxPos > math.Abs(mxNeg) {
		return mxPos
	}
	return mxNeg
}
