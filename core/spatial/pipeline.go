package spatial

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/plotdata"
)

// Normalisation methods of Options.Normalization.
const (
	NormQ3     = "q3"     // RNA: upper-quartile (GeomxTools quantileNorm, 0.75)
	NormHK     = "hk"     // protein: housekeepers (Histone H3, S6, GAPDH)
	NormIgG    = "igg"    // protein: IgG isotype background
	NormArea   = "area"   // divide by area / geometric-mean area
	NormNuclei = "nuclei" // divide by nuclei / geometric-mean nuclei
	NormNone   = "none"
)

// Options control Analyze. The zero value is completed by DefaultOptions'
// values where a field is zero.
type Options struct {
	QC QCThresholds
	// KeepFailed keeps segments that fail QC in the comparisons.
	KeepFailed bool
	// Normalization is one of NormQ3 (RNA default), NormHK (protein
	// default), NormIgG, NormArea, NormNuclei, NormNone.
	Normalization string
	// Housekeepers for NormHK (default DefaultHousekeepers).
	Housekeepers []string
	// LOQ = max(NegGeoMean × NegGeoSD^LOQSD, LOQMin); defaults 2 and 2.
	LOQSD, LOQMin float64
	Design        DesignOptions
	Compare       CompareOptions
	// FDR marks significant targets in the volcano (default 0.05).
	FDR float64
}

// DefaultOptions are the GeoMx workflow's QC thresholds, Q3 (RNA) or
// housekeeper (protein) normalisation, LOQ 2 SD with floor 2, FDR 0.05.
func DefaultOptions() Options {
	return Options{QC: WorkflowQC(), LOQSD: 2, LOQMin: 2, FDR: 0.05}
}

// Result is the full spatial analysis of a Set.
type Result struct {
	Set *Set        // every segment
	QC  []SegmentQC // per segment of Set
	LOQ [][]float64 // per segment of Set and module
	// LOQFromSD is false when NegGeoSD was unknown (DSP export) and taken as 1.
	LOQFromSD bool
	// DetectionRate per target of Set (fraction of kept segments above LOQ).
	DetectionRate []float64
	Kept          *Set      // the segments analysed
	Factors       []float64 // normalisation factor per kept segment
	// Normalized holds the non-negative targets x kept segments.
	Normalized    *dataset.Matrix
	Normalization string
	Comparison    *Comparison // nil when no design could be built (see Notes)
	Options       Options
	Notes         []string
}

// ErrNoSegments is returned (wrapped) by Analyze when every segment fails QC;
// the Result is then returned too, with QC and LOQ filled, for the segment table.
var ErrNoSegments = errors.New("spatial: no segment left")

