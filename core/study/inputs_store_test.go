package study

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/ingest"
)

// TestInputsKeepCompactCounts: a count matrix added to Inputs is held as 4-byte
// whole counts (a value above 2^32-2 kept exactly beside them); Counts gives the
// float64 matrix of the file bit for bit, a new one per call (modifying it does not
// change the Inputs); CountStore, MatrixSamples and the per-sample HTSeq merge
// agree with it.
func TestInputsKeepCompactCounts(t *testing.T) {
	text := "gene_id\tS1\tS2\tS3\nENSG00000141736\t12\t0\t5301\nENSG00000141741\t4294967299\t7\t1\nENSG00000000003\t3\t3\t0\n"
	in := &Inputs{}
	fs, err := in.Add("counts.tsv", strings.NewReader(text), nil)
	if err != nil {
		t.Fatal(err)
	}
	if fs.Kind != KindCounts || fs.Rows != 3 || fs.Cols != 3 {
		t.Fatalf("summary %+v", fs)
	}
	if got, want := in.MatrixBytes(), int64(4*9+16); got != want {
		t.Fatalf("MatrixBytes %d, want %d (4 per cell + 16 for the spilled 4294967299)", got, want)
	}
	ref, err := ingest.ReadAny("counts.tsv", strings.NewReader(text), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, name, err := in.Counts()
	if err != nil || name != "counts.tsv" {
		t.Fatal(err, name)
	}
	for i, v := range ref.Matrix.Data {
		if math.Float64bits(m.Data[i]) != math.Float64bits(v) {
			t.Fatalf("cell %d: %v, want %v", i, m.Data[i], v)
		}
	}
	m.Data[0] = -1 // the caller's copy
	if m2, _, _ := in.Counts(); m2.Data[0] != 12 {
		t.Fatalf("Counts shares its values: %v", m2.Data[0])
	}
	st, _, err := in.CountStore()
	if err != nil || !st.Compact() || st.At(1, 0) != 4294967299 {
		t.Fatalf("store %v %v", err, st)
	}
	if s, _ := in.MatrixSamples(); strings.Join(s, ",") != "S1,S2,S3" {
		t.Fatalf("samples %v", s)
	}

	// Per-sample HTSeq files: merged from their stores.
	hin := &Inputs{}
	for _, f := range []struct{ name, text string }{
		{"A.htseq.counts", "g1\t5\ng2\t0\n__no_feature\t3\n"},
		{"B.htseq.counts", "g2\t2\ng1\t9\n__no_feature\t3\n"},
	} {
		if _, err := hin.Add(f.name, strings.NewReader(f.text), nil); err != nil {
			t.Fatal(err)
		}
	}
	if a, b := hin.matrices[0].Genes(), hin.matrices[1].Genes(); &a[0] == &b[0] {
		t.Fatal("genes in another order share one slice")
	}
	if _, err := hin.Add("C.htseq.counts", strings.NewReader("g2\t1\ng1\t4\n__no_feature\t3\n"), nil); err != nil {
		t.Fatal(err)
	}
	if a, b := hin.matrices[1].Genes(), hin.matrices[2].Genes(); &a[0] == &b[0] {
		t.Fatal("only the first file's names are shared")
	}
	hm, _, err := hin.Counts()
	if err != nil || hm.Cols() != 3 || hm.At(0, 1) != 9 || hm.At(1, 1) != 2 || hm.At(0, 2) != 4 {
		t.Fatalf("merged %v %+v", err, hm)
	}
	if hs, _, err := hin.CountStore(); err != nil || hs.Bytes() != 4*6 {
		t.Fatalf("merged store %v %d", err, hs.Bytes())
	}
	// Files of one annotation (same genes, same order) share the first file's
	// gene names.
	sin := &Inputs{}
	for _, f := range []struct{ name, text string }{
		{"A.htseq.counts", "g1\t5\ng2\t0\n__no_feature\t3\n"},
		{"B.htseq.counts", "g1\t1\ng2\t8\n__no_feature\t3\n"},
	} {
		if _, err := sin.Add(f.name, strings.NewReader(f.text), nil); err != nil {
			t.Fatal(err)
		}
	}
	if a, b := sin.matrices[0].Genes(), sin.matrices[1].Genes(); &a[0] != &b[0] {
		t.Fatal("the second file keeps its own gene names")
	}
	if sm, _, err := sin.Counts(); err != nil || sm.At(1, 1) != 8 || sm.At(0, 0) != 5 {
		t.Fatalf("merged %v %+v", err, sm)
	}
}

// TestEmptyStoreLibraries: the store version gives EmptyLibraries' columns and
// warnings, word for word.
func TestEmptyStoreLibraries(t *testing.T) {
	for _, data := range [][]float64{
		{1, 0, 2, 3, 0, 4},
		{0, 0, 2, 0, 0, 4},
		{0, 0, 0, 0, 0, 0},
		{1, 1, 1, 1, 1, 1},
		{0, 0.5, 0, 0, 0, 0},
	} {
		m := &dataset.Matrix{Kind: dataset.Counts, Genes: []string{"A", "B"}, Samples: []string{"s1", "s2", "s3"}, Data: data}
		c1, w1 := EmptyLibraries(m, "c.tsv")
		c2, w2 := EmptyStoreLibraries(dataset.CompactMatrix(m), "c.tsv")
		if !reflect.DeepEqual(c1, c2) || !reflect.DeepEqual(w1, w2) {
			t.Fatalf("%v: %v %q, store %v %q", data, c1, w1, c2, w2)
		}
	}
}

// TestInputsDropUnreadColumns: a featureCounts table's per-gene annotation
// columns and a quantifier's tximport matrices are not kept by the Inputs (no
// analysis reads them); the counts are.
func TestInputsDropUnreadColumns(t *testing.T) {
	fc := "# Program:featureCounts v2.0.3\nGeneid\tChr\tStart\tEnd\tStrand\tLength\ta.bam\tb.bam\n" +
		"ENSG00000141736.14\tchr17;chr17\t39687914;39688094\t39688100;39728658\t+;+\t4624\t512\t48\n" +
		"ENSG00000091831.24\tchr6\t151656691\t152129619\t+\t6330\t10\t900\n"
	in := &Inputs{}
	if _, err := in.Add("counts.txt", strings.NewReader(fc), nil); err != nil {
		t.Fatal(err)
	}
	l := in.matrices[0]
	if l.Annotations != nil || l.Tx != nil || l.Store == nil || l.Store.At(1, 1) != 900 {
		t.Fatalf("kept annotations %v, tx %v, store %v", l.Annotations, l.Tx, l.Store)
	}
}

// countsText is a seeded genes x samples integer count table (RNA-seq-like:
// many zeros and small numbers, a long tail).
func countsText(genes, samples int) []byte {
	r := rand.New(rand.NewPCG(7, 8))
	var b bytes.Buffer
	b.WriteString("gene_id")
	for s := 0; s < samples; s++ {
		b.WriteString("\tS" + strconv.Itoa(s+1))
	}
	b.WriteByte('\n')
	var num []byte
	for g := 0; g < genes; g++ {
		b.WriteString("ENSG" + strconv.Itoa(10000000000+g))
		mean := r.ExpFloat64() * 300
		for s := 0; s < samples; s++ {
			b.WriteByte('\t')
			num = strconv.AppendInt(num[:0], int64(mean*r.ExpFloat64()), 10)
			b.Write(num)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// BenchmarkInputsMemory reports, per step, the memory of a 60,000 x 300 and a
// 60,000 x 1,000 count table in Inputs: "load" is AddSized (resident-MB: the live
// heap the Inputs hold after a collection; B/cell: MatrixBytes per cell, 4 for
// whole counts, 8 before issue 11), "counts" is Counts (the float64 copy an
// analysis of every sample takes: MB allocated) and "store-subset" is a store's
// SubsetCols of half the samples.
func BenchmarkInputsMemory(b *testing.B) {
	for _, ns := range []int{300, 1000} {
		text := countsText(60000, ns)
		cells := float64(60000 * ns)
		b.Run(fmt.Sprintf("load/60000x%d", ns), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			var in *Inputs
			for b.Loop() {
				in = &Inputs{}
				if _, err := in.AddSized("counts.tsv", bytes.NewReader(text), int64(len(text)), nil); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(in.MatrixBytes())/cells, "B/cell")
			b.ReportMetric(liveMB(func() { in = nil }), "resident-MB")
		})
		in := &Inputs{}
		if _, err := in.AddSized("counts.tsv", bytes.NewReader(text), int64(len(text)), nil); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("counts/60000x%d", ns), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if m, _, err := in.Counts(); err != nil || m.Cols() != ns {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("store-subset/60000x%d", ns), func(b *testing.B) {
			st, _, _ := in.CountStore()
			idx := make([]int, 0, ns/2)
			for j := 0; j < ns; j += 2 {
				idx = append(idx, j)
			}
			b.ReportAllocs()
			for b.Loop() {
				if m := st.SubsetCols(idx); m.Cols() != len(idx) {
					b.Fatal("cols")
				}
			}
		})
	}
}

// liveMB returns how much the live heap shrinks, in MB, when drop releases what
// the caller holds.
func liveMB(drop func()) float64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	with := ms.HeapAlloc
	drop()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return float64(with-min(with, ms.HeapAlloc)) / 1e6
}
