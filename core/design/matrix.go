package design

import (
	"fmt"
	"strings"
)

// Column describes one design column: the term it belongs to and, for each
// variable of that term, the factor level it indicates ("" for a numeric
// variable). Term is an index into Matrix.Terms, or -1 for the intercept.
type Column struct {
	Name   string
	Term   int
	Vars   []string
	Levels []string
}

// Matrix is a design matrix: Rows samples x len(Columns) coefficients, stored
// row-major in X (sample i, column j at X[i*len(Columns)+j]).
type Matrix struct {
	Formula *Formula
	Samples []string
	Columns []string
	Rows    int
	X       []float64
	Info    []Column
	// Terms are the term labels ("HET:timepoint"); Assign gives each column's
	// term index +1, 0 for the intercept (R's "assign" attribute).
	Terms  []string
	Assign []int
	// Factors gives the levels, in order, of each factor variable of the
	// formula (first = reference), spelled as in the data.
	Factors map[string][]string

	vars []*variable
}

// Cols returns the number of coefficients.
func (m *Matrix) Cols() int { return len(m.Columns) }

// At returns the value for sample i and column j.
func (m *Matrix) At(i, j int) float64 { return m.X[i*len(m.Columns)+j] }

// Column returns a copy of column j.
func (m *Matrix) Column(j int) []float64 {
	p := len(m.Columns)
	out := make([]float64, m.Rows)
	for i := range out {
		out[i] = m.X[i*p+j]
	}
	return out
}

// Index returns the index of the column with the given name, or -1.
func (m *Matrix) Index(name string) int {
	for j, c := range m.Columns {
		if c == name {
			return j
		}
	}
	return -1
}

// FromValues wraps a numeric design given directly (e.g. read from a file), so
// it can be rank-checked and fitted. x is row-major rows x len(columns); it is
// kept, not copied.
func FromValues(columns []string, rows int, x []float64) (*Matrix, error) {
	if len(x) != rows*len(columns) {
		return nil, fmt.Errorf("design: %d values for %d rows x %d columns", len(x), rows, len(columns))
	}
	m := &Matrix{Columns: columns, Rows: rows, X: x, Factors: map[string][]string{}}
	m.Info = make([]Column, len(columns))
	m.Assign = make([]int, len(columns))
	for j, c := range columns {
		m.Info[j] = Column{Name: c, Term: j, Vars: []string{c}, Levels: []string{""}}
		m.Terms = append(m.Terms, c)
		m.Assign[j] = j + 1
	}
	return m, nil
}

// ModelMatrix parses formula and builds its design matrix over the frame, like
// R's model.matrix(formula, data) with treatment contrasts.
//
// Coding (stats 4.2, src/library/stats/src/model.c TermCode and modelmatrix):
// a factor in a term is coded by contrasts (levels 2..k, column names
// variable+level) when the term with that factor removed is empty or appears
// earlier in the formula, and by indicators of all k levels otherwise; without
// an intercept the first factor of the first term containing a factor is coded
// by indicators. Columns of an interaction vary fastest in its first variable.
// Numeric variables enter as their values; interactions multiply.
//
// Errors: formula syntax, unknown columns, missing values (empty, NA), numeric
// parse failures, an empty frame.
func ModelMatrix(formula string, fr *Frame) (*Matrix, error) {
	f, err := ParseFormula(formula)
	if err != nil {
		return nil, err
	}
	return Build(f, fr)
}

// Build is ModelMatrix for an already parsed formula.
func Build(f *Formula, fr *Frame) (*Matrix, error) {
	n := len(fr.Samples)
	if n == 0 {
		return nil, fmt.Errorf("design: the sample sheet has no samples")
	}
	vars := make([]*variable, len(f.Vars))
	for i, name := range f.Vars {
		v, err := fr.resolve(name)
		if err != nil {
			return nil, err
		}
		vars[i] = v
	}
	// codes[t][k]: 1 contrasts, 2 indicators, for variable f.Terms[t][k].
	codes := make([][]int, len(f.Terms))
	for t, term := range f.Terms {
		codes[t] = make([]int, len(term))
		for k := range term {
			codes[t][k] = termCode(f.Terms, t, k)
		}
	}
	if !f.Intercept {
	search:
		for t, term := range f.Terms {
			for k, v := range term {
				if vars[v].factor {
					codes[t][k] = 2
					break search
				}
			}
		}
	}
	m := &Matrix{Formula: f, Samples: fr.Samples, Rows: n, Terms: f.Labels(), Factors: map[string][]string{}, vars: vars}
	for _, v := range vars {
		if v.factor {
			m.Factors[v.name] = v.levels
		}
	}
	type col struct {
		info Column
		val  []float64
	}
	var cols []col
	if f.Intercept {
		one := make([]float64, n)
		for i := range one {
			one[i] = 1
		}
		cols = append(cols, col{Column{Name: "(Intercept)", Term: -1}, one})
		m.Assign = append(m.Assign, 0)
	}
	for t, term := range f.Terms {
		// Start with one all-ones column and multiply in each variable; the
		// first variable varies fastest.
		part := []col{{info: Column{Term: t}, val: ones(n)}}
		for k, vi := range term {
			v := vars[vi]
			var next []col
			if !v.factor {
				for _, p := range part {
					c := col{info: extend(p.info, v.name, ""), val: make([]float64, n)}
					for i := range c.val {
						c.val[i] = p.val[i] * v.values[i]
					}
					next = append(next, c)
				}
				part = next
				continue
			}
			first := 1
			if codes[t][k] == 2 {
				first = 0
			}
			for l := first; l < len(v.levels); l++ {
				for _, p := range part {
					c := col{info: extend(p.info, v.name, v.levels[l]), val: make([]float64, n)}
					for i := range c.val {
						if v.code[i] == l {
							c.val[i] = p.val[i]
						}
					}
					next = append(next, c)
				}
			}
			// Reorder so that the first variable varies fastest: next is
			// grouped by level of this variable with the previous columns inside.
			part = next
		}
		for _, p := range part {
			names := make([]string, len(p.info.Vars))
			for k, vn := range p.info.Vars {
				names[k] = vn + p.info.Levels[k]
			}
			p.info.Name = strings.Join(names, ":")
			cols = append(cols, p)
			m.Assign = append(m.Assign, t+1)
		}
	}
	p := len(cols)
	m.Columns = make([]string, p)
	m.Info = make([]Column, p)
	m.X = make([]float64, n*p)
	for j, c := range cols {
		m.Columns[j] = c.info.Name
		m.Info[j] = c.info
		for i := 0; i < n; i++ {
			m.X[i*p+j] = c.val[i]
		}
	}
	return m, nil
}

func ones(n int) []float64 {
	o := make([]float64, n)
	for i := range o {
		o[i] = 1
	}
	return o
}

func extend(c Column, v, level string) Column {
	return Column{Term: c.Term, Vars: append(append([]string(nil), c.Vars...), v), Levels: append(append([]string(nil), c.Levels...), level)}
}

// termCode is R's TermCode: 1 if variable k of term t is coded by contrasts,
// 2 if by indicators.
func termCode(terms [][]int, t, k int) int {
	rest := make([]int, 0, len(terms[t])-1)
	for i, v := range terms[t] {
		if i != k {
			rest = append(rest, v)
		}
	}
	if len(rest) == 0 {
		return 1
	}
	for u := 0; u < t; u++ {
		if subset(rest, terms[u]) {
			return 1
		}
	}
	return 2
}

func subset(a, b []int) bool {
	for _, x := range a {
		found := false
		for _, y := range b {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
