package stats

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSelectK: SelectK returns the k-th smallest value, puts it at k with
// smaller ones before and larger ones after, for random data with and
// without ties, sorted, reversed, constant, organ-pipe and
// median-of-three-killer orders (the last runs out of rounds and sorts).
func TestSelectK(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	gens := []struct {
		name string
		f    func(i, n int) float64
	}{
		{"random", func(i, n int) float64 { return r.Float64() }},
		{"ties", func(i, n int) float64 { return float64(r.IntN(5)) }},
		{"sorted", func(i, n int) float64 { return float64(i) }},
		{"reversed", func(i, n int) float64 { return float64(n - i) }},
		{"constant", func(i, n int) float64 { return 1 }},
		{"organpipe", func(i, n int) float64 { return float64(min(i, n-i)) }},
		{"negzero", func(i, n int) float64 { return float64(r.IntN(3)-1) * 0 }},
	}
	check := func(name string, a []float64, k int) {
		t.Helper()
		s := slices.Clone(a)
		slices.Sort(s)
		v := SelectK(a, k)
		if v != s[k] || a[k] != v {
			t.Fatalf("%s n=%d k=%d: got %v (a[k] %v), want %v", name, len(a), k, v, a[k], s[k])
		}
		for i := range a {
			if i < k && a[i] > v || i > k && a[i] < v {
				t.Fatalf("%s n=%d k=%d: not partitioned at %d", name, len(a), k, i)
			}
		}
		got := slices.Clone(a)
		slices.Sort(got)
		if !slices.Equal(got, s) {
			t.Fatalf("%s: values changed", name)
		}
	}
	for _, g := range gens {
		for trial := 0; trial < 100; trial++ {
			n := 1 + r.IntN(300)
			if trial%10 == 0 {
				n = 2000 + r.IntN(3000)
			}
			a := make([]float64, n)
			for i := range a {
				a[i] = g.f(i, n)
			}
			check(g.name, a, r.IntN(n))
		}
	}
	// A median-of-three killer for this pivot rule: each round's pivot is
	// the second smallest value, so the budget runs out and the rest is
	// sorted.
	for _, n := range []int{64, 1000} {
		a := killer(n)
		check("killer", a, n-1)
	}
}

// killer builds values on which every round of SelectK (targeting the
// largest value) takes one of the two smallest values as its pivot: the
// first, middle and last values of each remaining range are chosen small.
func killer(n int) []float64 {
	// Simulate SelectK's rounds on indices, assigning the smallest unused
	// values to the pivot candidates as they are met.
	pos := make([]int, n) // pos[i]: the value's slot at position i
	for i := range pos {
		pos[i] = i
	}
	val := make([]float64, n)
	for i := range val {
		val[i] = -1
	}
	next := 0.0
	lo, hi := 0, n
	for hi-lo > 2 {
		for _, q := range []int{lo, lo + (hi-lo)/2, hi - 1} {
			if val[pos[q]] < 0 {
				val[pos[q]] = next
				next++
			}
		}
		// The slots not yet valued are larger than every valued one, so
		// the round moves the valued ones below the pivot to the front and
		// keeps the rest (in SelectK's swap order) after it.
		a, b, c := val[pos[lo]], val[pos[lo+(hi-lo)/2]], val[pos[hi-1]]
		p := b
		if (a <= b) == (b <= c) {
			p = b
		} else if (b <= a) == (a <= c) {
			p = a
		} else {
			p = c
		}
		key := func(i int) float64 {
			if v := val[pos[i]]; v >= 0 {
				return v
			}
			return float64(n) // unvalued: large
		}
		lt := lo
		for i := lo; i < hi; i++ {
			x := key(i)
			pos[i], pos[lt] = pos[lt], pos[i]
			if x < p {
				lt++
			}
		}
		le := lt
		for i := lt; i < hi; i++ {
			x := key(i)
			pos[i], pos[le] = pos[le], pos[i]
			if x <= p {
				le++
			}
		}
		lo = le
	}
	for i := range val {
		if val[i] < 0 {
			val[i] = next
			next++
		}
	}
	return val
}

// TestSelectKBudget: the killer input exhausts SelectK's rounds (so the
// sorting fallback is what TestSelectK checks there), random input does not.
func TestSelectKBudget(t *testing.T) {
	sorts := 0
	selectSortHook = func() { sorts++ }
	defer func() { selectSortHook = nil }()
	SelectK(killer(1000), 999)
	if sorts != 1 {
		t.Fatalf("killer input: %d fallback sorts, want 1", sorts)
	}
	r := rand.New(rand.NewPCG(1, 2))
	a := make([]float64, 5000)
	for i := range a {
		a[i] = r.Float64()
	}
	SelectK(a, 2500)
	if sorts != 1 {
		t.Fatalf("random input fell back to sorting")
	}
}
