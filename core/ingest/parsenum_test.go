package ingest

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestParseNum(t *testing.T) {
	cases := []struct {
		in    string
		v     float64
		class numClass
	}{
		{"12", 12, numInt}, {"-3", -3, numInt}, {"12.0", 12, numInt}, {"12.5", 12.5, numReal}, {"0.1", 0.1, numReal},
		{"1e3", 1000, numInt}, {"1.5E-2", 0.015, numReal}, {" 7 ", 7, numInt}, {"", math.NaN(), numMissing},
		{"NA", math.NaN(), numMissing}, {"NaN", math.NaN(), numMissing}, {"#N/A", math.NaN(), numMissing},
		{"Inf", math.Inf(1), numInf}, {"-Inf", math.Inf(-1), numInf}, {"1e999", math.Inf(1), numInf},
		{"abc", math.NaN(), numBad}, {"12a", math.NaN(), numBad}, {"0x1p3", math.NaN(), numBad}, {"1_000", math.NaN(), numBad},
		{".", math.NaN(), numMissing}, {"5.", 5, numInt}, {"-.5", -0.5, numReal},
	}
	for _, c := range cases {
		v, cls := parseNum([]byte(c.in), false)
		if cls != c.class || !(v == c.v || math.IsNaN(v) && math.IsNaN(c.v)) {
			t.Errorf("parseNum(%q) = %g %v, want %g %v", c.in, v, cls, c.v, c.class)
		}
	}
	if v, cls := parseNum([]byte("12,5"), true); v != 12.5 || cls != numReal {
		t.Errorf("decimal comma: %g %v", v, cls)
	}
}

// TestParseNumMatchesStrconv: the fast decimal path is bit-identical to strconv.
func TestParseNumMatchesStrconv(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 200000; i++ {
		x := (r.Float64() - 0.3) * math.Pow(10, float64(r.IntN(12)-4))
		s := strconv.FormatFloat(x, 'f', r.IntN(12), 64)
		want, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := parseNum([]byte(s), false)
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("parseNum(%q) = %v (%x), strconv %v (%x)", s, got, math.Float64bits(got), want, math.Float64bits(want))
		}
	}
}
