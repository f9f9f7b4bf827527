package ingest

import (
	"io"
	"os"
	"testing"
)

type ioReader = io.Reader

func toReaders(rs []ioReader) []io.Reader { return rs }

func mustOpen(t testing.TB, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