// Analyze runs QC, LOQ, normalisation and the comparisons on s.
func Analyze(s *Set, o Options) (*Result, error) {
	def := DefaultOptions()
	if o.LOQSD == 0 {
		o.LOQSD = def.LOQSD
	}
	if o.LOQMin == 0 {
		o.LOQMin = def.LOQMin
	}
	if o.FDR == 0 {
		o.FDR = def.FDR
	}
	if o.QC == (QCThresholds{}) {
		o.QC = def.QC
	}
	if o.Normalization == "" {
		o.Normalization = NormQ3
		if s.Analyte == "Protein" {
			o.Normalization = NormHK
		}
	}
	r := &Result{Set: s, Options: o, Normalization: o.Normalization}
	r.Notes = append(r.Notes, s.Notes...)
	r.QC = QC(s, o.QC)
	r.LOQ, r.LOQFromSD = LOQ(s, o.LOQSD, o.LOQMin)
	if !r.LOQFromSD && s.Analyte != "Protein" {
		r.Notes = append(r.Notes, "negative probes are known only at target level (DSP export): LOQ uses NegGeoSD = 1")
	}
	keep := make([]bool, len(s.Segments))
	nk := 0
	for i, q := range r.QC {
		keep[i] = q.Pass || o.KeepFailed
		if keep[i] {
			nk++
		}
	}
	if nk == 0 {
		return r, fmt.Errorf("%w: every segment fails QC (%d segments); keep them (--keep-failed) or relax the thresholds", ErrNoSegments, len(s.Segments))
	}
	if nk < len(keep) {
		r.Notes = append(r.Notes, fmt.Sprintf("%d of %d segments fail QC and are left out", len(keep)-nk, len(keep)))
	}
	kept, err := s.Subset(keep)
	if err != nil {
		return nil, err
	}
	r.Kept = kept
	var keptLOQ [][]float64
	for i, k := range keep {
		if k {
			keptLOQ = append(keptLOQ, r.LOQ[i])
		}
	}
	r.DetectionRate = DetectionRate(kept, keptLOQ)
	var f []float64
	switch o.Normalization {
	case NormQ3:
		f = Q3Factors(kept.Counts)
	case NormHK, NormIgG:
		names := o.Housekeepers
		if len(names) == 0 {
			names = DefaultHousekeepers
		}
		if o.Normalization == NormIgG {
			names = IgGTargets(kept.Counts)
		}
		var missing []string
		f, missing, err = TargetSetFactors(kept.Counts, names)
		if err != nil {
			return nil, err
		}
		if len(missing) > 0 {
			r.Notes = append(r.Notes, "normalisation targets not found: "+strings.Join(missing, ", "))
		}
	case NormArea, NormNuclei:
		v := make([]float64, len(kept.Segments))
		for i, g := range kept.Segments {
			v[i] = g.Area
			if o.Normalization == NormNuclei {
				v[i] = g.Nuclei
			}
		}
		if f, err = ScaleFactors(v); err != nil {
			return nil, err
		}
	case NormNone:
		f = make([]float64, len(kept.Segments))
		for i := range f {
			f[i] = 1
		}
	default:
		return nil, fmt.Errorf("spatial: unknown normalisation %q (q3, hk, igg, area, nuclei, none)", o.Normalization)
	}
	r.Factors = f
	norm, err := ApplyFactors(kept.Counts, f)
	if err != nil {
		return nil, err
	}
	var endo []int
	for i, t := range kept.Targets {
		if !t.Negative && !(o.Normalization == NormIgG && strings.Contains(strings.ToLower(t.Name), "igg")) {
			endo = append(endo, i)
		}
	}
	r.Normalized = norm.SubsetRows(endo)
	d, err := DesignFromSet(kept, o.Design)
	if err != nil {
		r.Notes = append(r.Notes, "no comparison: "+strings.TrimPrefix(err.Error(), "spatial: "))
		return r, nil
	}
	c, err := Compare(r.Normalized, d, o.Compare)
	if err != nil {
		r.Notes = append(r.Notes, "no comparison: "+strings.TrimPrefix(err.Error(), "spatial: "))
		return r, nil
	}
	r.Comparison = c
	if c.HET == nil {
		r.Notes = append(r.Notes, "no HET vs non-HET comparison: the design needs HET and non-HET patients")
	}
	return r, nil
}

// Num formats a number for tables: %.6g, NaN as NA.
func Num(v float64) string {
	if math.IsNaN(v) {
		return "NA"
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// SegmentTable lists every segment with its sequencing summary, QC metrics
// and flags, negative summaries, LOQ and, for kept segments, the
// normalisation factor.
func (r *Result) SegmentTable() plotdata.Table {
	s := r.Set
	t := plotdata.Table{ID: "spatial-segments", Title: "GeoMx segments: QC, LOQ and normalisation factors",
		Columns: []string{"segment", "sample_id", "area", "nuclei", "raw", "trimmed_pct", "stitched_pct", "aligned_pct",
			"saturation_pct", "deduplicated", "ntc"}}
	for _, m := range s.Modules {
		t.Columns = append(t.Columns, "neg_geomean_"+m, "neg_geosd_"+m, "loq_"+m)
	}
	t.Columns = append(t.Columns, "qc", "kept", "norm_factor")
	k := 0
	for i, g := range s.Segments {
		q := r.QC[i]
		row := []string{g.Name, g.ID, Num(g.Area), Num(g.Nuclei), Num(g.Raw), Num(q.TrimmedPct), Num(q.StitchedPct),
			Num(q.AlignedPct), Num(q.SaturationPct), Num(g.Deduplicated), Num(g.NTC)}
		for m := range s.Modules {
			row = append(row, Num(at(g.NegGeoMean, m)), Num(at(g.NegGeoSD, m)), Num(at(r.LOQ[i], m)))
		}
		kept := r.Kept != nil && k < len(r.Kept.Segments) && r.Kept.Segments[k].Name == g.Name
		f := "NA"
		if kept {
			f = Num(r.Factors[k])
			k++
		}
		row = append(row, q.String(), strconv.FormatBool(kept), f)
		t.Rows = append(t.Rows, row)
	}
	return t
}

// TargetTable lists every target with its module, code class, probes and
// detection rate (fraction of analysed segments above the module's LOQ).
func (r *Result) TargetTable() plotdata.Table {
	t := plotdata.Table{ID: "spatial-targets", Title: "GeoMx targets: probes and detection above LOQ",
		Columns: []string{"target", "module", "code_class", "negative", "probes", "detection_rate"}}
	for i, g := range r.Set.Targets {
		dr := math.NaN()
		if i < len(r.DetectionRate) {
			dr = r.DetectionRate[i]
		}
		t.Rows = append(t.Rows, []string{g.Name, g.Module, g.CodeClass, strconv.FormatBool(g.Negative), strconv.Itoa(g.Probes), Num(dr)})
	}
	return t
}

// RegionTable lists the region comparison, sorted by p-value.
func (r *Result) RegionTable() plotdata.Table {
	c := r.Comparison
	d := c.Design
	t := plotdata.Table{ID: "spatial-region", Title: fmt.Sprintf("GeoMx: %s vs %s within patient", d.RegionNames[0], d.RegionNames[1]),
		Columns: []string{"target", "mean_" + d.RegionNames[0], "mean_" + d.RegionNames[1], "log2FC", "SE", "df", "t", "P.Value", "adj.P.Val",
			"singular", "patients", "paired_diff", "paired_t", "paired_P", "paired_adj.P", "wilcoxon_P", "note"}}
	idx := make([]int, len(c.Region))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return lessP(c.Region[idx[a]].P, c.Region[idx[b]].P) })
	for _, i := range idx {
		x := c.Region[i]
		t.Rows = append(t.Rows, []string{x.Target, Num(x.MeanHigh), Num(x.MeanLow), Num(x.Log2FC), Num(x.SE), Num(x.DF), Num(x.T),
			Num(x.P), Num(x.FDR), strconv.FormatBool(x.Singular), strconv.Itoa(x.NPairs), Num(x.PairedDiff), Num(x.PairedT),
			Num(x.PairedP), Num(x.PairedFDR), Num(x.WilcoxP), x.Err})
	}
	return t
}

