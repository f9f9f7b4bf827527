package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestCLI(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		status     int
		stdout     []string // substrings
		stderrLine string   // substring of the single stderr line
	}{
		{name: "help lists subcommands", args: []string{"--help"}, status: 0, stdout: []string{"commands:", "serve", "version"}},
		{name: "no args", args: nil, status: 2, stderrLine: ""},
		{name: "version", args: []string{"version"}, status: 0, stdout: []string{"her2het 0."}},
		{name: "--version", args: []string{"--version"}, status: 0, stdout: []string{"her2het 0."}},
		{name: "unknown command", args: []string{"frobnicate"}, status: 2, stderrLine: `unknown command "frobnicate"`},
		{name: "bad flag", args: []string{"serve", "--nope"}, status: 2, stderrLine: "her2het serve: flag provided but not defined: -nope"},
		{name: "serve help", args: []string{"serve", "--help"}, status: 0, stdout: []string{"usage: her2het serve", "-addr"}},
		{name: "serve without bundle", args: []string{"serve", "--dir", "/nonexistent"}, status: 1, stderrLine: "/nonexistent: no built app here"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			status := run(tc.args, &out, &errb)
			if status != tc.status {
				t.Fatalf("status %d, want %d (stderr %q)", status, tc.status, errb.String())
			}
			for _, s := range tc.stdout {
				if !strings.Contains(out.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, out.String())
				}
			}
			if tc.stderrLine != "" {
				if !strings.Contains(errb.String(), tc.stderrLine) {
					t.Errorf("stderr %q lacks %q", errb.String(), tc.stderrLine)
				}
				if strings.Count(strings.TrimRight(errb.String(), "\n"), "\n") != 0 {
					t.Errorf("stderr is not one line: %q", errb.String())
				}
			}
		})
	}
}

// Every registered subcommand answers --help with its usage and exit status 0.
func TestEverySubcommandHasHelp(t *testing.T) {
	for name := range commands {
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if status := run([]string{name, "--help"}, &out, &errb); status != 0 {
				t.Fatalf("%s --help: status %d, stderr %q", name, status, errb.String())
			}
			if !strings.Contains(out.String(), "usage: her2het "+name) {
				t.Fatalf("%s --help printed %q", name, out.String())
			}
		})
	}
}

func TestPanicBecomesOneLine(t *testing.T) {
	commands["boom-test"] = &command{name: "boom-test", run: func([]string, io.Writer, io.Writer) error { panic("kaboom") }}
	defer delete(commands, "boom-test")
	var out, errb bytes.Buffer
	if status := run([]string{"boom-test"}, &out, &errb); status != 1 {
		t.Fatalf("status %d", status)
	}
	if s := errb.String(); !strings.Contains(s, "internal error: kaboom") || strings.Contains(s, "goroutine") || strings.Count(s, "\n") != 1 {
		t.Fatalf("stderr %q", s)
	}
}
