package ingest

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadInputs reads every file listed in testdata/bad/expected.tsv
// (file <TAB> options <TAB> expected error substring) and checks that the error
// contains the expected text, including file:line:column.
func TestBadInputs(t *testing.T) {
	f := mustOpen(t, "testdata/bad/expected.tsv")
	sc := bufio.NewScanner(f)
	n := 0
	listed := map[string]bool{}
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 {
			t.Fatalf("expected.tsv: bad line %q", line)
		}
		name, optText, want := parts[0], parts[1], parts[2]
		listed[name] = true
		n++
		t.Run(name, func(t *testing.T) {
			var opts Options
			if optText == "counts" {
				opts.Kind = WantCounts
			}
			ld, err := ReadAny(name, mustOpen(t, filepath.Join("testdata/bad", name)), opts)
			if err == nil {
				t.Fatalf("no error; loaded %v", ld.Format)
			}
			// The compact load (integer counts) rejects it with the same error.
			opts.Compact = true
			if _, cerr := ReadAny(name, mustOpen(t, filepath.Join("testdata/bad", name)), opts); cerr == nil || cerr.Error() != err.Error() {
				t.Errorf("compact load: error %v, want %v", cerr, err)
			}
			if _, ok := err.(*ParseError); !ok {
				t.Errorf("error is %T, want *ParseError", err)
			}
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error\n  %s\nlacks\n  %s", err, want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
	if n < 40 {
		t.Errorf("only %d bad inputs listed, want >= 40", n)
	}
	// every file in the folder is listed
	filepath.Walk("testdata/bad", func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && info.Name() != "expected.tsv" {
			rel, _ := filepath.Rel("testdata/bad", p)
			if !listed[filepath.ToSlash(rel)] {
				t.Errorf("%s is not listed in expected.tsv", rel)
			}
		}
		return nil
	})
}
