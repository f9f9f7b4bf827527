package fish

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/her2het/her2het/core/fmath"
)

// Summary holds the measures of a group of nuclei (an area, a biopsy site or a tumour).
// Counts first, then measures; a measure with no nuclei to stand on is NaN.
type Summary struct {
	NNuclei    int // nuclei read, including excluded ones
	NExcluded  int // nuclei left out of every measure (see CellCall.Excluded)
	NCells     int // scored nuclei: copy-number measures stand on these
	NCEP17     int // scored nuclei with a CEP17 count
	NRatio     int // scored nuclei with a ratio (CEP17 > 0)
	NEval      int // nuclei evaluable under the cell rule
	NAmplified int // amplified nuclei under the cell rule

	// MeanERBB2 and MeanCEP17 are signals per scored nucleus (MeanCEP17 over the NCEP17
	// nuclei with a CEP17 count).
	MeanERBB2, MeanCEP17 float64
	// Ratio is the guideline's ratio of means over the NRatio nuclei with a ratio:
	// sum(ERBB2)/sum(CEP17), one division, NaN when NRatio = 0.
	Ratio float64
	// MeanCellRatio is the mean of per-cell ratios over the NRatio nuclei.
	MeanCellRatio float64
	// PctAmplified = 100*NAmplified/NEval; FractionNonAmplified = 1 - NAmplified/NEval.
	PctAmplified, FractionNonAmplified float64
	// SD (n-1 denominator, like R's sd) and CV = SD/mean of ERBB2 copies over NCells and
	// of per-cell ratios over NRatio; NaN with fewer than 2 nuclei (CV also when the mean is 0).
	SDERBB2, CVERBB2, SDRatio, CVRatio float64
	// ClassCounts counts scored nuclei per ERBB2 copy-number class (Options.ClassBreaks).
	ClassCounts []int
	// Shannon is -sum p_k ln p_k over the copy-number classes (nats), NaN when NCells = 0.
	Shannon float64
	// CEP17Detected is the fraction of the NCEP17 nuclei with at least one CEP17 signal.
	CEP17Detected float64

	Group2018    int      // ASCO/CAP 2018 group from MeanERBB2 and Ratio, 0 when not computable
	Category2013 Category // ASCO/CAP 2013 category
	IHC          IHC      // the tissue's IHC score when the cells carry one
	Status       Status   // final status with the IHC work-up
	Warnings     []string
}

// HetCall is a tumour's (or a site's) HER2-heterogeneity call.
type HetCall int8

const (
	HetNA  HetCall = iota // not called: no area with enough nuclei
	HetNo                 // non-HET
	HetYes                // HET
)

func (h HetCall) String() string {
	switch h {
	case HetNo:
		return "non-HET"
	case HetYes:
		return "HET"
	}
	return "NA"
}

// Area is the summary and call of one scored area.
type Area struct {
	Sample, Timepoint, Site, Name string
	Summary
	Called        bool // NEval >= Options.MinNuclei
	Heterogeneous bool // called and HetLow < PctAmplified < HetHigh
	Negative      bool // called and ASCO/CAP 2018 group 5
	Call          string
	site, tumour  int
}

// Site is a biopsy site (or core) of a tumour.
type Site struct {
	Sample, Timepoint, Site string
	Summary
	NAreas, NCalled int
	Het             HetCall // the tumour rule applied to this site's areas alone
	Reason          string
	tumour          int
}

// Tumour is one sample at one timepoint.
type Tumour struct {
	Sample, Timepoint string
	Summary
	NSites, NAreas, NCalled int
	NSitesCalled            int
	Het                     HetCall
	Reason                  string // why: the areas that made the call, or why none could
}

// Change is the paired pre to post change of one patient (sample): post minus pre.
type Change struct {
	Sample    string
	Pre, Post int // indices into Result.Tumours
	HetPre    HetCall
	HetPost   HetCall

	DeltaFractionNonAmplified, DeltaPctAmplified, DeltaShannon float64
	DeltaMeanERBB2, DeltaRatio, DeltaMeanCellRatio             float64
	DeltaSDERBB2, DeltaCVERBB2, DeltaSDRatio, DeltaCVRatio     float64
}

