package chart

import (
	"fmt"

	"github.com/her2het/her2het/core/plotdata"
)

// drawHistogram draws bins [Edges[i], Edges[i+1]) as bars with threshold rules.
func drawHistogram(s *svg, f *plotdata.Figure, o Options) error {
	hg := f.Histogram
	if len(hg.Edges) != len(hg.Counts)+1 {
		return fmt.Errorf("chart: histogram %q has %d edges for %d bins", f.ID, len(hg.Edges), len(hg.Counts))
	}
	edges := make([]float64, len(hg.Edges))
	for i, e := range hg.Edges {
		edges[i] = float64(e)
	}
	top := 0.0
	for _, c := range hg.Counts {
		if finite(float64(c)) {
			top = max(top, float64(c))
		}
	}
	w, h := size(o, 520, 360)
	fr := frame{w: w, h: h, left: 64, right: 20, top: 34, bottom: 46}
	xl, xh := extent(edges)
	xt, x0, x1 := niceTicks(xl, xh, 8)
	yt, y0, y1 := niceTicks(0, top, 5)
	x := linear{x0, x1, fr.x0(), fr.x1()}
	y := linear{y0, y1, fr.y0(), fr.y1()}
	s.open(f, w, h)
	ylabel := f.YLabel
	if ylabel == "" {
		ylabel = "count"
	}
	s.yAxis(fr, y, yt, ylabel)
	s.xAxis(fr, x, xt, f.XLabel)
	for i, c := range hg.Counts {
		v := float64(c)
		if !finite(v) || v <= 0 {
			continue
		}
		xa, xb := x.at(edges[i]), x.at(edges[i+1])
		m := mark{tip: fmt.Sprintf("[%s, %s): %s", fmtVal(edges[i]), fmtVal(edges[i+1]), fmtVal(v))}
		s.markEl("rect", []string{"x", num(xa + 0.5), "y", num(y.at(v)), "width", num(xb - xa - 1), "height", num(y.at(0) - y.at(v)), "fill", Palette[0], "fill-opacity", "0.8"}, m, o)
	}
	for _, r := range hg.Rules {
		drawRule(s, fr, x, y, r)
	}
	s.close()
	return nil
}
