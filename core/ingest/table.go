package ingest

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/genemap"
)

// knownAnnot are header names of per-gene annotation columns (lower case).
var knownAnnot = map[string]bool{
	"symbol": true, "gene_symbol": true, "genesymbol": true, "gene symbol": true, "gene_name": true, "genename": true,
	"gene name": true, "hgnc_symbol": true, "description": true, "desc": true, "gene_description": true,
	"chr": true, "chrom": true, "chromosome": true, "start": true, "end": true, "strand": true, "length": true,
	"gene_type": true, "gene_biotype": true, "biotype": true, "entrez": true, "entrezid": true, "entrez_id": true,
	"gene_id": true, "ensembl": true, "ensembl_id": true, "identifier": true, "name": true, "gene_length": true,
	"transcript_id(s)": true, "locus": true,
}

// cellIssue remembers the first cell that is not a raw count.
type cellIssue struct {
	line, col int
	text      string
	class     numClass
	neg       bool
	sample    string
}

// countMessage explains why a cell cannot be a count.
func (c *cellIssue) countMessage() string {
	switch {
	case c.class == numReal:
		return fmt.Sprintf("%s is not a whole number; DESeq2 and voom need raw counts (load TPM as expression instead)", quoteField(c.text))
	case c.neg:
		return fmt.Sprintf("%s is negative; raw counts cannot be below zero (load normalised values as expression instead)", quoteField(c.text))
	case c.class == numMissing:
		return fmt.Sprintf("%s is a missing value; count models need a count in every cell (load as expression to keep NA)", quoteField(c.text))
	case c.class == numInf:
		return fmt.Sprintf("%s is infinite; count models need finite raw counts (load as expression instead)", quoteField(c.text))
	}
	return fmt.Sprintf("%s is not a count", quoteField(c.text))
}

// tableLayout says which columns of a table hold what.
type tableLayout struct {
	idCol    int   // gene identifier column
	annot    []int // annotation columns kept as text
	samples  []int // numeric columns
	names    []string
	lenCol   int // featureCounts Length column or -1
	skipCols int // extra header fields (GCT)
}

// TableReader streams a delimited genes x samples table (a gene identifier column,
// optional per-gene annotation columns, then one numeric column per sample) row
// by row, like encoding/csv. Annotation columns are those with a known name
// (symbol, description, Chr, Length...) or a non-numeric value in the first row.
type TableReader struct {
	file       string
	src        source
	fast       *textSource // set when rows are "id<d>n<d>n..." only
	ints       intRow      // the fast path's scratch
	decComma   bool
	lay        *tableLayout
	width      int
	header     []string
	headerLine int
	samples    []string
	annotNames []string
	want       Want
	issue      *cellIssue
	rep        *Report
	first      [][]byte // first data row, not yet returned
	firstLine  int
	row        Row
	rows       int
}

// Row is one gene of a TableReader. Its slices are reused by the next Read.
type Row struct {
	Line        int       // 1-based line (or spreadsheet row)
	ID          string    // gene identifier as written (trimmed)
	Annotations []string  // values of the annotation columns
	Length      float64   // featureCounts Length column, NaN if none
	Values      []float64 // one per sample; NaN for NA/empty
}

// NewTableReader reads the header and first row of a delimited table (gzip, BOM
// and UTF-16 are unwrapped; the delimiter and a decimal comma are detected).
func NewTableReader(name string, r io.Reader, opts Options) (*TableReader, error) {
	br, notes, err := Open(name, r, opts.Progress)
	if err != nil {
		return nil, err
	}
	rep := &Report{}
	for _, n := range notes {
		rep.notef("%s", n)
	}
	ts, err := newTextSource(name, br, opts.Delimiter, nil)
	if err != nil {
		return nil, wrapIO(name, err)
	}
	f := opts.Format
	for _, c := range ts.comments {
		if strings.HasPrefix(c, "# Program:featureCounts") {
			f = FormatFeatureCounts
		}
	}
	tr, err := newTableReader(name, ts, &opts, f, rep, nil, 0, nil)
	if err != nil {
		return nil, wrapIO(name, err)
	}
	return tr, nil
}

