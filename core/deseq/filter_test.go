package deseq

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/her2het/her2het/core/stats"
)

// TestFilterNumRejMatchesPAdjust: independentFiltering counts the BH
// rejections at each threshold without adjusting; the counts must equal
// those of p.adjust (stats.PAdjust) on each kept subset, with NA p-values,
// ties (p-values and filter values) and alphas below, at and above 1.
func TestFilterNumRejMatchesPAdjust(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := 0; trial < 20; trial++ {
		n := 50 + rng.IntN(400)
		p, filter := make([]float64, n), make([]float64, n)
		for g := range p {
			switch u := rng.Float64(); {
			case u < 0.1:
				p[g] = math.NaN()
			case u < 0.3:
				p[g] = float64(rng.IntN(5)) / 1000 // ties
			case u < 0.4 || trial%2 == 0:
				p[g] = 0.05 // n/n·p = alpha exactly when it is the largest
			default:
				p[g] = math.Pow(rng.Float64(), 3)
			}
			filter[g] = math.Floor(rng.ExpFloat64() * 20)
		}
		for _, alpha := range []float64{0.05, 0.1, 1, 1.5} {
			r := &Results{Pvalue: p}
			independentFiltering(r, filter, alpha)
			fs := append([]float64(nil), filter...)
			sort.Float64s(fs)
			for i, th := range r.Theta {
				cut := stats.Quantile(fs, th)
				var sub []float64
				for g, v := range filter {
					if v >= cut {
						sub = append(sub, p[g])
					}
				}
				want := 0
				if len(sub) > 0 {
					for _, a := range stats.PAdjust(sub, stats.BH) {
						if a < alpha {
							want++
						}
					}
				}
				if r.NumRej[i] != want {
					t.Fatalf("trial %d alpha %g theta %d: %d rejections, p.adjust gives %d", trial, alpha, i, r.NumRej[i], want)
				}
			}
		}
	}
}
