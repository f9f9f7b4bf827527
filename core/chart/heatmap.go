package chart

import (
	"fmt"
	"math"

	"github.com/her2het/her2het/core/plotdata"
)

// HeatmapRasterCells is the largest heatmap (rows x columns) drawn with one SVG
// <rect> per cell, each with its own tooltip. A larger matrix (e.g. the 285 x 285
// sample correlation of a cohort, 81,225 cells, 15 MB of markup as rects) is drawn
// as one embedded PNG with a pixel per cell, in the displayed order, under one
// transparent band per column that carries the column's mark attributes and
// tooltip: the markup shrinks ~100-fold and the browser lays out ~300 elements
// instead of ~80,000.
const HeatmapRasterCells = 4096

// drawHeatmap draws a matrix in the given row and column orders, with categorical
// annotation tracks above the columns and a colour key. Diverging maps are centred
// on zero (blue - white - vermillion); others run white to blue.
func drawHeatmap(s *svg, f *plotdata.Figure, o Options) error {
	hm := f.Heatmap
	nr, nc := len(hm.Rows), len(hm.Cols)
	if len(hm.Values) != nr*nc {
		return fmt.Errorf("chart: heatmap %q has %d values for %d x %d", f.ID, len(hm.Values), nr, nc)
	}
	rowOrder := order(hm.RowOrder, nr)
	colOrder := order(hm.ColOrder, nc)
	showRows, showCols := nr <= 60, nc <= 60
	left := 16.0
	if showRows {
		left = 14 + 6.2*float64(maxLen(hm.Rows))
	}
	for _, tr := range hm.ColTracks {
		left = math.Max(left, 14+6.2*float64(len(tr.Name)))
	}
	trackH := 10.0
	top := 34 + trackH*float64(len(hm.ColTracks)) + 6
	bottom := 40.0
	if showCols {
		bottom = 16 + 5.5*float64(maxLen(hm.Cols))
	}
	w, h := size(o, int(left+math.Max(320, math.Min(900, 12*float64(nc)))+150), int(top+bottom+math.Max(200, math.Min(900, 12*float64(nr)))))
	fr := frame{w: w, h: h, left: left, right: 150, top: top, bottom: bottom}
	cw := (fr.x1() - fr.x0()) / float64(max(nc, 1))
	ch := (fr.y0() - fr.y1()) / float64(max(nr, 1))
	vals := make([]float64, len(hm.Values))
	for i, v := range hm.Values {
		vals[i] = float64(v)
	}
	lo, hi := extent(vals)
	if hm.Diverging {
		m := math.Max(math.Abs(lo), math.Abs(hi))
		lo, hi = -m, m
	}
	s.open(f, w, h)
	// Annotation tracks.
	for ti, tr := range hm.ColTracks {
		var seen []string
		for _, v := range tr.Values {
			seen = append(seen, v)
		}
		groups := groupsOf(nil, seen)
		colour := colours(groups)
		ty := 30 + trackH*float64(ti)
		s.text(fr.x0()-4, ty+8, "end", 9, inkColour, tr.Name)
		for ci, c := range colOrder {
			if c < len(tr.Values) {
				s.rect(fr.x0()+cw*float64(ci), ty, cw, trackH-1, colour(tr.Values[c]), "", "class", "track")
			}
		}
		// Track legend at the right.
		lx := fr.x1() + 12
		for gi, g := range groups {
			if gi >= 6 {
				break
			}
			ly := fr.y1() + 60 + float64(ti)*70 + float64(gi)*11
			s.rect(lx, ly-8, 8, 8, colour(g), "")
			s.text(lx+11, ly, "start", 9, inkColour, tr.Name+": "+g)
		}
	}
	if nr*nc > HeatmapRasterCells {
		if err := s.heatRaster(fr, vals, rowOrder, colOrder, nc, lo, hi, hm.Diverging); err != nil {
			return err
		}
		for ci, c := range colOrder {
			// One band per column carries the column's identity.
			m := mark{sample: hm.Cols[c]}
			if c < len(hm.Patients) {
				m.patient = hm.Patients[c]
			}
			m.tip = tipFor(hm.Cols[c], hm.Cols[c], m.patient)
			// Invisible (fill-opacity 0, not fill "none", so it still takes
			// the pointer; "#ffffff" rather than "transparent", which SVG 1.1
			// renderers do not know), or a white veil over a dimmed column.
			veil := "0"
			if o.Highlight != "" && m.patient != "" && m.patient != o.Highlight {
				veil = "0.75"
			}
			attrs := append(m.attrs(o), "x", num(fr.x0()+cw*float64(ci)), "y", num(fr.y1()), "width", num(cw), "height", num(ch*float64(nr)), "fill", "#ffffff", "fill-opacity", veil)
			s.el("rect", attrs, func() { s.el("title", nil, func() { s.escTo(m.tip) }) })
		}
		if showRows {
			for ri, r := range rowOrder {
				s.text(fr.x0()-4, fr.y1()+ch*(float64(ri)+0.5)+3, "end", 10, inkColour, hm.Rows[r])
			}
		}
	} else {
		for ri, r := range rowOrder {
			for ci, c := range colOrder {
				v := vals[r*nc+c]
				m := mark{sample: hm.Cols[c], tip: fmt.Sprintf("%s, %s: %s", hm.Rows[r], hm.Cols[c], fmtVal(v))}
				if c < len(hm.Patients) {
					m.patient = hm.Patients[c]
				}
				s.markEl("rect", []string{"x", num(fr.x0() + cw*float64(ci)), "y", num(fr.y1() + ch*float64(ri)), "width", num(cw + 0.3), "height", num(ch + 0.3), "fill", heat(v, lo, hi, hm.Diverging)}, m, o)
			}
			if showRows {
				s.text(fr.x0()-4, fr.y1()+ch*(float64(ri)+0.5)+3, "end", 10, inkColour, hm.Rows[r])
			}
		}
	}
	if showCols {
		for ci, c := range colOrder {
			cx, cy := fr.x0()+cw*(float64(ci)+0.5), fr.y0()+6
			s.text(cx, cy, "end", 9, inkColour, hm.Cols[c], "transform", "rotate(-60 "+num(cx)+" "+num(cy)+")")
		}
	}
	// Colour key.
	kx, ky := fr.x1()+12, fr.y1()
	for i := 0; i < 20; i++ {
		v := hi - (hi-lo)*float64(i)/19
		s.rect(kx, ky+float64(i)*2.5, 14, 2.6, heat(v, lo, hi, hm.Diverging), "")
	}
	s.text(kx+18, ky+6, "start", 9, inkColour, fmtVal(hi))
	s.text(kx+18, ky+50, "start", 9, inkColour, fmtVal(lo))
	s.close()
	return nil
}

