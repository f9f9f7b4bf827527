package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/her2het/her2het/core/gsea"
)

func init() {
	register(&command{
		name:    "gsea",
		summary: "preranked gene set enrichment (fgsea-style ES, NES, permutation p-values, leading edge)",
		usage:   "--ranks R --sets hallmark|...|FILE.gmt [--seed N] [--nperm 1000] --out F",
		run:     runGSEA,
	})
}

func runGSEA(args []string, stdout, stderr io.Writer) error {
	c := commands["gsea"]
	fs := newFlags(c, stderr)
	ranks := fs.String("ranks", "", "gene<TAB>statistic per line (.rnk); '#' comments and a header line are skipped")
	setsSpec := fs.String("sets", "", "gene sets: an embedded collection ID or a .gmt/.gmx file")
	seed := fs.Uint64("seed", 1, "seed of the random gene sets (fgsea's per-chunk seed; same seed, same numbers)")
	nperm := fs.Int("nperm", 1000, "permutations")
	minSize := fs.Int("min-size", 1, "leave out sets with fewer genes in the ranking")
	maxSize := fs.Int("max-size", 0, "leave out sets with more genes in the ranking (0 = number of genes - 1)")
	param := fs.Float64("gsea-param", 1, "weight exponent p of |statistic|^p")
	workers := fs.Int("workers", 0, "goroutines (0 = all CPUs); results do not depend on it")
	multilevel := fs.Bool("multilevel", false, "refine small p-values by adaptive multilevel splitting (fgseaMultilevel); adds log2err")
	eps := fs.Float64("eps", 1e-50, "with --multilevel: smallest p-value reported")
	curves := fs.String("curves", "", "also write the running-sum curves (pathway, x, y) to this file")
	out := fs.String("out", "", "output TSV (- = standard output)")
	if err := parseFlags(c, fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *ranks == "" || *setsSpec == "" || *out == "" {
		return usagef("--ranks R, --sets S and --out F are required")
	}
	if *seed > math.MaxUint32 {
		return usagef("--seed must be between 0 and %d", uint64(math.MaxUint32))
	}
	if !(*eps > 0 && *eps < 1) {
		return usagef("--eps must be between 0 and 1")
	}
	if *nperm < 1 {
		return usagef("--nperm must be positive")
	}
	if !(*param > 0) || math.IsInf(*param, 0) {
		return usagef("--gsea-param must be a finite number > 0")
	}
	genes, stats, err := readRanks(*ranks)
	if err != nil {
		return err
	}
	r, err := gsea.NewRanking(genes, stats)
	if err != nil {
		return fmt.Errorf("%s:0:0: %v", *ranks, err)
	}
	ties := 0
	for i := 1; i < len(r.Stats); i++ {
		if r.Stats[i] == r.Stats[i-1] {
			ties++
		}
	}
	if ties > 0 {
		fmt.Fprintf(stderr, "gsea: %d genes tie with the previous one in the ranking; tied genes keep their file order (as fgsea)\n", ties)
	}
	sets, err := loadSets(*setsSpec, r.Genes)
	if err != nil {
		return err
	}
	p := *param
	res, err := gsea.Run(r, sets, gsea.Options{MinSize: *minSize, MaxSize: *maxSize, NPerm: *nperm, Seed: uint32(*seed), GseaParam: p, Workers: *workers, Multilevel: *multilevel, Eps: *eps})
	if err != nil {
		return fmt.Errorf("%s:0:0: %v", *ranks, err)
	}
	fmt.Fprintf(stderr, "gsea: %d genes ranked, %d of %d sets tested, %d permutations, seed %d\n", len(genes), len(res), len(sets), *nperm, *seed)
	if err := refWrite(*out, stdout, func(w *bufio.Writer) {
		w.WriteString("pathway\tpval\tpadj\tlog2err\tES\tNES\tnMoreExtreme\tsize\tleadingEdge\n")
		for _, x := range res {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", x.Pathway, refNum(x.PValue), refNum(x.PAdj), refNum(x.Log2Err), refNum(x.ES), refNum(x.NES), x.NMoreExtreme, x.Size, strings.Join(x.LeadingEdge, ","))
		}
	}); err != nil {
		return err
	}
	if *curves == "" {
		return nil
	}
	byName := map[string]int{}
	for i, s := range sets {
		byName[s.Name] = i
	}
	return refWrite(*curves, stdout, func(w *bufio.Writer) {
		w.WriteString("pathway\tx\ty\n")
		for _, x := range res {
			for _, pt := range gsea.Curve(r, sets[byName[x.Pathway]], p) {
				fmt.Fprintf(w, "%s\t%d\t%s\n", x.Pathway, pt.X, refNum(pt.Y))
			}
		}
	})
}

// readRanks reads a .rnk-style file: gene and statistic in the first two
// tab-separated fields (spaces also separate when there is no tab).
func readRanks(path string) ([]string, []float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s:0:0: %v", path, refErrText(err))
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	var genes []string
	var stats []float64
	seen := map[string]int{}
	for line := 1; ; line++ {
		s, err := br.ReadString('\n')
		if err != nil && !(errors.Is(err, io.EOF) && s != "") {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, nil, fmt.Errorf("%s:%d:1: %v", path, line, err)
		}
		s = strings.TrimRight(s, "\r\n")
		if strings.TrimSpace(s) == "" || strings.HasPrefix(s, "#") {
			continue
		}
		var fields []string
		if strings.Contains(s, "\t") {
			fields = strings.Split(s, "\t")
		} else {
			fields = strings.Fields(s)
		}
		if len(fields) < 2 {
			return nil, nil, fmt.Errorf("%s:%d:1: expected a gene and a statistic separated by a tab", path, line)
		}
		g := strings.TrimSpace(fields[0])
		v, perr := strconv.ParseFloat(strings.TrimSpace(fields[1]), 64)
		if perr != nil {
			if len(genes) == 0 && len(seen) == 0 {
				seen[""] = line // header line
				continue
			}
			return nil, nil, fmt.Errorf("%s:%d:2: %q is not a number", path, line, fields[1])
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, nil, fmt.Errorf("%s:%d:2: the statistic must be finite, got %q", path, line, fields[1])
		}
		if g == "" {
			return nil, nil, fmt.Errorf("%s:%d:1: empty gene name", path, line)
		}
		if prev, dup := seen[g]; dup {
			return nil, nil, fmt.Errorf("%s:%d:1: gene %q already ranked on line %d", path, line, g, prev)
		}
		seen[g] = line
		genes = append(genes, g)
		stats = append(stats, v)
	}
	if len(genes) < 2 {
		return nil, nil, fmt.Errorf("%s:0:0: fewer than two ranked genes", path)
	}
	return genes, stats, nil
}
