package spatial

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/stats"
)

// Design says, for every segment (column) of a matrix, its patient, its
// region (1 = the first region, e.g. HER2-high or PanCK+; 0 = the second,
// e.g. HER2-low or PanCK−; −1 = neither, left out) and whether its patient
// is HER2-heterogeneous (1 HET, 0 non-HET, −1 unknown).
type Design struct {
	Patient []string
	Region  []int
	HET     []int
	// RegionNames are the labels of region 1 and region 0, for tables and plots.
	RegionNames [2]string
}

// DesignOptions say which annotation columns hold the design. Empty fields
// are detected: patient from patientID, patient, Patient_ID, PatientID,
// case; region from Region, SegmentLabel, segment; HET from "HER2
// heterogeneity", HET, het; region values default to HER2-high / HER2-low and
// fall back to PanCK+ / PanCK- when no segment has the former.
type DesignOptions struct {
	PatientCol, RegionCol, HETCol string
	High, Low                     string
}

// DesignFromSet builds the design from the segments' annotations. HET values
// 1, yes, true, HET, heterogeneous are HET; 0, no, false, non-HET,
// homogeneous are non-HET (case-insensitive); anything else is unknown. A
// patient's HET must be the same on all its segments.
func DesignFromSet(s *Set, o DesignOptions) (Design, error) {
	pick := func(given string, cands ...string) (string, error) {
		if given != "" {
			for _, c := range s.AnnotColumns {
				if strings.EqualFold(c, given) {
					return c, nil
				}
			}
			return "", fmt.Errorf("spatial: no segment annotation column %q (columns: %s)", given, strings.Join(s.AnnotColumns, ", "))
		}
		for _, want := range cands {
			for _, c := range s.AnnotColumns {
				if strings.EqualFold(c, want) {
					return c, nil
				}
			}
		}
		return "", nil
	}
	pc, err := pick(o.PatientCol, "patientID", "patient", "Patient_ID", "PatientID", "case")
	if err != nil {
		return Design{}, err
	}
	if pc == "" {
		return Design{}, fmt.Errorf("spatial: no patient column among the segment annotations (columns: %s)", strings.Join(s.AnnotColumns, ", "))
	}
	rc, err := pick(o.RegionCol, "Region", "SegmentLabel", "segment")
	if err != nil {
		return Design{}, err
	}
	if rc == "" {
		return Design{}, fmt.Errorf("spatial: no region column among the segment annotations (columns: %s)", strings.Join(s.AnnotColumns, ", "))
	}
	hc, err := pick(o.HETCol, "HER2 heterogeneity", "HET", "het")
	if err != nil {
		return Design{}, err
	}
	high, low := o.High, o.Low
	if high == "" && low == "" {
		high, low = "HER2-high", "HER2-low"
		found := false
		for _, g := range s.Segments {
			found = found || strings.EqualFold(g.Annot[rc], high)
		}
		if !found {
			high, low = "PanCK+", "PanCK-"
		}
	}
	d := Design{RegionNames: [2]string{high, low}}
	hetOf := map[string]int{}
	for _, g := range s.Segments {
		p := strings.TrimSpace(g.Annot[pc])
		d.Patient = append(d.Patient, p)
		r := -1
		switch v := strings.TrimSpace(g.Annot[rc]); {
		case p == "":
		case strings.EqualFold(v, high):
			r = 1
		case strings.EqualFold(v, low):
			r = 0
		}
		d.Region = append(d.Region, r)
		h := -1
		if hc != "" {
			switch strings.ToLower(strings.TrimSpace(g.Annot[hc])) {
			case "1", "yes", "true", "het", "heterogeneous":
				h = 1
			case "0", "no", "false", "non-het", "nonhet", "homogeneous":
				h = 0
			}
		}
		if prev, ok := hetOf[p]; ok && prev != h && p != "" {
			return Design{}, fmt.Errorf("spatial: patient %s has segments with different %s values", p, hc)
		}
		hetOf[p] = h
		d.HET = append(d.HET, h)
	}
	n := 0
	for _, r := range d.Region {
		if r >= 0 {
			n++
		}
	}
	if n == 0 {
		return Design{}, fmt.Errorf("spatial: no segment has %s %q or %q", rc, high, low)
	}
	return d, nil
}

// CompareOptions control Compare.
type CompareOptions struct {
	// Pseudocount is added before log2 (default 1 when 0; negative = none).
	Pseudocount float64
	// Workers split the targets into contiguous ranges; results do not depend on it.
	Workers int
}