func newTableReader(file string, src source, opts *Options, format Format, rep *Report, header []string, headerLine int, lay *tableLayout) (*TableReader, error) {
	tr := &TableReader{file: file, src: src, rep: rep, want: opts.Kind}
	if ts, ok := src.(*textSource); ok {
		tr.decComma = ts.decComma
	}
	if header == nil {
		f, no, err := src.next()
		if err == io.EOF {
			return nil, &ParseError{File: file, Line: no, Column: 0, Msg: "the file has no header line and no data"}
		}
		if err != nil {
			return nil, err
		}
		header = make([]string, len(f))
		for i, b := range f {
			header[i] = strings.TrimSpace(string(b))
		}
		headerLine = no
	}
	first, firstLine, err := src.next()
	if err == io.EOF {
		return nil, &ParseError{File: file, Line: headerLine, Column: 0, Msg: "the header is not followed by any data row"}
	}
	if err != nil {
		return nil, err
	}
	width := len(first)
	if len(header) == width-1 {
		// R write.table style: no header for the row-name column.
		header = append([]string{""}, header...)
		rep.notef("header has one field fewer than the rows: the first column was taken as gene identifiers (R row names)")
	}
	if len(header) != width {
		return nil, &ParseError{File: file, Line: firstLine, Column: min(len(header), width) + 1,
			Msg: fmt.Sprintf("row has %d fields but the header (line %d) has %d", width, headerLine, len(header))}
	}
	if lay == nil {
		lay = &tableLayout{lenCol: -1}
		for c := 1; c < width; c++ {
			h := strings.ToLower(header[c])
			_, cls := parseNum(first[c], tr.decComma)
			if knownAnnot[h] || cls == numBad {
				if !knownAnnot[h] {
					// Nothing is dropped silently: say why a column is not a sample.
					rep.warnf(file, firstLine, c+1, "column %q is kept as a text annotation, not a sample: its first value %s is not a number",
						header[c], quoteField(string(first[c])))
				}
				lay.annot = append(lay.annot, c)
				if h == "length" && format == FormatFeatureCounts {
					lay.lenCol = c
				}
				continue
			}
			lay.samples = append(lay.samples, c)
		}
	}
	if len(lay.samples) == 0 {
		return nil, &ParseError{File: file, Line: firstLine, Column: 2,
			Msg: fmt.Sprintf("no numeric sample column: expected a gene identifier column then one column of numbers per sample, got %s", quoteField(string(first[min(1, width-1)])))}
	}
	samples := make([]string, len(lay.samples))
	for j, c := range lay.samples {
		samples[j] = header[c]
		if samples[j] == "" {
			samples[j] = "V" + strconv.Itoa(c+1)
			rep.warnf(file, headerLine, c+1, "sample column %d has no name; called it %q", c+1, samples[j])
		}
	}
	if format == FormatFeatureCounts {
		samples = cleanBAMNames(samples, rep, file)
	}
	tr.samples = uniqueNames(samples, rep, file, "sample")
	for _, c := range lay.annot {
		tr.annotNames = append(tr.annotNames, header[c])
	}
	tr.lay, tr.width, tr.header, tr.headerLine = lay, width, header, headerLine
	tr.first, tr.firstLine = first, firstLine
	if ts, ok := src.(*textSource); ok && lay.idCol == 0 && len(lay.annot) == 0 && lay.lenCol < 0 && len(lay.samples) == width-1 {
		tr.fast = ts
	}
	tr.row.Values = make([]float64, len(tr.samples))
	tr.row.Annotations = make([]string, len(lay.annot))
	return tr, nil
}

// Samples returns the sample names (cleaned and made unique).
func (tr *TableReader) Samples() []string { return tr.samples }

// AnnotationNames returns the names of the per-gene annotation columns.
func (tr *TableReader) AnnotationNames() []string { return tr.annotNames }

// Report returns the reader's report (notes and warnings so far).
func (tr *TableReader) Report() *Report { return tr.rep }

// Kind returns Counts while every value read so far is a raw count (and the
// caller did not ask for expression), else Expression.
func (tr *TableReader) Kind() dataset.Kind {
	if tr.issue != nil || tr.want == WantExpression {
		return dataset.Expression
	}
	return dataset.Counts
}

// Read returns the next gene, or io.EOF after the last. With Options.Kind =
// WantCounts a value that is not a raw count is a *ParseError.
func (tr *TableReader) Read() (*Row, error) {
	id, line, _, err := tr.readRow(tr.row.Values, nil, true)
	if err != nil {
		return nil, err
	}
	tr.row.ID, tr.row.Line = id, line
	return &tr.row, nil
}

