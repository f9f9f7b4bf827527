package spatial

import (
	"fmt"
	"io/fs"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/her2het/her2het/core/dataset"
)

// Target is one row of a Set's count matrix.
type Target struct {
	Name string
	// Module is the probe pool (PKC module) of the target; "" when unknown.
	Module    string
	CodeClass string
	Negative  bool
	// Probes is the number of probes aggregated into the target (0 when the
	// counts came at target level, from a DSP export).
	Probes int
}

// Segment is one GeoMx area of interest (AOI) with its sequencing summary
// and annotation. Unknown numbers are NaN.
type Segment struct {
	// ID is the Sample_ID (DCC file name without .dcc) when known.
	ID string
	// Name is the column name in the count matrix: SegmentDisplayName for
	// DSP exports, ID for DCC sets.
	Name                       string
	Slide, Scan, ROI, Label    string
	Area, Nuclei               float64
	Raw, Trimmed, Stitched     float64
	Aligned, Deduplicated, NTC float64
	// NegGeoMean and NegGeoSD are per module (Set.Modules order): ngeoMean and
	// ngeoSD of the module's negative probes (GeomxTools summarizeNegatives).
	// From a DSP export, NegGeoMean is the negative target's count and NegGeoSD is NaN.
	NegGeoMean, NegGeoSD []float64
	// Annot holds every annotation column by its header.
	Annot map[string]string
}

// Set is a GeoMx experiment at target level: a targets x segments matrix of
// counts with target and segment descriptions.
type Set struct {
	Analyte  string // "RNA" or "Protein"
	Targets  []Target
	Segments []Segment
	// Counts is targets x segments; Samples are Segment.Name.
	Counts  *dataset.Matrix
	Modules []string
	// AnnotColumns lists the annotation columns in file order.
	AnnotColumns []string
	// Notes are non-fatal remarks (ignored files, probes absent from the PKCs).
	Notes []string
}

// DCCOptions control LoadDCC.
type DCCOptions struct {
	// Dir is the folder of the DCC files inside the fs.FS ("." for its root).
	Dir string
	// ShiftZerosToOne sets probe counts below 1 to 1 before aggregation, as
	// the GeoMx workflow does first (GeomxTools shiftCountsOne with
	// useDALogic = TRUE, the DSP Data Analysis software's logic).
	ShiftZerosToOne bool
}

