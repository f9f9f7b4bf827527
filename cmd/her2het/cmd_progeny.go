package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/her2het/her2het/core/progeny"
	"github.com/her2het/her2het/core/refdata"
)

func init() {
	register(&command{
		name:    "progeny",
		summary: "PROGENy pathway activity scores (14 pathways), as progeny 1.20",
		usage:   "--expr E|--counts C [--norm tmm|none] [--top 100] [--no-scale] --out F",
		run:     runProgeny,
	})
}

func runProgeny(args []string, stdout, stderr io.Writer) error {
	c := commands["progeny"]
	fs := newFlags(c, stderr)
	in := refInputFlags(fs)
	top := fs.Int("top", 100, fmt.Sprintf("genes per pathway (1..%d)", refdata.MaxProgenyTop))
	noScale := fs.Bool("no-scale", false, "do not centre and scale each pathway across samples")
	out := fs.String("out", "", "output TSV, samples x pathways (- = standard output)")
	if err := parseFlags(c, fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *out == "" {
		return usagef("--out F is required")
	}
	if *top < 1 || *top > refdata.MaxProgenyTop {
		return usagef("--top must be between 1 and %d, got %d", refdata.MaxProgenyTop, *top)
	}
	m, src, err := in.load()
	if err != nil {
		return err
	}
	r, err := progeny.Score(m, progeny.Options{Top: *top, Scale: !*noScale})
	if err != nil {
		return fmt.Errorf("%s:0:0: %v", src, err)
	}
	var used []string
	for k, p := range r.Pathways {
		used = append(used, fmt.Sprintf("%s %d/%d", p, r.Used[k], r.Model[k]))
	}
	fmt.Fprintf(stderr, "progeny: genes used per pathway: %s\n", strings.Join(used, ", "))
	return refWrite(*out, stdout, func(w *bufio.Writer) {
		fmt.Fprintf(w, "sample\t%s\n", strings.Join(r.Pathways, "\t"))
		for s, name := range r.Samples {
			w.WriteString(name)
			for k := range r.Pathways {
				w.WriteString("\t" + refNum(r.At(s, k)))
			}
			w.WriteByte('\n')
		}
	})
}
