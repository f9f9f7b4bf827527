package design

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Kind says how a sample-sheet column enters a model.
type Kind int

const (
	// Auto decides from the values: see Frame.
	Auto Kind = iota
	// Factor codes the column by levels (treatment contrasts).
	Factor
	// Numeric uses the parsed values as a covariate.
	Numeric
)

func (k Kind) String() string {
	switch k {
	case Auto:
		return "auto"
	case Factor:
		return "factor"
	case Numeric:
		return "numeric"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Frame is a sample sheet: one row per sample, columns of strings.
//
// A column with Kind Auto is Numeric when every value parses as a finite number,
// it has more than two distinct values, and its name does not look like an
// identifier (a word of it, split at non-letters and camel case, is "id",
// "patient", "subject", "donor", "sample", "batch", "block", "individual",
// "pid" or "sid", case-insensitively); otherwise it is a
// Factor. So patient IDs such as 101, 102 and 0/1 flags such as HET are factors
// (column "HET1"), and age or a purity fraction is numeric. Override with Kinds.
//
// Factor levels default to R's factor() order: numeric order when every level
// parses as a number (as R orders an integer column read by read.csv), otherwise
// alphabetical in a case-insensitive collation close to R's in an English
// locale (ties broken lower case first). Levels gives an explicit order
// instead (first = reference); its entries are matched after normalisation and
// must cover every value of the column. Column names use the spelling of a
// level's first occurrence in the data.
type Frame struct {
	Samples []string
	Columns map[string][]string
	Kinds   map[string]Kind
	Levels  map[string][]string
}

// Normalize is the sample sheet's normalisation of a level name: surrounding
// white space trimmed, lower case. Two values that normalise equally are the
// same level.
func Normalize(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// isMissing reports whether a trimmed value is R's NA or empty.
func isMissing(s string) bool {
	t := strings.TrimSpace(s)
	return t == "" || t == "NA" || t == "na" || t == "NaN"
}

var idWords = map[string]bool{"id": true, "ids": true, "patient": true, "subject": true, "donor": true,
	"sample": true, "batch": true, "block": true, "individual": true, "pid": true, "sid": true}

// looksLikeID splits a column name into words at non-letters and lower-to-upper
// case changes ("patientID" -> patient, ID) and reports whether any word names
// an identifier.
func looksLikeID(name string) bool {
	var words []string
	start := -1
	for i, r := range name {
		letter := unicode.IsLetter(r)
		if !letter {
			if start >= 0 {
				words = append(words, name[start:i])
				start = -1
			}
			continue
		}
		if start >= 0 && unicode.IsUpper(r) && i > 0 && unicode.IsLower(rune(name[i-1])) {
			words = append(words, name[start:i])
			start = i
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		words = append(words, name[start:])
	}
	for _, w := range words {
		if idWords[strings.ToLower(w)] {
			return true
		}
	}
	return false
}

func parseNum(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// column returns the values of a column, found by exact name first and then
// case-insensitively, with the name as spelled in the frame.
func (fr *Frame) column(name string) (string, []string, error) {
	if v, ok := fr.Columns[name]; ok {
		return name, v, nil
	}
	var found []string
	for k := range fr.Columns {
		if strings.EqualFold(k, name) {
			found = append(found, k)
		}
	}
	switch len(found) {
	case 1:
		return found[0], fr.Columns[found[0]], nil
	case 0:
		names := make([]string, 0, len(fr.Columns))
		for k := range fr.Columns {
			names = append(names, k)
		}
		sort.Strings(names)
		return "", nil, fmt.Errorf("design: the sample sheet has no column %q (columns: %s)", name, strings.Join(names, ", "))
	}
	sort.Strings(found)
	return "", nil, fmt.Errorf("design: column name %q is ambiguous: %s", name, strings.Join(found, ", "))
}

// variable is one formula variable resolved against the frame.
type variable struct {
	name   string // as spelled in the formula
	col    string // as spelled in the frame
	factor bool
	levels []string  // display spelling, in level order (factor)
	code   []int     // level index per sample (factor)
	values []float64 // per sample (numeric)
}

func (fr *Frame) resolve(name string) (*variable, error) {
	fn, inner := unwrap(name)
	col, vals, err := fr.column(inner)
	if err != nil {
		return nil, err
	}
	if len(vals) != len(fr.Samples) {
		return nil, fmt.Errorf("design: column %s has %d values for %d samples", col, len(vals), len(fr.Samples))
	}
	for i, s := range vals {
		if isMissing(s) {
			return nil, fmt.Errorf("design: column %s is missing (%q) for sample %s; remove the sample or fill in the value", col, strings.TrimSpace(s), fr.Samples[i])
		}
	}
	kind := fr.Kinds[col]
	if kind == Auto {
		kind = fr.Kinds[name]
	}
	switch fn {
	case "factor", "as.factor":
		kind = Factor
	case "as.numeric":
		kind = Numeric
	}
	if kind == Auto {
		kind = autoKind(col, vals)
	}
	v := &variable{name: name, col: col}
	switch kind {
	case Numeric:
		v.values = make([]float64, len(vals))
		for i, s := range vals {
			x, ok := parseNum(s)
			if !ok {
				return nil, fmt.Errorf("design: column %s is numeric but sample %s has %q", col, fr.Samples[i], s)
			}
			v.values[i] = x
		}
		return v, nil
	case Factor:
		v.factor = true
		return v, v.setLevels(vals, fr.levelsFor(col, name), fr.Samples)
	}
	return nil, fmt.Errorf("design: column %s has unknown kind %v", col, kind)
}

func (fr *Frame) levelsFor(col, name string) []string {
	if l, ok := fr.Levels[col]; ok {
		return l
	}
	return fr.Levels[name]
}

func autoKind(col string, vals []string) Kind {
	if looksLikeID(col) {
		return Factor
	}
	distinct := map[float64]bool{}
	for _, s := range vals {
		x, ok := parseNum(s)
		if !ok {
			return Factor
		}
		distinct[x] = true
	}
	if len(distinct) <= 2 {
		return Factor
	}
	return Numeric
}

func (v *variable) setLevels(vals, explicit []string, samples []string) error {
	key := map[string]int{}
	if explicit != nil {
		for _, l := range explicit {
			k := Normalize(l)
			if _, dup := key[k]; dup {
				return fmt.Errorf("design: level %q of %s is listed twice", l, v.col)
			}
			key[k] = len(v.levels)
			v.levels = append(v.levels, strings.TrimSpace(l))
		}
		v.code = make([]int, len(vals))
		spelled := make([]bool, len(v.levels))
		for i, s := range vals {
			c, ok := key[Normalize(s)]
			if !ok {
				return fmt.Errorf("design: sample %s has %s = %q, which is not among the given levels %s", samples[i], v.col, strings.TrimSpace(s), strings.Join(v.levels, ", "))
			}
			if !spelled[c] {
				// Column names use the data's spelling of the level.
				v.levels[c] = strings.TrimSpace(s)
				spelled[c] = true
			}
			v.code[i] = c
		}
		return nil
	}
	var uniq []string
	first := map[string]string{}
	for _, s := range vals {
		k := Normalize(s)
		if _, ok := first[k]; !ok {
			first[k] = strings.TrimSpace(s)
			uniq = append(uniq, strings.TrimSpace(s))
		}
	}
	sortLevels(uniq)
	for i, l := range uniq {
		key[Normalize(l)] = i
	}
	v.levels = uniq
	v.code = make([]int, len(vals))
	for i, s := range vals {
		v.code[i] = key[Normalize(s)]
	}
	return nil
}

// sortLevels orders level names like R's sort(unique(x)) for factor():
// numerically when all parse as numbers, else case-insensitively with lower
// case first on ties.
func sortLevels(l []string) {
	allNum := true
	for _, s := range l {
		if _, ok := parseNum(s); !ok {
			allNum = false
			break
		}
	}
	if allNum {
		sort.SliceStable(l, func(i, j int) bool {
			a, _ := parseNum(l[i])
			b, _ := parseNum(l[j])
			return a < b
		})
		return
	}
	sort.SliceStable(l, func(i, j int) bool { return collateLess(l[i], l[j]) })
}

func collateLess(a, b string) bool {
	la, lb := strings.ToLower(a), strings.ToLower(b)
	if la != lb {
		return la < lb
	}
	// Same letters: lower case sorts first ("a" < "A"), as in en_US collation.
	return a > b
}