// LoadDCC builds a target-level Set from the DCC files of a folder, the PKC
// files of their probe kits and the lab annotation sheet, as GeomxTools'
// readNanoStringGeoMxSet followed by aggregateCounts does:
//
//   - each *.dcc file of the folder is a segment whose Sample_ID is the file
//     name without .dcc; the annotation sheet needs a Sample_ID column and a
//     row for every DCC file (rows without a DCC file are ignored); rows whose
//     "slide name" is "No Template Control" (case-insensitive) are no-template
//     controls, not segments: as in readNanoStringGeoMxSet, the total count of an
//     NTC becomes the NTC value of the annotation rows below it, up to the next
//     NTC row;
//   - the probe universe is the PKCs' probes; a probe absent from a DCC counts
//     0 there; DCC probes absent from every PKC are ignored (noted);
//   - probes are aggregated to targets by target name (TargetCount: the count
//     of a single probe, else ngeoMean of the probes), so negative probes of
//     different pools, whose target names differ, stay separate;
//   - per segment and module NegGeoMean and NegGeoSD are ngeoMean and ngeoSD
//     of the module's negative probes (summarizeNegatives);
//   - area and nuclei come from the annotation columns "area" / "AOISurfaceArea"
//     and "nuclei" / "AOINucleiCount" when present.
func LoadDCC(fsys fs.FS, opts DCCOptions, pkcs []*PKC, annot *Table) (*Set, error) {
	dir := opts.Dir
	if dir == "" {
		dir = "."
	}
	if len(pkcs) == 0 {
		return nil, fmt.Errorf("spatial: no PKC probe configuration given")
	}
	ents, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, perr(dir, 0, 0, "cannot list the DCC folder: %v", err)
	}
	var names []string
	for _, e := range ents {
		if !e.IsDir() && strings.EqualFold(path.Ext(e.Name()), ".dcc") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, perr(dir, 0, 0, "no .dcc file in the folder")
	}
	sid := annot.Col("Sample_ID", "SampleID")
	if sid < 0 {
		return nil, perr(annot.File, annot.HeaderLine, 1, "the annotation sheet has no Sample_ID column (columns: %s)", strings.Join(annot.Columns, ", "))
	}
	rowOf := map[string]int{}
	for i := range annot.Rows {
		id := annot.Cell(i, sid)
		if id == "" {
			continue
		}
		id = strings.TrimSuffix(id, ".dcc")
		if j, ok := rowOf[id]; ok {
			return nil, perr(annot.File, annot.Lines[i], sid+1, "Sample_ID %s is given twice (first at line %d)", id, annot.Lines[j])
		}
		rowOf[id] = i
	}
	slideCol := annot.Col("slide name", "SlideName", "slide")
	// Probe universe.
	set := &Set{AnnotColumns: append([]string(nil), annot.Columns...)}
	type probeRef struct{ target, module int }
	probeIdx := map[string]int{}
	var probes []probeRef
	targetIdx := map[string]int{}
	modIdx := map[string]int{}
	var negProbes [][]int // per module
	analyte := ""
	for _, p := range pkcs {
		m, ok := modIdx[p.Module]
		if !ok {
			m = len(set.Modules)
			modIdx[p.Module] = m
			set.Modules = append(set.Modules, p.Module)
			negProbes = append(negProbes, nil)
		}
		if analyte == "" {
			analyte = p.AnalyteType
		}
		for _, t := range p.Targets {
			ti, ok := targetIdx[t.Name]
			if !ok {
				ti = len(set.Targets)
				targetIdx[t.Name] = ti
				set.Targets = append(set.Targets, Target{Name: t.Name, Module: p.Module, CodeClass: t.CodeClass, Negative: t.Negative()})
			}
			for _, pr := range t.Probes {
				if _, dup := probeIdx[pr.RTSID]; dup {
					return nil, perr(p.File, 0, 0, "probe %s is also in an earlier PKC", pr.RTSID)
				}
				probeIdx[pr.RTSID] = len(probes)
				if t.Negative() {
					negProbes[m] = append(negProbes[m], len(probes))
				}
				probes = append(probes, probeRef{ti, m})
				set.Targets[ti].Probes++
			}
		}
	}
	if analyte == "" {
		analyte = "RNA"
	}
	set.Analyte = analyte
	byTarget := make([][]int, len(set.Targets))
	for i, pr := range probes {
		byTarget[pr.target] = append(byTarget[pr.target], i)
	}
	// Read DCCs.
	ntcTotal := map[int]float64{} // annotation row of an NTC -> its total count
	var segRow []int              // annotation row of each segment
	var cols [][]float64          // probe counts per segment
	unknown := map[string]bool{}
	for _, fn := range names {
		f, err := fsys.Open(path.Join(dir, fn))
		if err != nil {
			return nil, perr(fn, 0, 0, "cannot open: %v", err)
		}
		d, err := ReadDCC(f, fn)
		f.Close()
		if err != nil {
			return nil, err
		}
		stem := strings.TrimSuffix(fn, path.Ext(fn))
		row, ok := rowOf[stem]
		if !ok {
			return nil, perr(annot.File, 0, 0, "no annotation row with Sample_ID %s for %s", stem, fn)
		}
		if slideCol >= 0 && strings.EqualFold(annot.Cell(row, slideCol), "No Template Control") {
			ntcTotal[row] = d.Deduplicated()
			continue
		}
		counts := make([]float64, len(probes))
		for k, id := range d.Probes {
			if i, ok := probeIdx[id]; ok {
				counts[i] = d.Counts[k]
			} else {
				unknown[id] = true
			}
		}
		if opts.ShiftZerosToOne {
			for i, v := range counts {
				if v < 1 {
					counts[i] = 1
				}
			}
		}
		cols = append(cols, counts)
		seg := Segment{ID: stem, Name: stem, Raw: d.Raw, Trimmed: d.Trimmed, Stitched: d.Stitched,
			Aligned: d.Aligned, Deduplicated: d.Deduplicated(), NTC: math.NaN(), Area: math.NaN(), Nuclei: math.NaN(),
			Annot: map[string]string{}}
		seg.Annot["Plate_ID"] = d.PlateID
		if err := fillAnnot(&seg, annot, row); err != nil {
			return nil, err
		}
		set.Segments = append(set.Segments, seg)
		segRow = append(segRow, row)
	}
	if len(set.Segments) == 0 {
		return nil, perr(dir, 0, 0, "every DCC file is a no-template control; no segment to analyse")
	}
	if len(unknown) > 0 {
		set.Notes = append(set.Notes, fmt.Sprintf("%d probe(s) of the DCC files are in no PKC and were ignored", len(unknown)))
	}
	// NTC as readNanoStringGeoMxSet assigns it: each annotation row takes the
	// total count of the nearest NTC row above it (NaN when there is none, or
	// when that NTC's DCC file is absent).
	if slideCol >= 0 {
		rowNTC := make([]float64, len(annot.Rows))
		cur := math.NaN()
		for i := range annot.Rows {
			if strings.EqualFold(annot.Cell(i, slideCol), "No Template Control") {
				cur = math.NaN()
				if v, ok := ntcTotal[i]; ok {
					cur = v
				}
			}
			rowNTC[i] = cur
		}
		for i := range set.Segments {
			if v := rowNTC[segRow[i]]; !math.IsNaN(v) || math.IsNaN(set.Segments[i].NTC) {
				set.Segments[i].NTC = v
			}
		}
	}
	// Aggregate.
	nS := len(set.Segments)
	tnames := make([]string, len(set.Targets))
	for i, t := range set.Targets {
		tnames[i] = t.Name
	}
	snames := make([]string, nS)
	for i, s := range set.Segments {
		snames[i] = s.Name
	}
	set.Counts = dataset.NewMatrix(dataset.Counts, tnames, snames)
	buf := make([]float64, 0, 64)
	for s, c := range cols {
		for t, ps := range byTarget {
			buf = buf[:0]
			for _, p := range ps {
				buf = append(buf, c[p])
			}
			set.Counts.Set(t, s, TargetCount(buf))
		}
		seg := &set.Segments[s]
		seg.NegGeoMean = make([]float64, len(set.Modules))
		seg.NegGeoSD = make([]float64, len(set.Modules))
		for m, ps := range negProbes {
			buf = buf[:0]
			for _, p := range ps {
				buf = append(buf, c[p])
			}
			seg.NegGeoMean[m] = NGeoMean(buf, 0.5)
			seg.NegGeoSD[m] = NGeoSD(buf, 0.5)
		}
	}
	return set, nil
}

