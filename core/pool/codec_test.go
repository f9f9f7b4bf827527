package pool

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"testing"
)

// allKinds writes one value of every kind and returns a function that reads them
// back and compares.
func TestCodecRoundTrip(t *testing.T) {
	nan := math.Float64frombits(0x7ff8000000000123) // NaN with a payload
	cases := []struct {
		name string
		f    []float64
		i    []int
		s    []string
		u    uint64
		b    []byte
	}{
		{"empty", nil, nil, nil, 0, nil},
		{"specials", []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), nan, math.SmallestNonzeroFloat64, math.MaxFloat64, 1.0 / 3}, []int{0, -1, 1, math.MaxInt, math.MinInt}, []string{"", "ERBB2", "ü\x00x"}, math.MaxUint64, []byte{0, 255}},
		{"long", make([]float64, 1000), make([]int, 300), []string{string(make([]byte, 70000))}, 1 << 40, make([]byte, 129)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := NewWriter(16)
			w.Float64s(c.f)
			w.Ints(c.i)
			w.Strings(c.s)
			w.Uvarint(c.u)
			w.Blob(c.b)
			w.Bool(true)
			w.Bool(false)
			for _, v := range c.f {
				w.Float64(v)
			}
			for _, v := range c.i {
				w.Int(v)
			}
			w.String("end")
			r := NewReader(w.Bytes())
			f, i, s, u, b := r.Float64s(), r.Ints(), r.Strings(), r.Uvarint(), r.Blob()
			t1, t2 := r.Bool(), r.Bool()
			if !sameBits(f, c.f) || !reflect.DeepEqual(i, nilIfEmpty(c.i)) || !reflect.DeepEqual(s, c.s) || u != c.u || !bytes.Equal(b, c.b) || !t1 || t2 {
				t.Fatalf("round trip differs: %v %v %q %d %v %v %v", f, i, s, u, b, t1, t2)
			}
			for _, v := range c.f {
				if g := r.Float64(); math.Float64bits(g) != math.Float64bits(v) {
					t.Fatalf("Float64: got %v want %v", g, v)
				}
			}
			for _, v := range c.i {
				if g := r.Int(); g != v {
					t.Fatalf("Int: got %d want %d", g, v)
				}
			}
			if r.String() != "end" || r.Remaining() != 0 {
				t.Fatal("trailer lost")
			}
			if err := r.Done(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func nilIfEmpty(x []int) []int {
	if len(x) == 0 {
		return nil
	}
	return x
}

func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

func TestCodecCorrupt(t *testing.T) {
	w := NewWriter(0)
	w.Float64s([]float64{1, 2, 3})
	good := w.Bytes()
	cases := []struct {
		name string
		in   []byte
		read func(r *Reader)
	}{
		{"truncated slice", good[:len(good)-1], func(r *Reader) { r.Float64s() }},
		{"huge length", []byte{0xff, 0xff, 0xff, 0xff, 0x0f}, func(r *Reader) { r.Float64s() }},
		{"huge int slice", []byte{0xff, 0xff, 0xff, 0xff, 0x0f}, func(r *Reader) { r.Ints() }},
		{"huge string", []byte{0x10, 'a'}, func(r *Reader) { _ = r.String() }},
		{"truncated float", []byte{1, 2, 3}, func(r *Reader) { r.Float64() }},
		{"varint overflow", bytes.Repeat([]byte{0xff}, 11), func(r *Reader) { r.Uvarint() }},
		{"empty int", nil, func(r *Reader) { r.Int() }},
		{"bad bool", []byte{2}, func(r *Reader) { r.Bool() }},
		{"left over", append(append([]byte{}, good...), 0), func(r *Reader) { r.Float64s() }},
		{"strings truncated", []byte{2, 1, 'a'}, func(r *Reader) { r.Strings() }},
		{"blob truncated", []byte{3, 1}, func(r *Reader) { r.Blob() }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := NewReader(c.in)
			c.read(r)
			if err := r.Done(); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Done() = %v, want ErrCorrupt", err)
			}
			// Errors are sticky: later reads return zero values.
			if r.Float64() != 0 || r.Int() != 0 || r.Float64s() != nil || r.String() != "" {
				t.Fatal("read after an error returned data")
			}
		})
	}
}

