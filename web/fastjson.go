package web

import (
	"encoding/json"
	"errors"
	"math/bits"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/her2het/her2het/core/api"
)

// Sections and the report reach the page as JSON of tens of megabytes (the
// example cohort's QC section is 20 MB, most of it SVG markup; the report 31 MB).
// encoding/json decodes them at a few MB/s in WebAssembly (it validates the whole
// input with a per-byte state machine before decoding), which kept the page busy
// for seconds after every analysis. decodeSection and decodeDownload read exactly
// the JSON that encoding/json writes for api.Section and api.Download, in one
// pass; anything else (another key spelling, a number, a null string, a
// surrogate escape, invalid UTF-8, trailing data) makes them give up, and the
// caller decodes with encoding/json instead, so the result is always
// json.Unmarshal's.

var errSlowPath = errors.New("web: not the plain form; use encoding/json")

// unmarshalSection decodes a section event's data: json.Unmarshal's result, quickly.
func unmarshalSection(b []byte, sec *api.Section) error {
	var s api.Section
	// One copy of the input as a string: every string decoded without escapes is
	// a substring of it (no allocation per table cell).
	d := jdec{b: string(b)}
	if d.section(&s) && d.end() {
		*sec = s
		return nil
	}
	return json.Unmarshal(b, sec)
}

// unmarshalDownload decodes a report event's data: json.Unmarshal's result,
// quickly. b must not be modified afterwards (the text may share its memory).
func unmarshalDownload(b []byte, dl *api.Download) error {
	if len(b) == 0 {
		return json.Unmarshal(b, dl)
	}
	var v api.Download
	// The report is one long string: b is read in place (not copied to a
	// string first); the name and type are copied out so that they do not
	// hold b, and the text is either its own buffer (it has escapes) or most of
	// b. The caller does not modify b afterwards (an event's data).
	d := jdec{b: unsafe.String(&b[0], len(b))}
	ok := d.object(func(k string) bool {
		switch k {
		case "name":
			return d.str(&v.Name)
		case "mime":
			return d.str(&v.Mime)
		case "text":
			return d.str(&v.Text)
		}
		return false
	})
	if ok && d.end() {
		v.Name, v.Mime = strings.Clone(v.Name), strings.Clone(v.Mime)
		*dl = v
		return nil
	}
	return json.Unmarshal(b, dl)
}

// jdec reads JSON from b at i. Its methods return false when the input is not
// in the plain form they handle. A string without escapes is decoded as a
// substring of b (sharing its memory). The loops keep b and i in locals: under
// js/wasm a field access per byte made decoding several times slower.
type jdec struct {
	b   string
	i   int
	buf []byte
}

func (d *jdec) ws() {
	b, i := d.b, d.i
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			d.i = i
			return
		}
	}
	d.i = i
}

// end reports whether only white space is left.
func (d *jdec) end() bool {
	d.ws()
	return d.i == len(d.b)
}

