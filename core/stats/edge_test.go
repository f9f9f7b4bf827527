package stats_test

import (
	"math"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/stats"
)

func edgeNaN(v float64) bool { return math.IsNaN(v) }

// TestEdgeCasesSummaries: empty input and NaN give NaN (R's NA) as documented.
func TestEdgeCasesSummaries(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		got  float64
		want float64 // NaN means NaN
	}{
		{"Mean empty", stats.Mean(nil), nan},
		{"Mean with NaN", stats.Mean([]float64{1, nan, 3}), nan},
		{"Median empty", stats.Median(nil), nan},
		{"Median with NaN", stats.Median([]float64{1, nan}), nan},
		{"Var of one value", stats.Var([]float64{4}), nan},
		{"Var of a constant", stats.Var([]float64{2, 2, 2}), 0},
		{"SD of one value", stats.SD([]float64{4}), nan},
		{"MAD empty", stats.MAD(nil), nan},
		{"MAD of a constant", stats.MAD([]float64{3, 3, 3}), 0},
		{"Quantile empty", stats.Quantile(nil, 0.5), nan},
		{"Quantile p out of range", stats.Quantile([]float64{1, 2}, 1.5), nan},
		{"Quantile with NaN", stats.Quantile([]float64{1, nan, 2}, 0.5), nan},
		{"TrimmedMean NaN trim", stats.TrimmedMean([]float64{1, 2}, nan), nan},
		{"TrimmedMean trim >= 0.5 is the median", stats.TrimmedMean([]float64{1, 2, 10}, 0.5), 2},
		{"Cor with a constant", stats.Cor([]float64{1, 1, 1}, []float64{1, 2, 3}), nan},
		{"Cor of one pair", stats.Cor([]float64{1}, []float64{2}), nan},
	}
	for _, tc := range tests {
		if math.IsNaN(tc.want) {
			if !edgeNaN(tc.got) {
				t.Errorf("%s = %v, want NaN", tc.name, tc.got)
			}
		} else if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

// TestEdgeCasesTests: degenerate inputs to the tests give NaN statistics where R
// gives NA and errors where R stops; never a panic.
func TestEdgeCasesTests(t *testing.T) {
	t.Run("PAdjust keeps NaN and excludes it from n", func(t *testing.T) {
		got := stats.PAdjust([]float64{0.01, math.NaN(), 0.04}, stats.BH)
		if !math.IsNaN(got[1]) || math.Abs(got[0]-0.02) > 1e-15 || math.Abs(got[2]-0.04) > 1e-15 {
			t.Errorf("PAdjust = %v, want [0.02 NaN 0.04]", got)
		}
	})
	t.Run("PAdjust of nothing", func(t *testing.T) {
		if got := stats.PAdjust(nil, stats.BH); len(got) != 0 {
			t.Errorf("PAdjust(nil) = %v", got)
		}
	})
	t.Run("Kruskal-Wallis with all values equal: NaN statistic and p", func(t *testing.T) {
		r, err := stats.KruskalTest([][]float64{{1, 1}, {1, 1, 1}})
		if err != nil {
			t.Fatal(err)
		}
		if !math.IsNaN(r.Statistic) || !math.IsNaN(r.PValue) {
			t.Errorf("H %v p %v, want NaN", r.Statistic, r.PValue)
		}
	})
	t.Run("Kruskal-Wallis with a group emptied by NaN: error", func(t *testing.T) {
		if _, err := stats.KruskalTest([][]float64{{1, 2}, {math.NaN()}}); err == nil {
			t.Fatal("accepted an empty group")
		}
	})
	t.Run("Kruskal-Wallis with one group: error", func(t *testing.T) {
		if _, err := stats.KruskalTest([][]float64{{1, 2, 3}}); err == nil {
			t.Fatal("accepted one group")
		}
	})
	t.Run("Wilcoxon with one observation per group: exact p 1", func(t *testing.T) {
		r, err := stats.WilcoxTest([]float64{1}, []float64{2}, stats.WilcoxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if r.PValue != 1 {
			t.Errorf("p = %v, want 1 (R: wilcox.test(1, 2)$p.value)", r.PValue)
		}
	})
	t.Run("Wilcoxon with every value tied: NaN p", func(t *testing.T) {
		r, err := stats.WilcoxTest([]float64{2, 2, 2}, []float64{2, 2}, stats.WilcoxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !math.IsNaN(r.PValue) {
			t.Errorf("p = %v, want NaN", r.PValue)
		}
	})
	t.Run("Wilcoxon with an empty group: error", func(t *testing.T) {
		if _, err := stats.WilcoxTest([]float64{math.NaN()}, []float64{1, 2}, stats.WilcoxOptions{}); err == nil {
			t.Fatal("accepted x without observations")
		}
	})
	t.Run("logistic regression, perfect separation: fit with warning, huge SE", func(t *testing.T) {
		X := [][]float64{{1}, {2}, {3}, {4}, {5}, {6}}
		y := []float64{0, 0, 0, 1, 1, 1}
		f, err := stats.GLMBinomial(X, y)
		if err != nil {
			t.Fatal(err)
		}
		warned := false
		for _, w := range f.Warnings {
			warned = warned || strings.Contains(w, "fitted probabilities numerically 0 or 1")
		}
		if !warned || !(f.SE[1] > 1e3) || !(f.P[1] > 0.9) {
			t.Errorf("separation: warnings %q, SE %v, p %v; want R's warning, SE > 1e3 and p near 1", f.Warnings, f.SE[1], f.P[1])
		}
	})
	t.Run("logistic regression, constant response", func(t *testing.T) {
		// R: the intercept runs off to about 24 with a huge SE; p near 1, fitted
		// values just below 1, no error.
		f, err := stats.GLMBinomial([][]float64{{1}, {2}, {3}, {4}}, []float64{1, 1, 1, 1})
		if err != nil {
			t.Fatal(err)
		}
		if !(f.Coef[0] > 15) || !(f.SE[0] > 1e3) || !(f.P[0] > 0.99) || !(f.P[1] > 0.99) {
			t.Errorf("coef %v SE %v p %v", f.Coef, f.SE, f.P)
		}
		for _, v := range f.Fitted {
			if !(v > 1-1e-8 && v <= 1) {
				t.Fatalf("fitted %v", v)
			}
		}
	})
	t.Run("logistic regression, singular design: error", func(t *testing.T) {
		X := [][]float64{{1, 2}, {2, 4}, {3, 6}, {4, 8}, {5, 10}}
		if _, err := stats.GLMBinomial(X, []float64{0, 1, 0, 1, 1}); err == nil {
			t.Fatal("accepted a rank-deficient design")
		}
	})
	t.Run("logistic regression, response not 0/1: error", func(t *testing.T) {
		if _, err := stats.GLMBinomial([][]float64{{1}, {2}, {3}}, []float64{0, 2, 1}); err == nil {
			t.Fatal("accepted y = 2")
		}
	})
	t.Run("ROC with one case and one control: AUC, NaN interval", func(t *testing.T) {
		r, err := stats.ROC([]float64{1}, []float64{2})
		if err != nil {
			t.Fatal(err)
		}
		if r.AUC != 1 || !math.IsNaN(r.CI[0]) || !math.IsNaN(r.CI[1]) {
			t.Errorf("AUC %v CI %v, want 1 and NaN", r.AUC, r.CI)
		}
	})
	t.Run("ROC with no cases: error", func(t *testing.T) {
		if _, err := stats.ROC([]float64{1, 2}, nil); err == nil {
			t.Fatal("accepted no cases")
		}
	})
	t.Run("Fisher test with an all-zero table", func(t *testing.T) {
		// R: fisher.test(matrix(0, 2, 2)) stops with this message.
		_, err := stats.FisherTest([][]float64{{0, 0}, {0, 0}}, stats.FisherOptions{})
		if err == nil || !strings.Contains(err.Error(), "at least one entry of 'x' must be positive") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("Fisher test with a negative count: error", func(t *testing.T) {
		if _, err := stats.FisherTest([][]float64{{1, -1}, {2, 3}}, stats.FisherOptions{}); err == nil {
			t.Fatal("accepted a negative count")
		}
	})
}
