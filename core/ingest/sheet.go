package ingest

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/her2het/her2het/core/dataset"
)

// ReadSampleSheet reads a sample sheet (one row per sample) from delimited text.
// Column roles come from their names (dataset.RoleOf) unless opts.Roles names them;
// levels are normalised (dataset.NormalizeLevel) and the mapping is noted; duplicate
// samples (first row kept, others counted), unknown levels and patient-level values
// that disagree between a patient's samples are reported.
func ReadSampleSheet(name string, r io.Reader, opts Options) (*dataset.SampleSheet, Report, error) {
	var rep Report
	br, notes, err := Open(name, r, opts.Progress)
	if err != nil {
		return nil, rep, err
	}
	for _, n := range notes {
		rep.notef("%s", n)
	}
	ts, err := newTextSource(name, br, opts.Delimiter, nil)
	if err != nil {
		return nil, rep, wrapIO(name, err)
	}
	s, err := readSheet(name, ts, &opts, &rep)
	return s, rep, err
}

func readSheet(name string, src source, opts *Options, rep *Report) (*dataset.SampleSheet, error) {
	hdr, hline, err := src.next()
	if err == io.EOF {
		return nil, &ParseError{File: name, Line: 1, Msg: "the sample sheet is empty"}
	}
	if err != nil {
		return nil, err
	}
	header := make([]string, len(hdr))
	for i, h := range hdr {
		header[i] = strings.TrimSpace(string(h))
	}
	sheet := &dataset.SampleSheet{}
	cols := make([]*dataset.SheetColumn, len(header))
	sampleCol := -1
	seenName := map[string]bool{}
	for i, h := range header {
		if h == "" {
			h = fmt.Sprintf("V%d", i+1)
		}
		if seenName[h] {
			return nil, &ParseError{File: name, Line: hline, Column: i + 1, Msg: fmt.Sprintf("column name %s appears twice in the header", quoteField(h))}
		}
		seenName[h] = true
		role := dataset.RoleOf(h)
		if r, ok := opts.Roles[h]; ok {
			role = r
		}
		if role == dataset.RoleSample {
			if sampleCol >= 0 {
				role = dataset.RoleOther
			} else {
				sampleCol = i
			}
		}
		cols[i] = &dataset.SheetColumn{Name: h, Role: role}
	}
	// only one column per role; later ones become "other"
	used := map[dataset.Role]string{}
	for _, c := range cols {
		if c.Role == dataset.RoleOther || c.Role == dataset.RoleIgnore {
			continue
		}
		if prev, dup := used[c.Role]; dup {
			rep.warnf(name, hline, 0, "columns %q and %q both look like %s; %q is used, %q kept as a plain covariate", prev, c.Name, c.Role, prev, c.Name)
			c.Role = dataset.RoleOther
			continue
		}
		used[c.Role] = c.Name
	}
	if sampleCol < 0 {
		sampleCol = 0
		cols[0].Role = dataset.RoleSample
		rep.warnf(name, hline, 1, "no column named like sampleID/sample/ID: the first column %q is taken as the sample identifier", cols[0].Name)
	}
	rowLine := map[string]int{}
	var lines []int
	for {
		f, no, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(f) > len(header) {
			extra := true
			for _, x := range f[len(header):] {
				if strings.TrimSpace(string(x)) != "" {
					extra = false
				}
			}
			if !extra {
				return nil, &ParseError{File: name, Line: no, Column: len(header) + 1, Msg: fmt.Sprintf("row has %d fields but the header has %d", len(f), len(header))}
			}
			f = f[:len(header)]
		}
		id := ""
		if sampleCol < len(f) {
			id = strings.TrimSpace(string(f[sampleCol]))
		}
		if id == "" {
			return nil, &ParseError{File: name, Line: no, Column: sampleCol + 1, Msg: fmt.Sprintf("empty sample identifier in column %q", header[sampleCol])}
		}
		if first, dup := rowLine[id]; dup {
			rep.ExcludedRows++
			rep.warnf(name, no, sampleCol+1, "sample %q already on line %d; this row is left out", id, first)
			continue
		}
		rowLine[id] = no
		lines = append(lines, no)
		sheet.Samples = append(sheet.Samples, id)
		for i, c := range cols {
			v := ""
			if i < len(f) {
				v = strings.TrimSpace(string(f[i]))
			}
			c.Raw = append(c.Raw, v)
		}
	}
	if len(sheet.Samples) == 0 {
		return nil, &ParseError{File: name, Line: hline, Msg: "the sample sheet has a header but no sample rows"}
	}
	for i, c := range cols {
		if c.Role == dataset.RoleIgnore {
			rep.notef("column %q ignored as asked", c.Name)
			continue
		}
		bad := c.Normalize()
		for _, b := range bad {
			ln := 0
			for k, raw := range c.Raw {
				if raw == b {
					ln = lines[k]
					break
				}
			}
			rep.warnf(name, ln, i+1, "%s in column %q is not a known %s level; kept as written", quoteField(b), c.Name, c.Role)
		}
		if c.Role != dataset.RoleOther && c.Role != dataset.RoleSample && c.Role != dataset.RolePatient && c.Role != dataset.RoleBatch {
			var parts []string
			for _, l := range c.Levels {
				v := l.Value
				if v == "" {
					v = "NA"
				}
				parts = append(parts, fmt.Sprintf("%s <- %s (%d)", v, strings.Join(quoteAll(l.From), ", "), l.N))
			}
			rep.notef("column %q as %s: %s", c.Name, c.Role, strings.Join(parts, "; "))
		}
		sheet.Columns = append(sheet.Columns, c)
	}
	for _, d := range sheet.PatientDisagreements() {
		rep.warnf(name, 0, 0, "%s", d.String())
	}
	return sheet, nil
}

func quoteAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}

// MatchSamples compares a sample sheet with a matrix's columns and reports samples
// present in only one of them (both counted as excluded samples).
func MatchSamples(sheet *dataset.SampleSheet, m *dataset.Matrix, sheetName, matrixName string) Report {
	var rep Report
	inSheet := map[string]bool{}
	for _, s := range sheet.Samples {
		inSheet[s] = true
	}
	inMat := map[string]bool{}
	var onlyMat, onlySheet []string
	for _, s := range m.Samples {
		inMat[s] = true
		if !inSheet[s] {
			onlyMat = append(onlyMat, s)
		}
	}
	for _, s := range sheet.Samples {
		if !inMat[s] {
			onlySheet = append(onlySheet, s)
		}
	}
	show := func(xs []string) string {
		ys := append([]string(nil), xs...)
		sort.Strings(ys)
		if len(ys) > 6 {
			return strings.Join(ys[:6], ", ") + ", ..."
		}
		return strings.Join(ys, ", ")
	}
	if len(onlyMat) > 0 {
		rep.ExcludedSamples += len(onlyMat)
		rep.warnf(matrixName, 0, 0, "%s not in the sample sheet %s: %s", plural(len(onlyMat), "sample", "samples"), sheetName, show(onlyMat))
	}
	if len(onlySheet) > 0 {
		rep.ExcludedSamples += len(onlySheet)
		rep.warnf(sheetName, 0, 0, "%s of the sample sheet not in %s: %s", plural(len(onlySheet), "sample", "samples"), matrixName, show(onlySheet))
	}
	// Names that differ only as R's make.names() changes them ("P01-site1" vs
	// "P01.site1", "1A" vs "X1A") are probably the same sample.
	if len(onlyMat) > 0 && len(onlySheet) > 0 {
		key := map[string]string{}
		for _, s := range onlyMat {
			key[makeNamesKey(s)] = s
		}
		var pairs []string
		for _, s := range onlySheet {
			if m, ok := key[makeNamesKey(s)]; ok {
				pairs = append(pairs, fmt.Sprintf("%q ~ %q", s, m))
			}
		}
		if len(pairs) > 0 {
			if len(pairs) > 4 {
				pairs = append(pairs[:4], "...")
			}
			rep.warnf(sheetName, 0, 0, "%s match after R's make.names() (e.g. %s): rename them to agree", plural(len(pairs), "sample name", "sample names"), strings.Join(pairs, ", "))
		}
	}
	return rep
}

// makeNamesKey maps a name to what R's make.names() would make of it, for matching.
func makeNamesKey(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			b[i] = '.'
		}
	}
	out := string(b)
	if len(out) > 0 && (out[0] >= '0' && out[0] <= '9' || out[0] == '_') {
		out = "X" + out
	}
	return out
}
