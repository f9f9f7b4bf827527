package ingest

import (
	"bytes"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
)

func TestTableReader(t *testing.T) {
	in := "gene\tsymbol\tA\tB\nENSG1\tERBB2\t1\t2\nENSG2\tGRB7\t3\tNA\n\nENSG3\tESR1\t5\t6\n"
	tr, err := NewTableReader("t.tsv", strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tr.Samples(), ",") != "A,B" || strings.Join(tr.AnnotationNames(), ",") != "symbol" {
		t.Fatalf("samples %v annotations %v", tr.Samples(), tr.AnnotationNames())
	}
	type want struct {
		line int
		id   string
		sym  string
		v    []float64
	}
	wants := []want{{2, "ENSG1", "ERBB2", []float64{1, 2}}, {3, "ENSG2", "GRB7", []float64{3, math.NaN()}}, {5, "ENSG3", "ESR1", []float64{5, 6}}}
	for _, w := range wants {
		r, err := tr.Read()
		if err != nil {
			t.Fatal(err)
		}
		if r.Line != w.line || r.ID != w.id || r.Annotations[0] != w.sym {
			t.Errorf("row %+v, want %+v", r, w)
		}
		for j := range w.v {
			if !(r.Values[j] == w.v[j] || math.IsNaN(r.Values[j]) && math.IsNaN(w.v[j])) {
				t.Errorf("line %d value %d = %g, want %g", w.line, j, r.Values[j], w.v[j])
			}
		}
	}
	if _, err := tr.Read(); err != io.EOF {
		t.Errorf("after last row: %v, want io.EOF", err)
	}
	if tr.Kind() != dataset.Expression {
		t.Errorf("kind %v after NA, want expression", tr.Kind())
	}
	// WantCounts stops at the first non-count, naming it.
	tr, _ = NewTableReader("t.tsv", strings.NewReader(in), Options{Kind: WantCounts})
	tr.Read()
	if _, err := tr.Read(); err == nil || err.Error() != `t.tsv:3:4: "NA" is a missing value; count models need a count in every cell (load as expression to keep NA)` {
		t.Errorf("counts error: %v", err)
	}
}

// TestFastPathAgrees checks that the fast integer path and the general path give
// the same matrix (same text, one copy with a quoted identifier forcing the slow path).
func TestFastPathAgrees(t *testing.T) {
	text := countsTSV(300, 7)
	slow := bytes.ReplaceAll(text, []byte("\nENSG"), []byte("\n\"ENSG"))
	slow = bytes.ReplaceAll(slow, []byte(".1\t"), []byte(".1\"\t"))
	a, err := ReadAny("fast.tsv", bytes.NewReader(text), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadAny("slow.tsv", bytes.NewReader(slow), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Matrix.Rows() != 300 || strings.Join(a.Matrix.Genes, ",") != strings.Join(b.Matrix.Genes, ",") {
		t.Fatalf("genes differ: %v vs %v", a.Matrix.Genes[:3], b.Matrix.Genes[:3])
	}
	for i := range a.Matrix.Data {
		if a.Matrix.Data[i] != b.Matrix.Data[i] {
			t.Fatalf("value %d: %g vs %g", i, a.Matrix.Data[i], b.Matrix.Data[i])
		}
	}
}

func FuzzTableReader(f *testing.F) {
	seed(f, "testdata/good/*.tsv", "testdata/good/*.csv", "testdata/bad/*.tsv")
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := NewTableReader("t.tsv", bytes.NewReader(data), Options{})
		if err != nil {
			checkLoad(t, "t.tsv", nil, err)
			return
		}
		for {
			r, err := tr.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				checkLoad(t, "t.tsv", nil, err)
				return
			}
			if len(r.Values) != len(tr.Samples()) {
				t.Fatal("row width")
			}
		}
	})
}

