package engine

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"io"

	"github.com/her2het/her2het/core/api"
)

// load reads every attached file through the Opener, hashing it and summarising its
// shape, and adds it to the session. A file that fails leaves the session as it was.
func (e *Engine) load(req api.Request, files Opener, emit Emit) error {
	if files == nil || len(req.Files) == 0 {
		return &api.Error{Message: "no files were attached to the load request"}
	}
	var loaded []loadedFile
	for i, ref := range req.Files {
		s, err := e.loadOne(req.ID, i, ref, files, emit)
		if err != nil {
			return err
		}
		loaded = append(loaded, loadedFile{summary: s})
		emit(api.Event{ID: req.ID, Kind: api.EventData, DataType: "loadSummary", Data: api.Marshal(s)})
	}
	e.mu.Lock()
	e.files = append(e.files, loaded...)
	e.mu.Unlock()
	return nil
}

func (e *Engine) loadOne(id int64, i int, ref api.FileRef, files Opener, emit Emit) (api.LoadSummary, error) {
	rc, err := files.Open(i, ref)
	if err != nil {
		return api.LoadSummary{}, &api.Error{File: ref.Name, Message: "cannot open: " + err.Error()}
	}
	defer rc.Close()
	h := sha256.New()
	pr := &progressReader{r: rc, size: ref.Size, step: "read " + ref.Name, id: id, emit: emit, hash: h, fileName: ref.Name}
	br := bufio.NewReaderSize(pr, 1<<16)
	var r io.Reader = br
	format := "text"
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return api.LoadSummary{}, &api.Error{File: ref.Name, Line: 1, Column: 1, Message: "looks like gzip but cannot be decompressed: " + err.Error()}
		}
		r = zr
		format = "gzip text"
	}
	rows, cols, delim, err := shape(ref.Name, r)
	if err != nil {
		return api.LoadSummary{}, err
	}
	// Drain whatever the decompressor did not need, so the hash covers the whole file.
	if _, err := io.Copy(io.Discard, br); err != nil {
		return api.LoadSummary{}, &api.Error{File: ref.Name, Message: "read failed: " + err.Error()}
	}
	return api.LoadSummary{
		Name: ref.Name, Size: pr.read, SHA256: hexSum(h), Format: format,
		Rows: rows, Cols: cols, Detail: fmt.Sprintf("%s-delimited table", delimName(delim)),
	}, nil
}

// shape counts the data lines of a delimited text and the fields of its header,
// detecting the delimiter from the header line (tab, comma or semicolon).
func shape(name string, r io.Reader) (rows, cols int, delim byte, err error) {
	br := bufio.NewReaderSize(r, 1<<16)
	line := 0
	for {
		b, rerr := br.ReadSlice('\n')
		if rerr == bufio.ErrBufferFull {
			// A long line: keep reading it without holding it in memory.
			for rerr == bufio.ErrBufferFull {
				var more []byte
				more, rerr = br.ReadSlice('\n')
				if line == 0 {
					b = append(append([]byte(nil), b...), more...)
				}
			}
		}
		if len(b) > 0 {
			line++
			if line == 1 {
				if bytes.IndexByte(b, 0) >= 0 {
					return 0, 0, 0, &api.Error{File: name, Line: 1, Column: bytes.IndexByte(b, 0) + 1, Message: "contains a NUL byte: this is a binary file, not a text table"}
				}
				delim = detectDelim(b)
				cols = bytes.Count(b, []byte{delim}) + 1
			} else {
				rows++
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return 0, 0, 0, &api.Error{File: name, Line: line + 1, Message: "read failed: " + rerr.Error()}
		}
	}
	if line == 0 {
		return 0, 0, 0, &api.Error{File: name, Line: 1, Column: 1, Message: "the file is empty; expected a header line"}
	}
	return rows, cols, delim, nil
}

func detectDelim(header []byte) byte {
	best, n := byte('\t'), bytes.Count(header, []byte{'\t'})
	for _, d := range []byte{',', ';'} {
		if c := bytes.Count(header, []byte{d}); c > n {
			best, n = d, c
		}
	}
	return best
}

func delimName(d byte) string {
	switch d {
	case '\t':
		return "tab"
	case ',':
		return "comma"
	case ';':
		return "semicolon"
	}
	return fmt.Sprintf("%q", d)
}