// readRow parses the next row's numbers into dst; with full it also fills the
// annotation and length fields of tr.row. When whole is not nil, a row the
// integer fast path reads goes to whole instead (as uint32 counts, each at most
// dataset.MaxWhole) and isWhole is true; every other row goes to dst.
func (tr *TableReader) readRow(dst []float64, whole []uint32, full bool) (id string, line int, isWhole bool, err error) {
	var fields [][]byte
	if tr.first != nil {
		fields, line = tr.first, tr.firstLine
		tr.first = nil
	} else if tr.fast != nil {
		raw, no, err := tr.fast.nextRaw()
		if err != nil {
			return "", no, false, err
		}
		if whole != nil {
			if id, ok := tr.ints.parseWhole(raw, tr.fast.delim, whole); ok {
				tr.rows++
				return id, no, true, nil
			}
		} else if id, ok := tr.ints.parse(raw, tr.fast.delim, dst); ok {
			tr.rows++
			return id, no, false, nil
		}
		if fields, line, err = tr.fast.split(raw, no); err != nil {
			return "", line, false, err
		}
	} else {
		if fields, line, err = tr.src.next(); err != nil {
			return "", line, false, err
		}
	}
	id, err = tr.parseFields(fields, line, dst, full)
	return id, line, false, err
}

// parseFields is readRow's general path for one split row.
func (tr *TableReader) parseFields(fields [][]byte, line int, dst []float64, full bool) (string, error) {
	lay, file := tr.lay, tr.file
	if len(fields) > 0 && bytes.HasPrefix(fields[0], []byte("!series_matrix_table_end")) {
		tr.first = nil
		tr.fast = nil
		return "", io.EOF
	}
	if len(fields) != tr.width {
		return "", &ParseError{File: file, Line: line, Column: min(len(fields), tr.width) + 1,
			Msg: fmt.Sprintf("row has %d fields, expected %d like the header", len(fields), tr.width)}
	}
	id := strings.TrimSpace(string(fields[lay.idCol]))
	if id == "" {
		return "", &ParseError{File: file, Line: line, Column: lay.idCol + 1, Msg: "empty gene identifier"}
	}
	if full {
		for i, c := range lay.annot {
			tr.row.Annotations[i] = string(fields[c])
		}
		tr.row.Length = math.NaN()
		if lay.lenCol >= 0 {
			tr.row.Length, _ = parseNum(fields[lay.lenCol], false)
		}
	}
	for j, c := range lay.samples {
		v, cls := parseNum(fields[c], tr.decComma)
		if cls != numInt || v < 0 {
			if cls == numBad {
				return "", &ParseError{File: file, Line: line, Column: c + 1,
					Msg: fmt.Sprintf("%s is not a number; expected a value for sample %q", quoteField(string(fields[c])), tr.samples[j])}
			}
			if tr.issue == nil {
				tr.issue = &cellIssue{line: line, col: c + 1, text: strings.TrimSpace(string(fields[c])), class: cls, neg: v < 0, sample: tr.samples[j]}
				if tr.want == WantCounts {
					return "", &ParseError{File: file, Line: line, Column: c + 1, Msg: tr.issue.countMessage()}
				}
			}
		}
		dst[j] = v
	}
	tr.rows++
	return id, nil
}

