package ingest

import (
	"fmt"
	"io"
	"math"
	"path"
	"sort"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/fmath"
)

// Tx2Gene maps transcript IDs to gene IDs.
type Tx2Gene struct {
	Tx   []string
	Gene []string
	idx  map[string]int
}

// NewTx2Gene builds a table; a repeated transcript keeps its first gene (as
// tximport's cleanTx2Gene does) and dups counts the repeats.
func NewTx2Gene(tx, gene []string) (t *Tx2Gene, dups int) {
	t = &Tx2Gene{idx: make(map[string]int, len(tx))}
	for i, x := range tx {
		if _, ok := t.idx[x]; ok {
			dups++
			continue
		}
		t.idx[x] = len(t.Tx)
		t.Tx = append(t.Tx, x)
		t.Gene = append(t.Gene, gene[i])
	}
	return t, dups
}

// Lookup returns the gene of transcript tx.
func (t *Tx2Gene) Lookup(tx string) (string, bool) {
	i, ok := t.idx[tx]
	if !ok {
		return "", false
	}
	return t.Gene[i], true
}

// ReadTx2Gene reads a two-column (transcript, gene) CSV or TSV; further columns are
// ignored; a first row whose first field does not look like a transcript ID of the
// later rows is a header when it contains a letter-only name like TXNAME or tx_id.
func ReadTx2Gene(name string, r io.Reader) (*Tx2Gene, Report, error) {
	var rep Report
	ts, err := newTextSource(name, r, 0, nil)
	if err != nil {
		return nil, rep, err
	}
	var tx, gene []string
	first := true
	for {
		f, no, err := ts.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, rep, err
		}
		if len(f) < 2 {
			return nil, rep, &ParseError{File: name, Line: no, Column: len(f) + 1, Msg: "expected two columns: transcript ID, gene ID"}
		}
		a, b := strings.TrimSpace(string(f[0])), strings.TrimSpace(string(f[1]))
		if first {
			first = false
			if isTx2GeneHeader(a) {
				continue
			}
		}
		if a == "" || b == "" {
			return nil, rep, &ParseError{File: name, Line: no, Column: map[bool]int{true: 1, false: 2}[a == ""], Msg: "empty transcript or gene ID"}
		}
		tx = append(tx, a)
		gene = append(gene, b)
	}
	if len(tx) == 0 {
		return nil, rep, &ParseError{File: name, Line: ts.lr.line, Msg: "no transcript-to-gene rows"}
	}
	t, dups := NewTx2Gene(tx, gene)
	if dups > 0 {
		rep.ExcludedRows += dups
		rep.warnf(name, 0, 0, "%s repeated an earlier transcript; the first gene is kept (as tximport does)", plural(dups, "row", "rows"))
	}
	return t, rep, nil
}

func isTx2GeneHeader(s string) bool {
	switch strings.ToLower(strings.NewReplacer("_", "", ".", "", " ", "").Replace(s)) {
	case "txname", "tx", "txid", "transcript", "transcriptid", "targetid", "name", "enst", "transcripts":
		return true
	}
	return false
}

// TxQuant is one sample's quantification as read from a quantifier's file.
type TxQuant struct {
	Format    Format // the quantifier's format
	File      string
	Sample    string
	GeneLevel bool      // RSEM genes.results or Salmon quant.genes.sf: IDs are genes
	IDs       []string  // transcript (or gene) IDs in file order
	Genes     []string  // gene per transcript when the file says (RSEM isoforms), else nil
	Length    []float64 // effective length
	Abundance []float64 // TPM
	Counts    []float64 // estimated counts
	lines     []int
}

// quantColumns are the header names of each quantifier (tximport 1.26 names).
type quantColumns struct{ id, gene, length, abundance, counts string }

var quantCols = map[Format]quantColumns{
	FormatSalmon:       {"Name", "", "EffectiveLength", "TPM", "NumReads"},
	FormatSalmonGenes:  {"Name", "", "EffectiveLength", "TPM", "NumReads"},
	FormatKallisto:     {"target_id", "", "eff_length", "tpm", "est_counts"},
	FormatRSEM:         {"gene_id", "", "effective_length", "TPM", "expected_count"},
	FormatRSEMIsoforms: {"transcript_id", "gene_id", "effective_length", "TPM", "expected_count"},
}

