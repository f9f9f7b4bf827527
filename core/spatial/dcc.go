package spatial

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// ParseError is an error in a user file, at a 1-based line and column (0 when
// unknown). Its text is "file:line:column: message".
type ParseError struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

func perr(file string, line, col int, format string, a ...any) *ParseError {
	return &ParseError{File: file, Line: line, Col: col, Msg: fmt.Sprintf(format, a...)}
}

// Attr is one "key,value" line of a DCC section.
type Attr struct {
	Key, Value string
	Line       int
}

// DCC is one GeoMx NGS readout file (digital count conversion): the counts
// of every probe (RTS ID) in one segment, with the sequencing summary.
type DCC struct {
	File string
	// Header, Scan and NGS hold the key,value lines of the <Header>,
	// <Scan_Attributes> and <NGS_Processing_Attributes> sections in file order.
	Header, Scan, NGS []Attr
	// FileVersion and SoftwareVersion come from <Header>.
	FileVersion, SoftwareVersion string
	// SampleID is Scan_Attributes "ID" (e.g. DSP-1001250002642-A02); PlateID and Well follow it.
	SampleID, PlateID, Well string
	// Raw, Trimmed, Stitched and Aligned read counts (NGS_Processing_Attributes).
	Raw, Trimmed, Stitched, Aligned float64
	// UmiQ30 and RtsQ30 are NaN when absent.
	UmiQ30, RtsQ30 float64
	// Probes (RTS IDs) and Counts of <Code_Summary>, in file order.
	Probes []string
	Counts []float64
}

// Deduplicated is GeomxTools' DeduplicatedReads: the sum of the Code_Summary counts.
func (d *DCC) Deduplicated() float64 {
	s := 0.0
	for _, c := range d.Counts {
		s += c
	}
	return s
}

// Get returns the value of key in the attributes (case-sensitive) and whether it exists.
func getAttr(a []Attr, key string) (Attr, bool) {
	for _, x := range a {
		if x.Key == key {
			return x, true
		}
	}
	return Attr{}, false
}

var dccSections = []string{"Header", "Scan_Attributes", "NGS_Processing_Attributes", "Code_Summary"}

