package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"math"
	"strconv"
)

const bufSize = 1 << 20

// lineReader yields physical lines of any length, without "\n" or "\r\n".
type lineReader struct {
	br       *bufio.Reader
	line     int   // number of the line last returned (1-based)
	read     int64 // bytes consumed
	progress func(int64)
	reported int64
	long     []byte
}

func newLineReader(r io.Reader, progress func(int64)) *lineReader {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < bufSize {
		br = bufio.NewReaderSize(r, bufSize)
	}
	return &lineReader{br: br, progress: progress}
}

// next returns the next line; the slice is valid until the following call.
// It returns io.EOF after the last line (a last line without "\n" is returned).
func (lr *lineReader) next() ([]byte, error) {
	b, err := lr.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		lr.long = append(lr.long[:0], b...)
		for err == bufio.ErrBufferFull {
			b, err = lr.br.ReadSlice('\n')
			lr.long = append(lr.long, b...)
		}
		b = lr.long
	}
	if err != nil && err != io.EOF {
		return nil, err
	}
	if len(b) == 0 && err == io.EOF {
		lr.tick(true)
		return nil, io.EOF
	}
	lr.read += int64(len(b))
	lr.line++
	lr.tick(false)
	n := len(b)
	if n > 0 && b[n-1] == '\n' {
		n--
	}
	if n > 0 && b[n-1] == '\r' {
		n--
	}
	return b[:n], nil
}

func (lr *lineReader) tick(final bool) {
	if lr.progress != nil && (final || lr.read-lr.reported >= 1<<20) {
		lr.reported = lr.read
		lr.progress(lr.read)
	}
}

var errUnterminatedQuote = errors.New("unterminated quote")

// splitFields splits line at delim into dst (reused). Fields may be quoted with '"'
// ("" inside a quoted field is one quote). Quoted fields are unescaped into scratch.
// On a quote error it returns the 1-based index of the bad field.
func splitFields(line []byte, delim byte, dst [][]byte, scratch *[]byte) ([][]byte, int, error) {
	dst = dst[:0]
	if bytes.IndexByte(line, '"') < 0 {
		for {
			i := bytes.IndexByte(line, delim)
			if i < 0 {
				return append(dst, line), 0, nil
			}
			dst = append(dst, line[:i])
			line = line[i+1:]
		}
	}
	*scratch = (*scratch)[:0]
	type span struct{ lo, hi int }
	var spans []span
	pos := 0
	for {
		// skip leading spaces before a quote
		j := pos
		for j < len(line) && line[j] == ' ' {
			j++
		}
		if j < len(line) && line[j] == '"' {
			lo := len(*scratch)
			k := j + 1
			for {
				q := bytes.IndexByte(line[k:], '"')
				if q < 0 {
					return dst, len(spans) + 1, errUnterminatedQuote
				}
				*scratch = append(*scratch, line[k:k+q]...)
				k += q + 1
				if k < len(line) && line[k] == '"' {
					*scratch = append(*scratch, '"')
					k++
					continue
				}
				break
			}
			spans = append(spans, span{lo, len(*scratch)})
			for k < len(line) && line[k] == ' ' {
				k++
			}
			if k >= len(line) {
				break
			}
			if line[k] != delim {
				return dst, len(spans), errors.New("text after a closing quote")
			}
			pos = k + 1
			continue
		}
		i := bytes.IndexByte(line[pos:], delim)
		lo := len(*scratch)
		if i < 0 {
			*scratch = append(*scratch, line[pos:]...)
			spans = append(spans, span{lo, len(*scratch)})
			break
		}
		*scratch = append(*scratch, line[pos:pos+i]...)
		spans = append(spans, span{lo, len(*scratch)})
		pos += i + 1
		if pos == len(line) {
			spans = append(spans, span{len(*scratch), len(*scratch)})
			break
		}
	}
	s := *scratch
	for _, sp := range spans {
		dst = append(dst, s[sp.lo:sp.hi:sp.hi])
	}
	return dst, 0, nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// numClass says what kind of value a cell held.
type numClass uint8

const (
	numInt     numClass = iota // whole number (possibly negative)
	numReal                    // finite, not whole
	numMissing                 // empty, NA, NaN, NULL, #N/A
	numInf                     // Inf or -Inf
	numBad                     // not a number
)

// parseNum parses one numeric cell. decComma accepts ',' as the decimal mark.
func parseNum(b []byte, decComma bool) (float64, numClass) {
	// Fast path: [-]digits[.digits] with at most 15 digits in all. The value is
	// mantissa / 10^k with both exact in float64, so one IEEE division gives the
	// correctly rounded result, bit-identical to strconv.ParseFloat (Clinger's
	// fast path).
	if n := len(b); n > 0 && n <= 17 {
		i := 0
		neg := false
		if b[0] == '-' {
			neg = true
			i = 1
		}
		if i < n {
			var v int64
			j := i
			for ; j < n; j++ {
				c := b[j] - '0'
				if c > 9 {
					break
				}
				v = v*10 + int64(c)
			}
			digits := j - i
			if j == n && digits > 0 && digits <= 16 {
				f := float64(v)
				if neg {
					f = -f
				}
				return f, numInt
			}
			if j < n && b[j] == '.' && digits > 0 && j+1 < n {
				k := 0
				j++
				for ; j < n; j++ {
					c := b[j] - '0'
					if c > 9 {
						break
					}
					v = v*10 + int64(c)
					k++
				}
				if j == n && digits+k <= 15 {
					f := float64(v) / pow10[k]
					if neg {
						f = -f
					}
					if f == math.Trunc(f) {
						return f, numInt
					}
					return f, numReal
				}
			}
		}
	}
	b = trimSpace(b)
	if len(b) == 0 {
		return math.NaN(), numMissing
	}
	switch string(b) {
	case "NA", "NaN", "nan", "NAN", "na", "N/A", "#N/A", "NULL", "null", ".", "-", "#NUM!", "#VALUE!", "#DIV/0!":
		return math.NaN(), numMissing
	case "Inf", "inf", "INF", "+Inf", "Infinity", "infinity":
		return math.Inf(1), numInf
	case "-Inf", "-inf", "-INF", "-Infinity", "-infinity":
		return math.Inf(-1), numInf
	}
	if decComma {
		if i := bytes.IndexByte(b, ','); i >= 0 {
			var tmp [64]byte
			if len(b) > len(tmp) {
				return math.NaN(), numBad
			}
			c := tmp[:len(b)]
			copy(c, b)
			c[i] = '.'
			b = c
		}
	}
	// reject things strconv accepts but that are not numbers in a table
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return math.NaN(), numBad
		}
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return f, numInf
		}
		return math.NaN(), numBad
	}
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return f, numInt
	}
	return f, numReal
}