// ReadQuant reads one Salmon (quant.sf, quant.genes.sf), kallisto (abundance.tsv)
// or RSEM (genes.results, isoforms.results) file of format f, finding its columns
// by tximport 1.26's names. Counts, TPM and effective lengths must be finite and
// >= 0. It panics if f is not one of those formats (a programming error).
func ReadQuant(name string, r io.Reader, f Format, progress func(int64)) (*TxQuant, error) {
	cols, ok := quantCols[f]
	if !ok {
		panic("ingest: ReadQuant with format " + f.String())
	}
	ts, err := newTextSource(name, r, '\t', progress)
	if err != nil {
		return nil, err
	}
	hdr, hline, err := ts.next()
	if err == io.EOF {
		return nil, &ParseError{File: name, Line: 1, Msg: "empty file; expected a " + f.String() + " header"}
	}
	if err != nil {
		return nil, err
	}
	find := func(want string) int {
		if want == "" {
			return -1
		}
		for i, h := range hdr {
			if strings.TrimSpace(string(h)) == want {
				return i
			}
		}
		return -2
	}
	ci, cg, cl, ca, cc := find(cols.id), find(cols.gene), find(cols.length), find(cols.abundance), find(cols.counts)
	for _, p := range []struct {
		c int
		n string
	}{{ci, cols.id}, {cg, cols.gene}, {cl, cols.length}, {ca, cols.abundance}, {cc, cols.counts}} {
		if p.c == -2 {
			return nil, &ParseError{File: name, Line: hline, Column: 0, Msg: fmt.Sprintf("%s header lacks column %q", f, p.n)}
		}
	}
	width := len(hdr)
	q := &TxQuant{Format: f, File: name, Sample: sampleFromPath(name), GeneLevel: f == FormatRSEM || f == FormatSalmonGenes}
	for {
		row, no, err := ts.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(row) != width {
			return nil, &ParseError{File: name, Line: no, Column: min(len(row), width) + 1, Msg: fmt.Sprintf("row has %d fields, expected %d like the header", len(row), width)}
		}
		q.IDs = append(q.IDs, string(row[ci]))
		if cg >= 0 {
			q.Genes = append(q.Genes, string(row[cg]))
		}
		for _, p := range []struct {
			c   int
			dst *[]float64
			n   string
		}{{cl, &q.Length, cols.length}, {ca, &q.Abundance, cols.abundance}, {cc, &q.Counts, cols.counts}} {
			v, cls := parseNum(row[p.c], false)
			if cls != numInt && cls != numReal || v < 0 {
				return nil, &ParseError{File: name, Line: no, Column: p.c + 1,
					Msg: fmt.Sprintf("%s is not a valid %s; expected a finite number >= 0", quoteField(string(row[p.c])), p.n)}
			}
			*p.dst = append(*p.dst, v)
		}
		q.lines = append(q.lines, no)
	}
	if len(q.IDs) == 0 {
		return nil, &ParseError{File: name, Line: hline, Msg: "header is not followed by any row"}
	}
	return q, nil
}

// sampleFromPath names a sample after its file: the folder for quant.sf /
// abundance.tsv, else the file name without known suffixes.
func sampleFromPath(name string) string {
	p := strings.ReplaceAll(name, "\\", "/")
	base := path.Base(p)
	b := strings.TrimSuffix(base, ".gz")
	switch b {
	case "quant.sf", "quant.genes.sf", "abundance.tsv", "abundance.h5", "ReadsPerGene.out.tab":
		if d := path.Base(path.Dir(p)); d != "." && d != "/" && d != "" {
			return d
		}
	}
	for _, suf := range []string{".genes.results", ".isoforms.results", ".ReadsPerGene.out.tab", "ReadsPerGene.out.tab", ".htseq.counts", ".htseq.txt", ".htseq", ".counts.txt", ".counts", ".count", ".txt", ".tsv", ".tab", ".sf", ".csv"} {
		if strings.HasSuffix(b, suf) && len(b) > len(suf) {
			b = strings.TrimSuffix(b, suf)
			break
		}
	}
	return strings.TrimRight(b, "._-")
}

// TxImport holds gene-level matrices as tximport returns them (genes x samples).
type TxImport struct {
	Counts              *dataset.Matrix // estimated counts (not rounded), Kind Expression
	Abundance           *dataset.Matrix // TPM
	Length              *dataset.Matrix // average effective transcript length
	CountsFromAbundance CountsFromAbundance
}