// Result is everything Summarise computes.
type Result struct {
	Options  Options
	Rule     string     // Options.RuleText()
	Cells    []CellCall // one per input cell, same order
	Areas    []Area     // in order of first appearance
	Sites    []Site
	Tumours  []Tumour
	Changes  []Change
	Warnings []string // every warning of areas, sites and tumours, prefixed with where
}

type areaKey struct{ sample, timepoint, site, area string }
type siteKey struct{ sample, timepoint, site string }
type tumourKey struct{ sample, timepoint string }

// acc accumulates one group.
type acc struct {
	nNuclei, nExcl, nCells, nCEP, nCEPpos, nRatio, nEval, nAmp int
	sumE, sumC, sumER, sumCR, sumQ                             float64
	ssE, ssQ                                                   float64
	classes                                                    []int
	excl                                                       [5]int
	ihc                                                        IHC
	ihcConflict                                                bool
}

func (a *acc) add(c *Cell, cc *CellCall) {
	a.nNuclei++
	if c.IHC != IHCUnknown {
		if a.ihc == IHCUnknown {
			a.ihc = c.IHC
		} else if a.ihc != c.IHC {
			a.ihcConflict = true
			if c.IHC > a.ihc {
				a.ihc = c.IHC
			}
		}
	}
	if cc.Excluded != ReasonNone {
		a.nExcl++
		a.excl[cc.Excluded]++
		return
	}
	a.nCells++
	a.sumE += c.ERBB2
	a.classes[cc.Class]++
	if !math.IsNaN(c.CEP17) {
		a.nCEP++
		a.sumC += c.CEP17
		if c.CEP17 > 0 {
			a.nCEPpos++
		}
	}
	if cc.NoRatio != ReasonNone {
		a.excl[cc.NoRatio]++
	}
	if !math.IsNaN(cc.Ratio) {
		a.nRatio++
		a.sumER += c.ERBB2
		a.sumCR += c.CEP17
		a.sumQ += cc.Ratio
	}
	if cc.Amplified >= 0 {
		a.nEval++
		a.nAmp += int(cc.Amplified)
	}
}

func (a *acc) addSS(c *Cell, cc *CellCall, s *Summary) {
	if cc.Excluded != ReasonNone {
		return
	}
	d := c.ERBB2 - s.MeanERBB2
	a.ssE += d * d
	if !math.IsNaN(cc.Ratio) {
		d = cc.Ratio - s.MeanCellRatio
		a.ssQ += d * d
	}
}

func ratioOf(a, b float64, n int) float64 {
	if n == 0 {
		return math.NaN()
	}
	return a / b
}

// finish turns the first-pass sums into a Summary (SDs are filled by finishSD).
func (a *acc) finish(o *Options, sample string) Summary {
	if a.ihc == IHCUnknown {
		if v, ok := o.SampleIHC[sample]; ok {
			a.ihc = v
		}
	}
	s := Summary{
		NNuclei: a.nNuclei, NExcluded: a.nExcl, NCells: a.nCells, NCEP17: a.nCEP,
		NRatio: a.nRatio, NEval: a.nEval, NAmplified: a.nAmp,
		MeanERBB2:     ratioOf(a.sumE, float64(a.nCells), a.nCells),
		MeanCEP17:     ratioOf(a.sumC, float64(a.nCEP), a.nCEP),
		Ratio:         ratioOf(a.sumER, a.sumCR, a.nRatio),
		MeanCellRatio: ratioOf(a.sumQ, float64(a.nRatio), a.nRatio),
		PctAmplified:  ratioOf(100*float64(a.nAmp), float64(a.nEval), a.nEval),
		CEP17Detected: ratioOf(float64(a.nCEPpos), float64(a.nCEP), a.nCEP),
		ClassCounts:   append([]int(nil), a.classes...),
		Shannon:       shannon(a.classes, a.nCells),
		IHC:           a.ihc,
	}
	s.FractionNonAmplified = ratioOf(float64(a.nEval-a.nAmp), float64(a.nEval), a.nEval)
	s.Group2018 = o.Guideline.Group2018(s.MeanERBB2, s.Ratio)
	s.Category2013 = o.Guideline.Category2013(s.MeanERBB2, s.Ratio)
	s.Status = Status2018(s.Group2018, s.IHC)
	return s
}

