package chart

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/her2het/her2het/core/plotdata"
)

// Options control drawing.
type Options struct {
	// Width and Height of the SVG in pixels; 0 picks a size suited to the kind.
	Width, Height int
	// Highlight is a patient whose marks are emphasised (others are dimmed).
	Highlight string
	// MaxPoints caps the points a scatter draws (0: 6000); extra points that are
	// not emphasised are thinned deterministically.
	MaxPoints int
}

// frame is the plotting area inside the margins.
type frame struct {
	w, h                     float64
	left, right, top, bottom float64
}

func (f frame) x0() float64 { return f.left }
func (f frame) x1() float64 { return f.w - f.right }
func (f frame) y0() float64 { return f.h - f.bottom }
func (f frame) y1() float64 { return f.top }

// SVG draws a figure. It returns an error only for a figure whose kind has no data
// block or that is not drawable (e.g. mismatched lengths); empty data give an
// empty frame with a note.
func SVG(f *plotdata.Figure, o Options) ([]byte, error) {
	if f == nil {
		return nil, fmt.Errorf("chart: no figure")
	}
	var s svg
	var err error
	switch f.Kind {
	case plotdata.KindBox:
		if f.Box == nil {
			return nil, fmt.Errorf("chart: box figure %q has no box data", f.ID)
		}
		err = drawBox(&s, f, o)
	case plotdata.KindScatter, plotdata.KindVolcano, plotdata.KindMA:
		if f.Scatter == nil {
			return nil, fmt.Errorf("chart: %s figure %q has no points", f.Kind, f.ID)
		}
		err = drawScatter(&s, f, o)
	case plotdata.KindHeatmap:
		if f.Heatmap == nil {
			return nil, fmt.Errorf("chart: heatmap %q has no matrix", f.ID)
		}
		err = drawHeatmap(&s, f, o)
	case plotdata.KindBars:
		if f.Bars == nil {
			return nil, fmt.Errorf("chart: bar figure %q has no bars", f.ID)
		}
		err = drawBars(&s, f, o)
	case plotdata.KindLines, plotdata.KindCurve:
		if f.Lines == nil {
			return nil, fmt.Errorf("chart: line figure %q has no series", f.ID)
		}
		err = drawLines(&s, f, o)
	case plotdata.KindHistogram:
		if f.Histogram == nil {
			return nil, fmt.Errorf("chart: histogram %q has no bins", f.ID)
		}
		err = drawHistogram(&s, f, o)
	default:
		return nil, fmt.Errorf("chart: figure %q has unknown kind %q", f.ID, f.Kind)
	}
	if err != nil {
		return nil, err
	}
	return s.b.Bytes(), nil
}

func size(o Options, w, h int) (float64, float64) {
	if o.Width > 0 {
		w = o.Width
	}
	if o.Height > 0 {
		h = o.Height
	}
	return float64(w), float64(h)
}

// open starts the SVG document with its title; close ends it.
func (s *svg) open(f *plotdata.Figure, w, h float64) {
	s.raw(`<svg xmlns="http://www.w3.org/2000/svg" width="` + num(w) + `" height="` + num(h) + `" viewBox="0 0 ` + num(w) + " " + num(h) +
		`" font-family="` + font + `" role="img" aria-label="` + esc(f.Title) + `">`)
	s.el("title", nil, func() { s.escTo(f.Title) })
	s.rect(0, 0, w, h, "#ffffff", "")
	s.text(w/2, 18, "middle", 14, inkColour, f.Title, "font-weight", "600")
}

func (s *svg) close() { s.raw("</svg>") }

// axes draws the left (value) and bottom axes with ticks, grid and labels.
func (s *svg) yAxis(fr frame, sc linear, ticks []float64, label string) {
	for _, t := range ticks {
		y := sc.at(t)
		s.line(fr.x0(), y, fr.x1(), y, gridColor, 1)
		s.line(fr.x0()-4, y, fr.x0(), y, inkColour, 1)
		s.text(fr.x0()-7, y+4, "end", 11, inkColour, tickLabel(t))
	}
	s.line(fr.x0(), fr.y0(), fr.x0(), fr.y1(), inkColour, 1)
	if label != "" {
		cx, cy := 14.0, (fr.y0()+fr.y1())/2
		s.text(cx, cy, "middle", 12, inkColour, label, "transform", "rotate(-90 "+num(cx)+" "+num(cy)+")")
	}
}

func (s *svg) xAxis(fr frame, sc linear, ticks []float64, label string) {
	for _, t := range ticks {
		x := sc.at(t)
		s.line(x, fr.y0(), x, fr.y1(), gridColor, 1)
		s.line(x, fr.y0(), x, fr.y0()+4, inkColour, 1)
		s.text(x, fr.y0()+16, "middle", 11, inkColour, tickLabel(t))
	}
	s.line(fr.x0(), fr.y0(), fr.x1(), fr.y0(), inkColour, 1)
	if label != "" {
		s.text((fr.x0()+fr.x1())/2, fr.h-8, "middle", 12, inkColour, label)
	}
}

// legend draws colour keys for groups at the right of the frame.
func (s *svg) legend(fr frame, groups []string, colour func(string) string) {
	x := fr.x1() + 14
	for i, g := range groups {
		y := fr.y1() + 8 + float64(i)*18
		s.rect(x, y-9, 11, 11, colour(g), "")
		s.text(x+16, y, "start", 11, inkColour, g)
	}
}

// colours assigns palette colours to groups in legend order.
func colours(groups []string) func(string) string {
	idx := map[string]int{}
	for i, g := range groups {
		idx[g] = i
	}
	return func(g string) string {
		if i, ok := idx[g]; ok {
			return Palette[i%len(Palette)]
		}
		return muted
	}
}

// groupsOf returns the legend order: the given order, then groups seen in data order.
func groupsOf(given []string, seen []string) []string {
	out := append([]string(nil), given...)
	have := map[string]bool{}
	for _, g := range out {
		have[g] = true
	}
	for _, g := range seen {
		if g != "" && !have[g] {
			have[g] = true
			out = append(out, g)
		}
	}
	return out
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func legendWidth(groups []string) float64 {
	if len(groups) == 0 {
		return 20
	}
	longest := 0
	for _, g := range groups {
		longest = max(longest, len(g))
	}
	return 40 + float64(longest)*6.5
}

// tipFor joins a mark's tooltip with "; " (as strings.Join, in one allocation):
// the label and "sample <sample>" (unless it is the label) and "patient
// <patient>" when not empty, then every part.
func tipFor(label, sample, patient string, parts ...string) string {
	n := len(label) + len(sample) + len(patient) + 20
	for _, p := range parts {
		n += len(p) + 2
	}
	b := make([]byte, 0, n)
	first := true
	if label != "" {
		b = append(b, label...)
		first = false
	}
	if sample != "" && sample != label {
		if !first {
			b = append(b, "; "...)
		}
		b = append(b, "sample "...)
		b = append(b, sample...)
		first = false
	}
	if patient != "" {
		if !first {
			b = append(b, "; "...)
		}
		b = append(b, "patient "...)
		b = append(b, patient...)
		first = false
	}
	for _, p := range parts {
		if !first {
			b = append(b, "; "...)
		}
		b = append(b, p...)
		first = false
	}
	return string(b)
}

var _ = sort.Strings
var _ = strconv.Itoa
