package chart

import (
	"fmt"
	"strings"

	"github.com/her2het/her2het/core/plotdata"
)

// drawLines draws series as polylines with their points: paired pre/post values
// per patient (x ticks name the timepoints) or curves such as a GSEA running sum,
// whose Marks (gene hits) are drawn as ticks under the axis.
func drawLines(s *svg, f *plotdata.Figure, o Options) error {
	l := f.Lines
	var xs, ys []float64
	var seen []string
	hasMarks := false
	for _, sr := range l.Series {
		if len(sr.X) != len(sr.Y) {
			return fmt.Errorf("chart: series %q of %q has %d x and %d y values", sr.Name, f.ID, len(sr.X), len(sr.Y))
		}
		for i := range sr.X {
			xs = append(xs, float64(sr.X[i]))
			ys = append(ys, float64(sr.Y[i]))
		}
		seen = append(seen, sr.Group)
		hasMarks = hasMarks || len(sr.Marks) > 0
	}
	for _, r := range l.Rules {
		if r.Axis == "y" {
			ys = append(ys, float64(r.Value))
		}
	}
	groups := groupsOf(l.Groups, seen)
	w, h := size(o, 560, 400)
	bottom := 46.0
	if hasMarks {
		bottom += 30
	}
	fr := frame{w: w, h: h, left: 64, right: legendWidth(groups), top: 34, bottom: bottom}
	xl, xh := extent(xs)
	yl, yh := extent(ys)
	yt, y0, y1 := niceTicks(yl, yh, 6)
	y := linear{y0, y1, fr.y0(), fr.y1()}
	var x linear
	s.open(f, w, h)
	s.yAxis(fr, y, yt, f.YLabel)
	if len(l.XTicks) > 0 {
		pad := 0.5
		x = linear{-pad, float64(len(l.XTicks)-1) + pad, fr.x0(), fr.x1()}
		s.line(fr.x0(), fr.y0(), fr.x1(), fr.y0(), inkColour, 1)
		for i, t := range l.XTicks {
			s.text(x.at(float64(i)), fr.y0()+16, "middle", 11, inkColour, t)
		}
		if f.XLabel != "" {
			s.text((fr.x0()+fr.x1())/2, fr.h-8, "middle", 12, inkColour, f.XLabel)
		}
	} else {
		xt, x0, x1 := niceTicks(xl, xh, 6)
		x = linear{x0, x1, fr.x0(), fr.x1()}
		s.xAxis(fr, x, xt, f.XLabel)
	}
	for _, r := range l.Rules {
		drawRule(s, fr, x, y, r)
	}
	colour := colours(groups)
	for _, sr := range l.Series {
		col := colour(sr.Group)
		if sr.Group == "" {
			col = Palette[0]
		}
		var pts []string
		for i := range sr.X {
			if finite(float64(sr.X[i])) && finite(float64(sr.Y[i])) {
				pts = append(pts, num(x.at(float64(sr.X[i])))+","+num(y.at(float64(sr.Y[i]))))
			}
		}
		m := mark{sample: sr.Name, patient: sr.Patient, tip: tipFor(sr.Name, "", sr.Patient, sr.Group)}
		if len(pts) > 1 {
			s.markEl("polyline", []string{"points", strings.Join(pts, " "), "fill", "none", "stroke", col, "stroke-width", "1.5", "stroke-opacity", "0.8"}, m, o)
		}
		// Points on short series (paired plots), not on long curves.
		if len(sr.X) <= 12 {
			for i := range sr.X {
				if finite(float64(sr.X[i])) && finite(float64(sr.Y[i])) {
					pm := m
					pm.tip = tipFor(sr.Name, "", sr.Patient, sr.Group, "value "+fmtVal(float64(sr.Y[i])))
					s.markEl("circle", []string{"cx", num(x.at(float64(sr.X[i]))), "cy", num(y.at(float64(sr.Y[i]))), "r", "3", "fill", col}, pm, o)
				}
			}
		}
		for _, mk := range sr.Marks {
			if finite(float64(mk)) {
				mx := x.at(float64(mk))
				s.line(mx, fr.y0()+20, mx, fr.y0()+34, col, 1)
			}
		}
	}
	if len(groups) > 0 {
		s.legend(fr, groups, colour)
	}
	s.close()
	return nil
}
