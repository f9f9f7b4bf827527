package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/her2het/her2het/core/demo"
)

func init() {
	register(&command{
		name:    "demo",
		summary: "write the built-in synthetic example cohort (counts, sample sheet, per-cell FISH, GeoMx-like spatial)",
		usage:   "--out DIR [--seed N] [--genes N]",
		run:     runDemo,
	})
}

func runDemo(args []string, stdout, stderr io.Writer) error {
	c := commands["demo"]
	fs := newFlags(c, stderr)
	out := fs.String("out", "", "folder to write the files to (created if missing; existing files of the same names are replaced)")
	seed := fs.Uint64("seed", demo.DefaultSeed, "random seed: the same seed always gives the same bytes")
	genes := fs.Int("genes", demo.DefaultGenes, "number of genes (2000-60000)")
	if err := parseFlags(c, fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *out == "" {
		return usagef("--out DIR is required")
	}
	if *seed == 0 {
		return usagef("--seed must be a positive integer")
	}
	if *genes < 2000 || *genes > 60000 {
		return usagef("--genes must be between 2000 and 60000, got %d", *genes)
	}
	co, err := demo.Generate(demo.Options{Seed: *seed, Genes: *genes, Workers: 2})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("%s: cannot create the folder: %v", *out, err)
	}
	for _, f := range co.Files() {
		p := filepath.Join(*out, f.Name)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return fmt.Errorf("%s: cannot write: %v", p, err)
		}
		fmt.Fprintf(stdout, "%s\t%d bytes\n", p, len(f.Data))
	}
	fmt.Fprintf(stdout, "synthetic demo cohort (seed %d): %d patients, %d samples, %d genes; see %s\n",
		*seed, len(co.Patients), len(co.Samples), len(co.Genes), filepath.Join(*out, demo.FileReadme))
	return nil
}