func (a *acc) finishSD(s *Summary) {
	s.SDERBB2, s.CVERBB2 = sdcv(a.ssE, a.nCells, s.MeanERBB2)
	s.SDRatio, s.CVRatio = sdcv(a.ssQ, a.nRatio, s.MeanCellRatio)
}

func sdcv(ss float64, n int, mean float64) (sd, cv float64) {
	if n < 2 {
		return math.NaN(), math.NaN()
	}
	sd = math.Sqrt(ss / float64(n-1))
	if mean == 0 {
		return sd, math.NaN()
	}
	return sd, sd / mean
}

// shannon returns -sum p ln p of class counts summing to n (NaN when n = 0).
func shannon(counts []int, n int) float64 {
	if n == 0 {
		return math.NaN()
	}
	h := 0.0
	for _, k := range counts {
		if k > 0 {
			p := float64(k) / float64(n)
			h -= p * fmath.Log(p)
		}
	}
	if h == 0 {
		return 0 // avoid -0
	}
	return h
}

// Shannon returns the Shannon diversity index H = -sum_k p_k ln p_k (natural log,
// nats) of class counts, with p_k = counts[k]/sum(counts); 0 for a single class and
// ln(K) for K equally filled classes (Shannon 1948; as used for per-cell copy-number
// classes by Almendro et al., Cell Rep 2014;6:514, doi:10.1016/j.celrep.2013.12.041).
// It returns NaN when the counts sum to 0 and panics on a negative count.
func Shannon(counts []int) float64 {
	n := 0
	for _, k := range counts {
		if k < 0 {
			panic("fish: negative class count")
		}
		n += k
	}
	return shannon(counts, n)
}

// warnings adds the generic warnings of a summary.
func (s *Summary) addWarnings(a *acc, o *Options) {
	if a.nExcl > 0 {
		var parts []string
		for r := ReasonMissingERBB2; r <= ReasonNoSignal; r++ {
			if r == ReasonNoCEP17Count || (r == ReasonZeroCEP17 && o.ZeroCEP17 != ZeroCEP17Exclude) {
				continue
			}
			if a.excl[r] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", a.excl[r], r))
			}
		}
		s.Warnings = append(s.Warnings, fmt.Sprintf("%d of %d nuclei excluded (%s)", a.nExcl, a.nNuclei, strings.Join(parts, ", ")))
	}
	if a.nCells > 0 && a.nCEP == 0 {
		s.Warnings = append(s.Warnings, "no CEP17 counts: no ratio, no ASCO/CAP 2018 group")
	} else if a.nCEP > 0 && float64(a.nCEPpos) < o.MinCEP17Detected*float64(a.nCEP) {
		s.Warnings = append(s.Warnings, fmt.Sprintf("CEP17 detected in %d of %d nuclei (%.1f%%): ratio-based results are unreliable",
			a.nCEPpos, a.nCEP, 100*float64(a.nCEPpos)/float64(a.nCEP)))
	}
	if a.ihcConflict {
		s.Warnings = append(s.Warnings, fmt.Sprintf("conflicting IHC scores; the highest (%s) is used", a.ihc))
	}
}

