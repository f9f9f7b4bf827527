package deseq

import (
	"math"
	"testing"
)

// TestWholeNonNeg checks wholeNonNeg against the exact check on counts,
// fractions, negatives, NaN, ±Inf, -0 and very large whole numbers.
func TestWholeNonNeg(t *testing.T) {
	exact := func(v float64) bool { return v >= 0 && v == math.Trunc(v) && !math.IsInf(v, 0) }
	vals := []float64{0, 1, 2, 1e6, 4503599627370496, 9007199254740993, 1 << 62, 0.5, 1e-300, -1, -0.5,
		math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), 1 << 63, 1e300, math.MaxFloat64, 3.0000000000000004}
	for _, v := range vals {
		got := wholeNonNeg([]float64{1, 2, v, 3})
		if got && !exact(v) {
			t.Errorf("wholeNonNeg accepts %v", v)
		}
		if !got && exact(v) && v < 1<<63 {
			t.Errorf("wholeNonNeg rejects %v", v)
		}
	}
	if !wholeNonNeg(nil) {
		t.Error("wholeNonNeg(nil) = false")
	}
}

// BenchmarkValidateCounts is Run's count check on 20000 x 285 counts.
func BenchmarkValidateCounts(b *testing.B) {
	cm, _, _, _, _ := studySim(20000, 285)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !wholeNonNeg(cm.Data) {
			b.Fatal("not counts")
		}
	}
}

// BenchmarkValidateCountsTrunc is the per-value check it replaces.
func BenchmarkValidateCountsTrunc(b *testing.B) {
	cm, _, _, _, _ := studySim(20000, 285)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, v := range cm.Data {
			if !(v >= 0) || v != math.Trunc(v) || math.IsInf(v, 0) {
				b.Fatal("not counts")
			}
		}
	}
}
