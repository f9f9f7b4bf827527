package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/her2het/her2het/core/dataset"
)

// countingReader reports the bytes read from the underlying (possibly compressed)
// input, so progress can be compared with the file size.
type countingReader struct {
	r        io.Reader
	n        int64
	last     int64
	progress func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil && (c.n-c.last >= 1<<20 || (err == io.EOF && c.n != c.last)) {
		c.last = c.n
		c.progress(c.n)
	}
	return n, err
}

// Open unwraps gzip (by magic bytes), a UTF-8 byte-order mark and UTF-16 (with a
// BOM, or detected from zero bytes) and returns a buffered UTF-8 reader plus notes.
func Open(name string, r io.Reader, progress func(int64)) (*bufio.Reader, []string, error) {
	br, notes, _, err := open(name, r, progress, false)
	return br, notes, err
}

// open is Open; with async a gzip stream is decompressed in a goroutine, a few
// blocks ahead of the reader, and stop (never nil) ends that goroutine and waits
// for it: the caller must call stop when it stops reading. The bytes, errors and
// progress calls (made on the reader's goroutine) are the same either way.
func open(name string, r io.Reader, progress func(int64), async bool) (*bufio.Reader, []string, func(), error) {
	var notes []string
	stop := func() {}
	cr := &countingReader{r: r, progress: progress}
	br := bufio.NewReaderSize(cr, bufSize)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, stop, &ParseError{File: name, Line: 0, Column: 0, Msg: "looks gzip-compressed but the gzip header is damaged: " + err.Error()}
		}
		var text io.Reader = &gzipErrReader{zr: zr, name: name}
		if async {
			cr.progress = nil // called by the reader's goroutine instead
			ar := newAsyncReader(text, cr, progress)
			text, stop = ar, ar.stop
		}
		br = bufio.NewReaderSize(text, bufSize)
		notes = append(notes, "gzip-compressed")
	}
	head, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		br.Discard(3)
		notes = append(notes, "UTF-8 byte-order mark removed")
	case bytes.HasPrefix(head, []byte("\xff\xfe")), bytes.HasPrefix(head, []byte("\xfe\xff")):
		be := head[0] == 0xfe
		br.Discard(2)
		br = bufio.NewReaderSize(&utf16Reader{r: br, be: be}, bufSize)
		notes = append(notes, "UTF-16 text converted to UTF-8")
	case len(head) == 4 && head[1] == 0 && head[3] == 0 && head[0] != 0:
		br = bufio.NewReaderSize(&utf16Reader{r: br}, bufSize)
		notes = append(notes, "UTF-16 (little-endian, no byte-order mark) converted to UTF-8")
	}
	return br, notes, stop, nil
}

// asyncReader reads r in its own goroutine into a few 1 MiB blocks, so that
// decompression (compress/gzip: as costly as parsing) runs beside the parser on
// another core.
type asyncReader struct {
	blocks   chan asyncBlock
	free     chan []byte
	quit     chan struct{}
	done     chan struct{}
	stopped  bool
	cur      asyncBlock
	off      int
	err      error // error that followed the current block
	progress func(int64)
	reported int64
}

type asyncBlock struct {
	buf []byte
	raw int64 // raw (compressed) bytes read when the block was filled
	err error
}

const asyncBlocks, asyncBlockSize = 3, 1 << 20

func newAsyncReader(r io.Reader, cr *countingReader, progress func(int64)) *asyncReader {
	a := &asyncReader{blocks: make(chan asyncBlock, asyncBlocks), free: make(chan []byte, asyncBlocks),
		quit: make(chan struct{}), done: make(chan struct{}), progress: progress}
	for range asyncBlocks {
		a.free <- make([]byte, asyncBlockSize)
	}
	go a.run(r, cr)
	return a
}