// Summarise computes per-cell calls and the area, biopsy-site and tumour summaries and
// calls of cells, and the paired pre to post changes per sample. Areas are identified by
// (Sample, Timepoint, Site, Area), sites by (Sample, Timepoint, Site) and tumours by
// (Sample, Timepoint); all are listed in order of first appearance. Tumour and site
// measures pool the scored nuclei of all their areas, called or not; their HET call uses
// only called areas. It returns an error only for invalid options; data problems become
// warnings and NaN measures, and no cells give an empty Result. It makes two passes over
// the cells (sums, then squared deviations for the SDs), O(cells) time, and is
// deterministic: the same cells in the same order give bit-identical results.
func Summarise(cells []Cell, opts Options) (*Result, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	o := &opts
	res := &Result{Options: opts, Rule: opts.RuleText(), Cells: make([]CellCall, len(cells))}
	nClass := len(o.ClassBreaks) + 1
	newAcc := func() acc { return acc{classes: make([]int, nClass), ihc: IHCUnknown} }

	areaIdx := map[areaKey]int32{}
	siteIdx := map[siteKey]int{}
	tumIdx := map[tumourKey]int{}
	var aAcc, sAcc, tAcc []acc
	var lastKey areaKey
	last := int32(-1)
	for i := range cells {
		c := &cells[i]
		k := areaKey{c.Sample, c.Timepoint, c.Site, c.Area}
		ai := last
		if last < 0 || k != lastKey {
			var ok bool
			ai, ok = areaIdx[k]
			if !ok {
				tk := tumourKey{c.Sample, c.Timepoint}
				ti, ok := tumIdx[tk]
				if !ok {
					ti = len(res.Tumours)
					tumIdx[tk] = ti
					res.Tumours = append(res.Tumours, Tumour{Sample: c.Sample, Timepoint: c.Timepoint})
					tAcc = append(tAcc, newAcc())
				}
				sk := siteKey{c.Sample, c.Timepoint, c.Site}
				si, ok := siteIdx[sk]
				if !ok {
					si = len(res.Sites)
					siteIdx[sk] = si
					res.Sites = append(res.Sites, Site{Sample: c.Sample, Timepoint: c.Timepoint, Site: c.Site, tumour: ti})
					sAcc = append(sAcc, newAcc())
					res.Tumours[ti].NSites++
				}
				ai = int32(len(res.Areas))
				areaIdx[k] = ai
				res.Areas = append(res.Areas, Area{Sample: c.Sample, Timepoint: c.Timepoint, Site: c.Site, Name: c.Area, site: si, tumour: ti})
				aAcc = append(aAcc, newAcc())
				res.Sites[si].NAreas++
				res.Tumours[ti].NAreas++
			}
			lastKey, last = k, ai
		}
		cc := o.classifyCell(c)
		cc.Area = ai
		res.Cells[i] = cc
		ar := &res.Areas[ai]
		aAcc[ai].add(c, &cc)
		sAcc[ar.site].add(c, &cc)
		tAcc[ar.tumour].add(c, &cc)
	}
	for i := range res.Areas {
		res.Areas[i].Summary = aAcc[i].finish(o, res.Areas[i].Sample)
	}
	for i := range res.Sites {
		res.Sites[i].Summary = sAcc[i].finish(o, res.Sites[i].Sample)
	}
	for i := range res.Tumours {
		res.Tumours[i].Summary = tAcc[i].finish(o, res.Tumours[i].Sample)
	}
	// Second pass: sums of squared deviations from the group means (two-pass SD).
	for i := range cells {
		cc := &res.Cells[i]
		ar := &res.Areas[cc.Area]
		aAcc[cc.Area].addSS(&cells[i], cc, &ar.Summary)
		sAcc[ar.site].addSS(&cells[i], cc, &res.Sites[ar.site].Summary)
		tAcc[ar.tumour].addSS(&cells[i], cc, &res.Tumours[ar.tumour].Summary)
	}
	for i := range res.Areas {
		a := &res.Areas[i]
		aAcc[i].finishSD(&a.Summary)
		a.Summary.addWarnings(&aAcc[i], o)
		o.callArea(a)
	}
	siteAreas := make([][]int, len(res.Sites))
	tumAreas := make([][]int, len(res.Tumours))
	for i, a := range res.Areas {
		siteAreas[a.site] = append(siteAreas[a.site], i)
		tumAreas[a.tumour] = append(tumAreas[a.tumour], i)
	}
	for i := range res.Sites {
		s := &res.Sites[i]
		sAcc[i].finishSD(&s.Summary)
		s.Summary.addWarnings(&sAcc[i], o)
		s.Het, s.Reason, s.NCalled, _ = o.callTumour(res.Areas, siteAreas[i])
	}
	for i := range res.Tumours {
		t := &res.Tumours[i]
		tAcc[i].finishSD(&t.Summary)
		t.Summary.addWarnings(&tAcc[i], o)
		t.Het, t.Reason, t.NCalled, t.NSitesCalled = o.callTumour(res.Areas, tumAreas[i])
		if t.NCalled > 0 && t.NSitesCalled < o.MinSites {
			t.Warnings = append(t.Warnings, fmt.Sprintf("only %d biopsy site(s) with a called area; the trial definition scores %d tumour locations", t.NSitesCalled, o.MinSites))
		}
	}
	res.Changes, res.Warnings = pairChanges(res.Tumours)
	for _, a := range res.Areas {
		for _, w := range a.Warnings {
			res.Warnings = append(res.Warnings, fmt.Sprintf("area %s: %s", label(a.Sample, a.Timepoint, a.Site, a.Name), w))
		}
	}
	for _, t := range res.Tumours {
		for _, w := range t.Warnings {
			res.Warnings = append(res.Warnings, fmt.Sprintf("tumour %s: %s", label(t.Sample, t.Timepoint), w))
		}
	}
	return res, nil
}

