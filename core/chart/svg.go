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

// num formats a coordinate with at most two decimals, without trailing zeros:
// strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64), "0" for NaN, ±Inf and
// -0. Below 1e12 in magnitude it writes the integer round(100 v) with a decimal
// point instead (the same text: the shortest decimal that reads back as a double
// within 0.005 of n/100 is n/100 itself at that magnitude), which allocates only
// the result (strconv's shortest formatting costs much more under js/wasm, where
// a figure of 20,000 points formats 40,000 coordinates).
func num(v float64) string {
	var buf [32]byte
	return string(appendNum(buf[:0], v))
}

// appendNum appends num(v) to b.
func appendNum(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, '0')
	}
	r100 := math.Round(v * 100)
	if math.Abs(r100) < 1e14 {
		n := int64(r100)
		if n == 0 {
			return append(b, '0')
		}
		if n < 0 {
			b = append(b, '-')
			n = -n
		}
		b = strconv.AppendInt(b, n/100, 10)
		if f := n % 100; f != 0 {
			b = append(b, '.', byte('0'+f/10))
			if f%10 != 0 {
				b = append(b, byte('0'+f%10))
			}
		}
		return b
	}
	r := r100 / 100
	return strconv.AppendFloat(b, r, 'f', -1, 64)
}

// plainXML reports whether s needs no escaping by xml.EscapeText: printable
// ASCII without the five markup characters.
func plainXML(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= 0x80, c == '"', c == '\'', c == '&', c == '<', c == '>':
			return false
		}
	}
	return true
}

// esc escapes s as xml.EscapeText does (s itself when nothing needs escaping).
func esc(s string) string {
	if plainXML(s) {
		return s
	}
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// escTo writes esc(str).
func (s *svg) escTo(str string) {
	if plainXML(str) {
		s.b.WriteString(str)
		return
	}
	xml.EscapeText(&s.b, []byte(str))
}

func (s *svg) raw(str string) { s.b.WriteString(str) }

// el writes <name attr="v" ...> with attributes given as name, value pairs; when
// body is nil the element is closed with />, otherwise body is written inside.
func (s *svg) el(name string, attrs []string, body func()) {
	s.b.WriteByte('<')
	s.b.WriteString(name)
	s.attrs(attrs)
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

// attrs writes name="value" pairs, escaped; an empty value drops its attribute
// (except fill, where empty means the default).
func (s *svg) attrs(attrs []string) {
	for i := 0; i+1 < len(attrs); i += 2 {
		s.attr(attrs[i], attrs[i+1])
	}
}

func (s *svg) attr(name, v string) {
	if v == "" && name != "fill" {
		return
	}
	s.b.WriteByte(' ')
	s.b.WriteString(name)
	s.b.WriteString(`="`)
	s.escTo(v)
	s.b.WriteByte('"')
}

func (s *svg) text(x, y float64, anchor string, size float64, fill, str string, extra ...string) {
	attrs := append([]string{"x", num(x), "y", num(y), "text-anchor", anchor, "font-size", num(size), "fill", fill}, extra...)
	s.el("text", attrs, func() { s.escTo(str) })
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

// class is the mark's class attribute under o's highlight.
func (m mark) class(o Options) string {
	if o.Highlight != "" && m.patient != "" {
		if m.patient == o.Highlight {
			return "mark hl"
		}
		return "mark dim"
	}
	return "mark"
}

func (m mark) attrs(o Options) []string {
	return []string{"class", m.class(o), "data-sample", m.sample, "data-patient", m.patient}
}

// markEl writes a mark element with its tooltip: class, data-sample and
// data-patient, then attrs, then opacity 0.25 when another patient is
// highlighted, and a <title> with the tip inside.
func (s *svg) markEl(name string, attrs []string, m mark, o Options) {
	s.b.WriteByte('<')
	s.b.WriteString(name)
	s.attr("class", m.class(o))
	s.attr("data-sample", m.sample)
	s.attr("data-patient", m.patient)
	s.attrs(attrs)
	if o.Highlight != "" && m.patient != "" && m.patient != o.Highlight {
		s.attr("opacity", "0.25")
	}
	s.b.WriteString("><title>")
	s.escTo(m.tip)
	s.b.WriteString("</title></")
	s.b.WriteString(name)
	s.b.WriteByte('>')
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
