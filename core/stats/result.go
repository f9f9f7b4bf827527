package stats

import (
	"errors"
	"fmt"
	"math"
)

// Alternative is the alternative hypothesis of a test, as R's alternative=.
type Alternative int

const (
	// TwoSided is R's "two.sided" (the default).
	TwoSided Alternative = iota
	// Less is R's "less".
	Less
	// Greater is R's "greater".
	Greater
)

// String returns R's spelling: "two.sided", "less" or "greater".
func (a Alternative) String() string {
	switch a {
	case TwoSided:
		return "two.sided"
	case Less:
		return "less"
	case Greater:
		return "greater"
	}
	return fmt.Sprintf("Alternative(%d)", int(a))
}

func (a Alternative) valid() bool { return a >= TwoSided && a <= Greater }

// Result is the outcome of a hypothesis test, mirroring the fields of R's
// "htest" object. Fields R does not report for a test are NaN (numbers) or
// empty (names).
type Result struct {
	// Method is R's method string, e.g. "Wilcoxon rank sum exact test".
	Method string
	// StatisticName is the name R gives the statistic ("W", "V",
	// "Kruskal-Wallis chi-squared", "X-squared", "t", "S").
	StatisticName string
	Statistic     float64
	// DF is the degrees of freedom (R's parameter); NaN if none.
	DF          float64
	PValue      float64
	Alternative Alternative
	// EstimateName is R's name of the estimate ("odds ratio", "cor", "rho").
	EstimateName string
	Estimate     float64
	// ConfInt is the confidence interval for the estimate at ConfLevel; NaN
	// if R gives none.
	ConfInt   [2]float64
	ConfLevel float64
	// N is the number of observations used (after dropping NaN).
	N int
	// Warnings are R's warnings for this call, e.g. "cannot compute exact
	// p-value with ties".
	Warnings []string
}

func newResult(method, statName string) Result {
	nan := math.NaN()
	return Result{Method: method, StatisticName: statName, Statistic: nan, DF: nan, PValue: nan,
		Estimate: nan, ConfInt: [2]float64{nan, nan}, ConfLevel: nan}
}

// ErrAlternative is returned for an Alternative value outside TwoSided..Greater.
var ErrAlternative = errors.New("stats: invalid alternative")

// dropNaN returns x without its NaN values (a copy).
func dropNaN(x []float64) []float64 {
	out := make([]float64, 0, len(x))
	for _, v := range x {
		if !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}

// tieCounts returns the sizes of the groups of equal values in x (R's
// table(x)), in increasing order of value. x must not contain NaN.
func tieCounts(x []float64) []float64 {
	s := sorted(x)
	var t []float64
	for i := 0; i < len(s); {
		j := i + 1
		for j < len(s) && s[j] == s[i] {
			j++
		}
		t = append(t, float64(j-i))
		i = j
	}
	return t
}

// sign returns -1, 0 or 1 like R's sign() (NaN for NaN).
func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	case x == 0:
		return 0
	}
	return math.NaN()
}
