package fish

import (
	"io"
	"math"
	"strconv"
)

// Column synonyms of per-cell tables (compared after normHeader).
const (
	cSample = iota
	cTimepoint
	cSite
	cArea
	cCell
	cERBB2
	cCEP17
	cX
	cY
	cIHC
)

var cellFields = []field{
	cSample:    {"sample", []string{"sample", "sampleid", "samplename", "patient", "patientid", "case", "caseid", "tumour", "tumor", "tumourid", "tumorid", "specimen"}},
	cTimepoint: {"timepoint", []string{"timepoint", "tpt", "time", "visit"}},
	cSite:      {"site", []string{"site", "biopsysite", "biopsy", "location", "core", "block", "region"}},
	cArea:      {"area", []string{"area", "areaid", "field", "fieldid", "image", "imageid", "roi", "fov", "series", "spot"}},
	cCell:      {"cell", []string{"cell", "cellid", "nucleus", "nucleusid", "nuclei", "nucleiid", "object", "objectid", "cellnumber", "label"}},
	cERBB2: {"ERBB2", []string{"erbb2", "her2", "erbb2signals", "her2signals", "erbb2count", "her2count", "erbb2copies", "her2copies",
		"erbb2spots", "her2spots", "erbb2signal", "her2signal", "erbb2copynumber", "her2copynumber", "nerbb2", "nher2"}},
	cCEP17: {"CEP17", []string{"cep17", "chr17", "cen17", "cep17signals", "chr17signals", "cen17signals", "cep17count", "chr17count",
		"cep17copies", "cep17spots", "cep17signal", "cep17copynumber", "ncep17", "centromere17"}},
	cX:   {"x", []string{"x", "centroidx", "xcoord", "xcentroid", "posx", "positionx", "locationx", "cx"}},
	cY:   {"y", []string{"y", "centroidy", "ycoord", "ycentroid", "posy", "positiony", "locationy", "cy"}},
	cIHC: {"IHC", []string{"ihc", "ihcscore", "her2ihc", "ihcher2"}},
}

// CellReader streams a per-cell table (TSV, CSV or semicolon-separated, detected from
// the header line; '#' starts a comment line). Columns are recognised by name,
// case-insensitively and ignoring spaces and punctuation:
//
//	sample     sample, sample_id, patient, patient_id, case, tumour, tumor, specimen (required)
//	ERBB2      ERBB2, HER2, ERBB2 signals, HER2 count, ERBB2 copies ...   (required)
//	CEP17      CEP17, CHR17, CEN17, CEP17 signals ...   (optional: single-probe data)
//	area       area, field, image, roi, fov, series      (optional: "" = one area)
//	site       site, biopsy site, biopsy, core, block, region, location (optional)
//	timepoint  timepoint, tpt, time, visit               (optional)
//	cell       cell, cell_id, nucleus, object, label     (optional: the line number)
//	x, y       x, y, centroid_x, x_coord ...             (optional)
//	IHC        IHC, IHC score, HER2 IHC                  (optional: 0, 1+, 2+, 3+)
//
// When several columns name one field, the earlier synonym in these lists wins (so a
// table with both "site" and "core" takes "site"); two columns with the same name are an
// error. Counts must be non-negative numbers; NA, NaN, empty, "." or "-" mean not counted
// (NaN). Errors are *ParseError values naming file, line and column.
type CellReader struct {
	t      *tableReader
	header bool
	err    error
}

// NewCellReader returns a reader of the per-cell table r; file names it in errors.
func NewCellReader(r io.Reader, file string) *CellReader {
	return &CellReader{t: newTableReader(r, file, cellFields)}
}

// HasCEP17 reports whether the table has a CEP17 column (valid after the first Read).
func (r *CellReader) HasCEP17() bool { return r.header && r.t.col[cCEP17] >= 0 }

// Read returns the next cell, or io.EOF after the last one. After an error every call
// returns the same error.
func (r *CellReader) Read() (Cell, error) {
	if r.err != nil {
		return Cell{}, r.err
	}
	c, err := r.read()
	if err != nil {
		r.err = err
	}
	return c, err
}

func (r *CellReader) read() (Cell, error) {
	t := r.t
	if !r.header {
		if err := t.readHeader(cSample, cERBB2); err != nil {
			return Cell{}, err
		}
		r.header = true
	}
	if err := t.next(); err != nil {
		return Cell{}, err
	}
	c := Cell{
		Sample: t.get(cSample), Timepoint: t.get(cTimepoint), Site: t.get(cSite), Area: t.get(cArea),
		ID: t.get(cCell), CEP17: math.NaN(), X: math.NaN(), Y: math.NaN(), IHC: IHCUnknown,
	}
	if c.Sample == "" {
		line, col := t.pos(cSample)
		return c, t.errAt(line, col, "empty sample")
	}
	if t.col[cSite] >= 0 && isMissing(c.Site) {
		c.Site = ""
	}
	if t.col[cTimepoint] >= 0 && isMissing(c.Timepoint) {
		c.Timepoint = ""
	}
	if c.ID == "" {
		line, _ := t.cr.FieldPos(0)
		c.ID = "line" + strconv.Itoa(line)
	}
	var err error
	if c.ERBB2, err = t.number(cERBB2, "ERBB2 count"); err != nil {
		return c, err
	}
	if t.col[cCEP17] >= 0 {
		if c.CEP17, err = t.number(cCEP17, "CEP17 count"); err != nil {
			return c, err
		}
	}
	if t.col[cX] >= 0 {
		if c.X, err = t.coord(cX); err != nil {
			return c, err
		}
	}
	if t.col[cY] >= 0 {
		if c.Y, err = t.coord(cY); err != nil {
			return c, err
		}
	}
	if t.col[cIHC] >= 0 {
		if c.IHC, err = ParseIHC(t.get(cIHC)); err != nil {
			line, col := t.pos(cIHC)
			return c, t.errAt(line, col, "%v", err)
		}
	}
	return c, nil
}

func (t *tableReader) coord(i int) (float64, error) {
	s := t.get(i)
	if isMissing(s) {
		return math.NaN(), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		line, col := t.pos(i)
		return 0, t.errAt(line, col, "coordinate %q is not a number", s)
	}
	return v, nil
}

// ReadCells reads every cell of r.
func ReadCells(r io.Reader, file string) ([]Cell, error) {
	cr := NewCellReader(r, file)
	var out []Cell
	for {
		c, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
}

// ReadIHC reads a table of IHC scores per sample (columns recognised as in CellReader:
// sample and IHC; other columns are ignored) for Options.SampleIHC. A sample given twice
// with different scores is an error; missing scores are skipped.
func ReadIHC(r io.Reader, file string) (map[string]IHC, error) {
	t := newTableReader(r, file, cellFields)
	if err := t.readHeader(cSample, cIHC); err != nil {
		return nil, err
	}
	out := map[string]IHC{}
	for {
		if err := t.next(); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		s := t.get(cSample)
		if s == "" {
			line, col := t.pos(cSample)
			return nil, t.errAt(line, col, "empty sample")
		}
		v, err := ParseIHC(t.get(cIHC))
		if err != nil {
			line, col := t.pos(cIHC)
			return nil, t.errAt(line, col, "%v", err)
		}
		if v == IHCUnknown {
			continue
		}
		if prev, ok := out[s]; ok && prev != v {
			line, col := t.pos(cIHC)
			return nil, t.errAt(line, col, "sample %q has IHC %v and %v", s, prev, v)
		}
		out[s] = v
	}
}
