package chart

import (
	"fmt"
	"math"
	"slices"

	"github.com/her2het/her2het/core/plotdata"
)

// drawScatter draws points coloured by group, emphasised points larger and
// labelled, and reference rules. Volcano and MA plots are scatters whose emphasised
// points are the significant genes.
func drawScatter(s *svg, f *plotdata.Figure, o Options) error {
	sc := f.Scatter
	var seen []string
	var xs, ys []float64
	for _, p := range sc.Points {
		if finite(float64(p.X)) && finite(float64(p.Y)) {
			xs = append(xs, float64(p.X))
			ys = append(ys, float64(p.Y))
			seen = append(seen, p.Group)
		}
	}
	groups := groupsOf(sc.Groups, seen)
	w, h := size(o, 560, 420)
	fr := frame{w: w, h: h, left: 64, right: legendWidth(groups), top: 34, bottom: 46}
	for _, r := range sc.Lines {
		switch r.Axis {
		case "x":
			xs = append(xs, float64(r.Value))
		case "y":
			ys = append(ys, float64(r.Value))
		}
	}
	xl, xh := extent(xs)
	yl, yh := extent(ys)
	xt, x0, x1 := niceTicks(xl, xh, 6)
	yt, y0, y1 := niceTicks(yl, yh, 6)
	x := linear{x0, x1, fr.x0(), fr.x1()}
	y := linear{y0, y1, fr.y0(), fr.y1()}
	s.open(f, w, h)
	s.yAxis(fr, y, yt, f.YLabel)
	s.xAxis(fr, x, xt, f.XLabel)
	for _, r := range sc.Lines {
		drawRule(s, fr, x, y, r)
	}
	colour := colours(groups)
	keep := thin(sc.Points, x, y, o)
	var labels []int // indices of the emphasised points drawn
	for i, p := range sc.Points {
		if !keep[i] {
			continue
		}
		m := mark{sample: p.Sample, patient: p.Patient, tip: tipFor(p.Label, p.Sample, p.Patient, "x "+fmtVal(float64(p.X))+", y "+fmtVal(float64(p.Y)))}
		r, op := "3", "0.7"
		if p.Emph {
			r, op = "4", "0.95"
			labels = append(labels, i)
		} else if f.Kind == plotdata.KindVolcano || f.Kind == plotdata.KindMA {
			r, op = "2", "0.45"
		}
		col := colour(p.Group)
		if p.Group == "" {
			col = muted
			if p.Emph {
				col = Palette[5]
			}
		}
		s.markEl("circle", []string{"cx", num(x.at(float64(p.X))), "cy", num(y.at(float64(p.Y))), "r", r, "fill", col, "fill-opacity", op}, m, o)
	}
	// Label the most extreme emphasised points (by |y| for volcanoes), at most 12.
	// (Indices, not the points, are sorted: the same stable algorithm as
	// sort.SliceStable, so the same order, without moving whole points.)
	slices.SortStableFunc(labels, func(i, j int) int {
		a, b := math.Abs(float64(sc.Points[i].Y)), math.Abs(float64(sc.Points[j].Y))
		switch {
		case a > b:
			return -1
		case b > a:
			return 1
		}
		return 0
	})
	// Skip a label that would overlap one already placed.
	type box struct{ x0, x1, y0, y1 float64 }
	var placed []box
	for _, li := range labels {
		p := sc.Points[li]
		if len(placed) >= 12 {
			break
		}
		if p.Label == "" {
			continue
		}
		px, py, anchor, dx := x.at(float64(p.X)), y.at(float64(p.Y))-5, "start", 5.0
		if px > fr.x0()+0.8*(fr.x1()-fr.x0()) {
			anchor, dx = "end", -5
		}
		wd := 6.0 * float64(len(p.Label))
		b := box{px + dx, px + dx + wd, py - 10, py}
		if anchor == "end" {
			b.x0, b.x1 = px+dx-wd, px+dx
		}
		clash := false
		for _, q := range placed {
			if b.x0 < q.x1 && q.x0 < b.x1 && b.y0 < q.y1 && q.y0 < b.y1 {
				clash = true
				break
			}
		}
		if clash {
			continue
		}
		placed = append(placed, b)
		s.text(px+dx, py, anchor, 10, inkColour, p.Label)
	}
	if len(groups) > 0 {
		s.legend(fr, groups, colour)
	}
	if n := countFalse(keep, sc.Points); n > 0 {
		s.text(fr.x1(), 31, "end", 9, muted, fmt.Sprintf("%d overlapping non-significant points not drawn", n))
	}
	s.close()
	return nil
}

// thin keeps every emphasised point and, when there are more than MaxPoints
// finite points, one non-emphasised point per 2x2-pixel cell (the first in data
// order), so huge volcano plots stay light and look the same.
func thin(pts []plotdata.Point, x, y linear, o Options) []bool {
	limit := o.MaxPoints
	if limit <= 0 {
		limit = 6000
	}
	keep := make([]bool, len(pts))
	nFinite := 0
	for i, p := range pts {
		if finite(float64(p.X)) && finite(float64(p.Y)) {
			keep[i] = true
			nFinite++
		}
	}
	if nFinite <= limit {
		return keep
	}
	type cell struct{ cx, cy int }
	used := map[cell]bool{}
	for i, p := range pts {
		if !keep[i] || p.Emph {
			continue
		}
		c := cell{int(x.at(float64(p.X)) / 2), int(y.at(float64(p.Y)) / 2)}
		if used[c] {
			keep[i] = false
			continue
		}
		used[c] = true
	}
	return keep
}

func countFalse(keep []bool, pts []plotdata.Point) int {
	n := 0
	for i, k := range keep {
		if !k && finite(float64(pts[i].X)) && finite(float64(pts[i].Y)) {
			n++
		}
	}
	return n
}

func drawRule(s *svg, fr frame, x, y linear, r plotdata.Rule) {
	v := float64(r.Value)
	if !finite(v) {
		return
	}
	switch r.Axis {
	case "x":
		if v < x.d0 || v > x.d1 {
			return
		}
		s.line(x.at(v), fr.y0(), x.at(v), fr.y1(), Palette[5], 1, "stroke-dasharray", "4 3")
		if r.Label != "" {
			s.text(x.at(v)+3, fr.y1()+10, "start", 10, Palette[5], r.Label)
		}
	case "y":
		if v < y.d0 || v > y.d1 {
			return
		}
		s.line(fr.x0(), y.at(v), fr.x1(), y.at(v), Palette[5], 1, "stroke-dasharray", "4 3")
		if r.Label != "" {
			s.text(fr.x1()-3, y.at(v)-3, "end", 10, Palette[5], r.Label)
		}
	case "xy":
		// Clip y = slope*x + v to the plotting box.
		slope := float64(r.Slope)
		xa, xb := x.d0, x.d1
		if slope != 0 {
			ta, tb := (y.d0-v)/slope, (y.d1-v)/slope
			if ta > tb {
				ta, tb = tb, ta
			}
			xa, xb = math.Max(xa, ta), math.Min(xb, tb)
		} else if v < y.d0 || v > y.d1 {
			return
		}
		if xa >= xb {
			return
		}
		s.line(x.at(xa), y.at(slope*xa+v), x.at(xb), y.at(slope*xb+v), Palette[5], 1, "stroke-dasharray", "4 3")
		if r.Label != "" {
			s.text(x.at(xb)-3, y.at(slope*xb+v)+12, "end", 10, Palette[5], r.Label)
		}
	}
}
