package chart

import (
	"encoding/xml"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// numRef is num as it was written first: strconv's shortest formatting of the
// value rounded to two decimals.
func numRef(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	r := math.Round(v*100) / 100
	if r == 0 {
		r = 0
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// TestNumSameText: num's integer path writes exactly strconv's text, for
// coordinates, halves, tiny, huge and special values and random magnitudes.
func TestNumSameText(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), -0.004, 0.004, 0.005, -0.005, 0.015, 1.005, 2.675, 0.1, 0.29, 1, -1, 10.5, 99.99,
		123456.785, 1e11 + 0.01, 9.99999999999e11, 1e12, -1e12, 1e12 + 0.5, 1e13, 1e15 + 0.25, 1e20, -3e300, 5e-324,
		math.MaxFloat64, math.NaN(), math.Inf(1), math.Inf(-1)}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200000; i++ {
		e := r.IntN(30) - 8
		v := (r.Float64()*2 - 1) * math.Pow(10, float64(e))
		vals = append(vals, v, math.Round(v*100)/100, math.Round(v*1000)/1000, float64(r.IntN(100000))/100)
	}
	for _, v := range vals {
		if got, want := num(v), numRef(v); got != want {
			t.Fatalf("num(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestEscSameText: esc and escTo give xml.EscapeText's text.
func TestEscSameText(t *testing.T) {
	for _, s := range []string{"", "plain text 1.5", "a<b", "x & y", `"q"`, "it's", "tab\there", "nl\n", "cr\r", "\x01ctl", "\x7fdel",
		"ünï", "HER2 > 2.0", "<>&'\"", "a\xffb", "end>"} {
		var b strings.Builder
		xml.EscapeText(&b, []byte(s))
		if got := esc(s); got != b.String() {
			t.Errorf("esc(%q) = %q, want %q", s, got, b.String())
		}
		var w svg
		w.escTo(s)
		if w.b.String() != b.String() {
			t.Errorf("escTo(%q) = %q, want %q", s, w.b.String(), b.String())
		}
	}
}

// TestTipFor: tipFor joins like strings.Join, empty parts kept.
func TestTipFor(t *testing.T) {
	cases := []struct {
		label, sample, patient string
		parts                  []string
		want                   string
	}{
		{"", "", "", nil, ""},
		{"ERBB2", "", "", []string{"x 1, y 2"}, "ERBB2; x 1, y 2"},
		{"S1", "S1", "P1", nil, "S1; patient P1"},
		{"", "S1", "", []string{"", "b"}, "sample S1; ; b"},
		{"", "", "", []string{"", ""}, "; "},
		{"L", "S", "P", []string{"a"}, "L; sample S; patient P; a"},
	}
	for _, c := range cases {
		if got := tipFor(c.label, c.sample, c.patient, c.parts...); got != c.want {
			t.Errorf("tipFor(%q, %q, %q, %q) = %q, want %q", c.label, c.sample, c.patient, c.parts, got, c.want)
		}
	}
}
