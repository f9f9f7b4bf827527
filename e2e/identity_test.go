//go:build e2e

package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// TestNativeWasmIdentity builds the CLI natively and for GOOS=js GOARCH=wasm,
// writes the example cohort (her2het demo --genes 2000) with both, runs
// her2het analyze --workers 1 on it with both (the wasm build under Node via
// Go's go_js_wasm_exec), and requires every file of the demo, every table
// under tables/, every figure and report.html and session.json to be
// byte-identical (issue 13: identical inputs give
// byte-identical outputs natively and in wasm). A difference is reported per
// file with its number of differing cells and the first ones (row, column,
// native value, wasm value). Skipped without node. It takes a few minutes
// (the wasm analysis dominates).
func TestNativeWasmIdentity(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not found: the wasm CLI cannot run")
	}
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	execWasm := filepath.Join(runtime.GOROOT(), "lib", "wasm", "go_js_wasm_exec")
	if _, err := os.Stat(execWasm); err != nil {
		t.Skipf("no %s", execWasm)
	}
	dir := t.TempDir()
	nat, wasm := filepath.Join(dir, "her2het"), filepath.Join(dir, "her2het.wasm")
	build := func(out string, env ...string) {
		cmd := exec.Command(goBin, "build", "-o", out, "github.com/her2het/her2het/cmd/her2het")
		cmd.Env = append(os.Environ(), env...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %v: %v\n%s", env, err, b)
		}
	}
	build(nat)
	build(wasm, "GOOS=js", "GOARCH=wasm")
	run := func(name string, args ...string) {
		var cmd *exec.Cmd
		if name == "wasm" {
			cmd = exec.Command(execWasm, append([]string{wasm}, args...)...)
		} else {
			cmd = exec.Command(nat, args...)
		}
		cmd.Dir = dir
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s her2het %s: %v\n%s", name, strings.Join(args, " "), err, b)
		}
	}
	for _, target := range []string{"native", "wasm"} {
		run(target, "demo", "--genes", "2000", "--out", "demo-"+target)
	}
	compareDirs(t, filepath.Join(dir, "demo-native"), filepath.Join(dir, "demo-wasm"))
	for _, target := range []string{"native", "wasm"} {
		run(target, "analyze", "--counts", "demo-native/counts.tsv.gz", "--samples", "demo-native/samples.tsv",
			"--fish", "demo-native/fish_cells.tsv", "--spatial", "demo-native/spatial_segments.tsv,demo-native/spatial_counts.tsv",
			"--workers", "1", "--out", "out-"+target)
	}
	for _, sub := range []string{"tables", "figures", ""} { // "": report.html and session.json
		compareDirs(t, filepath.Join(dir, "out-native", sub), filepath.Join(dir, "out-wasm", sub))
	}
}

// compareDirs requires the same file names in a and b with the same bytes.
func compareDirs(t *testing.T, a, b string) {
	t.Helper()
	names := func(d string) []string {
		es, err := os.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			if !e.IsDir() {
				out = append(out, e.Name())
			}
		}
		sort.Strings(out)
		return out
	}
	na, nb := names(a), names(b)
	if strings.Join(na, " ") != strings.Join(nb, " ") {
		t.Errorf("%s has %v, %s has %v", a, na, b, nb)
	}
	same := 0
	for _, n := range na {
		x, err := os.ReadFile(filepath.Join(a, n))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, n))
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if bytes.Equal(x, y) {
			same++
			continue
		}
		t.Errorf("%s differs natively and in wasm: %s", n, cellDiff(x, y, 8))
	}
	t.Logf("%s: %d of %d files byte-identical", filepath.Base(a), same, len(na))
}

// cellDiff describes the differing cells of two tab-separated tables: their
// number and the first max of them as row:column native|wasm.
func cellDiff(x, y []byte, max int) string {
	lx := strings.Split(string(x), "\n")
	ly := strings.Split(string(y), "\n")
	if len(lx) != len(ly) {
		return fmt.Sprintf("%d lines natively, %d in wasm", len(lx), len(ly))
	}
	header := strings.Split(lx[0], "\t")
	var cells []string
	n, total := 0, 0
	for i := range lx {
		if lx[i] == ly[i] {
			continue
		}
		cx, cy := strings.Split(lx[i], "\t"), strings.Split(ly[i], "\t")
		if len(cx) != len(cy) {
			n++
			if len(cells) < max {
				cells = append(cells, fmt.Sprintf("line %d: %d cells natively, %d in wasm", i+1, len(cx), len(cy)))
			}
			continue
		}
		for j := range cx {
			total++
			if cx[j] == cy[j] {
				continue
			}
			n++
			if len(cells) < max {
				col := fmt.Sprint(j + 1)
				if j < len(header) {
					col = header[j]
				}
				cells = append(cells, fmt.Sprintf("line %d (%s) %s: %s | %s", i+1, cx[0], col, cx[j], cy[j]))
			}
		}
	}
	return fmt.Sprintf("%d cells differ; first: %s", n, strings.Join(cells, "; "))
}
