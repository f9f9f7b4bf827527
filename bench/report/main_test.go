package main

import (
	"math"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	in := `message line
deseq_timepoint/20000x285 2.5000 cpu=2.4 heapMB=100.0 sysMB=200.0 padj<0.1=300
voom_dupcor/20000x285 NA error="x"
gsva/20000x285 700 cpu=650 extrapolated=10.00
deseq_timepoint/20000x285 9999 cpu=9999 extrapolated=10.00
`
	m := Parse(strings.NewReader(in))
	if len(m) != 3 {
		t.Fatalf("%d lines parsed, want 3", len(m))
	}
	if l := m["deseq_timepoint/20000x285"]; l.Wall != 2.5 || l.Num("cpu") != 2.4 || l.Extra["padj<0.1"] != "300" {
		t.Errorf("parsed %+v", l)
	}
	if l := m["voom_dupcor/20000x285"]; !math.IsNaN(l.Wall) {
		t.Errorf("NA parsed as %v", l.Wall)
	}
	if s := fmtSec(m["gsva/20000x285"]); s != "~700" {
		t.Errorf("extrapolated time shown as %q", s)
	}
}

// TestRender: ratios are R/ours and the goal row says whether it is met; the
// example analysis's goal is a time in seconds.
func TestRender(t *testing.T) {
	res := map[string]map[string]*Line{
		"R":    Parse(strings.NewReader("deseq_timepoint/20000x285 60 cpu=50\ngsva/20000x285 24 cpu=16\nvoom/20000x285 3 cpu=3\n")),
		"go1":  Parse(strings.NewReader("deseq_timepoint/20000x285 2 cpu=2\ngsva/20000x285 2 cpu=2\nvoom/20000x285 0.2 cpu=0.2\n")),
		"go2":  Parse(strings.NewReader("voom/20000x285 0.1 cpu=0.2\n")),
		"wasm": Parse(strings.NewReader("deseq_timepoint/20000x285 20 cpu=-1\n")),
		"browser": Parse(strings.NewReader("deseq_timepoint/20000x285 15 cpu=NA workers=2\n" +
			"example_analysis/20000x285 31.5 cpu=NA workers=2\n")),
	}
	var b strings.Builder
	Render(&b, res)
	out := b.String()
	for _, want := range []string{
		"| deseq_timepoint/20000x285 | 60 | 2 | - | 20 | 15 | 30x | 25x | - | 3x | 4x |",
		"| deseq_timepoint/20000x285 (go1) | >= 20x R natively on one core | 30x | 25x | yes |",
		"| gsva/20000x285 (go1) | >= 10x GSVA natively | 12x | 8x | wall only |",
		"| voom/20000x285 (go1) | >= 20x limma's voom natively (issue 4), one core | 15x | 15x | no |",
		"| voom/20000x285 (go2) | >= 20x limma's voom natively (issue 4), all cores as the CLI runs it (wall) | 30x | - | yes |",
		"| deseq_timepoint/20000x285 (browser) | >= 5x R in the browser on 2 cores (Chromium, 2 engine workers) | 4x | - | no |",
		"| example_analysis/20000x285 (browser) | the whole example analysis in the browser under 30 s on 2 cores | 31.5 s | - | no |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}
