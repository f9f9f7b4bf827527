package report

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"github.com/her2het/her2het/core/chart"
	"github.com/her2het/her2het/core/plotdata"
)

// Document is everything a report shows, in order.
type Document struct {
	Title    string `json:"title"`
	Subtitle string `json:"subtitle,omitempty"`
	// Synthetic marks a report made from the built-in synthetic example cohort; the
	// header then says so prominently, on screen and in print.
	Synthetic bool      `json:"synthetic,omitempty"`
	Sections  []Section `json:"sections"`
	// Methods is the methods paragraph (paragraphs separated by blank lines).
	Methods string `json:"methods,omitempty"`
	// Inputs are the files analysed, with their SHA-256 digests.
	Inputs []Input `json:"inputs,omitempty"`
	// Versions are software and reference-data versions, in display order.
	Versions []plotdata.Param `json:"versions,omitempty"`
	// Params are the settings actually used, in display order.
	Params []plotdata.Param `json:"params,omitempty"`
	// Generated is shown under the title as given (e.g. a date); leave it empty for
	// byte-identical output from identical inputs.
	Generated string `json:"generated,omitempty"`

	// MaxTableRows is the number of rows a table shows before it is cut with a note
	// naming tables/<id>.tsv (0: DefaultMaxTableRows; negative: no limit).
	MaxTableRows int `json:"maxTableRows,omitempty"`
	// MaxTableColumns is the number of columns a table shows before it is cut with
	// a note (0: DefaultMaxTableColumns; negative: no limit).
	MaxTableColumns int `json:"maxTableColumns,omitempty"`
	// MaxFigureBytes is the largest SVG inlined; a larger figure is replaced by a
	// note naming figures/<id>.svg (0: DefaultMaxFigureBytes, or no limit when
	// Standalone; negative: no limit).
	MaxFigureBytes int `json:"maxFigureBytes,omitempty"`
	// Standalone says the report travels alone, without the tables/ and figures/
	// folders `her2het analyze` writes beside it (e.g. the app's download): every
	// figure is inlined unless MaxFigureBytes is set, and a cut table's note says
	// where its full version can be had instead of naming a file beside it.
	Standalone bool `json:"standalone,omitempty"`

	// Render draws a figure; nil means chart.SVG(f, chart.Options{}). A caller
	// that has drawn the figures already (e.g. to write figures/*.svg) can hand
	// them over instead of drawing them twice. It must be deterministic.
	Render func(f *plotdata.Figure) ([]byte, error) `json:"-"`
}

// Defaults of the Document limits.
const (
	DefaultMaxTableRows    = 50
	DefaultMaxTableColumns = 20
	DefaultMaxFigureBytes  = 4 << 20
)

// Section is one analysis of the report.
type Section struct {
	// ID is a stable identifier (the anchor is "sec-" + ID).
	ID    string `json:"id"`
	Title string `json:"title"`
	// Summary is plain text, one paragraph per element.
	Summary []string `json:"summary,omitempty"`
	// Skipped, when not empty, is why the analysis was not run.
	Skipped string            `json:"skipped,omitempty"`
	Figures []plotdata.Figure `json:"figures,omitempty"`
	Tables  []plotdata.Table  `json:"tables,omitempty"`
	Notes   []string          `json:"notes,omitempty"`
}

// Input is one analysed file.
type Input struct {
	Name string `json:"name"`
	// Kind is what the file was read as (e.g. "counts", "samples").
	Kind string `json:"kind,omitempty"`
	// Size is the file's size in bytes as given (before decompression).
	Size int64 `json:"size"`
	// SHA256 is the hex digest of the file's bytes.
	SHA256 string `json:"sha256"`
	// Detail is a short description, e.g. "20000 genes x 285 samples".
	Detail string `json:"detail,omitempty"`
}

