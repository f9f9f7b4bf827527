package fish

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"
)

// The TSV writers below write one header line and one row per item, tab-separated,
// numbers in the shortest form that reads back to the same float64, NaN as "NA",
// HET calls as 1 (HET), 0 (non-HET) or NA, and warnings joined by "; ".

type tsv struct {
	w   *bufio.Writer
	buf []byte
	col int
}

func newTSV(w io.Writer) *tsv { return &tsv{w: bufio.NewWriterSize(w, 64<<10)} }

func (t *tsv) sep() {
	if t.col > 0 {
		t.buf = append(t.buf, '\t')
	}
	t.col++
}

func (t *tsv) str(s string) {
	t.sep()
	if strings.ContainsAny(s, "\t\r\n") {
		s = strings.NewReplacer("\t", " ", "\r", " ", "\n", " ").Replace(s)
	}
	if s == "" {
		s = "NA"
	}
	t.buf = append(t.buf, s...)
}

func (t *tsv) num(v float64) {
	t.sep()
	if math.IsNaN(v) {
		t.buf = append(t.buf, "NA"...)
		return
	}
	t.buf = strconv.AppendFloat(t.buf, v, 'g', -1, 64)
}

func (t *tsv) int(v int) {
	t.sep()
	t.buf = strconv.AppendInt(t.buf, int64(v), 10)
}

func (t *tsv) het(h HetCall) {
	switch h {
	case HetYes:
		t.str("1")
	case HetNo:
		t.str("0")
	default:
		t.str("NA")
	}
}

func (t *tsv) group(g int) {
	if g == 0 {
		t.str("NA")
		return
	}
	t.int(g)
}

func (t *tsv) header(cols ...string) { t.buf = append(t.buf, strings.Join(cols, "\t")...); t.end() }

func (t *tsv) end() {
	t.buf = append(t.buf, '\n')
	t.w.Write(t.buf)
	t.buf, t.col = t.buf[:0], 0
}

func (t *tsv) flush() error { return t.w.Flush() }