// run fills blocks until an error (io.EOF included), which travels with the last
// block, or until stop.
func (a *asyncReader) run(r io.Reader, cr *countingReader) {
	defer close(a.done)
	for {
		var buf []byte
		select {
		case buf = <-a.free:
		case <-a.quit:
			return
		}
		n, err := io.ReadFull(r, buf)
		if err == io.ErrUnexpectedEOF {
			err = io.EOF
		}
		select {
		case a.blocks <- asyncBlock{buf: buf[:n], raw: cr.n, err: err}:
		case <-a.quit:
			return
		}
		if err != nil {
			return
		}
	}
}

func (a *asyncReader) Read(p []byte) (int, error) {
	for a.off == len(a.cur.buf) {
		if a.err != nil {
			return 0, a.err
		}
		if a.cur.buf != nil {
			a.free <- a.cur.buf[:cap(a.cur.buf)] // never blocks: there are asyncBlocks buffers
		}
		a.cur, a.off = <-a.blocks, 0
		a.err = a.cur.err
		if a.progress != nil && (a.cur.raw-a.reported >= 1<<20 || a.err == io.EOF && a.cur.raw != a.reported) {
			a.reported = a.cur.raw
			a.progress(a.cur.raw)
		}
	}
	n := copy(p, a.cur.buf[a.off:])
	a.off += n
	return n, nil
}

// stop ends the decompressing goroutine and waits until it has returned (it may
// be inside one read of the underlying reader).
func (a *asyncReader) stop() {
	if !a.stopped {
		a.stopped = true
		close(a.quit)
		<-a.done
	}
}

type gzipErrReader struct {
	zr   *gzip.Reader
	name string
}

func (g *gzipErrReader) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	if err != nil && err != io.EOF {
		return n, &ParseError{File: g.name, Msg: "the gzip stream is damaged or truncated: " + err.Error()}
	}
	return n, err
}

