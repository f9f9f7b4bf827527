package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/her2het/her2het/core/api"
	"github.com/her2het/her2het/core/chart"
	"github.com/her2het/her2het/core/fish"
	"github.com/her2het/her2het/core/report"
	"github.com/her2het/her2het/core/study"
)

func init() {
	register(&command{
		name:    "analyze",
		summary: "run every analysis of the study on a cohort and write tables, figures, report and session",
		usage:   "--counts C --samples S [--fish F|DIR] [--spatial G] [--config params.json] --out DIR",
		run:     runAnalyze,
	})
}

// analyzeSession is DIR/session.json: what is needed to reproduce the run.
type analyzeSession struct {
	Tool    string       `json:"tool"`
	Version string       `json:"version"`
	Go      string       `json:"go"`
	Params  study.Params `json:"params"`
	// References are the embedded reference data used, with versions.
	References []study.Reference   `json:"references"`
	Inputs     []study.FileSummary `json:"inputs"`
	Ignored    []study.FileSummary `json:"ignored,omitempty"`
	Tables     []string            `json:"tables"`
	Figures    []string            `json:"figures"`
	Sections   []analyzeSectionRef `json:"sections"`
}

type analyzeSectionRef struct {
	ID      string `json:"id"`
	Skipped string `json:"skipped,omitempty"`
}

