package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/her2het/her2het/core/chart"
	"github.com/her2het/her2het/core/spatial"
)

func init() {
	register(&command{
		name:    "spatial",
		summary: "NanoString GeoMx: DCC/PKC or DSP-export import, segment QC, LOQ, normalisation, within-patient and HET comparisons",
		usage:   "--dcc DIR --pkc ZIP --annotation SHEET --out DIR  |  --dsp-export FILE [--counts FILE] --out DIR",
		run:     runSpatial,
	})
}

func runSpatial(args []string, stdout, stderr io.Writer) error {
	c := commands["spatial"]
	fs := newFlags(c, stderr)
	dccDir := fs.String("dcc", "", "folder of GeoMx DCC files (one per segment)")
	pkcPath := fs.String("pkc", "", "probe configuration: a zip of .pkc files or .pkc files (comma-separated)")
	annotPath := fs.String("annotation", "", "lab annotation sheet (.xlsx, .tsv or .csv) with a Sample_ID column")
	sheet := fs.String("sheet", "", "worksheet of an .xlsx annotation sheet (default: the first)")
	shift := fs.Bool("shift-zeros", false, "set DCC probe counts below 1 to 1 before aggregation (GeoMx workflow, shiftCountsOne useDALogic)")
	dsp := fs.String("dsp-export", "", "DSP Data Analysis export: .xlsx (SegmentProperties + TargetCountMatrix) or the segment-properties TSV")
	countsPath := fs.String("counts", "", "target x segment count matrix TSV (with a TSV --dsp-export)")
	analyte := fs.String("analyte", "", "rna or protein (default: from the PKC, else rna)")
	qcSet := fs.String("qc", "workflow", "QC thresholds: workflow (GeoMx RNA workflow) or geomxtools (GeomxTools DEFAULTS)")
	keepFailed := fs.Bool("keep-failed", false, "keep segments that fail QC")
	norm := fs.String("norm", "", "normalisation: q3 (RNA default), hk (protein default), igg, area, nuclei, none")
	hk := fs.String("housekeepers", strings.Join(spatial.DefaultHousekeepers, ","), "housekeeper targets for --norm hk (comma-separated)")
	patient := fs.String("patient", "", "segment annotation column with the patient (default: patientID, patient, ...)")
	region := fs.String("region", "", "segment annotation column with the region (default: Region, SegmentLabel, segment)")
	high := fs.String("high", "", "region value of the first group (default HER2-high, else PanCK+)")
	low := fs.String("low", "", "region value of the second group (default HER2-low, else PanCK-)")
	het := fs.String("het", "", "segment annotation column with the patient's HER2 heterogeneity (default: \"HER2 heterogeneity\", HET)")
	pseudo := fs.Float64("pseudocount", 1, "added before log2")
	fdr := fs.Float64("fdr", 0.05, "FDR for the volcano plot")
	workers := fs.Int("workers", 1, "goroutines for the per-target models")
	top := fs.Int("top", 12, "per-target plots for this many top targets")
	out := fs.String("out", "", "output folder (created if needed)")
	if err := parseFlags(c, fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *out == "" {
		return usagef("--out DIR is required")
	}
	fromDCC := *dccDir != "" || *pkcPath != "" || *annotPath != ""
	if fromDCC == (*dsp != "") {
		return usagef("give either --dcc, --pkc and --annotation, or --dsp-export")
	}
	if fromDCC && (*dccDir == "" || *pkcPath == "" || *annotPath == "") {
		return usagef("--dcc, --pkc and --annotation go together")
	}
	if *shift && !fromDCC {
		return usagef("--shift-zeros applies to --dcc input")
	}
	if *countsPath != "" && *dsp == "" {
		return usagef("--counts goes with a TSV --dsp-export")
	}
	opts := spatial.DefaultOptions()
	switch strings.ToLower(*qcSet) {
	case "workflow":
	case "geomxtools":
		opts.QC = spatial.GeomxToolsQC()
	default:
		return usagef("--qc must be workflow or geomxtools, got %q", *qcSet)
	}
	switch strings.ToLower(*norm) {
	case "", spatial.NormQ3, spatial.NormHK, spatial.NormIgG, spatial.NormArea, spatial.NormNuclei, spatial.NormNone:
		opts.Normalization = strings.ToLower(*norm)
	default:
		return usagef("--norm must be q3, hk, igg, area, nuclei or none, got %q", *norm)
	}
	an := ""
	switch strings.ToLower(*analyte) {
	case "":
	case "rna":
		an = "RNA"
	case "protein":
		an = "Protein"
	default:
		return usagef("--analyte must be rna or protein, got %q", *analyte)
	}
	if *pseudo < 0 || *fdr <= 0 || *fdr >= 1 || *workers < 1 || *top < 0 {
		return usagef("--pseudocount >= 0, 0 < --fdr < 1, --workers >= 1 and --top >= 0 are required")
	}
	opts.KeepFailed = *keepFailed
	opts.Housekeepers = splitList(*hk)
	opts.Design = spatial.DesignOptions{PatientCol: *patient, RegionCol: *region, HETCol: *het, High: *high, Low: *low}
	opts.Compare = spatial.CompareOptions{Pseudocount: *pseudo, Workers: *workers}
	if *pseudo == 0 {
		opts.Compare.Pseudocount = -1 // none
	}
	opts.FDR = *fdr

	var set *spatial.Set
	var err error
	if fromDCC {
		set, err = loadDCCSet(*dccDir, *pkcPath, *annotPath, *sheet, *shift)
	} else {
		set, err = loadDSPSet(*dsp, *countsPath, an)
	}
	if err != nil {
		return err
	}
	if an != "" {
		set.Analyte = an
	}
	res, aerr := spatial.Analyze(set, opts)
	if aerr != nil && !errors.Is(aerr, spatial.ErrNoSegments) {
		return fmt.Errorf("%s:0:0: %s", firstNonEmpty(*dccDir, *dsp), strings.TrimPrefix(aerr.Error(), "spatial: "))
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("%s:0:0: cannot create output folder: %v", *out, err)
	}
	write := func(name string, f func(w io.Writer) error) error {
		var b bytes.Buffer
		if err := f(&b); err != nil {
			return err
		}
		p := filepath.Join(*out, name)
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("%s:0:0: %v", p, errors.Unwrap(err))
		}
		return nil
	}
	if err := write("segments.tsv", func(w io.Writer) error { return spatial.WriteTable(w, res.SegmentTable()) }); err != nil {
		return err
	}
	if aerr != nil {
		msg := strings.TrimPrefix(aerr.Error(), "spatial: no segment left: ")
		return fmt.Errorf("%s:0:0: %s (QC table written to %s)", firstNonEmpty(*dccDir, *dsp), msg, filepath.Join(*out, "segments.tsv"))
	}
	if err := write("targets.tsv", func(w io.Writer) error { return spatial.WriteTable(w, res.TargetTable()) }); err != nil {
		return err
	}
	if err := write("target_counts.tsv", func(w io.Writer) error { return spatial.WriteMatrix(w, set.Counts) }); err != nil {
		return err
	}
	if err := write("normalized.tsv", func(w io.Writer) error { return spatial.WriteMatrix(w, res.Normalized) }); err != nil {
		return err
	}
	files := []string{"segments.tsv", "targets.tsv", "target_counts.tsv", "normalized.tsv"}
	if res.Comparison != nil {
		if err := write("region_comparison.tsv", func(w io.Writer) error { return spatial.WriteTable(w, res.RegionTable()) }); err != nil {
			return err
		}
		files = append(files, "region_comparison.tsv")
		if res.Comparison.HET != nil {
			if err := write("het_comparison.tsv", func(w io.Writer) error { return spatial.WriteTable(w, res.HETTable()) }); err != nil {
				return err
			}
			files = append(files, "het_comparison.tsv")
		}
		figs := res.Figures(*top)
		if err := write("figures.json", func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", " ")
			return enc.Encode(figs)
		}); err != nil {
			return err
		}
		files = append(files, "figures.json")
		nsvg := 0
		for i := range figs {
			svg, err := chart.SVG(&figs[i], chart.Options{})
			if err != nil {
				fmt.Fprintf(stderr, "her2het spatial: figure %s not drawn: %v\n", figs[i].ID, err)
				continue
			}
			name := safeFileName(figs[i].ID) + ".svg"
			if err := write(name, func(w io.Writer) error { _, err := w.Write(svg); return err }); err != nil {
				return err
			}
			nsvg++
		}
		if nsvg > 0 {
			files = append(files, fmt.Sprintf("%d .svg figures", nsvg))
		}
	}
	nPass := 0
	for _, q := range res.QC {
		if q.Pass {
			nPass++
		}
	}
	fmt.Fprintf(stdout, "%s: %d segments (%d pass QC, %d analysed), %d targets, normalisation %s\n",
		set.Analyte, len(set.Segments), nPass, len(res.Kept.Segments), len(set.Targets), res.Normalization)
	if cmp := res.Comparison; cmp != nil {
		nSig := 0
		for _, r := range cmp.Region {
			if r.FDR < opts.FDR {
				nSig++
			}
		}
		fmt.Fprintf(stdout, "%s vs %s within patient: %d patients with both regions, %d targets at FDR < %g\n",
			cmp.Design.RegionNames[0], cmp.Design.RegionNames[1], cmp.NPatients, nSig, opts.FDR)
		if cmp.HET != nil {
			nInt := 0
			for _, r := range cmp.HET {
				if r.InteractionFDR < opts.FDR {
					nInt++
				}
			}
			fmt.Fprintf(stdout, "HET (%d) vs non-HET (%d) patients: %d targets with a region x HET interaction at FDR < %g\n",
				cmp.NHET, cmp.NNonHET, nInt, opts.FDR)
		}
	}
	for _, n := range res.Notes {
		fmt.Fprintf(stdout, "note: %s\n", n)
	}
	fmt.Fprintf(stdout, "wrote %s in %s\n", strings.Join(files, ", "), *out)
	return nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// readSpatialTable reads a TSV/CSV file or the sheet of an .xlsx workbook.