// readTable reads a whole genes x samples table from src into ld.Store. header is
// the header row if the caller already consumed it (GCT), else nil. Rows the
// integer fast path reads go straight to the store as uint32 counts (no float64
// in between); other rows are parsed as float64 and stored exactly (whole values
// compact, any other value spilled, see dataset.Store).
func readTable(file string, src source, opts *Options, ld *Loaded, header []string, headerLine int, lay *tableLayout) error {
	tr, err := newTableReader(file, src, opts, ld.Format, &ld.Report, header, headerLine, lay)
	if err != nil {
		return err
	}
	ns := len(tr.samples)
	var genes []string
	// Compact: a Store (uint32 counts); otherwise float64 rows, as a Matrix.
	compact := opts.Compact
	vals := dataset.NewStoreBuilder(ns, 0)
	var fvals valueStore
	grow := func(rows int) {
		if compact {
			vals.Grow(rows)
		} else {
			fvals.ensure(rows * ns)
		}
	}
	reestimate := func() {}
	if ts, ok := src.(*textSource); ok && opts.SizeHint > 0 && ts.avgLine > 0 {
		// Allocate the matrix once from the input size: a first guess from the first
		// lines, corrected after 4096 rows from the bytes actually consumed. Until
		// then only those rows are held: allocating the whole first guess would, when
		// the first lines are longer than the file's average, hold the guess and the
		// corrected matrix at once.
		est := float64(opts.SizeHint)/ts.avgLine*1.1 + 16
		if est*float64(ns) < 1<<31 {
			grow(int(min(est, 4096+16)))
		}
		start := ts.lr.read
		reestimate = func() {
			per := float64(ts.lr.read-start) / 4096
			if per > 0 {
				grow(int(float64(opts.SizeHint-start)/per*1.03 + 16))
			}
		}
	}
	annot := make([]Column, len(tr.annotNames))
	for i, n := range tr.annotNames {
		annot[i].Name = n
	}
	var glen []float64
	full := len(annot) > 0 || tr.lay.lenCol >= 0
	var row []float64
	var whole []uint32
	if compact {
		row, whole = make([]float64, ns), make([]uint32, ns)
	}
	for {
		if !compact {
			row = fvals.next(ns)
		}
		id, _, isWhole, err := tr.readRow(row, whole, full)
		if err == io.EOF {
			if !compact {
				fvals.undo(ns)
			}
			break
		}
		if err != nil {
			return err
		}
		switch {
		case !compact:
		case isWhole:
			vals.AddWhole(whole)
		default:
			vals.AddFloat(row)
		}
		genes = append(genes, id)
		if len(genes) == 4096 {
			reestimate()
		}
		if full {
			for i := range annot {
				annot[i].Values = append(annot[i].Values, tr.row.Annotations[i])
			}
			if tr.lay.lenCol >= 0 {
				glen = append(glen, tr.row.Length)
			}
		}
	}
	if tr.issue != nil && tr.want == WantAuto {
		ld.Report.notef("loaded as expression, not counts: %s:%d:%d %s", file, tr.issue.line, tr.issue.col, tr.issue.countMessage())
	}
	if compact {
		ld.Matrix, ld.Store = nil, vals.Build(tr.Kind(), genes, tr.samples)
	} else {
		ld.Matrix, ld.Store = &dataset.Matrix{Kind: tr.Kind(), Genes: genes, Samples: tr.samples, Data: fvals.flatten()}, nil
	}
	ld.Annotations = annot
	ld.GeneLength = glen
	return nil
}

// cleanBAMNames turns featureCounts' BAM paths into sample names.
func cleanBAMNames(names []string, rep *Report, file string) []string {
	out := make([]string, len(names))
	changed := 0
	for i, n := range names {
		s := path.Base(strings.ReplaceAll(n, "\\", "/"))
		for _, suf := range []string{".bam", ".sam", ".cram", ".sortedByCoord.out", "Aligned", ".Aligned", ".out", ".sorted", "_sorted", ".dedup", "_dedup", ".markdup", "."} {
			s = strings.TrimSuffix(s, suf)
		}
		if s == "" {
			s = n
		}
		if s != n {
			changed++
		}
		out[i] = s
	}
	if changed > 0 {
		rep.notef("featureCounts sample names cleaned from BAM paths (e.g. %q -> %q)", names[0], out[0])
	}
	return out
}

// uniqueNames makes names unique by appending ".2", ".3"... and warns.
func uniqueNames(names []string, rep *Report, file, what string) []string {
	seen := make(map[string]int, len(names))
	for i, n := range names {
		if k, dup := seen[n]; dup {
			k++
			nn := n + "." + strconv.Itoa(k)
			for {
				if _, d := seen[nn]; !d {
					break
				}
				k++
				nn = n + "." + strconv.Itoa(k)
			}
			seen[n] = k
			seen[nn] = 1
			rep.warnf(file, 0, 0, "duplicate %s name %q renamed %q", what, n, nn)
			names[i] = nn
			continue
		}
		seen[n] = 1
	}
	return names
}

