package main

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/her2het/her2het/core/fish"
)

func init() {
	register(&command{
		name:    "fish",
		summary: "HER2 FISH: per-cell counts to ASCO/CAP groups, HER2-heterogeneity calls and copy-number measures",
		usage:   "--cells FILE|DIR [--pattern RE] [--channels ch00=CEP17,ch02=ERBB2,ch04=XY] [--rule ratio>=2] --out DIR  |  --cases FILE --out DIR",
		run:     runFish,
	})
}

func runFish(args []string, stdout, stderr io.Writer) error {
	c := commands["fish"]
	fs := newFlags(c, stderr)
	def := fish.DefaultOptions()
	cells := fs.String("cells", "", "per-cell table (TSV/CSV, may be .gz) or folder of per-channel spot-count files")
	cases := fs.String("cases", "", "per-area or per-case summary table (mean ERBB2, mean CEP17, ratio, % amplified, cells, IHC)")
	out := fs.String("out", "", "output folder (created if needed)")
	pattern := fs.String("pattern", fish.DefaultSpotPattern, "file-name pattern of spot-count files (Go regexp; named groups sample, channel; optional timepoint, site, core, image)")
	channels := fs.String("channels", fish.DefaultChannels, "channel map of spot-count files (CHANNEL=ERBB2|CEP17|XY, comma-separated)")
	rule := fs.String("rule", def.Rule.String(), "per-cell amplification rule: ratio>=X, ratio>X or erbb2>=X (e.g. ratio>2.2, erbb2>=6)")
	minNuclei := fs.Int("min-nuclei", def.MinNuclei, "evaluable nuclei an area needs to be called")
	hetLow := fs.Float64("het-low", def.HetLow, "an area is heterogeneous when het-low < % amplified < het-high")
	hetHigh := fs.Float64("het-high", def.HetHigh, "upper bound of a heterogeneous area's % amplified")
	negHet := fs.Bool("negative-het", def.NegativeIsHet, "a HER2-negative area (ASCO/CAP 2018 group 5) makes the tumour HET")
	ihcFile := fs.String("ihc", "", "table of HER2 IHC scores per sample (columns sample and IHC) for the final status of --cells data")
	timepoint := fs.String("timepoint", "", "timepoint of spot-count images whose file name has none (e.g. pre)")
	zero := fs.String("zero-cep17", "noratio", "nuclei without CEP17 signal: noratio (kept for copy number) or exclude")
	noSignal := fs.Bool("exclude-no-signal", false, "exclude nuclei with neither ERBB2 nor CEP17 signal")
	maxWarn := fs.Int("max-warnings", 40, "print at most this many warnings (all are kept in the tables and in warnings.txt)")
	if err := parseFlags(c, fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if (*cells == "") == (*cases == "") {
		return usagef("give exactly one of --cells or --cases")
	}
	if *out == "" {
		return usagef("--out DIR is required")
	}
	opts := def
	var err error
	if opts.Rule, err = fish.ParseCellRule(*rule); err != nil {
		return usagef("--rule: %v", err)
	}
	opts.MinNuclei, opts.HetLow, opts.HetHigh, opts.NegativeIsHet, opts.ExcludeNoSignal = *minNuclei, *hetLow, *hetHigh, *negHet, *noSignal
	switch strings.ToLower(*zero) {
	case "noratio", "no-ratio", "keep":
		opts.ZeroCEP17 = fish.ZeroCEP17NoRatio
	case "exclude":
		opts.ZeroCEP17 = fish.ZeroCEP17Exclude
	default:
		return usagef("--zero-cep17 must be noratio or exclude, got %q", *zero)
	}
	if err := opts.Validate(); err != nil {
		return usagef("%v", strings.TrimPrefix(err.Error(), "fish: "))
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("%s:0:0: cannot create output folder: %v", *out, err)
	}
	if *cases != "" {
		return fishCases(*cases, *out, opts, stdout, *maxWarn)
	}
	if *ihcFile != "" {
		rc, err := openMaybeGzip(*ihcFile)
		if err != nil {
			return err
		}
		opts.SampleIHC, err = fish.ReadIHC(rc, *ihcFile)
		rc.Close()
		if err != nil {
			return err
		}
	}
	info, err := os.Stat(*cells)
	if err != nil {
		return fmt.Errorf("%s:0:0: %v", *cells, errors.Unwrap(err))
	}
	var data []fish.Cell
	var warns []string
	source := ""
	if info.IsDir() {
		re, err := fish.CompileSpotPattern(*pattern)
		if err != nil {
			return usagef("--pattern: %v", err)
		}
		chans, err := fish.ParseChannels(*channels)
		if err != nil {
			return usagef("--channels: %v", err)
		}
		set, err := fish.ReadSpotCounts(os.DirFS(*cells), fish.SpotOptions{Pattern: re, Channels: chans, DefaultTimepoint: *timepoint})
		if err != nil {
			var pe *fish.ParseError
			if errors.As(err, &pe) {
				pe.File = filepath.Join(*cells, pe.File)
				return pe
			}
			return fmt.Errorf("%s:0:0: %v", *cells, err)
		}
		if len(set.Images) == 0 {
			return fmt.Errorf("%s:0:0: no file matches the spot-count pattern and channel map (%d files ignored)", *cells, len(set.Ignored))
		}
		data, warns = set.Cells, set.Warnings
		source = fmt.Sprintf("%d images (%d files ignored)", len(set.Images), len(set.Ignored))
	} else {
		data, err = readCellFile(*cells)
		if err != nil {
			return err
		}
		source = "1 table"
	}
	if len(data) == 0 {
		return fmt.Errorf("%s:0:0: no cells", *cells)
	}
	res, err := fish.Summarise(data, opts)
	if err != nil {
		return err
	}
	warns = append(warns, res.Warnings...)
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"cells.tsv", func(w io.Writer) error { return fish.WriteCells(w, data, res) }},
		{"areas.tsv", func(w io.Writer) error { return fish.WriteAreas(w, res) }},
		{"sites.tsv", func(w io.Writer) error { return fish.WriteSites(w, res) }},
		{"tumours.tsv", func(w io.Writer) error { return fish.WriteTumours(w, res) }},
		{"changes.tsv", func(w io.Writer) error { return fish.WriteChanges(w, res) }},
		{"warnings.txt", func(w io.Writer) error { return writeLines(w, warns) }},
	}
	for _, f := range files {
		if err := writeFile(filepath.Join(*out, f.name), f.write); err != nil {
			return err
		}
	}
	nHet, nCalled := 0, 0
	for _, t := range res.Tumours {
		if t.Het != fish.HetNA {
			nCalled++
		}
		if t.Het == fish.HetYes {
			nHet++
		}
	}
	printWarnings(stdout, warns, *maxWarn)
	for _, t := range res.Tumours {
		tp := t.Timepoint
		if tp == "" {
			tp = "NA"
		}
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%d/%d areas called\t%s\n", t.Sample, tp, t.Het, t.NCalled, t.NAreas, t.Reason)
	}
	fmt.Fprintf(stdout, "fish: %s, %d cells, %d areas, %d sites, %d tumours (%d called, %d HET), %d paired changes\n",
		source, len(data), len(res.Areas), len(res.Sites), len(res.Tumours), nCalled, nHet, len(res.Changes))
	fmt.Fprintf(stdout, "rule: %s\nwrote %s/{cells,areas,sites,tumours,changes}.tsv and warnings.txt\n", res.Rule, *out)
	return nil
}

