package demo

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestAppendCountRow: the in-place writer gives strconv.AppendInt's text for
// every size of count, negative and huge ones too.
func TestAppendCountRow(t *testing.T) {
	row := []float64{0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 1001, 9999, 10000, 65535, 123456, 999999, 1e6, 12345678, 1e9 + 7,
		1e14 - 1, 1e15 - 1, 1e15, 1e18, -1, -10, -123456, 3.7, 99.9, -0.5}
	for _, n := range []int{0, 1, 2, len(row)} {
		exp := []byte("x")
		for _, v := range row[:n] {
			exp = append(exp, '\t')
			exp = strconv.AppendInt(exp, int64(v), 10)
		}
		if got := appendCountRow([]byte("x"), row[:n]); string(got) != string(exp) {
			t.Errorf("%d counts: got %q, want %q", n, got, exp)
		}
	}
}

// TestSamplerIsPCG: the sampler's stream is math/rand/v2's PCG with the same
// seeds, number for number.
func TestSamplerIsPCG(t *testing.T) {
	for _, seed := range [][2]uint64{{0, 0}, {1, 2}, {DefaultSeed, streamGene}, {^uint64(0), ^uint64(0) - 5}} {
		var p rand.PCG
		p.Seed(seed[0], seed[1])
		s := newSampler(seed[0], seed[1])
		for i := 0; i < 10000; i++ {
			if got, want := s.u64(), p.Uint64(); got != want {
				t.Fatalf("seed %v, number %d: %#x, want %#x", seed, i, got, want)
			}
		}
	}
}