// HTML writes d as one self-contained HTML5 file: the stylesheet inline, a header
// (with a "Synthetic example data" banner when d.Synthetic), a table of contents,
// the methods, each section's summary, notes, figures (inline SVG from
// chart.SVG, with their captions and parameters) and tables, then the inputs with
// their SHA-256 digests, the parameters and the versions. Figures and tables are
// numbered in order. A figure chart.SVG cannot draw, or one larger than
// MaxFigureBytes, becomes a note; a table longer than MaxTableRows shows its
// first rows and names tables/<id>.tsv. Numeric cells show 4 significant digits
// with the full value as a tooltip. All text is HTML-escaped; the file refers to
// nothing outside itself. It returns the first error of w, or an error for a nil
// document.
func HTML(w io.Writer, d *Document) error {
	if d == nil {
		return fmt.Errorf("report: no document")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	r := &writer{w: bw, d: d, ids: map[string]bool{}}
	r.document()
	if r.err != nil {
		return r.err
	}
	return bw.Flush()
}

// writer accumulates the first write error.
type writer struct {
	w   *bufio.Writer
	d   *Document
	err error
	ids map[string]bool // anchors handed out, for uniqueness (never iterated)

	nfig, ntab int
	toc        string // anchor of the table of contents
}

func (r *writer) s(parts ...string) {
	if r.err != nil {
		return
	}
	for _, p := range parts {
		if _, err := r.w.WriteString(p); err != nil {
			r.err = err
			return
		}
	}
}

func (r *writer) raw(b []byte) {
	if r.err != nil {
		return
	}
	if _, err := r.w.Write(b); err != nil {
		r.err = err
	}
}

var esc = html.EscapeString

// anchor returns a unique fragment identifier prefix + slug(name), with -2, -3,
// ... appended to repeats.
func (r *writer) anchor(prefix, name string) string {
	base := prefix + slug(name)
	id := base
	for n := 2; r.ids[id]; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	r.ids[id] = true
	return id
}

// slug keeps ASCII letters, digits, '-' and '_' (lower-cased) and turns runs of
// anything else into one '-'.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if out == "" {
		out = "x"
	}
	return out
}

