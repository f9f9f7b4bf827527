package study

import (
	"math"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/stats"
)

func col(x ...float64) [][]float64 {
	X := make([][]float64, len(x))
	for i, v := range x {
		X[i] = []float64{v}
	}
	return X
}

func cols2(x, h []float64) [][]float64 {
	X := make([][]float64, len(x))
	for i := range x {
		X[i] = []float64{x[i], h[i]}
	}
	return X
}

func TestSeparation(t *testing.T) {
	nan := math.NaN()
	big := make([]float64, sepMaxObs+1)
	bigY := make([]float64, sepMaxObs+1)
	for i := range big {
		big[i] = float64(i)
		bigY[i] = float64(i % 2)
	}
	tests := []struct {
		name     string
		X        [][]float64
		y        []float64
		kind     sepKind
		involved []bool
	}{
		{"overlap", col(1, 2, 3, 4, 5, 6), []float64{0, 1, 0, 1, 1, 0}, sepNone, []bool{false, false}},
		{"complete: x > 3.5 is pCR", col(1, 2, 3, 4, 5, 6), []float64{0, 0, 0, 1, 1, 1}, sepComplete, []bool{true, true}},
		{"complete, decreasing", col(1, 2, 3, 4, 5, 6), []float64{1, 1, 1, 0, 0, 0}, sepComplete, []bool{true, true}},
		{"quasi: a tie at the boundary", col(1, 2, 3, 3, 5, 6), []float64{0, 0, 0, 1, 1, 1}, sepQuasi, []bool{true, true}},
		// Only the slope diverges: the log-odds at x = 0 is estimable.
		{"binary predictor with an empty cell: quasi", col(0, 0, 0, 1, 1, 1), []float64{0, 1, 0, 1, 1, 1}, sepQuasi, []bool{false, true}},
		{"NaN rows left out before checking", col(1, 2, nan, 4, 5, 6), []float64{0, 0, 1, 1, 1, 1}, sepComplete, []bool{true, true}},
		{"intercept only, every y equal", nil, []float64{1, 1, 1}, sepComplete, []bool{true}},
		{"intercept only, both outcomes", nil, []float64{1, 0, 1}, sepNone, []bool{false}},
		{"x and HR overlap", cols2([]float64{1, 2, 3, 4, 5, 6, 7, 8}, []float64{0, 1, 0, 1, 0, 1, 0, 1}), []float64{0, 1, 1, 0, 0, 1, 1, 0}, sepNone, []bool{false, false, false}},
		{"HR alone separates completely", cols2([]float64{1, 2, 3, 4, 5, 6}, []float64{0, 1, 0, 1, 0, 1}), []float64{0, 1, 0, 1, 0, 1}, sepComplete, []bool{true, true, true}},
		{"HR-negative never pCR, x overlaps among HR-positive: only HR diverges",
			cols2([]float64{1, 2, 3, 4, 5, 6, 7, 8}, []float64{0, 0, 0, 0, 1, 1, 1, 1}), []float64{0, 0, 0, 0, 1, 0, 0, 1}, sepQuasi, []bool{true, false, true}},
		{"x separates within HR strata", cols2([]float64{1, 2, 3, 4, 1, 2, 3, 4}, []float64{0, 0, 0, 0, 1, 1, 1, 1}), []float64{0, 0, 1, 1, 0, 0, 1, 1}, sepComplete, []bool{true, true, true}},
		{"rank-deficient design: not judged (GLMBinomial's error)", cols2([]float64{1, 2, 3, 4}, []float64{2, 4, 6, 8}), []float64{0, 0, 1, 1}, sepNone, []bool{false, false, false}},
		{"too many observations: unknown", col(big...), bigY, sepUnknown, []bool{false, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kind, inv := separation(tc.X, tc.y)
			if kind != tc.kind {
				t.Errorf("kind %d, want %d", kind, tc.kind)
			}
			if len(inv) != len(tc.involved) {
				t.Fatalf("involved %v, want %v", inv, tc.involved)
			}
			for j := range inv {
				if inv[j] != tc.involved[j] {
					t.Errorf("involved %v, want %v", inv, tc.involved)
					break
				}
			}
		})
	}
}

// TestSeparationWarning: a separated predictor gets R's glm.fit warning with the
// reason, which the fit itself may not give (IRLS can stop with fitted
// probabilities above R's threshold); an estimable one gets none.
func TestSeparationWarning(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6}
	tests := []struct {
		name string
		X    [][]float64
		y    []float64
		hr   bool
		want string
	}{
		{"overlap", col(x...), []float64{0, 1, 0, 1, 1, 0}, false, ""},
		{"complete", col(x...), []float64{0, 0, 0, 1, 1, 1}, false,
			"glm.fit: fitted probabilities numerically 0 or 1 occurred (complete separation: X predicts pCR perfectly; the odds ratio is infinite, so it, its interval and its test are NA)"},
		{"quasi", col(1, 2, 3, 3, 5, 6), []float64{0, 0, 0, 1, 1, 1}, false, "(quasi-complete separation: X predicts pCR perfectly for some patients;"},
		{"complete with HR, X alone separates", cols2(x, []float64{0, 1, 0, 1, 0, 1}), []float64{0, 0, 0, 1, 1, 1}, true, "(complete separation: X alone predicts pCR perfectly;"},
		{"complete only together with HR", cols2([]float64{1, 2, 3, 4, 5, 6, 7, 8}, []float64{0, 0, 0, 0, 1, 1, 1, 1}), []float64{0, 0, 1, 1, 0, 0, 1, 1}, true,
			"(complete separation: X with HR status predicts pCR perfectly;"},
		{"only HR diverges: X estimable", cols2([]float64{1, 2, 3, 4, 5, 6, 7, 8}, []float64{0, 0, 0, 0, 1, 1, 1, 1}), []float64{0, 0, 0, 0, 1, 0, 0, 1}, true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := separationWarning(tc.X, tc.y, "X", tc.hr)
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if tc.want == "" {
				if _, err := stats.GLMBinomial(tc.X, tc.y); err != nil {
					t.Errorf("an estimable model does not fit: %v", err)
				}
			}
		})
	}
}
