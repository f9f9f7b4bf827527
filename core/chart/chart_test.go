package chart

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/plotdata"
)

var update = flag.Bool("update", false, "rewrite the golden SVG files in testdata")

func F(v float64) plotdata.Float { return plotdata.Float(v) }

// examples is one figure of every kind, with a NaN where a kind must skip it.
func examples() []*plotdata.Figure {
	nan := math.NaN()
	return []*plotdata.Figure{
		{ID: "box", Title: "ERBB2 by group", Kind: plotdata.KindBox, YLabel: "log2 CPM", Box: &plotdata.Box{
			Groups: []plotdata.BoxGroup{
				plotdata.NewBoxGroup("non-HET/pCR", []float64{9, 10, 11, 12, nan}, []string{"s1", "s2", "s3", "s4", "s5"}, []string{"P1", "P2", "P3", "P4", "P5"}),
				plotdata.NewBoxGroup("HET/no pCR", []float64{5, 6, 7}, []string{"s6", "s7", "s8"}, []string{"P6", "P7", "P8"}),
			},
			Tests: []plotdata.Annotation{{P: 0.01, Label: "Kruskal-Wallis p = 0.010"}, {A: "non-HET/pCR", B: "HET/no pCR", P: 0.03, Label: "p = 0.030"}},
		}},
		{ID: "volcano", Title: "pCR vs no pCR", Kind: plotdata.KindVolcano, XLabel: "log2 fold change", YLabel: "-log10 p", Scatter: &plotdata.Scatter{
			Points: []plotdata.Point{{X: 2, Y: 8, Label: "ERBB2", Emph: true}, {X: -0.1, Y: 0.3, Label: "ACTB"}, {X: F(nan), Y: 1, Label: "NA gene"}},
			Lines:  []plotdata.Rule{{Axis: "y", Value: 1.3, Label: "p = 0.05"}},
		}},
		{ID: "fish", Title: "ERBB2 vs CEP17", Kind: plotdata.KindScatter, XLabel: "CEP17", YLabel: "ERBB2", Scatter: &plotdata.Scatter{
			Points: []plotdata.Point{{X: 2, Y: 10, Sample: "A1", Patient: "P1", Group: "amplified"}, {X: 2, Y: 3, Sample: "A1", Patient: "P1", Group: "not amplified"}},
			Groups: []string{"amplified", "not amplified"},
			Lines:  []plotdata.Rule{{Axis: "xy", Slope: 2, Value: 0, Label: "ratio 2"}},
		}},
		{ID: "heat", Title: "Correlation", Kind: plotdata.KindHeatmap, Heatmap: &plotdata.Heatmap{
			Rows: []string{"a", "b"}, Cols: []string{"s1", "s2", "s3"}, Values: []plotdata.Float{1, 0.5, F(nan), -1, 0, 1},
			ColTracks: []plotdata.Track{{Name: "group", Values: []string{"x", "y", "x"}}}, Diverging: true, Patients: []string{"P1", "P1", "P2"},
		}},
		{ID: "bars", Title: "PAM50 by group", Kind: plotdata.KindBars, Bars: &plotdata.Bars{
			Categories: []string{"pCR", "no pCR"}, Series: []string{"Her2", "LumA"}, Values: [][]plotdata.Float{{10, 4}, {2, 6}}, Proportion: true,
		}},
		{ID: "lines", Title: "Pre to post", Kind: plotdata.KindLines, Lines: &plotdata.Lines{
			XTicks: []string{"pre", "post"},
			Series: []plotdata.Series{{Name: "P1", Patient: "P1", Group: "HET", X: []plotdata.Float{0, 1}, Y: []plotdata.Float{1, 2}}, {Name: "P2", Patient: "P2", Group: "non-HET", X: []plotdata.Float{0, 1}, Y: []plotdata.Float{3, 1}}},
		}},
		{ID: "curve", Title: "GSEA running sum", Kind: plotdata.KindCurve, Lines: &plotdata.Lines{
			Series: []plotdata.Series{{Name: "HALLMARK_E2F", X: []plotdata.Float{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, Y: []plotdata.Float{0, .1, .2, .15, .3, .25, .2, .15, .1, .05, 0, -.05, -.02, 0}, Marks: []plotdata.Float{1, 2, 4}}},
			Rules:  []plotdata.Rule{{Axis: "y", Value: 0}},
		}},
		{ID: "hist", Title: "Ratios", Kind: plotdata.KindHistogram, XLabel: "ERBB2/CEP17", Histogram: &plotdata.Histogram{
			Edges: []plotdata.Float{0, 1, 2, 3}, Counts: []plotdata.Float{5, 0, 7}, Rules: []plotdata.Rule{{Axis: "x", Value: 2, Label: "2.0"}},
		}},
	}
}

// parse checks that the SVG is well-formed XML and counts elements by class and name.
func parse(t *testing.T, b []byte) (marks, titles int, texts []string) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, b)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			for _, a := range e.Attr {
				if a.Name.Local == "class" && strings.HasPrefix(a.Value, "mark") {
					marks++
				}
				if a.Name.Local == "style" {
					t.Fatalf("inline style attribute on <%s>: the app's CSP blocks it", e.Name.Local)
				}
			}
			if e.Name.Local == "style" {
				t.Fatal("<style> element: the app's CSP blocks it")
			}
			if e.Name.Local == "title" {
				titles++
			}
			inText = e.Name.Local == "text"
		case xml.CharData:
			if inText {
				texts = append(texts, string(e))
			}
		case xml.EndElement:
			inText = false
		}
	}
	return
}

