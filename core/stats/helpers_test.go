package stats

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// parseVec parses a comma-separated %.17g vector with NA as NaN.
func parseVec(t *testing.T, s string) []float64 {
	t.Helper()
	if s == "" {
		return nil
	}
	fs := strings.Split(s, ",")
	v := make([]float64, len(fs))
	for i, f := range fs {
		if f == "NA" {
			v[i] = math.NaN()
			continue
		}
		x, err := strconv.ParseFloat(f, 64)
		if err != nil {
			t.Fatalf("parse %q: %v", f, err)
		}
		v[i] = x
	}
	return v
}

// readTSV returns the rows (without header) of a testdata TSV file.
func readTSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var rows [][]string
	first := true
	for {
		line, err := r.ReadString('\n')
		line = strings.TrimRight(line, "\r\n")
		if line != "" {
			if !first {
				rows = append(rows, strings.Split(line, "\t"))
			}
			first = false
		}
		if err != nil {
			break
		}
	}
	return rows
}

// close reports whether got equals want within relative tolerance rel or
// absolute tolerance abs (NaN matches NaN, infinities must be equal).
func close(got, want, rel, abs float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	if math.IsInf(want, 0) || math.IsInf(got, 0) {
		return got == want
	}
	d := math.Abs(got - want)
	return d <= abs || d <= rel*math.Abs(want)
}

// TestHelpersAgainstR checks Rank, Order, Quantile, Median, MAD, Mean,
// TrimmedMean, Var, Lowess and PAdjust against R 4.2.2 values in
// testdata/helpers.tsv (testdata/gen/helpers.R). Tolerances: ranks and orders
// exact; summaries rel 1e-15; lowess rel 1e-12 (abs 1e-13); p.adjust rel 1e-15.
func TestHelpersAgainstR(t *testing.T) {
	ties := map[string]Ties{"average": Average, "min": Min, "max": Max, "first": First, "last": Last}
	methods := map[string]AdjustMethod{"BH": BH, "BY": BY, "holm": Holm, "hochberg": Hochberg, "bonferroni": Bonferroni, "hommel": Hommel}
	for i, row := range readTSV(t, "helpers.tsv") {
		name, fn, param := row[0], row[1], row[2]
		x := parseVec(t, row[3])
		y := parseVec(t, row[4])
		want := parseVec(t, row[5])
		xCopy := append([]float64(nil), x...)
		var got []float64
		rel, abs := 1e-15, 0.0
		switch fn {
		case "rank":
			got = Rank(x, ties[param])
			rel = 0
		case "order":
			o := Order(x, param == "dec")
			for _, v := range o {
				got = append(got, float64(v))
			}
			rel = 0
		case "quantile":
			p, _ := strconv.ParseFloat(param, 64)
			got = []float64{Quantile(x, p)}
		case "median":
			got = []float64{Median(x)}
		case "mad":
			got = []float64{MAD(x)}
		case "mean":
			got = []float64{Mean(x)}
		case "trim":
			p, _ := strconv.ParseFloat(param, 64)
			got = []float64{TrimmedMean(x, p)}
		case "var":
			got = []float64{Var(x)}
			rel = 1e-14
		case "lowess", "lowessx":
			f, iter, delta := 2.0/3, 3, LowessDelta(x)
			switch param {
			case "f=0.2,iter=0":
				f, iter = 0.2, 0
			case "f=0.5":
				f = 0.5
			case "f=0.3,delta=0.05":
				f, delta = 0.3, 0.05
			}
			sx, fit := Lowess(x, y, f, iter, delta)
			got = fit
			if fn == "lowessx" {
				got = sx
			}
			rel, abs = 1e-12, 1e-13
		case "padjust":
			got = PAdjust(x, methods[param])
		case "padjustN":
			got = PAdjustN(x, methods[param], 20)
		default:
			t.Fatalf("row %d: unknown fn %s", i+2, fn)
		}
		if len(got) != len(want) {
			t.Errorf("row %d %s/%s/%s: len %d, want %d", i+2, name, fn, param, len(got), len(want))
			continue
		}
		for k := range got {
			if !close(got[k], want[k], rel, abs) {
				t.Errorf("row %d %s/%s/%s [%d]: got %.17g want %.17g", i+2, name, fn, param, k, got[k], want[k])
				break
			}
		}
		for k := range x {
			if !(x[k] == xCopy[k] || math.IsNaN(x[k]) && math.IsNaN(xCopy[k])) {
				t.Fatalf("row %d: input modified", i+2)
			}
		}
	}
}