// RegionResult is the within-patient comparison of region 1 vs region 0 for
// one target, on y = log2(normalised + pseudocount).
type RegionResult struct {
	Target             string
	MeanHigh, MeanLow  float64 // mean y over the segments of each region
	Log2FC, SE, DF, T  float64 // LMM y ~ region + (1 | patient): region coefficient
	P, FDR             float64 // Satterthwaite p-value and its BH adjustment over targets
	Singular           bool    // the patient variance is estimated as 0
	NPairs             int     // patients with segments in both regions
	PairedDiff         float64 // mean over patients of (mean y high − mean y low)
	PairedT, PairedDF  float64
	PairedP, PairedFDR float64 // paired t-test on patient means, BH over targets
	WilcoxP            float64 // Wilcoxon signed-rank test on patient means (R defaults)
	Err                string  // why the model could not be fitted ("" if it was)
}

// HETResult compares HET with non-HET patients for one target with the LMM
// y ~ region + het + region:het + (1 | patient) (all segments of both regions).
type HETResult struct {
	Target string
	// HET − non-HET averaged over the two regions (contrast het + ½ region:het).
	HETDiff, HETSE, HETDF, HETP, HETFDR float64
	// Region difference in HET minus that in non-HET patients (region:het).
	Interaction, InteractionSE, InteractionDF, InteractionP, InteractionFDR float64
	// Wilcoxon rank-sum test of patient means (HET vs non-HET).
	PatientWilcoxP float64
	Err            string
}

// Comparison holds both analyses for every target.
type Comparison struct {
	Region []RegionResult
	HET    []HETResult // nil when the design has no HET and non-HET patients
	// Patients with both regions, HET patients, non-HET patients.
	NPatients, NHET, NNonHET int
	Design                   Design
	Pseudocount              float64
}

// Compare runs the within-patient region comparison and the HET vs non-HET
// comparison for every row of m (targets x segments, normalised values, the
// columns in the order of d). Negative control rows should be removed first.
// Segments with region −1 are left out. NaN values leave their segment out of
// that target's fits. The region analysis needs at least 2 patients; the HET
// analysis needs HET and non-HET patients.
func Compare(m *dataset.Matrix, d Design, o CompareOptions) (*Comparison, error) {
	n := m.Cols()
	if len(d.Patient) != n || len(d.Region) != n || len(d.HET) != n {
		return nil, fmt.Errorf("spatial: the design has %d/%d/%d entries for %d segments", len(d.Patient), len(d.Region), len(d.HET), n)
	}
	for s := 0; s < n; s++ {
		if d.Region[s] < -1 || d.Region[s] > 1 || d.HET[s] < -1 || d.HET[s] > 1 {
			return nil, fmt.Errorf("spatial: design entry %d has region %d and HET %d; each must be -1, 0 or 1", s+1, d.Region[s], d.HET[s])
		}
	}
	pc := o.Pseudocount
	if pc == 0 {
		pc = 1
	} else if pc < 0 {
		pc = 0
	}
	var cols []int
	for s := 0; s < n; s++ {
		if d.Region[s] >= 0 {
			cols = append(cols, s)
		}
	}
	c := &Comparison{Design: d, Pseudocount: pc}
	// Patients.
	both := map[string][2]bool{}
	hetP := map[string]int{}
	for _, s := range cols {
		b := both[d.Patient[s]]
		b[d.Region[s]] = true
		both[d.Patient[s]] = b
		hetP[d.Patient[s]] = d.HET[s]
	}
	for _, b := range both {
		if b[0] && b[1] {
			c.NPatients++
		}
	}
	for _, h := range hetP {
		switch h {
		case 1:
			c.NHET++
		case 0:
			c.NNonHET++
		}
	}
	if len(both) < 2 {
		return nil, fmt.Errorf("spatial: the comparison needs segments of at least 2 patients (got %d)", len(both))
	}
	// Designs over all usable segments (rows without NaN use these).
	grp := make([]string, len(cols))
	xr := make([][]float64, len(cols))
	for i, s := range cols {
		grp[i] = d.Patient[s]
		xr[i] = []float64{1, float64(d.Region[s])}
	}
	regionLMM, regionErr := NewLMM(xr, grp)
	doHET := c.NHET > 0 && c.NNonHET > 0
	var hcols []int
	var hetLMM *LMM
	var hetErr error
	if doHET {
		var xh [][]float64
		var gh []string
		for _, s := range cols {
			if d.HET[s] < 0 {
				continue
			}
			hcols = append(hcols, s)
			r, h := float64(d.Region[s]), float64(d.HET[s])
			xh = append(xh, []float64{1, r, h, r * h})
			gh = append(gh, d.Patient[s])
		}
		hetLMM, hetErr = NewLMM(xh, gh)
	}
	G := m.Rows()
	c.Region = make([]RegionResult, G)
	if doHET {
		c.HET = make([]HETResult, G)
	}
	work := func(lo, hi int) {
		y := make([]float64, n)
		for g := lo; g < hi; g++ {
			row := m.Row(g)
			for s := range row {
				y[s] = fmath.Log2(row[s] + pc)
			}
			c.Region[g] = regionTest(m.Genes[g], y, cols, d, regionLMM, regionErr)
			if doHET {
				c.HET[g] = hetTest(m.Genes[g], y, hcols, d, hetLMM, hetErr)
			}
		}
	}
	w := o.Workers
	if w < 1 {
		w = 1
	}
	if w > G {
		w = G
	}
	if w <= 1 {
		work(0, G)
	} else {
		var wg sync.WaitGroup
		for k := 0; k < w; k++ {
			lo, hi := k*G/w, (k+1)*G/w
			wg.Add(1)
			go func() { defer wg.Done(); work(lo, hi) }()
		}
		wg.Wait()
	}
	// BH over targets.
	adj := func(get func(i int) float64, set func(i int, v float64)) {
		p := make([]float64, G)
		for i := range p {
			p[i] = get(i)
		}
		q := stats.PAdjust(p, stats.BH)
		for i := range q {
			set(i, q[i])
		}
	}
	adj(func(i int) float64 { return c.Region[i].P }, func(i int, v float64) { c.Region[i].FDR = v })
	adj(func(i int) float64 { return c.Region[i].PairedP }, func(i int, v float64) { c.Region[i].PairedFDR = v })
	if doHET {
		adj(func(i int) float64 { return c.HET[i].HETP }, func(i int, v float64) { c.HET[i].HETFDR = v })
		adj(func(i int) float64 { return c.HET[i].InteractionP }, func(i int, v float64) { c.HET[i].InteractionFDR = v })
	}
	return c, nil
}

