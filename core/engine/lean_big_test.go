package engine

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/her2het/her2het/core/api"
	"github.com/her2het/her2het/core/genemap"
	"github.com/her2het/her2het/core/pool"
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
		genBig(t, path, 60000, 1000)
		return
	}
	t0 := time.Now()
	logf := func(s string) { fmt.Printf("%7.1f s  %-40s %s\n", time.Since(t0).Seconds(), s, memLine()) }
	e := New()
	e.MemoryBudget = 2 << 30
	e.Pool = pool.Local(2)
	sheet := []byte(bigSheetH(1000))
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

// bigSheetH is e2e's bigSheet.
func bigSheetH(samples int) string {
	var sh strings.Builder
	sh.WriteString("sampleID\tpatientID\ttpt\tpCR\tHER2 heterogeneity\tHR\tgroup\n")
	b2i := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	for j := 0; j < samples; j++ {
		k, tpt := j-99, "Pre"
		if j < 200 {
			k = j/2 + 1
			if j%2 == 1 {
				tpt = "Post"
			}
		}
		fmt.Fprintf(&sh, "S%04d\tP%04d\t%s\t%s\t%s\t%s\t%s\n", j+1, k, tpt,
			[]string{"no", "yes"}[b2i(k%3 == 0)], []string{"non-HET", "HET"}[b2i(k%4 == 0)],
			[]string{"negative", "positive"}[b2i(k%2 == 0)], []string{"A", "B"}[j%2])
	}
	return sh.String()
}

// genBig writes e2e's writeBigCohort counts (same seed and model).
func genBig(t *testing.T, path string, genes, samples int) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(60000, 1000))
	lib := make([]float64, samples)
	ids := bigIDs(t, genes)
	w.WriteString("gene_id")
	for j := range lib {
		fmt.Fprintf(w, "\tS%04d", j+1)
		lib[j] = math.Exp(0.25 * rng.NormFloat64())
	}
	w.WriteByte('\n')
	const nq = 4096
	var noise, normal [nq]float64
	for i := range noise {
		z := qnormH((float64(i) + 0.5) / nq)
		noise[i] = math.Exp(0.3*z - 0.045)
		normal[i] = z
	}
	line := make([]byte, 0, 8*samples)
	for g := 0; g < genes; g++ {
		mu := math.Exp(math.Log(1500) + 1.5*rng.NormFloat64())
		if rng.Float64() < 0.3 {
			mu = 0.5 * rng.Float64()
		}
		line = append(line[:0], ids[g]...)
		for j := 0; j < samples; j++ {
			u := rng.Uint64()
			m := mu * lib[j] * noise[u>>52]
			if g < 600 && j%2 == 1 {
				m *= 2
			}
			var c int64
			if m < 15 {
				l, k, p := math.Exp(-m), int64(0), rng.Float64()
				for p > l {
					k++
					p *= rng.Float64()
				}
				c = k
			} else {
				c = max(0, int64(math.Round(m+math.Sqrt(m)*normal[(u>>40)&(nq-1)])))
			}
			line = append(line, '\t')
			line = strconv.AppendInt(line, c, 10)
		}
		line = append(line, '\n')
		w.Write(line)
	}
	w.Flush()
	f.Close()
}

// bigIDs is e2e's bigGeneIDs.
func bigIDs(t *testing.T, n int) []string {
	f, err := os.Open("../genemap/genes.tsv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, _ := gzip.NewReader(f)
	gm := genemap.Default()
	var coding, other []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(zr)
	for first := true; sc.Scan(); first = false {
		c := strings.Split(sc.Text(), "\t")
		if first || len(c) < 5 || c[2] == "" {
			continue
		}
		id, _, _ := strings.Cut(c[2], ";")
		sym := c[1]
		if g, _, ok := gm.Resolve(id); ok {
			sym = g.Symbol
		}
		if seen[id] || seen["sym:"+sym] {
			continue
		}
		seen[id], seen["sym:"+sym] = true, true
		if c[4] == "protein-coding" {
			coding = append(coding, id)
		} else {
			other = append(other, id)
		}
	}
	ids := append(coding, other...)
	for g := 0; len(ids) < n; g++ {
		ids = append(ids, fmt.Sprintf("ENSG%011d", 900000+g))
	}
	return ids[:n]
}

// qnormH is the standard normal quantile by bisection (test data only).
func qnormH(p float64) float64 {
	lo, hi := -10.0, 10.0
	for i := 0; i < 100; i++ {
		mid := (lo + hi) / 2
		if 0.5*math.Erfc(-mid/math.Sqrt2) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}