// utf16Reader converts UTF-16 to UTF-8.
type utf16Reader struct {
	r   *bufio.Reader
	be  bool
	out []byte
	hi  rune // pending high surrogate
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		var b [2]byte
		if _, err := io.ReadFull(u.r, b[:]); err != nil {
			if err == io.ErrUnexpectedEOF {
				return 0, errors.New("UTF-16 text ends in the middle of a character")
			}
			return 0, err
		}
		c := rune(b[0]) | rune(b[1])<<8
		if u.be {
			c = rune(b[1]) | rune(b[0])<<8
		}
		switch {
		case utf16.IsSurrogate(c) && c < 0xdc00:
			u.hi = c
			continue
		case utf16.IsSurrogate(c):
			c = utf16.DecodeRune(u.hi, c)
			u.hi = 0
		}
		u.out = utf8.AppendRune(u.out[:0], c)
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

// ReadAny reads one input of any supported format: it unwraps gzip, BOM and UTF-16,
// detects the format (unless opts.Format is set) and returns what it found.
// Errors caused by the content are *ParseError.
func ReadAny(name string, r io.Reader, opts Options) (*Loaded, error) {
	var isize int64 // the text size a gzip trailer states
	if sz, ok := r.(interface{ Size() int64 }); ok {
		if opts.SizeHint == 0 {
			opts.SizeHint = sz.Size()
		}
		isize = gzipSize(r, sz.Size())
	}
	// Decompression gets its own goroutine when there is a core for it (not in
	// WebAssembly, which runs one thread).
	br, notes, stop, err := open(name, r, opts.Progress, runtime.GOMAXPROCS(0) > 1)
	defer stop()
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		switch {
		case n == "gzip-compressed":
			opts.SizeHint = isize // the text size from the gzip trailer, or unknown (0)
		case strings.HasPrefix(n, "UTF-16"):
			opts.SizeHint = 0 // the text size is unknown
		}
	}
	head, err := br.Peek(64 << 10)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		var pe *ParseError
		if errors.As(err, &pe) {
			return nil, pe
		}
		return nil, &ParseError{File: name, Msg: err.Error()}
	}
	if len(bytes.TrimSpace(head)) == 0 {
		return nil, &ParseError{File: name, Line: 1, Column: 0, Msg: "the file is empty"}
	}
	if bytes.IndexByte(head, 0) >= 0 && !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return nil, &ParseError{File: name, Line: 1, Column: 0, Msg: "binary data (NUL bytes), not a text table; expected tab-, comma- or semicolon-separated text, .gz or .xlsx"}
	}
	if !bytes.HasPrefix(head, []byte("PK\x03\x04")) && !utf8.Valid(head[:validPrefix(head)]) {
		// Latin-1 and friends: the numbers are fine, names may show odd characters.
		notes = append(notes, "text is not valid UTF-8 (Latin-1?); names may show replacement characters")
	}
	f := opts.Format
	if f == FormatUnknown {
		f = Detect(name, head)
	}
	ld := &Loaded{Name: name, Format: f}
	for _, n := range notes {
		ld.Report.notef("%s", n)
	}
	switch f {
	case FormatXLSX:
		err = readXLSX(name, br, &opts, ld)
	case FormatSalmon, FormatSalmonGenes, FormatKallisto, FormatRSEM, FormatRSEMIsoforms:
		err = readQuantAny(name, br, &opts, ld)
	case FormatHTSeq:
		err = readHTSeq(name, br, &opts, ld)
	case FormatSTAR:
		err = readSTAR(name, br, &opts, ld)
	case FormatGCT:
		err = readGCT(name, br, &opts, ld)
	case FormatSampleSheet:
		ts, e := newTextSource(name, br, opts.Delimiter, nil)
		if e != nil {
			return nil, wrapIO(name, e)
		}
		ld.Delimiter = ts.delim
		ld.Sheet, err = readSheet(name, ts, &opts, &ld.Report)
	case FormatTx2Gene:
		var rep Report
		ld.Tx2Gene, rep, err = ReadTx2Gene(name, br)
		ld.Report.Merge(rep)
	case FormatDelimited, FormatFeatureCounts:
		ts, e := newTextSource(name, br, opts.Delimiter, nil)
		if e != nil {
			return nil, wrapIO(name, e)
		}
		ld.Delimiter, ld.DecimalComma = ts.delim, ts.decComma
		if ts.decComma {
			ld.Report.notef("decimal comma detected (values like \"12,5\" read as 12.5)")
		}
		if ts.delim != '\t' {
			ld.Report.notef("delimiter: %q", string(ts.delim))
		}
		for _, c := range ts.comments {
			if strings.HasPrefix(c, "# Program:featureCounts") {
				ld.Format = FormatFeatureCounts
			}
		}
		if len(ts.comments) > 0 {
			ld.Report.notef("%s before the header skipped", plural(len(ts.comments), "comment or GEO metadata line", "comment or GEO metadata lines"))
		}
		err = readTable(name, ts, &opts, ld, nil, 0, nil)
		if err == nil {
			finishMatrix(name, ld, &opts)
		}
	default:
		return nil, &ParseError{File: name, Line: 1, Msg: "unrecognised content; expected a count or expression table, a quantifier output or a sample sheet"}
	}
	if err != nil {
		return nil, wrapIO(name, err)
	}
	ld.settle(opts.Compact)
	return ld, nil
}

// gzipSize returns the uncompressed size a gzip stream of size bytes states in its
// trailer (ISIZE, RFC 1952: the size modulo 2^32 of the last member), read with
// ReadAt when r allows it, or 0. It only sizes the first allocation of the matrix
// (a wrong value costs a copy, never a wrong result); a value below the
// compressed size (wrapped at 4 GiB, or several members), or above what deflate
// can expand it to (1032:1), is not used.
func gzipSize(r io.Reader, size int64) int64 {
	ra, ok := r.(io.ReaderAt)
	if !ok || size < 18 {
		return 0
	}
	var t [4]byte
	if n, err := ra.ReadAt(t[:], size-4); n != 4 || (err != nil && err != io.EOF) {
		return 0
	}
	isize := int64(binary.LittleEndian.Uint32(t[:]))
	if isize < size || isize > 1032*size {
		return 0
	}
	return isize
}

func validPrefix(b []byte) int {
	// do not judge a multi-byte character cut by the end of the peek window
	n := len(b)
	for i := 0; i < 3 && n > 0 && b[n-1]&0xc0 == 0x80; i++ {
		n--
	}
	if n > 0 && b[n-1] >= 0xc0 {
		n--
	}
	return n
}

