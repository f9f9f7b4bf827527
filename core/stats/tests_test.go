package stats

import (
	"strings"
	"testing"
)

func parseTable(t *testing.T, s string) [][]float64 {
	var m [][]float64
	for _, r := range strings.Split(s, "|") {
		m = append(m, parseVec(t, r))
	}
	return m
}

// opt returns the value of key in an R-style "k=v,k2=v2" option string.
func opt(opts, key string) (string, bool) {
	for _, kv := range strings.Split(opts, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v, true
		}
	}
	return "", false
}

func altOf(opts string) Alternative {
	v, _ := opt(opts, "alt")
	switch v {
	case "less":
		return Less
	case "greater":
		return Greater
	}
	return TwoSided
}

func boolPtr(b bool) *bool { return &b }

// TestAgainstR compares every test with R 4.2.2 results in testdata/tests.tsv
// (testdata/gen/tests.R). Tolerances: p-values rel 1e-10 (abs 1e-300),
// statistics rel 1e-12, Fisher odds-ratio estimate and interval rel 1e-9
// (R finds them with uniroot, re-implemented step by step), correlation
// intervals rel 1e-12; method strings exactly.
func TestAgainstR(t *testing.T) {
	n := 0
	for i, row := range readTSV(t, "tests.tsv") {
		line := i + 2
		name, test, opts := row[0], row[1], row[2]
		want := struct{ stat, df, p, est, lo, hi []float64 }{
			parseVec(t, row[5]), parseVec(t, row[6]), parseVec(t, row[7]), parseVec(t, row[8]), parseVec(t, row[9]), parseVec(t, row[10]),
		}
		method := row[11]
		var res Result
		var err error
		switch test {
		case "wilcox", "signrank_paired", "signrank_one":
			o := WilcoxOptions{Alternative: altOf(opts), Correct: true}
			if v, ok := opt(opts, "correct"); ok && v == "FALSE" {
				o.Correct = false
			}
			if v, ok := opt(opts, "exact"); ok {
				o.Exact = boolPtr(v == "TRUE")
			}
			if v, ok := opt(opts, "mu"); ok {
				o.Mu = parseVec(t, v)[0]
			}
			x := parseVec(t, row[3])
			var y []float64
			if test != "signrank_one" {
				y = parseVec(t, row[4])
			}
			o.Paired = test == "signrank_paired"
			res, err = WilcoxTest(x, y, o)
		case "kruskal":
			var g [][]float64
			for _, s := range strings.Split(row[3], "|") {
				g = append(g, parseVec(t, s))
			}
			res, err = KruskalTest(g)
		case "fisher":
			o := FisherOptions{Alternative: altOf(opts)}
			if v, ok := opt(opts, "or"); ok {
				o.OR = parseVec(t, v)[0]
			}
			if v, ok := opt(opts, "conf"); ok {
				o.ConfLevel = parseVec(t, v)[0]
			}
			res, err = FisherTest(parseTable(t, row[3]), o)
		case "chisq":
			v, _ := opt(opts, "correct")
			res, err = ChisqTest(parseTable(t, row[3]), v == "TRUE")
		case "pearson", "spearman":
			o := CorOptions{Alternative: altOf(opts)}
			if test == "spearman" {
				o.Method = Spearman
			}
			if v, ok := opt(opts, "exact"); ok {
				o.Exact = boolPtr(v == "TRUE")
			}
			if v, ok := opt(opts, "conf"); ok {
				o.ConfLevel = parseVec(t, v)[0]
			}
			res, err = CorTest(parseVec(t, row[3]), parseVec(t, row[4]), o)
		default:
			t.Fatalf("line %d: unknown test %s", line, test)
		}
		if err != nil {
			t.Errorf("line %d %s %s %s: %v", line, name, test, opts, err)
			continue
		}
		n++
		id := name + " " + test + " " + opts
		if res.Method != method {
			t.Errorf("line %d %s: method %q, R %q", line, id, res.Method, method)
		}
		check := func(what string, got, want, rel, abs float64) {
			if !close(got, want, rel, abs) {
				t.Errorf("line %d %s: %s = %.17g, R %.17g", line, id, what, got, want)
			}
		}
		check("statistic", res.Statistic, want.stat[0], 1e-12, 0)
		check("p.value", res.PValue, want.p[0], 1e-10, 1e-300)
		check("df", res.DF, want.df[0], 0, 0)
		estTol := 1e-12
		if test == "fisher" {
			estTol = 1e-9
		}
		check("estimate", res.Estimate, want.est[0], estTol, 0)
		check("conf.low", res.ConfInt[0], want.lo[0], estTol, 1e-300)
		check("conf.high", res.ConfInt[1], want.hi[0], estTol, 1e-300)
	}
	if n < 200 {
		t.Errorf("only %d reference rows", n)
	}
}

