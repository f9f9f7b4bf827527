package chart

import (
	"bytes"
	"encoding/xml"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
)

// Palette is the Okabe-Ito colour-blind-safe palette, in the order groups get it.
var Palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}

const (
	font      = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"
	inkColour = "#1d2330"
	gridColor = "#e3e7ee"
	muted     = "#5b6475"
)

// svg accumulates SVG markup.
type svg struct {
	b bytes.Buffer
}

// num formats a coordinate with at most two decimals, without trailing zeros.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	r := math.Round(v*100) / 100
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (s *svg) raw(str string) { s.b.WriteString(str) }

// el writes <name attr="v" ...> with attributes given as name, value pairs; when
// body is nil the element is closed with />, otherwise body is written inside.
func (s *svg) el(name string, attrs []string, body func()) {
	s.b.WriteByte('<')
	s.b.WriteString(name)
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] == "" && attrs[i] != "fill" {
			continue
		}
		s.b.WriteByte(' ')
		s.b.WriteString(attrs[i])
		s.b.WriteString(`="`)
		s.b.WriteString(esc(attrs[i+1]))
		s.b.WriteByte('"')
	}
	if body == nil {
		s.b.WriteString("/>")
		return
	}
	s.b.WriteByte('>')
	body()
	s.b.WriteString("</")
	s.b.WriteString(name)
	s.b.WriteByte('>')
}

func (s *svg) text(x, y float64, anchor string, size float64, fill, str string, extra ...string) {
	attrs := append([]string{"x", num(x), "y", num(y), "text-anchor", anchor, "font-size", num(size), "fill", fill}, extra...)
	s.el("text", attrs, func() { s.raw(esc(str)) })
}

func (s *svg) line(x1, y1, x2, y2 float64, stroke string, width float64, extra ...string) {
	attrs := append([]string{"x1", num(x1), "y1", num(y1), "x2", num(x2), "y2", num(y2), "stroke", stroke, "stroke-width", num(width)}, extra...)
	s.el("line", attrs, nil)
}

func (s *svg) rect(x, y, w, h float64, fill, stroke string, extra ...string) {
	attrs := append([]string{"x", num(x), "y", num(y), "width", num(math.Max(w, 0)), "height", num(math.Max(h, 0)), "fill", fill, "stroke", stroke}, extra...)
	s.el("rect", attrs, nil)
}

// mark describes a data mark's identity for tooltips and highlighting.
type mark struct {
	sample, patient, tip string
}

func (m mark) attrs(o Options) []string {
	class := "mark"
	if o.Highlight != "" && m.patient != "" {
		if m.patient == o.Highlight {
			class += " hl"
		} else {
			class += " dim"
		}
	}
	return []string{"class", class, "data-sample", m.sample, "data-patient", m.patient}
}

// markEl writes a mark element with its tooltip.
func (s *svg) markEl(name string, attrs []string, m mark, o Options) {
	all := append(m.attrs(o), attrs...)
	if o.Highlight != "" && m.patient != "" && m.patient != o.Highlight {
		all = append(all, "opacity", "0.25")
	}
	s.el(name, all, func() { s.el("title", nil, func() { s.raw(esc(m.tip)) }) })
}

// jitter returns a deterministic offset in [-1, 1] from a name.
func jitter(name string, i int) float64 {
	h := fnv.New32a()
	h.Write([]byte(name))
	h.Write([]byte{byte(i), byte(i >> 8), byte(i >> 16)})
	return float64(h.Sum32())/float64(math.MaxUint32)*2 - 1
}

// fmtVal formats a data value for tooltips and labels: 4 significant digits.
func fmtVal(v float64) string {
	if math.IsNaN(v) {
		return "NA"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// fmtP formats a p-value as journals do.
func fmtP(p float64) string {
	switch {
	case math.IsNaN(p):
		return "NA"
	case p < 1e-4:
		return strconv.FormatFloat(p, 'e', 1, 64)
	case p < 0.001:
		return strconv.FormatFloat(p, 'f', 4, 64)
	}
	return strconv.FormatFloat(p, 'f', 3, 64)
}
