package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/genemap"
	"github.com/her2het/her2het/core/ingest"
	"github.com/her2het/her2het/core/norm"
	"github.com/her2het/her2het/core/refdata"
)

func init() {
	register(&command{
		name:    "refdata",
		summary: "list the embedded reference collections (gene sets, PAM50, PROGENy) with citations and licences",
		usage:   "--list  |  --export ID [--ids symbol|entrez] [--out F.gmt]",
		run:     runRefdata,
	})
}

func runRefdata(args []string, stdout, stderr io.Writer) error {
	c := commands["refdata"]
	fs := newFlags(c, stderr)
	list := fs.Bool("list", false, "list the collections with version, citation and licence")
	export := fs.String("export", "", "write gene-set collection ID as a GMT file")
	ids := fs.String("ids", "symbol", "gene identifiers of --export: symbol (as published) or entrez")
	out := fs.String("out", "-", "output file for --export (- = standard output)")
	if err := parseFlags(c, fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *list == (*export != "") {
		return usagef("give exactly one of --list or --export ID")
	}
	if *list {
		w := bufio.NewWriter(stdout)
		for _, col := range refdata.Collections() {
			fmt.Fprintf(w, "%s\t%s, %d %s\n", col.ID, col.Name, col.NSets, map[string]string{"genesets": "sets", "pam50": "centroids", "progeny": "pathways"}[col.Kind])
			fmt.Fprintf(w, "\tversion:  %s\n\tcitation: %s\n\tlicence:  %s\n\turl:      %s\n", col.Version, col.Citation, col.Licence, col.URL)
		}
		fmt.Fprintf(w, "genemap\tHuman gene identifiers used to match genes (core/genemap)\n\tcitation: %s\n", genemap.Citation)
		return w.Flush()
	}
	col, ok := refdata.Lookup(*export)
	if !ok {
		var names []string
		for _, c := range refdata.Collections() {
			if c.Kind == "genesets" {
				names = append(names, c.ID)
			}
		}
		return usagef("--export: no collection %q (gene-set collections: %s)", *export, strings.Join(names, ", "))
	}
	if col.Kind != "genesets" {
		return usagef("--export: %s is not a gene-set collection", *export)
	}
	if *ids != "symbol" && *ids != "entrez" {
		return usagef("--ids must be symbol or entrez, got %q", *ids)
	}
	sets, err := refdata.GeneSets(*export)
	if err != nil {
		return err
	}
	return refWrite(*out, stdout, func(w *bufio.Writer) {
		for _, s := range sets {
			genes := s.Symbols
			if *ids == "entrez" {
				genes = nil
				for _, e := range s.Entrez {
					if e != "" {
						genes = append(genes, e)
					}
				}
			}
			fmt.Fprintf(w, "%s\t%s\t%s\n", s.Name, s.Description, strings.Join(genes, "\t"))
		}
	})
}

// refInput is the --expr / --counts / --norm trio of the reference-based
// score commands (pam50, progeny, immune).
type refInput struct{ expr, counts, norm *string }

func refInputFlags(fs *flag.FlagSet) refInput {
	return refInput{
		expr:   fs.String("expr", "", "genes x samples table of log-scale expression (TSV/CSV/GCT/xlsx, may be .gz)"),
		counts: fs.String("counts", "", "genes x samples raw counts instead of --expr, turned into log2-CPM (see --norm)"),
		norm:   fs.String("norm", "tmm", "with --counts: tmm (edgeR TMM factors, then cpm(log=TRUE, prior.count=2)) or none (log-CPM on raw library sizes)"),
	}
}

// load returns the expression matrix and the name of the file it came from.
func (in refInput) load() (*dataset.Matrix, string, error) {
	if (*in.expr == "") == (*in.counts == "") {
		return nil, "", usagef("give exactly one of --expr E or --counts C")
	}
	if *in.expr != "" {
		m, err := refReadExpr(*in.expr, ingest.WantExpression)
		return m, *in.expr, err
	}
	var meth norm.Method
	switch strings.ToLower(*in.norm) {
	case "tmm":
		meth = norm.TMM
	case "none":
		meth = norm.NoNorm
	default:
		return nil, "", usagef("--norm must be tmm or none, got %q", *in.norm)
	}
	c, err := refReadExpr(*in.counts, ingest.WantCounts)
	if err != nil {
		return nil, "", err
	}
	lib, err := norm.LibSizes(c)
	if err != nil {
		return nil, "", fmt.Errorf("%s:0:0: %v", *in.counts, err)
	}
	nf, err := norm.NormFactors(c, norm.NormOptions{Method: meth})
	if err != nil {
		return nil, "", fmt.Errorf("%s:0:0: %v", *in.counts, err)
	}
	m, err := norm.LogCPM(c, norm.EffectiveLibSizes(lib, nf), 2)
	if err != nil {
		return nil, "", fmt.Errorf("%s:0:0: %v", *in.counts, err)
	}
	return m, *in.counts, nil
}

// refReadExpr loads a genes x samples table (any format core/ingest reads).
func refReadExpr(path string, want ingest.Want) (*dataset.Matrix, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s:0:0: %v", path, refErrText(err))
	}
	defer f.Close()
	l, err := ingest.ReadAny(path, f, ingest.Options{Kind: want})
	if err != nil {
		return nil, err
	}
	if l.Matrix == nil {
		return nil, fmt.Errorf("%s:0:0: not a genes x samples matrix (read as %v)", path, l.Format)
	}
	if l.Matrix.Rows() == 0 || l.Matrix.Cols() == 0 {
		return nil, fmt.Errorf("%s:0:0: the expression matrix is empty", path)
	}
	return l.Matrix, nil
}

func refErrText(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// refWrite writes to path ("-" = stdout) through a buffered writer.
func refWrite(path string, stdout io.Writer, body func(w *bufio.Writer)) error {
	var w *bufio.Writer
	var f *os.File
	if path == "-" {
		w = bufio.NewWriter(stdout)
	} else {
		var err error
		if f, err = os.Create(path); err != nil {
			return fmt.Errorf("%s:0:0: cannot create: %v", path, refErrText(err))
		}
		w = bufio.NewWriter(f)
	}
	body(w)
	err := w.Flush()
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("%s:0:0: %v", path, err)
	}
	return nil
}

// refNum formats a number for TSV output: shortest exact form, NA for NaN.
func refNum(v float64) string {
	if math.IsNaN(v) {
		return "NA"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
