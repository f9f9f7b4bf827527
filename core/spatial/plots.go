package spatial

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/plotdata"
)

// VolcanoFigure draws the region comparison: x = LMM log2 fold change
// (region 1 − region 0), y = −log10 Satterthwaite p; targets with FDR < fdr
// are emphasised and grouped "up" / "down".
func VolcanoFigure(c *Comparison, fdr float64) plotdata.Figure {
	d := c.Design
	f := plotdata.Figure{ID: "spatial-volcano", Kind: plotdata.KindVolcano,
		Title:  fmt.Sprintf("GeoMx: %s vs %s within patient (mixed model)", d.RegionNames[0], d.RegionNames[1]),
		XLabel: fmt.Sprintf("log2 fold change (%s / %s)", d.RegionNames[0], d.RegionNames[1]), YLabel: "-log10 p",
		Params: []plotdata.Param{{Name: "model", Value: "log2(x + " + strconv.FormatFloat(c.Pseudocount, 'g', -1, 64) + ") ~ region + (1 | patient), REML, Satterthwaite df"},
			{Name: "FDR", Value: strconv.FormatFloat(fdr, 'g', -1, 64)},
			{Name: "patients with both regions", Value: strconv.Itoa(c.NPatients)}}}
	s := &plotdata.Scatter{Groups: []string{"up", "down", "not significant"}, Lines: []plotdata.Rule{{Axis: "x", Value: 0}}}
	for _, r := range c.Region {
		if math.IsNaN(r.P) {
			continue
		}
		g := "not significant"
		sig := r.FDR < fdr
		if sig && r.Log2FC > 0 {
			g = "up"
		} else if sig {
			g = "down"
		}
		s.Points = append(s.Points, plotdata.Point{X: plotdata.Float(r.Log2FC), Y: plotdata.Float(-fmath.Log10(r.P)), Label: r.Target, Group: g, Emph: sig})
	}
	f.Scatter = s
	return f
}

// TargetFigure draws one target: a line per patient from its mean in region 0
// to its mean in region 1 (log2(normalised + pseudocount)), grouped by HET.
// It returns an error if the target is not a row of m.
func TargetFigure(m *dataset.Matrix, d Design, target string, pseudocount float64) (plotdata.Figure, error) {
	g := -1
	for i, n := range m.Genes {
		if n == target {
			g = i
		}
	}
	if g < 0 {
		return plotdata.Figure{}, fmt.Errorf("spatial: no target %q", target)
	}
	if len(d.Region) != m.Cols() || len(d.Patient) != m.Cols() || len(d.HET) != m.Cols() {
		return plotdata.Figure{}, fmt.Errorf("spatial: the design has %d entries for %d segments", len(d.Region), m.Cols())
	}
	if pseudocount == 0 {
		pseudocount = 1
	} else if pseudocount < 0 {
		pseudocount = 0
	}
	type acc struct {
		s [2]float64
		n [2]int
		h int
	}
	per := map[string]*acc{}
	row := m.Row(g)
	for s, v := range row {
		if d.Region[s] < 0 || d.Region[s] > 1 || math.IsNaN(v) {
			continue
		}
		a := per[d.Patient[s]]
		if a == nil {
			a = &acc{}
			per[d.Patient[s]] = a
		}
		a.s[d.Region[s]] += fmath.Log2(v + pseudocount)
		a.n[d.Region[s]]++
		a.h = d.HET[s]
	}
	var ps []string
	for p := range per {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	f := plotdata.Figure{ID: "spatial-target-" + target, Kind: plotdata.KindLines,
		Title: "GeoMx: " + target + " by region (patient means)", YLabel: "log2(normalised count + " + strconv.FormatFloat(pseudocount, 'g', -1, 64) + ")"}
	l := &plotdata.Lines{XTicks: []string{d.RegionNames[1], d.RegionNames[0]}, Groups: []string{"HET", "non-HET", "unknown"}}
	for _, p := range ps {
		a := per[p]
		if a.n[0] == 0 || a.n[1] == 0 {
			continue
		}
		grp := "unknown"
		switch a.h {
		case 1:
			grp = "HET"
		case 0:
			grp = "non-HET"
		}
		l.Series = append(l.Series, plotdata.Series{Name: p, Patient: p, Group: grp, X: []plotdata.Float{0, 1},
			Y: []plotdata.Float{plotdata.Float(a.s[0] / float64(a.n[0])), plotdata.Float(a.s[1] / float64(a.n[1]))}})
	}
	f.Lines = l
	return f, nil
}