// subsetFit fits the model on the rows of cols whose y is finite; when some
// are not, a design without them is built.
func subsetFit(full *LMM, fullErr error, y []float64, cols []int, x func(s int) []float64, d Design) (*LMMFit, error) {
	ys := make([]float64, 0, len(cols))
	ok := true
	for _, s := range cols {
		if math.IsNaN(y[s]) || math.IsInf(y[s], 0) {
			ok = false
			continue
		}
		ys = append(ys, y[s])
	}
	if ok {
		if fullErr != nil {
			return nil, fullErr
		}
		return full.Fit(ys)
	}
	var xs [][]float64
	var gs []string
	for _, s := range cols {
		if math.IsNaN(y[s]) || math.IsInf(y[s], 0) {
			continue
		}
		xs = append(xs, x(s))
		gs = append(gs, d.Patient[s])
	}
	m, err := NewLMM(xs, gs)
	if err != nil {
		return nil, err
	}
	return m.Fit(ys)
}

func regionTest(name string, y []float64, cols []int, d Design, lmm *LMM, lmmErr error) RegionResult {
	nan := math.NaN()
	r := RegionResult{Target: name, Log2FC: nan, SE: nan, DF: nan, T: nan, P: nan, PairedDiff: nan,
		PairedT: nan, PairedDF: nan, PairedP: nan, WilcoxP: nan}
	var sum [2]float64
	var cnt [2]int
	type acc struct {
		s [2]float64
		n [2]int
	}
	per := map[string]*acc{}
	var order []string
	for _, s := range cols {
		v := y[s]
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		k := d.Region[s]
		sum[k] += v
		cnt[k]++
		a := per[d.Patient[s]]
		if a == nil {
			a = &acc{}
			per[d.Patient[s]] = a
			order = append(order, d.Patient[s])
		}
		a.s[k] += v
		a.n[k]++
	}
	r.MeanHigh = sum[1] / float64(cnt[1])
	r.MeanLow = sum[0] / float64(cnt[0])
	fit, err := subsetFit(lmm, lmmErr, y, cols, func(s int) []float64 { return []float64{1, float64(d.Region[s])} }, d)
	if err != nil {
		r.Err = strings.TrimPrefix(err.Error(), "spatial: ")
	} else {
		r.Log2FC, r.SE, r.DF, r.T, r.P, r.Singular = fit.Beta[1], fit.SE[1], fit.DF[1], fit.T[1], fit.P[1], fit.Singular
	}
	sort.Strings(order)
	var hi, lo []float64
	for _, p := range order {
		a := per[p]
		if a.n[0] > 0 && a.n[1] > 0 {
			hi = append(hi, a.s[1]/float64(a.n[1]))
			lo = append(lo, a.s[0]/float64(a.n[0]))
		}
	}
	r.NPairs = len(hi)
	if len(hi) >= 2 {
		pt := PairedTTest(hi, lo)
		r.PairedDiff, r.PairedT, r.PairedDF, r.PairedP = pt.Estimate, pt.Statistic, pt.DF, pt.PValue
		if w, err := stats.WilcoxTest(hi, lo, stats.WilcoxOptions{Paired: true, Correct: true}); err == nil {
			r.WilcoxP = w.PValue
		}
	}
	return r
}

