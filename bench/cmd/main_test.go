package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// writeTiny writes a 300-gene x 12-sample data folder like bench/gen's.
func writeTiny(t *testing.T) string {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(1, 2))
	var c, s, g strings.Builder
	c.WriteString("gene_id")
	s.WriteString("sample\tpatient\ttimepoint\n")
	for j := 0; j < 12; j++ {
		fmt.Fprintf(&c, "\tS%02d", j)
		tp := "pre"
		if j >= 6 {
			tp = "post"
		}
		fmt.Fprintf(&s, "S%02d\tP%d\t%s\n", j, j%6, tp)
	}
	c.WriteString("\n")
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&c, "GENE%05d", i+1)
		base := 5 + r.ExpFloat64()*200
		for j := 0; j < 12; j++ {
			fmt.Fprintf(&c, "\t%d", int(base*(0.5+r.Float64())))
		}
		c.WriteString("\n")
	}
	for k := 0; k < 5; k++ {
		fmt.Fprintf(&g, "SET_%d\tx", k)
		for i := 0; i < 20; i++ {
			fmt.Fprintf(&g, "\tGENE%05d", 1+k*40+i)
		}
		g.WriteString("\n")
	}
	for name, text := range map[string]string{"counts_12.tsv": c.String(), "samples_12.tsv": s.String(), "sets.gmt": g.String(), "parse_300x12.tsv": c.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestSteps runs every step on a tiny data set and checks that each prints a
// time and no error.
func TestSteps(t *testing.T) {
	dir := writeTiny(t)
	var got []string
	emitFn = func(name string, m measurement, err error) {
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if m.wall <= 0 {
			t.Errorf("%s: wall %v", name, m.wall)
		}
		got = append(got, name)
	}
	defer func() { emitFn = emit }()
	steps := map[string]bool{}
	for _, s := range allSteps {
		steps[s] = true
	}
	if err := runShape(dir, 12, 1, steps); err != nil {
		t.Fatal(err)
	}
	sort.Strings(got)
	want := "deseq_paired/300x12 deseq_timepoint/300x12 gsva/300x12 ssgsea/300x12 voom/300x12 voom_dupcor/300x12"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("steps %q, want %q", s, want)
	}
}

func TestNthNewline(t *testing.T) {
	b := []byte("a\nbb\nccc\n")
	for _, tc := range []struct{ n, want int }{{1, 1}, {2, 4}, {3, 8}, {4, -1}} {
		if got := nthNewline(b, tc.n); got != tc.want {
			t.Errorf("nthNewline(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}