func TestEveryKind(t *testing.T) {
	want := map[string]struct {
		marks int
		texts []string
	}{
		"box":     {7, []string{"ERBB2 by group", "log2 CPM", "non-HET/pCR", "n = 4", "Kruskal-Wallis p = 0.010", "p = 0.030"}},
		"volcano": {2, []string{"log2 fold change", "-log10 p", "ERBB2", "p = 0.05"}},
		"fish":    {2, []string{"CEP17", "ERBB2", "amplified", "not amplified", "ratio 2"}},
		"heat":    {6, []string{"Correlation", "group"}},
		"bars":    {4, []string{"pCR", "Her2", "LumA", "proportion"}},
		"lines":   {6, []string{"pre", "post", "HET", "non-HET"}},
		"curve":   {1, []string{"GSEA running sum"}},
		"hist":    {2, []string{"ERBB2/CEP17", "count", "2.0"}},
	}
	for _, f := range examples() {
		t.Run(f.ID, func(t *testing.T) {
			b, err := SVG(f, Options{})
			if err != nil {
				t.Fatal(err)
			}
			marks, titles, texts := parse(t, b)
			w := want[f.ID]
			if marks != w.marks {
				t.Errorf("%d marks, want %d", marks, w.marks)
			}
			if titles < marks+1 {
				t.Errorf("%d <title> elements for %d marks: every mark needs a tooltip", titles, marks)
			}
			joined := strings.Join(texts, "|")
			for _, s := range w.texts {
				if !strings.Contains(joined, s) {
					t.Errorf("no text %q in %q", s, joined)
				}
			}
			again, _ := SVG(f, Options{})
			if !bytes.Equal(again, b) {
				t.Error("two drawings of the same figure differ")
			}
			golden := filepath.Join("testdata", f.ID+".svg")
			if *update {
				os.MkdirAll("testdata", 0o755)
				if err := os.WriteFile(golden, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			g, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(g, b) {
				t.Errorf("drawing differs from %s (check it by eye, then go test -update)", golden)
			}
		})
	}
}

func TestSignedBars(t *testing.T) {
	f := &plotdata.Figure{ID: "nes", Title: "NES", Kind: plotdata.KindBars, Bars: &plotdata.Bars{
		Categories: []string{"E2F", "MYC", "ESTROGEN"}, Series: []string{"NES"}, Values: [][]plotdata.Float{{2.1, -1.5, F(math.NaN())}}}}
	b, err := SVG(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	marks, _, texts := parse(t, b)
	if marks != 2 {
		t.Fatalf("%d bars for one positive and one negative score", marks)
	}
	if !strings.Contains(strings.Join(texts, "|"), "-1") {
		t.Fatalf("no negative axis tick: %v", texts)
	}
}

func TestHighlightDimsOthers(t *testing.T) {
	f := examples()[0]
	b, err := SVG(f, Options{Highlight: "P2"})
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if strings.Count(s, `class="mark hl"`) != 1 || strings.Count(s, `class="mark dim"`) != 6 {
		t.Fatalf("highlight classes: %d hl, %d dim", strings.Count(s, `class="mark hl"`), strings.Count(s, `class="mark dim"`))
	}
	if !strings.Contains(s, `data-patient="P2"`) {
		t.Fatal("marks lack data-patient")
	}
}

func TestLargeScatterIsThinnedButKeepsSignificant(t *testing.T) {
	var pts []plotdata.Point
	for i := 0; i < 60000; i++ {
		x := float64(i%300) / 100
		pts = append(pts, plotdata.Point{X: F(x - 1.5), Y: F(float64(i%97) / 20), Label: "g"})
	}
	pts = append(pts, plotdata.Point{X: 3, Y: 30, Label: "TOP", Emph: true})
	f := &plotdata.Figure{ID: "big", Title: "big", Kind: plotdata.KindVolcano, Scatter: &plotdata.Scatter{Points: pts}}
	b, err := SVG(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	marks, _, texts := parse(t, b)
	if marks > 20000 || marks < 100 {
		t.Fatalf("%d marks drawn for 60001 points", marks)
	}
	if !strings.Contains(strings.Join(texts, "|"), "TOP") || !strings.Contains(strings.Join(texts, "|"), "not drawn") {
		t.Fatalf("significant label or thinning note missing")
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		f    *plotdata.Figure
		want string
	}{
		{"nil", nil, "no figure"},
		{"missing data", &plotdata.Figure{ID: "x", Kind: plotdata.KindBox}, "no box data"},
		{"unknown kind", &plotdata.Figure{ID: "x", Kind: "pie"}, "unknown kind"},
		{"heatmap size", &plotdata.Figure{ID: "x", Kind: plotdata.KindHeatmap, Heatmap: &plotdata.Heatmap{Rows: []string{"a"}, Cols: []string{"b"}, Values: []plotdata.Float{1, 2}}}, "2 values for 1 x 1"},
		{"histogram edges", &plotdata.Figure{ID: "x", Kind: plotdata.KindHistogram, Histogram: &plotdata.Histogram{Edges: []plotdata.Float{0, 1}, Counts: []plotdata.Float{1, 2}}}, "2 edges for 2 bins"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := SVG(tc.f, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		want   []float64
	}{
		{0, 10, []float64{0, 2, 4, 6, 8, 10}},
		{0.13, 0.87, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{-3.2, 4.9, []float64{-4, -2, 0, 2, 4, 6}},
		{5, 5, []float64{4, 4.5, 5, 5.5, 6}},
	}
	for _, tc := range tests {
		got, _, _ := niceTicks(tc.lo, tc.hi, 6)
		if len(got) != len(tc.want) {
			t.Errorf("ticks(%v, %v) = %v, want %v", tc.lo, tc.hi, got, tc.want)
			continue
		}
		for i := range got {
			if math.Abs(got[i]-tc.want[i]) > 1e-12 {
				t.Errorf("ticks(%v, %v) = %v, want %v", tc.lo, tc.hi, got, tc.want)
				break
			}
		}
	}
}
