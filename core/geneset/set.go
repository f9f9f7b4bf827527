package geneset

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Set is a named gene set. Genes are identifiers (symbols or Entrez IDs, as
// the source has them), unique within the set, in the order first seen.
type Set struct {
	Name        string
	Description string
	Genes       []string
}

// ParseError reports a malformed gene-set file at a 1-based line and column.
// Its message has the form "file:line:column: message".
type ParseError struct {
	File   string
	Line   int
	Column int
	Msg    string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// lineReader returns lines without their end of line (LF or CRLF), of any length.
type lineReader struct {
	br   *bufio.Reader
	line int
}

func (lr *lineReader) next() (string, error) {
	s, err := lr.br.ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && s != "") {
		return "", err
	}
	lr.line++
	s = strings.TrimSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\r")
	return s, nil
}

// ReadGMT reads a GMT file (Broad/MSigDB format): one set per line,
// "name<TAB>description<TAB>gene<TAB>gene...". Blank lines and lines starting
// with '#' are skipped; empty gene fields (e.g. a trailing tab) are ignored;
// surrounding spaces are trimmed; a gene repeated within a set is kept once.
// A set with no genes, an empty name or a name already seen is an error.
// name is used in error messages only ("file:line:column: message").
func ReadGMT(name string, r io.Reader) ([]Set, error) {
	lr := &lineReader{br: bufio.NewReaderSize(r, 1<<16)}
	var sets []Set
	seen := map[string]int{}
	for {
		s, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &ParseError{File: name, Line: lr.line + 1, Column: 1, Msg: err.Error()}
		}
		if strings.TrimSpace(s) == "" || strings.HasPrefix(s, "#") {
			continue
		}
		fields := strings.Split(s, "\t")
		if len(fields) < 2 {
			return nil, &ParseError{File: name, Line: lr.line, Column: len(s) + 1, Msg: "gene set line needs a name, a description and genes separated by tabs"}
		}
		setName := strings.TrimSpace(fields[0])
		if setName == "" {
			return nil, &ParseError{File: name, Line: lr.line, Column: 1, Msg: "empty gene set name"}
		}
		if prev, dup := seen[setName]; dup {
			return nil, &ParseError{File: name, Line: lr.line, Column: 1, Msg: fmt.Sprintf("gene set %q already defined on line %d", setName, prev)}
		}
		seen[setName] = lr.line
		set := Set{Name: setName, Description: strings.TrimSpace(fields[1])}
		inSet := map[string]bool{}
		for _, f := range fields[2:] {
			g := strings.TrimSpace(f)
			if g == "" || inSet[g] {
				continue
			}
			inSet[g] = true
			set.Genes = append(set.Genes, g)
		}
		if len(set.Genes) == 0 {
			return nil, &ParseError{File: name, Line: lr.line, Column: len(s) + 1, Msg: fmt.Sprintf("gene set %q has no genes", setName)}
		}
		sets = append(sets, set)
	}
	if len(sets) == 0 {
		return nil, &ParseError{File: name, Line: lr.line + 1, Column: 1, Msg: "no gene sets found"}
	}
	return sets, nil
}

// ReadGMX reads a GMX file (Broad format): one set per column; the first line
// holds the set names, the second the descriptions, the following lines the
// genes (columns may be ragged or padded with empty fields). Rules for blanks,
// duplicates and errors are those of ReadGMT.
func ReadGMX(name string, r io.Reader) ([]Set, error) {
	lr := &lineReader{br: bufio.NewReaderSize(r, 1<<16)}
	var sets []Set
	var inSet []map[string]bool
	row := 0
	for {
		s, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &ParseError{File: name, Line: lr.line + 1, Column: 1, Msg: err.Error()}
		}
		if strings.TrimSpace(s) == "" || (row == 0 && strings.HasPrefix(s, "#")) {
			continue
		}
		fields := strings.Split(s, "\t")
		switch row {
		case 0:
			seen := map[string]int{}
			col := 1
			for i, f := range fields {
				n := strings.TrimSpace(f)
				if n == "" {
					if i == len(fields)-1 {
						break
					}
					return nil, &ParseError{File: name, Line: lr.line, Column: col, Msg: "empty gene set name"}
				}
				if _, dup := seen[n]; dup {
					return nil, &ParseError{File: name, Line: lr.line, Column: col, Msg: fmt.Sprintf("gene set %q appears twice", n)}
				}
				seen[n] = i
				sets = append(sets, Set{Name: n})
				inSet = append(inSet, map[string]bool{})
				col += len(f) + 1
			}
		case 1:
			for i, f := range fields {
				if i < len(sets) {
					sets[i].Description = strings.TrimSpace(f)
				}
			}
		default:
			col := 1
			for i, f := range fields {
				g := strings.TrimSpace(f)
				if g != "" {
					if i >= len(sets) {
						return nil, &ParseError{File: name, Line: lr.line, Column: col, Msg: fmt.Sprintf("gene in column %d but only %d gene sets are named", i+1, len(sets))}
					}
					if !inSet[i][g] {
						inSet[i][g] = true
						sets[i].Genes = append(sets[i].Genes, g)
					}
				}
				col += len(f) + 1
			}
		}
		row++
	}
	if len(sets) == 0 {
		return nil, &ParseError{File: name, Line: lr.line + 1, Column: 1, Msg: "no gene sets found"}
	}
	for _, st := range sets {
		if len(st.Genes) == 0 {
			return nil, &ParseError{File: name, Line: lr.line + 1, Column: 1, Msg: fmt.Sprintf("gene set %q has no genes", st.Name)}
		}
	}
	return sets, nil
}
