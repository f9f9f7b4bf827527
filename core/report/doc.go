// Package report writes her2het's results as one self-contained HTML file and as
// R-friendly tab-separated tables.
//
// A Document is plain data: a title, the analyses as Sections of text,
// core/plotdata figures and tables, the methods paragraph, the parameters used,
// the software and reference-data versions and the SHA-256 digest of every input.
// HTML writes it as a single file that opens offline in any browser and prints
// well (an A4 @media print layout, each analysis on a new page): the stylesheet
// is inline in the head, figures are inline SVG drawn by core/chart (or by
// Document.Render, to reuse figures already drawn), and nothing refers to
// anything outside the file: no scripts, fonts, images or stylesheets to load,
// no links other than to fragments of the file itself. A synthetic document
// (the built-in example cohort) says so in a banner, in the window title and at
// the top of every printed page.
//
// Long tables show their first rows and columns (Document.MaxTableRows,
// MaxTableColumns) with a note naming the full table, tables/<id>.tsv, which the
// caller writes with TSV; a figure too large to inline (MaxFigureBytes, e.g. a
// sample correlation heatmap of hundreds of samples) is replaced by a note naming
// figures/<id>.svg. A Standalone document (the app's download, with no
// folders beside it) inlines every figure and says where full tables can be had.
//
// FromStudy turns a core/study Result into a Document, so the CLI
// (`her2het analyze`) and the browser engine produce the same report. Check is
// the small tokenizer the tests use to assert that a report is well-formed and
// self-contained; callers may use it on their own output too.
//
// Determinism: the output depends only on the Document. Nothing is read from the
// clock or the environment (Document.Generated is the caller's text; leave it
// empty for byte-identical reports) and no map is iterated, so identical
// documents give identical bytes natively and under GOOS=js GOARCH=wasm.
package report