// finishMatrix applies the steps shared by every matrix format: orientation,
// duplicate gene rows, ID type, gene mapping report.
func finishMatrix(file string, ld *Loaded, opts *Options) {
	if ld.Matrix == nil && ld.Store == nil {
		return
	}
	rep := &ld.Report
	if genes, samples := ld.Genes(), ld.Samples(); opts.Transpose > 0 || (opts.Transpose == 0 && looksSamplesByGenes(genes, samples)) {
		transpose(ld)
		rep.notef("the table is samples x genes (%d rows, %d columns of gene identifiers): transposed to genes x samples", len(samples), len(genes))
	}
	ld.IDType = genemap.DominantType(ld.Genes())
	dedupGenes(file, ld)
	if opts.Genes != nil {
		reportMapping(file, ld, opts.Genes)
	} else {
		// Without a gene table, still catch spreadsheet dates made from gene names.
		for _, id := range ld.Genes() {
			if genemap.IsExcelMangled(id) {
				rep.ExcelMangled = append(rep.ExcelMangled, id)
			}
		}
		if n := len(rep.ExcelMangled); n > 0 {
			rep.warnf(file, 0, 0, "%s look like dates made by a spreadsheet from gene names (e.g. %s): re-export the file without opening it in Excel",
				plural(n, "gene name", "gene names"), strings.Join(rep.ExcelMangled[:min(n, 5)], ", "))
		}
	}
}

// looksSamplesByGenes: more columns than rows and column names that look like genes
// while row names do not.
func looksSamplesByGenes(genes, samples []string) bool {
	if len(samples) <= len(genes) || len(samples) < 50 {
		return false
	}
	geneLike := func(ids []string) float64 {
		n, hit := 0, 0
		for i, id := range ids {
			if i >= 300 {
				break
			}
			n++
			switch genemap.TypeOf(id) {
			case genemap.IDEnsembl, genemap.IDCombined, genemap.IDTranscript:
				hit++
			case genemap.IDSymbol:
				if _, _, ok := genemap.Default().Resolve(id); ok {
					hit++
				}
			}
		}
		if n == 0 {
			return 0
		}
		return float64(hit) / float64(n)
	}
	return geneLike(samples) >= 0.5 && geneLike(genes) < 0.2
}

func transpose(ld *Loaded) {
	m := ld.Matrix
	if ld.Store != nil {
		m = ld.Store.Matrix()
	}
	r, c := m.Rows(), m.Cols()
	t := &dataset.Matrix{Kind: m.Kind, Genes: m.Samples, Samples: m.Genes, Data: make([]float64, len(m.Data))}
	for i := 0; i < r; i++ {
		row := m.Data[i*c : (i+1)*c]
		for j, v := range row {
			t.Data[j*r+i] = v
		}
	}
	if ld.Store != nil {
		ld.Store = dataset.CompactMatrix(t)
	} else {
		ld.Matrix = t
	}
	ld.Transposed = true
	ld.Annotations = nil
	ld.GeneLength = nil
}

// dedupGenes merges rows with the same identifier: summed for counts, first kept
// for expression. Both are reported.
func dedupGenes(file string, ld *Loaded) {
	genes := ld.Genes()
	idx := make(map[string]int, len(genes))
	var dups int
	for _, g := range genes {
		if _, ok := idx[g]; ok {
			dups++
		} else {
			idx[g] = len(idx)
		}
	}
	if dups == 0 {
		return
	}
	kind := ld.Kind()
	keep := make([]bool, len(genes))
	first := make(map[string]int, len(genes))
	var later [][]int // later[k]: rows repeating the k-th kept row's identifier, in file order
	for i, g := range genes {
		if j, ok := first[g]; ok {
			later[j] = append(later[j], i)
			continue
		}
		first[g] = len(later)
		later = append(later, nil)
		keep[i] = true
	}
	var rows []int
	for i, k := range keep {
		if k {
			rows = append(rows, i)
		}
	}
	if ld.Store != nil {
		ld.Store = mergeStoreRows(ld.Store, rows, later, kind == dataset.Counts)
	} else {
		m := ld.Matrix
		ns := m.Cols()
		if kind == dataset.Counts {
			for k, j := range rows {
				dst := m.Data[j*ns : (j+1)*ns]
				for _, i := range later[k] {
					for s, v := range m.Data[i*ns : (i+1)*ns] {
						dst[s] += v
					}
				}
			}
		}
		ld.Matrix = m.SubsetRows(rows)
	}
	for a := range ld.Annotations {
		v := ld.Annotations[a].Values
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = v[r]
		}
		ld.Annotations[a].Values = out
	}
	if ld.GeneLength != nil {
		out := make([]float64, len(rows))
		for i, r := range rows {
			out[i] = ld.GeneLength[r]
		}
		ld.GeneLength = out
	}
	if kind == dataset.Counts {
		ld.Report.MergedGenes += dups
		ld.Report.warnf(file, 0, 0, "%s repeated an earlier gene identifier and were summed into it (counts)", plural(dups, "row", "rows"))
	} else {
		ld.Report.ExcludedRows += dups
		ld.Report.warnf(file, 0, 0, "%s repeated an earlier gene identifier and were left out (expression: the first row is kept)", plural(dups, "row", "rows"))
	}
}

