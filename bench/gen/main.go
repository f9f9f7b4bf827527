// Command gen writes the seeded benchmark data sets shared by the Go harness
// (bench/cmd) and the R scripts (bench/R), so that both sides analyse exactly
// the same numbers:
//
//	counts_<n>.tsv   genes x n negative binomial counts (gene_id + samples)
//	samples_<n>.tsv  sample, patient, timepoint (pre/post)
//	sets.gmt         50 gene sets of 32-200 genes (Hallmark-sized)
//	parse_60000x300.tsv  a 60,000 x 300 integer count table for parsing
//
// Usage: gen -out DIR [-genes 20000] [-n 12,100,285,1000] [-parse-genes 60000] [-parse-samples 300] [-sets=false]
//
// Sample sheets follow the study's shape: for n samples about 129/285 of n
// patients, 43/285 of n post-treatment biopsies (one per patient, the first
// patients), and the pre-treatment biopsies spread one per patient, then a
// second one for the first patients (two pre-treatment biopsies, the
// duplicateCorrelation case). For n <= 12 the sheet is n/2 patients with one
// pre and one post biopsy each.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// Sheet is one simulated sample sheet.
type Sheet struct {
	Sample, Patient, Timepoint []string
	pat                        []int // patient index
	post                       []bool
}

// MakeSheet returns the sample sheet for n samples (see the package comment).
func MakeSheet(n int) (*Sheet, error) {
	if n < 4 {
		return nil, fmt.Errorf("need at least 4 samples, got %d", n)
	}
	var npat, npost int
	if n <= 12 {
		npat, npost = n/2, n/2
	} else {
		npat = int(math.Round(float64(n) * 129 / 285))
		npost = int(math.Round(float64(n) * 43 / 285))
	}
	npre := n - npost
	if npre < npat || npre > 2*npat || npost > npat {
		return nil, fmt.Errorf("no sheet for n=%d", n)
	}
	s := &Sheet{}
	add := func(p int, post bool) {
		j := len(s.Sample)
		s.Sample = append(s.Sample, fmt.Sprintf("S%04d", j+1))
		s.Patient = append(s.Patient, fmt.Sprintf("P%03d", p+1))
		tp := "pre"
		if post {
			tp = "post"
		}
		s.Timepoint = append(s.Timepoint, tp)
		s.pat = append(s.pat, p)
		s.post = append(s.post, post)
	}
	for p := 0; p < npat; p++ {
		add(p, false)
		if p < npre-npat {
			add(p, false)
		}
		if p < npost {
			add(p, true)
		}
	}
	return s, nil
}

// writeCounts draws genes x n gamma-Poisson counts: base mean exp(3.5 + 2 z),
// dispersion (0.04 + 2/base)·exp(0.5 z), random size factors, a gene-wise
// patient effect (log scale, sd 0.4, shared by a patient's biopsies) and for 10% of genes a post-treatment log2 fold
// change of 1.5 z.
func writeCounts(path string, genes int, s *Sheet, seed uint64) error {
	n := len(s.Sample)
	src := rand.NewPCG(seed, uint64(n))
	rng := rand.New(src)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("gene_id")
	for _, x := range s.Sample {
		w.WriteByte('\t')
		w.WriteString(x)
	}
	w.WriteByte('\n')
	sf := make([]float64, n)
	for j := range sf {
		sf[j] = math.Exp(rng.Float64() - 0.5)
	}
	npat := 0
	for _, p := range s.pat {
		npat = max(npat, p+1)
	}
	pe := make([]float64, npat)
	var num []byte
	for g := 0; g < genes; g++ {
		base := math.Exp(3.5 + 2*rng.NormFloat64())
		disp := (0.04 + 2/base) * math.Exp(0.5*rng.NormFloat64())
		lfc := 0.0
		if rng.Float64() < 0.1 {
			lfc = 1.5 * rng.NormFloat64()
		}
		for i := range pe {
			pe[i] = 0.4 * rng.NormFloat64()
		}
		w.WriteString(geneName(g))
		for j := 0; j < n; j++ {
			mu := sf[j] * base * math.Exp(pe[s.pat[j]])
			if s.post[j] {
				mu *= math.Exp2(lfc)
			}
			ga := distuv.Gamma{Alpha: 1 / disp, Beta: 1 / (disp * mu), Src: src}
			lam := ga.Rand()
			v := 0.0
			if lam > 0 {
				v = distuv.Poisson{Lambda: lam, Src: src}.Rand()
			}
			if v > 2e9 {
				v = 2e9
			}
			num = strconv.AppendInt(num[:0], int64(v), 10)
			w.WriteByte('\t')
			w.Write(num)
		}
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func geneName(g int) string { return fmt.Sprintf("GENE%05d", g+1) }

func writeSheet(path string, s *Sheet) error {
	var b strings.Builder
	b.WriteString("sample\tpatient\ttimepoint\n")
	for j := range s.Sample {
		fmt.Fprintf(&b, "%s\t%s\t%s\n", s.Sample[j], s.Patient[j], s.Timepoint[j])
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// writeGMT writes nsets sets of 32..200 distinct genes drawn from the first
// genes genes.
func writeGMT(path string, genes, nsets int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 7))
	var b strings.Builder
	for i := 0; i < nsets; i++ {
		size := min(32+rng.IntN(169), genes)
		fmt.Fprintf(&b, "SET_%02d\tsimulated", i+1)
		for _, g := range rng.Perm(genes)[:size] {
			b.WriteByte('\t')
			b.WriteString(geneName(g))
		}
		b.WriteByte('\n')
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// writeParse writes a genes x samples integer table like featureCounts output
// collapsed to one count column per sample (many zeros and small numbers).
func writeParse(path string, genes, samples int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 3))
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("gene_id")
	for s := 0; s < samples; s++ {
		fmt.Fprintf(w, "\tS%d", s+1)
	}
	w.WriteByte('\n')
	var num []byte
	for g := 0; g < genes; g++ {
		fmt.Fprintf(w, "ENSG%011d.1", g+1)
		mean := rng.ExpFloat64() * 300
		for s := 0; s < samples; s++ {
			num = strconv.AppendInt(num[:0], int64(mean*rng.ExpFloat64()), 10)
			w.WriteByte('\t')
			w.Write(num)
		}
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("bad sample count %q", f)
		}
		out = append(out, v)
	}
	return out, nil
}

func run() error {
	out := flag.String("out", "bench/out/data", "output folder")
	genes := flag.Int("genes", 20000, "genes of the count matrices")
	ns := flag.String("n", "12,100,285,1000", "sample counts, comma-separated")
	pg := flag.Int("parse-genes", 60000, "rows of the parsing table (0: none)")
	ps := flag.Int("parse-samples", 300, "columns of the parsing table")
	gmt := flag.Bool("sets", true, "write sets.gmt")
	flag.Parse()
	sizes, err := parseInts(*ns)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, n := range sizes {
		s, err := MakeSheet(n)
		if err != nil {
			return err
		}
		if err := writeSheet(filepath.Join(*out, fmt.Sprintf("samples_%d.tsv", n)), s); err != nil {
			return err
		}
		if err := writeCounts(filepath.Join(*out, fmt.Sprintf("counts_%d.tsv", n)), *genes, s, 20261129); err != nil {
			return err
		}
	}
	if *gmt {
		if err := writeGMT(filepath.Join(*out, "sets.gmt"), *genes, 50, 11); err != nil {
			return err
		}
	}
	if *pg > 0 {
		if err := writeParse(filepath.Join(*out, fmt.Sprintf("parse_%dx%d.tsv", *pg, *ps)), *pg, *ps, 60); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