// classColumns turns class labels into column names: "<4" -> "n_copies_lt4",
// "4-<6" -> "n_copies_4_6", ">=10" -> "n_copies_ge10".
func classColumns(labels []string) []string {
	r := strings.NewReplacer(">=", "ge", "-<", "_", "<", "lt", ".", "p")
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = "n_copies_" + r.Replace(l)
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// WriteCells writes the per-cell table: sample timepoint site area cell erbb2 cep17
// ratio amplified copy_class excluded reason x y (amplified 1/0/NA; excluded 1 when the
// nucleus is in no measure; reason why it is excluded or has no ratio).
func WriteCells(w io.Writer, cells []Cell, res *Result) error {
	t := newTSV(w)
	t.header("sample", "timepoint", "site", "area", "cell", "erbb2", "cep17", "ratio", "amplified", "copy_class", "excluded", "reason", "x", "y")
	labels := res.Options.ClassLabels()
	for i := range cells {
		c, cc := &cells[i], &res.Cells[i]
		t.str(c.Sample)
		t.str(c.Timepoint)
		t.str(c.Site)
		t.str(c.Area)
		t.str(c.ID)
		t.num(c.ERBB2)
		t.num(c.CEP17)
		t.num(cc.Ratio)
		if cc.Amplified < 0 {
			t.str("NA")
		} else {
			t.int(int(cc.Amplified))
		}
		if cc.Class < 0 {
			t.str("NA")
		} else {
			t.str(labels[cc.Class])
		}
		t.str(yesNo(cc.Excluded != ReasonNone))
		switch {
		case cc.Excluded != ReasonNone:
			t.str(cc.Excluded.String())
		case cc.NoRatio != ReasonNone:
			t.str(cc.NoRatio.String())
		default:
			t.str("NA")
		}
		t.num(c.X)
		t.num(c.Y)
		t.end()
	}
	return t.flush()
}

var summaryCols = []string{"n_nuclei", "n_excluded", "n_eval", "n_amplified", "category_2013", "ihc",
	"sd_erbb2", "cv_erbb2", "sd_ratio", "cv_ratio", "fraction_nonamplified", "shannon", "cep17_detected"}

// summaryColsNoFS is summaryCols without fraction_nonamplified and shannon (which the
// tumour table has earlier).
var summaryColsNoFS = []string{"n_nuclei", "n_excluded", "n_eval", "n_amplified", "category_2013", "ihc",
	"sd_erbb2", "cv_erbb2", "sd_ratio", "cv_ratio", "cep17_detected"}

func (t *tsv) summaryTail(s *Summary, withFS bool) {
	t.int(s.NNuclei)
	t.int(s.NExcluded)
	t.int(s.NEval)
	t.int(s.NAmplified)
	t.str(s.Category2013.String())
	t.str(s.IHC.String())
	t.num(s.SDERBB2)
	t.num(s.CVERBB2)
	t.num(s.SDRatio)
	t.num(s.CVRatio)
	if withFS {
		t.num(s.FractionNonAmplified)
		t.num(s.Shannon)
	}
	t.num(s.CEP17Detected)
	for _, k := range s.ClassCounts {
		t.int(k)
	}
}

func (t *tsv) core(s *Summary) {
	t.int(s.NCells)
	t.int(s.NRatio)
	t.num(s.MeanERBB2)
	t.num(s.MeanCEP17)
	t.num(s.Ratio)
}

// WriteAreas writes the per-area table: sample area site timepoint n_cells n_ratio
// mean_erbb2 mean_cep17 ratio mean_cell_ratio pct_amplified group_2018 status, then
// n_nuclei n_excluded n_eval n_amplified category_2013 ihc sd_erbb2 cv_erbb2 sd_ratio
// cv_ratio fraction_nonamplified shannon cep17_detected, one n_copies_* column per
// copy-number class, call and warnings.
func WriteAreas(w io.Writer, res *Result) error {
	t := newTSV(w)
	cols := []string{"sample", "area", "site", "timepoint", "n_cells", "n_ratio", "mean_erbb2", "mean_cep17", "ratio",
		"mean_cell_ratio", "pct_amplified", "group_2018", "status"}
	cols = append(cols, summaryCols...)
	cols = append(cols, classColumns(res.Options.ClassLabels())...)
	t.header(append(cols, "call", "warnings")...)
	for i := range res.Areas {
		a := &res.Areas[i]
		t.str(a.Sample)
		t.str(a.Name)
		t.str(a.Site)
		t.str(a.Timepoint)
		t.core(&a.Summary)
		t.num(a.MeanCellRatio)
		t.num(a.PctAmplified)
		t.group(a.Group2018)
		t.str(a.Status.String())
		t.summaryTail(&a.Summary, true)
		t.str(a.Call)
		t.str(strings.Join(a.Warnings, "; "))
		t.end()
	}
	return t.flush()
}

// WriteSites writes the per-biopsy-site table: sample timepoint site n_areas n_called
// n_cells n_ratio mean_erbb2 mean_cep17 ratio het reason mean_cell_ratio pct_amplified
// group_2018 status, the summary columns of WriteAreas, and warnings.
func WriteSites(w io.Writer, res *Result) error {
	t := newTSV(w)
	cols := []string{"sample", "timepoint", "site", "n_areas", "n_called", "n_cells", "n_ratio", "mean_erbb2", "mean_cep17", "ratio",
		"het", "reason", "mean_cell_ratio", "pct_amplified", "group_2018", "status"}
	cols = append(cols, summaryCols...)
	cols = append(cols, classColumns(res.Options.ClassLabels())...)
	t.header(append(cols, "warnings")...)
	for i := range res.Sites {
		s := &res.Sites[i]
		t.str(s.Sample)
		t.str(s.Timepoint)
		t.str(s.Site)
		t.int(s.NAreas)
		t.int(s.NCalled)
		t.core(&s.Summary)
		t.het(s.Het)
		t.str(s.Reason)
		t.num(s.MeanCellRatio)
		t.num(s.PctAmplified)
		t.group(s.Group2018)
		t.str(s.Status.String())
		t.summaryTail(&s.Summary, true)
		t.str(strings.Join(s.Warnings, "; "))
		t.end()
	}
	return t.flush()
}

// WriteTumours writes one row per tumour (sample and timepoint): sample timepoint
// n_areas n_cells n_ratio mean_erbb2 mean_cep17 ratio het reason fraction_nonamplified
// shannon, then n_sites n_sites_called n_areas_called mean_cell_ratio pct_amplified
// group_2018 status, the other summary columns of WriteAreas, rule and warnings.
func WriteTumours(w io.Writer, res *Result) error {
	t := newTSV(w)
	cols := []string{"sample", "timepoint", "n_areas", "n_cells", "n_ratio", "mean_erbb2", "mean_cep17", "ratio", "het", "reason",
		"fraction_nonamplified", "shannon", "n_sites", "n_sites_called", "n_areas_called", "mean_cell_ratio", "pct_amplified", "group_2018", "status"}
	cols = append(cols, summaryColsNoFS...)
	cols = append(cols, classColumns(res.Options.ClassLabels())...)
	t.header(append(cols, "rule", "warnings")...)
	for i := range res.Tumours {
		u := &res.Tumours[i]
		t.str(u.Sample)
		t.str(u.Timepoint)
		t.int(u.NAreas)
		t.core(&u.Summary)
		t.het(u.Het)
		t.str(u.Reason)
		t.num(u.FractionNonAmplified)
		t.num(u.Shannon)
		t.int(u.NSites)
		t.int(u.NSitesCalled)
		t.int(u.NCalled)
		t.num(u.MeanCellRatio)
		t.num(u.PctAmplified)
		t.group(u.Group2018)
		t.str(u.Status.String())
		t.summaryTail(&u.Summary, false)
		t.str(res.Rule)
		t.str(strings.Join(u.Warnings, "; "))
		t.end()
	}
	return t.flush()
}

// WriteChanges writes the paired pre to post changes (post minus pre): sample het_pre
// het_post n_cells_pre n_cells_post and one delta_* column per measure.
func WriteChanges(w io.Writer, res *Result) error {
	t := newTSV(w)
	t.header("sample", "het_pre", "het_post", "n_cells_pre", "n_cells_post", "delta_fraction_nonamplified", "delta_pct_amplified",
		"delta_shannon", "delta_mean_erbb2", "delta_ratio", "delta_mean_cell_ratio", "delta_sd_erbb2", "delta_cv_erbb2",
		"delta_sd_ratio", "delta_cv_ratio")
	for _, c := range res.Changes {
		t.str(c.Sample)
		t.het(c.HetPre)
		t.het(c.HetPost)
		t.int(res.Tumours[c.Pre].NCells)
		t.int(res.Tumours[c.Post].NCells)
		for _, v := range []float64{c.DeltaFractionNonAmplified, c.DeltaPctAmplified, c.DeltaShannon, c.DeltaMeanERBB2, c.DeltaRatio,
			c.DeltaMeanCellRatio, c.DeltaSDERBB2, c.DeltaCVERBB2, c.DeltaSDRatio, c.DeltaCVRatio} {
			t.num(v)
		}
		t.end()
	}
	return t.flush()
}

// WriteCases writes the calls of per-area or per-case summaries: sample timepoint site
// area n_cells mean_erbb2 mean_cep17 ratio pct_amplified group_2018 category_2013 ihc
// status call warnings.
func WriteCases(w io.Writer, res *CaseResult) error {
	t := newTSV(w)
	t.header("sample", "timepoint", "site", "area", "n_cells", "mean_erbb2", "mean_cep17", "ratio", "pct_amplified",
		"group_2018", "category_2013", "ihc", "status", "call", "warnings")
	for i := range res.Cases {
		c := &res.Cases[i]
		t.str(c.Sample)
		t.str(c.Timepoint)
		t.str(c.Site)
		t.str(c.Area)
		if c.NCells < 0 {
			t.str("NA")
		} else {
			t.int(c.NCells)
		}
		t.num(c.MeanERBB2)
		t.num(c.MeanCEP17)
		t.num(c.Ratio)
		t.num(c.PctAmplified)
		t.group(c.Group2018)
		t.str(c.Category2013.String())
		t.str(c.IHC.String())
		t.str(c.Status.String())
		t.str(c.Call)
		t.str(strings.Join(c.Warnings, "; "))
		t.end()
	}
	return t.flush()
}

// WriteCaseTumours writes the tumour calls of per-case summaries: sample timepoint
// n_areas n_areas_called n_sites het reason rule.
func WriteCaseTumours(w io.Writer, res *CaseResult) error {
	t := newTSV(w)
	t.header("sample", "timepoint", "n_areas", "n_areas_called", "n_sites", "het", "reason", "rule")
	for i := range res.Tumours {
		u := &res.Tumours[i]
		t.str(u.Sample)
		t.str(u.Timepoint)
		t.int(u.NAreas)
		t.int(u.NCalled)
		t.int(u.NSites)
		t.het(u.Het)
		t.str(u.Reason)
		t.str(res.Rule)
		t.end()
	}
	return t.flush()
}