// lit consumes the byte c after white space.
func (d *jdec) lit(c byte) bool {
	d.ws()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// null consumes a null literal if one follows.
func (d *jdec) null() bool {
	d.ws()
	if len(d.b)-d.i >= 4 && d.b[d.i:d.i+4] == "null" {
		d.i += 4
		return true
	}
	return false
}

// str reads a string into *s.
func (d *jdec) str(s *string) bool {
	if !d.lit('"') {
		return false
	}
	b := d.b
	start, i := d.i, d.i
	var or byte // the bits of every byte: >= 0x80 means not ASCII
	for i < len(b) {
		if i+8 <= len(b) {
			i += skip8(load8(b, i))
			if i >= len(b) {
				break
			}
		}
		c := b[i]
		if c == '"' {
			if or >= utf8.RuneSelf && !utf8.ValidString(b[start:i]) {
				return false
			}
			*s = b[start:i]
			d.i = i + 1
			return true
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return false
		}
		or |= c
		i++
	}
	d.i = i
	ascii := or < utf8.RuneSelf
	// Escapes: copy into buf. A long string gets a buffer of its encoded
	// length (an upper bound of the decoded one), found by a scan to its closing
	// quote, so that it is not copied as the buffer grows.
	buf := d.buf[:0]
	if e := rawEnd(b, i); e-start >= 64<<10 {
		buf = make([]byte, 0, e-start)
	}
	buf = append(buf, b[start:i]...)
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			if !ascii && !utf8.Valid(buf) {
				return false
			}
			if len(buf) >= 64<<10 {
				// A long string (an SVG, the report) keeps buf as its memory
				// instead of a copy; buf is not reused.
				*s = unsafe.String(&buf[0], len(buf))
				d.buf = nil
			} else {
				*s = string(buf)
				d.buf = buf
			}
			d.i = i + 1
			return true
		case c == '\\':
			if i+1 >= len(b) {
				return false
			}
			e := b[i+1]
			i += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				if i+4 > len(b) {
					return false
				}
				r := rune(0)
				for k := i; k < i+4; k++ {
					switch h := b[k]; {
					case '0' <= h && h <= '9':
						r = r<<4 | rune(h-'0')
					case 'a' <= h && h <= 'f':
						r = r<<4 | rune(h-'a'+10)
					case 'A' <= h && h <= 'F':
						r = r<<4 | rune(h-'A'+10)
					default:
						return false
					}
				}
				if 0xD800 <= r && r < 0xE000 {
					return false // surrogates: encoding/json's rules
				}
				i += 4
				buf = utf8.AppendRune(buf, r)
			default:
				return false
			}
		case c < 0x20:
			return false
		default:
			// A run of plain bytes, appended at once.
			j := i
			for j < len(b) {
				if j+8 <= len(b) {
					j += skip8(load8(b, j))
					if j >= len(b) {
						break
					}
				}
				c := b[j]
				if c == '"' || c == '\\' || c < 0x20 {
					break
				}
				if c >= utf8.RuneSelf {
					ascii = false
				}
				j++
			}
			buf = append(buf, b[i:j]...)
			i = j
		}
	}
	d.i = i
	return false
}

// rawEnd returns the offset of the quote that closes the JSON string whose
// text continues at b[i] (len(b) when none does).
func rawEnd(b string, i int) int {
	for i < len(b) {
		if i+8 <= len(b) {
			i += skip8(load8(b, i))
			if i >= len(b) {
				break
			}
		}
		switch b[i] {
		case '"':
			return i
		case '\\':
			i += 2
		default:
			i++
		}
	}
	return len(b)
}

// load8 returns the eight bytes of b at i (i+8 <= len(b)) as one word.
func load8(b string, i int) uint64 {
	return *(*uint64)(unsafe.Pointer(unsafe.StringData(b[i:])))
}

// plain8 reports whether the eight bytes of x are all printable ASCII other than
// " and \\ (0x20-0x7f but 0x22 and 0x5c), which a JSON string holds as they are:
// no byte below 0x20 (subtracting 0x20 from it borrows into its top bit), none
// equal to " or \\ (a zero byte after xor), no top bit set.
func plain8(x uint64) bool { return special8(x) == 0 }

// special8 has the top bit of every byte of x that is not plain (see plain8) set,
// and perhaps of some bytes after the first such byte (a borrow), never before it.
func special8(x uint64) uint64 {
	const lsb, msb = 0x0101010101010101, 0x8080808080808080
	q := x ^ (0x22 * lsb)
	bs := x ^ (0x5c * lsb)
	return ((x-0x20*lsb)&^x | (q-lsb)&^q | (bs-lsb)&^bs | x) & msb
}

// littleEndian: load8's first byte is the word's lowest.
var littleEndian = func() bool { x := uint16(1); return *(*byte)(unsafe.Pointer(&x)) == 1 }()

