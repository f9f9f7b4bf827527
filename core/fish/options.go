package fish

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Metric is what a per-cell amplification rule looks at.
type Metric int8

const (
	MetricRatio  Metric = iota // the cell's ERBB2/CEP17 ratio (needs CEP17 > 0)
	MetricCopies               // the cell's ERBB2 signal count (single-probe rule)
)

// CellRule says when one nucleus is amplified: Metric >= Threshold, or Metric > Threshold
// when Strict is set.
type CellRule struct {
	Metric    Metric
	Threshold float64
	Strict    bool
}

// The rules named in the study notes.
var (
	// RuleRatio2 (default): ERBB2/CEP17 >= 2.0.
	RuleRatio2 = CellRule{Metric: MetricRatio, Threshold: 2.0}
	// RuleRatio22: ERBB2/CEP17 > 2.2, the 2009 CAP heterogeneity wording (Vance et al.,
	// Arch Pathol Lab Med 2009;133:611).
	RuleRatio22 = CellRule{Metric: MetricRatio, Threshold: 2.2, Strict: true}
	// RuleCopies6: ERBB2 >= 6 signals, for single-probe data.
	RuleCopies6 = CellRule{Metric: MetricCopies, Threshold: 6}
)

// String writes the rule in the syntax ParseCellRule reads, e.g. "ratio>=2".
func (r CellRule) String() string {
	m := "ratio"
	if r.Metric == MetricCopies {
		m = "erbb2"
	}
	op := ">="
	if r.Strict {
		op = ">"
	}
	return m + op + strconv.FormatFloat(r.Threshold, 'g', -1, 64)
}

// Words describes the rule in a sentence fragment, e.g. "ERBB2/CEP17 ratio >= 2".
func (r CellRule) Words() string {
	op := ">="
	if r.Strict {
		op = ">"
	}
	t := strconv.FormatFloat(r.Threshold, 'g', -1, 64)
	if r.Metric == MetricCopies {
		return "ERBB2 signals " + op + " " + t
	}
	return "ERBB2/CEP17 ratio " + op + " " + t
}

// ParseCellRule reads a rule written as METRIC OP NUMBER, with METRIC one of "ratio",
// "erbb2" (also "copies", "her2") and OP ">=" or ">", e.g. "ratio>=2", "ratio>2.2",
// "erbb2>=6". Spaces are ignored.
func ParseCellRule(s string) (CellRule, error) {
	t := strings.ToLower(strings.Join(strings.Fields(s), ""))
	var r CellRule
	var rest string
	switch {
	case strings.HasPrefix(t, "ratio"):
		r.Metric, rest = MetricRatio, t[len("ratio"):]
	case strings.HasPrefix(t, "erbb2"):
		r.Metric, rest = MetricCopies, t[len("erbb2"):]
	case strings.HasPrefix(t, "her2"):
		r.Metric, rest = MetricCopies, t[len("her2"):]
	case strings.HasPrefix(t, "copies"):
		r.Metric, rest = MetricCopies, t[len("copies"):]
	default:
		return r, fmt.Errorf("rule %q: want ratio>=X, ratio>X, erbb2>=X or erbb2>X", s)
	}
	switch {
	case strings.HasPrefix(rest, ">="):
		rest = rest[2:]
	case strings.HasPrefix(rest, ">"):
		r.Strict, rest = true, rest[1:]
	default:
		return r, fmt.Errorf("rule %q: the operator must be >= or >", s)
	}
	v, err := strconv.ParseFloat(rest, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return r, fmt.Errorf("rule %q: threshold %q is not a non-negative number", s, rest)
	}
	r.Threshold = v
	return r, nil
}

// amplified applies the rule to one cell's ERBB2 count e and ratio q (NaN when the cell
// has no ratio). It returns -1 when the rule cannot be applied, else 0 or 1.
func (r CellRule) amplified(e, q float64) int8 {
	v := q
	if r.Metric == MetricCopies {
		v = e
	}
	if math.IsNaN(v) {
		return -1
	}
	if v > r.Threshold || (!r.Strict && v == r.Threshold) {
		return 1
	}
	return 0
}

// ZeroCEP17 says what to do with a nucleus that has no CEP17 signal (and so no ratio).
type ZeroCEP17 int8

const (
	// ZeroCEP17NoRatio (default) keeps the nucleus for copy-number measures (mean ERBB2,
	// SD of copies, copy-number classes, the copies rule) and leaves it out of every
	// ratio-based measure (ratio of means, per-cell ratios, the ratio rules).
	ZeroCEP17NoRatio ZeroCEP17 = iota
	// ZeroCEP17Exclude drops the nucleus altogether.
	ZeroCEP17Exclude
)