// ReadDCC reads a GeoMx DCC file as GeomxTools::readDccFile (GeomxTools 3.x)
// reads it, more strictly:
//
//   - lines are trimmed; sections open with <Name> and close with </Name>;
//     the four sections <Header>, <Scan_Attributes>, <NGS_Processing_Attributes>
//     and <Code_Summary> are required, each once; text outside sections (such as
//     the trailing checksum line of instrument files) is ignored, as is the
//     content of other sections;
//   - attribute lines are "key,value" split at the first comma, a value in
//     double quotes is unquoted; a line without a comma continues the previous
//     value (joined with a space, like readDccFile);
//   - Header needs FileVersion and SoftwareVersion; Scan_Attributes needs ID;
//     NGS_Processing_Attributes needs Raw, Trimmed, Stitched and Aligned as
//     non-negative integers (umiQ30 and rtsQ30 are optional numbers);
//   - Code_Summary lines are "RTS_ID,count" with a finite non-negative count,
//     rounded to an integer as readDccFile does (round half to even); an RTS
//     ID given twice is an error (readDccFile drops both with a warning).
//
// Errors are *ParseError with the line and column of the offending text.
func ReadDCC(r io.Reader, name string) (*DCC, error) {
	d := &DCC{File: name, UmiQ30: math.NaN(), RtsQ30: math.NaN(), Raw: math.NaN(), Trimmed: math.NaN(),
		Stitched: math.NaN(), Aligned: math.NaN()}
	br := bufio.NewReader(r)
	seen := map[string]int{}
	section, other := "", ""
	var attrs *[]Attr
	probeLine := map[string]int{}
	ln := 0
	for {
		raw, err := br.ReadBytes('\n')
		if len(raw) == 0 && err != nil {
			if err != io.EOF {
				return nil, perr(name, ln+1, 0, "read error: %v", err)
			}
			break
		}
		ln++
		if ln == 1 {
			raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
		}
		lead := len(raw) - len(bytes.TrimLeft(raw, " \t\r\n"))
		line := strings.TrimSpace(string(raw))
		col := lead + 1
		if strings.HasPrefix(line, "<") && strings.HasSuffix(line, ">") {
			tag := line[1 : len(line)-1]
			closing := strings.HasPrefix(tag, "/")
			tag = strings.TrimPrefix(tag, "/")
			known := false
			for _, s := range dccSections {
				known = known || s == tag
			}
			switch {
			case other != "":
				if closing && tag == other {
					other = ""
				}
			case !closing && section != "":
				return nil, perr(name, ln, col, "<%s> opens inside <%s>, which is not closed", tag, section)
			case !closing && !known:
				other = tag
			case !closing:
				if l, ok := seen[tag]; ok {
					return nil, perr(name, ln, col, "second <%s> section (the first is at line %d)", tag, l)
				}
				seen[tag] = ln
				section = tag
				switch tag {
				case "Header":
					attrs = &d.Header
				case "Scan_Attributes":
					attrs = &d.Scan
				case "NGS_Processing_Attributes":
					attrs = &d.NGS
				default:
					attrs = nil
				}
			case closing && tag == section:
				section = ""
			case closing:
				if section == "" {
					return nil, perr(name, ln, col, "</%s> without <%s>", tag, tag)
				}
				return nil, perr(name, ln, col, "</%s> closes <%s>", tag, section)
			}
			continue
		}
		if section == "" || other != "" || line == "" {
			continue
		}
		if section == "Code_Summary" {
			i := strings.IndexByte(line, ',')
			if i <= 0 {
				return nil, perr(name, ln, col, "Code_Summary line %q is not RTS_ID,count", line)
			}
			id := strings.TrimSpace(line[:i])
			vs := strings.TrimSpace(line[i+1:])
			vcol := col + i + 1
			if strings.IndexByte(vs, ',') >= 0 {
				return nil, perr(name, ln, vcol, "Code_Summary line has more than two fields")
			}
			v, err := strconv.ParseFloat(vs, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return nil, perr(name, ln, vcol, "count %q of %s is not a non-negative number", vs, id)
			}
			if l, ok := probeLine[id]; ok {
				return nil, perr(name, ln, col, "probe %s is listed twice (first at line %d)", id, l)
			}
			probeLine[id] = ln
			d.Probes = append(d.Probes, id)
			d.Counts = append(d.Counts, math.RoundToEven(v))
			continue
		}
		i := strings.IndexByte(line, ',')
		if i < 0 {
			if len(*attrs) == 0 {
				return nil, perr(name, ln, col, "%s section has a malformed first line %q (no comma)", section, line)
			}
			last := &(*attrs)[len(*attrs)-1]
			last.Value += " " + line
			continue
		}
		key := strings.TrimSpace(line[:i])
		val := strings.TrimSpace(line[i+1:])
		if len(val) >= 2 && val[0] == '"' && val[len(val)-1] == '"' {
			val = val[1 : len(val)-1]
		}
		*attrs = append(*attrs, Attr{Key: key, Value: val, Line: ln})
	}
	if section != "" {
		return nil, perr(name, ln, 0, "<%s> section is not closed", section)
	}
	for _, s := range dccSections {
		if _, ok := seen[s]; !ok {
			return nil, perr(name, ln, 0, "no <%s> section", s)
		}
	}
	need := func(a []Attr, sec, key string) (Attr, error) {
		x, ok := getAttr(a, key)
		if !ok {
			return x, perr(name, seen[sec], 1, "<%s> has no %s", sec, key)
		}
		return x, nil
	}
	x, err := need(d.Header, "Header", "FileVersion")
	if err != nil {
		return nil, err
	}
	d.FileVersion = x.Value
	if x, err = need(d.Header, "Header", "SoftwareVersion"); err != nil {
		return nil, err
	}
	d.SoftwareVersion = x.Value
	if x, err = need(d.Scan, "Scan_Attributes", "ID"); err != nil {
		return nil, err
	}
	if x.Value == "" {
		return nil, perr(name, x.Line, 1, "Scan_Attributes ID is empty")
	}
	d.SampleID = x.Value
	if x, ok := getAttr(d.Scan, "Plate_ID"); ok {
		d.PlateID = x.Value
	}
	if x, ok := getAttr(d.Scan, "Well"); ok {
		d.Well = x.Value
	}
	for _, f := range []struct {
		key string
		dst *float64
	}{{"Raw", &d.Raw}, {"Trimmed", &d.Trimmed}, {"Stitched", &d.Stitched}, {"Aligned", &d.Aligned}} {
		x, err := need(d.NGS, "NGS_Processing_Attributes", f.key)
		if err != nil {
			return nil, err
		}
		v, e := strconv.ParseUint(x.Value, 10, 53)
		if e != nil {
			return nil, perr(name, x.Line, len(f.key)+2, "%s %q is not a non-negative integer", f.key, x.Value)
		}
		*f.dst = float64(v)
	}
	for _, f := range []struct {
		key string
		dst *float64
	}{{"umiQ30", &d.UmiQ30}, {"rtsQ30", &d.RtsQ30}} {
		if x, ok := getAttr(d.NGS, f.key); ok && x.Value != "" {
			v, e := strconv.ParseFloat(x.Value, 64)
			if e != nil {
				return nil, perr(name, x.Line, len(f.key)+2, "%s %q is not a number", f.key, x.Value)
			}
			*f.dst = v
		}
	}
	return d, nil
}