// HETTable lists the HET vs non-HET comparison, sorted by the interaction p-value.
func (r *Result) HETTable() plotdata.Table {
	c := r.Comparison
	t := plotdata.Table{ID: "spatial-het", Title: "GeoMx: HET vs non-HET patients",
		Columns: []string{"target", "het_diff", "het_SE", "het_df", "het_P", "het_adj.P", "region_x_het", "interaction_SE",
			"interaction_df", "interaction_P", "interaction_adj.P", "patient_wilcoxon_P", "note"}}
	idx := make([]int, len(c.HET))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return lessP(c.HET[idx[a]].InteractionP, c.HET[idx[b]].InteractionP) })
	for _, i := range idx {
		x := c.HET[i]
		t.Rows = append(t.Rows, []string{x.Target, Num(x.HETDiff), Num(x.HETSE), Num(x.HETDF), Num(x.HETP), Num(x.HETFDR),
			Num(x.Interaction), Num(x.InteractionSE), Num(x.InteractionDF), Num(x.InteractionP), Num(x.InteractionFDR),
			Num(x.PatientWilcoxP), x.Err})
	}
	return t
}

func lessP(a, b float64) bool {
	if math.IsNaN(b) {
		return !math.IsNaN(a)
	}
	return a < b
}

// Figures are the volcano of the region comparison and the per-target plots
// of the top targets (at most top, by p-value).
func (r *Result) Figures(top int) []plotdata.Figure {
	c := r.Comparison
	if c == nil {
		return nil
	}
	figs := []plotdata.Figure{VolcanoFigure(c, r.Options.FDR)}
	idx := make([]int, len(c.Region))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return lessP(c.Region[idx[a]].P, c.Region[idx[b]].P) })
	for k, i := range idx {
		if k >= top || math.IsNaN(c.Region[i].P) {
			break
		}
		if f, err := TargetFigure(r.Normalized, c.Design, c.Region[i].Target, c.Pseudocount); err == nil {
			figs = append(figs, f)
		}
	}
	return figs
}

// WriteTable writes a table as TSV.
func WriteTable(w io.Writer, t plotdata.Table) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(strings.Join(t.Columns, "\t"))
	bw.WriteByte('\n')
	for _, r := range t.Rows {
		bw.WriteString(strings.Join(r, "\t"))
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// WriteMatrix writes a targets x segments matrix as TSV with a "target"
// first column; numbers with %.6g (counts exactly), NaN as NA.
func WriteMatrix(w io.Writer, m *dataset.Matrix) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("target")
	for _, s := range m.Samples {
		bw.WriteByte('\t')
		bw.WriteString(s)
	}
	bw.WriteByte('\n')
	var buf []byte
	for g, name := range m.Genes {
		buf = append(buf[:0], name...)
		for _, v := range m.Row(g) {
			buf = append(buf, '\t')
			switch {
			case math.IsNaN(v):
				buf = append(buf, "NA"...)
			case v == math.Trunc(v) && math.Abs(v) < 1e15:
				buf = strconv.AppendFloat(buf, v, 'f', -1, 64)
			default:
				buf = strconv.AppendFloat(buf, v, 'g', 6, 64)
			}
		}
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}