func (r *writer) document() {
	d := r.d
	title := d.Title
	if title == "" {
		title = "her2het report"
	}
	head := title
	if d.Synthetic {
		head += " (synthetic example data)"
	}
	r.s("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
		"<title>", esc(head), "</title>\n<style>\n", stylesheet)
	if d.Synthetic {
		r.s(syntheticPages)
	}
	r.s("</style>\n</head>\n<body>\n")

	cls := "masthead"
	if d.Synthetic {
		cls += " synthetic"
	}
	r.s("<header class=\"", cls, "\">\n")
	if d.Synthetic {
		r.s("<p class=\"banner\" role=\"note\"><strong>Synthetic example data.</strong> ",
			"This report was made from her2het&#39;s built-in example cohort, a seeded simulation shaped like the study. ",
			"It contains no patient data and its results say nothing about patients.</p>\n")
	}
	r.s("<h1>", esc(title), "</h1>\n")
	if d.Subtitle != "" {
		r.s("<p class=\"subtitle\">", esc(d.Subtitle), "</p>\n")
	}
	if d.Generated != "" {
		r.s("<p class=\"generated\">", esc(d.Generated), "</p>\n")
	}
	r.s("</header>\n")

	// Anchors are fixed before the table of contents is written.
	tocID := r.anchor("", "contents")
	r.toc = tocID
	secIDs := make([]string, len(d.Sections))
	methodsID := r.anchor("", "methods")
	for i, s := range d.Sections {
		name := s.ID
		if name == "" {
			name = s.Title
		}
		secIDs[i] = r.anchor("sec-", name)
	}
	inputsID := r.anchor("", "inputs")
	paramsID := r.anchor("", "parameters")
	versionsID := r.anchor("", "versions")

	r.s("<nav class=\"toc\" id=\"", tocID, "\" aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n")
	if d.Methods != "" {
		r.s("<li><a href=\"#", methodsID, "\">Methods</a></li>\n")
	}
	for i, s := range d.Sections {
		r.s("<li><a href=\"#", secIDs[i], "\">", esc(sectionTitle(s)), "</a>")
		switch {
		case s.Skipped != "":
			r.s(" <span class=\"muted\">(not run)</span>")
		case len(s.Figures)+len(s.Tables) > 0:
			var parts []string
			if n := len(s.Figures); n > 0 {
				parts = append(parts, strconv.Itoa(n)+plural(n, " figure", " figures"))
			}
			if n := len(s.Tables); n > 0 {
				parts = append(parts, strconv.Itoa(n)+plural(n, " table", " tables"))
			}
			r.s(" <span class=\"muted\">(", strings.Join(parts, ", "), ")</span>")
		}
		r.s("</li>\n")
	}
	if len(d.Inputs) > 0 {
		r.s("<li><a href=\"#", inputsID, "\">Inputs</a></li>\n")
	}
	if len(d.Params) > 0 {
		r.s("<li><a href=\"#", paramsID, "\">Parameters</a></li>\n")
	}
	if len(d.Versions) > 0 {
		r.s("<li><a href=\"#", versionsID, "\">Software and reference data</a></li>\n")
	}
	r.s("</ol>\n</nav>\n<main>\n")

	if d.Methods != "" {
		r.s("<section id=\"", methodsID, "\" class=\"methods\">\n<h2>Methods</h2>\n")
		r.paragraphs(paragraphs(d.Methods), "")
		r.s("</section>\n")
	}
	for i := range d.Sections {
		r.section(&d.Sections[i], secIDs[i])
	}
	if len(d.Inputs) > 0 {
		r.s("<section id=\"", inputsID, "\" class=\"meta\">\n<h2>Inputs</h2>\n",
			"<p>Every file analysed, with the SHA-256 digest of its bytes as given (before decompression).</p>\n",
			"<div class=\"table-wrap\"><table class=\"inputs\">\n<thead><tr><th scope=\"col\">file</th><th scope=\"col\">kind</th>",
			"<th scope=\"col\" class=\"num\">bytes</th><th scope=\"col\">SHA-256</th><th scope=\"col\">contents</th></tr></thead>\n<tbody>\n")
		for _, in := range d.Inputs {
			r.s("<tr><td>", esc(in.Name), "</td><td>", esc(in.Kind), "</td><td class=\"num\">", strconv.FormatInt(in.Size, 10),
				"</td><td><code class=\"hash\">", esc(in.SHA256), "</code></td><td class=\"long\">", esc(in.Detail), "</td></tr>\n")
		}
		r.s("</tbody>\n</table></div>\n</section>\n")
	}
	if len(d.Params) > 0 {
		r.s("<section id=\"", paramsID, "\" class=\"meta\">\n<h2>Parameters</h2>\n")
		r.params(d.Params, "params")
		r.s("</section>\n")
	}
	if len(d.Versions) > 0 {
		r.s("<section id=\"", versionsID, "\" class=\"meta\">\n<h2>Software and reference data</h2>\n")
		r.params(d.Versions, "params")
		r.s("</section>\n")
	}
	r.s("</main>\n<footer>\n<p>A self-contained file: the figures are inline SVG and nothing is loaded from elsewhere.")
	if !d.Standalone {
		r.s(" The full tables are tab-separated files in tables/ beside this report.")
	}
	r.s("</p>\n</footer>\n</body>\n</html>\n")
}

func sectionTitle(s Section) string {
	if s.Title != "" {
		return s.Title
	}
	return s.ID
}

// paragraphs splits text at blank lines.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (r *writer) paragraphs(ps []string, class string) {
	for _, p := range ps {
		if strings.TrimSpace(p) == "" {
			continue
		}
		if class != "" {
			r.s("<p class=\"", class, "\">", esc(p), "</p>\n")
		} else {
			r.s("<p>", esc(p), "</p>\n")
		}
	}
}

func (r *writer) params(ps []plotdata.Param, class string) {
	r.s("<dl class=\"", class, "\">\n")
	for _, p := range ps {
		r.s("<dt>", esc(p.Name), "</dt><dd>", esc(p.Value), "</dd>\n")
	}
	r.s("</dl>\n")
}

