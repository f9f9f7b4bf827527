// Command her2het is the native command-line face of the her2het analysis core.
//
// Each subcommand lives in its own file and registers itself with register in an
// init function, so the analyses can grow without touching this file.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand of the CLI.
type command struct {
	name    string
	summary string // one line for `her2het --help`
	usage   string // argument synopsis, e.g. "--counts C --out F"
	// run executes the command. Errors of type usageError exit with status 2,
	// any other error with status 1; both print exactly one line on stderr.
	run func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("her2het: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// usageError marks a mistake in how the command was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// newFlags returns a FlagSet for subcommand c whose errors are returned, not printed
// with a stack of defaults; --help prints the usage and the flag list.
func newFlags(c *command, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("her2het "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args into fs. On --help it prints the command's help to stdout
// and returns errHelp, which main treats as success.
func parseFlags(c *command, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printCommandHelp(c, fs, stdout)
			return errHelp
		}
		return usageError{err.Error()}
	}
	return nil
}

var errHelp = errors.New("help shown")

func printCommandHelp(c *command, fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "her2het %s: %s\n\nusage: her2het %s %s\n", c.name, c.summary, c.name, c.usage)
	if fs == nil {
		return
	}
	var b strings.Builder
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	if b.Len() > 0 {
		fmt.Fprintf(w, "\nflags:\n%s", b.String())
	}
}

func printHelp(w io.Writer) {
	fmt.Fprintf(w, "her2het: HER2 heterogeneity and response analyses for neoadjuvant HER2-positive breast cancer cohorts\n\n")
	fmt.Fprintf(w, "usage: her2het COMMAND [flags]\n\ncommands:\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(w, "\nRun 'her2het COMMAND --help' for a command's flags.\n")
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without os.Exit, for tests. It never lets a panic reach the user as a
// stack trace: a panic becomes one line and exit status 1.
func run(args []string, stdout, stderr io.Writer) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "her2het: internal error: %v (please report this)\n", r)
			status = 1
		}
	}()
	if len(args) == 0 {
		printHelp(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "--help", "-help", "help":
		printHelp(stdout)
		return 0
	case "-v", "--version", "-version":
		args = []string{"version"}
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "her2het: unknown command %q; run 'her2het --help' for the list\n", args[0])
		return 2
	}
	err := c.run(args[1:], stdout, stderr)
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "her2het %s: %s\n", c.name, oneLine(err.Error()))
		return 2
	default:
		fmt.Fprintf(stderr, "%s\n", oneLine(err.Error()))
		return 1
	}
}

// oneLine folds a message onto one line so scripts can rely on a single stderr line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