func hetTest(name string, y []float64, cols []int, d Design, lmm *LMM, lmmErr error) HETResult {
	nan := math.NaN()
	r := HETResult{Target: name, HETDiff: nan, HETSE: nan, HETDF: nan, HETP: nan, Interaction: nan,
		InteractionSE: nan, InteractionDF: nan, InteractionP: nan, PatientWilcoxP: nan}
	fit, err := subsetFit(lmm, lmmErr, y, cols, func(s int) []float64 {
		rr, h := float64(d.Region[s]), float64(d.HET[s])
		return []float64{1, rr, h, rr * h}
	}, d)
	if err != nil {
		r.Err = strings.TrimPrefix(err.Error(), "spatial: ")
	} else {
		c := fit.Contrast([]float64{0, 0, 1, 0.5})
		r.HETDiff, r.HETSE, r.HETDF, r.HETP = c.Estimate, c.SE, c.DF, c.P
		r.Interaction, r.InteractionSE, r.InteractionDF, r.InteractionP = fit.Beta[3], fit.SE[3], fit.DF[3], fit.P[3]
	}
	// Patient means over all their segments.
	sum := map[string]float64{}
	cnt := map[string]int{}
	het := map[string]int{}
	for _, s := range cols {
		if math.IsNaN(y[s]) || math.IsInf(y[s], 0) {
			continue
		}
		sum[d.Patient[s]] += y[s]
		cnt[d.Patient[s]]++
		het[d.Patient[s]] = d.HET[s]
	}
	var ps []string
	for p := range sum {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	var a, b []float64
	for _, p := range ps {
		if het[p] == 1 {
			a = append(a, sum[p]/float64(cnt[p]))
		} else {
			b = append(b, sum[p]/float64(cnt[p]))
		}
	}
	if len(a) > 0 && len(b) > 0 {
		if w, err := stats.WilcoxTest(a, b, stats.WilcoxOptions{Correct: true}); err == nil {
			r.PatientWilcoxP = w.PValue
		}
	}
	return r
}

// PairedTTest is R's t.test(x, y, paired = TRUE) (two-sided): d = x − y,
// t = mean(d) / (sd(d)/√n), df = n − 1. Pairs with a NaN are dropped; fewer
// than 2 pairs or sd(d) = 0 give NaN statistic and p-value (R errors on
// "data are essentially constant").
func PairedTTest(x, y []float64) stats.Result {
	nan := math.NaN()
	res := stats.Result{Method: "Paired t-test", StatisticName: "t", Statistic: nan, DF: nan, PValue: nan,
		EstimateName: "mean difference", Estimate: nan, ConfInt: [2]float64{nan, nan}, ConfLevel: 0.95}
	var dd []float64
	for i := range x {
		if i < len(y) && !math.IsNaN(x[i]) && !math.IsNaN(y[i]) {
			dd = append(dd, x[i]-y[i])
		}
	}
	res.N = len(dd)
	if len(dd) < 2 {
		return res
	}
	mean := stats.Mean(dd)
	sd := stats.SD(dd)
	res.Estimate = mean
	res.DF = float64(len(dd) - 1)
	if !(sd > 0) {
		return res
	}
	se := sd / math.Sqrt(float64(len(dd)))
	res.Statistic = mean / se
	res.PValue = 2 * dist.Pt(-math.Abs(res.Statistic), res.DF, true, false)
	q := dist.Qt(0.975, res.DF, true, false)
	res.ConfInt = [2]float64{mean - q*se, mean + q*se}
	return res
}
