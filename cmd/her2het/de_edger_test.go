package main

import (
	"bytes"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestDEEdgerQL runs `her2het de --method edger-ql` on a core/edger golden
// input: edgeR's columns in input order, the defaults in the header, and the
// same kept genes as edgeR (testdata/three_edger.tsv).
func TestDEEdgerQL(t *testing.T) {
	dir := "../../core/edger/testdata/"
	var out, errb bytes.Buffer
	status := run([]string{"de", "--method", "edger-ql", "--counts", dir + "three_counts.tsv", "--samples", dir + "three_samples.tsv",
		"--design", "~ group", "--contrast", "group,C,B", "--workers", "1", "--out", "-"}, &out, &errb)
	if status != 0 {
		t.Fatalf("status %d: %s", status, errb.String())
	}
	s := out.String()
	for _, want := range []string{"# method=edger-ql: glmQLFTest(contrast=0,-1,1", "estimateDisp(trend.method=\"locfit\"", "\ngene\tlogFC\tlogCPM\tF\tPValue\tFDR\n"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	var genes []string
	gotF := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if strings.HasPrefix(l, "#") || strings.HasPrefix(l, "gene\t") {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 6 {
			t.Fatalf("row %q has %d fields", l, len(f))
		}
		genes = append(genes, f[0])
		gotF[f[0]] = f[3]
	}
	raw, err := os.ReadFile(dir + "three_edger.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, l := range strings.Split(string(raw), "\n") {
		if !strings.HasPrefix(l, "#") && l != "" {
			f := strings.Split(l, "\t")
			want = append(want, f[0])
			if f[0] == "gene" {
				continue
			}
			// F against edgeR (column 9 of the golden), rel 1e-6
			g, _ := strconv.ParseFloat(gotF[f[0]], 64)
			w, _ := strconv.ParseFloat(f[8], 64)
			if math.Abs(g-w) > 1e-6*math.Max(math.Abs(w), 1e-3) {
				t.Errorf("%s: F %v, edgeR %v", f[0], g, w)
			}
		}
	}
	if strings.Join(genes, ",") != strings.Join(want[1:], ",") {
		t.Errorf("kept genes: %d, edgeR %d", len(genes), len(want)-1)
	}

	out.Reset()
	errb.Reset()
	if status := run([]string{"de", "--method", "edgeR", "--counts", "x", "--samples", "y", "--design", "~ g", "--out", "-"}, &out, &errb); status != 2 {
		t.Errorf("bad method: status %d", status)
	}
}