// detectDelimiter picks tab, semicolon or comma from sample lines: the candidate
// present with the same non-zero count on every line wins, in the order tab, ';', ','.
func detectDelimiter(lines [][]byte) byte {
	cands := []byte{'\t', ';', ','}
	for _, d := range cands {
		n0 := -1
		ok := true
		for _, l := range lines {
			n := countOutsideQuotes(l, d)
			if n0 < 0 {
				n0 = n
			}
			if n == 0 || (n != n0 && !(len(lines) > 1 && n == n0+1)) {
				ok = false
				break
			}
		}
		if ok && n0 > 0 {
			return d
		}
	}
	best, bestN := byte('\t'), 0
	if len(lines) > 0 {
		for _, d := range cands {
			if n := countOutsideQuotes(lines[0], d); n > bestN {
				best, bestN = d, n
			}
		}
	}
	return best
}

func countOutsideQuotes(l []byte, d byte) int {
	n := 0
	in := false
	for _, c := range l {
		if c == '"' {
			in = !in
		} else if c == d && !in {
			n++
		}
	}
	return n
}

// looksDecimalComma reports whether fields like "12,5" (digits, one comma, digits,
// no '.') appear among the data fields of ';'- or tab-separated lines.
func looksDecimalComma(fields [][]byte) bool {
	hits, dots := 0, 0
	for _, f := range fields {
		f = trimSpace(f)
		i := bytes.IndexByte(f, ',')
		if bytes.IndexByte(f, '.') >= 0 {
			dots++
		}
		if i <= 0 || i == len(f)-1 || bytes.IndexByte(f[i+1:], ',') >= 0 {
			continue
		}
		ok := true
		for j, c := range f {
			if j != i && !(c >= '0' && c <= '9' || (j == 0 && c == '-')) {
				ok = false
				break
			}
		}
		if ok {
			hits++
		}
	}
	return hits > 0 && dots == 0
}

var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16}
