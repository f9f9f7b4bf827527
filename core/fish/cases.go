package fish

import (
	"fmt"
	"io"
	"math"
)

const (
	kSample = iota
	kTimepoint
	kSite
	kArea
	kMeanERBB2
	kMeanCEP17
	kRatio
	kPct
	kNCells
	kIHC
)

var caseFields = []field{
	kSample:    cellFields[cSample],
	kTimepoint: cellFields[cTimepoint],
	kSite:      cellFields[cSite],
	kArea:      cellFields[cArea],
	kMeanERBB2: {"mean ERBB2", []string{"meanerbb2", "erbb2mean", "meanher2", "her2mean", "avgerbb2", "avgher2", "averageerbb2", "averageher2",
		"erbb2percell", "her2percell", "meanerbb2percell", "meanher2percell", "meanerbb2copies", "meanher2copies", "her2copynumber", "erbb2copynumber",
		"averageher2copynumber", "averageerbb2copynumber", "meanher2signals", "meanerbb2signals",
		"averageher2copynumberpercell", "averageerbb2copynumberpercell", "averageher2signalspercell", "averageerbb2signalspercell",
		"meanher2signalspercell", "meanerbb2signalspercell", "meanher2copynumber", "meanerbb2copynumber"}},
	kMeanCEP17: {"mean CEP17", []string{"meancep17", "cep17mean", "avgcep17", "averagecep17", "cep17percell", "meancep17percell", "meancep17copies",
		"cep17copynumber", "averagecep17copynumber", "meancep17signals", "meanchr17", "meancen17",
		"averagecep17copynumberpercell", "averagecep17signalspercell", "meancep17signalspercell", "meancep17copynumber"}},
	kRatio: {"ratio", []string{"ratio", "her2cep17", "erbb2cep17", "her2cep17ratio", "erbb2cep17ratio", "her2ratio", "erbb2ratio", "fishratio", "meanratio"}},
	kPct: {"% amplified", []string{"pctamplified", "percentamplified", "amplifiedpct", "pctamp", "amplifiedpercent", "pctampcells", "pctamplifiedcells",
		"percentamplifiedcells", "amplified", "fractionamplified"}},
	kNCells: {"cells counted", []string{"ncells", "cells", "cellscounted", "nuclei", "nnuclei", "nucleicounted", "cellcount", "ncellscounted", "cellsscored", "nucleiscored"}},
	kIHC:    cellFields[cIHC],
}

// Case is one row of a per-area or per-case FISH summary.
type Case struct {
	Sample, Timepoint, Site, Area string
	MeanERBB2, MeanCEP17          float64 // signals per cell, NaN when not given
	Ratio                         float64 // as given, NaN when not given
	PctAmplified                  float64 // % amplified cells, NaN when not given
	NCells                        int     // cells counted, -1 when not given
	IHC                           IHC
	Line                          int // line in the file
}

// CaseReader streams a per-area or per-case summary table (same delimiters and
// conventions as CellReader). Recognised columns: sample (required), timepoint, site,
// area, mean ERBB2 per cell (required; "mean_erbb2", "HER2 per cell", "average HER2 copy
// number" ...), mean CEP17 per cell, ratio ("ratio", "HER2/CEP17 ratio" ...), % amplified
// ("pct_amplified", "% amplified" ...; "fraction_amplified" is read as a fraction 0-1 and
// turned into %), cells counted ("n_cells", "cells counted", "nuclei" ...) and IHC.
type CaseReader struct {
	t        *tableReader
	header   bool
	fraction bool
	err      error
}

// NewCaseReader returns a reader of the summary table r; file names it in errors.
func NewCaseReader(r io.Reader, file string) *CaseReader {
	return &CaseReader{t: newTableReader(r, file, caseFields)}
}

// Read returns the next case, or io.EOF after the last one.
func (r *CaseReader) Read() (Case, error) {
	if r.err != nil {
		return Case{}, r.err
	}
	c, err := r.read()
	if err != nil {
		r.err = err
	}
	return c, err
}