// fillAnnot copies annotation row i into seg and reads the known columns.
func fillAnnot(seg *Segment, t *Table, i int) error {
	for j, c := range t.Columns {
		if c != "" {
			seg.Annot[c] = t.Cell(i, j)
		}
	}
	str := func(dst *string, names ...string) {
		if j := t.Col(names...); j >= 0 {
			*dst = t.Cell(i, j)
		}
	}
	str(&seg.Slide, "slide name", "SlideName")
	str(&seg.Scan, "scan name", "ScanLabel", "ScanName")
	str(&seg.ROI, "roi", "ROILabel", "ROI")
	str(&seg.Label, "segment", "SegmentLabel")
	num := func(dst *float64, names ...string) error {
		j := t.Col(names...)
		if j < 0 {
			return nil
		}
		v, err := parseNum(t.Cell(i, j))
		if err != nil {
			return perr(t.File, t.Lines[i], j+1, "%s %q is not a number", t.Columns[j], t.Cell(i, j))
		}
		*dst = v
		return nil
	}
	for _, f := range []struct {
		dst   *float64
		names []string
	}{
		{&seg.Area, []string{"area", "AOISurfaceArea"}},
		{&seg.Nuclei, []string{"nuclei", "AOINucleiCount"}},
		{&seg.Raw, []string{"RawReads"}},
		{&seg.Trimmed, []string{"TrimmedReads"}},
		{&seg.Stitched, []string{"StitchedReads"}},
		{&seg.Aligned, []string{"AlignedReads"}},
		{&seg.Deduplicated, []string{"DeduplicatedReads"}},
		{&seg.NTC, []string{"NTC"}},
	} {
		if err := num(f.dst, f.names...); err != nil {
			return err
		}
	}
	return nil
}

