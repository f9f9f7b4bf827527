package design

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Formula is a parsed right-hand side of an R model formula.
//
// Vars lists the variables in order of first appearance (R's "variables"
// attribute). Terms lists the model terms as indices into Vars, each sorted
// increasingly; terms are ordered by degree (main effects first) and, within a
// degree, by appearance, like R's terms(keep.order = FALSE).
type Formula struct {
	Intercept bool
	Vars      []string
	Terms     [][]int
}

// Labels returns the term labels, e.g. "HET:timepoint", in Terms order.
func (f *Formula) Labels() []string {
	out := make([]string, len(f.Terms))
	for i, t := range f.Terms {
		out[i] = f.label(t)
	}
	return out
}

func (f *Formula) label(t []int) string {
	parts := make([]string, len(t))
	for i, v := range t {
		parts[i] = quoteName(f.Vars[v])
	}
	return strings.Join(parts, ":")
}

// String returns the formula in R syntax, e.g. "~ HET + HET:timepoint" or "~ 0 + group".
func (f *Formula) String() string {
	var parts []string
	if !f.Intercept {
		parts = append(parts, "0")
	}
	parts = append(parts, f.Labels()...)
	if len(parts) == 0 {
		parts = append(parts, "1")
	}
	return "~ " + strings.Join(parts, " + ")
}

// FormulaError reports a syntax error in a formula at a 1-based character column.
type FormulaError struct {
	Formula string
	Column  int
	Msg     string
}

func (e *FormulaError) Error() string {
	return fmt.Sprintf("design: formula %q, column %d: %s", e.Formula, e.Column, e.Msg)
}

type token struct {
	kind byte // 'i' identifier, 'n' number, or the operator character; 0 = end
	text string
	pos  int // 0-based byte offset
}

func lex(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.IndexByte("~+-:*()", c) >= 0:
			toks = append(toks, token{kind: c, text: string(c), pos: i})
			i++
		case c == '`':
			j := strings.IndexByte(s[i+1:], '`')
			if j < 0 {
				return nil, &FormulaError{s, i + 1, "unterminated back-quoted name"}
			}
			if j == 0 {
				return nil, &FormulaError{s, i + 1, "empty back-quoted name"}
			}
			toks = append(toks, token{kind: 'i', text: s[i+1 : i+1+j], pos: i})
			i += j + 2
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			toks = append(toks, token{kind: 'n', text: s[i:j], pos: i})
			i = j
		default:
			r := rune(c)
			if c >= 0x80 || unicode.IsLetter(r) || c == '.' || c == '_' {
				j := i
				for j < len(s) {
					d := s[j]
					if d >= 0x80 || unicode.IsLetter(rune(d)) || unicode.IsDigit(rune(d)) || d == '.' || d == '_' {
						j++
						continue
					}
					break
				}
				toks = append(toks, token{kind: 'i', text: s[i:j], pos: i})
				i = j
				continue
			}
			return nil, &FormulaError{s, i + 1, fmt.Sprintf("unexpected character %q", c)}
		}
	}
	toks = append(toks, token{kind: 0, pos: len(s)})
	return toks, nil
}

// termSet is the value of a formula sub-expression: a list of terms (each a
// sorted variable-index set) plus intercept markers.
type termSet struct {
	terms     [][]int
	intercept int // +1 explicit "1", -1 explicit "0" or "-1", 0 none
}

type parser struct {
	src  string
	toks []token
	p    int
	vars []string
	vix  map[string]int
}

func (ps *parser) peek() token { return ps.toks[ps.p] }
func (ps *parser) next() token { t := ps.toks[ps.p]; ps.p++; return t }
func (ps *parser) errf(t token, format string, a ...any) error {
	return &FormulaError{ps.src, t.pos + 1, fmt.Sprintf(format, a...)}
}

// ParseFormula parses a one-sided R formula such as "~ patient + timepoint",
// "~ HET + HET:timepoint", "~ 0 + group", "~ a*b" or "~ x - 1". The leading "~"
// is optional. Supported operators: + (add terms), - (remove terms; "-1" removes
// the intercept), : (interaction), * (crossing: a*b = a + b + a:b), parentheses,
// and the intercept markers 0 and 1. Names may be back-quoted, and wrapped
// in factor(), as.factor() (coded as a factor) or as.numeric() (a numeric
// covariate); the column names then start with the call, as in R
// ("factor(HET)1"). A response
// ("y ~ x") is an error because the response is the expression matrix.
func ParseFormula(s string) (*Formula, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	ps := &parser{src: s, toks: toks, vix: map[string]int{}}
	if ps.peek().kind == '~' {
		ps.next()
	} else if ps.peek().kind == 0 {
		return nil, &FormulaError{s, 1, "empty formula"}
	}
	if ps.peek().kind == 0 {
		return nil, ps.errf(ps.peek(), "formula has no terms after ~")
	}
	ts, err := ps.sum()
	if err != nil {
		return nil, err
	}
	if t := ps.peek(); t.kind != 0 {
		if t.kind == '~' {
			return nil, ps.errf(t, "a response (left of ~) is not allowed: the expression matrix is the response")
		}
		return nil, ps.errf(t, "unexpected %q", t.text)
	}
	f := &Formula{Intercept: ts.intercept >= 0, Vars: ps.vars}
	// Order by degree, stable; R's terms.formula(keep.order = FALSE).
	terms := ts.terms
	sort.SliceStable(terms, func(i, j int) bool { return len(terms[i]) < len(terms[j]) })
	f.Terms = terms
	return f, nil
}