// FuzzReader: no input makes a Reader panic or allocate more than its input allows,
// and whatever decodes re-encodes to the bytes it came from.
func FuzzReader(f *testing.F) {
	w := NewWriter(0)
	w.Float64s([]float64{1, math.NaN()})
	w.Ints([]int{-3, 7})
	w.Strings([]string{"a", "bc"})
	f.Add(w.Bytes())
	f.Add([]byte{})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, in []byte) {
		r := NewReader(in)
		fs, is, ss := r.Float64s(), r.Ints(), r.Strings()
		if len(fs)*8 > len(in) || len(is) > len(in) || len(ss) > len(in) {
			t.Fatalf("decoded more elements than bytes: %d %d %d from %d", len(fs), len(is), len(ss), len(in))
		}
		if r.Err() != nil {
			return
		}
		w := NewWriter(0)
		w.Float64s(fs)
		w.Ints(is)
		w.Strings(ss)
		n := len(in) - r.Remaining()
		// Varints have non-minimal encodings, so compare by decoding again.
		r2 := NewReader(w.Bytes())
		if !sameBits(r2.Float64s(), fs) || !reflect.DeepEqual(r2.Ints(), is) || !reflect.DeepEqual(r2.Strings(), ss) || r2.Done() != nil || w.Len() > n {
			t.Fatalf("re-encoding differs for %x", in[:n])
		}
	})
}

func BenchmarkCodecFloat64s(b *testing.B) {
	x := make([]float64, 20000*12)
	for i := range x {
		x[i] = float64(i) * 0.37
	}
	b.SetBytes(int64(8 * len(x)))
	b.ReportAllocs()
	for b.Loop() {
		w := NewWriter(8*len(x) + 8)
		w.Float64s(x)
		r := NewReader(w.Bytes())
		if len(r.Float64s()) != len(x) {
			b.Fatal("lost")
		}
	}
}

func BenchmarkLocalRun(b *testing.B) {
	x := make([]float64, 20000)
	tasks := make([][]byte, 4)
	for i, r := range Split(len(x), len(tasks)) {
		tasks[i] = encodeFloats(x[r[0]:r[1]])
	}
	p := Local(4)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Run("pool.test.square", tasks); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFloat64sBytes: Float64s, Float64sOf and Float64Blob write exactly the bytes of
// Float64 value by value (after the length), whatever the machine's byte
// order path, and DecodeFloat64s / Reader.Float64s read them back bit for bit
// (NaN payloads, -0, infinities and subnormals included), also from an
// unaligned offset.
func TestFloat64sBytes(t *testing.T) {
	cases := [][]float64{
		nil,
		{1},
		{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.Float64frombits(0x7ff8000000000123), 5e-324, math.MaxFloat64, -1.5, 1e-300},
	}
	long := make([]float64, 1000)
	for i := range long {
		long[i] = float64(i)*0.37 - 100
	}
	cases = append(cases, long)
	for k, x := range cases {
		var ref Writer
		ref.Uvarint(uint64(len(x)))
		for _, v := range x {
			ref.Float64(v)
		}
		var w Writer
		w.Float64s(x)
		if !bytes.Equal(w.Bytes(), ref.Bytes()) {
			t.Errorf("case %d: Float64s bytes differ from Float64 value by value", k)
		}
		// Float64sOf of x in pieces (none, empty ones, uneven cuts).
		for _, cuts := range [][]int{{}, {0}, {len(x) / 3, len(x) / 3, len(x) / 2}} {
			parts, lo := [][]float64{}, 0
			for _, c := range cuts {
				parts = append(parts, x[lo:c])
				lo = c
			}
			parts = append(parts, x[lo:])
			var wo Writer
			wo.Bool(false)
			wo.Float64sOf(parts...)
			if !bytes.Equal(wo.Bytes()[1:], ref.Bytes()) {
				t.Errorf("case %d, cuts %v: Float64sOf bytes differ from Float64 value by value", k, cuts)
			}
		}
		var blobRef Writer
		blobRef.Uvarint(uint64(8 * len(x)))
		for _, v := range x {
			blobRef.Float64(v)
		}
		var wb Writer
		wb.Bool(true) // an odd offset before the blob
		wb.Float64Blob(x)
		if !bytes.Equal(wb.Bytes()[1:], blobRef.Bytes()) {
			t.Errorf("case %d: Float64Blob bytes differ from Float64 value by value", k)
		}
		got := NewReader(w.Bytes()).Float64s()
		rb := NewReader(wb.Bytes())
		rb.Bool()
		blob := rb.Blob()
		dec := make([]float64, len(x))
		DecodeFloat64s(dec, blob)
		for i := range x {
			if math.Float64bits(got[i]) != math.Float64bits(x[i]) || math.Float64bits(dec[i]) != math.Float64bits(x[i]) {
				t.Errorf("case %d: value %d read back as %x / %x, want %x", k, i, math.Float64bits(got[i]), math.Float64bits(dec[i]), math.Float64bits(x[i]))
			}
		}
	}
}
