package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
)

// pathErrText is an error's text without the path an *os.PathError repeats.
func pathErrText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// writeOutput writes a result file ("-" = stdout) through body, reporting create,
// write and close failures as one "path:0:0: message" line.
func writeOutput(path string, stdout io.Writer, body func(w *bufio.Writer)) error {
	var w *bufio.Writer
	var f *os.File
	if path == "-" {
		w = bufio.NewWriterSize(stdout, 1<<16)
	} else {
		var err error
		if f, err = os.Create(path); err != nil {
			return fmt.Errorf("%s:0:0: cannot create: %v", path, pathErrText(err))
		}
		w = bufio.NewWriterSize(f, 1<<16)
	}
	body(w)
	err := w.Flush()
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("%s:0:0: %v", path, err)
	}
	return nil
}
