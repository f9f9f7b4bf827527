package stats

import (
	"errors"
	"math"

	"github.com/her2het/her2het/core/dist"
)

// checkTable validates a contingency table (rows of equal length, finite,
// non-negative, positive total) and returns its dimensions and total.
func checkTable(t [][]float64) (nr, nc int, n float64, err error) {
	nr = len(t)
	if nr < 2 {
		return 0, 0, 0, errors.New("stats: 'x' must at least have 2 rows and columns")
	}
	nc = len(t[0])
	if nc < 2 {
		return 0, 0, 0, errors.New("stats: 'x' must at least have 2 rows and columns")
	}
	for _, row := range t {
		if len(row) != nc {
			return 0, 0, 0, errors.New("stats: table rows must have equal length")
		}
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return 0, 0, 0, errors.New("stats: all entries of 'x' must be nonnegative and finite")
			}
			n += v
		}
	}
	if n == 0 {
		return 0, 0, 0, errors.New("stats: at least one entry of 'x' must be positive")
	}
	return nr, nc, n, nil
}

// ChisqTest performs Pearson's chi-squared test of independence on an r x c
// table (t[i][j] = count in row i, column j), as R's chisq.test(x, correct=)
// (stats/R/chisq.test.R, R 4.2.2): E = outer(rowSums, colSums)/n,
// X² = Σ (|x - E| - Y)²/E with Y = min(0.5, min|x - E|) for a 2x2 table when
// correct (Yates), else 0; df = (r-1)(c-1); p = P(χ²_df > X²).
//
// Errors: fewer than 2 rows or columns, ragged rows, negative or non-finite
// entries, zero total. A zero row or column sum gives NaN, as in R.
func ChisqTest(t [][]float64, correct bool) (Result, error) {
	nr, nc, n, err := checkTable(t)
	if err != nil {
		return Result{}, err
	}
	sr := make([]float64, nr)
	sc := make([]float64, nc)
	for i := range t {
		sr[i] = sum(t[i])
	}
	col := make([]float64, nr)
	for j := 0; j < nc; j++ {
		for i := 0; i < nr; i++ {
			col[i] = t[i][j]
		}
		sc[j] = sum(col)
	}
	res := newResult("Pearson's Chi-squared test", "X-squared")
	e := func(i, j int) float64 { return sr[i] * sc[j] / n }
	yates := 0.0
	if correct && nr == 2 && nc == 2 {
		yates = 0.5
		for j := 0; j < nc; j++ {
			for i := 0; i < nr; i++ {
				yates = math.Min(yates, math.Abs(t[i][j]-e(i, j)))
			}
		}
		if yates > 0 {
			res.Method = "Pearson's Chi-squared test with Yates' continuity correction"
		}
	}
	terms := make([]float64, 0, nr*nc)
	for j := 0; j < nc; j++ { // column-major like R
		for i := 0; i < nr; i++ {
			ev := e(i, j)
			d := math.Abs(t[i][j]-ev) - yates
			terms = append(terms, d*d/ev)
		}
	}
	res.Statistic = sum(terms)
	res.DF = float64((nr - 1) * (nc - 1))
	res.PValue = dist.Pchisq(res.Statistic, res.DF, false, false)
	res.N = int(math.Round(n))
	for j := 0; j < nc; j++ {
		for i := 0; i < nr; i++ {
			if e(i, j) < 5 {
				res.Warnings = []string{"Chi-squared approximation may be incorrect"}
			}
		}
	}
	return res, nil
}
