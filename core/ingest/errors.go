package ingest

import (
	"fmt"
	"strings"
)

// ParseError is a rejection of a user's file at a position.
// Line is 1-based (0 if unknown); Column is the 1-based field index (0 if the
// whole line is at fault).
type ParseError struct {
	File   string
	Line   int
	Column int
	Msg    string
}

// Error returns "file:line:column: msg".
func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// Warning is a non-fatal remark about a loaded file.
type Warning struct {
	File   string
	Line   int // 0 if the warning concerns the whole file
	Column int
	Msg    string
}

func (w Warning) String() string {
	if w.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", w.File, w.Line, w.Column, w.Msg)
	}
	return fmt.Sprintf("%s: %s", w.File, w.Msg)
}

// Report records what a load did beyond the numbers: warnings, notes and a count of
// everything left out. Nothing is dropped without a count here.
type Report struct {
	Warnings []Warning
	Notes    []string // neutral facts (detected delimiter, transposition, ...)

	ExcludedRows    int                // data rows not kept (summary rows, comments inside data, blank lines are not counted)
	ExcludedSamples int                // sample columns not kept
	ExcludedGenes   int                // genes not kept (unmapped, missing from tx2gene, ...)
	SummaryRows     map[string]float64 // e.g. HTSeq "__no_feature" or STAR "N_unmapped" -> total over samples
	MergedGenes     int                // rows summed into another row with the same gene after mapping
	Unmapped        int                // gene identifiers that did not resolve
	ExcelMangled    []string
}

func (r *Report) warnf(file string, line, col int, format string, a ...any) {
	r.Warnings = append(r.Warnings, Warning{File: file, Line: line, Column: col, Msg: fmt.Sprintf(format, a...)})
}

func (r *Report) notef(format string, a ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, a...))
}

// Merge appends o's content to r.
func (r *Report) Merge(o Report) {
	r.Warnings = append(r.Warnings, o.Warnings...)
	r.Notes = append(r.Notes, o.Notes...)
	r.ExcludedRows += o.ExcludedRows
	r.ExcludedSamples += o.ExcludedSamples
	r.ExcludedGenes += o.ExcludedGenes
	r.MergedGenes += o.MergedGenes
	r.Unmapped += o.Unmapped
	r.ExcelMangled = append(r.ExcelMangled, o.ExcelMangled...)
	for k, v := range o.SummaryRows {
		if r.SummaryRows == nil {
			r.SummaryRows = map[string]float64{}
		}
		r.SummaryRows[k] += v
	}
}

// quoteField shows a cell in a message, shortened if long.
func quoteField(s string) string {
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return fmt.Sprintf("%q", s)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

var _ = strings.TrimSpace
