package chart

import (
	"fmt"

	"github.com/her2het/her2het/core/plotdata"
)

// drawBars draws stacked bars, as counts or as shares of each category's total.
func drawBars(s *svg, f *plotdata.Figure, o Options) error {
	b := f.Bars
	nc := len(b.Categories)
	if len(b.Values) != len(b.Series) {
		return fmt.Errorf("chart: bars %q have %d value rows for %d series", f.ID, len(b.Values), len(b.Series))
	}
	totals := make([]float64, nc)
	for si, row := range b.Values {
		if len(row) != nc {
			return fmt.Errorf("chart: bars %q series %q has %d values for %d categories", f.ID, b.Series[si], len(row), nc)
		}
		for c, v := range row {
			if finite(float64(v)) && v > 0 {
				totals[c] += float64(v)
			}
		}
	}
	top, bottomV := 0.0, 0.0
	for _, t := range totals {
		top = max(top, t)
	}
	// One series with negative values (e.g. normalised enrichment scores): signed bars.
	signed := false
	if len(b.Values) == 1 && !b.Proportion {
		for _, v := range b.Values[0] {
			if finite(float64(v)) && v < 0 {
				signed = true
				bottomV = min(bottomV, float64(v))
			}
		}
	}
	if b.Proportion {
		top = 1
	}
	// Many categories: narrower bars and slanted labels.
	perCat, bottom, slant := 80, 50.0, nc > 8
	if slant {
		perCat = 22
		bottom = 20 + 5.5*float64(maxLen(b.Categories))
	}
	w, h := size(o, max(380, 120+perCat*nc)+int(legendWidth(b.Series)), 330+int(bottom))
	fr := frame{w: w, h: h, left: 64, right: legendWidth(b.Series), top: 34, bottom: bottom}
	ticks, d0, d1 := niceTicks(bottomV, top, 5)
	y := linear{d0, d1, fr.y0(), fr.y1()}
	s.open(f, w, h)
	label := f.YLabel
	if label == "" && b.Proportion {
		label = "proportion"
	}
	s.yAxis(fr, y, ticks, label)
	s.line(fr.x0(), fr.y0(), fr.x1(), fr.y0(), inkColour, 1)
	colour := colours(b.Series)
	band := (fr.x1() - fr.x0()) / float64(max(nc, 1))
	for c, cat := range b.Categories {
		x := fr.x0() + band*float64(c) + band*0.15
		base := 0.0
		if signed {
			v := float64(b.Values[0][c])
			if finite(v) {
				ya, yb := y.at(0), y.at(v)
				m := mark{sample: cat, tip: fmt.Sprintf("%s: %s", cat, fmtVal(v))}
				col := Palette[0]
				if v < 0 {
					col = Palette[5]
				}
				s.markEl("rect", []string{"x", num(x), "y", num(min(ya, yb)), "width", num(band * 0.7), "height", num(max(ya-yb, yb-ya)), "fill", col}, m, o)
			}
		}
		for si, row := range b.Values {
			v := float64(row[c])
			if signed || !finite(v) || v <= 0 {
				continue
			}
			share := v
			if b.Proportion && totals[c] > 0 {
				share = v / totals[c]
			}
			y0, y1 := y.at(base), y.at(base+share)
			m := mark{sample: cat, tip: fmt.Sprintf("%s, %s: %s (%.0f%%)", cat, b.Series[si], fmtVal(v), 100*v/totals[c])}
			s.markEl("rect", []string{"x", num(x), "y", num(y1), "width", num(band * 0.7), "height", num(y0 - y1), "fill", colour(b.Series[si])}, m, o)
			base += share
		}
		if slant {
			cx, cy := x+band*0.35, fr.y0()+8
			s.text(cx, cy, "end", 9, inkColour, cat, "transform", "rotate(-60 "+num(cx)+" "+num(cy)+")")
			continue
		}
		s.text(x+band*0.35, fr.y0()+16, "middle", 11, inkColour, cat)
		s.text(x+band*0.35, fr.y0()+30, "middle", 10, muted, "n = "+fmtVal(totals[c]))
	}
	if signed {
		s.line(fr.x0(), y.at(0), fr.x1(), y.at(0), inkColour, 1)
	} else {
		s.legend(fr, b.Series, colour)
	}
	s.close()
	return nil
}
