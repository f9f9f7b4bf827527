// Command cmd is the Go side of the benchmarks against R: it runs the
// analyses of issue 11 through the project's public APIs on the files written
// by bench/gen and prints one machine-readable line per step,
//
//	<step>/<genes>x<samples> <wall seconds> cpu=<s> heapMB=<peak> sysMB=<sys> [key=value ...]
//
// the same names as bench/R/*.R print. Steps: parse (ingest.ReadAny of the
// 60k x 300 table, from memory), deseq_timepoint (deseq.Run + Results,
// ~ timepoint), deseq_paired (~ patient + timepoint), voom (limma.Voom),
// voom_dupcor (Voom, DuplicateCorrelation with block = patient, LmFit with
// the block and consensus correlation, EBayes), gsva (geneset GSVA Gaussian,
// 50 sets, on log2(count+1)) and ssgsea.
//
// It builds natively and for GOOS=js GOARCH=wasm (run with Node through
// $(go env GOROOT)/lib/wasm/go_js_wasm_exec). heapMB is the peak of
// runtime.MemStats.HeapAlloc sampled every 2 ms during the step (natively;
// under wasm, where a sampling goroutine cannot interrupt the computation,
// the larger of HeapAlloc before and after), sysMB is MemStats.Sys after the
// step (under wasm the size of the linear memory, which never shrinks, so
// the high-water mark of the process so far). cpu is the process CPU time of
// the step (getrusage natively; under Node process.cpuUsage() of the whole
// Node process; -1 where unavailable).
//
// Before the timed runs every step is run once on the first 500 genes of the
// shape (-warmup), so that code compiled lazily (V8 compiles wasm functions
// on first call) is not charged to the first step.
//
// A step that takes less than a second is repeated up to three times and the
// fastest run is reported (bench/R does the same).
//
// Usage: cmd -data DIR [-n 12,100] [-steps parse,deseq_timepoint,...] [-workers 1]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/deseq"
	"github.com/her2het/her2het/core/design"
	"github.com/her2het/her2het/core/geneset"
	"github.com/her2het/her2het/core/ingest"
	"github.com/her2het/her2het/core/limma"
)

var allSteps = []string{"deseq_timepoint", "deseq_paired", "voom", "voom_dupcor", "gsva", "ssgsea"}

// heapObjects is the runtime/metrics name of MemStats.HeapAlloc (bytes of
// allocated heap objects).
const heapObjects = "/memory/classes/heap/objects:bytes"

// measurement is one timed step.
type measurement struct {
	wall, cpu     float64
	heapMB, sysMB float64
	extra         string
}

// measure runs f once (three times when it takes under a second, keeping the
// fastest) and returns its wall time, CPU time and memory.
func measure(f func() (string, error)) (measurement, error) {
	var best measurement
	for rep := 0; rep < 3; rep++ {
		runtime.GC()
		debug.FreeOSMemory()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		var peak atomic.Uint64
		peak.Store(ms.HeapAlloc)
		stop := make(chan struct{})
		done := make(chan struct{})
		if samplerWorks {
			go func() {
				defer close(done)
				t := time.NewTicker(2 * time.Millisecond)
				defer t.Stop()
				// runtime/metrics, not ReadMemStats: reading it does not stop
				// the world, so sampling does not slow the measured step.
				sample := []metrics.Sample{{Name: heapObjects}}
				for {
					select {
					case <-stop:
						return
					case <-t.C:
						metrics.Read(sample)
						if sample[0].Value.Kind() == metrics.KindUint64 {
							if v := sample[0].Value.Uint64(); v > peak.Load() {
								peak.Store(v)
							}
						}
					}
				}
			}()
		} else {
			close(done)
		}
		c0 := cpuSeconds()
		t0 := time.Now()
		extra, err := f()
		wall := time.Since(t0).Seconds()
		c1 := cpuSeconds()
		close(stop)
		<-done
		if err != nil {
			return best, err
		}
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc > peak.Load() {
			peak.Store(ms.HeapAlloc)
		}
		m := measurement{wall: wall, cpu: -1, heapMB: float64(peak.Load()) / (1 << 20), sysMB: float64(ms.Sys) / (1 << 20), extra: extra}
		if c0 >= 0 && c1 >= 0 {
			m.cpu = c1 - c0
		}
		if rep == 0 || m.wall < best.wall {
			best = m
		}
		if wall >= 1 {
			break
		}
	}
	return best, nil
}

func emit(name string, m measurement, err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		fmt.Printf("%s NA error=%q\n", name, err.Error())
		return
	}
	fmt.Printf("%s %.4f cpu=%.3f heapMB=%.1f sysMB=%.1f%s\n", name, m.wall, m.cpu, m.heapMB, m.sysMB, m.extra)
}

