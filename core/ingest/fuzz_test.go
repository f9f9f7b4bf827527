package ingest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seed adds the good and bad fixtures matching glob as seeds.
func seed(f *testing.F, globs ...string) {
	for _, g := range globs {
		ms, _ := filepath.Glob(g)
		for _, m := range ms {
			b, err := os.ReadFile(m)
			if err == nil {
				f.Add(b)
			}
		}
	}
}

// checkLoad is the fuzz property: no panic; errors are one-line *ParseError naming
// the file; a loaded matrix is consistent.
func checkLoad(t *testing.T, name string, ld *Loaded, err error) {
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("error %T %v is not a *ParseError", err, err)
		}
		if pe.File != name || strings.ContainsAny(err.Error(), "\n") && !strings.Contains(pe.Msg, "\n") {
			t.Fatalf("bad error %q", err)
		}
		return
	}
	if ld.Matrix != nil && ld.Store != nil {
		t.Fatal("both Matrix and Store set")
	}
	if ld.Store != nil {
		if err := ld.Store.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	if ld.Matrix != nil {
		if err := ld.Matrix.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	if ld.HasMatrix() {
		seen := map[string]bool{}
		for _, g := range ld.Genes() {
			if seen[g] {
				t.Fatalf("duplicate gene %q after load", g)
			}
			seen[g] = true
		}
	}
	if ld.Tx != nil {
		for _, m := range []*struct{ n, d int }{{ld.Tx.Counts.Rows() * ld.Tx.Counts.Cols(), len(ld.Tx.Counts.Data)}} {
			if m.n != m.d {
				t.Fatal("tximport matrix size")
			}
		}
	}
}

func fuzzFormat(f *testing.F, name string, format Format, globs ...string) {
	seed(f, globs...)
	f.Fuzz(func(t *testing.T, data []byte) {
		ld, err := ReadAny(name, bytes.NewReader(data), Options{Format: format})
		checkLoad(t, name, ld, err)
		cld, cerr := ReadAny(name, bytes.NewReader(data), Options{Format: format, Compact: true})
		checkLoad(t, name, cld, cerr)
		sameLoad(t, ld, err, cld, cerr)
	})
}

func FuzzReadAny(f *testing.F) {
	fuzzFormat(f, "input.txt", FormatUnknown, "testdata/good/*", "testdata/bad/*")
}

func FuzzDelimited(f *testing.F) {
	fuzzFormat(f, "counts.tsv", FormatDelimited, "testdata/good/*.tsv", "testdata/good/*.csv", "testdata/good/*.txt", "testdata/bad/*.tsv", "testdata/bad/*.csv")
}

func FuzzFeatureCounts(f *testing.F) {
	fuzzFormat(f, "featurecounts.txt", FormatFeatureCounts, "testdata/good/featurecounts.txt", "testdata/bad/featurecounts_text.txt")
}

func FuzzHTSeq(f *testing.F) {
	fuzzFormat(f, "x.htseq.counts", FormatHTSeq, "testdata/good/*.htseq.counts", "testdata/bad/*.htseq.counts")
}

func FuzzSTAR(f *testing.F) {
	fuzzFormat(f, "ReadsPerGene.out.tab", FormatSTAR, "testdata/good/*.tab", "testdata/bad/*.tab")
}

func FuzzGCT(f *testing.F) {
	fuzzFormat(f, "x.gct", FormatGCT, "testdata/good/*.gct", "testdata/bad/*.gct")
}

func FuzzSalmon(f *testing.F) {
	fuzzFormat(f, "quant.sf", FormatSalmon, "testdata/tximport/salmon_S1.sf", "testdata/bad/s*/quant.sf")
}

func FuzzKallisto(f *testing.F) {
	fuzzFormat(f, "abundance.tsv", FormatKallisto, "testdata/tximport/kallisto_K1.tsv", "testdata/bad/k1/abundance.tsv")
}

func FuzzRSEM(f *testing.F) {
	fuzzFormat(f, "x.genes.results", FormatRSEM, "testdata/tximport/rsem_R1.genes.results", "testdata/bad/*.genes.results")
}

func FuzzSampleSheet(f *testing.F) {
	fuzzFormat(f, "samples.tsv", FormatSampleSheet, "testdata/good/samplesheet.tsv", "testdata/bad/samplesheet_*")
}

func FuzzTx2Gene(f *testing.F) {
	fuzzFormat(f, "tx2gene.csv", FormatTx2Gene, "testdata/tximport/tx2gene.csv", "testdata/bad/tx2gene_*")
}

func FuzzXLSX(f *testing.F) {
	fuzzFormat(f, "x.xlsx", FormatXLSX, "testdata/bad/xlsx_corrupt.xlsx")
}