func (ps *parser) sum() (termSet, error) {
	var acc termSet
	first := true
	for {
		op := byte('+')
		if t := ps.peek(); t.kind == '+' || t.kind == '-' {
			ps.next()
			op = t.kind
		} else if !first {
			return acc, nil
		}
		first = false
		rhs, err := ps.product()
		if err != nil {
			return acc, err
		}
		if op == '+' {
			for _, t := range rhs.terms {
				acc.terms = addTerm(acc.terms, t)
			}
			if rhs.intercept != 0 {
				acc.intercept = rhs.intercept
			}
		} else {
			for _, t := range rhs.terms {
				acc.terms = removeTerm(acc.terms, t)
			}
			if rhs.intercept == 1 {
				acc.intercept = -1
			} else if rhs.intercept == -1 {
				acc.intercept = 1
			}
		}
		if t := ps.peek(); t.kind != '+' && t.kind != '-' {
			return acc, nil
		}
	}
}

// product parses crossings a*b; ':' binds tighter than '*'.
func (ps *parser) product() (termSet, error) {
	lhs, err := ps.interaction()
	if err != nil {
		return lhs, err
	}
	for ps.peek().kind == '*' {
		op := ps.next()
		rhs, err := ps.interaction()
		if err != nil {
			return lhs, err
		}
		if lhs.intercept != 0 || rhs.intercept != 0 {
			return lhs, ps.errf(op, "0 or 1 cannot be crossed with *")
		}
		var out [][]int
		for _, t := range lhs.terms {
			out = addTerm(out, t)
		}
		for _, t := range rhs.terms {
			out = addTerm(out, t)
		}
		for _, a := range lhs.terms {
			for _, b := range rhs.terms {
				out = addTerm(out, union(a, b))
			}
		}
		lhs = termSet{terms: out}
	}
	return lhs, nil
}

func (ps *parser) interaction() (termSet, error) {
	lhs, err := ps.primary()
	if err != nil {
		return lhs, err
	}
	for ps.peek().kind == ':' {
		op := ps.next()
		rhs, err := ps.primary()
		if err != nil {
			return lhs, err
		}
		if lhs.intercept != 0 || rhs.intercept != 0 {
			return lhs, ps.errf(op, "0 or 1 cannot be part of an interaction")
		}
		var out [][]int
		for _, a := range lhs.terms {
			for _, b := range rhs.terms {
				out = addTerm(out, union(a, b))
			}
		}
		lhs = termSet{terms: out}
	}
	return lhs, nil
}

func (ps *parser) primary() (termSet, error) {
	t := ps.next()
	switch t.kind {
	case 'i':
		name := t.text
		if wrapperFuncs[name] && ps.peek().kind == '(' {
			ps.next()
			in := ps.next()
			if in.kind != 'i' {
				return termSet{}, ps.errf(in, "%s() takes one column name", name)
			}
			if c := ps.next(); c.kind != ')' {
				return termSet{}, ps.errf(c, "missing ) after %s(%s", name, in.text)
			}
			name = name + "(" + in.text + ")"
		} else if ps.peek().kind == '(' {
			return termSet{}, ps.errf(t, "function %s() is not supported in formulas (only factor(), as.factor() and as.numeric())", name)
		}
		v, ok := ps.vix[name]
		if !ok {
			v = len(ps.vars)
			ps.vars = append(ps.vars, name)
			ps.vix[name] = v
		}
		return termSet{terms: [][]int{{v}}}, nil
	case 'n':
		switch t.text {
		case "0":
			return termSet{intercept: -1}, nil
		case "1":
			return termSet{intercept: 1}, nil
		}
		return termSet{}, ps.errf(t, "number %s is not a term (only 0 and 1 are allowed)", t.text)
	case '(':
		inner, err := ps.sum()
		if err != nil {
			return inner, err
		}
		if c := ps.next(); c.kind != ')' {
			return inner, ps.errf(c, "missing )")
		}
		return inner, nil
	case 0:
		return termSet{}, ps.errf(t, "formula ends where a term was expected")
	}
	return termSet{}, ps.errf(t, "unexpected %q where a term was expected", t.text)
}

// wrapperFuncs are the functions a formula may apply to a column.
var wrapperFuncs = map[string]bool{"factor": true, "as.factor": true, "as.numeric": true}

// unwrap splits "factor(x)" into ("factor", "x"); ("", s) otherwise.
func unwrap(s string) (fn, inner string) {
	i := strings.IndexByte(s, '(')
	if i > 0 && strings.HasSuffix(s, ")") && wrapperFuncs[s[:i]] {
		return s[:i], s[i+1 : len(s)-1]
	}
	return "", s
}

// quoteName back-quotes a name that is not a syntactic R name.
func quoteName(s string) string {
	if fn, inner := unwrap(s); fn != "" {
		return fn + "(" + quoteName(inner) + ")"
	}
	ok := s != ""
	for i, r := range s {
		letter := unicode.IsLetter(r) || r == '.' || r == '_' && i > 0
		if !(letter || i > 0 && unicode.IsDigit(r)) {
			ok = false
			break
		}
	}
	if ok && s[0] == '.' && len(s) > 1 && s[1] >= '0' && s[1] <= '9' {
		ok = false
	}
	if ok {
		return s
	}
	return "`" + s + "`"
}

func union(a, b []int) []int {
	out := append([]int(nil), a...)
	for _, v := range b {
		found := false
		for _, w := range out {
			if w == v {
				found = true
				break
			}
		}
		if !found {
			out = append(out, v)
		}
	}
	sort.Ints(out)
	return out
}

func sameTerm(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func addTerm(ts [][]int, t []int) [][]int {
	for _, u := range ts {
		if sameTerm(u, t) {
			return ts
		}
	}
	return append(ts, t)
}

func removeTerm(ts [][]int, t []int) [][]int {
	out := ts[:0:0]
	for _, u := range ts {
		if !sameTerm(u, t) {
			out = append(out, u)
		}
	}
	return out
}