// readSheet reads samples_<n>.tsv into a design frame with timepoint levels
// pre, post (pre the reference, as in the R scripts).
func readSheet(path string) (*design.Frame, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	fr := &design.Frame{
		Columns: map[string][]string{},
		Kinds:   map[string]design.Kind{"patient": design.Factor, "timepoint": design.Factor},
		Levels:  map[string][]string{"timepoint": {"pre", "post"}},
	}
	for i, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("%s:%d:1: want 3 columns, got %d", path, i+2, len(f))
		}
		fr.Samples = append(fr.Samples, f[0])
		fr.Columns["patient"] = append(fr.Columns["patient"], f[1])
		fr.Columns["timepoint"] = append(fr.Columns["timepoint"], f[2])
	}
	return fr, nil
}

func loadCounts(path string) (*dataset.Matrix, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ld, err := ingest.ReadAny(filepath.Base(path), bytes.NewReader(b), ingest.Options{Kind: ingest.WantCounts, Transpose: -1})
	if err != nil {
		return nil, err
	}
	return ld.Matrix, nil
}

func log2p1(c *dataset.Matrix) *dataset.Matrix {
	m := dataset.NewMatrix(dataset.Expression, c.Genes, c.Samples)
	for i, v := range c.Data {
		m.Data[i] = math.Log2(v + 1)
	}
	return m
}

func runShape(dir string, n, workers int, steps map[string]bool) error {
	counts, err := loadCounts(filepath.Join(dir, fmt.Sprintf("counts_%d.tsv", n)))
	if err != nil {
		return err
	}
	fr, err := readSheet(filepath.Join(dir, fmt.Sprintf("samples_%d.tsv", n)))
	if err != nil {
		return err
	}
	if len(fr.Samples) != counts.Cols() {
		return fmt.Errorf("sheet has %d samples, counts %d", len(fr.Samples), counts.Cols())
	}
	if warmup {
		// Compile and warm every code path on a few genes first (under
		// wasm, V8 compiles functions lazily on first call).
		k := min(500, counts.Rows())
		idx := make([]int, k)
		for i := range idx {
			idx[i] = i
		}
		saved := emitFn
		emitFn = func(string, measurement, error) {}
		err := analyse(counts.SubsetRows(idx), fr, dir, workers, steps)
		emitFn = saved
		if err != nil {
			return err
		}
	}
	return analyse(counts, fr, dir, workers, steps)
}

// warmup runs every step once on 500 genes before the timed run.
var warmup = true

var emitFn = emit

func analyse(counts *dataset.Matrix, fr *design.Frame, dir string, workers int, steps map[string]bool) error {
	shape := fmt.Sprintf("%dx%d", counts.Rows(), counts.Cols())
	Xt, err := design.ModelMatrix("~ timepoint", fr)
	if err != nil {
		return err
	}
	if steps["deseq_timepoint"] {
		m, err := measure(func() (string, error) {
			fit, err := deseq.Run(counts, Xt.X, Xt.Columns, deseq.Options{Workers: workers})
			if err != nil {
				return "", err
			}
			res, err := fit.Results(deseq.ResultsOptions{})
			if err != nil {
				return "", err
			}
			return fmt.Sprintf(" padj<0.1=%d", countBelow(res.Padj, 0.1)), nil
		})
		emitFn("deseq_timepoint/"+shape, m, err)
	}
	if steps["deseq_paired"] {
		Xp, err := design.ModelMatrix("~ patient + timepoint", fr)
		if err != nil {
			return err
		}
		m, err := measure(func() (string, error) {
			fit, err := deseq.Run(counts, Xp.X, Xp.Columns, deseq.Options{Workers: workers})
			if err != nil {
				return "", err
			}
			res, err := fit.Results(deseq.ResultsOptions{})
			if err != nil {
				return "", err
			}
			return fmt.Sprintf(" coef=%d padj<0.1=%d", len(Xp.Columns), countBelow(res.Padj, 0.1)), nil
		})
		emitFn("deseq_paired/"+shape, m, err)
	}
	if steps["voom"] {
		m, err := measure(func() (string, error) {
			_, err := limma.Voom(counts, Xt, &limma.VoomOptions{Workers: workers})
			return "", err
		})
		emitFn("voom/"+shape, m, err)
	}
	if steps["voom_dupcor"] {
		block := fr.Columns["patient"]
		m, err := measure(func() (string, error) {
			v, err := limma.Voom(counts, Xt, &limma.VoomOptions{Workers: workers})
			if err != nil {
				return "", err
			}
			dc, err := limma.DuplicateCorrelation(v.E, Xt, block, &limma.DupCorOptions{Weights: v.Weights, Workers: workers})
			if err != nil {
				return "", err
			}
			fit, err := limma.LmFit(v.E, Xt, &limma.LmOptions{Weights: v.Weights, Block: block, Correlation: dc.Consensus, Workers: workers})
			if err != nil {
				return "", err
			}
			if _, err := limma.EBayes(fit, nil); err != nil {
				return "", err
			}
			return fmt.Sprintf(" consensus=%.6f", dc.Consensus), nil
		})
		emitFn("voom_dupcor/"+shape, m, err)
	}
	if steps["gsva"] || steps["ssgsea"] {
		b, err := os.ReadFile(filepath.Join(dir, "sets.gmt"))
		if err != nil {
			return err
		}
		sets, err := geneset.ReadGMT("sets.gmt", bytes.NewReader(b))
		if err != nil {
			return err
		}
		expr := log2p1(counts)
		for _, meth := range []geneset.Method{geneset.GSVA, geneset.SSGSEA} {
			name := "gsva"
			if meth == geneset.SSGSEA {
				name = "ssgsea"
			}
			if !steps[name] {
				continue
			}
			opt := geneset.DefaultOptions(meth)
			opt.Workers = workers
			m, err := measure(func() (string, error) {
				sc, err := geneset.Score(expr, sets, opt)
				if err != nil {
					return "", err
				}
				return fmt.Sprintf(" sets=%d", sc.Matrix.Rows()), nil
			})
			emitFn(name+"/"+shape, m, err)
		}
	}
	return nil
}

