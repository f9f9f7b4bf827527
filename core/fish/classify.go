package fish

import (
	"fmt"
	"math"
	"strings"
)

// Guideline holds the ASCO/CAP dual-probe cut-offs. The zero value is not useful;
// start from [DefaultGuideline].
type Guideline struct {
	Ratio     float64 // ERBB2/CEP17 ratio cut-off, 2.0
	CopiesLow float64 // mean ERBB2 signals per cell, lower cut-off, 4.0
	CopiesHi  float64 // mean ERBB2 signals per cell, upper cut-off, 6.0
}

// DefaultGuideline returns the ASCO/CAP 2013 and 2018 cut-offs: ratio 2.0, ERBB2 4.0 and 6.0.
func DefaultGuideline() Guideline { return Guideline{Ratio: 2.0, CopiesLow: 4.0, CopiesHi: 6.0} }

// Group2018 returns the ASCO/CAP 2018 dual-probe ISH group (1 to 5) of a case or area
// from its ratio of means and its mean ERBB2 signals per cell (Wolff et al., J Clin Oncol
// 2018;36:2105, doi:10.1200/JCO.2018.77.8738):
//
//	1: ratio >= 2.0 and ERBB2 >= 4.0      2: ratio >= 2.0 and ERBB2 < 4.0
//	3: ratio < 2.0 and ERBB2 >= 6.0       4: ratio < 2.0 and 4.0 <= ERBB2 < 6.0
//	5: ratio < 2.0 and ERBB2 < 4.0
//
// Comparisons are plain float64 comparisons against the cut-offs, so a value equal to a
// cut-off is on the ">=" side. It returns 0 (no group) when either input is NaN.
func (g Guideline) Group2018(meanERBB2, ratio float64) int {
	if math.IsNaN(meanERBB2) || math.IsNaN(ratio) {
		return 0
	}
	if ratio >= g.Ratio {
		if meanERBB2 >= g.CopiesLow {
			return 1
		}
		return 2
	}
	switch {
	case meanERBB2 >= g.CopiesHi:
		return 3
	case meanERBB2 >= g.CopiesLow:
		return 4
	}
	return 5
}

// Category is an ASCO/CAP 2013 ISH category.
type Category int8

const (
	CategoryNA        Category = iota // not computable (no mean ERBB2)
	CategoryNegative                  // ratio < 2.0 and ERBB2 < 4.0
	CategoryEquivocal                 // ratio < 2.0 and 4.0 <= ERBB2 < 6.0
	CategoryPositive                  // ratio >= 2.0 or ERBB2 >= 6.0
)

func (c Category) String() string {
	switch c {
	case CategoryNegative:
		return "negative"
	case CategoryEquivocal:
		return "equivocal"
	case CategoryPositive:
		return "positive"
	}
	return "NA"
}

// Category2013 returns the ASCO/CAP 2013 ISH category (Wolff et al., J Clin Oncol
// 2013;31:3997, doi:10.1200/JCO.2013.50.9984): positive when ratio >= 2.0 or mean ERBB2
// >= 6.0; equivocal when ratio < 2.0 and 4.0 <= ERBB2 < 6.0; negative otherwise.
// A NaN ratio (no CEP17, single-probe data) is judged on ERBB2 alone, which is the 2013
// single-probe rule; a NaN mean ERBB2 gives CategoryNA.
func (g Guideline) Category2013(meanERBB2, ratio float64) Category {
	if math.IsNaN(meanERBB2) {
		return CategoryNA
	}
	if (!math.IsNaN(ratio) && ratio >= g.Ratio) || meanERBB2 >= g.CopiesHi {
		return CategoryPositive
	}
	if meanERBB2 >= g.CopiesLow {
		return CategoryEquivocal
	}
	return CategoryNegative
}

// IHC is a HER2 immunohistochemistry score 0, 1, 2 or 3 (0, 1+, 2+, 3+); IHCUnknown when
// not given.
type IHC int8

// IHCUnknown marks a missing IHC score.
const IHCUnknown IHC = -1

func (s IHC) String() string {
	switch s {
	case 0:
		return "0"
	case 1, 2, 3:
		return fmt.Sprintf("%d+", s)
	}
	return "NA"
}

// ParseIHC reads "0", "1", "1+", "2+", "3+" (also "+1", "IHC 2+"); "", "NA" and "ND"
// give IHCUnknown. Anything else is an error.
func ParseIHC(s string) (IHC, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.TrimPrefix(t, "ihc")
	t = strings.TrimSpace(t)
	switch t {
	case "", "na", "nd", "n/a", "-":
		return IHCUnknown, nil
	}
	t = strings.Trim(t, "+")
	switch t {
	case "0":
		return 0, nil
	case "1":
		return 1, nil
	case "2":
		return 2, nil
	case "3":
		return 3, nil
	}
	return IHCUnknown, fmt.Errorf("IHC score %q is not one of 0, 1+, 2+, 3+", s)
}

// Status is the final HER2 status of an area, case or tumour.
type Status int8

const (
	StatusNA        Status = iota // no group (no ratio or no ERBB2 mean)
	StatusNegative                // HER2-negative
	StatusPositive                // HER2-positive
	StatusIHCNeeded               // groups 2 to 4 without an IHC score
)

func (s Status) String() string {
	switch s {
	case StatusNegative:
		return "negative"
	case StatusPositive:
		return "positive"
	case StatusIHCNeeded:
		return "IHC needed"
	}
	return "NA"
}

// Status2018 returns the final HER2 status of ASCO/CAP 2018 group g with the IHC
// work-up on the same tissue (Wolff et al. 2018): group 1 positive, group 5 negative;
// groups 2 to 4: IHC 3+ positive, IHC 0 or 1+ negative, IHC 2+ positive for group 3 and
// negative for groups 2 and 4; without an IHC score groups 2 to 4 are StatusIHCNeeded.
// Group 0 (not computable) gives StatusNA.
func Status2018(g int, ihc IHC) Status {
	switch g {
	case 1:
		return StatusPositive
	case 5:
		return StatusNegative
	case 2, 3, 4:
		switch ihc {
		case 3:
			return StatusPositive
		case 0, 1:
			return StatusNegative
		case 2:
			if g == 3 {
				return StatusPositive
			}
			return StatusNegative
		}
		return StatusIHCNeeded
	}
	return StatusNA
}
