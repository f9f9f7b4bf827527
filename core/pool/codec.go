package pool

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unsafe"
)

// littleEndian says that float64 values are stored little endian in memory
// (amd64, arm64, wasm), i.e. in the codec's byte order: their bytes are then
// copied at once instead of value by value (same bytes either way).
var littleEndian = func() bool {
	x := uint64(0x0102030405060708)
	return *(*byte)(unsafe.Pointer(&x)) == 0x08
}()

// float64Bytes returns the memory of x as bytes (no copy).
func float64Bytes(x []float64) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(x))), 8*len(x))
}

// Writer appends values to a byte slice in the package's codec (see the package
// documentation). The zero value is ready to use.
type Writer struct {
	b []byte
}

// NewWriter returns a Writer with capacity for size bytes.
func NewWriter(size int) *Writer { return &Writer{b: make([]byte, 0, max(size, 0))} }

// Bytes returns the encoded bytes (not a copy).
func (w *Writer) Bytes() []byte { return w.b }

// Len returns the number of bytes written.
func (w *Writer) Len() int { return len(w.b) }

// Uvarint writes v as an unsigned LEB128 varint (encoding/binary).
func (w *Writer) Uvarint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }

// Int writes v as a zig-zag signed varint.
func (w *Writer) Int(v int) { w.b = binary.AppendVarint(w.b, int64(v)) }

// Bool writes one byte, 1 for true.
func (w *Writer) Bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

// Float64 writes the IEEE-754 bits of v, little endian.
func (w *Writer) Float64(v float64) {
	w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(v))
}

// Float64s writes len(x) and the elements.
func (w *Writer) Float64s(x []float64) {
	w.Uvarint(uint64(len(x)))
	w.putFloat64s(x)
}

// Float64sOf writes the concatenation of parts as one Float64s (the same bytes
// as Float64s of the parts appended together) without making that copy: for a
// caller whose values are held in pieces (rows picked from a matrix, a matrix
// kept in blocks).
func (w *Writer) Float64sOf(parts ...[]float64) {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	w.Uvarint(uint64(n))
	w.b = grow(w.b, 8*n)
	for _, p := range parts {
		w.putFloat64s(p)
	}
}

// putFloat64s appends the little-endian bits of the elements of x.
func (w *Writer) putFloat64s(x []float64) {
	if littleEndian {
		w.b = append(w.b, float64Bytes(x)...)
		return
	}
	w.b = grow(w.b, 8*len(x))
	for _, v := range x {
		w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(v))
	}
}

// Float64Blob writes the elements of x as a Blob of 8·len(x) bytes, their
// little-endian IEEE-754 bits. A kernel reads it with Reader.Blob and decodes
// the part it needs when it needs it with DecodeFloat64s, instead of a new
// slice of the whole (Reader.Float64s).
func (w *Writer) Float64Blob(x []float64) {
	w.Uvarint(uint64(8 * len(x)))
	w.putFloat64s(x)
}

// DecodeFloat64s sets dst to the first len(dst) values of a Float64Blob's
// bytes b; it panics if b holds fewer than 8·len(dst) bytes (a caller's
// bounds check, not input validation: check the blob's length first).
func DecodeFloat64s(dst []float64, b []byte) {
	b = b[:8*len(dst)]
	if littleEndian {
		copy(float64Bytes(dst), b)
		return
	}
	for i := range dst {
		dst[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
}

// Ints writes len(x) and the elements as signed varints.
func (w *Writer) Ints(x []int) {
	w.Uvarint(uint64(len(x)))
	for _, v := range x {
		w.b = binary.AppendVarint(w.b, int64(v))
	}
}

// String writes len(s) and the bytes of s.
func (w *Writer) String(s string) {
	w.Uvarint(uint64(len(s)))
	w.b = append(w.b, s...)
}

// Strings writes len(x) and each string.
func (w *Writer) Strings(x []string) {
	w.Uvarint(uint64(len(x)))
	for _, s := range x {
		w.String(s)
	}
}

// Blob writes len(p) and the bytes of p.
func (w *Writer) Blob(p []byte) {
	w.Uvarint(uint64(len(p)))
	w.b = append(w.b, p...)
}

func grow(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		nb := make([]byte, len(b), len(b)+n+len(b)/4)
		copy(nb, b)
		return nb
	}
	return b
}

// Reader reads values written by a Writer, in the same order. Errors are sticky:
// after the first one every read returns the zero value and Err reports it.
type Reader struct {
	b   []byte
	off int
	err error
}

// ErrCorrupt is the error (wrapped) of a Reader on malformed input.
var ErrCorrupt = errors.New("pool: corrupt encoded data")

// NewReader returns a Reader of b. Slices returned by Blob alias b.
func NewReader(b []byte) *Reader { return &Reader{b: b} }

// Err returns the first decoding error, if any.
func (r *Reader) Err() error { return r.err }

// Remaining returns the number of unread bytes.
func (r *Reader) Remaining() int { return len(r.b) - r.off }

// Done returns the first decoding error, or an error if bytes are left unread.
func (r *Reader) Done() error {
	if r.err == nil && r.off != len(r.b) {
		r.err = fmt.Errorf("%w: %d bytes left over at offset %d", ErrCorrupt, len(r.b)-r.off, r.off)
	}
	return r.err
}

func (r *Reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: bad %s at offset %d of %d", ErrCorrupt, what, r.off, len(r.b))
	}
}

