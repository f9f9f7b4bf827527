package study

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/stats"
)

// Result is everything a Run produced.
type Result struct {
	Params   Params        `json:"params"`
	Files    []FileSummary `json:"files"`
	Sections []*Section    `json:"sections"`
	// Patients is patients.tsv: one row per patient, `patient group pCR HET HR` and
	// every patient-level value a test used.
	Patients plotdata.Table `json:"patients"`
	// Tests is tests.tsv: `analysis variable groups test statistic pvalue padj n`.
	Tests plotdata.Table `json:"tests"`
	// Methods is a paragraph describing what was run with which settings.
	Methods string `json:"methods"`
	// References are the embedded reference data the run used, with versions and
	// citations, in a fixed order.
	References []Reference `json:"references"`
}

// Reference is one embedded reference collection used by a run.
type Reference struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Version  string `json:"version"`
	Citation string `json:"citation"`
}

// Section is one analysis of study.md: its figures, tables, tests and summary, or
// the reason it was skipped.
type Section struct {
	ID      string            `json:"id"`
	Title   string            `json:"title"`
	Summary string            `json:"summary"`
	Skipped string            `json:"skipped,omitempty"`
	Figures []plotdata.Figure `json:"figures,omitempty"`
	Tables  []plotdata.Table  `json:"tables,omitempty"`
	Tests   []TestRow         `json:"tests,omitempty"`
	Notes   []string          `json:"notes,omitempty"`
}

// TestRow is one statistical test, a row of tests.tsv.
type TestRow struct {
	Analysis  string  `json:"analysis"`
	Variable  string  `json:"variable"`
	Groups    string  `json:"groups"`
	Test      string  `json:"test"`
	Statistic float64 `json:"statistic"`
	PValue    float64 `json:"pvalue"`
	PAdj      float64 `json:"padj"`
	N         int     `json:"n"`
}

