package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"path"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"github.com/her2het/her2het/core/api"
	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/study"
)

// FromStudyOptions adjust the Document FromStudy builds.
type FromStudyOptions struct {
	// Title of the report (default "her2het study report").
	Title string
	// Synthetic is set when the inputs are the built-in example cohort.
	Synthetic bool
	// Generated is copied to Document.Generated (leave empty for byte-identical
	// reports).
	Generated string
	// Software versions listed before the reference data; nil lists her2het's
	// version (core/api.Version) and the Go toolchain (runtime.Version, the same
	// natively and in the browser for one build).
	Software []plotdata.Param
	// ExtraInputs are files hashed but not analysed (e.g. spatial data), listed
	// after the study's inputs.
	ExtraInputs []Input
	// Standalone, MaxTableRows, MaxTableColumns, MaxFigureBytes and Render are
	// copied to the Document (set Standalone for a report downloaded from the app,
	// which has no tables/ and figures/ folders beside it).
	Standalone      bool
	MaxTableRows    int
	MaxTableColumns int
	MaxFigureBytes  int
	Render          func(f *plotdata.Figure) ([]byte, error)
}

// FromStudy builds the report of a study run: a subtitle counting patients per
// group (from the patients table), a first section with the patients table, one
// section per analysis of res in order (summary, the reason it was skipped,
// notes, figures, its tables, then its tests with BH-adjusted p-values, sorted by
// p-value when there are more than the table row limit), a last
// section about tests.tsv; the methods paragraph; the inputs with their SHA-256
// digests (file names without directories); the parameters as they encode to
// JSON, except Workers, which does not change results and differs between the
// CLI and the browser; the software versions and the reference data of
// res.References. A nil res gives a document with only a title.
func FromStudy(res *study.Result, o FromStudyOptions) *Document {
	d := &Document{Title: o.Title, Synthetic: o.Synthetic, Generated: o.Generated,
		Standalone: o.Standalone, MaxTableRows: o.MaxTableRows, MaxTableColumns: o.MaxTableColumns, MaxFigureBytes: o.MaxFigureBytes, Render: o.Render}
	if d.Title == "" {
		d.Title = "her2het study report"
	}
	if res == nil {
		return d
	}
	d.Subtitle = cohortLine(res.Patients)
	d.Methods = res.Methods

	if len(res.Patients.Rows) > 0 {
		d.Sections = append(d.Sections, Section{ID: "patients", Title: "Patients and groups",
			Summary: []string{"One row per patient: the group, pCR, HER2 heterogeneity, hormone receptor status and every patient-level value a test used (the mean of a patient's pretreatment biopsies unless an analysis is per biopsy)."},
			Tables:  []plotdata.Table{res.Patients}})
	}
	for _, s := range res.Sections {
		if s == nil {
			continue
		}
		sec := Section{ID: s.ID, Title: s.Title, Summary: paragraphs(s.Summary), Skipped: s.Skipped,
			Figures: s.Figures, Tables: s.Tables, Notes: s.Notes}
		if len(s.Tests) > 0 {
			sec.Tables = append(append([]plotdata.Table(nil), s.Tables...), sectionTests(s, rowLimit(o.MaxTableRows)))
		}
		d.Sections = append(d.Sections, sec)
	}
	if n := len(res.Tests.Rows); n > 0 {
		d.Sections = append(d.Sections, Section{ID: "tests", Title: "Every test run",
			Summary: []string{fmt.Sprintf("%d %s run; each analysis above lists its own. tables/tests.tsv has every one with the columns %s.",
				n, plural(n, "test was", "tests were"), strings.Join(res.Tests.Columns, ", ")),
				"padj is a Benjamini-Hochberg adjustment: of the omnibus test of each variable (Kruskal-Wallis, or the one Wilcoxon test of two groups) across the variables of one analysis; of pairwise Wilcoxon tests across the pairs of groups of one variable (as R's pairwise.wilcox.test); of GSEA across the gene sets of one comparison (as fgsea)."}})
	}

	for _, f := range res.Files {
		d.Inputs = append(d.Inputs, Input{Name: path.Base(strings.ReplaceAll(f.Name, `\`, "/")), Kind: f.Kind,
			Size: f.Bytes, SHA256: f.SHA256, Detail: fileDetail(f)})
	}
	d.Inputs = append(d.Inputs, o.ExtraInputs...)
	d.Params = paramList(res.Params)

	sw := o.Software
	if sw == nil {
		sw = []plotdata.Param{{Name: "her2het", Value: api.Version}, {Name: "Go", Value: runtime.Version()}}
	}
	d.Versions = append(d.Versions, sw...)
	for _, r := range res.References {
		v := r.Version
		if r.Citation != "" {
			v += "; " + r.Citation
		}
		name := r.Name
		if name == "" {
			name = r.ID
		}
		d.Versions = append(d.Versions, plotdata.Param{Name: name, Value: v})
	}
	return d
}

// groupOrder is the display order of the study's patient groups.
var groupOrder = []string{study.GroupNonHETpCR, study.GroupNonHETnopCR, study.GroupHETpCR, study.GroupHETnopCR}

// cohortLine counts the patients of each group: "129 patients: 64 non-HET/pCR,
// ..." with the study's groups first, then any other group in sorted order.
func cohortLine(t plotdata.Table) string {
	if len(t.Rows) == 0 {
		return ""
	}
	col := -1
	for j, c := range t.Columns {
		if c == "group" {
			col = j
			break
		}
	}
	line := strconv.Itoa(len(t.Rows)) + plural(len(t.Rows), " patient", " patients")
	if col < 0 {
		return line
	}
	count := map[string]int{}
	var others []string
	for _, row := range t.Rows {
		g := "NA"
		if col < len(row) && !isNA(row[col]) {
			g = row[col]
		}
		if count[g] == 0 {
			others = append(others, g)
		}
		count[g]++
	}
	var parts []string
	known := map[string]bool{}
	for _, g := range groupOrder {
		known[g] = true
		if count[g] > 0 {
			parts = append(parts, strconv.Itoa(count[g])+" "+g)
		}
	}
	sort.Strings(others)
	for _, g := range others {
		if !known[g] {
			parts = append(parts, strconv.Itoa(count[g])+" "+g)
		}
	}
	return line + ": " + strings.Join(parts, ", ")
}

func fileDetail(f study.FileSummary) string {
	var what string
	switch f.Kind {
	case study.KindCounts, study.KindExpression:
		what = fmt.Sprintf("%d genes x %d samples", f.Rows, f.Cols)
	case study.KindSamples:
		what = fmt.Sprintf("%d samples x %d columns", f.Rows, f.Cols)
	case study.KindFISHCells:
		what = fmt.Sprintf("%d cells", f.Rows)
	case study.KindFISHCases:
		what = fmt.Sprintf("%d cases or areas", f.Rows)
	default:
		if f.Rows > 0 {
			what = fmt.Sprintf("%d rows", f.Rows)
		}
	}
	if f.Format != "" {
		if what != "" {
			what += "; "
		}
		what += f.Format
	}
	for _, n := range f.Notes {
		if what != "" {
			what += "; "
		}
		what += n
	}
	return what
}

func rowLimit(n int) int {
	if n == 0 {
		return DefaultMaxTableRows
	}
	return n
}

// sectionTests is a section's tests as a table named like tests.tsv (whose rows
// they are), so a cut table points to the file with all of them. When there are
// more than limit tests (limit > 0) they are sorted by p-value (stable; NaN
// last), so the rows shown are the smallest p-values.
func sectionTests(s *study.Section, limit int) plotdata.Table {
	t := plotdata.Table{ID: "tests", Title: "Tests: " + s.Title,
		Columns: []string{"variable", "groups", "test", "statistic", "pvalue", "padj", "n"}}
	rows := s.Tests
	if limit > 0 && len(rows) > limit {
		rows = append([]study.TestRow(nil), rows...)
		sort.SliceStable(rows, func(i, j int) bool {
			a, b := rows[i].PValue, rows[j].PValue
			return a < b || !math.IsNaN(a) && math.IsNaN(b)
		})
		t.Title += " (smallest p-values first)"
	}
	for _, r := range rows {
		t.Rows = append(t.Rows, []string{r.Variable, r.Groups, r.Test, num(r.Statistic), num(r.PValue), num(r.PAdj), strconv.Itoa(r.N)})
	}
	return t
}

// num formats like tests.tsv: shortest round-trip, NA for NaN.
func num(x float64) string {
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

// paramList lists the top-level fields of p as they encode to JSON, in order,
// except workers. Lists are joined with ", ".
func paramList(p study.Params) []plotdata.Param {
	b, err := json.Marshal(p)
	if err != nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var out []plotdata.Param
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		key, _ := tok.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return out
		}
		if key == "workers" {
			continue
		}
		out = append(out, plotdata.Param{Name: key, Value: jsonText(v)})
	}
	return out
}

func jsonText(v any) string {
	switch v := v.(type) {
	case nil:
		return "none"
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = jsonText(e)
		}
		if len(parts) == 0 {
			return "none"
		}
		return strings.Join(parts, ", ")
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}