func order(o []int, n int) []int {
	if len(o) == n {
		return o
	}
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func maxLen(names []string) int {
	m := 0
	for _, s := range names {
		m = max(m, len(s))
	}
	return min(m, 28)
}

// heat maps v in [lo, hi] to a colour "#rrggbb"; NaN is light grey.
func heat(v, lo, hi float64, diverging bool) string {
	c := heatRGB(v, lo, hi, diverging)
	return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2])
}

// heatRGB is heat as red, green and blue bytes: white to blue, or blue - white -
// vermillion centred at the middle of [lo, hi] when diverging; NaN and infinite
// values are light grey (#eeeeee).
func heatRGB(v, lo, hi float64, diverging bool) [3]uint8 {
	if !finite(v) {
		return [3]uint8{0xee, 0xee, 0xee}
	}
	t := 0.5
	if hi > lo {
		t = (v - lo) / (hi - lo)
	}
	t = math.Max(0, math.Min(1, t))
	mix := func(a, b [3]float64, u float64) [3]uint8 {
		var c [3]uint8
		for k := range c {
			c[k] = uint8(int(math.Round(a[k] + (b[k]-a[k])*u)))
		}
		return c
	}
	white := [3]float64{255, 255, 255}
	blue := [3]float64{0, 114, 178}
	red := [3]float64{213, 94, 0}
	if diverging {
		if t < 0.5 {
			return mix(blue, white, t*2)
		}
		return mix(white, red, (t-0.5)*2)
	}
	return mix(white, blue, t)
}