func wrapIO(name string, err error) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		return pe
	}
	return &ParseError{File: name, Msg: err.Error()}
}

func readQuantAny(name string, r io.Reader, opts *Options, ld *Loaded) error {
	q, err := ReadQuant(name, r, ld.Format, nil)
	if err != nil {
		return err
	}
	tx, rep, err := Tximport([]*TxQuant{q}, opts.Tx2Gene, opts.CountsFromAbundance)
	if err != nil {
		return err
	}
	ld.Report.Merge(rep)
	setTx(ld, tx, name)
	finishMatrix(name, ld, &Options{Transpose: -1, Genes: opts.Genes})
	return nil
}

func setTx(ld *Loaded, tx *TxImport, name string) {
	ld.Tx = tx
	ld.Matrix = roundCounts(tx.Counts)
	frac := 0
	for i, v := range tx.Counts.Data {
		if v != ld.Matrix.Data[i] {
			frac++
		}
	}
	if frac > 0 {
		ld.Report.warnf(name, 0, 0, "%s of estimated counts rounded to whole numbers for count models (as DESeqDataSetFromTximport does); TPM and effective lengths kept", plural(frac, "value", "values"))
	}
}

// ReadQuants reads several Salmon, kallisto or RSEM files (one per sample, same
// format) and summarises them to genes with Tximport.
func ReadQuants(names []string, readers []io.Reader, opts Options) (*Loaded, error) {
	if len(names) != len(readers) || len(names) == 0 {
		return nil, fmt.Errorf("ingest: ReadQuants needs one name per reader")
	}
	var qs []*TxQuant
	var f Format
	for i, name := range names {
		br, _, err := Open(name, readers[i], opts.Progress)
		if err != nil {
			return nil, err
		}
		fi := opts.Format
		if fi == FormatUnknown {
			head, _ := br.Peek(4096)
			fi = Detect(name, head)
		}
		if _, ok := quantCols[fi]; !ok {
			return nil, &ParseError{File: name, Line: 1, Msg: fmt.Sprintf("is %s, not a Salmon, kallisto or RSEM output", fi)}
		}
		if i == 0 {
			f = fi
		} else if fi != f {
			return nil, &ParseError{File: name, Line: 1, Msg: fmt.Sprintf("is %s but %s is %s; load one quantifier at a time", fi, names[0], f)}
		}
		q, err := ReadQuant(name, br, fi, nil)
		if err != nil {
			return nil, wrapIO(name, err)
		}
		qs = append(qs, q)
	}
	tx, rep, err := Tximport(qs, opts.Tx2Gene, opts.CountsFromAbundance)
	if err != nil {
		return nil, err
	}
	ld := &Loaded{Name: names[0], Format: f, Report: rep}
	setTx(ld, tx, names[0])
	finishMatrix(names[0], ld, &Options{Transpose: -1, Genes: opts.Genes})
	ld.settle(opts.Compact)
	return ld, nil
}

