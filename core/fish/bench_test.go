package fish

import (
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
)

// benchCells returns n cells over tumours of 2 sites x 5 areas x 1000 nuclei, with
// Poisson-like whole-number counts from a seeded generator.
func benchCells(n int) []Cell {
	rng := rand.New(rand.NewPCG(1, 2))
	cells := make([]Cell, n)
	for i := range cells {
		area := i / 1000
		tum := area / 10
		amp := rng.Float64() < 0.3+0.4*float64(tum%3)/2
		e := float64(rng.IntN(4))
		if amp {
			e = float64(4 + rng.IntN(12))
		}
		cells[i] = Cell{
			Sample: fmt.Sprintf("P%04d", tum/2), Timepoint: []string{"pre", "post"}[tum%2],
			Site: fmt.Sprintf("S%d", area%10/5+1), Area: fmt.Sprintf("A%d", area%5+1), ID: "",
			ERBB2: e, CEP17: float64(rng.IntN(4)), X: float64(i % 1000), Y: float64(i % 997), IHC: IHCUnknown,
		}
	}
	return cells
}

func BenchmarkSummarise1M(b *testing.B) {
	cells := benchCells(1_000_000)
	o := DefaultOptions()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Summarise(cells, o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteCells1M(b *testing.B) {
	cells := benchCells(1_000_000)
	r, _ := Summarise(cells, DefaultOptions())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := WriteCells(io.Discard, cells, r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCellReader(b *testing.B) {
	cells := benchCells(100_000)
	r, _ := Summarise(cells, DefaultOptions())
	var buf []byte
	w := &byteWriter{&buf}
	WriteCells(w, cells, r)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := ReadCells(&sliceReader{b: buf}, "bench.tsv"); err != nil {
			b.Fatal(err)
		}
	}
}

type byteWriter struct{ b *[]byte }

func (w *byteWriter) Write(p []byte) (int, error) { *w.b = append(*w.b, p...); return len(p), nil }

type sliceReader struct {
	b []byte
	i int
}

func (r *sliceReader) Read(p []byte) (int, error) {
	if r.i >= len(r.b) {
		return 0, io.EOF
	}
	n := copy(p, r.b[r.i:])
	r.i += n
	return n, nil
}

// TestSummariseDeterministic: the same input gives bit-identical results, and the
// counts add up (independent property check on a random cohort).
func TestSummariseDeterministic(t *testing.T) {
	cells := benchCells(50_000)
	a := mustSummarise(t, cells, DefaultOptions())
	b := mustSummarise(t, cells, DefaultOptions())
	total := 0
	for i := range a.Tumours {
		x, y := a.Tumours[i], b.Tumours[i]
		if x.MeanERBB2 != y.MeanERBB2 || x.SDRatio != y.SDRatio || x.Shannon != y.Shannon || x.Het != y.Het {
			t.Fatalf("tumour %d differs between runs", i)
		}
		total += x.NNuclei
	}
	if total != len(cells) || len(a.Areas) != 50 || len(a.Tumours) != 5 || len(a.Changes) != 2 {
		t.Errorf("total %d areas %d tumours %d changes %d", total, len(a.Areas), len(a.Tumours), len(a.Changes))
	}
}
