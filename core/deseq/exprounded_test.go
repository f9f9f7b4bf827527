package deseq

import (
	"math"
	"testing"
)

// TestExpRounded checks expRounded against e^x correctly rounded (60-digit
// decimal references); the first case is the bench data's sample S0242,
// where fmath.Exp is 1 ulp low and R's exp is not.
func TestExpRounded(t *testing.T) {
	for _, c := range []struct{ x, want float64 }{
		{-0.25499827410243325, 0.7749178353887334},
		{0.5, 1.6487212707001282},
		{-1, 0.36787944117144233},
		{2.5, 12.182493960703473},
		{1e-10, 1.0000000001},
		{-3.75, 0.023517745856009107},
		{0.123456789, 1.1314011145122336},
		{0, 1},
	} {
		if got := expRounded(c.x); got != c.want {
			t.Errorf("expRounded(%v) = %.17g, want %.17g", c.x, got, c.want)
		}
	}
	if !math.IsNaN(expRounded(math.NaN())) || expRounded(math.Inf(-1)) != 0 {
		t.Error("NaN or -Inf")
	}
}
