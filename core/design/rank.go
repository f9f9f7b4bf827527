package design

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// RankError reports a design whose columns are linearly dependent, so some
// coefficients cannot be estimated. Aliased lists those columns (the ones R's
// lm.fit would return as NA); Reasons explains each in words.
type RankError struct {
	Rank    int
	Cols    int
	Aliased []string
	Reasons []string
}

func (e *RankError) Error() string {
	return fmt.Sprintf("design: the design matrix has rank %d < %d columns; not estimable: %s. %s",
		e.Rank, e.Cols, strings.Join(e.Aliased, ", "), strings.Join(e.Reasons, "; "))
}

// Estimable returns the pivoted QR of the design (tolerance Tol) and the
// indices of the estimable and aliased columns, in R's order.
func (m *Matrix) Estimable() (q *QR, est, aliased []int) {
	q = NewQR(m.X, m.Rows, m.Cols(), Tol)
	est = append(est, q.Pivot[:q.Rank]...)
	aliased = append(aliased, q.Pivot[q.Rank:]...)
	return q, est, aliased
}

// CheckRank returns nil when the design has full column rank by R's rule
// (pivoted Householder QR, dqrdc2, tolerance 1e-7) and a *RankError naming
// each non-estimable column otherwise. The reason given is, in this order:
// more columns than samples; an all-zero column (a level or combination of
// levels with no samples); a factor nested in another ("patient is nested in
// HET: each patient has one HET value, so HET cannot be estimated with patient
// in the model"); or the linear combination of other columns that equals it.
func (m *Matrix) CheckRank() error {
	p := m.Cols()
	if p == 0 {
		return fmt.Errorf("design: the design has no columns")
	}
	q, est, aliased := m.Estimable()
	if len(aliased) == 0 {
		return nil
	}
	e := &RankError{Rank: q.Rank, Cols: p}
	if m.Rows < p {
		e.Reasons = append(e.Reasons, fmt.Sprintf("the design has %d columns but only %d samples", p, m.Rows))
	}
	seen := map[string]bool{}
	for _, j := range aliased {
		e.Aliased = append(e.Aliased, m.Columns[j])
		r := m.reason(q, est, j)
		if r != "" && !seen[r] {
			seen[r] = true
			e.Reasons = append(e.Reasons, r)
		}
	}
	return e
}

func (m *Matrix) reason(q *QR, est []int, j int) string {
	col := m.Column(j)
	zero := true
	for _, v := range col {
		if v != 0 {
			zero = false
			break
		}
	}
	if zero {
		return fmt.Sprintf("column %s is zero in every sample%s", m.Columns[j], m.describeLevels(j))
	}
	// Express column j through the estimable columns: least squares via the QR.
	y := append([]float64(nil), col...)
	q.QtY(y)
	b := make([]float64, q.Rank)
	q.SolveR(y, b)
	var involved []int
	var coefs []float64
	maxb := 0.0
	for _, v := range b {
		maxb = math.Max(maxb, math.Abs(v))
	}
	for k, v := range b {
		if math.Abs(v) > 1e-6*maxb {
			involved = append(involved, est[k])
			coefs = append(coefs, v)
		}
	}
	// Nesting: a factor of column j constant within each level of another
	// factor among the involved columns.
	if m.vars != nil && j < len(m.Info) {
		for _, vname := range m.Info[j].Vars {
			v := m.factorVar(vname)
			if v == nil {
				continue
			}
			var cands []string
			for _, k := range involved {
				for _, uname := range m.Info[k].Vars {
					if uname != vname {
						cands = append(cands, uname)
					}
				}
			}
			sort.Strings(cands)
			for i, uname := range cands {
				if i > 0 && cands[i-1] == uname {
					continue
				}
				u := m.factorVar(uname)
				if u == nil {
					continue
				}
				inner, outer := u, v
				if nested(v, u) {
					inner, outer = v, u
				} else if !nested(u, v) {
					continue
				}
				return fmt.Sprintf("%s is nested in %s: each %s has one %s value, so %s cannot be estimated with %s in the model",
					inner.name, outer.name, inner.name, outer.name, outer.name, inner.name)
			}
		}
	}
	var parts []string
	for i, k := range involved {
		c := strconv.FormatFloat(coefs[i], 'g', 4, 64)
		switch c {
		case "1":
			c = ""
		case "-1":
			c = "-"
		default:
			c += "*"
		}
		parts = append(parts, c+m.Columns[k])
	}
	if len(parts) == 0 {
		return fmt.Sprintf("column %s is numerically negligible", m.Columns[j])
	}
	return fmt.Sprintf("column %s equals %s (a linear combination of estimable columns)", m.Columns[j], strings.ReplaceAll(strings.Join(parts, " + "), "+ -", "- "))
}

func (m *Matrix) factorVar(name string) *variable {
	for _, v := range m.vars {
		if v.name == name && v.factor {
			return v
		}
	}
	return nil
}

// nested reports whether every level of u occurs with a single level of v
// and u has more levels than v.
func nested(u, v *variable) bool {
	if len(u.levels) <= len(v.levels) {
		return false
	}
	seen := make([]int, len(u.levels))
	for i := range seen {
		seen[i] = -1
	}
	for i, cu := range u.code {
		cv := v.code[i]
		if seen[cu] >= 0 && seen[cu] != cv {
			return false
		}
		seen[cu] = cv
	}
	return true
}

func (m *Matrix) describeLevels(j int) string {
	if j >= len(m.Info) {
		return ""
	}
	var conds []string
	for k, v := range m.Info[j].Vars {
		if l := m.Info[j].Levels[k]; l != "" {
			conds = append(conds, v+" = "+l)
		}
	}
	if len(conds) == 0 {
		return ""
	}
	return ": no sample has " + strings.Join(conds, " and ")
}