// Tximport summarises quantifications to genes as tximport 1.26 does with
// txOut = FALSE:
//
//	abundance_g = sum_t TPM_t;  counts_g = sum_t counts_t
//	length_g    = sum_t TPM_t * len_t / abundance_g
//
// where a gene with zero abundance in every sample gets the mean over its
// transcripts of the per-transcript mean length across samples, and one with zero
// abundance in some samples gets exp(mean(log(length))) of its other samples
// (tximport's replaceMissingLength). countsFromAbundance (makeCountsFromAbundance):
// scaledTPM sets counts = TPM * colSums(counts)/colSums(TPM); lengthScaledTPM uses
// TPM * rowMeans(length) in place of TPM. Genes are sorted by ID (rowsum's order).
//
// Transcripts not in tx2gene are left out and counted (tximport's "transcripts
// missing from tx2gene"); without tx2gene, GENCODE-style names
// "ENST...|ENSG...|..." give their gene (second field) and RSEM isoforms files give
// their gene_id column. Gene-level inputs (RSEM genes.results, Salmon
// quant.genes.sf) are returned as read (countsFromAbundance is then ignored with a
// warning, as tximport does). RSEM transcript effective lengths below 1 become 1
// (as in tximport). All samples must list the same IDs in the same order.
func Tximport(qs []*TxQuant, tx2gene *Tx2Gene, cfa CountsFromAbundance) (*TxImport, Report, error) {
	var rep Report
	if len(qs) == 0 {
		return nil, rep, fmt.Errorf("ingest: Tximport needs at least one quantification")
	}
	q0 := qs[0]
	nt, ns := len(q0.IDs), len(qs)
	samples := make([]string, ns)
	for j, q := range qs {
		samples[j] = q.Sample
		if q.GeneLevel != q0.GeneLevel {
			return nil, rep, &ParseError{File: q.File, Line: 1, Msg: "mixes gene-level and transcript-level files"}
		}
		if len(q.IDs) != nt {
			return nil, rep, &ParseError{File: q.File, Line: 0, Msg: fmt.Sprintf("has %d rows but %s has %d; every sample must list the same transcripts", len(q.IDs), q0.File, nt)}
		}
		if j > 0 {
			for i, id := range q.IDs {
				if id != q0.IDs[i] {
					return nil, rep, &ParseError{File: q.File, Line: q.lines[i], Column: 1, Msg: fmt.Sprintf("%s differs from %s in %s at the same row; every sample must list the same transcripts in the same order", quoteField(id), quoteField(q0.IDs[i]), q0.File)}
				}
			}
		}
	}
	samples = uniqueNames(samples, &rep, q0.File, "sample")
	if q0.GeneLevel {
		if cfa != CFANo {
			rep.warnf(q0.File, 0, 0, "countsFromAbundance %s needs transcript-level estimates; gene-level counts are used as read", cfa)
		}
		genes := append([]string(nil), q0.IDs...)
		out := &TxImport{
			Counts:    dataset.NewMatrix(dataset.Expression, genes, samples),
			Abundance: dataset.NewMatrix(dataset.Expression, genes, samples),
			Length:    dataset.NewMatrix(dataset.Expression, genes, samples),
		}
		for j, q := range qs {
			for i := range genes {
				out.Counts.Set(i, j, q.Counts[i])
				out.Abundance.Set(i, j, q.Abundance[i])
				out.Length.Set(i, j, q.Length[i])
			}
		}
		return out, rep, nil
	}
	// tximport 1.26 sets RSEM transcript effective lengths below 1 to 1.
	clamped := 0
	lens := make([][]float64, ns)
	for j, q := range qs {
		lens[j] = q.Length
		if q.Format != FormatRSEMIsoforms {
			continue
		}
		for i, l := range q.Length {
			if l < 1 {
				if &lens[j][0] == &q.Length[0] {
					lens[j] = append([]float64(nil), q.Length...)
				}
				lens[j][i] = 1
				clamped++
			}
		}
	}
	if clamped > 0 {
		rep.notef("%s below 1 set to 1 (as tximport does for RSEM)", plural(clamped, "effective length", "effective lengths"))
	}
	// transcript -> gene
	geneOf := make([]string, nt)
	missing := 0
	switch {
	case tx2gene != nil:
		hits := 0
		for i, id := range q0.IDs {
			if g, ok := tx2gene.Lookup(id); ok {
				geneOf[i] = g
				hits++
			}
		}
		if hits == 0 {
			// Try without versions on both sides (tximport's ignoreTxVersion).
			strip := map[string]string{}
			for k, tx := range tx2gene.Tx {
				strip[stripTxVersion(tx)] = tx2gene.Gene[k]
			}
			for i, id := range q0.IDs {
				if g, ok := strip[stripTxVersion(id)]; ok {
					geneOf[i] = g
					hits++
				}
			}
			if hits > 0 {
				rep.notef("transcript IDs matched tx2gene only without version suffixes (tximport ignoreTxVersion=TRUE)")
			}
		}
		if hits == 0 {
			return nil, rep, &ParseError{File: q0.File, Line: 2, Column: 1, Msg: fmt.Sprintf("none of the transcripts (e.g. %s) is in the tx2gene table (e.g. %s); use the same annotation for both", quoteField(q0.IDs[0]), quoteField(tx2gene.Tx[0]))}
		}
	case q0.Genes != nil:
		copy(geneOf, q0.Genes)
	default:
		for i, id := range q0.IDs {
			f := strings.Split(id, "|")
			if len(f) < 2 || !strings.HasPrefix(f[1], "ENSG") {
				return nil, rep, &ParseError{File: q0.File, Line: q0.lines[i], Column: 1, Msg: fmt.Sprintf("transcript %s carries no gene: load a tx2gene table, or use GENCODE names \"ENST...|ENSG...|...\"", quoteField(id))}
			}
			geneOf[i] = f[1]
		}
	}
	for _, g := range geneOf {
		if g == "" {
			missing++
		}
	}
	if missing > 0 {
		rep.ExcludedRows += missing
		rep.warnf(q0.File, 0, 0, "%s missing from tx2gene were left out (tximport: \"transcripts missing from tx2gene\")", plural(missing, "transcript", "transcripts"))
	}
	gidx := map[string]int{}
	var genes []string
	for _, g := range geneOf {
		if g == "" {
			continue
		}
		if _, ok := gidx[g]; !ok {
			gidx[g] = 0
			genes = append(genes, g)
		}
	}
	sort.Strings(genes)
	for i, g := range genes {
		gidx[g] = i
	}
	ng := len(genes)
	ab := make([]float64, ng*ns)
	ct := make([]float64, ng*ns)
	wl := make([]float64, ng*ns)
	aveSum := make([]float64, ng)
	aveN := make([]int, ng)
	for i := 0; i < nt; i++ {
		if geneOf[i] == "" {
			continue
		}
		g := gidx[geneOf[i]]
		var rs float64
		for j, q := range qs {
			ab[g*ns+j] += q.Abundance[i]
			ct[g*ns+j] += q.Counts[i]
			wl[g*ns+j] += q.Abundance[i] * lens[j][i]
			rs += lens[j][i]
		}
		aveSum[g] += rs / float64(ns)
		aveN[g]++
	}
	ln := make([]float64, ng*ns)
	for g := 0; g < ng; g++ {
		row := ln[g*ns : (g+1)*ns]
		nNaN := 0
		for j := range row {
			row[j] = wl[g*ns+j] / ab[g*ns+j]
			if math.IsNaN(row[j]) {
				nNaN++
			}
		}
		switch {
		case nNaN == ns:
			a := aveSum[g] / float64(aveN[g])
			for j := range row {
				row[j] = a
			}
		case nNaN > 0:
			var s float64
			k := 0
			for _, v := range row {
				if !math.IsNaN(v) {
					s += fmath.Log(v)
					k++
				}
			}
			gm := fmath.Exp(s / float64(k))
			for j, v := range row {
				if math.IsNaN(v) {
					row[j] = gm
				}
			}
		}
	}
	if cfa != CFANo {
		makeCountsFromAbundance(ct, ab, ln, ng, ns, cfa)
	}
	out := &TxImport{
		Counts:              &dataset.Matrix{Kind: dataset.Expression, Genes: genes, Samples: samples, Data: ct},
		Abundance:           &dataset.Matrix{Kind: dataset.Expression, Genes: genes, Samples: samples, Data: ab},
		Length:              &dataset.Matrix{Kind: dataset.Expression, Genes: genes, Samples: samples, Data: ln},
		CountsFromAbundance: cfa,
	}
	rep.notef("%d transcripts summarised to %d genes (tximport, countsFromAbundance=%s)", nt-missing, ng, cfa)
	return out, rep, nil
}

