package study

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/fish"
	"github.com/her2het/her2het/core/ingest"
)

// File kinds recognised by (*Inputs).Add.
const (
	KindCounts     = "counts"     // raw counts matrix (genes x samples)
	KindExpression = "expression" // any other expression matrix (log-CPM, TPM, ...)
	KindSamples    = "samples"    // sample sheet
	KindFISHCells  = "fish-cells" // per-cell ERBB2/CEP17 FISH table
	KindFISHCases  = "fish-cases" // per-area or per-case FISH summary
	KindFISHSpots  = "fish-spots" // folder of per-channel spot-count files
	// GeoMx DSP export tables (the "Segment properties" and "Target count
	// matrix" sheets saved as text).
	KindSpatialSegments = "spatial-segments"
	KindSpatialCounts   = "spatial-counts"
)

// FileSummary describes one input as it was classified and kept.
type FileSummary struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Format string `json:"format,omitempty"`
	Bytes  int64  `json:"bytes"`
	// SHA256 is the hex digest of the raw bytes (as given, before decompression).
	SHA256 string `json:"sha256"`
	// Rows and Cols: genes x samples for matrices, samples x columns for sheets,
	// cells or cases for FISH.
	Rows     int      `json:"rows"`
	Cols     int      `json:"cols"`
	Notes    []string `json:"notes,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	// Synthetic is set when the file's first line is a '#' comment saying the data
	// are synthetic (the built-in demo cohort's files do).
	Synthetic bool `json:"synthetic,omitempty"`
}

// Inputs collects a study's files. The zero value is ready to use. It is not safe
// for concurrent use.
type Inputs struct {
	Files []FileSummary

	// Count matrices (several per-sample files are merged) and the expression
	// matrix, each held as a dataset.Store (Loaded.Store): read them with
	// Loaded.Float, Genes, Samples, Kind.
	matrices  []*ingest.Loaded
	exprs     []*ingest.Loaded
	sheet     *dataset.SampleSheet
	sheetName string
	cells     []fish.Cell
	cellFiles []string
	cases     []fish.Case
	caseFiles []string
	// GeoMx export tables, kept as (decompressed) text and parsed by the spatial
	// analysis.
	spatialSegs, spatialCounts         []byte
	spatialSegsName, spatialCountsName string
	// sample-sheet role overrides (roles.go)
	sheetRoles
}

// Add reads one file, classifies it (count or expression matrix, sample sheet,
// FISH per-cell table, FISH per-area/per-case summary) and keeps it. name is the
// file's name (used for format detection and in messages); progress, if not nil,
// is called with the number of raw bytes read so far. Errors caused by the content
// have the form "file:line:col: message". A failed Add leaves the Inputs unchanged.
// When r has a Size() int64 method (bytes.Reader, strings.Reader), Add is
// AddSized with that size.
//
// A second sample sheet is an error; several count matrices are merged by gene
// when they are per-sample files (HTSeq, STAR), otherwise a second one is an error.
func (in *Inputs) Add(name string, r io.Reader, progress func(int64)) (FileSummary, error) {
	size := int64(-1)
	if s, ok := r.(interface{ Size() int64 }); ok {
		size = s.Size()
	}
	return in.AddSized(name, r, size, progress)
}

// keptTextLimit is the most raw text of a sample sheet kept for re-reading it
// with other column roles (SetRoles).
const keptTextLimit = 64 << 20

// AddSized is Add for an input of size bytes (0 or less when unknown). The file
// is streamed from r into its reader: its text is never held whole in memory
// (only a sample sheet's, for SetRoles, and a GeoMx table's), so loading a matrix
// needs about the memory of its numbers; the size lets the reader allocate the
// matrix once. A line break in name is escaped ("\n"). The SHA-256 of the raw
// bytes (and so the "same content as" check) is known once the file was read to
// its end.
func (in *Inputs) AddSized(name string, r io.Reader, size int64, progress func(int64)) (FileSummary, error) {
	// A line break in a file name (possible on Linux) would break the one-line
	// "file:line:col: message" errors: it is kept escaped.
	name = strings.NewReplacer("\n", `\n`, "\r", `\r`).Replace(name)
	h := sha256.New()
	cr := &countingReader{r: io.TeeReader(r, h), progress: progress}
	keep := &textKeeper{limit: keptTextLimit}
	src := bufio.NewReaderSize(io.TeeReader(cr, keep), 1<<20)
	fsum := FileSummary{Name: name}
	// finish reads what the readers left (trailing lines, the gzip trailer) so that
	// the digest covers the whole file, then checks it against the files already
	// added.
	finish := func() error {
		if _, err := io.Copy(io.Discard, src); err != nil {
			return fmt.Errorf("%s:0:0: read: %v", name, err)
		}
		fsum.Bytes, fsum.SHA256 = cr.n, hex.EncodeToString(h.Sum(nil))
		for _, f := range in.Files {
			if f.SHA256 == fsum.SHA256 {
				return fmt.Errorf("%s:0:0: same content as %s, already added", name, f.Name)
			}
		}
		return nil
	}
	rawHead, err := src.Peek(1 << 20)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return FileSummary{}, fmt.Errorf("%s:0:0: read: %v", name, err)
	}
	if len(rawHead) == 0 {
		fsum.SHA256 = hex.EncodeToString(h.Sum(nil))
		return fsum, fmt.Errorf("%s:1:0: empty file", name)
	}
	// The first 64 kB of text (decompressed, transcoded) decide the kind; the
	// readers then get the whole stream.
	hr, notes, err := ingest.Open(name, bytes.NewReader(rawHead), nil)
	if err != nil {
		return fsum, err
	}
	fsum.Notes = append(fsum.Notes, notes...)
	head, _ := hr.Peek(64 << 10)
	if first, _, _ := bytes.Cut(head, []byte("\n")); bytes.HasPrefix(bytes.TrimSpace(first), []byte("#")) &&
		bytes.Contains(bytes.ToLower(first), []byte("synthetic")) {
		fsum.Synthetic = true
	}
	if ingest.Detect(name, head) != ingest.FormatSampleSheet {
		keep.drop()
	}
	var br *bufio.Reader
	if k, f := sniffSpatial(head), sniffFISH(head); k != "" || f != "" {
		if br, _, err = ingest.Open(name, src, nil); err != nil {
			return fsum, err
		}
	}
	if k := sniffSpatial(head); k != "" {
		text, err := io.ReadAll(br)
		if err != nil {
			return fsum, fmt.Errorf("%s:0:0: %v", name, err)
		}
		if err := finish(); err != nil {
			return fsum, err
		}
		fsum.Kind = k
		fsum.Rows = bytes.Count(text, []byte("\n"))
		if k == KindSpatialSegments {
			if in.spatialSegs != nil {
				return fsum, fmt.Errorf("%s:1:0: a GeoMx segment table was already added (%s)", name, in.spatialSegsName)
			}
			in.spatialSegs, in.spatialSegsName = text, name
		} else {
			if in.spatialCounts != nil {
				return fsum, fmt.Errorf("%s:1:0: a GeoMx target count matrix was already added (%s)", name, in.spatialCountsName)
			}
			in.spatialCounts, in.spatialCountsName = text, name
		}
		in.Files = append(in.Files, fsum)
		return fsum, nil
	}
	switch sniffFISH(head) {
	case KindFISHCells:
		cells, err := fish.ReadCells(br, name)
		if err != nil {
			return fsum, err
		}
		if len(cells) == 0 {
			return fsum, fmt.Errorf("%s:2:0: FISH per-cell table has no cells", name)
		}
		if err := finish(); err != nil {
			return fsum, err
		}
		fsum.Kind, fsum.Rows, fsum.Cols = KindFISHCells, len(cells), 0
		in.cells = append(in.cells, cells...)
		in.cellFiles = append(in.cellFiles, name)
		in.Files = append(in.Files, fsum)
		return fsum, nil
	case KindFISHCases:
		cases, err := fish.ReadCases(br, name)
		if err != nil {
			return fsum, err
		}
		if len(cases) == 0 {
			return fsum, fmt.Errorf("%s:2:0: FISH summary has no rows", name)
		}
		if err := finish(); err != nil {
			return fsum, err
		}
		fsum.Kind, fsum.Rows = KindFISHCases, len(cases)
		in.cases = append(in.cases, cases...)
		in.caseFiles = append(in.caseFiles, name)
		in.Files = append(in.Files, fsum)
		return fsum, nil
	}
	// Compact: a count matrix is kept as 4-byte whole counts (dataset.Store), half
	// the memory of float64; analyses expand what they use (inputs_store.go).
	l, err := ingest.ReadAny(name, src, ingest.Options{SizeHint: max(size, 0), Compact: true})
	if err != nil {
		return fsum, err
	}
	if err := finish(); err != nil {
		return fsum, err
	}
	raw := keep.b
	fsum.Format = l.Format.String()
	fsum.Notes = append(fsum.Notes, l.Report.Notes...)
	for _, w := range l.Report.Warnings {
		fsum.Warnings = append(fsum.Warnings, w.String())
	}
	switch {
	case l.Sheet != nil:
		if in.sheet != nil {
			return fsum, fmt.Errorf("%s:1:0: a sample sheet was already added (%s)", name, in.sheetName)
		}
		if len(l.Sheet.Samples) == 0 {
			return fsum, fmt.Errorf("%s:2:0: sample sheet has no samples", name)
		}
		if keep.over {
			return fsum, fmt.Errorf("%s:0:0: a sample sheet larger than %d MB; is this the right file?", name, keptTextLimit>>20)
		}
		fsum.Kind, fsum.Rows, fsum.Cols = KindSamples, len(l.Sheet.Samples), len(l.Sheet.Columns)
		in.sheet, in.sheetName = l.Sheet, name
		notes, warns := in.keepSheet(raw, l.Sheet)
		fsum.Notes = append(fsum.Notes, notes...)
		fsum.Warnings = append(fsum.Warnings, warns...)
	case l.HasMatrix():
		rows, cols := len(l.Genes()), len(l.Samples())
		if rows == 0 || cols == 0 {
			return fsum, fmt.Errorf("%s:1:0: matrix has no genes or no samples", name)
		}
		fsum.Rows, fsum.Cols = rows, cols
		// What no analysis reads is not kept: per-gene text annotation columns
		// (featureCounts' per-exon Chr/Start/End/Strand lists run to tens of MB for
		// a genome) and tximport's float64 gene-level matrices (the rounded counts
		// are the Store).
		l.Annotations, l.Tx = nil, nil
		if l.Kind() == dataset.Counts {
			if len(in.matrices) > 0 && !(perSample(in.matrices[0]) && perSample(l)) {
				return fsum, fmt.Errorf("%s:1:0: a count matrix was already added (%s); add per-sample files (HTSeq, STAR) or one matrix", name, in.matrices[0].Name)
			}
			fsum.Kind = KindCounts
			if len(in.matrices) > 0 {
				shareGenes(in.matrices[0], l)
			}
			in.matrices = append(in.matrices, l)
		} else {
			if len(in.exprs) > 0 {
				return fsum, fmt.Errorf("%s:1:0: an expression matrix was already added (%s)", name, in.exprs[0].Name)
			}
			fsum.Kind = KindExpression
			in.exprs = append(in.exprs, l)
		}
	default:
		return fsum, fmt.Errorf("%s:1:0: not a matrix, sample sheet or FISH table (%s)", name, l.Format)
	}
	in.Files = append(in.Files, fsum)
	return fsum, nil
}

func perSample(l *ingest.Loaded) bool {
	return l.Format == ingest.FormatHTSeq || l.Format == ingest.FormatSTAR
}

// AddSpotFolder reads a folder of per-channel FISH spot-count files (see
// fish.ReadSpotCounts; opts.Dir is replaced by dir) and keeps its cells. The
// summary's SHA256 is the digest of the sorted "path\tsha256" lines of the files
// read. A failed call leaves the Inputs unchanged.
func (in *Inputs) AddSpotFolder(fsys fs.FS, dir string, opts fish.SpotOptions) (FileSummary, error) {
	opts.Dir = dir
	set, err := fish.ReadSpotCounts(fsys, opts)
	if err != nil {
		return FileSummary{}, err
	}
	if len(set.Cells) == 0 {
		return FileSummary{}, fmt.Errorf("%s:0:0: no spot-count files matched the pattern", dir)
	}
	var paths []string
	for _, im := range set.Images {
		for _, p := range im.Files {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	h := sha256.New()
	var n int64
	for _, p := range paths {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return FileSummary{}, fmt.Errorf("%s:0:0: %v", p, err)
		}
		n += int64(len(b))
		d := sha256.Sum256(b)
		fmt.Fprintf(h, "%s\t%x\n", p, d)
	}
	fsum := FileSummary{Name: dir, Kind: KindFISHSpots, Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil)),
		Rows: len(set.Cells), Cols: len(set.Images), Warnings: append([]string(nil), set.Warnings...)}
	if len(set.Ignored) > 0 {
		fsum.Notes = append(fsum.Notes, fmt.Sprintf("%d files ignored (name does not match the pattern)", len(set.Ignored)))
	}
	in.cells = append(in.cells, set.Cells...)
	in.cellFiles = append(in.cellFiles, dir)
	in.Files = append(in.Files, fsum)
	return fsum, nil
}

// textKeeper keeps what is written to it, up to limit bytes (then it drops it all
// and keeps nothing more): the raw text of a sample sheet.
type textKeeper struct {
	b     []byte
	limit int64
	stop  bool
	over  bool
}

func (k *textKeeper) Write(p []byte) (int, error) {
	if k.stop || k.over {
		return len(p), nil
	}
	if int64(len(k.b)+len(p)) > k.limit {
		k.drop()
		k.over = true
		return len(p), nil
	}
	k.b = append(k.b, p...)
	return len(p), nil
}

// drop forgets the text and keeps no more.
func (k *textKeeper) drop() { k.b, k.stop = nil, true }

type countingReader struct {
	r        io.Reader
	n        int64
	progress func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil && n > 0 {
		c.progress(c.n)
	}
	return n, err
}

// FISH header recognition: the column names core/fish reads (normalised: lower
// case, letters and digits only).
var (
	fishSampleKeys = keySet("sample", "sampleid", "samplename", "patient", "patientid", "case", "caseid", "tumour", "tumor", "tumourid", "tumorid", "specimen")
	fishERBB2Keys  = keySet("erbb2", "her2", "erbb2signals", "her2signals", "erbb2count", "her2count", "erbb2copies", "her2copies",
		"erbb2spots", "her2spots", "erbb2signal", "her2signal", "nerbb2", "nher2")
	fishCEP17Keys = keySet("cep17", "chr17", "cen17", "cep17signals", "chr17signals", "cen17signals", "cep17count", "chr17count",
		"cep17copies", "cep17spots", "cep17signal", "ncep17", "centromere17")
	fishCellIDKeys = keySet("cell", "cellid", "nucleus", "nucleusid", "nuclei", "nucleiid", "object", "objectid", "cellnumber")
	fishMeanKeys   = keySet("meanerbb2", "erbb2mean", "meanher2", "her2mean", "avgerbb2", "avgher2", "averageerbb2", "averageher2",
		"erbb2percell", "her2percell", "meanerbb2percell", "meanher2percell", "meanerbb2copies", "meanher2copies",
		"averageher2copynumber", "averageerbb2copynumber", "meanher2signals", "meanerbb2signals")
	fishCaseKeys = union(fishMeanKeys, keySet("her2cep17", "erbb2cep17", "her2cep17ratio", "erbb2cep17ratio",
		"pctamplified", "percentamplified", "fractionamplified"))
)

func union(a, b map[string]bool) map[string]bool {
	m := make(map[string]bool, len(a)+len(b))
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

func keySet(s ...string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, x := range s {
		m[x] = true
	}
	return m
}

// sniffFISH looks at the first non-comment line: a short header with a sample
// column and per-cell ERBB2 plus CEP17 (or cell id) columns is a per-cell FISH
// table; one with a sample column and a mean-ERBB2 / ratio / % amplified column is a
// FISH summary. A header that has three of the four per-cell columns (sample,
// ERBB2, CEP17, cell id) including a probe, or two summary columns, is FISH too:
// core/fish then names the column that is missing (a FISH table without its ERBB2
// or sample column is not a count matrix). A header with clinical columns (pCR,
// RCB, HET, HR, ER, PR, batch) and no mean-ERBB2 column is a sample sheet even if
// it has a FISH ratio or % amplified column. Anything else is left to core/ingest.
func sniffFISH(head []byte) string {
	sc := bufio.NewReader(bytes.NewReader(head))
	var line string
	for {
		l, err := sc.ReadString('\n')
		t := strings.TrimSpace(l)
		if t != "" && !strings.HasPrefix(t, "#") {
			line = t
			break
		}
		if err != nil {
			return ""
		}
	}
	sep := "\t"
	if !strings.Contains(line, "\t") {
		if strings.Count(line, ";") > strings.Count(line, ",") {
			sep = ";"
		} else {
			sep = ","
		}
	}
	fields := strings.Split(line, sep)
	if len(fields) > 40 {
		return ""
	}
	var sample, erbb2, cep17, cellID, mean, clinical bool
	cse := 0
	for _, f := range fields {
		k := normKey(f)
		sample = sample || fishSampleKeys[k]
		erbb2 = erbb2 || fishERBB2Keys[k]
		cep17 = cep17 || fishCEP17Keys[k]
		cellID = cellID || fishCellIDKeys[k]
		mean = mean || fishMeanKeys[k]
		if fishCaseKeys[k] {
			cse++
		}
		switch dataset.RoleOf(f) {
		case dataset.RoleResponse, dataset.RoleRCB, dataset.RoleHET, dataset.RoleHR, dataset.RoleER, dataset.RolePR, dataset.RoleBatch:
			clinical = true
		}
	}
	perCell := 0
	for _, b := range []bool{sample, erbb2, cep17, cellID} {
		if b {
			perCell++
		}
	}
	switch {
	case sample && erbb2 && (cep17 || cellID):
		return KindFISHCells
	case (erbb2 || cep17) && perCell >= 3:
		return KindFISHCells // without its sample or ERBB2 column: core/fish says which
	case clinical && !mean:
		// A sample sheet (pCR, HET, HR, batch ... columns) that carries a patient's
		// FISH ratio or % amplified is a sample sheet, not a FISH summary.
		return ""
	case sample && cse > 0, cse >= 2:
		return KindFISHCases
	}
	return ""
}

// firstLine returns the first line of head that is neither blank nor a '#' comment.
func firstLine(head []byte) string {
	sc := bufio.NewReader(bytes.NewReader(head))
	for {
		l, err := sc.ReadString('\n')
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
			return t
		}
		if err != nil {
			return ""
		}
	}
}

func splitHeader(line string) []string {
	sep := "\t"
	if !strings.Contains(line, "\t") {
		if strings.Count(line, ";") > strings.Count(line, ",") {
			sep = ";"
		} else {
			sep = ","
		}
	}
	return strings.Split(line, sep)
}

// sniffSpatial recognises the GeoMx DSP export tables: a target count matrix
// starts with a TargetName column; a segment table has SegmentDisplayName and
// AOI or ROI columns.
func sniffSpatial(head []byte) string {
	fields := splitHeader(firstLine(head))
	if len(fields) == 0 {
		return ""
	}
	if normKey(fields[0]) == "targetname" && len(fields) > 1 {
		return KindSpatialCounts
	}
	var seg, aoi bool
	for _, f := range fields {
		k := normKey(f)
		seg = seg || k == "segmentdisplayname"
		aoi = aoi || strings.HasPrefix(k, "aoi") || strings.HasPrefix(k, "roi")
	}
	if seg && aoi {
		return KindSpatialSegments
	}
	return ""
}

func normKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.Trim(strings.TrimSpace(s), `"'`)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '%':
			b.WriteString("pct")
		}
	}
	return b.String()
}

// errNoData is returned by Run when the inputs hold nothing to analyse.
var errNoData = errors.New("study: no expression matrix and no FISH data were added")
