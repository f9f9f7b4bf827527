package ingest

import (
	"bytes"
	"compress/gzip"
	"testing"
)

// TestGzipSizeHint: a .gz count table reads the same matrix as its text whatever
// its trailer says about the text size (one member: exact; two members: the
// trailer gives only the last member's size, so the first allocation is too small).
func TestGzipSizeHint(t *testing.T) {
	text := countsTSV(5000, 12)
	gz := func(parts ...[]byte) []byte {
		var buf bytes.Buffer
		for _, p := range parts {
			zw := gzip.NewWriter(&buf)
			zw.Write(p)
			zw.Close()
		}
		return buf.Bytes()
	}
	cut := bytes.IndexByte(text[len(text)*9/10:], '\n') + len(text)*9/10 + 1
	want, err := ReadAny("c.tsv", bytes.NewReader(text), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		data  []byte
		isize int64 // what gzipSize must say
	}{
		{"one member", gz(text), int64(len(text))},
		{"two members", gz(text[:cut], text[cut:]), int64(len(text) - cut)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := gzipSize(bytes.NewReader(tc.data), int64(len(tc.data))); got != tc.isize && !(got == 0 && tc.isize < int64(len(tc.data))) {
				t.Errorf("gzipSize %d, want %d", got, tc.isize)
			}
			ld, err := ReadAny("c.tsv.gz", bytes.NewReader(tc.data), Options{})
			if err != nil {
				t.Fatal(err)
			}
			m := ld.Matrix
			if m.Rows() != want.Matrix.Rows() || m.Cols() != want.Matrix.Cols() || len(m.Data) != len(want.Matrix.Data) {
				t.Fatalf("%dx%d, want %dx%d", m.Rows(), m.Cols(), want.Matrix.Rows(), want.Matrix.Cols())
			}
			for i := range m.Data {
				if m.Data[i] != want.Matrix.Data[i] {
					t.Fatalf("value %d: %v, want %v", i, m.Data[i], want.Matrix.Data[i])
				}
			}
		})
	}
	if got := gzipSize(bytes.NewReader([]byte("short")), 5); got != 0 {
		t.Errorf("gzipSize of 5 bytes = %d", got)
	}
}
