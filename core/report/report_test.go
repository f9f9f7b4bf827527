package report

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/plotdata"
)

func F(v float64) plotdata.Float { return plotdata.Float(v) }

// figures is one figure of every kind, with hostile text in titles and labels.
func figures() []plotdata.Figure {
	nan := math.NaN()
	return []plotdata.Figure{
		{ID: "box", Title: "ERBB2 by group <script>alert(1)</script>", Caption: "Patients & biopsies", Kind: plotdata.KindBox, YLabel: "log2 CPM",
			Params: []plotdata.Param{{Name: "normalisation", Value: "TMM log2 CPM"}, {Name: "url", Value: "https://example.org/x"}},
			Box: &plotdata.Box{
				Groups: []plotdata.BoxGroup{
					plotdata.NewBoxGroup("non-HET/pCR", []float64{9, 10, 11, 12, nan}, []string{"s1", "s2", "s3", "s4", "s5"}, []string{"P1", "P2", "P3", "P4", "P5"}),
					plotdata.NewBoxGroup("HET/no pCR", []float64{5, 6, 7}, []string{"s6", "s7", "s8"}, []string{"P6", "P7", "P8"}),
				},
				Tests: []plotdata.Annotation{{P: 0.01, Label: "Kruskal-Wallis p = 0.010"}, {A: "non-HET/pCR", B: "HET/no pCR", P: 0.03, Label: "p = 0.030"}},
			}},
		{ID: "volcano", Title: "pCR vs no pCR", Kind: plotdata.KindVolcano, XLabel: "log2 fold change", YLabel: "-log10 p", Scatter: &plotdata.Scatter{
			Points: []plotdata.Point{{X: 2, Y: 8, Label: "ERBB2", Emph: true}, {X: -0.1, Y: 0.3, Label: "A\"<b>"}, {X: F(nan), Y: 1, Label: "NA gene"}},
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
			Series: []plotdata.Series{{Name: "HALLMARK_E2F", X: []plotdata.Float{0, 1, 2, 3, 4}, Y: []plotdata.Float{0, .1, .2, .15, 0}, Marks: []plotdata.Float{1, 2}}},
			Rules:  []plotdata.Rule{{Axis: "y", Value: 0}},
		}},
		{ID: "hist", Title: "Ratios", Kind: plotdata.KindHistogram, XLabel: "ERBB2/CEP17", Histogram: &plotdata.Histogram{
			Edges: []plotdata.Float{0, 1, 2, 3}, Counts: []plotdata.Float{5, 0, 7}, Rules: []plotdata.Rule{{Axis: "x", Value: 2, Label: "2.0"}},
		}},
	}
}

func longTable(id string, n int) plotdata.Table {
	t := plotdata.Table{ID: id, Title: "Long table " + id, Columns: []string{"gene", "logFC", "p"}}
	for i := 0; i < n; i++ {
		t.Rows = append(t.Rows, []string{fmt.Sprintf("G%d", i), fmt.Sprint(0.1234567891234 * float64(i)), "NA"})
	}
	return t
}

