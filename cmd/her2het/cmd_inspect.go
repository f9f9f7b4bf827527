package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/genemap"
	"github.com/her2het/her2het/core/ingest"
)

func init() {
	register(&command{
		name:    "inspect",
		summary: "show what her2het detects in input files (format, orientation, dimensions, IDs, warnings)",
		usage:   "[--counts] [--tx2gene FILE] [--cfa no|scaledTPM|lengthScaledTPM] [--star-column N] [--no-map] FILE...",
		run:     runInspect,
	})
}

func runInspect(args []string, stdout, stderr io.Writer) error {
	c := commands["inspect"]
	fs := newFlags(c, stderr)
	counts := fs.Bool("counts", false, "require raw counts (reject any value a count model cannot take)")
	expr := fs.Bool("expression", false, "load numbers as expression values (NA allowed)")
	tx2gene := fs.String("tx2gene", "", "transcript-to-gene table (CSV/TSV) for Salmon/kallisto files")
	cfa := fs.String("cfa", "no", "tximport countsFromAbundance: no, scaledTPM or lengthScaledTPM")
	star := fs.Int("star-column", 0, "STAR ReadsPerGene column (2 unstranded, 3, 4; 0 = suggested)")
	noMap := fs.Bool("no-map", false, "do not resolve gene identifiers against the embedded human gene table")
	if err := parseFlags(c, fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("needs at least one FILE")
	}
	if *counts && *expr {
		return usagef("--counts and --expression exclude each other")
	}
	opts := ingest.Options{STARColumn: *star}
	switch {
	case *counts:
		opts.Kind = ingest.WantCounts
	case *expr:
		opts.Kind = ingest.WantExpression
	}
	switch *cfa {
	case "no":
	case "scaledTPM":
		opts.CountsFromAbundance = ingest.CFAScaledTPM
	case "lengthScaledTPM":
		opts.CountsFromAbundance = ingest.CFALengthScaledTPM
	default:
		return usagef("--cfa must be no, scaledTPM or lengthScaledTPM, got %q", *cfa)
	}
	if *star != 0 && (*star < 2 || *star > 4) {
		return usagef("--star-column must be 2, 3 or 4, got %d", *star)
	}
	if !*noMap {
		opts.Genes = genemap.Default()
	}
	if *tx2gene != "" {
		f, err := os.Open(*tx2gene)
		if err != nil {
			return fmt.Errorf("%s:0:0: %v", *tx2gene, errText(err))
		}
		defer f.Close()
		ld, err := ingest.ReadAny(*tx2gene, f, ingest.Options{Format: ingest.FormatTx2Gene})
		if err != nil {
			return err
		}
		opts.Tx2Gene = ld.Tx2Gene
	}
	var sheet, matrix *ingest.Loaded
	for i, name := range fs.Args() {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		ld, err := inspectOne(name, opts, stdout)
		if err != nil {
			return err
		}
		if ld.Sheet != nil && sheet == nil {
			sheet = ld
		}
		if ld.Matrix != nil && matrix == nil {
			matrix = ld
		}
	}
	if sheet != nil && matrix != nil {
		r := ingest.MatchSamples(sheet.Sheet, matrix.Matrix, sheet.Name, matrix.Name)
		fmt.Fprintf(stdout, "\nsamples: %s (%d) against %s (%d)\n", sheet.Name, len(sheet.Sheet.Samples), matrix.Name, matrix.Matrix.Cols())
		if len(r.Warnings) == 0 {
			fmt.Fprintf(stdout, "  every sample is in both files\n")
		}
		for _, x := range r.Warnings {
			fmt.Fprintf(stdout, "  warning: %s\n", x)
		}
	}
	return nil
}

func errText(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

func inspectOne(name string, opts ingest.Options, w io.Writer) (*ingest.Loaded, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("%s:0:0: %v", name, errText(err))
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil {
		if st.IsDir() {
			return nil, fmt.Errorf("%s:0:0: is a folder; give the files in it", name)
		}
		opts.SizeHint = st.Size()
	}
	ld, err := ingest.ReadAny(name, f, opts)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "%s\n  format: %s\n", name, ld.Format)
	if m := ld.Matrix; m != nil {
		orient := "genes x samples"
		if ld.Transposed {
			orient = "samples x genes (transposed)"
		}
		fmt.Fprintf(w, "  orientation: %s\n  dimensions: %d genes x %d samples\n  values: %s\n  gene IDs: %s\n",
			orient, m.Rows(), m.Cols(), m.Kind, ld.IDType)
		fmt.Fprintf(w, "  samples: %s\n", preview(m.Samples, 8))
		fmt.Fprintf(w, "  genes: %s\n", preview(m.Genes, 5))
		if len(ld.Annotations) > 0 {
			var names []string
			for _, a := range ld.Annotations {
				names = append(names, a.Name)
			}
			fmt.Fprintf(w, "  annotation columns: %s\n", strings.Join(names, ", "))
		}
		if ld.Tx != nil {
			fmt.Fprintf(w, "  tximport: counts, abundance (TPM) and length kept; countsFromAbundance=%s\n", ld.Tx.CountsFromAbundance)
		}
	}
	if s := ld.Sheet; s != nil {
		fmt.Fprintf(w, "  samples: %d\n  columns:\n", len(s.Samples))
		for _, c := range s.Columns {
			fmt.Fprintf(w, "    %-24s %-10s %s\n", c.Name, c.Role, levelText(c))
		}
	}
	if t := ld.Tx2Gene; t != nil {
		genes := map[string]bool{}
		for _, g := range t.Gene {
			genes[g] = true
		}
		fmt.Fprintf(w, "  transcripts: %d, genes: %d\n", len(t.Tx), len(genes))
	}
	r := ld.Report
	fmt.Fprintf(w, "  excluded: %d rows, %d samples, %d genes; merged duplicate genes: %d; unmapped IDs: %d\n",
		r.ExcludedRows, r.ExcludedSamples, r.ExcludedGenes, r.MergedGenes, r.Unmapped)
	if len(r.SummaryRows) > 0 {
		keys := make([]string, 0, len(r.SummaryRows))
		for k := range r.SummaryRows {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s=%g", k, r.SummaryRows[k]))
		}
		fmt.Fprintf(w, "  summary rows removed: %s\n", strings.Join(parts, ", "))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	for _, x := range r.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", x)
	}
	return ld, nil
}

func levelText(c *dataset.SheetColumn) string {
	if len(c.Levels) > 8 || c.Role == dataset.RoleSample || c.Role == dataset.RolePatient {
		return fmt.Sprintf("%d distinct values", len(c.Levels))
	}
	var parts []string
	for _, l := range c.Levels {
		v := l.Value
		if v == "" {
			v = "NA"
		}
		parts = append(parts, fmt.Sprintf("%s (%d)", v, l.N))
	}
	return strings.Join(parts, ", ")
}

func preview(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:n], ", ") + fmt.Sprintf(", ... (%d in all)", len(xs))
}
