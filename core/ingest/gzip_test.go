package ingest

import (
	"bytes"
	"compress/gzip"
	"runtime"
	"strings"
	"testing"
	"time"
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

// TestGzipEarlyError: an error near the start of a large .gz stops the
// decompressing goroutine (no goroutine is left behind) and names its position
// as without it.
func TestGzipEarlyError(t *testing.T) {
	text := countsTSV(40000, 12) // several MiB: the goroutine is blocks ahead
	i := bytes.IndexByte(text, '\n')
	i += bytes.IndexByte(text[i+1:], '\n') + 1 // end of line 2
	bad := append(append(append([]byte{}, text[:i+1]...), "G\tx"+strings.Repeat("\t1", 11)+"\n"...), text[i+1:]...)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(bad)
	zw.Close()
	before := runtime.NumGoroutine()
	for range 5 {
		_, err := ReadAny("bad.tsv.gz", bytes.NewReader(buf.Bytes()), Options{})
		if err == nil || !strings.HasPrefix(err.Error(), "bad.tsv.gz:3:2: \"x\" is not a number") {
			t.Fatalf("error %v", err)
		}
	}
	// stop waits until the goroutine has closed its done channel; it then still
	// has to return, so allow it a moment.
	after := runtime.NumGoroutine()
	for i := 0; i < 200 && after > before; i++ {
		time.Sleep(10 * time.Millisecond)
		after = runtime.NumGoroutine()
	}
	if after > before {
		t.Errorf("%d goroutines before, %d after", before, after)
	}
}