func wideTable(ncol, nrow int) plotdata.Table {
	t := plotdata.Table{ID: "wide", Title: "Wide"}
	for j := 0; j < ncol; j++ {
		t.Columns = append(t.Columns, fmt.Sprintf("c%d", j))
	}
	for i := 0; i < nrow; i++ {
		row := make([]string, ncol)
		for j := range row {
			row[j] = fmt.Sprintf("r%dc%d", i, j)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func sampleDoc() *Document {
	fig := figures()
	return &Document{
		Title:     "Study report <&>",
		Subtitle:  "129 patients",
		Synthetic: true,
		Methods:   "Counts were TMM-normalised.\n\nGroups were compared with wilcox.test (R 4.2.2); see https://doi.org/10.1172/JCI000.",
		Sections: []Section{
			{ID: "qc", Title: "Sample QC", Summary: []string{"Seven samples were outliers.", "Second paragraph."}, Figures: fig[:3],
				Tables: []plotdata.Table{{ID: "qc-samples", Title: "Sample QC", Columns: []string{"sample", "PC1", "outlier"},
					Rows: [][]string{{"s1", "0.12345678901234568", "false"}, {"s2", "-3", "true"}, {"s<3>", "NA", "false"}}}}},
			{ID: "amplicon", Title: "Amplicon", Figures: fig[3:6], Notes: []string{"two patients had no <FISH>"},
				Tables: []plotdata.Table{longTable("amplicon-genes", 120)}},
			{ID: "spatial", Title: "Spatial", Skipped: "no spatial data were added"},
			{ID: "qc", Title: "Duplicate id", Figures: fig[6:], Tables: []plotdata.Table{longTable("qc-samples", 3), wideTable(25, 60)}},
		},
		Inputs:   []Input{{Name: "counts.tsv.gz", Kind: "counts", Size: 12345, SHA256: strings.Repeat("ab", 32), Detail: "20 genes x 8 samples"}},
		Versions: []plotdata.Param{{Name: "her2het", Value: "0.1.0"}, {Name: "MSigDB Hallmark", Value: "2023.2; Liberzon A et al. 2015"}},
		Params:   []plotdata.Param{{Name: "normalisation", Value: "tmm-logcpm"}, {Name: "fdr", Value: "0.05"}},
	}
}

func render(t *testing.T, d *Document) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := HTML(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestHTMLWellFormedAndSelfContained(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  *Document
	}{
		{"sample", sampleDoc()},
		{"empty", &Document{}},
		{"only methods", &Document{Title: "x", Methods: "m"}},
		{"no limits", func() *Document { d := sampleDoc(); d.MaxTableRows, d.MaxFigureBytes = -1, -1; return d }()},
		{"tiny limits", func() *Document { d := sampleDoc(); d.MaxTableRows, d.MaxFigureBytes = 1, 100; return d }()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := render(t, tc.doc)
			if err := Check(b); err != nil {
				t.Fatalf("%v\n%s", err, b)
			}
			if !bytes.HasPrefix(b, []byte("<!DOCTYPE html>\n<html lang=\"en\">")) {
				t.Errorf("does not start with the doctype: %.60q", b)
			}
			// Belt and braces beside Check: no URL-bearing attribute at all.
			if m := regexp.MustCompile(`(?i)(src|href|xmlns|action)\s*=\s*"(https?:|//)`).Find(b); m != nil {
				t.Errorf("external reference %q", m)
			}
			if bytes.Contains(b, []byte("<script")) {
				t.Error("a <script> tag got through escaping")
			}
		})
	}
}

func TestHTMLContents(t *testing.T) {
	d := sampleDoc()
	s := string(render(t, d))
	count := func(sub string) int { return strings.Count(s, sub) }
	for _, tc := range []struct {
		name string
		sub  string
		want int
	}{
		{"every figure inline", "<svg ", 8},
		{"figure anchors", "<figure id=\"fig-", 8},
		{"numbered figures", "<strong>Figure 8.</strong>", 1},
		{"every table", "<caption><strong>Table ", 4},
		{"wide table cut", "<p class=\"note\">Showing the first 50 of 60 rows and the first 20 of 25 columns; the whole table is tables/wide.tsv.</p>", 1},
		{"last column shown", "<th scope=\"col\">c19</th>", 1},
		{"first hidden column", "<th scope=\"col\">c20</th>", 0},
		{"figure title made a sentence", "<strong>Figure 2.</strong> pCR vs no pCR.", 1},
		{"figures grouped", "<div class=\"figures\">", 3},
		{"section anchors", "<section id=\"sec-", 4},
		{"duplicate section id made unique", "id=\"sec-qc-2\"", 1},
		{"duplicate table id made unique", "id=\"tab-qc-samples-2\"", 1},
		{"toc links", "<li><a href=\"#sec-", 4},
		{"skipped in toc", "(not run)", 1},
		{"counts in toc", "<li><a href=\"#sec-qc\">Sample QC</a> <span class=\"muted\">(3 figures, 1 table)</span></li>", 1},
		{"counts in toc, plural", "<li><a href=\"#sec-qc-2\">Duplicate id</a> <span class=\"muted\">(2 figures, 2 tables)</span></li>", 1},
		{"skipped reason", "<strong>Not run:</strong> no spatial data were added", 1},
		{"banner", "class=\"banner\"", 1},
		{"banner text", "Synthetic example data.", 1},
		{"banner on printed pages", "@top-center{content:\"Synthetic example data - not patient data\"", 1},
		{"synthetic in the window title", "<title>Study report &lt;&amp;&gt; (synthetic example data)</title>", 1},
		{"long table cut", "<p class=\"note\">Showing the first 50 of 120 rows; the whole table is tables/amplicon-genes.tsv.</p>", 1},
		{"rows shown", "<td>G49</td>", 1},
		{"rows not shown", "<td>G50</td>", 0},
		{"numbers shortened with full title", "<td class=\"num\" title=\"0.12345678901234568\">0.1235</td>", 1},
		{"NA in numeric column", "<td class=\"num na\">NA</td>", 1},
		{"hash", strings.Repeat("ab", 32), 1},
		{"methods paragraphs", "<p>Counts were TMM-normalised.</p>", 1},
		{"version", "<dt>MSigDB Hallmark</dt><dd>2023.2; Liberzon A et al. 2015</dd>", 1},
		{"param", "<dt>normalisation</dt><dd>tmm-logcpm</dd>", 1},
		{"figure params", "<dt>normalisation</dt><dd>TMM log2 CPM</dd>", 1},
		{"escaped title", "<h1>Study report &lt;&amp;&gt;</h1>", 1},
		{"escaped note", "two patients had no &lt;FISH&gt;", 1},
		{"escaped cell", "<td>s&lt;3&gt;</td>", 1},
		{"print layout", "@media print", 1},
		{"no svg namespace URL", "http://www.w3.org", 0},
		{"no generated line", "class=\"generated\"", 0},
	} {
		if got := count(tc.sub); got != tc.want {
			t.Errorf("%s: %q occurs %d times, want %d", tc.name, tc.sub, got, tc.want)
		}
	}

	d.Synthetic = false
	d.Generated = "2026-11-29"
	s = string(render(t, d))
	if strings.Contains(s, "class=\"banner\"") || strings.Contains(strings.ToLower(s), "synthetic example data") {
		t.Error("banner shown for non-synthetic data")
	}
	if !strings.Contains(s, "<p class=\"generated\">2026-11-29</p>") {
		t.Error("Generated not shown")
	}
}

func TestHTMLFigureLimits(t *testing.T) {
	d := &Document{MaxFigureBytes: 100, Sections: []Section{{ID: "a", Figures: []plotdata.Figure{
		figures()[0],
		{ID: "broken", Title: "Broken", Kind: plotdata.KindBox},
	}}}}
	s := string(render(t, d))
	if strings.Contains(s, "<svg") {
		t.Error("figure over the limit was inlined")
	}
	for _, want := range []string{"as SVG and is not inlined; it is figures/box.svg", "This figure could not be drawn: chart: box figure &#34;broken&#34; has no box data", "<strong>Figure 2.</strong> Broken"} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q", want)
		}
	}
	if err := Check([]byte(s)); err != nil {
		t.Error(err)
	}
}