func runAnalyze(args []string, stdout, stderr io.Writer) error {
	c := commands["analyze"]
	fs := newFlags(c, stderr)
	counts := fs.String("counts", "", "count matrix (any format core/ingest reads; several per-sample files separated by commas)")
	expr := fs.String("expression", "", "expression matrix (log scale) when no counts are available")
	samples := fs.String("samples", "", "sample sheet (sample, patient, timepoint, pCR, HET, HR ... columns)")
	fishPath := fs.String("fish", "", "FISH per-cell table, per-case summary, or a folder of spot-count files")
	spatial := fs.String("spatial", "", "GeoMx DSP export: segment table and target count matrix, as SEGMENTS,COUNTS (text or .gz)")
	config := fs.String("config", "", "JSON parameters (fields of study.Params; missing fields keep their defaults)")
	out := fs.String("out", "", "output folder")
	workers := fs.Int("workers", 0, "goroutines for gene-wise work (0: all cores); results do not depend on it")
	verbose := fs.Bool("v", false, "print progress on stderr")
	if err := parseFlags(c, fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *out == "" {
		return usagef("--out is required")
	}
	if *counts == "" && *expr == "" && *fishPath == "" {
		return usagef("give --counts (or --expression) and --samples, or --fish")
	}
	if (*counts != "" || *expr != "") && *samples == "" {
		return usagef("--samples is required with --counts or --expression")
	}
	params := study.DefaultParams()
	if *config != "" {
		f, err := os.Open(*config)
		if err != nil {
			return fmt.Errorf("%s:0:0: %v", *config, analyzeErrText(err))
		}
		params, err = study.ReadParams(*config, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	if *workers != 0 {
		params.Workers = *workers
	}
	in := &study.Inputs{}
	var paths []string
	if *counts != "" {
		paths = append(paths, strings.Split(*counts, ",")...)
	}
	if *expr != "" {
		paths = append(paths, *expr)
	}
	if *samples != "" {
		paths = append(paths, *samples)
	}
	for _, p := range paths {
		if err := analyzeAdd(in, p); err != nil {
			return err
		}
	}
	if *fishPath != "" {
		st, err := os.Stat(*fishPath)
		if err != nil {
			return fmt.Errorf("%s:0:0: %v", *fishPath, analyzeErrText(err))
		}
		if st.IsDir() {
			if _, err := in.AddSpotFolder(os.DirFS(*fishPath), ".", fish.SpotOptions{}); err != nil {
				return err
			}
		} else if err := analyzeAdd(in, *fishPath); err != nil {
			return err
		}
	}
	var ignored []study.FileSummary
	if *spatial != "" {
		for _, p := range strings.Split(*spatial, ",") {
			if err := analyzeAdd(in, p); err != nil {
				return err
			}
		}
	}
	var progress func(string, float64)
	if *verbose {
		start := time.Now()
		progress = func(step string, frac float64) {
			if frac >= 0 {
				fmt.Fprintf(stderr, "analyze: %6.1fs %3.0f%% %s\n", time.Since(start).Seconds(), 100*frac, step)
			}
		}
	}
	res, err := study.Run(context.Background(), in, params, progress)
	if err != nil {
		return err
	}
	return analyzeWrite(*out, res, ignored, stdout)
}

func analyzeErrText(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

func analyzeAdd(in *study.Inputs, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s:0:0: %v", path, analyzeErrText(err))
	}
	defer f.Close()
	_, err = in.Add(path, bufio.NewReaderSize(f, 1<<20), nil)
	return err
}

func analyzeWrite(dir string, res *study.Result, ignored []study.FileSummary, stdout io.Writer) error {
	for _, d := range []string{dir, filepath.Join(dir, "tables"), filepath.Join(dir, "figures")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("%s:0:0: %v", d, analyzeErrText(err))
		}
	}
	sess := analyzeSession{Tool: "her2het analyze", Version: api.Version, Go: runtime.Version(),
		Params: res.Params, References: res.References, Inputs: res.Files, Ignored: ignored}
	for _, t := range res.Tables() {
		name := filepath.Join("tables", t.ID+".tsv")
		if err := analyzeWriteFile(filepath.Join(dir, name), func(w io.Writer) error { return report.TSV(w, t) }); err != nil {
			return err
		}
		sess.Tables = append(sess.Tables, name)
	}
	for _, f := range res.Figures() {
		f := f
		svg, err := chart.SVG(&f, chart.Options{})
		if err != nil {
			// Not drawable: keep the figure's data as JSON so nothing is lost.
			name := filepath.Join("figures", f.ID+".json")
			if err := analyzeWriteFile(filepath.Join(dir, name), func(w io.Writer) error {
				return json.NewEncoder(w).Encode(f)
			}); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "figure %s not drawn (%v); its data are in %s\n", f.ID, err, name)
			sess.Figures = append(sess.Figures, name)
			continue
		}
		name := filepath.Join("figures", f.ID+".svg")
		if err := analyzeWriteFile(filepath.Join(dir, name), func(w io.Writer) error {
			_, err := w.Write(svg)
			return err
		}); err != nil {
			return err
		}
		sess.Figures = append(sess.Figures, name)
	}
	for _, s := range res.Sections {
		sess.Sections = append(sess.Sections, analyzeSectionRef{s.ID, s.Skipped})
	}
	synthetic := false
	for _, f := range res.Files {
		synthetic = synthetic || f.Synthetic
	}
	var extra []report.Input
	for _, f := range ignored {
		extra = append(extra, report.Input{Name: filepath.Base(f.Name), Kind: f.Kind, Size: f.Bytes, SHA256: f.SHA256, Detail: "not analysed"})
	}
	doc := report.FromStudy(res, report.FromStudyOptions{Synthetic: synthetic, ExtraInputs: extra})
	var html bytes.Buffer
	if err := report.HTML(&html, doc); err != nil {
		return fmt.Errorf("report.html:0:0: %v", err)
	}
	if err := report.Check(html.Bytes()); err != nil {
		return fmt.Errorf("report.html:0:0: the report is not self-contained: %v", err)
	}
	if err := analyzeWriteFile(filepath.Join(dir, "report.html"), func(w io.Writer) error {
		_, err := w.Write(html.Bytes())
		return err
	}); err != nil {
		return err
	}
	if err := analyzeWriteFile(filepath.Join(dir, "session.json"), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(sess)
	}); err != nil {
		return err
	}
	ran := 0
	for _, s := range res.Sections {
		if s.Skipped == "" {
			ran++
		}
	}
	fmt.Fprintf(stdout, "%d of %d analyses run; %d tests; %d tables and %d figures written to %s\n",
		ran, len(res.Sections), len(res.Tests.Rows), len(sess.Tables), len(sess.Figures), dir)
	return nil
}

func analyzeWriteFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("%s:0:0: %v", path, analyzeErrText(err))
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := write(bw); err != nil {
		f.Close()
		return fmt.Errorf("%s:0:0: %v", path, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("%s:0:0: %v", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s:0:0: %v", path, err)
	}
	return nil
}

// analyzeReport writes a self-contained HTML report (no external reference; the
// figures are inline SVG): methods, inputs with SHA-256, each section's summary,
// notes, figures and tables (long tables truncated to their first 50 rows; the full
// tables are in tables/).
