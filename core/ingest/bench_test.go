package ingest

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"testing"
)

var (
	benchOnce sync.Once
	benchText []byte
)

// countsTSV builds a genes x samples integer count table with a seeded RNG:
// counts spread over 0..~50000 like RNA-seq (many zeros and small numbers).
func countsTSV(genes, samples int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.Grow(genes * samples * 4)
	b.WriteString("gene_id")
	for s := 0; s < samples; s++ {
		b.WriteString("\tS")
		b.WriteString(strconv.Itoa(s + 1))
	}
	b.WriteByte('\n')
	var num []byte
	for g := 0; g < genes; g++ {
		b.WriteString("ENSG")
		b.WriteString(strconv.Itoa(10000000000 + g))
		b.WriteString(".1")
		mean := r.ExpFloat64() * 300
		for s := 0; s < samples; s++ {
			b.WriteByte('\t')
			v := int(mean * r.ExpFloat64())
			num = strconv.AppendInt(num[:0], int64(v), 10)
			b.Write(num)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// BenchmarkReadTSV60kx300 parses a 60,000 genes x 300 samples integer TSV
// (goal >= 150 MB/s native, >= 60 MB/s wasm) into a float64 Matrix (the command
// line's load).
func BenchmarkReadTSV60kx300(b *testing.B) {
	benchOnce.Do(func() { benchText = countsTSV(60000, 300) })
	benchRead(b, benchText, 60000, false)
}

// BenchmarkReadTSV60kx300Compact is BenchmarkReadTSV60kx300 into a dataset.Store
// (Options.Compact, the app's load): B/cell is the loaded state's bytes per cell.
func BenchmarkReadTSV60kx300Compact(b *testing.B) {
	benchOnce.Do(func() { benchText = countsTSV(60000, 300) })
	benchRead(b, benchText, 60000, true)
}

// benchRead loads text (rows genes) with ReadAny and reports MB of text per
// CPU-second and the loaded values' bytes per cell (8 for a Matrix, Store.Bytes
// per cell for a Store).
func benchRead(b *testing.B, text []byte, rows int, compact bool) {
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	c0 := cpuTime()
	n := 0
	var perCell float64
	var ld *Loaded
	for b.Loop() {
		ld = nil
		var err error
		ld, err = ReadAny("bench.tsv", bytes.NewReader(text), Options{Kind: WantCounts, Transpose: -1, Compact: compact})
		if err != nil {
			b.Fatal(err)
		}
		if len(ld.Genes()) != rows {
			b.Fatal("rows")
		}
		cells := float64(len(ld.Genes()) * len(ld.Samples()))
		if compact {
			perCell = float64(ld.Store.Bytes()) / cells
		} else {
			perCell = float64(8*len(ld.Matrix.Data)) / cells
		}
		n++
	}
	// Throughput per CPU-second (includes GC work on the other core): on a
	// machine shared with other jobs, wall-clock MB/s understates the parser.
	if c := cpuTime() - c0; c > 0 {
		b.ReportMetric(float64(len(text))*float64(n)/1e6/c.Seconds(), "MB/cpu-s")
	}
	b.ReportMetric(perCell, "B/cell")
	// The loaded state's live heap (values, names, report) after a collection.
	b.StopTimer()
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	with := ms.HeapAlloc
	runtime.KeepAlive(ld)
	ld = nil
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(with-min(with, ms.HeapAlloc))/1e6, "resident-MB")
}

var (
	benchGzOnce sync.Once
	benchGz     []byte
)

// BenchmarkReadTSVGz60kx300 is BenchmarkReadTSV60kx300 from a .tsv.gz (default
// compression level, as the example count files); MB/s are of the text, as there.
func BenchmarkReadTSVGz60kx300(b *testing.B) {
	benchOnce.Do(func() { benchText = countsTSV(60000, 300) })
	benchGzOnce.Do(func() {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(benchText)
		zw.Close()
		benchGz = buf.Bytes()
	})
	b.SetBytes(int64(len(benchText)))
	b.ReportAllocs()
	c0 := cpuTime()
	n := 0
	for b.Loop() {
		ld, err := ReadAny("bench.tsv.gz", bytes.NewReader(benchGz), Options{Kind: WantCounts, Transpose: -1})
		if err != nil {
			b.Fatal(err)
		}
		if ld.Matrix.Rows() != 60000 {
			b.Fatal("rows")
		}
		n++
	}
	if c := cpuTime() - c0; c > 0 {
		b.ReportMetric(float64(len(benchText))*float64(n)/1e6/c.Seconds(), "MB/cpu-s")
	}
}

// BenchmarkGunzip60kx300 is the decompression alone (compress/gzip), the part of
// BenchmarkReadTSVGz60kx300 that is not parsing.
func BenchmarkGunzip60kx300(b *testing.B) {
	benchOnce.Do(func() { benchText = countsTSV(60000, 300) })
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(benchText)
	zw.Close()
	b.SetBytes(int64(len(benchText)))
	c0 := cpuTime()
	n := 0
	for b.Loop() {
		zr, err := gzip.NewReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			b.Fatal(err)
		}
		if m, err := io.Copy(io.Discard, zr); err != nil || m != int64(len(benchText)) {
			b.Fatal(err)
		}
		n++
	}
	if c := cpuTime() - c0; c > 0 {
		b.ReportMetric(float64(len(benchText))*float64(n)/1e6/c.Seconds(), "MB/cpu-s")
	}
}

// BenchmarkReadTSV20kx12 is the small-cohort shape.
func BenchmarkReadTSV20kx12(b *testing.B) {
	text := countsTSV(20000, 12)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadAny("bench.tsv", bytes.NewReader(text), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTximport(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	const nt, ns = 200000, 12
	tx := make([]string, nt)
	gene := make([]string, nt)
	for i := range tx {
		tx[i] = "ENST" + strconv.Itoa(i)
		gene[i] = "ENSG" + strconv.Itoa(i/4)
	}
	t2g, _ := NewTx2Gene(tx, gene)
	qs := make([]*TxQuant, ns)
	for j := range qs {
		q := &TxQuant{File: "q", Sample: "S" + strconv.Itoa(j), IDs: tx, lines: make([]int, nt)}
		for i := 0; i < nt; i++ {
			q.Length = append(q.Length, 200+r.Float64()*3000)
			q.Counts = append(q.Counts, r.ExpFloat64()*50)
			q.Abundance = append(q.Abundance, r.ExpFloat64()*5)
		}
		qs[j] = q
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Tximport(qs, t2g, CFALengthScaledTPM); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadTSV60kx1000 is the browser-scale shape of the issue (60,000 genes x
// 1,000 samples, about 210 MB of text and 480 MB of float64 numbers).
func BenchmarkReadTSV60kx1000(b *testing.B) {
	benchRead(b, bigText(), 60000, false)
}

// BenchmarkReadTSV60kx1000Compact is BenchmarkReadTSV60kx1000 into a Store (240 MB
// of uint32 counts).
func BenchmarkReadTSV60kx1000Compact(b *testing.B) {
	benchRead(b, bigText(), 60000, true)
}

var (
	bigOnce sync.Once
	bigTSV  []byte
)

func bigText() []byte {
	bigOnce.Do(func() { bigTSV = countsTSV(60000, 1000) })
	return bigTSV
}

// BenchmarkReadExpr20kx300 parses log2-CPM-like decimals (GEO processed matrices).
func BenchmarkReadExpr20kx300(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	var buf bytes.Buffer
	buf.WriteString("gene")
	for s := 0; s < 300; s++ {
		buf.WriteString("\tS" + strconv.Itoa(s))
	}
	buf.WriteByte('\n')
	for g := 0; g < 20000; g++ {
		buf.WriteString("G" + strconv.Itoa(g))
		for s := 0; s < 300; s++ {
			buf.WriteByte('\t')
			buf.WriteString(strconv.FormatFloat(r.NormFloat64()*2+5, 'f', 6, 64))
		}
		buf.WriteByte('\n')
	}
	text := buf.Bytes()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadAny("expr.tsv", bytes.NewReader(text), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