// skip8 returns how many bytes of the word x (load8 at some i) are plain before
// the first byte that is not: 8 when all are (by the word's lowest flagged byte
// on little-endian machines, where it is the first; elsewhere 0 unless all are).
func skip8(x uint64) int {
	m := special8(x)
	if m == 0 {
		return 8
	}
	if littleEndian {
		return bits.TrailingZeros64(m) >> 3
	}
	return 0
}

// object reads an object, calling member for every key; member reads the value.
func (d *jdec) object(member func(key string) bool) bool {
	if !d.lit('{') {
		return false
	}
	if d.lit('}') {
		return true
	}
	for {
		var k string
		if !d.str(&k) || !d.lit(':') || !member(k) {
			return false
		}
		if d.lit(',') {
			continue
		}
		return d.lit('}')
	}
}

// array reads an array or null (then *n is -1), calling elem for every element.
func (d *jdec) array(elem func() bool) (ok, null bool) {
	if d.null() {
		return true, true
	}
	if !d.lit('[') {
		return false, false
	}
	if d.lit(']') {
		return true, false
	}
	for {
		if !elem() {
			return false, false
		}
		if d.lit(',') {
			continue
		}
		return d.lit(']'), false
	}
}

// scanArray reads an array of T, or null, into *out (nil for null, empty for [],
// as encoding/json decodes them), reading each element into a zero T with elem.
func scanArray[T any](d *jdec, out *[]T, elem func(*T) bool) bool {
	v := []T{}
	var zero T
	ok, null := d.array(func() bool {
		// Read in place: a pointer to a local would move every element to the heap.
		v = append(v, zero)
		return elem(&v[len(v)-1])
	})
	if !ok {
		return false
	}
	if null {
		v = nil
	}
	*out = v
	return true
}

// strs reads an array of strings (nil for null, empty for []).
func (d *jdec) strs(out *[]string) bool { return scanArray(d, out, d.str) }

func (d *jdec) params(out *[]api.Param) bool {
	return scanArray(d, out, func(p *api.Param) bool {
		return d.object(func(k string) bool {
			switch k {
			case "name":
				return d.str(&p.Name)
			case "value":
				return d.str(&p.Value)
			}
			return false
		})
	})
}

func (d *jdec) figure(f *api.FigureView) bool {
	return d.object(func(k string) bool {
		switch k {
		case "id":
			return d.str(&f.ID)
		case "title":
			return d.str(&f.Title)
		case "caption":
			return d.str(&f.Caption)
		case "params":
			return d.params(&f.Params)
		case "svg":
			return d.str(&f.SVG)
		}
		return false
	})
}

func (d *jdec) table(t *api.TableView) bool {
	return d.object(func(k string) bool {
		switch k {
		case "id":
			return d.str(&t.ID)
		case "title":
			return d.str(&t.Title)
		case "columns":
			return d.strs(&t.Columns)
		case "rows":
			// Rows of the columns' length share backing arrays allocated a block
			// at a time (capped slices, so a longer row still gets its own).
			var block []string
			n := max(len(t.Columns), 1)
			return scanArray(d, &t.Rows, func(row *[]string) bool {
				if len(block) < n {
					block = make([]string, n*256)
				}
				v := block[:0:n]
				block = block[n:]
				ok, null := d.array(func() bool {
					v = append(v, "")
					return d.str(&v[len(v)-1])
				})
				if !ok {
					return false
				}
				if null {
					v = nil
				}
				*row = v
				return true
			})
		}
		return false
	})
}

func (d *jdec) section(s *api.Section) bool {
	return d.object(func(k string) bool {
		switch k {
		case "id":
			return d.str(&s.ID)
		case "screen":
			return d.str(&s.Screen)
		case "title":
			return d.str(&s.Title)
		case "summary":
			return d.strs(&s.Summary)
		case "notes":
			return d.strs(&s.Notes)
		case "params":
			return d.params(&s.Params)
		case "figures":
			return scanArray(d, &s.Figures, d.figure)
		case "tables":
			return scanArray(d, &s.Tables, d.table)
		}
		return false
	})
}
