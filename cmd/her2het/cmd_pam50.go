package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/ingest"
	"github.com/her2het/her2het/core/pam50"
)

func init() {
	register(&command{
		name:    "pam50",
		summary: "PAM50 intrinsic subtypes (genefu pam50.robust by default, or the UNC median-centred classifier)",
		usage:   "--expr E|--counts C [--norm tmm|none] [--annot A] --out F [--method robust|none|scale|unc] [--min-genes 40] [--proba] [--sheet S --switch-out F2 [--pre pre --post post]]",
		run:     runPAM50,
	})
}

func runPAM50(args []string, stdout, stderr io.Writer) error {
	c := commands["pam50"]
	fs := newFlags(c, stderr)
	in := refInputFlags(fs)
	out := fs.String("out", "", "output TSV: sample subtype cor.Basal cor.Her2 cor.LumA cor.LumB cor.Normal (- = standard output)")
	method := fs.String("method", "robust", "robust (genefu pam50.robust), none (pam50), scale (pam50.scale) or unc (median-centred)")
	minGenes := fs.Int("min-genes", pam50.DefaultMinGenes, "refuse to classify with fewer of the 50 genes")
	annot := fs.String("annot", "", "optional table of row identifier and Entrez ID (e.g. microarray probe annotation; header line, tab or comma separated); default: identifiers resolved through the gene map")
	withProba := fs.Bool("proba", false, "append genefu's probabilities proba.Basal ... proba.Normal")
	sheet := fs.String("sheet", "", "sample sheet with patient and timepoint columns, for the subtype-switch table")
	switchOut := fs.String("switch-out", "", "output TSV of pre -> post subtype per patient (needs --sheet)")
	pre := fs.String("pre", "pre", "timepoint value of pre-treatment samples")
	post := fs.String("post", "post", "timepoint value of post-treatment samples")
	if err := parseFlags(c, fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *out == "" {
		return usagef("--out F is required")
	}
	if (*sheet == "") != (*switchOut == "") {
		return usagef("--sheet and --switch-out go together")
	}
	methods := map[string]string{"robust": pam50.Robust, "pam50.robust": pam50.Robust, "none": pam50.None,
		"pam50": pam50.None, "scale": pam50.Scale, "pam50.scale": pam50.Scale, "unc": pam50.UNC}
	meth, ok := methods[*method]
	if !ok {
		return usagef("--method must be robust, none, scale or unc, got %q", *method)
	}
	if *minGenes < 1 || *minGenes > 50 {
		return usagef("--min-genes must be between 1 and 50, got %d", *minGenes)
	}
	m, src, err := in.load()
	if err != nil {
		return err
	}
	opt := pam50.Options{Method: meth, MinGenes: *minGenes}
	if *annot != "" {
		if opt.Entrez, err = pam50ReadAnnot(*annot, m.Genes); err != nil {
			return err
		}
	}
	r, err := pam50.Predict(m, opt)
	if err != nil {
		return fmt.Errorf("%s:0:0: %v", src, err)
	}
	note := ""
	if len(r.Missing) > 0 {
		note = "; missing: " + strings.Join(r.Missing, ", ")
	}
	fmt.Fprintf(stderr, "pam50 (%s): %d of 50 genes used%s\n", r.Method, r.NUsed, note)
	err = refWrite(*out, stdout, func(w *bufio.Writer) {
		w.WriteString("sample\tsubtype")
		for _, s := range r.Subtypes {
			w.WriteString("\tcor." + s)
		}
		if *withProba {
			for _, s := range r.Subtypes {
				w.WriteString("\tproba." + s)
			}
		}
		w.WriteByte('\n')
		for i, name := range r.Samples {
			call := r.Calls[i]
			if call == "" {
				call = "NA"
			}
			w.WriteString(name + "\t" + call)
			for _, v := range r.Cor[i] {
				w.WriteString("\t" + refNum(v))
			}
			if *withProba {
				for _, v := range r.Proba[i] {
					w.WriteString("\t" + refNum(v))
				}
			}
			w.WriteByte('\n')
		}
	})
	if err != nil || *sheet == "" {
		return err
	}
	ss, err := pam50ReadSheet(*sheet)
	if err != nil {
		return err
	}
	if ss.Column(dataset.RolePatient) == nil || ss.Column(dataset.RoleTimepoint) == nil {
		return fmt.Errorf("%s:1:0: the sample sheet needs a patient and a timepoint column", *sheet)
	}
	patient, tp := map[string]string{}, map[string]string{}
	for i, s := range ss.Samples {
		patient[s] = ss.Value(dataset.RolePatient, i)
		tp[s] = ss.Value(dataset.RoleTimepoint, i)
	}
	sw, err := pam50.SwitchTable(r.Samples, r.Calls, patient, tp, *pre, *post)
	if err != nil {
		return fmt.Errorf("%s:0:0: %v", *sheet, err)
	}
	na := func(s string) string {
		if s == "" {
			return "NA"
		}
		return s
	}
	return refWrite(*switchOut, stdout, func(w *bufio.Writer) {
		w.WriteString("patient\tpre_samples\tpost_samples\tpre\tpost\tpre_calls\tpost_calls\tpre_discordant\tswitched\n")
		for _, s := range sw {
			sws := "NA"
			if s.Pre != "" && s.Post != "" {
				sws = fmt.Sprint(s.Switched)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%v\t%s\n", s.Patient,
				na(strings.Join(s.PreSamples, ",")), na(strings.Join(s.PostSamples, ",")), na(s.Pre), na(s.Post),
				na(strings.Join(s.PreCalls, ",")), na(strings.Join(s.PostCalls, ",")), s.PreDiscordant, sws)
		}
	})
}

func pam50ReadSheet(path string) (*dataset.SampleSheet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s:0:0: %v", path, refErrText(err))
	}
	defer f.Close()
	ss, _, err := ingest.ReadSampleSheet(path, f, ingest.Options{})
	return ss, err
}

// pam50ReadAnnot reads "identifier, Entrez ID" lines (a header first) and
// returns the Entrez ID of each matrix row ("" when the row is not listed).
func pam50ReadAnnot(path string, rows []string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s:0:0: %v", path, refErrText(err))
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	byID := map[string]string{}
	line := 0
	for {
		s, err := br.ReadString('\n')
		if s == "" && err != nil {
			if err == io.EOF {
				break
			}
			return nil, fmt.Errorf("%s:%d:0: %v", path, line+1, err)
		}
		line++
		s = strings.TrimRight(s, "\r\n")
		if line == 1 || strings.TrimSpace(s) == "" {
			continue
		}
		sep := "\t"
		if !strings.Contains(s, "\t") {
			sep = ","
		}
		fields := strings.Split(s, sep)
		if len(fields) < 2 {
			return nil, fmt.Errorf("%s:%d:1: need an identifier and an Entrez ID", path, line)
		}
		id := strings.Trim(strings.TrimSpace(fields[0]), "\"")
		ez := strings.Trim(strings.TrimSpace(fields[1]), "\"")
		if ez != "" && ez != "NA" && strings.Trim(ez, "0123456789") != "" {
			return nil, fmt.Errorf("%s:%d:2: %q is not an Entrez ID", path, line, ez)
		}
		if ez == "NA" {
			ez = ""
		}
		if _, dup := byID[id]; !dup {
			byID[id] = ez
		}
	}
	out := make([]string, len(rows))
	n := 0
	for i, r := range rows {
		out[i] = byID[r]
		if out[i] != "" {
			n++
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("%s:0:0: no row identifier of the matrix is in the annotation", path)
	}
	return out, nil
}