// label joins the non-empty parts of an identifier with "/".
func label(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return "(unnamed)"
	}
	return strings.Join(out, "/")
}

// callArea decides whether an area is called, heterogeneous and HER2-negative.
func (o *Options) callArea(a *Area) {
	a.Called, a.Heterogeneous, a.Negative = o.areaFlags(a.NEval, a.NAmplified, a.NRatio, a.Group2018)
	switch {
	case !a.Called:
		a.Call = "insufficient"
		a.Warnings = append(a.Warnings, fmt.Sprintf("insufficient: %d evaluable nuclei < %d", a.NEval, o.MinNuclei))
	case a.Heterogeneous && a.Negative:
		a.Call = "heterogeneous, HER2-negative"
	case a.Heterogeneous:
		a.Call = "heterogeneous"
	case a.Negative:
		a.Call = "HER2-negative"
	case pctAbove(a.NAmplified, a.NEval, o.HetLow):
		a.Call = "amplified"
	default:
		a.Call = "non-amplified"
	}
	if a.Called && o.NegativeIsHet && a.NRatio < o.MinNuclei {
		a.Warnings = append(a.Warnings, fmt.Sprintf("HER2-negative (group 5) rule not applied: %d nuclei with a ratio < %d", a.NRatio, o.MinNuclei))
	}
}

// areaFlags applies the area rules to nEval evaluable nuclei of which nAmp are
// amplified, nRatio nuclei with a ratio, in ASCO/CAP 2018 group g. An area is called
// when nEval >= MinNuclei; heterogeneous when HetLow < 100*nAmp/nEval < HetHigh
// (cross-multiplied, exact); HER2-negative when g = 5 and its ratio rests on
// nRatio >= MinNuclei nuclei.
func (o *Options) areaFlags(nEval, nAmp, nRatio, g int) (called, het, neg bool) {
	if nEval < o.MinNuclei {
		return false, false, false
	}
	het = pctAbove(nAmp, nEval, o.HetLow) && pctBelow(nAmp, nEval, o.HetHigh)
	neg = g == 5 && nRatio >= o.MinNuclei
	return true, het, neg
}