// Section returns the section with the given id, or nil.
func (r *Result) Section(id string) *Section {
	for _, s := range r.Sections {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// AllTests returns the tests of every section in order.
func (r *Result) AllTests() []TestRow {
	var t []TestRow
	for _, s := range r.Sections {
		t = append(t, s.Tests...)
	}
	return t
}

// Tables returns every table of the run, patients.tsv and tests.tsv first, then
// the sections' tables in order.
func (r *Result) Tables() []plotdata.Table {
	t := []plotdata.Table{r.Patients, r.Tests}
	for _, s := range r.Sections {
		t = append(t, s.Tables...)
	}
	return t
}

// Figures returns every figure of the run in section order.
func (r *Result) Figures() []plotdata.Figure {
	var f []plotdata.Figure
	for _, s := range r.Sections {
		f = append(f, s.Figures...)
	}
	return f
}

// WriteTSV writes a table as tab-separated text: a header line of the columns and
// one line per row. Tabs and newlines inside cells are replaced by spaces.
func WriteTSV(w io.Writer, t plotdata.Table) error {
	clean := func(s string) string {
		return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s)
	}
	var b strings.Builder
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteByte('\t')
		}
		b.WriteString(clean(c))
	}
	b.WriteByte('\n')
	for _, row := range t.Rows {
		for i, c := range row {
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(clean(c))
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fmtNum formats a number for tables: shortest round-trip 'g' form, NA for NaN.
func fmtNum(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NA"
	case math.IsInf(x, 1):
		return "Inf"
	case math.IsInf(x, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

func fmtP(p float64) string {
	if math.IsNaN(p) {
		return "NA"
	}
	if p < 0.001 {
		return strconv.FormatFloat(p, 'e', 2, 64)
	}
	return strconv.FormatFloat(p, 'f', 3, 64)
}

// patientTable accumulates patient-level values for patients.tsv in the order of
// first use.
type patientTable struct {
	cols []string
	vals map[string]map[string]float64 // column -> patient -> value
}

func (t *patientTable) set(col string, patients []string, x []float64) {
	if t.vals == nil {
		t.vals = map[string]map[string]float64{}
	}
	m := t.vals[col]
	if m == nil {
		m = map[string]float64{}
		t.vals[col] = m
		t.cols = append(t.cols, col)
	}
	for i, p := range patients {
		m[p] = x[i]
	}
}

func (t *patientTable) table(c *cohort) plotdata.Table {
	tab := plotdata.Table{ID: "patients", Title: "Patients and the patient-level values the tests used",
		Columns: append([]string{"patient", "group", "pCR", "HET", "HR"}, t.cols...)}
	na := func(s string) string {
		if s == "" {
			return "NA"
		}
		return s
	}
	if c == nil {
		return tab
	}
	for _, pt := range c.Patients {
		row := []string{pt.ID, na(pt.Group), na(pt.PCR), na(pt.HET), na(pt.HR)}
		for _, col := range t.cols {
			v, ok := t.vals[col][pt.ID]
			if !ok {
				v = math.NaN()
			}
			row = append(row, fmtNum(v))
		}
		tab.Rows = append(tab.Rows, row)
	}
	return tab
}

func testsTable(rows []TestRow) plotdata.Table {
	t := plotdata.Table{ID: "tests", Title: "Every test run",
		Columns: []string{"analysis", "variable", "groups", "test", "statistic", "pvalue", "padj", "n"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []string{r.Analysis, r.Variable, r.Groups, r.Test,
			fmtNum(r.Statistic), fmtNum(r.PValue), fmtNum(r.PAdj), strconv.Itoa(r.N)})
	}
	return t
}

// groupTests runs, for one variable measured on units with group labels, the
// Kruskal-Wallis test over the groups with at least one value (when there are at
// least three groups) and the pairwise Wilcoxon rank-sum tests of every pair of
// groups with BH adjustment over the pairs (R's pairwise.wilcox.test(x, g,
// p.adjust.method = "BH"), which runs wilcox.test on each pair). With exactly two
// groups only the Wilcoxon test is run. NaN values are dropped. The first row
// returned is the omnibus test (Kruskal-Wallis, or the single Wilcoxon); its PAdj is
// left NaN for the caller to fill across variables.
func groupTests(analysis, variable string, groups []string, values [][]float64) []TestRow {
	var gs []string
	var vs [][]float64
	for i, g := range groups {
		var v []float64
		for _, x := range values[i] {
			if !math.IsNaN(x) {
				v = append(v, x)
			}
		}
		if len(v) > 0 {
			gs = append(gs, g)
			vs = append(vs, v)
		}
	}
	if len(gs) < 2 {
		return nil
	}
	n := 0
	for _, v := range vs {
		n += len(v)
	}
	var rows []TestRow
	if len(gs) >= 3 {
		if r, err := stats.KruskalTest(vs); err == nil {
			rows = append(rows, TestRow{analysis, variable, strings.Join(gs, " | "), "Kruskal-Wallis",
				r.Statistic, r.PValue, math.NaN(), n})
		}
	}
	var pair []TestRow
	for a := 0; a < len(gs); a++ {
		for b := a + 1; b < len(gs); b++ {
			r, err := stats.WilcoxTest(vs[a], vs[b], stats.WilcoxOptions{Correct: true})
			if err != nil {
				continue
			}
			pair = append(pair, TestRow{analysis, variable, gs[a] + " vs " + gs[b], "Wilcoxon rank-sum",
				r.Statistic, r.PValue, math.NaN(), len(vs[a]) + len(vs[b])})
		}
	}
	if len(gs) >= 3 {
		p := make([]float64, len(pair))
		for i := range pair {
			p[i] = pair[i].PValue
		}
		adj := stats.PAdjust(p, stats.BH)
		for i := range pair {
			pair[i].PAdj = adj[i]
			pair[i].Test = "Wilcoxon rank-sum (pairwise, BH)"
		}
	}
	return append(rows, pair...)
}

// adjustOmnibus fills PAdj of the omnibus rows (first test of each variable, marked
// by omni) with BH over those rows.
func adjustOmnibus(rows []TestRow, omni []int) {
	p := make([]float64, len(omni))
	for k, i := range omni {
		p[k] = rows[i].PValue
	}
	adj := stats.PAdjust(p, stats.BH)
	for k, i := range omni {
		rows[i].PAdj = adj[k]
	}
}

func annotations(rows []TestRow) []plotdata.Annotation {
	var a []plotdata.Annotation
	for _, r := range rows {
		ann := plotdata.Annotation{P: plotdata.Float(r.PValue)}
		if i := strings.Index(r.Groups, " vs "); i >= 0 {
			ann.A, ann.B = r.Groups[:i], r.Groups[i+4:]
		}
		label := r.Test + " p = " + fmtP(r.PValue)
		if !math.IsNaN(r.PAdj) && strings.Contains(r.Test, "pairwise") {
			label += " (BH " + fmtP(r.PAdj) + ")"
		}
		ann.Label = label
		a = append(a, ann)
	}
	return a
}

func sortedKeys[V any](m map[string]V) []string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}

func fmtInt(n int) string { return fmt.Sprint(n) }

// testRowJSON is TestRow with NaN-safe numbers (NaN encodes as null).
type testRowJSON struct {
	Analysis  string         `json:"analysis"`
	Variable  string         `json:"variable"`
	Groups    string         `json:"groups"`
	Test      string         `json:"test"`
	Statistic plotdata.Float `json:"statistic"`
	PValue    plotdata.Float `json:"pvalue"`
	PAdj      plotdata.Float `json:"padj"`
	N         int            `json:"n"`
}

// MarshalJSON encodes NaN statistics and p-values as null (encoding/json refuses
// NaN), so a Result always encodes.
func (t TestRow) MarshalJSON() ([]byte, error) {
	return json.Marshal(testRowJSON{t.Analysis, t.Variable, t.Groups, t.Test,
		plotdata.Float(t.Statistic), plotdata.Float(t.PValue), plotdata.Float(t.PAdj), t.N})
}

// UnmarshalJSON decodes null numbers as NaN.
func (t *TestRow) UnmarshalJSON(b []byte) error {
	var j testRowJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*t = TestRow{j.Analysis, j.Variable, j.Groups, j.Test, float64(j.Statistic), float64(j.PValue), float64(j.PAdj), j.N}
	return nil
}