func makeCountsFromAbundance(ct, ab, ln []float64, ng, ns int, cfa CountsFromAbundance) {
	countsSum := make([]float64, ns)
	newSum := make([]float64, ns)
	nc := make([]float64, ng*ns)
	for g := 0; g < ng; g++ {
		scale := 1.0
		if cfa == CFALengthScaledTPM {
			var s float64
			for j := 0; j < ns; j++ {
				s += ln[g*ns+j]
			}
			scale = s / float64(ns)
		}
		for j := 0; j < ns; j++ {
			countsSum[j] += ct[g*ns+j]
			v := ab[g*ns+j]
			if cfa == CFALengthScaledTPM {
				v *= scale
			}
			nc[g*ns+j] = v
			newSum[j] += v
		}
	}
	for g := 0; g < ng; g++ {
		for j := 0; j < ns; j++ {
			ct[g*ns+j] = nc[g*ns+j] * (countsSum[j] / newSum[j])
		}
	}
}

func stripTxVersion(s string) string {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return s[:i]
	}
	return s
}

// roundCounts returns tximport counts rounded half to even (R's round, as
// DESeqDataSetFromTximport does) as a Counts matrix.
func roundCounts(m *dataset.Matrix) *dataset.Matrix {
	out := &dataset.Matrix{Kind: dataset.Counts, Genes: m.Genes, Samples: m.Samples, Data: make([]float64, len(m.Data))}
	for i, v := range m.Data {
		out.Data[i] = math.RoundToEven(v)
	}
	return out
}