func fishCases(path, out string, opts fish.Options, stdout io.Writer, maxWarn int) error {
	rc, err := openMaybeGzip(path)
	if err != nil {
		return err
	}
	defer rc.Close()
	cs, err := fish.ReadCases(rc, path)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return fmt.Errorf("%s:0:0: no cases", path)
	}
	res, err := fish.CallCases(cs, opts)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"cases.tsv", func(w io.Writer) error { return fish.WriteCases(w, res) }},
		{"tumours.tsv", func(w io.Writer) error { return fish.WriteCaseTumours(w, res) }},
		{"warnings.txt", func(w io.Writer) error { return writeLines(w, res.Warnings) }},
	} {
		if err := writeFile(filepath.Join(out, f.name), f.write); err != nil {
			return err
		}
	}
	printWarnings(stdout, res.Warnings, maxWarn)
	fmt.Fprintf(stdout, "fish: %d cases, %d tumours\nrule: %s\nwrote %s/{cases,tumours}.tsv and warnings.txt\n", len(res.Cases), len(res.Tumours), res.Rule, out)
	return nil
}

func openMaybeGzip(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s:0:0: %v", path, errors.Unwrap(err))
	}
	if !strings.HasSuffix(strings.ToLower(path), ".gz") {
		return f, nil
	}
	zr, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s:0:0: not a gzip file: %v", path, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{zr, f}, nil
}

func readCellFile(path string) ([]fish.Cell, error) {
	rc, err := openMaybeGzip(path)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return fish.ReadCells(rc, path)
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("%s:0:0: %v", path, errors.Unwrap(err))
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s:0:0: write: %v", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s:0:0: write: %v", path, err)
	}
	return nil
}

func writeLines(w io.Writer, lines []string) error {
	bw := bufio.NewWriter(w)
	for _, l := range lines {
		bw.WriteString(l)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

func printWarnings(w io.Writer, warns []string, max int) {
	for i, s := range warns {
		if i == max {
			fmt.Fprintf(w, "warning: ... and %d more (all in warnings.txt and the tables' warnings column)\n", len(warns)-max)
			break
		}
		fmt.Fprintf(w, "warning: %s\n", s)
	}
}