// TestPairwiseAgainstR compares PairwiseWilcoxTest with R 4.2.2
// pairwise.wilcox.test (testdata/pairwise.tsv), rel 1e-10.
func TestPairwiseAgainstR(t *testing.T) {
	for _, row := range readTSV(t, "pairwise.tsv") {
		var g [][]float64
		for _, s := range strings.Split(row[2], "|") {
			g = append(g, parseVec(t, s))
		}
		m := map[string]AdjustMethod{"BH": BH, "holm": Holm}[row[1]]
		P, err := PairwiseWilcoxTest(g, m, WilcoxOptions{Correct: true})
		if err != nil {
			t.Fatal(err)
		}
		want := parseVec(t, row[3])
		// R's (k-1)x(k-1) matrix: row i+1 (group i+1), column j; lower
		// triangle incl. diagonal in column-major order.
		k := len(g)
		n := 0
		for j := 0; j < k-1; j++ {
			for i := j; i < k-1; i++ {
				if got := P[i+1][j]; !close(got, want[n], 1e-10, 1e-300) {
					t.Errorf("%s %s P[%d][%d] = %.17g, R %.17g", row[0], row[1], i+1, j, got, want[n])
				}
				n++
			}
		}
	}
}

// TestWilcoxConfIntAgainstR compares the Hodges-Lehmann estimate and
// interval with R 4.2.2 wilcox.test(conf.int=TRUE) (testdata/wilcoxci.tsv):
// exact branch (sorted differences) rel 1e-15; normal branch (uniroot with
// tol 1e-4, re-implemented) rel 1e-12.
func TestWilcoxConfIntAgainstR(t *testing.T) {
	for _, row := range readTSV(t, "wilcoxci.tsv") {
		opts := row[1]
		o := WilcoxOptions{Alternative: altOf(opts), ConfInt: true}
		if v, _ := opt(opts, "correct"); v == "TRUE" {
			o.Correct = true
		}
		if v, ok := opt(opts, "conf"); ok {
			o.ConfLevel = parseVec(t, v)[0]
		}
		res, err := WilcoxTest(parseVec(t, row[2]), parseVec(t, row[3]), o)
		if err != nil {
			t.Fatal(err)
		}
		id := row[0] + " " + opts
		for _, c := range []struct {
			what      string
			got, want float64
		}{{"estimate", res.Estimate, parseVec(t, row[4])[0]}, {"conf.low", res.ConfInt[0], parseVec(t, row[5])[0]},
			{"conf.high", res.ConfInt[1], parseVec(t, row[6])[0]}, {"conf.level", res.ConfLevel, parseVec(t, row[7])[0]}} {
			if !close(c.got, c.want, 1e-12, 1e-300) {
				t.Errorf("%s: %s = %.17g, R %.17g", id, c.what, c.got, c.want)
			}
		}
	}
}

// TestSignRankConfIntAgainstR compares the (pseudo)median and interval with
// R 4.2.2 wilcox.test(paired/one-sample, conf.int=TRUE)
// (testdata/signrankci.tsv), rel 1e-12.
func TestSignRankConfIntAgainstR(t *testing.T) {
	for _, row := range readTSV(t, "signrankci.tsv") {
		opts := row[2]
		o := WilcoxOptions{Alternative: altOf(opts), ConfInt: true, Paired: row[1] == "paired"}
		if v, _ := opt(opts, "correct"); v == "TRUE" {
			o.Correct = true
		}
		if v, ok := opt(opts, "mu"); ok {
			o.Mu = parseVec(t, v)[0]
		}
		var y []float64
		if o.Paired {
			y = parseVec(t, row[4])
		}
		res, err := WilcoxTest(parseVec(t, row[3]), y, o)
		if err != nil {
			t.Fatal(err)
		}
		id := row[0] + " " + row[1] + " " + opts
		for _, c := range []struct {
			what      string
			got, want float64
		}{{"estimate", res.Estimate, parseVec(t, row[5])[0]}, {"conf.low", res.ConfInt[0], parseVec(t, row[6])[0]},
			{"conf.high", res.ConfInt[1], parseVec(t, row[7])[0]}, {"conf.level", res.ConfLevel, parseVec(t, row[8])[0]}} {
			if !close(c.got, c.want, 1e-12, 1e-300) {
				t.Errorf("%s: %s = %.17g, R %.17g", id, c.what, c.got, c.want)
			}
		}
	}
}
