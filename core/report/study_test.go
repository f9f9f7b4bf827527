package report

import (
	"bytes"
	"context"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/her2het/her2het/core/demo"
	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/study"
)

var (
	demoOnce sync.Once
	demoRes  *study.Result
	demoErr  error
)

// demoRun runs the study once on a third of the built-in example cohort's
// patients (every third; 2,000 genes; FISH of all patients; 100 GSEA
// permutations), small enough for a quick test.
func demoRun(t *testing.T) *study.Result {
	t.Helper()
	demoOnce.Do(func() {
		c, err := demo.Generate(demo.Options{Genes: 2000, Uncompressed: true})
		if err != nil {
			demoErr = err
			return
		}
		files := map[string][]byte{}
		for _, f := range c.Files() {
			files[f.Name] = f.Data
		}
		samples, keep := subsetSheet(files["samples.tsv"], 3)
		in := &study.Inputs{}
		for _, f := range []struct {
			name string
			data []byte
		}{
			{"samples.tsv", samples},
			{"counts.tsv", subsetColumns(files["counts.tsv"], keep)},
			{"fish_cells.tsv", files["fish_cells.tsv"]},
		} {
			if _, err := in.Add(f.name, bytes.NewReader(f.data), nil); err != nil {
				demoErr = err
				return
			}
		}
		p := study.DefaultParams()
		p.GSEAPerm = 100
		p.Workers = 2
		demoRes, demoErr = study.Run(context.Background(), in, p, nil)
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoRes
}

// subsetSheet keeps the '#' lines, the header and the samples of every k-th
// patient (in order of appearance), returning the kept sample IDs.
func subsetSheet(sheet []byte, k int) ([]byte, map[string]bool) {
	var out bytes.Buffer
	keep := map[string]bool{}
	patients := map[string]int{}
	header := true
	for _, line := range strings.SplitAfter(string(sheet), "\n") {
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") || header {
			header = header && strings.HasPrefix(line, "#")
			out.WriteString(line)
			continue
		}
		f := strings.Split(line, "\t")
		i, ok := patients[f[1]]
		if !ok {
			i = len(patients)
			patients[f[1]] = i
		}
		if i%k == 0 {
			keep[f[0]] = true
			out.WriteString(line)
		}
	}
	return out.Bytes(), keep
}

// subsetColumns keeps the first column and the columns whose header is kept.
func subsetColumns(m []byte, keep map[string]bool) []byte {
	var out bytes.Buffer
	var cols []bool
	for _, line := range strings.SplitAfter(string(m), "\n") {
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			out.WriteString(line)
			continue
		}
		f := strings.Split(strings.TrimRight(line, "\n"), "\t")
		if cols == nil {
			cols = make([]bool, len(f))
			cols[0] = true
			for j := 1; j < len(f); j++ {
				cols[j] = keep[f[j]]
			}
		}
		var kept []string
		for j, x := range f {
			if cols[j] {
				kept = append(kept, x)
			}
		}
		out.WriteString(strings.Join(kept, "\t") + "\n")
	}
	return out.Bytes()
}

func TestFromStudyDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the study on part of the example cohort")
	}
	res := demoRun(t)
	d := FromStudy(res, FromStudyOptions{Synthetic: true, MaxTableRows: 20,
		Software: []plotdata.Param{{Name: "her2het", Value: "test"}}})
	var b bytes.Buffer
	if err := HTML(&b, d); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	if err := Check(b.Bytes()); err != nil {
		t.Fatal(err)
	}

	// Every figure and table of the run is in the report.
	figs := res.Figures()
	if got := strings.Count(s, "<figure id=\"fig-"); got != len(figs) {
		t.Errorf("%d figures in the report, %d in the result", got, len(figs))
	}
	if got := strings.Count(s, "<div class=\"chart\"><svg "); got != len(figs) {
		t.Errorf("%d figures inlined, %d in the result", got, len(figs))
	}
	ntab := len(res.Tables()) - 1 // tests.tsv is summarised, its rows shown per section
	for _, sec := range res.Sections {
		if len(sec.Tests) > 0 {
			ntab++
		}
	}
	if got := strings.Count(s, "<caption><strong>Table "); got != ntab {
		t.Errorf("%d tables in the report, want %d", got, ntab)
	}
	for _, sec := range res.Sections {
		if !strings.Contains(s, "<h2>"+esc(sec.Title)+" <a class=\"top\" href=\"#contents\"") {
			t.Errorf("section %q missing", sec.Title)
		}
		for _, p := range paragraphs(sec.Summary) {
			if !strings.Contains(s, "<p>"+esc(p)+"</p>") {
				t.Errorf("section %q: summary %q missing", sec.Title, p)
			}
		}
		for _, n := range sec.Notes {
			if !strings.Contains(s, "<li>"+esc(n)+"</li>") {
				t.Errorf("section %q: note %q missing", sec.Title, n)
			}
		}
		for _, f := range sec.Figures {
			if !strings.Contains(s, ".</strong> "+esc(f.Title)) {
				t.Errorf("figure %q has no caption", f.Title)
			}
		}
		for _, tab := range sec.Tables {
			if !strings.Contains(s, ".</strong> "+esc(tab.Title)+" <span") {
				t.Errorf("table %q missing", tab.Title)
			}
		}
	}
	for _, f := range res.Files {
		if f.SHA256 == "" || !strings.Contains(s, "<code class=\"hash\">"+f.SHA256+"</code>") {
			t.Errorf("input %s: SHA-256 %q not shown", f.Name, f.SHA256)
		}
	}
	for _, r := range res.References {
		if !strings.Contains(s, "<dt>"+esc(r.Name)+"</dt>") {
			t.Errorf("reference %q not listed", r.Name)
		}
	}
	for _, want := range []string{
		"class=\"banner\"",
		"<h1>her2het study report</h1>",
		"<p class=\"subtitle\">" + strconv.Itoa(len(res.Patients.Rows)) + " patients: ",
		"<p>" + esc(strings.TrimSpace(res.Methods)),
		"<dt>normalisation</dt><dd>tmm-logcpm</dd>",
		"<dt>her2het</dt><dd>test</dd>",
		" columns; the whole table is tables/patients.tsv",
		strconv.Itoa(len(res.Tests.Rows)) + " tests were run",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q", want)
		}
	}
	if strings.Contains(s, "<dt>workers</dt>") {
		t.Error("workers listed among the parameters")
	}

	// The same result with another worker count gives the same bytes.
	res2 := *res
	res2.Params.Workers = 7
	var b2 bytes.Buffer
	if err := HTML(&b2, FromStudy(&res2, FromStudyOptions{Synthetic: true, MaxTableRows: 20,
		Software: []plotdata.Param{{Name: "her2het", Value: "test"}}})); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), b2.Bytes()) {
		t.Error("the report depends on Workers")
	}
	// Every table of the run can be written as TSV (rows as long as the header).
	for _, tab := range res.Tables() {
		if err := TSV(io.Discard, tab); err != nil {
			t.Error(err)
		}
	}

	// The app's download: every figure inlined, still self-contained.
	var b3 bytes.Buffer
	if err := HTML(&b3, FromStudy(res, FromStudyOptions{Synthetic: true, Standalone: true})); err != nil {
		t.Fatal(err)
	}
	if err := Check(b3.Bytes()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(b3.String(), "<div class=\"chart\"><svg "); got != len(figs) {
		t.Errorf("standalone: %d figures inlined, %d in the result", got, len(figs))
	}
	t.Logf("report: %d bytes, %d figures, %d tables; %s", b.Len(), len(figs), ntab, d.Subtitle)
}

func TestFromStudyFISHOnly(t *testing.T) {
	in := &study.Inputs{}
	summary := "sample,timepoint,site,mean_erbb2,mean_cep17,pct_amplified,n_cells\n" +
		"T1,pre,s1,9.5,2.0,92,60\nT1,pre,s2,9.0,2.1,88,60\n" +
		"T2,pre,s1,8.8,2.0,90,60\nT2,pre,s2,4.1,2.0,30,60\n"
	if _, err := in.Add("dir/fish_cases.csv", strings.NewReader(summary), nil); err != nil {
		t.Fatal(err)
	}
	res, err := study.Run(context.Background(), in, study.DefaultParams(), nil)
	if err != nil {
		t.Fatal(err)
	}
	extra := Input{Name: "spatial.tsv", Kind: "spatial", Size: 3, SHA256: strings.Repeat("0", 64), Detail: "not analysed"}
	d := FromStudy(res, FromStudyOptions{Title: "FISH only", ExtraInputs: []Input{extra}, Generated: "today"})
	if d.Synthetic {
		t.Error("Synthetic set")
	}
	if len(d.Inputs) != 2 || d.Inputs[0].Name != "fish_cases.csv" || d.Inputs[0].Kind != study.KindFISHCases || d.Inputs[1] != extra {
		t.Errorf("inputs %+v", d.Inputs)
	}
	if d.Versions[0].Name != "her2het" || d.Versions[1].Name != "Go" {
		t.Errorf("default software versions %+v", d.Versions[:2])
	}
	skipped := 0
	for _, s := range d.Sections {
		if s.Skipped != "" {
			skipped++
		}
	}
	if skipped == 0 {
		t.Error("no skipped section")
	}
	var b bytes.Buffer
	if err := HTML(&b, d); err != nil {
		t.Fatal(err)
	}
	if err := Check(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<h1>FISH only</h1>", "(not run)", "<strong>Not run:</strong> no expression matrix was added", "<td>T2</td>", "spatial.tsv", "<p class=\"generated\">today</p>"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing %q", want)
		}
	}
}