// Merge combines per-sample matrices (HTSeq, STAR) into one by gene identifier.
// Every input must list the same genes; genes missing from some input are an error
// naming it. Inputs may hold a Matrix or a Store; the result is a Store when every
// input is one (Options.Compact), else a Matrix.
func Merge(ls []*Loaded) (*Loaded, error) {
	if len(ls) == 0 {
		return nil, fmt.Errorf("ingest: Merge needs at least one matrix")
	}
	firstGenes := ls[0].Genes()
	idx := make(map[string]int, len(firstGenes))
	for i, g := range firstGenes {
		idx[g] = i
	}
	var samples []string
	compact := true
	for _, l := range ls {
		samples = append(samples, l.Samples()...)
		compact = compact && l.Store != nil
	}
	out := &Loaded{Name: ls[0].Name, Format: ls[0].Format}
	samples = uniqueNames(samples, &out.Report, ls[0].Name, "sample")
	kind := dataset.Counts
	for _, l := range ls {
		if l.Kind() != dataset.Counts {
			kind = dataset.Expression
		}
		out.Report.Merge(l.Report)
	}
	if compact && sameGenes(ls, firstGenes) {
		// Every file lists the genes in the same order: the merged store is built
		// row by row, without a float64 matrix in between.
		b := dataset.NewStoreBuilder(len(samples), len(firstGenes))
		row := make([]float64, len(samples))
		for g := range firstGenes {
			col := 0
			for _, l := range ls {
				ns := l.Store.Cols()
				for s := 0; s < ns; s++ {
					row[col+s] = l.Store.At(g, s)
				}
				col += ns
			}
			b.AddFloat(row)
		}
		out.Store = b.Build(kind, append([]string(nil), firstGenes...), samples)
		out.IDType = ls[0].IDType
		return out, nil
	}
	m := dataset.NewMatrix(kind, append([]string(nil), firstGenes...), samples)
	col := 0
	for _, l := range ls {
		genes, ns := l.Genes(), len(l.Samples())
		if len(genes) != len(firstGenes) {
			return nil, &ParseError{File: l.Name, Msg: fmt.Sprintf("has %d genes but %s has %d; per-sample files must come from the same annotation", len(genes), ls[0].Name, len(firstGenes))}
		}
		at := func(g, s int) float64 { return l.Store.At(g, s) }
		if l.Matrix != nil {
			at = l.Matrix.At
		}
		for g, id := range genes {
			gi, ok := idx[id]
			if !ok {
				return nil, &ParseError{File: l.Name, Msg: fmt.Sprintf("gene %s is not in %s; per-sample files must come from the same annotation", quoteField(id), ls[0].Name)}
			}
			for s := 0; s < ns; s++ {
				m.Set(gi, col+s, at(g, s))
			}
		}
		col += ns
	}
	if compact {
		out.Store = dataset.CompactMatrix(m)
	} else {
		out.Matrix = m
	}
	out.IDType = ls[0].IDType
	return out, nil
}

// sameGenes reports whether every input lists exactly genes, in that order.
func sameGenes(ls []*Loaded, genes []string) bool {
	for _, l := range ls {
		g := l.Genes()
		if len(g) != len(genes) {
			return false
		}
		if len(g) > 0 && &g[0] == &genes[0] {
			continue
		}
		for i := range g {
			if g[i] != genes[i] {
				return false
			}
		}
	}
	return true
}

// readHTSeq reads an HTSeq-count file: "gene<TAB>count" lines, the "__" summary rows
// removed and reported.
func readHTSeq(name string, r io.Reader, opts *Options, ld *Loaded) error {
	ts, err := newTextSource(name, r, '\t', nil)
	if err != nil {
		return err
	}
	rep := &ld.Report
	rep.SummaryRows = map[string]float64{}
	var genes []string
	var vals []float64
	for {
		f, no, err := ts.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if len(f) != 2 {
			return &ParseError{File: name, Line: no, Column: min(len(f), 2) + 1, Msg: fmt.Sprintf("expected 2 tab-separated fields (gene, count) like HTSeq-count writes, got %d", len(f))}
		}
		id := string(f[0])
		v, cls := parseNum(f[1], false)
		if cls != numInt || v < 0 {
			c := cellIssue{text: string(f[1]), class: cls, neg: v < 0}
			if cls == numBad {
				return &ParseError{File: name, Line: no, Column: 2, Msg: fmt.Sprintf("%s is not a number; HTSeq-count writes whole counts", quoteField(string(f[1])))}
			}
			return &ParseError{File: name, Line: no, Column: 2, Msg: c.countMessage()}
		}
		if strings.HasPrefix(id, "__") || oldHTSeqSummary[id] {
			rep.SummaryRows[id] += v
			rep.ExcludedRows++
			continue
		}
		genes = append(genes, id)
		vals = append(vals, v)
	}
	if len(genes) == 0 {
		return &ParseError{File: name, Line: ts.lr.line, Msg: "no gene rows (only HTSeq summary rows)"}
	}
	if len(rep.SummaryRows) > 0 {
		rep.notef("%s removed (%s)", plural(len(rep.SummaryRows), "HTSeq summary row", "HTSeq summary rows"), summaryText(rep.SummaryRows))
	}
	ld.Matrix = &dataset.Matrix{Kind: dataset.Counts, Genes: genes, Samples: []string{sampleFromPath(name)}, Data: vals}
	finishMatrix(name, ld, &Options{Transpose: -1, Genes: opts.Genes})
	return nil
}