func countBelow(x []float64, t float64) int {
	k := 0
	for _, v := range x {
		if v < t {
			k++
		}
	}
	return k
}

func runParse(dir string) error {
	matches, _ := filepath.Glob(filepath.Join(dir, "parse_*.tsv"))
	for _, path := range matches {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		shape := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(path), "parse_"), ".tsv")
		if warmup {
			head := b
			if k := nthNewline(b, 2000); k > 0 {
				head = b[:k+1]
			}
			if _, err := ingest.ReadAny("warmup.tsv", bytes.NewReader(head), ingest.Options{Kind: ingest.WantCounts, Transpose: -1}); err != nil {
				return err
			}
		}
		m, err := measure(func() (string, error) {
			ld, err := ingest.ReadAny(filepath.Base(path), bytes.NewReader(b), ingest.Options{Kind: ingest.WantCounts, Transpose: -1})
			if err != nil {
				return "", err
			}
			return fmt.Sprintf(" MB=%.1f rows=%d", float64(len(b))/1e6, ld.Matrix.Rows()), nil
		})
		if err == nil {
			m.extra += fmt.Sprintf(" MBps=%.1f", float64(len(b))/1e6/m.wall)
		}
		emit("parse/"+shape, m, err)
	}
	return nil
}

// nthNewline is the index of the n-th '\n' of b, or -1.
func nthNewline(b []byte, n int) int {
	off := 0
	for i := 0; i < n; i++ {
		k := bytes.IndexByte(b[off:], '\n')
		if k < 0 {
			return -1
		}
		off += k + 1
	}
	return off - 1
}

func main() {
	dir := flag.String("data", "bench/out/data", "folder written by bench/gen")
	ns := flag.String("n", "12,100,285,1000", "sample counts to run")
	stepList := flag.String("steps", "parse,"+strings.Join(allSteps, ","), "steps to run")
	workers := flag.Int("workers", 1, "workers of the gene-wise loops (0: GOMAXPROCS)")
	paired := flag.String("paired-n", "", "sample counts for deseq_paired (default: all of -n)")
	flag.BoolVar(&warmup, "warmup", true, "run every step once on 500 genes (2000 lines for parse) before timing")
	flag.Parse()
	steps := map[string]bool{}
	for _, s := range strings.Split(*stepList, ",") {
		if s = strings.TrimSpace(s); s != "" {
			steps[s] = true
		}
	}
	pairedOK := map[string]bool{}
	for _, s := range strings.Split(*paired, ",") {
		pairedOK[strings.TrimSpace(s)] = true
	}
	status := 0
	if steps["parse"] {
		if err := runParse(*dir); err != nil {
			fmt.Fprintln(os.Stderr, "parse:", err)
			status = 1
		}
	}
	for _, f := range strings.Split(*ns, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil {
			fmt.Fprintf(os.Stderr, "bad -n entry %q\n", f)
			os.Exit(2)
		}
		st := map[string]bool{}
		for k, v := range steps {
			st[k] = v
		}
		if *paired != "" && !pairedOK[f] {
			st["deseq_paired"] = false
		}
		if err := runShape(*dir, n, *workers, st); err != nil {
			fmt.Fprintf(os.Stderr, "n=%d: %v\n", n, err)
			status = 1
		}
	}
	os.Exit(status)
}
