package study

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// mutateSheet applies f to every data row (fields) of a TSV sample sheet; header
// gets h applied.
func mutateSheet(sheet string, h func([]string) []string, f func([]string) []string) string {
	var b strings.Builder
	for i, line := range strings.Split(strings.TrimSpace(sheet), "\n") {
		fs := strings.Split(line, "\t")
		if i == 0 {
			fs = h(fs)
		} else {
			fs = f(fs)
		}
		b.WriteString(strings.Join(fs, "\t") + "\n")
	}
	return b.String()
}

func drop(k int) func([]string) []string {
	return func(f []string) []string { return append(append([]string(nil), f[:k]...), f[k+1:]...) }
}

func same(f []string) []string { return f }

// TestRunRobustSheets runs the study on sample sheets missing columns or with a
// constant outcome: nothing panics, Run succeeds, and affected analyses are skipped
// or reduced with a reason.
func TestRunRobustSheets(t *testing.T) {
	s := makeSynth(t, 21, 12)
	cases := []struct {
		name   string
		h, f   func([]string) []string
		skip   []string
		noSkip []string
	}{
		{"no pCR column", drop(4), drop(4), nil, []string{"qc", "amplicon"}},
		{"all pCR", same, func(f []string) []string { f[4] = "Yes"; return f }, nil, []string{"qc"}},
		{"no timepoint", drop(2), drop(2), []string{"change"}, []string{"qc", "amplicon"}},
		{"no patient", drop(1), drop(1), []string{"change"}, []string{"qc"}},
		{"no HET no pCR", func(f []string) []string { return f[:4] }, func(f []string) []string { return f[:4] }, []string{"amplicon", "response"}, []string{"qc", "pam50"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := &Inputs{}
			for _, f := range []struct{ n, x string }{{"counts.tsv", s.Counts}, {"samples.tsv", mutateSheet(s.Samples, c.h, c.f)}} {
				if _, err := in.Add(f.n, strings.NewReader(f.x), nil); err != nil {
					t.Fatal(err)
				}
			}
			p := testParams()
			p.GSEAPerm = 50
			res, err := Run(context.Background(), in, p, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range c.skip {
				if res.Section(id).Skipped == "" {
					t.Errorf("%s should be skipped", id)
				}
			}
			for _, id := range c.noSkip {
				if sk := res.Section(id).Skipped; sk != "" {
					t.Errorf("%s skipped: %s", id, sk)
				}
			}
		})
	}
}

// FuzzAdd feeds arbitrary bytes to Add: it must not panic, and a failed Add must
// leave the Inputs unchanged.
func FuzzAdd(f *testing.F) {
	f.Add("x.tsv", []byte("gene\ts1\ts2\nA\t1\t2\n"))
	f.Add("s.tsv", []byte("sampleID\tpatientID\tpCR\ns1\tp1\tYes\n"))
	f.Add("c.tsv", []byte("sample\tERBB2\tCEP17\nT1\t4\t2\n"))
	f.Add("t.tsv", []byte("TargetName\tseg1\nERBB2\t3\n"))
	f.Add("g.gz", []byte{0x1f, 0x8b, 0, 1})
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		in := &Inputs{}
		if _, err := in.Add("base.tsv", strings.NewReader("gene\ts1\ts2\nA\t1\t2\n"), nil); err != nil {
			t.Fatal(err)
		}
		n := len(in.Files)
		if _, err := in.Add(name, bytes.NewReader(data), nil); err != nil {
			if len(in.Files) != n || len(in.matrices) != 1 || in.sheet != nil || len(in.cells) != 0 {
				t.Fatalf("failed Add changed the inputs")
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
		}
	})
}