func (r *CaseReader) read() (Case, error) {
	t := r.t
	if !r.header {
		if err := t.readHeader(kSample, kMeanERBB2); err != nil {
			return Case{}, err
		}
		if j := t.col[kPct]; j >= 0 && normHeader(t.header[j]) == "fractionamplified" {
			r.fraction = true
		}
		r.header = true
	}
	if err := t.next(); err != nil {
		return Case{}, err
	}
	line, _ := t.cr.FieldPos(0)
	c := Case{Sample: t.get(kSample), Timepoint: t.get(kTimepoint), Site: t.get(kSite), Area: t.get(kArea), NCells: -1, IHC: IHCUnknown, Line: line}
	if c.Sample == "" {
		l, col := t.pos(kSample)
		return c, t.errAt(l, col, "empty sample")
	}
	var err error
	if c.MeanERBB2, err = t.number(kMeanERBB2, "mean ERBB2"); err != nil {
		return c, err
	}
	c.MeanCEP17, c.Ratio, c.PctAmplified = math.NaN(), math.NaN(), math.NaN()
	if t.col[kMeanCEP17] >= 0 {
		if c.MeanCEP17, err = t.number(kMeanCEP17, "mean CEP17"); err != nil {
			return c, err
		}
	}
	if t.col[kRatio] >= 0 {
		if c.Ratio, err = t.number(kRatio, "ratio"); err != nil {
			return c, err
		}
	}
	if t.col[kPct] >= 0 {
		if c.PctAmplified, err = t.number(kPct, "% amplified"); err != nil {
			return c, err
		}
		if r.fraction {
			c.PctAmplified *= 100
		}
		if c.PctAmplified > 100 {
			l, col := t.pos(kPct)
			return c, t.errAt(l, col, "%% amplified %q is above 100", t.get(kPct))
		}
	}
	if t.col[kNCells] >= 0 {
		v, err := t.number(kNCells, "cells counted")
		if err != nil {
			return c, err
		}
		if !math.IsNaN(v) {
			if v != math.Trunc(v) || v > 1e9 {
				l, col := t.pos(kNCells)
				return c, t.errAt(l, col, "cells counted %q is not a whole number", t.get(kNCells))
			}
			c.NCells = int(v)
		}
	}
	if t.col[kIHC] >= 0 {
		if c.IHC, err = ParseIHC(t.get(kIHC)); err != nil {
			l, col := t.pos(kIHC)
			return c, t.errAt(l, col, "%v", err)
		}
	}
	return c, nil
}

