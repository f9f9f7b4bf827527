package plotdata

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
)

// Float is a float64 that encodes NaN and ±Inf as JSON null (encoding/json refuses them).
type Float float64

// MarshalJSON encodes non-finite values as null.
func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

// UnmarshalJSON decodes null as NaN.
func (f *Float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = Float(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = Float(v)
	return nil
}

// Floats converts a []float64 to []Float without copying semantics surprises (it copies).
func Floats(x []float64) []Float {
	out := make([]Float, len(x))
	for i, v := range x {
		out[i] = Float(v)
	}
	return out
}

// Kind names a figure type.
type Kind string

// Figure kinds.
const (
	KindBox       Kind = "box"       // Box: groups of values, box + points, test annotations
	KindScatter   Kind = "scatter"   // Scatter: points (PCA, FISH ERBB2 vs CEP17, correlations)
	KindVolcano   Kind = "volcano"   // Scatter with X = log2 fold change, Y = -log10 p
	KindMA        Kind = "ma"        // Scatter with X = mean expression, Y = log2 fold change
	KindHeatmap   Kind = "heatmap"   // Heatmap with orderings and annotation tracks
	KindBars      Kind = "bars"      // Bars: stacked counts or proportions per category
	KindLines     Kind = "lines"     // Lines: paired pre/post values per patient
	KindCurve     Kind = "curve"     // Lines: e.g. a GSEA running sum, with marks
	KindHistogram Kind = "histogram" // Histogram with threshold lines
)

// Figure is one drawable chart with its provenance.
type Figure struct {
	ID      string `json:"id"` // stable file name stem, e.g. "erbb2-by-group"
	Title   string `json:"title"`
	Caption string `json:"caption,omitempty"`
	Kind    Kind   `json:"kind"`
	XLabel  string `json:"xLabel,omitempty"`
	YLabel  string `json:"yLabel,omitempty"`
	// Params are the settings that produced the figure, e.g. "normalisation": "TMM log2 CPM".
	Params []Param `json:"params,omitempty"`

	Box       *Box       `json:"box,omitempty"`
	Scatter   *Scatter   `json:"scatter,omitempty"`
	Heatmap   *Heatmap   `json:"heatmap,omitempty"`
	Bars      *Bars      `json:"bars,omitempty"`
	Lines     *Lines     `json:"lines,omitempty"`
	Histogram *Histogram `json:"histogram,omitempty"`
}

// Param is one named setting, kept in order.
type Param struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Box is a box plot with every point shown.
type Box struct {
	Groups []BoxGroup `json:"groups"`
	// Tests are p-value brackets between two groups (or over all, with A == B == "").
	Tests []Annotation `json:"tests,omitempty"`
}

// BoxGroup is one box. Stats follow R's boxplot.stats (Tukey hinges via fivenum,
// whiskers to the most extreme points within 1.5 IQR); NaN values are not drawn.
type BoxGroup struct {
	Name     string   `json:"name"`
	Values   []Float  `json:"values"`
	Samples  []string `json:"samples,omitempty"`
	Patients []string `json:"patients,omitempty"`
	Stats    Stats    `json:"stats"`
}

// Stats are the five numbers of a box and the number of finite values.
type Stats struct {
	LowerWhisker Float `json:"lo"`
	LowerHinge   Float `json:"q1"`
	Median       Float `json:"median"`
	UpperHinge   Float `json:"q3"`
	UpperWhisker Float `json:"hi"`
	N            int   `json:"n"`
}

// Annotation is a test result drawn on a chart.
type Annotation struct {
	A     string `json:"a,omitempty"`
	B     string `json:"b,omitempty"`
	P     Float  `json:"p"`
	Label string `json:"label"` // e.g. "Wilcoxon p = 0.003 (BH)"
}

// Point is one mark of a scatter plot.
type Point struct {
	X       Float  `json:"x"`
	Y       Float  `json:"y"`
	Label   string `json:"label,omitempty"` // shown on hover; for volcano plots the gene
	Sample  string `json:"sample,omitempty"`
	Patient string `json:"patient,omitempty"`
	Group   string `json:"group,omitempty"` // colour
	Emph    bool   `json:"emph,omitempty"`  // drawn stronger and labelled (e.g. significant genes)
}

// Scatter is a cloud of points with optional reference lines.
type Scatter struct {
	Points []Point  `json:"points"`
	Groups []string `json:"groups,omitempty"` // legend order
	Lines  []Rule   `json:"lines,omitempty"`
}

// Rule is a reference line: Axis "x" (vertical at Value), "y" (horizontal) or
// "xy" (the line y = Slope*x + Value).
type Rule struct {
	Axis  string `json:"axis"`
	Value Float  `json:"value"`
	Slope Float  `json:"slope,omitempty"`
	Label string `json:"label,omitempty"`
}

// Heatmap is a matrix, row-major, with display orders and column annotation tracks.
type Heatmap struct {
	Rows      []string `json:"rows"`
	Cols      []string `json:"cols"`
	Values    []Float  `json:"values"`
	RowOrder  []int    `json:"rowOrder,omitempty"` // default: as given
	ColOrder  []int    `json:"colOrder,omitempty"`
	ColTracks []Track  `json:"colTracks,omitempty"`
	Diverging bool     `json:"diverging,omitempty"` // centre the colour scale on zero
	Patients  []string `json:"patients,omitempty"`  // per column, for highlighting
}

// Track is a categorical annotation per column (e.g. group, timepoint).
type Track struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

// Bars are stacked bars: Values[s][c] is series s in category c.
type Bars struct {
	Categories []string  `json:"categories"`
	Series     []string  `json:"series"`
	Values     [][]Float `json:"values"`
	Proportion bool      `json:"proportion,omitempty"` // draw as shares of each category's total
}

// Lines are several x-y series, e.g. one per patient from pre to post.
type Lines struct {
	Series []Series `json:"series"`
	XTicks []string `json:"xTicks,omitempty"` // labels for x = 0, 1, ...
	Groups []string `json:"groups,omitempty"` // legend order
	Rules  []Rule   `json:"rules,omitempty"`
}

// Series is one line.
type Series struct {
	Name    string  `json:"name"`
	Patient string  `json:"patient,omitempty"`
	Group   string  `json:"group,omitempty"`
	X       []Float `json:"x"`
	Y       []Float `json:"y"`
	Marks   []Float `json:"marks,omitempty"` // x positions of ticks under the line (GSEA hits)
}

// Histogram has bins [Edges[i], Edges[i+1]) with Counts[i], and threshold rules.
type Histogram struct {
	Edges  []Float `json:"edges"`
	Counts []Float `json:"counts"`
	Rules  []Rule  `json:"rules,omitempty"`
}

// Table is a result table, exportable as TSV.
type Table struct {
	ID      string     `json:"id"`
	Title   string     `json:"title"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
}

// BoxStats computes box statistics as R's boxplot.stats(x, coef = 1.5): hinges are
// Tukey's (fivenum), whiskers reach the most extreme values within 1.5 times the
// inter-hinge range. NaN values are ignored; with no finite values all stats are NaN.
func BoxStats(x []float64) Stats {
	v := make([]float64, 0, len(x))
	for _, a := range x {
		if !math.IsNaN(a) && !math.IsInf(a, 0) {
			v = append(v, a)
		}
	}
	n := len(v)
	if n == 0 {
		nan := Float(math.NaN())
		return Stats{nan, nan, nan, nan, nan, 0}
	}
	sort.Float64s(v)
	// fivenum: n4 = floor((n+3)/2)/2; d = 1, n4, (n+1)/2, n+1-n4, n (1-based), averaging floor and ceil.
	n4 := math.Floor(float64(n+3)/2) / 2
	at := func(d float64) float64 { return 0.5 * (v[int(math.Floor(d))-1] + v[int(math.Ceil(d))-1]) }
	q1, med, q3 := at(n4), at(float64(n+1)/2), at(float64(n+1)-n4)
	iqr := q3 - q1
	lo, hi := v[0], v[n-1]
	for _, a := range v {
		if a >= q1-1.5*iqr {
			lo = a
			break
		}
	}
	for i := n - 1; i >= 0; i-- {
		if v[i] <= q3+1.5*iqr {
			hi = v[i]
			break
		}
	}
	return Stats{Float(lo), Float(q1), Float(med), Float(q3), Float(hi), n}
}

// NewBoxGroup builds a box group from values with their samples and patients
// (either may be nil).
func NewBoxGroup(name string, values []float64, samples, patients []string) BoxGroup {
	return BoxGroup{Name: name, Values: Floats(values), Samples: samples, Patients: patients, Stats: BoxStats(values)}
}