// reportMapping resolves every gene identifier and reports unmapped and
// Excel-mangled ones.
func reportMapping(file string, ld *Loaded, gm *genemap.Map) {
	rep := &ld.Report
	var unmapped, amb int
	var exampleUnmapped []string
	genes := ld.Genes()
	for _, id := range genes {
		_, how, ok := gm.Resolve(id)
		if ok {
			continue
		}
		switch how {
		case genemap.ExcelMangled:
			rep.ExcelMangled = append(rep.ExcelMangled, id)
		case genemap.Ambiguous:
			amb++
		}
		unmapped++
		if len(exampleUnmapped) < 3 && how != genemap.ExcelMangled {
			exampleUnmapped = append(exampleUnmapped, id)
		}
	}
	rep.Unmapped += unmapped
	mouse := 0
	for _, id := range genes {
		if strings.HasPrefix(id, "ENSMUSG") || strings.HasPrefix(id, "ENSRNOG") {
			mouse++
		}
	}
	if mouse > 0 {
		rep.warnf(file, 0, 0, "%s are mouse or rat Ensembl IDs (ENSMUSG/ENSRNOG); the gene table is human: map them to human orthologues first", plural(mouse, "identifier", "identifiers"))
	}
	if unmapped > 0 {
		rep.warnf(file, 0, 0, "%s of %d did not map to a human gene (%d ambiguous aliases; e.g. %s); they are kept under their own names",
			plural(unmapped, "gene identifier", "gene identifiers"), len(genes), amb, strings.Join(exampleUnmapped, ", "))
	}
	if n := len(rep.ExcelMangled); n > 0 {
		ex := rep.ExcelMangled
		if len(ex) > 5 {
			ex = ex[:5]
		}
		rep.warnf(file, 0, 0, "%s look like dates made by a spreadsheet from gene names (e.g. %s): re-export the file without opening it in Excel",
			plural(n, "gene name", "gene names"), strings.Join(ex, ", "))
	}
}

// valueStore accumulates float64 rows in fixed-size chunks so that a growing
// matrix is never copied more than once (peak memory about twice the numbers);
// ensure sizes it once when the input size is known. (Options.Compact uses
// dataset.StoreBuilder instead.)
type valueStore struct {
	chunks [][]float64
	cur    []float64
	n      int
}

// next returns room for one row of ns values.
func (v *valueStore) next(ns int) []float64 {
	if len(v.cur)+ns > cap(v.cur) {
		if len(v.cur) > 0 {
			v.chunks = append(v.chunks, v.cur)
		}
		per := max(1, (1<<20)/max(ns, 1))
		v.cur = make([]float64, 0, per*ns)
	}
	k := len(v.cur)
	v.cur = v.cur[:k+ns]
	v.n += ns
	return v.cur[k : k+ns : k+ns]
}

// ensure makes room for n values in total while no chunk has been closed.
func (v *valueStore) ensure(n int) {
	if len(v.chunks) == 0 && cap(v.cur) < n && n < 1<<31 {
		c := make([]float64, len(v.cur), n)
		copy(c, v.cur)
		v.cur = c
	}
}

// undo takes back the last row of ns values returned by next.
func (v *valueStore) undo(ns int) {
	v.cur = v.cur[:len(v.cur)-ns]
	v.n -= ns
}

// flatten returns all values in one slice, releasing the chunks.
func (v *valueStore) flatten() []float64 {
	if len(v.chunks) == 0 {
		out := v.cur
		v.cur = nil
		return out
	}
	out := make([]float64, 0, v.n)
	for i, c := range v.chunks {
		out = append(out, c...)
		v.chunks[i] = nil
	}
	out = append(out, v.cur...)
	v.chunks, v.cur = nil, nil
	return out
}