// TestFastRowDigits compares the SWAR integer path with strconv on numbers of every
// length 1..16 digits, at every alignment, including the line end, on short rows
// (one stream) and wide ones (two streams, split near the middle).
func TestFastRowDigits(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for it := 0; it < 20000; it++ {
		ns := 1 + r.IntN(9)
		if it%2 == 1 {
			ns = 14 + r.IntN(40)
		}
		var b strings.Builder
		b.WriteString("G")
		want := make([]float64, ns)
		for j := 0; j < ns; j++ {
			nd := 1 + r.IntN(16)
			s := strconv.FormatUint(r.Uint64()%uint64(math.Pow10(nd)), 10)
			want[j], _ = strconv.ParseFloat(s, 64)
			b.WriteString("\t" + s)
		}
		dst := make([]float64, ns)
		id, ok := fastRow([]byte(b.String()), '\t', dst)
		if !ok {
			// only numbers longer than 15 digits may be refused
			long := false
			for _, f := range strings.Split(b.String(), "\t")[1:] {
				long = long || len(f) > 15
			}
			if !long {
				t.Fatalf("refused %q", b.String())
			}
			continue
		}
		if id != "G" {
			t.Fatalf("id %q", id)
		}
		for j := range want {
			if dst[j] != want[j] {
				t.Fatalf("%q field %d = %v, want %v", b.String(), j+1, dst[j], want[j])
			}
		}
	}
	for _, bad := range []string{"G\t12a45678\t1", "G\t1\t", "G\t\t1", "G\t1\t2\t3", "G\t-1\t2", "G\t1.5\t2", "G\t12345678x\t1"} {
		if _, ok := fastRow([]byte(bad), '\t', make([]float64, 2)); ok {
			t.Errorf("fastRow accepted %q", bad)
		}
	}
	// Wide rows damaged at every field: one byte replaced, a field dropped, one
	// added, a field emptied; none may be accepted.
	const ns = 40
	var b strings.Builder
	b.WriteString("G")
	for j := 0; j < ns; j++ {
		b.WriteString("\t" + strconv.Itoa(r.IntN(100000)))
	}
	good := b.String()
	if _, ok := fastRow([]byte(good), '\t', make([]float64, ns)); !ok {
		t.Fatalf("refused %q", good)
	}
	for k := 2; k < len(good); k++ {
		for _, c := range []byte{'x', ' ', '.', '-', '\t', ','} {
			if good[k] == c || c == '\t' && (good[k-1] == '\t' || k+1 == len(good) || good[k+1] == '\t') {
				continue
			}
			bad := []byte(good)
			bad[k] = c
			if _, ok := fastRow(bad, '\t', make([]float64, ns)); ok {
				t.Errorf("fastRow accepted %q (byte %d = %q)", bad, k, c)
			}
		}
	}
	f := strings.Split(good, "\t")
	for j := 1; j < len(f); j++ {
		for _, bad := range []string{
			strings.Join(append(append([]string{}, f[:j]...), f[j+1:]...), "\t"),
			strings.Join(append(append(append([]string{}, f[:j]...), "7"), f[j:]...), "\t"),
			strings.Join(append(append(append([]string{}, f[:j]...), ""), f[j+1:]...), "\t"),
		} {
			if _, ok := fastRow([]byte(bad), '\t', make([]float64, ns)); ok {
				t.Errorf("fastRow accepted %q", bad)
			}
		}
	}
}

// FuzzFastRow: whatever the fast path accepts, the general parser reads the same.
func FuzzFastRow(f *testing.F) {
	f.Add([]byte("G\t1\t22\t333"), 3)
	f.Add([]byte("ENSG1.1\t12345678\t0\t7"), 3)
	f.Add([]byte("G\t1234567\t9"), 2)
	f.Add([]byte("G\t1\t22\t333\t4444\t55555\t666666\t7777777\t88888888\t0\t1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11"), 20)
	f.Add([]byte("G\t1\t22\t333\t4444\t55555\t666666\t7777777\t\t0\t1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12"), 20)
	f.Fuzz(func(t *testing.T, line []byte, ns int) {
		if ns < 1 || ns > 64 {
			return
		}
		dst := make([]float64, ns)
		id, ok := fastRow(line, '\t', dst)
		if !ok {
			return
		}
		fields := bytes.Split(line, []byte("\t"))
		if len(fields) != ns+1 || string(fields[0]) != id {
			t.Fatalf("accepted %q as %d fields", line, ns)
		}
		for j, fb := range fields[1:] {
			v, cls := parseNum(fb, false)
			if cls != numInt || v != dst[j] {
				t.Fatalf("field %q: fast %v, general %v (%v)", fb, dst[j], v, cls)
			}
		}
	})
}
