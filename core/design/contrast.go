package design

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ContrastVector turns a contrast specification into a vector over the design
// columns.
//
// Two forms are accepted:
//   - by name, "variable,numerator,denominator" (DESeq2's
//     contrast = c("timepoint", "post", "pre")): the log fold change of level
//     numerator over level denominator of a factor. Under treatment coding it is
//     e_num - e_den over the main-effect columns variable+level, where the
//     reference level (or any level without its own column when the intercept
//     absorbs it) contributes 0. The variable is matched case-insensitively and
//     the levels after Normalize, so "timepoint,Post,Pre" works.
//   - numerically, "0,1,-1" or "c(0, 1, -1)", one number per column.
//
// Errors: unknown variable or level, equal levels, a level that only occurs
// inside interactions (give a numeric contrast then), a numeric vector of the
// wrong length, or one that is all zero.
func ContrastVector(m *Matrix, spec string) ([]float64, error) {
	s := strings.TrimSpace(spec)
	if strings.HasPrefix(s, "c(") && strings.HasSuffix(s, ")") {
		s = s[2 : len(s)-1]
	}
	fields := strings.Split(s, ",")
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	nums := make([]float64, len(fields))
	numeric := true
	for i, f := range fields {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			numeric = false
			break
		}
		nums[i] = v
	}
	if numeric {
		if len(nums) != m.Cols() {
			return nil, fmt.Errorf("design: contrast %q has %d numbers but the design has %d columns (%s)", spec, len(nums), m.Cols(), strings.Join(m.Columns, ", "))
		}
		zero := true
		for _, v := range nums {
			if v != 0 {
				zero = false
			}
		}
		if zero {
			return nil, fmt.Errorf("design: contrast %q is all zero", spec)
		}
		return nums, nil
	}
	if len(fields) != 3 {
		return nil, fmt.Errorf("design: contrast %q: give variable,numerator,denominator (e.g. timepoint,post,pre) or one number per column", spec)
	}
	return m.levelContrast(fields[0], fields[1], fields[2])
}

// Contrast is ContrastVector(m, spec).
func (m *Matrix) Contrast(spec string) ([]float64, error) { return ContrastVector(m, spec) }

func (m *Matrix) levelContrast(varName, num, den string) ([]float64, error) {
	var name string
	var levels []string
	want := strings.TrimSpace(varName)
	for v, l := range m.Factors {
		if _, inner := unwrap(v); strings.EqualFold(v, want) || strings.EqualFold(inner, want) {
			name, levels = v, l
			break
		}
	}
	if levels == nil {
		var fs []string
		if m.Formula != nil {
			for _, v := range m.Formula.Vars {
				if _, ok := m.Factors[v]; ok {
					fs = append(fs, v)
				}
			}
		}
		return nil, fmt.Errorf("design: contrast variable %q is not a factor of the design (factors: %s)", varName, strings.Join(fs, ", "))
	}
	find := func(l string) (int, error) {
		for i, x := range levels {
			if Normalize(x) == Normalize(l) {
				return i, nil
			}
		}
		return -1, fmt.Errorf("design: %s has no level %q (levels: %s)", name, l, strings.Join(levels, ", "))
	}
	ni, err := find(num)
	if err != nil {
		return nil, err
	}
	di, err := find(den)
	if err != nil {
		return nil, err
	}
	if ni == di {
		return nil, fmt.Errorf("design: contrast %s,%s,%s compares a level with itself", name, num, den)
	}
	// Main-effect columns of this factor.
	mainCol := make([]int, len(levels))
	for i := range mainCol {
		mainCol[i] = -1
	}
	hasMain := false
	for j, info := range m.Info {
		if len(info.Vars) == 1 && info.Vars[0] == name {
			hasMain = true
			for i, l := range levels {
				if info.Levels[0] == l {
					mainCol[i] = j
				}
			}
		}
	}
	if !hasMain {
		return nil, fmt.Errorf("design: %s has no main-effect columns in %s (it appears only in interactions); give the contrast as one number per column: %s",
			name, m.formulaString(), strings.Join(m.Columns, ", "))
	}
	c := make([]float64, m.Cols())
	for _, li := range []int{ni, di} {
		if mainCol[li] < 0 && li != 0 {
			return nil, fmt.Errorf("design: level %s of %s has no coefficient in %s; give the contrast as one number per column: %s",
				levels[li], name, m.formulaString(), strings.Join(m.Columns, ", "))
		}
	}
	if mainCol[ni] >= 0 {
		c[mainCol[ni]] += 1
	}
	if mainCol[di] >= 0 {
		c[mainCol[di]] -= 1
	}
	return c, nil
}

func (m *Matrix) formulaString() string {
	if m.Formula == nil {
		return "the design"
	}
	return m.Formula.String()
}