func (r *writer) section(s *Section, id string) {
	cls := "analysis"
	if s.Skipped != "" {
		cls += " skipped"
	}
	r.s("<section id=\"", id, "\" class=\"", cls, "\">\n<h2>", esc(sectionTitle(*s)),
		" <a class=\"top\" href=\"#", r.toc, "\" title=\"Back to the contents\">&#8593;</a></h2>\n")
	r.paragraphs(s.Summary, "")
	if s.Skipped != "" {
		r.s("<p class=\"skip\"><strong>Not run:</strong> ", esc(s.Skipped), "</p>\n")
	}
	if len(s.Notes) > 0 {
		r.s("<ul class=\"notes\">\n")
		for _, n := range s.Notes {
			r.s("<li>", esc(n), "</li>\n")
		}
		r.s("</ul>\n")
	}
	if len(s.Figures) > 0 {
		r.s("<div class=\"figures\">\n")
		for i := range s.Figures {
			r.figure(&s.Figures[i])
		}
		r.s("</div>\n")
	}
	for _, t := range s.Tables {
		r.table(t)
	}
	r.s("</section>\n")
}

// svgNS is the namespace declaration chart.SVG writes; HTML5 parsers do not need
// it inside HTML, and dropping it leaves no URL anywhere in the markup.
var svgNS = []byte(` xmlns="http://www.w3.org/2000/svg"`)

func (r *writer) figure(f *plotdata.Figure) {
	r.nfig++
	n := strconv.Itoa(r.nfig)
	name := f.ID
	if name == "" {
		name = f.Title
	}
	id := r.anchor("fig-", name)
	title := f.Title
	if title == "" {
		title = f.ID
	}
	var svg []byte
	var err error
	if r.d.Render != nil {
		svg, err = r.d.Render(f)
	} else {
		svg, err = chart.SVG(f, chart.Options{})
	}
	limit := r.d.MaxFigureBytes
	if limit == 0 && !r.d.Standalone {
		limit = DefaultMaxFigureBytes
	}
	r.s("<figure id=\"", id, "\">\n")
	switch {
	case err != nil:
		r.s("<p class=\"missing\">This figure could not be drawn: ", esc(err.Error()), "</p>\n")
	case limit > 0 && len(svg) > limit:
		r.s("<p class=\"missing\">This figure is ", fmt.Sprintf("%.1f MB", float64(len(svg))/1e6),
			" as SVG and is not inlined; it is figures/", esc(f.ID), ".svg beside this report.</p>\n")
	default:
		r.s("<div class=\"chart\">")
		r.raw(bytes.Replace(svg, svgNS, nil, 1))
		r.s("</div>\n")
	}
	r.s("<figcaption><strong>Figure ", n, ".</strong> ", esc(sentence(title)))
	if f.Caption != "" {
		r.s(" ", esc(f.Caption))
	}
	r.s("\n")
	if len(f.Params) > 0 {
		r.params(f.Params, "fig-params")
	}
	r.s("</figcaption>\n</figure>\n")
}

