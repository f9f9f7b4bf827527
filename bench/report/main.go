// Command report joins the benchmark lines of every side (bench/cmd natively
// with one and with several workers, bench/cmd under wasm, bench/R) into the
// table of speed-ups (R time / our time) against the goals of issue 11, prints
// it and writes bench/RESULTS.md with the machine description gathered by
// run.sh.
//
// Usage: report -out bench/out -md bench/RESULTS.md
//
// Inputs in -out: results/go1.txt, results/go2.txt, results/wasm.txt,
// results/R.txt (lines `name seconds [key=value ...]`, NA for a failure),
// machine.txt (free text, written verbatim) and notes.txt (one note a line).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Line is one parsed benchmark line.
type Line struct {
	Name  string
	Wall  float64 // NaN for NA
	Extra map[string]string
}

// Num returns a numeric key=value field or NaN.
func (l *Line) Num(key string) float64 {
	if l == nil {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(l.Extra[key], 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// Parse reads benchmark lines; other lines (messages) are ignored. A later
// line of the same name replaces an earlier one, except that an estimate
// (extrapolated=) never replaces a full measurement.
func Parse(r io.Reader) map[string]*Line {
	out := map[string]*Line{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || !strings.Contains(f[0], "/") {
			continue
		}
		w, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			if f[1] != "NA" {
				continue
			}
			w = math.NaN()
		}
		l := &Line{Name: f[0], Wall: w, Extra: map[string]string{}}
		for _, kv := range f[2:] {
			if k, v, ok := strings.Cut(kv, "="); ok {
				l.Extra[k] = v
			}
		}
		// A measurement of the full shape is kept over an estimate from a
		// gene subset whatever their order in the file.
		if old := out[f[0]]; old != nil && old.Extra["extrapolated"] == "" && !math.IsNaN(old.Wall) && l.Extra["extrapolated"] != "" {
			continue
		}
		out[f[0]] = l
	}
	return out
}

var sides = []string{"R", "go1", "go2", "wasm", "browser"}

var stepOrder = []string{"parse", "deseq_timepoint", "deseq_paired", "voom", "voom_dupcor", "gsva", "ssgsea", "example_analysis"}

// goal is a target of issue 11 on one row.
type goal struct {
	side string  // go1, go2, wasm or browser
	min  float64 // speed-up (R/ours), MB/s for parse; for example_analysis the most seconds
	text string
}

var goals = map[string][]goal{
	"deseq_timepoint/20000x285":  {{"go1", 20, ">= 20x R natively on one core"}, {"browser", 5, ">= 5x R in the browser on 2 cores (Chromium, 2 engine workers)"}},
	"voom/20000x285":             {{"go1", 20, ">= 20x limma's voom natively (issue 4), one core"}, {"go2", 20, ">= 20x limma's voom natively (issue 4), all cores as the CLI runs it (wall)"}},
	"example_analysis/20000x285": {{"browser", 30, "the whole example analysis in the browser under 30 s on 2 cores"}},
	"voom_dupcor/20000x285":      {{"go1", 50, ">= 50x limma natively"}},
	"gsva/20000x285":             {{"go1", 10, ">= 10x GSVA natively"}},
	"parse/60000x300":            {{"go1", 150, ">= 150 MB/s natively"}, {"wasm", 60, ">= 60 MB/s in wasm"}},
}

func key(name string) (int, int, int) {
	step, shape, _ := strings.Cut(name, "/")
	si := len(stepOrder)
	for i, s := range stepOrder {
		if s == step {
			si = i
		}
	}
	g, n, _ := strings.Cut(shape, "x")
	gi, _ := strconv.Atoi(g)
	ni, _ := strconv.Atoi(n)
	return ni, si, gi
}

func fmtSec(l *Line) string {
	if l == nil {
		return "-"
	}
	if math.IsNaN(l.Wall) {
		return "NA"
	}
	s := fmt.Sprintf("%.3g", l.Wall)
	if l.Wall >= 1000 {
		s = fmt.Sprintf("%.0f", l.Wall)
	}
	if l.Extra["extrapolated"] != "" {
		s = "~" + s
	}
	return s
}

func ratio(a, b float64) string {
	if math.IsNaN(a) || math.IsNaN(b) || b <= 0 || a < 0 {
		return "-"
	}
	r := a / b
	if r >= 100 {
		return fmt.Sprintf("%.0fx", r)
	}
	return fmt.Sprintf("%.3gx", r)
}

func wall(l *Line) float64 {
	if l == nil {
		return math.NaN()
	}
	return l.Wall
}

// Render writes the markdown tables.
func Render(w io.Writer, res map[string]map[string]*Line) {
	names := map[string]bool{}
	for _, m := range res {
		for n := range m {
			names[n] = true
		}
	}
	list := make([]string, 0, len(names))
	for n := range names {
		list = append(list, n)
	}
	sort.Slice(list, func(i, j int) bool {
		a1, a2, a3 := key(list[i])
		b1, b2, b3 := key(list[j])
		if a1 != b1 {
			return a1 < b1
		}
		if a2 != b2 {
			return a2 < b2
		}
		if a3 != b3 {
			return a3 < b3
		}
		return list[i] < list[j]
	})
	fmt.Fprintln(w, "| step / genes x samples | R s | Go 1 worker s | Go 2 workers s | wasm s | browser s | R/Go1 wall | R/Go1 CPU | R/Go2 wall | R/wasm wall | R/browser wall | Go1 heap MB | wasm mem MB | R heap MB |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, n := range list {
		r, g1, g2, wa, br := res["R"][n], res["go1"][n], res["go2"][n], res["wasm"][n], res["browser"][n]
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", n,
			fmtSec(r), fmtSec(g1), fmtSec(g2), fmtSec(wa), fmtSec(br),
			ratio(wall(r), wall(g1)), ratio(r.Num("cpu"), g1.Num("cpu")),
			ratio(wall(r), wall(g2)), ratio(wall(r), wall(wa)), ratio(wall(r), wall(br)),
			fmtNum(g1.Num("heapMB")), fmtNum(wa.Num("sysMB")), fmtNum(r.Num("heapMB")))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Goals of issue 11 (speed-up = R time / our time in this run; parse in MB/s):")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| row | goal | measured (wall) | measured (CPU) | met |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	gk := make([]string, 0, len(goals))
	for k := range goals {
		gk = append(gk, k)
	}
	sort.Strings(gk)
	for _, n := range gk {
		for _, g := range goals[n] {
			ours := res[g.side][n]
			var mw, mc float64
			unit := "x"
			if strings.HasPrefix(n, "example_analysis/") {
				// An absolute goal: seconds, the fewer the better.
				mw, mc = wall(ours), math.NaN()
				met := "no data"
				if !math.IsNaN(mw) {
					met = "no"
					if mw < g.min {
						met = "yes"
					}
				}
				fmt.Fprintf(w, "| %s (%s) | %s | %s | - | %s |\n", n, g.side, g.text, fmtRatio(mw, " s"), met)
				continue
			}
			if strings.HasPrefix(n, "parse/") {
				unit = " MB/s"
				mw = ours.Num("MBps")
				if c := ours.Num("cpu"); c > 0 {
					mc = ours.Num("MB") / c
				} else {
					mc = math.NaN()
				}
			} else {
				r := res["R"][n]
				mw = wall(r) / wall(ours)
				mc = r.Num("cpu") / ours.Num("cpu")
				if g.side == "go2" {
					// Two busy cores: our CPU time counts both, R's one; the
					// goal is about elapsed time.
					mc = math.NaN()
				}
			}
			// On a shared machine a process can wait for a CPU, which inflates its
			// wall time: where both sides have CPU times, a goal is met only when
			// both ratios meet it.
			met := "no data"
			if !math.IsNaN(mw) && !math.IsInf(mw, 0) {
				hasCPU := !math.IsNaN(mc) && !math.IsInf(mc, 0)
				switch {
				case mw >= g.min && (!hasCPU || mc >= g.min):
					met = "yes"
				case mw >= g.min:
					met = "wall only"
				case hasCPU && mc >= g.min:
					met = "CPU only"
				default:
					met = "no"
				}
			}
			fmt.Fprintf(w, "| %s (%s) | %s | %s | %s | %s |\n", n, g.side, g.text, fmtRatio(mw, unit), fmtRatio(mc, unit), met)
		}
	}
}

func fmtNum(v float64) string {
	if math.IsNaN(v) || v < 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", v)
}

func fmtRatio(v float64, unit string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return "-"
	}
	return fmt.Sprintf("%.3g%s", v, unit)
}

func main() {
	out := flag.String("out", "bench/out", "folder of run.sh's outputs")
	md := flag.String("md", "bench/RESULTS.md", "markdown file to write (empty: none)")
	flag.Parse()
	res := map[string]map[string]*Line{}
	for _, s := range sides {
		res[s] = map[string]*Line{}
		f, err := os.Open(filepath.Join(*out, "results", s+".txt"))
		if err != nil {
			continue
		}
		res[s] = Parse(f)
		f.Close()
	}
	var tab strings.Builder
	Render(&tab, res)
	fmt.Print(tab.String())
	if *md == "" {
		return
	}
	machine, _ := os.ReadFile(filepath.Join(*out, "machine.txt"))
	notes, _ := os.ReadFile(filepath.Join(*out, "notes.txt"))
	var b strings.Builder
	b.WriteString("# her2het benchmarks against R (issue 11)\n\n")
	b.WriteString("Written by `bench/run.sh` (called by `./build.sh bench`). Every number below comes from ONE run on ONE machine: ")
	b.WriteString("ours/R ratios measured in the same run are what counts, not the absolute seconds. ")
	b.WriteString("Wall = elapsed time; CPU = user+system time of the process (R: proc.time; Go: getrusage), the more robust ")
	b.WriteString("measure when the machine is shared. `~` marks an R time measured on the first genes of the data and scaled ")
	b.WriteString("to all genes (shapes that would take R more than ~15 minutes), `-` a step not run, NA a failure.\n\n")
	b.WriteString("Steps: parse = ingest.ReadAny from memory vs read.delim; deseq_timepoint = DESeq() + results() with `~ timepoint`; ")
	b.WriteString("deseq_paired = `~ patient + timepoint`; voom = voom() alone; voom_dupcor = voom + duplicateCorrelation (block = patient) + ")
	b.WriteString("lmFit(block, correlation) + eBayes; gsva = GSVA Gaussian, 50 sets of 32-200 genes, on log2(count+1); ssgsea = ssGSEA on the same. ")
	b.WriteString("Go 1 worker = Workers: 1, Go 2 workers = Workers: 2 (native goroutines); wasm = GOOS=js GOARCH=wasm under Node, one instance ")
	b.WriteString("(Go's wasm is single-threaded); browser = the app in headless Chromium with two engine workers (e2e TestBrowserBench: ")
	b.WriteString("DESeq2 and voom from the DE builder, from the click to the result on the page; example_analysis = load, Analyse and report of the ")
	b.WriteString("built-in example cohort). Heap: Go peak HeapAlloc sampled every 2 ms; ")
	b.WriteString("wasm = MemStats.Sys (linear memory high-water mark); R = gc() max used.\n\n")
	b.WriteString("## Results\n\n")
	b.WriteString(tab.String())
	if len(notes) > 0 {
		b.WriteString("\n## Notes\n\n")
		for _, l := range strings.Split(strings.TrimSpace(string(notes)), "\n") {
			b.WriteString("- " + l + "\n")
		}
	}
	b.WriteString("\n## Machine\n\n```\n")
	b.Write(machine)
	b.WriteString("```\n")
	if err := os.WriteFile(*md, []byte(b.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}
