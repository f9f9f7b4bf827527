package fish

import (
	"math"
	"strings"
)

// Cell is one scored nucleus.
type Cell struct {
	Sample    string // tumour or patient identifier
	Timepoint string // e.g. "pre", "post"; "" when unknown
	Site      string // biopsy site or core; "" when unknown
	Area      string // image or scored field; "" when the sample is one area
	ID        string // nucleus id within the area
	ERBB2     float64
	CEP17     float64 // NaN when not counted (single-probe data or missing channel)
	X, Y      float64 // centroid, NaN when absent
	IHC       IHC     // IHC score of the tissue, IHCUnknown when not given
}

// Reason says why a nucleus is left out of all or part of the measures.
type Reason uint8

const (
	ReasonNone         Reason = iota
	ReasonMissingERBB2        // no ERBB2 count: excluded from everything
	ReasonNoCEP17Count        // no CEP17 count: no ratio, kept for copy number
	ReasonZeroCEP17           // CEP17 = 0: no ratio (kept for copy number unless ZeroCEP17Exclude)
	ReasonNoSignal            // ERBB2 = CEP17 = 0 with ExcludeNoSignal
)

func (r Reason) String() string {
	switch r {
	case ReasonMissingERBB2:
		return "missing ERBB2 count"
	case ReasonNoCEP17Count:
		return "no CEP17 count"
	case ReasonZeroCEP17:
		return "zero CEP17 signals"
	case ReasonNoSignal:
		return "no ERBB2 or CEP17 signal"
	}
	return ""
}

// CellCall is the outcome for one input cell, in input order.
type CellCall struct {
	Area      int32   // index into Result.Areas
	Excluded  Reason  // non-zero: the nucleus is in no measure at all
	NoRatio   Reason  // non-zero: the nucleus has no ratio (ReasonZeroCEP17 or ReasonNoCEP17Count)
	Ratio     float64 // ERBB2/CEP17, NaN when no ratio or excluded
	Amplified int8    // 1 amplified, 0 not, -1 not evaluable under the rule
	Class     int8    // copy-number class index (Options.ClassBreaks), -1 when excluded
}

// Timepoint classes used to pair tumours before and after treatment.
const (
	TimepointPre  = "pre"
	TimepointPost = "post"
)

// NormaliseTimepoint maps common spellings to TimepointPre or TimepointPost
// (case-insensitive: pre, pretreatment, pre-treatment, baseline, biopsy, PR -> pre;
// post, posttreatment, post-treatment, surgery, residual, resection, PO -> post) and
// returns anything else trimmed and unchanged.
func NormaliseTimepoint(s string) string {
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.NewReplacer("-", "", "_", "", " ", "").Replace(t)
	switch t {
	case "pre", "pretreatment", "baseline", "biopsy", "pr", "t0", "before":
		return TimepointPre
	case "post", "posttreatment", "surgery", "residual", "resection", "po", "t1", "after":
		return TimepointPost
	}
	return strings.TrimSpace(s)
}

// classifyCell fills the per-cell call (without the area index).
func (o *Options) classifyCell(c *Cell) CellCall {
	cc := CellCall{Ratio: math.NaN(), Amplified: -1, Class: -1}
	e, p := c.ERBB2, c.CEP17
	switch {
	case math.IsNaN(e):
		cc.Excluded = ReasonMissingERBB2
		return cc
	case o.ExcludeNoSignal && e == 0 && p == 0:
		cc.Excluded = ReasonNoSignal
		return cc
	case p == 0 && o.ZeroCEP17 == ZeroCEP17Exclude:
		cc.Excluded = ReasonZeroCEP17
		return cc
	case math.IsNaN(p):
		cc.NoRatio = ReasonNoCEP17Count
	case p == 0:
		cc.NoRatio = ReasonZeroCEP17
	default:
		cc.Ratio = e / p
	}
	cc.Class = int8(o.class(e))
	// The quotient e/p is correctly rounded, so for whole-number counts a ratio that is
	// exactly a decimal threshold (11/5 = 2.2) rounds to the same double as the literal.
	cc.Amplified = o.Rule.amplified(e, cc.Ratio)
	return cc
}