// Options configures summaries and calls. Start from [DefaultOptions].
type Options struct {
	// Rule says when a cell is amplified (default ratio >= 2.0).
	Rule CellRule
	// MinNuclei is the number of evaluable nuclei an area needs to be called (default
	// 20); areas with fewer are "insufficient". Evaluable means counted with the rule's
	// metric: with a ratio rule, nuclei with CEP17 > 0.
	MinNuclei int
	// HetLow and HetHigh bound the % of amplified cells of a heterogeneous area:
	// HetLow < pct < HetHigh, both strict (defaults 5 and 50).
	HetLow, HetHigh float64
	// NegativeIsHet: an area in ASCO/CAP 2018 group 5 makes its tumour HET (default true).
	NegativeIsHet bool
	// ZeroCEP17 policy (default ZeroCEP17NoRatio).
	ZeroCEP17 ZeroCEP17
	// ExcludeNoSignal drops nuclei with neither ERBB2 nor CEP17 signals (default false:
	// they count as cells with 0 copies, as the image analysis reported them).
	ExcludeNoSignal bool
	// Guideline cut-offs for ASCO/CAP groups (default 2.0, 4.0, 6.0).
	Guideline Guideline
	// ClassBreaks are the upper-exclusive breaks of the per-cell ERBB2 copy-number
	// classes used by the Shannon index (default 4, 6, 10: classes <4, 4-<6, 6-<10, >=10).
	ClassBreaks []float64
	// MinCEP17Detected: warn when CEP17 is seen in fewer than this fraction of an area's
	// or tumour's nuclei, because ratio-based rules are then unreliable (default 0.5).
	MinCEP17Detected float64
	// MinSites: warn when a tumour has fewer called biopsy sites than this (default 2,
	// the trial scored two tumour locations). The call is still made.
	MinSites int
	// SampleIHC gives the IHC score of a sample's tissue for the final status when its
	// cells carry none (e.g. from a sample sheet read with ReadIHC); nil: none.
	SampleIHC map[string]IHC
}

// DefaultOptions returns the study's defaults (the project's study specification): cell amplified
// at ratio >= 2.0; >= 20 nuclei per area; heterogeneous when 5% < amplified < 50%; a
// group 5 area is HER2-negative and makes the tumour HET; zero-CEP17 nuclei kept for
// copy number only; copy-number classes <4, 4-<6, 6-<10, >=10.
func DefaultOptions() Options {
	return Options{
		Rule:             RuleRatio2,
		MinNuclei:        20,
		HetLow:           5,
		HetHigh:          50,
		NegativeIsHet:    true,
		ZeroCEP17:        ZeroCEP17NoRatio,
		Guideline:        DefaultGuideline(),
		ClassBreaks:      []float64{4, 6, 10},
		MinCEP17Detected: 0.5,
		MinSites:         2,
	}
}

// Validate reports an inconsistent option.
func (o Options) Validate() error {
	switch {
	case o.MinNuclei < 1:
		return fmt.Errorf("fish: MinNuclei %d must be at least 1", o.MinNuclei)
	case !(o.HetLow >= 0 && o.HetLow < o.HetHigh && o.HetHigh <= 100):
		return fmt.Errorf("fish: heterogeneity bounds %g < %% amplified < %g must satisfy 0 <= low < high <= 100", o.HetLow, o.HetHigh)
	case math.IsNaN(o.Rule.Threshold) || o.Rule.Threshold < 0:
		return fmt.Errorf("fish: rule threshold %g must be a non-negative number", o.Rule.Threshold)
	case !(o.MinCEP17Detected >= 0 && o.MinCEP17Detected <= 1):
		return fmt.Errorf("fish: MinCEP17Detected %g must be a fraction in [0, 1]", o.MinCEP17Detected)
	case o.MinSites < 0:
		return fmt.Errorf("fish: MinSites %d must not be negative", o.MinSites)
	case len(o.ClassBreaks) > 100:
		return fmt.Errorf("fish: at most 100 copy-number class breaks, got %d", len(o.ClassBreaks))
	case !(o.Guideline.Ratio > 0 && o.Guideline.CopiesLow > 0 && o.Guideline.CopiesLow < o.Guideline.CopiesHi):
		return fmt.Errorf("fish: guideline cut-offs ratio %g, ERBB2 %g and %g are not valid", o.Guideline.Ratio, o.Guideline.CopiesLow, o.Guideline.CopiesHi)
	}
	for i, b := range o.ClassBreaks {
		if math.IsNaN(b) || (i > 0 && b <= o.ClassBreaks[i-1]) {
			return fmt.Errorf("fish: copy-number class breaks %v must be increasing numbers", o.ClassBreaks)
		}
	}
	return nil
}

// RuleText states the HET rule in words, as printed next to every call.
func (o Options) RuleText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cell amplified when %s; area called when >= %d evaluable nuclei; area heterogeneous when %g%% < amplified < %g%%",
		o.Rule.Words(), o.MinNuclei, o.HetLow, o.HetHigh)
	if o.NegativeIsHet {
		fmt.Fprintf(&b, "; area HER2-negative when ASCO/CAP 2018 group 5 (ratio < %g and mean ERBB2 < %g)", o.Guideline.Ratio, o.Guideline.CopiesLow)
		b.WriteString("; tumour HET when any called area is heterogeneous or HER2-negative")
	} else {
		b.WriteString("; tumour HET when any called area is heterogeneous")
	}
	return b.String()
}

// ClassLabels names the copy-number classes of ClassBreaks, e.g. "<4", "4-<6", "6-<10", ">=10".
func (o Options) ClassLabels() []string {
	br := o.ClassBreaks
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	if len(br) == 0 {
		return []string{"all"}
	}
	out := make([]string, 0, len(br)+1)
	out = append(out, "<"+f(br[0]))
	for i := 1; i < len(br); i++ {
		out = append(out, f(br[i-1])+"-<"+f(br[i]))
	}
	return append(out, ">="+f(br[len(br)-1]))
}

// class returns the copy-number class index of ERBB2 count e.
func (o *Options) class(e float64) int {
	k := 0
	for k < len(o.ClassBreaks) && e >= o.ClassBreaks[k] {
		k++
	}
	return k
}

// pctAbove reports whether 100*k/n > p exactly (cross-multiplied, no division).
func pctAbove(k, n int, p float64) bool { return float64(k)*100 > p*float64(n) }

// pctBelow reports whether 100*k/n < p exactly (cross-multiplied, no division).
func pctBelow(k, n int, p float64) bool { return float64(k)*100 < p*float64(n) }