// oldHTSeqSummary are the summary rows of HTSeq-count before 0.5.4 (no "__").
var oldHTSeqSummary = map[string]bool{"no_feature": true, "ambiguous": true, "too_low_aQual": true, "not_aligned": true, "alignment_not_unique": true}

func summaryText(m map[string]float64) string {
	var parts []string
	for _, k := range []string{"__no_feature", "__ambiguous", "__too_low_aQual", "__not_aligned", "__alignment_not_unique",
		"no_feature", "ambiguous", "too_low_aQual", "not_aligned", "alignment_not_unique", "N_unmapped", "N_multimapping", "N_noFeature", "N_ambiguous"} {
		if v, ok := m[k]; ok {
			parts = append(parts, k+"="+strconv.FormatFloat(v, 'f', -1, 64))
		}
	}
	return strings.Join(parts, ", ")
}

// readSTAR reads STAR's ReadsPerGene.out.tab (gene, unstranded, strand 1, strand 2).
func readSTAR(name string, r io.Reader, opts *Options, ld *Loaded) error {
	ts, err := newTextSource(name, r, '\t', nil)
	if err != nil {
		return err
	}
	rep := &ld.Report
	rep.SummaryRows = map[string]float64{}
	var nrow [3][]float64
	var sumN [3]float64 // N_noFeature per column
	var genes []string
	for {
		f, no, err := ts.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if len(f) != 4 {
			return &ParseError{File: name, Line: no, Column: min(len(f), 4) + 1, Msg: fmt.Sprintf("expected 4 tab-separated fields (gene, unstranded, strand 1, strand 2) like STAR --quantMode GeneCounts writes, got %d", len(f))}
		}
		var v [3]float64
		for k := 0; k < 3; k++ {
			x, cls := parseNum(f[k+1], false)
			if cls != numInt || x < 0 {
				if cls == numBad {
					return &ParseError{File: name, Line: no, Column: k + 2, Msg: fmt.Sprintf("%s is not a number; STAR writes whole counts", quoteField(string(f[k+1])))}
				}
				c := cellIssue{text: string(f[k+1]), class: cls, neg: x < 0}
				return &ParseError{File: name, Line: no, Column: k + 2, Msg: c.countMessage()}
			}
			v[k] = x
		}
		id := string(f[0])
		if strings.HasPrefix(id, "N_") {
			rep.ExcludedRows++
			if id == "N_noFeature" {
				sumN = v
			}
			rep.SummaryRows[id] += v[0]
			continue
		}
		genes = append(genes, id)
		for k := 0; k < 3; k++ {
			nrow[k] = append(nrow[k], v[k])
		}
	}
	if len(genes) == 0 {
		return &ParseError{File: name, Line: ts.lr.line, Msg: "no gene rows (only STAR N_ summary rows)"}
	}
	var tot [3]float64
	for k := 0; k < 3; k++ {
		for _, x := range nrow[k] {
			tot[k] += x
		}
	}
	suggest, why := 2, "column 3 and 4 totals are similar: unstranded library"
	if tot[1] >= 3*tot[2] && tot[1] > 0 {
		suggest, why = 3, "column 3 holds most gene counts (htseq-count -s yes)"
	} else if tot[2] >= 3*tot[1] && tot[2] > 0 {
		suggest, why = 4, "column 4 holds most gene counts (htseq-count -s reverse, e.g. Illumina TruSeq stranded)"
	}
	col := opts.STARColumn
	if col == 0 {
		col = suggest
	}
	if col < 2 || col > 4 {
		return &ParseError{File: name, Msg: fmt.Sprintf("STAR column %d does not exist; choose 2 (unstranded), 3 or 4", col)}
	}
	rep.notef("STAR column %d loaded; suggested column %d because %s (gene totals %g / %g / %g, N_noFeature %g / %g / %g)",
		col, suggest, why, tot[0], tot[1], tot[2], sumN[0], sumN[1], sumN[2])
	if col != suggest {
		rep.warnf(name, 0, 0, "STAR column %d chosen but the counts suggest column %d (%s)", col, suggest, why)
	}
	ld.Matrix = &dataset.Matrix{Kind: dataset.Counts, Genes: genes, Samples: []string{sampleFromPath(name)}, Data: nrow[col-2]}
	finishMatrix(name, ld, &Options{Transpose: -1, Genes: opts.Genes})
	return nil
}