// parseNum parses a number; "" and NA give NaN.
func parseNum(s string) (float64, error) {
	s = strings.TrimSpace(s)
	switch strings.ToUpper(s) {
	case "", "NA", "NAN", "N/A":
		return math.NaN(), nil
	}
	return strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
}

// IsNegativeName tells whether a target name of a DSP export is a negative
// control: "NegProbe…" (e.g. NegProbe-WTX, NegProbe-CTP01) or "Negative Probe…".
func IsNegativeName(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	return strings.HasPrefix(n, "negprobe") || strings.HasPrefix(n, "negative probe") || strings.HasPrefix(n, "custom negative probe")
}

// FromDSPExport builds a Set from the two tables of a GeoMx DSP Data Analysis
// export: segment properties (one row per segment; "SegmentProperties" sheet)
// and the target count matrix ("TargetCountMatrix" sheet; first column
// TargetName, then one column per SegmentDisplayName, in any order).
//
// Segment properties need SegmentDisplayName (or Sample_ID); the standard
// columns SlideName, ScanLabel, ROILabel, SegmentLabel, AOISurfaceArea,
// AOINucleiCount, RawReads, TrimmedReads, StitchedReads, AlignedReads,
// DeduplicatedReads and NTC are read when present (DeduplicatedReads may also
// come from SequencingSaturation: Aligned × (1 − saturation/100)); every column
// is kept in Segment.Annot. Negative targets are those with CodeClass
// "Negative…" when the matrix has a CodeClass column, else by name
// (IsNegativeName, and for protein the IgG isotype controls); the module is the ProbePool/Module column when present.
// Counts must be finite and non-negative. analyte is "RNA" or "Protein".
func FromDSPExport(segs, counts *Table, analyte string) (*Set, error) {
	nameCol := segs.Col("SegmentDisplayName", "Segment", "Sample_ID", "SampleID")
	if nameCol < 0 {
		return nil, perr(segs.File, segs.HeaderLine, 1, "the segment table has no SegmentDisplayName or Sample_ID column")
	}
	idCol := segs.Col("Sample_ID", "SampleID")
	set := &Set{Analyte: analyte, AnnotColumns: append([]string(nil), segs.Columns...)}
	if set.Analyte == "" {
		set.Analyte = "RNA"
	}
	byName := map[string]int{}
	for i := range segs.Rows {
		name := segs.Cell(i, nameCol)
		if name == "" {
			return nil, perr(segs.File, segs.Lines[i], nameCol+1, "empty %s", segs.Columns[nameCol])
		}
		if j, ok := byName[name]; ok {
			return nil, perr(segs.File, segs.Lines[i], nameCol+1, "segment %q is given twice (first at line %d)", name, segs.Lines[j])
		}
		byName[name] = i
		seg := Segment{Name: name, Area: math.NaN(), Nuclei: math.NaN(), Raw: math.NaN(), Trimmed: math.NaN(),
			Stitched: math.NaN(), Aligned: math.NaN(), Deduplicated: math.NaN(), NTC: math.NaN(), Annot: map[string]string{}}
		if idCol >= 0 {
			seg.ID = segs.Cell(i, idCol)
		}
		if err := fillAnnot(&seg, segs, i); err != nil {
			return nil, err
		}
		if math.IsNaN(seg.Deduplicated) {
			if j := segs.Col("SequencingSaturation"); j >= 0 {
				if v, err := parseNum(segs.Cell(i, j)); err == nil && !math.IsNaN(v) {
					seg.Deduplicated = math.Round(seg.Aligned * (1 - v/100))
				}
			}
		}
		set.Segments = append(set.Segments, seg)
	}
	if len(set.Segments) == 0 {
		return nil, perr(segs.File, segs.HeaderLine, 1, "the segment table has no rows")
	}
	tcol := counts.Col("TargetName", "Target", "Gene")
	if tcol < 0 {
		tcol = 0
	}
	ccCol := counts.Col("CodeClass")
	modCol := counts.Col("ProbePool", "Module")
	colOf := make([]int, len(set.Segments))
	for i := range colOf {
		colOf[i] = -1
	}
	for j, c := range counts.Columns {
		if j == tcol {
			continue
		}
		if i, ok := byName[c]; ok {
			if colOf[i] >= 0 {
				return nil, perr(counts.File, counts.HeaderLine, j+1, "segment %q has two columns", c)
			}
			colOf[i] = j
		}
	}
	// Segments may also be matched by Sample_ID.
	for i, s := range set.Segments {
		if colOf[i] < 0 && s.ID != "" {
			if j := counts.Col(s.ID); j >= 0 && j != tcol {
				colOf[i] = j
			}
		}
		if colOf[i] < 0 {
			return nil, perr(counts.File, counts.HeaderLine, 0, "no count column for segment %q", s.Name)
		}
	}
	modIdx := map[string]int{}
	tnames := make([]string, 0, len(counts.Rows))
	seen := map[string]int{}
	for i := range counts.Rows {
		name := counts.Cell(i, tcol)
		if name == "" {
			return nil, perr(counts.File, counts.Lines[i], tcol+1, "empty target name")
		}
		if l, ok := seen[name]; ok {
			return nil, perr(counts.File, counts.Lines[i], tcol+1, "target %q is given twice (first at line %d)", name, l)
		}
		seen[name] = counts.Lines[i]
		t := Target{Name: name}
		if ccCol >= 0 {
			t.CodeClass = counts.Cell(i, ccCol)
			t.Negative = strings.HasPrefix(t.CodeClass, "Negative")
		} else {
			t.Negative = IsNegativeName(name) || (analyte == "Protein" && strings.Contains(strings.ToLower(name), "igg"))
			if t.Negative {
				t.CodeClass = "Negative"
			} else {
				t.CodeClass = "Endogenous"
			}
		}
		if modCol >= 0 {
			t.Module = counts.Cell(i, modCol)
		}
		if _, ok := modIdx[t.Module]; !ok {
			modIdx[t.Module] = len(set.Modules)
			set.Modules = append(set.Modules, t.Module)
		}
		set.Targets = append(set.Targets, t)
		tnames = append(tnames, name)
	}
	if len(tnames) == 0 {
		return nil, perr(counts.File, counts.HeaderLine, 1, "the count matrix has no target rows")
	}
	snames := make([]string, len(set.Segments))
	for i, s := range set.Segments {
		snames[i] = s.Name
	}
	set.Counts = dataset.NewMatrix(dataset.Counts, tnames, snames)
	for t := range counts.Rows {
		for s, j := range colOf {
			v, err := parseNum(counts.Cell(t, j))
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return nil, perr(counts.File, counts.Lines[t], j+1, "count %q is not a non-negative number", counts.Cell(t, j))
			}
			set.Counts.Set(t, s, v)
		}
	}
	// Negative summaries per module: the negative target's count (several
	// negative targets in a module: their ngeoMean).
	for s := range set.Segments {
		seg := &set.Segments[s]
		seg.NegGeoMean = make([]float64, len(set.Modules))
		seg.NegGeoSD = make([]float64, len(set.Modules))
		for m, mod := range set.Modules {
			var v []float64
			for t, tg := range set.Targets {
				if tg.Negative && tg.Module == mod {
					v = append(v, set.Counts.At(t, s))
				}
			}
			seg.NegGeoMean[m] = math.NaN()
			if len(v) > 0 {
				seg.NegGeoMean[m] = TargetCount(v)
			}
			seg.NegGeoSD[m] = math.NaN()
		}
	}
	return set, nil
}

// ReadDSPExportXLSX reads a DSP Data Analysis export workbook: the sheets
// "SegmentProperties" and "TargetCountMatrix" (names case-insensitive).
func ReadDSPExportXLSX(w *Workbook, analyte string) (*Set, error) {
	segs, err := w.Table("SegmentProperties")
	if err != nil {
		return nil, err
	}
	counts, err := w.Table("TargetCountMatrix")
	if err != nil {
		return nil, err
	}
	return FromDSPExport(segs, counts, analyte)
}