// Uvarint reads an unsigned varint.
func (r *Reader) Uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 {
		r.fail("uvarint")
		return 0
	}
	r.off += n
	return v
}

// Int reads a signed varint; a value outside the range of int is an error.
func (r *Reader) Int() int {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b[r.off:])
	if n <= 0 || int64(int(v)) != v {
		r.fail("varint")
		return 0
	}
	r.off += n
	return int(v)
}

// Bool reads a byte written by Writer.Bool; anything but 0 or 1 is an error.
func (r *Reader) Bool() bool {
	if r.err != nil {
		return false
	}
	if r.off >= len(r.b) || r.b[r.off] > 1 {
		r.fail("bool")
		return false
	}
	r.off++
	return r.b[r.off-1] == 1
}

// Float64 reads one float64.
func (r *Reader) Float64() float64 {
	if r.err != nil {
		return 0
	}
	if len(r.b)-r.off < 8 {
		r.fail("float64")
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.b[r.off:]))
	r.off += 8
	return v
}

// length reads a length prefix of elements of at least size bytes each and checks
// that they fit in the remaining bytes (so corrupt input cannot allocate much).
func (r *Reader) length(size int, what string) (int, bool) {
	n := r.Uvarint()
	if r.err != nil {
		return 0, false
	}
	if n > uint64(len(r.b)-r.off)/uint64(size) {
		r.fail(what + " length")
		return 0, false
	}
	return int(n), true
}

// Float64s reads a slice written by Writer.Float64s (a new slice; nil when empty).
func (r *Reader) Float64s() []float64 {
	n, ok := r.length(8, "float64 slice")
	if !ok || n == 0 {
		return nil
	}
	out := make([]float64, n)
	DecodeFloat64s(out, r.b[r.off:r.off+8*n])
	r.off += 8 * n
	return out
}

// Ints reads a slice written by Writer.Ints (a new slice; nil when empty).
func (r *Reader) Ints() []int {
	n, ok := r.length(1, "int slice")
	if !ok || n == 0 {
		return nil
	}
	out := make([]int, n)
	for i := range out {
		out[i] = r.Int()
		if r.err != nil {
			return nil
		}
	}
	return out
}

// String reads a string written by Writer.String.
func (r *Reader) String() string {
	n, ok := r.length(1, "string")
	if !ok {
		return ""
	}
	s := string(r.b[r.off : r.off+n])
	r.off += n
	return s
}

// Strings reads a slice written by Writer.Strings (nil when empty).
func (r *Reader) Strings() []string {
	n, ok := r.length(1, "string slice")
	if !ok || n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.String()
		if r.err != nil {
			return nil
		}
	}
	return out
}

// Blob reads bytes written by Writer.Blob; the result aliases the Reader's input.
func (r *Reader) Blob() []byte {
	n, ok := r.length(1, "blob")
	if !ok {
		return nil
	}
	p := r.b[r.off : r.off+n : r.off+n]
	r.off += n
	return p
}
