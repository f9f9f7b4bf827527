package fish

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// ParseError reports a problem in an input file at a 1-based line and column
// (column in bytes; 0 when the whole line is concerned). Its text is
// "file:line:column: message".
type ParseError struct {
	File   string
	Line   int
	Column int
	Err    error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %v", e.File, e.Line, e.Column, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// normHeader lowers a column name and keeps letters and digits only ("%" becomes
// "pct"), so "ERBB2 signals", "erbb2_signals" and "ERBB2.Signals" are one name.
func normHeader(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '%':
			b.WriteString("pct")
		}
	}
	return b.String()
}

// field is one recognised column with its normalised synonyms.
type field struct {
	name     string
	synonyms []string
}

// tableReader reads a delimited table (tab, comma or semicolon, detected from the
// header line) and maps its columns onto fields by synonym.
type tableReader struct {
	file   string
	cr     *csv.Reader
	col    []int // field index -> column, -1 when absent
	fields []field
	header []string
	rec    []string
	err    error
}

func newTableReader(r io.Reader, file string, fields []field) *tableReader {
	br := bufio.NewReaderSize(r, 64<<10)
	t := &tableReader{file: file, fields: fields}
	// Detect the delimiter from the first non-comment line within the peek window.
	peek, _ := br.Peek(64 << 10)
	peek = bytes.TrimPrefix(peek, []byte("\xef\xbb\xbf"))
	line := peek
	for len(line) > 0 && line[0] == '#' {
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line = line[i+1:]
		} else {
			line = nil
		}
	}
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	comma := ','
	switch {
	case bytes.Count(line, []byte("\t")) > 0:
		comma = '\t'
	case bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")):
		comma = ';'
	}
	if bytes.HasPrefix(peekOrEmpty(br), []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	t.cr = csv.NewReader(br)
	t.cr.Comma = comma
	t.cr.Comment = '#'
	t.cr.FieldsPerRecord = -1
	t.cr.ReuseRecord = true
	t.cr.LazyQuotes = true
	return t
}

func peekOrEmpty(br *bufio.Reader) []byte {
	b, _ := br.Peek(3)
	return b
}

func (t *tableReader) errAt(line, col int, format string, a ...any) error {
	return &ParseError{File: t.file, Line: line, Column: col, Err: fmt.Errorf(format, a...)}
}

func (t *tableReader) wrapCSV(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{File: t.file, Line: pe.Line, Column: pe.Column, Err: pe.Err}
	}
	return &ParseError{File: t.file, Line: 0, Column: 0, Err: err}
}

// readHeader reads the header and maps fields; required lists field indices that must
// be present.
func (t *tableReader) readHeader(required ...int) error {
	rec, err := t.cr.Read()
	if err == io.EOF {
		return t.errAt(1, 1, "empty file: no header line")
	}
	if err != nil {
		return t.wrapCSV(err)
	}
	t.header = append([]string(nil), rec...)
	t.col = make([]int, len(t.fields))
	rank := make([]int, len(t.fields)) // index of the synonym that matched, lower is better
	for i := range t.col {
		t.col[i] = -1
	}
	for j, h := range t.header {
		n := normHeader(h)
		if n == "" {
			continue
		}
		for i, f := range t.fields {
			for k, s := range f.synonyms {
				if n != s {
					continue
				}
				switch {
				case t.col[i] < 0 || k < rank[i]:
					t.col[i], rank[i] = j, k
				case k == rank[i]:
					line, col := t.cr.FieldPos(j)
					return t.errAt(line, col, "column %q repeats the %s column %q", h, f.name, t.header[t.col[i]])
				}
				break
			}
		}
	}
	for _, i := range required {
		if t.col[i] < 0 {
			return t.errAt(1, 1, "no %s column (recognised names: %s)", t.fields[i].name, strings.Join(t.fields[i].synonyms, ", "))
		}
	}
	return nil
}

// next reads the next non-empty record into t.rec. A row with fewer fields than
// the header is an error at the end of the row (a missing value must be written,
// e.g. NA, so that no value shifts into another column); so is a non-empty field
// beyond the header's last column (empty ones, as from a trailing delimiter, are
// ignored).
func (t *tableReader) next() error {
	for {
		rec, err := t.cr.Read()
		if err != nil {
			if err == io.EOF {
				return io.EOF
			}
			return t.wrapCSV(err)
		}
		empty := true
		for _, f := range rec {
			if strings.TrimSpace(f) != "" {
				empty = false
				break
			}
		}
		if empty {
			continue
		}
		if len(rec) < len(t.header) {
			last := len(rec) - 1
			line, col := t.cr.FieldPos(last)
			missing := make([]string, 0, len(t.header)-len(rec))
			for _, h := range t.header[len(rec):] {
				missing = append(missing, strconv.Quote(h))
			}
			return t.errAt(line, col+len(rec[last]), "row has %d fields but the header has %d: no value for %s (write NA for a value that was not measured)",
				len(rec), len(t.header), strings.Join(missing, ", "))
		}
		for j := len(t.header); j < len(rec); j++ {
			if strings.TrimSpace(rec[j]) != "" {
				line, col := t.cr.FieldPos(j)
				return t.errAt(line, col, "row has %d fields but the header has %d: value %q has no column", len(rec), len(t.header), rec[j])
			}
		}
		t.rec = rec
		return nil
	}
}

// get returns the trimmed value of field i in the current record ("" when absent).
func (t *tableReader) get(i int) string {
	j := t.col[i]
	if j < 0 || j >= len(t.rec) {
		return ""
	}
	return strings.TrimSpace(t.rec[j])
}

// pos returns the line and column of field i in the current record.
func (t *tableReader) pos(i int) (int, int) {
	j := t.col[i]
	if j < 0 || j >= len(t.rec) {
		line, _ := t.cr.FieldPos(0)
		return line, 0
	}
	return t.cr.FieldPos(j)
}

func isMissing(s string) bool {
	switch strings.ToLower(s) {
	case "", "na", "nan", "n/a", "nd", ".", "-":
		return true
	}
	return false
}

// number parses field i as a finite number >= 0; a missing value gives NaN.
func (t *tableReader) number(i int, what string) (float64, error) {
	s := t.get(i)
	if isMissing(s) {
		return math.NaN(), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		line, col := t.pos(i)
		return 0, t.errAt(line, col, "%s %q is not a number", what, s)
	}
	if v < 0 {
		line, col := t.pos(i)
		return 0, t.errAt(line, col, "%s %q is negative", what, s)
	}
	return v, nil
}
