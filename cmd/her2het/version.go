package main

import (
	"fmt"
	"io"
	"runtime"

	"github.com/her2het/her2het/core/api"
)

func init() {
	register(&command{
		name:    "version",
		summary: "print the version of her2het and of its Go toolchain",
		usage:   "",
		run: func(args []string, stdout, stderr io.Writer) error {
			c := commands["version"]
			fs := newFlags(c, stderr)
			if err := parseFlags(c, fs, args, stdout); err != nil {
				return err
			}
			if fs.NArg() > 0 {
				return usagef("takes no arguments, got %q", fs.Arg(0))
			}
			fmt.Fprintf(stdout, "her2het %s (%s, %s/%s)\n", api.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	})
}
