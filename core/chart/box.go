package chart

import (
	"math"

	"github.com/her2het/her2het/core/plotdata"
)

// drawBox draws one box per group (Tukey hinges, 1.5 IQR whiskers) with every
// point jittered over it, and p-value brackets between groups.
func drawBox(s *svg, f *plotdata.Figure, o Options) error {
	b := f.Box
	n := len(b.Groups)
	w, h := size(o, max(400, 120+110*n), 400)
	nb := 0
	for _, t := range b.Tests {
		if t.A != "" && t.B != "" {
			nb++
		}
	}
	overall := 0.0
	for _, t := range b.Tests {
		if t.A == "" || t.B == "" {
			overall = 16
		}
	}
	fr := frame{w: w, h: h, left: 64, right: 16, top: 36 + 16*float64(nb) + overall, bottom: 58}
	var all []float64
	for _, g := range b.Groups {
		for _, v := range g.Values {
			all = append(all, float64(v))
		}
	}
	lo, hi := extent(all)
	ticks, d0, d1 := niceTicks(lo, hi, 6)
	y := linear{d0, d1, fr.y0(), fr.y1()}
	s.open(f, w, h)
	s.yAxis(fr, y, ticks, f.YLabel)
	s.line(fr.x0(), fr.y0(), fr.x1(), fr.y0(), inkColour, 1)
	band := (fr.x1() - fr.x0()) / float64(max(n, 1))
	centre := map[string]float64{}
	for i, g := range b.Groups {
		cx := fr.x0() + band*(float64(i)+0.5)
		centre[g.Name] = cx
		col := Palette[i%len(Palette)]
		s.text(cx, fr.y0()+16, "middle", 11, inkColour, g.Name)
		s.text(cx, fr.y0()+30, "middle", 10, muted, "n = "+itoa(g.Stats.N))
		st := g.Stats
		if st.N > 0 {
			bw := math.Min(band*0.55, 60)
			q1, q3, med := y.at(float64(st.LowerHinge)), y.at(float64(st.UpperHinge)), y.at(float64(st.Median))
			s.line(cx, y.at(float64(st.LowerWhisker)), cx, q1, inkColour, 1)
			s.line(cx, q3, cx, y.at(float64(st.UpperWhisker)), inkColour, 1)
			s.line(cx-bw/4, y.at(float64(st.LowerWhisker)), cx+bw/4, y.at(float64(st.LowerWhisker)), inkColour, 1)
			s.line(cx-bw/4, y.at(float64(st.UpperWhisker)), cx+bw/4, y.at(float64(st.UpperWhisker)), inkColour, 1)
			s.rect(cx-bw/2, q3, bw, q1-q3, col, inkColour, "fill-opacity", "0.18")
			s.line(cx-bw/2, med, cx+bw/2, med, inkColour, 2)
		}
		for j, v := range g.Values {
			if !finite(float64(v)) {
				continue
			}
			m := mark{tip: g.Name + ": " + fmtVal(float64(v))}
			if j < len(g.Samples) {
				m.sample = g.Samples[j]
			}
			if j < len(g.Patients) {
				m.patient = g.Patients[j]
			}
			m.tip = tipFor("", m.sample, m.patient, g.Name+" "+fmtVal(float64(v)))
			key := m.sample
			if key == "" {
				key = g.Name
			}
			jx := cx + jitter(key, j)*math.Min(band*0.18, 18)
			s.markEl("circle", []string{"cx", num(jx), "cy", num(y.at(float64(v))), "r", "3", "fill", col, "fill-opacity", "0.75", "stroke", "#ffffff", "stroke-width", "0.5"}, m, o)
		}
	}
	// Brackets for pairwise tests, stacked above the plot; an overall test as text.
	level := 0
	for _, t := range b.Tests {
		if t.A == "" || t.B == "" {
			s.text(fr.x1(), fr.y1()-8-16*float64(nb), "end", 11, inkColour, t.Label)
			continue
		}
		xa, okA := centre[t.A]
		xb, okB := centre[t.B]
		if !okA || !okB {
			continue
		}
		yy := fr.y1() - 6 - 16*float64(level)
		s.line(xa, yy, xb, yy, inkColour, 1)
		s.line(xa, yy, xa, yy+4, inkColour, 1)
		s.line(xb, yy, xb, yy+4, inkColour, 1)
		// The bracket shows the p-value; the full test description is its tooltip.
		short := t.Label
		if len(short) > 18 || short == "" {
			short = "p = " + fmtP(float64(t.P))
		}
		s.el("g", nil, func() {
			s.el("title", nil, func() { s.escTo(t.Label) })
			s.text((xa+xb)/2, yy-2, "middle", 10, inkColour, short)
		})
		level++
	}
	s.close()
	return nil
}

func itoa(n int) string { return num(float64(n)) }