func (r *writer) table(t plotdata.Table) {
	r.ntab++
	name := t.ID
	if name == "" {
		name = t.Title
	}
	id := r.anchor("tab-", name)
	title := t.Title
	if title == "" {
		title = t.ID
	}
	limit := r.d.MaxTableRows
	if limit == 0 {
		limit = DefaultMaxTableRows
	}
	rows := t.Rows
	cut := limit > 0 && len(rows) > limit
	if cut {
		rows = rows[:limit]
	}
	ncol := len(t.Columns)
	for _, row := range t.Rows {
		ncol = max(ncol, len(row))
	}
	allCols := ncol
	climit := r.d.MaxTableColumns
	if climit == 0 {
		climit = DefaultMaxTableColumns
	}
	if climit > 0 && ncol > climit {
		ncol = climit
	}
	r.s("<div class=\"table-wrap\" id=\"", id, "\">\n<table>\n<caption><strong>Table ", strconv.Itoa(r.ntab), ".</strong> ", esc(title),
		" <span class=\"muted\">(", strconv.Itoa(len(t.Rows)), plural(len(t.Rows), " row", " rows"), ")</span></caption>\n")
	// A column is numeric when every shown non-missing cell is a number.
	numeric := make([]bool, ncol)
	for j := range numeric {
		seen := false
		numeric[j] = true
		for _, row := range rows {
			if j >= len(row) || isNA(row[j]) {
				continue
			}
			if _, err := strconv.ParseFloat(strings.TrimSpace(row[j]), 64); err != nil {
				numeric[j] = false
				break
			}
			seen = true
		}
		numeric[j] = numeric[j] && seen
	}
	if len(t.Columns) > 0 {
		r.s("<thead><tr>")
		for j := 0; j < ncol; j++ {
			c := ""
			if j < len(t.Columns) {
				c = t.Columns[j]
			}
			if numeric[j] {
				r.s("<th scope=\"col\" class=\"num\">", esc(c), "</th>")
			} else {
				r.s("<th scope=\"col\">", esc(c), "</th>")
			}
		}
		r.s("</tr></thead>\n")
	}
	r.s("<tbody>\n")
	for _, row := range rows {
		r.s("<tr>")
		for j := 0; j < ncol; j++ {
			c := ""
			if j < len(row) {
				c = row[j]
			}
			r.cell(c, numeric[j])
		}
		r.s("</tr>\n")
	}
	r.s("</tbody>\n</table>\n</div>\n")
	if cut || ncol < allCols {
		file := "tables/" + t.ID + ".tsv"
		if t.ID == "" {
			file = "in the tables/ folder"
		}
		if r.d.Standalone {
			file = "not in this file; her2het analyze writes it as " + file + " and the app exports it as TSV"
			if t.ID == "" {
				file = "not in this file; her2het analyze writes it in its tables/ folder and the app exports it as TSV"
			}
		}
		var what []string
		if cut {
			what = append(what, "the first "+strconv.Itoa(len(rows))+" of "+strconv.Itoa(len(t.Rows))+" rows")
		}
		if ncol < allCols {
			what = append(what, "the first "+strconv.Itoa(ncol)+" of "+strconv.Itoa(allCols)+" columns")
		}
		r.s("<p class=\"note\">Showing ", strings.Join(what, " and "), "; the whole table is ", esc(file), ".</p>\n")
	}
}

// sentence ends s with a full stop unless it ends with punctuation already.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsRune(".!?:", rune(s[len(s)-1])) {
		return s
	}
	return s + "."
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func isNA(s string) bool {
	switch strings.TrimSpace(s) {
	case "", "NA", "NaN":
		return true
	}
	return false
}

// cell writes one table cell; non-integer numbers longer than 7 characters are
// shown with 4 significant digits, the full text in the title attribute; text
// longer than 40 bytes may wrap, shorter text does not.
func (r *writer) cell(c string, numeric bool) {
	switch {
	case isNA(c) && numeric:
		r.s("<td class=\"num na\">", esc(strings.TrimSpace(c)), "</td>")
	case numeric:
		t := strings.TrimSpace(c)
		if short, ok := shorten(t); ok {
			r.s("<td class=\"num\" title=\"", esc(t), "\">", esc(short), "</td>")
		} else {
			r.s("<td class=\"num\">", esc(t), "</td>")
		}
	case len(c) > 40:
		r.s("<td class=\"long\">", esc(c), "</td>")
	default:
		r.s("<td>", esc(c), "</td>")
	}
}

// shorten returns a number's text with 4 significant digits when that is
// shorter than the text given.
func shorten(t string) (string, bool) {
	if len(t) <= 7 || !strings.ContainsAny(t, ".eE") {
		return "", false
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return "", false
	}
	s := strconv.FormatFloat(v, 'g', 4, 64)
	if len(s) >= len(t) {
		return "", false
	}
	return s, true
}
