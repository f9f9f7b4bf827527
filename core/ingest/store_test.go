package ingest

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
)

// sameLoad fails unless a float64 load (ld, err) and a compact load (cld, cerr)
// of the same input agree: the same error text, or the same names, kind,
// report and values bit for bit.
func sameLoad(t *testing.T, ld *Loaded, err error, cld *Loaded, cerr error) {
	t.Helper()
	if (err == nil) != (cerr == nil) || err != nil && err.Error() != cerr.Error() {
		t.Fatalf("float load error %v, compact load error %v", err, cerr)
	}
	if err != nil {
		return
	}
	if ld.Store != nil || cld.Matrix != nil {
		t.Fatal("float load has a Store or compact load a Matrix")
	}
	if ld.HasMatrix() != cld.HasMatrix() {
		t.Fatalf("matrix %v, compact %v", ld.HasMatrix(), cld.HasMatrix())
	}
	if !reflect.DeepEqual(ld.Report, cld.Report) {
		t.Fatalf("reports differ:\n%+v\n%+v", ld.Report, cld.Report)
	}
	if !ld.HasMatrix() {
		return
	}
	m, c := ld.Matrix, cld.Store.Matrix()
	if !reflect.DeepEqual(m.Genes, c.Genes) || !reflect.DeepEqual(m.Samples, c.Samples) || m.Kind != c.Kind {
		t.Fatalf("names or kind differ: %v %v", m.Kind, c.Kind)
	}
	for i, v := range m.Data {
		if math.Float64bits(v) != math.Float64bits(c.Data[i]) {
			t.Fatalf("cell %d: float load %v (%#x), compact %v (%#x)", i, v, math.Float64bits(v), c.Data[i], math.Float64bits(c.Data[i]))
		}
	}
}

// TestCompactSameAsFloat loads every fixture (good, bad, tximport) both ways:
// the compact load gives the same matrix bit for bit, or the same error.
func TestCompactSameAsFloat(t *testing.T) {
	n, stores := 0, 0
	filepath.Walk("testdata", func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || strings.Contains(p, "/gen/") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []Want{WantAuto, WantCounts, WantExpression} {
			ld, err := ReadAny(info.Name(), bytes.NewReader(b), Options{Kind: kind})
			cld, cerr := ReadAny(info.Name(), bytes.NewReader(b), Options{Kind: kind, Compact: true})
			t.Run(p, func(t *testing.T) { sameLoad(t, ld, err, cld, cerr) })
			if cerr == nil && cld.Store != nil {
				stores++
			}
		}
		n++
		return nil
	})
	if n < 90 || stores < 30 {
		t.Errorf("%d files, %d compact matrices: fixtures missing?", n, stores)
	}
}

