package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNormVST runs `her2het norm --method vst` for each fit type on the demo cohort's
// first genes: the output has one row per gene and one column per sample, every
// value is finite, and the header names the fit DESeq2 would report.
func TestNormVST(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if status := run([]string{"demo", "--genes", "2000", "--out", dir}, &out, &errb); status != 0 {
		t.Fatalf("demo: %s", errb.String())
	}
	for _, fit := range []string{"parametric", "local", "mean"} {
		t.Run(fit, func(t *testing.T) {
			res := filepath.Join(dir, "vst-"+fit+".tsv")
			var out, errb bytes.Buffer
			if status := run([]string{"norm", "--counts", filepath.Join(dir, "counts.tsv.gz"), "--method", "vst", "--fit", fit, "--out", res}, &out, &errb); status != 0 {
				t.Fatalf("norm: %s", errb.String())
			}
			b, err := os.ReadFile(res)
			if err != nil {
				t.Fatal(err)
			}
			var header, rows []string
			for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
				if strings.HasPrefix(l, "#") {
					header = append(header, l)
				} else {
					rows = append(rows, l)
				}
			}
			h := strings.Join(header, "\n")
			if !strings.Contains(h, `fitType="`+fit+`"`) || !strings.Contains(h, "dispersion trend: ") {
				t.Fatalf("header does not describe the fit:\n%s", h)
			}
			if len(rows) != 2001 {
				t.Fatalf("%d lines, want a header line and 2000 genes", len(rows))
			}
			ncol := len(strings.Split(rows[0], "\t"))
			for i, r := range rows[1:] {
				f := strings.Split(r, "\t")
				if len(f) != ncol {
					t.Fatalf("row %d has %d fields, want %d", i+1, len(f), ncol)
				}
				for _, v := range f[1:] {
					x, err := strconv.ParseFloat(v, 64)
					if err != nil || x != x || x < -5 || x > 40 {
						t.Fatalf("row %d: value %q is not a finite log2-scale value", i+1, v)
					}
				}
			}
		})
	}
}