// ReadCases reads every case of r.
func ReadCases(r io.Reader, file string) ([]Case, error) {
	cr := NewCaseReader(r, file)
	var out []Case
	for {
		c, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
}

// CaseCall is the classification of one summary row.
type CaseCall struct {
	Case
	Ratio        float64 // the ratio used: as given, else MeanERBB2/MeanCEP17
	Group2018    int
	Category2013 Category
	Status       Status
	// Called: NCells >= MinNuclei, or NCells not given (then a warning says so).
	Called, Heterogeneous, Negative bool
	Call                            string
	Warnings                        []string
}

// CaseResult holds the calls of summary rows and of their tumours.
type CaseResult struct {
	Rule     string
	Cases    []CaseCall
	Tumours  []Tumour // Summary fields other than counts, means, ratio, % amplified and group are NaN/zero
	Warnings []string
}

// CallCases classifies per-area or per-case summaries without per-cell data: ASCO/CAP
// 2018 group, 2013 category and final status from the mean ERBB2 per cell and the ratio
// (as given, or mean ERBB2 / mean CEP17 when only the means are given); an area with
// % amplified is heterogeneous when HetLow < pct < HetHigh (compared as given), and
// HER2-negative in group 5; rows with fewer than MinNuclei cells counted are
// "insufficient". Rows are grouped into tumours by (Sample, Timepoint) and the tumour
// HET rule is applied as in Summarise.
func CallCases(cases []Case, opts Options) (*CaseResult, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	o := &opts
	res := &CaseResult{Rule: opts.RuleText()}
	areas := make([]Area, len(cases))
	tumIdx := map[tumourKey]int{}
	var members [][]int
	for i, c := range cases {
		cc := CaseCall{Case: c, Ratio: c.Ratio}
		if math.IsNaN(cc.Ratio) && !math.IsNaN(c.MeanCEP17) && c.MeanCEP17 > 0 {
			cc.Ratio = c.MeanERBB2 / c.MeanCEP17
		}
		cc.Group2018 = o.Guideline.Group2018(c.MeanERBB2, cc.Ratio)
		cc.Category2013 = o.Guideline.Category2013(c.MeanERBB2, cc.Ratio)
		cc.Status = Status2018(cc.Group2018, c.IHC)
		cc.Called = c.NCells < 0 || c.NCells >= o.MinNuclei
		if c.NCells < 0 {
			cc.Warnings = append(cc.Warnings, "cells counted not given: the minimum of nuclei is not checked")
		}
		if cc.Called {
			cc.Negative = cc.Group2018 == 5
			p := c.PctAmplified
			cc.Heterogeneous = !math.IsNaN(p) && p > o.HetLow && p < o.HetHigh
			if math.IsNaN(p) {
				cc.Warnings = append(cc.Warnings, "% amplified not given: heterogeneity within the area cannot be judged")
			}
		}
		switch {
		case !cc.Called:
			cc.Call = "insufficient"
			cc.Warnings = append(cc.Warnings, fmt.Sprintf("insufficient: %d cells counted < %d", c.NCells, o.MinNuclei))
		case cc.Heterogeneous && cc.Negative:
			cc.Call = "heterogeneous, HER2-negative"
		case cc.Heterogeneous:
			cc.Call = "heterogeneous"
		case cc.Negative:
			cc.Call = "HER2-negative"
		case math.IsNaN(c.PctAmplified):
			cc.Call = "not heterogeneous by group"
		case c.PctAmplified > o.HetLow:
			cc.Call = "amplified"
		default:
			cc.Call = "non-amplified"
		}
		res.Cases = append(res.Cases, cc)
		n := c.NCells
		if n < 0 {
			n = 0
		}
		areas[i] = Area{Sample: c.Sample, Timepoint: c.Timepoint, Site: c.Site, Name: c.Area,
			Summary: Summary{NCells: n, NEval: n, MeanERBB2: c.MeanERBB2, MeanCEP17: c.MeanCEP17, Ratio: cc.Ratio,
				PctAmplified: c.PctAmplified, Group2018: cc.Group2018, Category2013: cc.Category2013, IHC: c.IHC, Status: cc.Status},
			Called: cc.Called, Heterogeneous: cc.Heterogeneous, Negative: cc.Negative, Call: cc.Call}
		tk := tumourKey{c.Sample, c.Timepoint}
		ti, ok := tumIdx[tk]
		if !ok {
			ti = len(res.Tumours)
			tumIdx[tk] = ti
			nan := math.NaN()
			res.Tumours = append(res.Tumours, Tumour{Sample: c.Sample, Timepoint: c.Timepoint, Summary: Summary{
				MeanERBB2: nan, MeanCEP17: nan, Ratio: nan, MeanCellRatio: nan, PctAmplified: nan, FractionNonAmplified: nan,
				SDERBB2: nan, CVERBB2: nan, SDRatio: nan, CVRatio: nan, Shannon: nan, CEP17Detected: nan, IHC: IHCUnknown}})
			members = append(members, nil)
		}
		members[ti] = append(members[ti], i)
		for _, w := range cc.Warnings {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s line %d: %s", label(c.Sample, c.Timepoint, c.Site, c.Area), c.Line, w))
		}
	}
	for ti := range res.Tumours {
		t := &res.Tumours[ti]
		sites := map[string]bool{}
		for _, i := range members[ti] {
			sites[cases[i].Site] = true
			t.NCells += areas[i].NCells
		}
		t.NAreas, t.NSites = len(members[ti]), len(sites)
		if len(members[ti]) == 1 {
			a := areas[members[ti][0]]
			t.MeanERBB2, t.MeanCEP17, t.Ratio, t.PctAmplified = a.MeanERBB2, a.MeanCEP17, a.Ratio, a.PctAmplified
			t.Group2018, t.Category2013, t.IHC, t.Status = a.Group2018, a.Category2013, a.IHC, a.Status
			if !math.IsNaN(a.PctAmplified) {
				t.FractionNonAmplified = 1 - a.PctAmplified/100
			}
		}
		t.Het, t.Reason, t.NCalled, t.NSitesCalled = o.callTumour(areas, members[ti])
	}
	return res, nil
}