// readGCT reads GCT 1.2 (Name, Description, samples) and 1.3 (id, row metadata,
// samples; column-metadata rows skipped and noted).
func readGCT(name string, r io.Reader, opts *Options, ld *Loaded) error {
	lr := newLineReader(r, nil)
	ver, err := lr.next()
	if err != nil {
		return &ParseError{File: name, Line: 1, Msg: "empty GCT file"}
	}
	v := strings.TrimSpace(string(ver))
	if v != "#1.2" && v != "#1.3" {
		return &ParseError{File: name, Line: 1, Column: 1, Msg: fmt.Sprintf("%s is not a GCT version line; expected \"#1.2\" or \"#1.3\"", quoteField(v))}
	}
	dl, err := lr.next()
	if err != nil {
		return &ParseError{File: name, Line: 2, Msg: "GCT file ends before its dimensions line"}
	}
	dims := strings.Fields(string(dl))
	want := 2
	if v == "#1.3" {
		want = 4
	}
	if len(dims) != want {
		return &ParseError{File: name, Line: 2, Column: len(dims) + 1, Msg: fmt.Sprintf("GCT %s dimensions line needs %d numbers, got %d", v[1:], want, len(dims))}
	}
	d := make([]int, want)
	for i, s := range dims {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return &ParseError{File: name, Line: 2, Column: i + 1, Msg: fmt.Sprintf("%s is not a count of rows or columns", quoteField(s))}
		}
		d[i] = n
	}
	ts := &textSource{file: name, lr: lr, delim: '\t'}
	hdr, hline, err := ts.next()
	if err != nil {
		return &ParseError{File: name, Line: 3, Msg: "GCT file ends before its header"}
	}
	header := make([]string, len(hdr))
	for i, b := range hdr {
		header[i] = strings.TrimSpace(string(b))
	}
	nmeta := 1
	if v == "#1.3" {
		nmeta = d[2]
	}
	if len(header) != 1+nmeta+d[1] {
		return &ParseError{File: name, Line: hline, Column: min(len(header), 1+nmeta+d[1]) + 1,
			Msg: fmt.Sprintf("header has %d fields; the dimensions line (%d samples, %d row-metadata columns) needs %d", len(header), d[1], nmeta, 1+nmeta+d[1])}
	}
	if v == "#1.3" && d[3] > 0 {
		for i := 0; i < d[3]; i++ {
			if _, _, err := ts.next(); err != nil {
				return &ParseError{File: name, Line: lr.line, Msg: "GCT file ends inside its column-metadata rows"}
			}
		}
		ld.Report.notef("%s of GCT 1.3 skipped", plural(d[3], "column-metadata row", "column-metadata rows"))
	}
	lay := &tableLayout{lenCol: -1}
	for c := 1; c <= nmeta; c++ {
		lay.annot = append(lay.annot, c)
	}
	for c := 1 + nmeta; c < len(header); c++ {
		lay.samples = append(lay.samples, c)
	}
	if err := readTable(name, ts, opts, ld, header, hline, lay); err != nil {
		return err
	}
	if n := len(ld.Genes()); n != d[0] {
		return &ParseError{File: name, Line: 2, Column: 1, Msg: fmt.Sprintf("the dimensions line says %d rows but the file has %d", d[0], n)}
	}
	finishMatrix(name, ld, &Options{Transpose: -1, Genes: opts.Genes})
	return nil
}