// callTumour applies the HET rule to the areas idx of areas.
func (o *Options) callTumour(areas []Area, idx []int) (h HetCall, reason string, nCalled, nSites int) {
	var why []string
	sites := map[string]bool{}
	minPct, maxPct := math.Inf(1), math.Inf(-1)
	maxEval := 0
	for _, i := range idx {
		a := &areas[i]
		if a.NEval > maxEval {
			maxEval = a.NEval
		}
		if !a.Called {
			continue
		}
		nCalled++
		sites[a.Site] = true
		if !math.IsNaN(a.PctAmplified) {
			minPct = math.Min(minPct, a.PctAmplified)
			maxPct = math.Max(maxPct, a.PctAmplified)
		}
		name := "area " + label(a.Site, a.Name)
		if a.Site == "" && a.Name == "" {
			name = "the sample"
		}
		if a.Heterogeneous {
			why = append(why, fmt.Sprintf("%s heterogeneous (%.4g%% of %d cells amplified)", name, a.PctAmplified, a.NEval))
		}
		if a.Negative && o.NegativeIsHet {
			why = append(why, fmt.Sprintf("%s HER2-negative (ASCO/CAP 2018 group 5: ratio %.4g, mean ERBB2 %.4g)", name, a.Ratio, a.MeanERBB2))
		}
	}
	nSites = len(sites)
	switch {
	case nCalled == 0:
		return HetNA, fmt.Sprintf("not called: no area with >= %d evaluable nuclei (%d areas, largest %d)", o.MinNuclei, len(idx), maxEval), 0, 0
	case len(why) > 0:
		return HetYes, "HET: " + strings.Join(why, "; "), nCalled, nSites
	}
	neg := ""
	if o.NegativeIsHet {
		neg = " or HER2-negative"
	}
	rng := "no % amplified given"
	if minPct <= maxPct {
		rng = fmt.Sprintf("amplified %.4g%% to %.4g%%", minPct, maxPct)
	}
	return HetNo, fmt.Sprintf("non-HET: %d called area(s) in %d site(s), %s, none heterogeneous%s", nCalled, nSites, rng, neg), nCalled, nSites
}

// pairChanges pairs the pre and post tumours of each sample.
func pairChanges(ts []Tumour) ([]Change, []string) {
	type pair struct{ pre, post []int }
	bySample := map[string]*pair{}
	var order []string
	for i, t := range ts {
		p := bySample[t.Sample]
		if p == nil {
			p = &pair{}
			bySample[t.Sample] = p
			order = append(order, t.Sample)
		}
		switch NormaliseTimepoint(t.Timepoint) {
		case TimepointPre:
			p.pre = append(p.pre, i)
		case TimepointPost:
			p.post = append(p.post, i)
		}
	}
	sort.Strings(order)
	var out []Change
	var warn []string
	for _, s := range order {
		p := bySample[s]
		if len(p.pre) == 0 || len(p.post) == 0 {
			continue
		}
		if len(p.pre) > 1 || len(p.post) > 1 {
			warn = append(warn, fmt.Sprintf("sample %s: %d pre and %d post tumours; no paired change computed", s, len(p.pre), len(p.post)))
			continue
		}
		a, b := &ts[p.pre[0]], &ts[p.post[0]]
		out = append(out, Change{
			Sample: s, Pre: p.pre[0], Post: p.post[0], HetPre: a.Het, HetPost: b.Het,
			DeltaFractionNonAmplified: b.FractionNonAmplified - a.FractionNonAmplified,
			DeltaPctAmplified:         b.PctAmplified - a.PctAmplified,
			DeltaShannon:              b.Shannon - a.Shannon,
			DeltaMeanERBB2:            b.MeanERBB2 - a.MeanERBB2,
			DeltaRatio:                b.Ratio - a.Ratio,
			DeltaMeanCellRatio:        b.MeanCellRatio - a.MeanCellRatio,
			DeltaSDERBB2:              b.SDERBB2 - a.SDERBB2,
			DeltaCVERBB2:              b.CVERBB2 - a.CVERBB2,
			DeltaSDRatio:              b.SDRatio - a.SDRatio,
			DeltaCVRatio:              b.CVRatio - a.CVRatio,
		})
	}
	return out, warn
}
