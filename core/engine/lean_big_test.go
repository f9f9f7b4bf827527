package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/her2het/her2het/core/api"
	"github.com/her2het/her2het/core/pool"
	"github.com/her2het/her2het/internal/bigcohort"
)

var memSamples = []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/released:bytes"}, {Name: "/memory/classes/heap/free:bytes"}}

// memLine formats the runtime's memory classes in MB.
func memLine() string {
	metrics.Read(memSamples)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	mb := func(i int) float64 { return float64(memSamples[i].Value.Uint64()) / (1 << 20) }
	return fmt.Sprintf("total %.0f MB objects %.0f free %.0f released %.0f heapsys %.0f", mb(0), mb(1), mb(3), mb(2), float64(ms.HeapSys)/(1<<20))
}

// TestLeanBigInput runs issue 11's big input (60,000 x 1,000 counts, the
// sample sheet and the DE builder's voom ~ group of e2e's big_test.go, then the
// whole study) through the engine as the browser does (2 GB MemoryBudget, a
// pool of 2), printing the Go runtime's memory after every progress event:
// under wasm, /memory/classes/total is the linear memory the engine has
// grown to (it never shrinks), so the step that grows it shows. Opt-in: set
// HER2HET_BIGMEM to a counts file path; when the file does not exist it is
// written (natively, a few seconds) and the test ends. Then, under Node:
//
//	GOOS=js GOARCH=wasm go test -c -o /tmp/engine.wasm ./core/engine
//	cd core/engine && HER2HET_BIGMEM=/tmp/big.tsv HER2HET_BIGMEM_ANALYSE=1 \
//	  $(go env GOROOT)/lib/wasm/go_js_wasm_exec /tmp/engine.wasm -test.run TestLeanBigInput -test.v -test.timeout 60m
//
// Session 5 (node, load ~8): after the DE builder 1,326 MB, after normalise
// 1,818 -> 1,506 MB (LogCPMInPlace), pathway scores +460 -> +1 MB (GSVA's
// density per sample), end of the analysis 2,998 -> 2,103 MB (with the DE
// step's lent logE and reused weights) -> 1,815 MB with the collection after
// TMM (Chromium, e2e TestBigInputDEAndGSVA: 1,820 MB).
func TestLeanBigInput(t *testing.T) {
	path := os.Getenv("HER2HET_BIGMEM")
	if path == "" {
		t.Skip("set HER2HET_BIGMEM to a counts file (see the doc comment)")
	}
	if _, err := os.Stat(path); err != nil {
		writeBig(t, path, 60000, 1000)
		return
	}
	t0 := time.Now()
	logf := func(s string) { fmt.Printf("%7.1f s  %-40s %s\n", time.Since(t0).Seconds(), s, memLine()) }
	e := New()
	e.MemoryBudget = 2 << 30
	e.Pool = pool.Local(2)
	sheet := []byte(bigcohort.Sheet(1000))
	opener := openerFunc(func(i int, ref api.FileRef) (io.ReadCloser, error) {
		if ref.Name == "big-counts.tsv" {
			return os.Open(path)
		}
		return io.NopCloser(bytes.NewReader(sheet)), nil
	})
	st, _ := os.Stat(path)
	handle := func(req api.Request) {
		e.Handle(req, opener, func(ev api.Event) {
			if ev.Kind == api.EventError {
				t.Fatalf("error %+v", ev.Error)
			}
			if ev.Kind == api.EventProgress {
				if !strings.HasPrefix(ev.Step, "read ") {
					logf(fmt.Sprintf("%s %.2f", ev.Step, ev.Fraction))
				}
			}
		})
	}
	handle(api.Request{ID: 1, Kind: api.KindLoad, Files: []api.FileRef{{Name: "big-counts.tsv", Size: st.Size()}}})
	runtime.GC()
	logf("loaded")
	handle(api.Request{ID: 2, Kind: api.KindLoad, Files: []api.FileRef{{Name: "big-samples.tsv", Size: int64(len(sheet))}}})
	pj, _ := json.Marshal(api.DEParams{Formula: "~ group", Contrast: "group,B,A", Method: "voom"})
	handle(api.Request{ID: 3, Kind: api.KindDERun, Params: pj})
	logf("DE builder done")
	if os.Getenv("HER2HET_BIGMEM_ANALYSE") != "" {
		handle(api.Request{ID: 4, Kind: api.KindAnalyze})
		logf("analyse done")
	}
}

// writeBig writes internal/bigcohort's counts (e2e's big input) to path.
func writeBig(t *testing.T, path string, genes, samples int) {
	g, err := os.Open("../genemap/genes.tsv.gz")
	if err != nil {
		t.Fatal(err)
	}
	ids, err := bigcohort.GeneIDs(g, genes)
	g.Close()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := bigcohort.WriteCounts(f, ids, samples); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
