package ingest

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"runtime"

	"github.com/her2het/her2het/core/dataset"
)

// intRow is the fast path of TableReader for the commonest count table: a gene
// identifier, then one non-negative integer of 1-15 plain digits per sample
// ("ENSG00000141736\t12\t0\t5301"). Anything else (quotes, spaces, signs,
// decimals, NA, a wrong number of fields) is refused and read by the general
// path, which also writes every error message: the fast path never changes what a
// file means or how it is rejected.
//
// A field of up to 7 digits is read with one 8-byte load: the first byte that is
// not a digit ends the field, and three multiplications combine its digits 2, 4
// and 8 at a time (SWAR, "SIMD within a register"; Lemire's
// parse_eight_digits_unrolled, as in Mushtak N, Lemire D 2023, Fast number
// parsing without fallback, Softw Pract Exp 53:1577, doi:10.1002/spe.3198).
// Where one field starts depends on where the previous one ended, so a long line
// is read as two independent halves in one loop (the processor overlaps them);
// the half boundary is a delimiter near the middle, and the field index there is
// the number of delimiters before it.
type intRow struct{}

// twoStreams: a long line is read as two halves at once, except in WebAssembly,
// where finding the half boundary (bytes.Count is a byte loop there, not SIMD) and
// the extra live values (spilled to linear memory) cost more than the overlap
// gains. Both ways give the same numbers.
const twoStreams = runtime.GOARCH != "wasm"

const (
	swarZeros = 0x3030303030303030 // '0' in every byte
	swarHigh  = 0x8080808080808080
)

// swar8 converts the field at the start of the 8 bytes x ('0'-'9' ... then a
// non-digit). It returns the value and z = 8*d+7 where d is the number of digits;
// z-15 >= 49 (unsigned) means the field is empty or has 8 digits or more. Only the
// bytes up to the first non-digit are exact in t: a subtraction borrows only from
// a byte below '0', and no byte before it is one.
func swar8(x uint64) (v uint64, z uint) {
	t := x - swarZeros
	z = uint(bits.TrailingZeros64(((t + 0x7676767676767676) | t) & swarHigh))
	u := t << ((71 - z) & 63) // the d digits to the top bytes, leading zero bytes below
	u = (u * (1 + 10<<8)) >> 8 & 0x00ff00ff00ff00ff
	u = (u * (1 + 100<<16)) >> 16 & 0x0000ffff0000ffff
	return (u * (1 + 10000<<32)) >> 32, z
}

// parse reads line into dst (len(dst) = number of samples) and returns the
// identifier; ok is false when the line is not of the simple form (dst may then
// hold anything).
func (intRow) parse(line []byte, delim byte, dst []float64) (id string, ok bool) {
	return parseIntRow(line, delim, dst, maxFloatField)
}

// parseWhole is parse into uint32 counts (dataset.Store's compact form): a field
// above dataset.MaxWhole makes ok false, so the general path keeps it as a
// float64.
func (intRow) parseWhole(line []byte, delim byte, dst []uint32) (id string, ok bool) {
	return parseIntRow(line, delim, dst, dataset.MaxWhole)
}

// maxFloatField is above every 15-digit number: a float64 destination takes any
// field the fast path reads.
const maxFloatField = 1e15

// parseIntRow is intRow.parse into float64 or uint32 values; limit is the largest
// value a field may have (larger: ok false).
func parseIntRow[T uint32 | float64](line []byte, delim byte, dst []T, limit int64) (id string, ok bool) {
	i := bytes.IndexByte(line, delim)
	if i <= 0 || line[0] == ' ' || line[0] == '"' || line[i-1] == ' ' {
		return "", false
	}
	n, ns := len(line), len(dst)
	if ns == 0 {
		return "", false
	}
	dl := uint64(delim)
	var bad uint64 // non-zero when a field ended on something other than the delimiter
	// Stream a reads dst[:limA] from pa, stream b dst[jb:ns-1] from pb; the last
	// field of the line (it ends at the line end, not at a delimiter) is left to
	// the byte loop.
	pa, ja, limA := i+1, 0, ns-1
	pb, jb := 0, 0
	if twoStreams && ns >= 16 {
		mid := pa + (n-pa)/2
		if k := bytes.IndexByte(line[mid:], delim); k >= 0 {
			sep := [1]byte{delim}
			if c := bytes.Count(line[pa:mid+k+1], sep[:]); c > 0 && c < ns-1 {
				limA, pb, jb = c, mid+k+1, c
			}
		}
	}
	b0 := pb // where stream b starts (0: one stream)
	if b0 > 0 {
		// Both streams at once while both have a field and 8 readable bytes
		// (pa < pb, so pa+8 <= n too).
		for ja < limA && jb < ns-1 && pb+8 <= n {
			va, za := swar8(binary.LittleEndian.Uint64(line[pa:]))
			vb, zb := swar8(binary.LittleEndian.Uint64(line[pb:]))
			if za-15 >= 49 || zb-15 >= 49 {
				break
			}
			dst[ja] = T(int64(va))
			dst[jb] = T(int64(vb))
			bad |= uint64(line[pa+int(za>>3)]) ^ dl | uint64(line[pb+int(zb>>3)]) ^ dl
			pa += int(za>>3) + 1
			pb += int(zb>>3) + 1
			ja++
			jb++
		}
	}
	// Finish stream a, then stream b, one field at a time.
	pa, _, ok = fields(line, pa, dst[:limA], ja, delim, limit)
	if !ok || bad != 0 {
		return "", false
	}
	if b0 == 0 {
		pb = pa
	} else if pa != b0 {
		return "", false
	} else if pb, _, ok = fields(line, pb, dst[:ns-1], jb, delim, limit); !ok {
		return "", false
	}
	// The last field: digits to the end of the line.
	if d := n - pb; d < 1 || d > 15 {
		return "", false
	}
	var v int64
	for _, c := range line[pb:] {
		if c-'0' > 9 {
			return "", false
		}
		v = v*10 + int64(c-'0')
	}
	if v > limit {
		return "", false
	}
	dst[ns-1] = T(v)
	return string(line[:i]), true
}

// fields reads dst[j:] from p, each field followed by the delimiter, and returns
// the position after the last delimiter, the next index and whether all were
// plain integers of 1-15 digits, none above limit. (SWAR fields have at most 7
// digits: below every limit.)
func fields[T uint32 | float64](line []byte, p int, dst []T, j int, delim byte, limit int64) (int, int, bool) {
	n := len(line)
	dl := uint64(delim)
	var bad uint64
	for ; j < len(dst) && p+8 <= n; j++ {
		v, z := swar8(binary.LittleEndian.Uint64(line[p:]))
		if z-15 >= 49 {
			break
		}
		dst[j] = T(int64(v))
		bad |= uint64(line[p+int(z>>3)]) ^ dl
		p += int(z>>3) + 1
	}
	if bad != 0 {
		return p, j, false
	}
	for ; j < len(dst); j++ {
		var v int64
		k := p
		for k < n && line[k]-'0' <= 9 {
			v = v*10 + int64(line[k]-'0')
			k++
		}
		if k == p || k-p > 15 || k >= n || line[k] != delim || v > limit {
			return p, j, false
		}
		dst[j] = T(v)
		p = k + 1
	}
	return p, j, true
}

// fastRow is intRow.parse (tests).
func fastRow(line []byte, delim byte, dst []float64) (string, bool) {
	return intRow{}.parse(line, delim, dst)
}