func TestFromStudyNil(t *testing.T) {
	d := FromStudy(nil, FromStudyOptions{})
	if d.Title != "her2het study report" || len(d.Sections) != 0 {
		t.Errorf("%+v", d)
	}
	var b bytes.Buffer
	if err := HTML(&b, d); err != nil {
		t.Fatal(err)
	}
	if err := Check(b.Bytes()); err != nil {
		t.Fatal(err)
	}
}

func TestCohortLine(t *testing.T) {
	tab := func(groups ...string) plotdata.Table {
		t := plotdata.Table{Columns: []string{"patient", "group"}}
		for i, g := range groups {
			t.Rows = append(t.Rows, []string{strconv.Itoa(i), g})
		}
		return t
	}
	for _, tc := range []struct {
		name string
		t    plotdata.Table
		want string
	}{
		{"empty", tab(), ""},
		{"one", tab(study.GroupHETnopCR), "1 patient: 1 HET/no pCR"},
		{"study order then others sorted", tab("z", study.GroupHETnopCR, "NA", study.GroupNonHETpCR, "a", study.GroupNonHETpCR, ""),
			"7 patients: 2 non-HET/pCR, 1 HET/no pCR, 2 NA, 1 a, 1 z"},
		{"no group column", plotdata.Table{Columns: []string{"patient"}, Rows: [][]string{{"1"}, {"2"}}}, "2 patients"},
	} {
		if got := cohortLine(tc.t); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestParamList(t *testing.T) {
	p := study.DefaultParams()
	p.Workers = 3
	ps := paramList(p)
	got := map[string]string{}
	for _, x := range ps {
		got[x.Name] = x.Value
	}
	if _, ok := got["workers"]; ok {
		t.Error("workers listed")
	}
	if ps[0].Name != "normalisation" {
		t.Errorf("first parameter %q, want normalisation (JSON order)", ps[0].Name)
	}
	for k, want := range map[string]string{"normalisation": "tmm-logcpm", "priorCount": "2", "excludeOutliers": "true",
		"ampliconGenes": strings.Join(p.AmpliconGenes, ", "), "seed": "1", "fdr": "0.05"} {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
}

func TestSectionTests(t *testing.T) {
	nan := math.NaN()
	s := &study.Section{Title: "X", Tests: []study.TestRow{
		{Variable: "a", PValue: 0.5, PAdj: nan, N: 10, Statistic: 1},
		{Variable: "b", PValue: nan, PAdj: nan, N: 3, Statistic: nan},
		{Variable: "c", PValue: 0.01, PAdj: 0.02, N: 10, Statistic: math.Inf(1)},
		{Variable: "d", PValue: 0.5, PAdj: 0.6, N: 10, Statistic: -2},
	}}
	col := func(t plotdata.Table, j int) string {
		var out []string
		for _, r := range t.Rows {
			out = append(out, r[j])
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		name  string
		limit int
		order string
		title string
	}{
		{"fits: as given", 4, "a b c d", "Tests: X"},
		{"no limit", -1, "a b c d", "Tests: X"},
		{"cut: by p, stable, NaN last", 3, "c a d b", "Tests: X (smallest p-values first)"},
	} {
		tab := sectionTests(s, tc.limit)
		if got := col(tab, 0); got != tc.order || tab.Title != tc.title || tab.ID != "tests" {
			t.Errorf("%s: order %q title %q id %q; want %q %q", tc.name, got, tab.Title, tab.ID, tc.order, tc.title)
		}
	}
	tab := sectionTests(s, 0)
	if got := col(tab, 3) + "|" + col(tab, 4) + "|" + col(tab, 5) + "|" + col(tab, 6); got != "1 NA Inf -2|0.5 NA 0.01 0.5|NA NA 0.02 0.6|10 3 10 10" {
		t.Errorf("cells %q", got)
	}
}