// TestCompactCounts checks the compact form of typical and edge-case count
// tables: whole counts take 4 bytes per cell; values that are not whole numbers
// in [0, 2^32-2] (fractions, 2^32-1 and above, -0, NA in expression) are kept
// exactly beside them; a mostly fractional table is stored as float64.
func TestCompactCounts(t *testing.T) {
	cases := []struct {
		name, text string
		want       Want
		kind       dataset.Kind
		compact    bool
		spilled    int
		errText    string // expected error (both loads)
	}{
		{name: "ints", text: "g\ta\tb\nA\t0\t5\nB\t12\t4294967294\n", kind: dataset.Counts, compact: true},
		{name: "quoted ints (general path)", text: "g,a,b\nA,\"1\",2\nB,3,4\n", kind: dataset.Counts, compact: true},
		{name: "overflow 2^32-1", text: "g\ta\tb\nA\t4294967295\t5\nB\t1\t2\n", kind: dataset.Counts, compact: true, spilled: 1},
		{name: "overflow 2^32 and 15 digits", text: "g\ta\tb\nA\t4294967296\t999999999999999\nB\t1\t2\n", kind: dataset.Counts, compact: true, spilled: 2},
		{name: "overflow 16 digits", text: "g\ta\tb\nA\t1234567890123456\t0\nB\t1\t2\n", kind: dataset.Counts, compact: true, spilled: 1},
		{name: "minus zero", text: "g\ta\tb\nA\t-0\t1\nB\t1\t2\n", kind: dataset.Counts, compact: true, spilled: 1},
		{name: "decimal whole", text: "g\ta\tb\nA\t3.0\t1e3\nB\t1\t2\n", kind: dataset.Counts, compact: true},
		{name: "fraction (estimated counts)", text: "g\ta\tb\nA\t10.5\t3\nB\t1\t2\n", kind: dataset.Expression, compact: true, spilled: 1},
		{name: "NA expression", text: "g\ta\tb\nA\tNA\t3\nB\t-1.25\t2\n", kind: dataset.Expression, compact: true, spilled: 2},
		{name: "negative count", text: "g\ta\tb\nA\t-3\t3\nB\t1\t2\n", want: WantCounts,
			errText: `x.tsv:2:2: "-3" is negative; raw counts cannot be below zero`},
		{name: "fraction as count", text: "g\ta\tb\nA\t2.5\t3\nB\t1\t2\n", want: WantCounts,
			errText: `x.tsv:2:2: "2.5" is not a whole number`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ld, err := ReadAny("x.tsv", strings.NewReader(c.text), Options{Kind: c.want})
			cld, cerr := ReadAny("x.tsv", strings.NewReader(c.text), Options{Kind: c.want, Compact: true})
			sameLoad(t, ld, err, cld, cerr)
			if c.errText != "" {
				if err == nil || !strings.Contains(err.Error(), c.errText) {
					t.Fatalf("error %v, want %q", err, c.errText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s := cld.Store
			if s.Kind != c.kind || s.Compact() != c.compact || s.Spilled() != c.spilled {
				t.Fatalf("kind %v compact %v spilled %d, want %v %v %d", s.Kind, s.Compact(), s.Spilled(), c.kind, c.compact, c.spilled)
			}
			if want := int64(4*s.Rows()*s.Cols() + 16*c.spilled); s.Bytes() != want {
				t.Fatalf("Bytes %d, want %d", s.Bytes(), want)
			}
		})
	}
}

// TestCompactDenseFallback: a table of estimated counts (every value
// fractional) is stored as float64 (8 bytes per cell, not 4 + 16 per spill),
// exactly.
func TestCompactDenseFallback(t *testing.T) {
	var b strings.Builder
	b.WriteString("gene\ts1\ts2\ts3\ts4\n")
	for g := 0; g < 3000; g++ {
		b.WriteString("G" + strings.Repeat("x", g%3) + string(rune('a'+g%26)) + "_" + itoa(g))
		for j := 0; j < 4; j++ {
			b.WriteString("\t" + itoa(g*4+j) + ".25")
		}
		b.WriteByte('\n')
	}
	ld, err := ReadAny("est.tsv", strings.NewReader(b.String()), Options{})
	cld, cerr := ReadAny("est.tsv", strings.NewReader(b.String()), Options{Compact: true})
	sameLoad(t, ld, err, cld, cerr)
	if err != nil {
		t.Fatal(err)
	}
	if s := cld.Store; s.Compact() || s.Bytes() != 8*3000*4 || s.Kind != dataset.Expression {
		t.Fatalf("compact %v bytes %d kind %v", s.Compact(), s.Bytes(), s.Kind)
	}
}

// TestCompactDuplicatesAndTranspose: repeated gene rows are summed (counts) or
// the first kept (expression), and a samples x genes table transposed, the same
// in both forms.
func TestCompactDuplicatesAndTranspose(t *testing.T) {
	dup := "g\ta\tb\nA\t1\t4294967294\nB\t2\t3\nA\t5\t7\nA\t0.5\t1\n"
	for _, want := range []Want{WantAuto, WantExpression} {
		ld, err := ReadAny("d.tsv", strings.NewReader(dup), Options{Kind: want})
		cld, cerr := ReadAny("d.tsv", strings.NewReader(dup), Options{Kind: want, Compact: true})
		sameLoad(t, ld, err, cld, cerr)
		if err != nil {
			t.Fatal(err)
		}
		if len(cld.Genes()) != 2 {
			t.Fatalf("genes %v", cld.Genes())
		}
	}
	dupCounts := "g\ta\tb\nA\t1\t4294967294\nB\t2\t3\nA\t5\t7\n"
	ld, err := ReadAny("d.tsv", strings.NewReader(dupCounts), Options{})
	cld, cerr := ReadAny("d.tsv", strings.NewReader(dupCounts), Options{Compact: true})
	sameLoad(t, ld, err, cld, cerr)
	if err != nil || ld.Matrix.At(0, 1) != 4294967294+7 || cld.Store.Spilled() != 1 {
		t.Fatalf("err %v, sum %v, spilled %d", err, ld.Matrix.At(0, 1), cld.Store.Spilled())
	}
	var b strings.Builder
	b.WriteString("sample")
	for g := 0; g < 60; g++ {
		b.WriteString("\tENSG" + strings.Repeat("0", 8) + itoa(100+g))
	}
	b.WriteByte('\n')
	for s := 0; s < 5; s++ {
		b.WriteString("S" + itoa(s))
		for g := 0; g < 60; g++ {
			b.WriteString("\t" + itoa(s*g))
		}
		b.WriteByte('\n')
	}
	ld, err = ReadAny("t.tsv", strings.NewReader(b.String()), Options{Transpose: 1})
	cld, cerr = ReadAny("t.tsv", strings.NewReader(b.String()), Options{Transpose: 1, Compact: true})
	sameLoad(t, ld, err, cld, cerr)
	if err != nil || !cld.Transposed || cld.Store.Rows() != 60 || cld.Store.Cols() != 5 {
		t.Fatalf("err %v transposed %v", err, cld.Transposed)
	}
}

// TestCompactMerge: per-sample HTSeq files merged from compact loads give a
// Store with the same values as the float64 merge.
func TestCompactMerge(t *testing.T) {
	for _, files := range [][]string{
		{"g1\t5\ng2\t0\ng3\t4294967299\n__no_feature\t3\n", "g1\t1\ng2\t2\ng3\t3\n__no_feature\t3\n"}, // same order: built row by row
		{"g1\t5\ng2\t0\ng3\t4294967299\n__no_feature\t3\n", "g3\t1\ng2\t2\ng1\t3\n__no_feature\t3\n"}, // reordered
	} {
		mergeBoth(t, files)
	}
}

func mergeBoth(t *testing.T, files []string) {
	var fl, cl []*Loaded
	for i, f := range files {
		name := "s" + itoa(i+1) + ".htseq.counts"
		ld, err := ReadAny(name, strings.NewReader(f), Options{Format: FormatHTSeq})
		cld, cerr := ReadAny(name, strings.NewReader(f), Options{Format: FormatHTSeq, Compact: true})
		sameLoad(t, ld, err, cld, cerr)
		if err != nil {
			t.Fatal(err)
		}
		fl, cl = append(fl, ld), append(cl, cld)
	}
	m, err := Merge(fl)
	c, cerr := Merge(cl)
	sameLoad(t, m, err, c, cerr)
	if err != nil || c.Store == nil || c.Store.At(2, 0) != 4294967299 {
		t.Fatalf("merge: %v %v", err, c.Store)
	}
}
