package ingest

import (
	"bytes"
	"io"
)

// source yields rows of fields with their 1-based line (or spreadsheet row) number.
type source interface {
	next() (fields [][]byte, line int, err error)
}

// textSource splits delimited text lines. Leading lines starting with '#' are
// collected in comments; blank lines are skipped everywhere.
type textSource struct {
	file     string
	lr       *lineReader
	delim    byte
	decComma bool
	fields   [][]byte
	scratch  []byte
	pending  [][]byte
	pendLine []int
	comments []string
	avgLine  float64 // mean length of the first data lines, for size estimates
}

// newTextSource reads leading comments and up to 8 lines to detect the delimiter
// (unless delim != 0) and a decimal comma.
func newTextSource(file string, r io.Reader, delim byte, progress func(int64)) (*textSource, error) {
	ts := &textSource{file: file, lr: newLineReader(r, progress)}
	started := false
	for len(ts.pending) < 8 {
		l, err := ts.lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if !started && len(l) > 0 && (l[0] == '#' || l[0] == '!') {
			ts.comments = append(ts.comments, string(l))
			continue
		}
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		started = true
		ts.pending = append(ts.pending, append([]byte(nil), l...))
		ts.pendLine = append(ts.pendLine, ts.lr.line)
	}
	if delim == 0 {
		delim = detectDelimiter(ts.pending)
	}
	if len(ts.pending) > 1 {
		var sum int
		for _, l := range ts.pending[1:] {
			sum += len(l) + 1
		}
		ts.avgLine = float64(sum) / float64(len(ts.pending)-1)
	}
	ts.delim = delim
	if delim != ',' && len(ts.pending) > 1 {
		var all [][]byte
		for _, l := range ts.pending[1:] {
			f, _, err := splitFields(l, delim, nil, new([]byte))
			if err == nil && len(f) > 1 {
				all = append(all, f[1:]...)
			}
		}
		ts.decComma = looksDecimalComma(all)
	}
	return ts, nil
}

func (ts *textSource) next() ([][]byte, int, error) {
	line, no, err := ts.nextRaw()
	if err != nil {
		return nil, no, err
	}
	return ts.split(line, no)
}

// nextRaw returns the next non-blank line unsplit.
func (ts *textSource) nextRaw() ([]byte, int, error) {
	for {
		var line []byte
		var no int
		if len(ts.pending) > 0 {
			line, no = ts.pending[0], ts.pendLine[0]
			ts.pending, ts.pendLine = ts.pending[1:], ts.pendLine[1:]
		} else {
			l, err := ts.lr.next()
			if err != nil {
				return nil, ts.lr.line, err
			}
			line, no = l, ts.lr.line
		}
		if len(line) == 0 || (len(line) < 8 && len(bytes.TrimSpace(line)) == 0) {
			continue
		}
		return line, no, nil
	}
}

func (ts *textSource) split(line []byte, no int) ([][]byte, int, error) {
	f, col, err := splitFields(line, ts.delim, ts.fields, &ts.scratch)
	if err != nil {
		return nil, no, &ParseError{File: ts.file, Line: no, Column: col, Msg: quoteHint(err)}
	}
	ts.fields = f
	return f, no, nil
}

// sliceSource serves rows held in memory (spreadsheets).
type sliceSource struct {
	rows  [][]string
	lines []int
	i     int
	buf   [][]byte
}

func (s *sliceSource) next() ([][]byte, int, error) {
	for s.i < len(s.rows) {
		r := s.rows[s.i]
		no := s.i + 1
		if s.lines != nil {
			no = s.lines[s.i]
		}
		s.i++
		empty := true
		for _, c := range r {
			if len(bytes.TrimSpace([]byte(c))) > 0 {
				empty = false
				break
			}
		}
		if empty {
			continue
		}
		s.buf = s.buf[:0]
		for _, c := range r {
			s.buf = append(s.buf, []byte(c))
		}
		return s.buf, no, nil
	}
	return nil, s.i, io.EOF
}

func quoteHint(err error) string {
	if err == errUnterminatedQuote {
		return "unterminated quote; a field that starts with '\"' must end with '\"' on the same line (line breaks inside quotes are not supported)"
	}
	return err.Error() + "; a quoted field must be followed by the delimiter or the end of the line"
}