func readSpatialTable(path, sheet string) (*spatial.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s:0:0: %v", path, errors.Unwrap(err))
	}
	defer f.Close()
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		w, err := spatial.OpenWorkbook(f, path)
		if err != nil {
			return nil, err
		}
		defer w.Close()
		return w.Table(sheet)
	}
	return spatial.ReadTable(f, path)
}

func loadDCCSet(dir, pkcArg, annotPath, sheet string, shift bool) (*spatial.Set, error) {
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("%s:0:0: not a folder", dir)
	}
	var pkcs []*spatial.PKC
	for _, p := range splitList(pkcArg) {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("%s:0:0: %v", p, errors.Unwrap(err))
		}
		if strings.EqualFold(filepath.Ext(p), ".zip") || bytes.HasPrefix(data, []byte("PK\x03\x04")) {
			ps, err := spatial.ReadPKCZip(bytes.NewReader(data), int64(len(data)), p)
			if err != nil {
				return nil, err
			}
			pkcs = append(pkcs, ps...)
		} else {
			pk, err := spatial.ReadPKC(bytes.NewReader(data), p)
			if err != nil {
				return nil, err
			}
			pkcs = append(pkcs, pk)
		}
	}
	annot, err := readSpatialTable(annotPath, sheet)
	if err != nil {
		return nil, err
	}
	set, err := spatial.LoadDCC(os.DirFS(dir), spatial.DCCOptions{ShiftZerosToOne: shift}, pkcs, annot)
	if err != nil {
		var pe *spatial.ParseError
		if errors.As(err, &pe) {
			if strings.EqualFold(filepath.Ext(pe.File), ".dcc") && !filepath.IsAbs(pe.File) {
				pe.File = filepath.Join(dir, pe.File)
			} else if pe.File == "." {
				pe.File = dir
			}
			return nil, pe
		}
		return nil, fmt.Errorf("%s:0:0: %s", dir, strings.TrimPrefix(err.Error(), "spatial: "))
	}
	return set, nil
}

