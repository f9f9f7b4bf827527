package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/her2het/her2het/core/immune"
)

func init() {
	register(&command{
		name:    "immune",
		summary: "immune and stromal scores: MCP-counter, ESTIMATE or Danaher cell types",
		usage:   "--expr E|--counts C [--norm tmm|none] --method mcpcounter|estimate|danaher --out F",
		run:     runImmune,
	})
}

func runImmune(args []string, stdout, stderr io.Writer) error {
	c := commands["immune"]
	fs := newFlags(c, stderr)
	in := refInputFlags(fs)
	method := fs.String("method", "", "mcpcounter, estimate or danaher")
	out := fs.String("out", "", "output TSV, samples x scores (- = standard output)")
	if err := parseFlags(c, fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *out == "" || *method == "" {
		return usagef("--method M and --out F are required")
	}
	ok := false
	for _, m := range immune.Methods {
		ok = ok || m == *method
	}
	if !ok {
		return usagef("--method must be one of %s, got %q", strings.Join(immune.Methods, ", "), *method)
	}
	m, src, err := in.load()
	if err != nil {
		return err
	}
	r, err := immune.Estimate(m, *method, immune.Options{Workers: 2})
	if err != nil {
		return fmt.Errorf("%s:0:0: %v", src, err)
	}
	var found []string
	for k, s := range r.Signatures {
		if r.NMarkers[k] > 0 {
			found = append(found, fmt.Sprintf("%s %d/%d", s, r.NFound[k], r.NMarkers[k]))
		}
	}
	fmt.Fprintf(stderr, "immune %s: markers found: %s\n", *method, strings.Join(found, ", "))
	return refWrite(*out, stdout, func(w *bufio.Writer) {
		fmt.Fprintf(w, "sample\t%s\n", strings.Join(r.Signatures, "\t"))
		for s, name := range r.Samples {
			w.WriteString(name)
			for k := range r.Signatures {
				w.WriteString("\t" + refNum(r.At(k, s)))
			}
			w.WriteByte('\n')
		}
	})
}
