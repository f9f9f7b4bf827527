package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/genemap"
	"github.com/her2het/her2het/core/geneset"
	"github.com/her2het/her2het/core/ingest"
	"github.com/her2het/her2het/core/refdata"
)

func init() {
	register(&command{
		name:    "score",
		summary: "per-sample gene-set scores: GSVA, ssGSEA, z-score, PLAGE or singscore",
		usage:   "--expr E|--counts C --sets hallmark|reactome|wikipathways|...|FILE.gmt|FILE.gmx --method gsva|ssgsea|zscore|plage|singscore [--kcdf gaussian|poisson|none] --out F",
		run:     runScore,
	})
}

func runScore(args []string, stdout, stderr io.Writer) error {
	c := commands["score"]
	fs := newFlags(c, stderr)
	in := refInputFlags(fs)
	setsSpec := fs.String("sets", "", "gene sets: an embedded collection ID (see 'her2het refdata --list') or a .gmt/.gmx file")
	method := fs.String("method", "gsva", "gsva, ssgsea, zscore, plage or singscore")
	kcdf := fs.String("kcdf", "gaussian", "GSVA kernel: gaussian (log-scale data), poisson (raw counts; needs --counts) or none")
	mxDiff := fs.Bool("mx-diff", true, "GSVA mx.diff: ES = ES+ + ES- (true) or the larger deviation (false)")
	absRank := fs.Bool("abs-ranking", false, "GSVA abs.ranking (with --mx-diff)")
	tau := fs.Float64("tau", 0, "GSVA tau (default 1) or ssGSEA alpha (default 0.25)")
	noNorm := fs.Bool("no-norm", false, "ssGSEA: do not divide by the range of all scores (ssgsea.norm=FALSE)")
	minSize := fs.Int("min-size", 1, "leave out sets with fewer genes found")
	maxSize := fs.Int("max-size", 0, "leave out sets with more genes found (0 = no limit)")
	upDown := fs.Bool("updown", false, "singscore: score sets named X_UP with X_DN/X_DOWN together")
	noCenter := fs.Bool("no-center", false, "singscore: do not centre scores")
	dispOut := fs.String("dispersion", "", "singscore: also write the dispersions (MAD of ranks) to this file")
	workers := fs.Int("workers", 0, "goroutines (0 = all CPUs); results do not depend on it")
	out := fs.String("out", "", "output TSV: set, genes in set, genes found, then one column per sample (- = standard output)")
	if err := parseFlags(c, fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *out == "" || *setsSpec == "" {
		return usagef("--sets S and --out F are required")
	}
	meth, err := geneset.ParseMethod(*method)
	if err != nil {
		return usagef("--method: %v", err)
	}
	kern, err := geneset.ParseKernel(*kcdf)
	if err != nil {
		return usagef("--kcdf: %v", err)
	}
	if *upDown && meth != geneset.Singscore {
		return usagef("--updown needs --method singscore")
	}
	if *dispOut != "" && meth != geneset.Singscore {
		return usagef("--dispersion needs --method singscore")
	}
	var m *dataset.Matrix
	var src string
	if meth == geneset.GSVA && kern == geneset.Poisson {
		if *in.counts == "" || *in.expr != "" {
			return usagef("--kcdf poisson needs raw --counts C (not --expr)")
		}
		src = *in.counts
		if m, err = refReadExpr(src, ingest.WantCounts); err != nil {
			return err
		}
	} else if m, src, err = in.load(); err != nil {
		return err
	}
	sets, err := loadSets(*setsSpec, m.Genes)
	if err != nil {
		return err
	}
	opt := geneset.DefaultOptions(meth)
	opt.Kernel, opt.MaxDiff, opt.AbsRanking = kern, *mxDiff, *absRank
	if *tau != 0 {
		opt.Tau = *tau
	}
	opt.Normalize = !*noNorm
	opt.MinSize, opt.MaxSize, opt.Workers = *minSize, *maxSize, *workers

	if *upDown {
		pairs, rest := geneset.PairUpDown(sets)
		if len(pairs) == 0 {
			return fmt.Errorf("%s:0:0: --updown: no pair of sets named X_UP and X_DN (or X_DOWN)", *setsSpec)
		}
		if len(rest) > 0 {
			fmt.Fprintf(stderr, "score: %d sets without an up/down partner left out\n", len(rest))
		}
		r, err := geneset.SingscoreUpDown(m, pairs, geneset.SingscoreOptions{NoCenter: *noCenter, Workers: *workers})
		if err != nil {
			return fmt.Errorf("%s:0:0: %v", src, err)
		}
		if err := writeScores(*out, stdout, r.Total, func(i int) string {
			return fmt.Sprintf("%d\t%d", len(pairs[i].Up.Genes)+len(pairs[i].Down.Genes), r.FoundUp[i]+r.FoundDown[i])
		}); err != nil {
			return err
		}
		if *dispOut != "" {
			return writeScores(*dispOut, stdout, r.TotalDispersion, func(i int) string {
				return fmt.Sprintf("%d\t%d", len(pairs[i].Up.Genes)+len(pairs[i].Down.Genes), r.FoundUp[i]+r.FoundDown[i])
			})
		}
		return nil
	}

	var res *geneset.Scores
	if meth == geneset.Singscore && *noCenter {
		res, err = geneset.SingscoreSets(m, sets, geneset.SingscoreOptions{NoCenter: true, Workers: *workers})
	} else {
		res, err = geneset.Score(m, sets, opt)
	}
	if err != nil {
		return fmt.Errorf("%s:0:0: %v", src, err)
	}
	fmt.Fprintf(stderr, "score %s: %d genes used, %d sets scored, %d left out by size\n", meth, res.GenesUsed, res.Matrix.Rows(), len(res.Dropped))
	cols := func(i int) string { return fmt.Sprintf("%d\t%d", res.Size[i], res.Found[i]) }
	if err := writeScores(*out, stdout, res.Matrix, cols); err != nil {
		return err
	}
	if *dispOut != "" {
		return writeScores(*dispOut, stdout, res.Dispersion, cols)
	}
	return nil
}

// writeScores writes a sets x samples matrix with two count columns per row.
func writeScores(path string, stdout io.Writer, m *dataset.Matrix, counts func(i int) string) error {
	return refWrite(path, stdout, func(w *bufio.Writer) {
		fmt.Fprintf(w, "set\tn_genes\tn_found\t%s\n", strings.Join(m.Samples, "\t"))
		for i, name := range m.Genes {
			w.WriteString(name + "\t" + counts(i))
			for _, v := range m.Row(i) {
				w.WriteString("\t" + refNum(v))
			}
			w.WriteByte('\n')
		}
	})
}

// loadSets reads the gene sets named by spec (an embedded collection ID or a
// GMT/GMX file) and translates each gene to the identifier ids uses for it: an
// exact name first, else the first id resolving to the same NCBI gene through
// the gene map (so symbol sets match Entrez- or Ensembl-named data and old
// symbols their successors). Genes that match nothing are kept as given (they
// count as not found).
func loadSets(spec string, ids []string) ([]geneset.Set, error) {
	var sets []geneset.Set
	var entrez [][]string // per set and gene, "" if unknown
	if col, ok := refdata.Lookup(spec); ok && !fileExists(spec) {
		if col.Kind != "genesets" {
			return nil, usagef("--sets: %s is not a gene-set collection", spec)
		}
		gs, err := refdata.GeneSets(spec)
		if err != nil {
			return nil, err
		}
		for _, s := range gs {
			sets = append(sets, geneset.Set{Name: s.Name, Description: s.Description, Genes: s.Symbols})
			entrez = append(entrez, s.Entrez)
		}
	} else {
		f, err := os.Open(spec)
		if err != nil {
			var names []string
			for _, c := range refdata.Collections() {
				if c.Kind == "genesets" {
					names = append(names, c.ID)
				}
			}
			return nil, fmt.Errorf("%s:0:0: %v (not a file, nor an embedded collection: %s)", spec, refErrText(err), strings.Join(names, ", "))
		}
		defer f.Close()
		if strings.HasSuffix(strings.ToLower(spec), ".gmx") {
			sets, err = geneset.ReadGMX(spec, f)
		} else {
			sets, err = geneset.ReadGMT(spec, f)
		}
		if err != nil {
			return nil, err
		}
		gm := genemap.Default()
		for _, s := range sets {
			e := make([]string, len(s.Genes))
			for i, g := range s.Genes {
				if gene, _, ok := gm.Resolve(g); ok {
					e[i] = gene.Entrez
				}
			}
			entrez = append(entrez, e)
		}
	}
	exact := make(map[string]bool, len(ids))
	for _, id := range ids {
		exact[id] = true
	}
	mt := refdata.NewMatcher(ids, nil)
	for si := range sets {
		genes := make([]string, len(sets[si].Genes))
		for i, g := range sets[si].Genes {
			genes[i] = g
			if exact[g] {
				continue
			}
			if r := mt.Row(g, entrez[si][i]); r >= 0 {
				genes[i] = ids[r]
			}
		}
		sets[si].Genes = genes
	}
	return sets, nil
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}