func loadDSPSet(path, countsPath, analyte string) (*spatial.Set, error) {
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		if countsPath != "" {
			return nil, usagef("--counts is for a TSV --dsp-export; an .xlsx export holds both sheets")
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("%s:0:0: %v", path, errors.Unwrap(err))
		}
		defer f.Close()
		w, err := spatial.OpenWorkbook(f, path)
		if err != nil {
			return nil, err
		}
		defer w.Close()
		return spatial.ReadDSPExportXLSX(w, analyte)
	}
	if countsPath == "" {
		// The demo's pair: spatial_segments.tsv next to spatial_counts.tsv.
		guess := filepath.Join(filepath.Dir(path), strings.Replace(filepath.Base(path), "segments", "counts", 1))
		if guess == path {
			return nil, usagef("a TSV --dsp-export needs --counts FILE (the target x segment matrix)")
		}
		if _, err := os.Stat(guess); err != nil {
			return nil, usagef("a TSV --dsp-export needs --counts FILE (no %s)", guess)
		}
		countsPath = guess
	}
	segs, err := readSpatialTable(path, "")
	if err != nil {
		return nil, err
	}
	counts, err := readSpatialTable(countsPath, "")
	if err != nil {
		return nil, err
	}
	return spatial.FromDSPExport(segs, counts, analyte)
}

// safeFileName keeps letters, digits, '-', '_' and '.', replacing others with '_'.
func safeFileName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			b[i] = '_'
		}
	}
	return string(b)
}