func TestHTMLStandalone(t *testing.T) {
	d := sampleDoc()
	d.Standalone = true
	d.Sections = append(d.Sections, Section{ID: "big", Figures: []plotdata.Figure{figures()[0]}})
	s := string(render(t, d))
	for _, tc := range []struct {
		sub  string
		want int
	}{
		{"the whole table is not in this file; her2het analyze writes it as tables/amplicon-genes.tsv and the app exports it as TSV.", 1},
		{"beside this report", 0},
		{"tables/ beside", 0},
		{"<svg ", 9},
	} {
		if got := strings.Count(s, tc.sub); got != tc.want {
			t.Errorf("%q occurs %d times, want %d", tc.sub, got, tc.want)
		}
	}
	// An explicit limit still applies.
	d.MaxFigureBytes = 100
	if s := string(render(t, d)); strings.Contains(s, "<svg ") || !strings.Contains(s, "is not inlined") {
		t.Error("MaxFigureBytes ignored when Standalone")
	}
}

func TestHTMLRender(t *testing.T) {
	var drawn []string
	d := &Document{Sections: []Section{{ID: "a", Figures: figures()[:2]}},
		Render: func(f *plotdata.Figure) ([]byte, error) {
			drawn = append(drawn, f.ID)
			if f.ID == "volcano" {
				return nil, errors.New("no ink")
			}
			return []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><rect width="1" height="1"/></svg>`), nil
		}}
	s := string(render(t, d))
	if strings.Join(drawn, " ") != "box volcano" {
		t.Errorf("Render called for %q", drawn)
	}
	for _, want := range []string{`<div class="chart"><svg width="1" height="1"><rect width="1" height="1"/></svg></div>`, "could not be drawn: no ink"} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q", want)
		}
	}
}

func TestHTMLDeterministic(t *testing.T) {
	a := render(t, sampleDoc())
	for i := 0; i < 3; i++ {
		if b := render(t, sampleDoc()); !bytes.Equal(a, b) {
			t.Fatal("two renderings of the same document differ")
		}
	}
	d := sampleDoc()
	d.Sections[0].Summary[0] = "changed"
	if bytes.Equal(a, render(t, d)) {
		t.Fatal("a different document gave the same bytes")
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestHTMLErrors(t *testing.T) {
	if err := HTML(&bytes.Buffer{}, nil); err == nil {
		t.Error("nil document: no error")
	}
	if err := HTML(&failWriter{n: 100}, sampleDoc()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("failing writer: %v", err)
	}
}

func TestCheckRejects(t *testing.T) {
	ok := "<!DOCTYPE html>\n<html><head><style>p{}</style></head><body>%s</body></html>"
	if err := Check([]byte(fmt.Sprintf(ok, "<p id=\"a\"><a href=\"#a\">x</a> &amp; &#34; &#x1F;</p><svg><g/></svg><br>"))); err != nil {
		t.Fatalf("valid document rejected: %v", err)
	}
	for _, tc := range []struct{ name, body, want string }{
		{"unclosed", "<p>", "</body> closes <p>"},
		{"misnested", "<p><b></p></b>", "</p> closes <b>"},
		{"stray end", "</p>", "closes <body>"},
		{"self-closing html", "<p/>", "self-closing outside <svg>"},
		{"bare lt", "a < b", "bare '<'"},
		{"bare amp", "a & b", "bare '&'"},
		{"bad numeric ref", "&#xZZ;", "bad numeric"},
		{"script", "<script>x</script>", "<script> may load"},
		{"img", "<img src=\"a.png\">", "<img> may load"},
		{"link", "<link rel=\"stylesheet\" href=\"a.css\">", "<link> may load"},
		{"external href", "<a href=\"https://example.org\">x</a>", "not a fragment"},
		{"relative href", "<a href=\"figures/a.svg\">x</a>", "not a fragment"},
		{"dangling href", "<a href=\"#nowhere\">x</a>", "names no id"},
		{"svg image", "<svg><image href=\"x.png\"/></svg>", "<image> may load"},
		{"xlink", "<svg><g xlink:href=\"#a\"/></svg>", "xlink:href"},
		{"style url", "<p style=\"background:url(x.png)\">x</p>", "url("},
		{"fill url", "<svg><rect fill=\"url(https://x/#g)\"/></svg>", "url("},
		{"event handler", "<p onclick=\"x()\">x</p>", "event handler"},
		{"duplicate id", "<p id=\"a\"></p><p id=\"a\"></p>", "repeated"},
		{"unquoted", "<p class=a>x</p>", "not quoted"},
		{"xmlns URL", "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>", "is a URL"},
		{"refresh", "<meta http-equiv=\"refresh\" content=\"0\">", "http-equiv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Check([]byte(fmt.Sprintf(ok, tc.body)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
	for _, tc := range []struct{ name, doc, want string }{
		{"style import", "<!DOCTYPE html><html><head><style>@import 'x.css';</style></head></html>", "@import"},
		{"font face", "<!DOCTYPE html><html><head><style>@font-face{src:local(x)}</style></head></html>", "@font-face"},
		{"second doctype", "<html><!DOCTYPE html></html>", "only <!DOCTYPE html>"},
		{"unclosed comment", "<!-- x", "comment is not closed"},
		{"unclosed at end", "<!DOCTYPE html><html></html><p>", "<p> is not closed"},
	} {
		if err := Check([]byte(tc.doc)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	// Positions are 1-based line:column.
	if err := Check([]byte("<!DOCTYPE html>\n<html>\n  <p>a < b</p></html>")); err == nil || !strings.Contains(err.Error(), "3:8:") {
		t.Errorf("position: %v", err)
	}
}

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"qc", "qc"}, {"DE: pCR vs no pCR", "de-pcr-vs-no-pcr"}, {"", "x"}, {"--a__b--", "--a__b"}, {"ÄÖ", "x"}, {"a  b", "a-b"},
	} {
		if got := slug(tc.in); got != tc.want {
			t.Errorf("slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestShorten(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"0.12345678901234568", "0.1235", true},
		{"1.2345678901234567e-05", "1.235e-05", true},
		{"123456789", "", false}, // integers stay whole
		{"0.05", "", false},
		{"-3.5", "", false},
		{"0.10000000", "0.1", true},
	} {
		got, ok := shorten(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("shorten(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
