package limma

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/her2het/her2het/core/dataset"
)

// TestScanCounts: scanCounts against a direct value-by-value reference on
// rows with -0, fractions, large and infinite counts, all-zero rows, NaN and
// negative values (the error names the first in row-major order), for 1-4
// workers; library sums must be bitwise equal to the reference's.
func TestScanCounts(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	special := []float64{math.Copysign(0, -1), 0.5, 70000, 1 << 60, math.Inf(1), 3}
	for trial := 0; trial < 60; trial++ {
		G, n := 1+r.IntN(40), 1+r.IntN(12)
		genes, samples := make([]string, G), make([]string, n)
		for g := range genes {
			genes[g] = fmt.Sprintf("g%d", g)
		}
		for j := range samples {
			samples[j] = fmt.Sprintf("s%d", j)
		}
		m := dataset.NewMatrix(dataset.Counts, genes, samples)
		for i := range m.Data {
			m.Data[i] = float64(r.IntN(50))
			if r.IntN(4) == 0 {
				m.Data[i] = 0
			}
			if r.IntN(30) == 0 {
				m.Data[i] = special[r.IntN(len(special))]
			}
		}
		if trial%3 == 1 {
			m.Data[r.IntN(len(m.Data))] = math.NaN()
		}
		if trial%5 == 2 {
			m.Data[r.IntN(len(m.Data))] = -1
		}
		wantErr, wantLib, want := refScan(m)
		for workers := 1; workers <= 4; workers++ {
			lib := make([]float64, n)
			sc, err := scanCounts(m, lib, workers)
			if wantErr != "" || err != nil {
				if err == nil || err.Error() != wantErr {
					t.Fatalf("trial %d workers %d: error %v, want %q", trial, workers, err, wantErr)
				}
				continue
			}
			for j := range lib {
				if math.Float64bits(lib[j]) != math.Float64bits(wantLib[j]) {
					t.Fatalf("trial %d workers %d: lib[%d] = %v, want %v", trial, workers, j, lib[j], wantLib[j])
				}
			}
			if sc.maxc != want.maxc {
				t.Fatalf("trial %d workers %d: maxc %v, want %v", trial, workers, sc.maxc, want.maxc)
			}
			for g := range sc.allZero {
				if sc.allZero[g] != want.allZero[g] || sc.tabled[g] != want.tabled[g] {
					t.Fatalf("trial %d workers %d: gene %d flags %v %v, want %v %v", trial, workers, g, sc.allZero[g], sc.tabled[g], want.allZero[g], want.tabled[g])
				}
			}
		}
	}
}

// refScan is scanCounts value by value, in one thread.
func refScan(m *dataset.Matrix) (string, []float64, *countScan) {
	G, n := m.Rows(), m.Cols()
	sc := &countScan{allZero: make([]bool, G), tabled: make([]bool, G)}
	lib := make([]float64, n)
	whole := true
	for g := 0; g < G; g++ {
		mx, rowWhole := 0.0, true
		for j := 0; j < n; j++ {
			v := m.Data[g*n+j]
			if math.IsNaN(v) {
				return fmt.Sprintf("limma: NA count for gene %s, sample %s", m.Genes[g], m.Samples[j]), nil, nil
			}
			if v < 0 {
				return fmt.Sprintf("limma: negative count %v for gene %s, sample %s", v, m.Genes[g], m.Samples[j]), nil, nil
			}
			mx = math.Max(mx, v)
			if math.Trunc(v) != v || v >= 1<<63 {
				rowWhole = false
			}
			lib[j] += v
		}
		whole = whole && rowWhole
		sc.allZero[g] = mx == 0
		sc.tabled[g] = rowWhole && mx < logCPMTable
		sc.maxc = math.Max(sc.maxc, mx)
	}
	exact := whole
	for _, l := range lib {
		exact = exact && l < 1<<53
	}
	if !exact {
		comp := make([]float64, n)
		for j := range lib {
			lib[j] = 0
		}
		for g := 0; g < G; g++ {
			for j := 0; j < n; j++ {
				lib[j], comp[j] = neumaier(lib[j], comp[j], m.Data[g*n+j])
			}
		}
		for j := range lib {
			lib[j] += comp[j]
		}
	}
	return "", lib, sc
}
