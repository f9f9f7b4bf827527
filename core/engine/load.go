package engine

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/her2het/her2het/core/api"
	"github.com/her2het/her2het/core/study"
)

// load reads every attached file through the Opener into the study's inputs,
// classifying it (count or expression matrix, sample sheet, FISH table). A file that
// fails is reported with its file, line and column and leaves the session as it was;
// the other files of the same request are still loaded.
func (e *Engine) load(req api.Request, files Opener, emit Emit) error {
	if files == nil || len(req.Files) == 0 {
		return &api.Error{Message: "no files were attached to the load request"}
	}
	e.limitMemory()
	var firstErr error
	for i, ref := range req.Files {
		if err := e.checkBudget(ref); err != nil {
			firstErr = keepFirst(firstErr, err)
			continue
		}
		rc, err := files.Open(i, ref)
		if err != nil {
			ae := &api.Error{File: ref.Name, Message: "cannot open: " + err.Error()}
			firstErr = keepFirst(firstErr, ae)
			if len(req.Files) > 1 {
				emit(api.Event{ID: req.ID, Kind: api.EventLog, Message: "not loaded: " + ae.Error()})
			}
			continue
		}
		s, err := e.add(req.ID, ref.Name, ref.Size, rc, emit)
		rc.Close()
		if err != nil {
			firstErr = keepFirst(firstErr, err)
			if len(req.Files) > 1 {
				ae := toAPIError(err)
				emit(api.Event{ID: req.ID, Kind: api.EventLog, Message: "not loaded: " + ae.Error()})
			}
			continue
		}
		emit(api.Event{ID: req.ID, Kind: api.EventData, DataType: "loadSummary", Data: api.Marshal(s)})
	}
	return firstErr
}

func keepFirst(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// add reads one file into the session, reporting progress in bytes.
func (e *Engine) add(id int64, name string, size int64, r io.Reader, emit Emit) (api.LoadSummary, error) {
	step := "read " + name
	lastPct := int64(-1)
	progress := func(n int64) {
		if size <= 0 {
			return
		}
		if pct := n * 100 / size; pct > lastPct {
			lastPct = pct
			emit(api.Event{ID: id, Kind: api.EventProgress, Step: step, Fraction: min(1, float64(n)/float64(size))})
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	// Streamed: the file's text is never held whole (study.Inputs.AddSized), and its
	// size lets a matrix be allocated once.
	fs, err := e.inputs.AddSized(name, bufio.NewReaderSize(r, 1<<20), size, progress)
	if err != nil {
		return api.LoadSummary{}, err
	}
	e.result = nil // the inputs changed: an earlier analysis no longer describes them
	s := api.LoadSummary{
		Name: fs.Name, Size: fs.Bytes, SHA256: fs.SHA256, Format: describe(fs),
		Rows: fs.Rows, Cols: fs.Cols, Detail: detail(fs),
		// The Notes column of the file list shows warnings, then neutral notes (why a
		// matrix is expression rather than counts, what was detected).
		Warnings: append(append([]string(nil), fs.Warnings...), fs.Notes...),
	}
	e.files = append(e.files, loadedFile{summary: s})
	return s, nil
}

func describe(fs study.FileSummary) string {
	if fs.Format != "" {
		return fs.Kind + " (" + fs.Format + ")"
	}
	return fs.Kind
}

func detail(fs study.FileSummary) string {
	switch fs.Kind {
	case study.KindCounts, study.KindExpression:
		return fmt.Sprintf("%d genes x %d samples", fs.Rows, fs.Cols)
	case study.KindSamples:
		return fmt.Sprintf("%d samples, %d columns", fs.Rows, fs.Cols)
	case study.KindFISHCells:
		return fmt.Sprintf("%d cells", fs.Rows)
	case study.KindFISHCases:
		return fmt.Sprintf("%d cases", fs.Rows)
	case study.KindFISHSpots:
		return fmt.Sprintf("%d nuclei", fs.Rows)
	case study.KindSpatialSegments:
		return fmt.Sprintf("%d GeoMx segments, %d columns", fs.Rows, fs.Cols)
	case study.KindSpatialCounts:
		return fmt.Sprintf("%d targets x %d segments", fs.Rows, fs.Cols)
	}
	return fmt.Sprintf("%d x %d", fs.Rows, fs.Cols)
}

// Memory use per byte of input, estimated generously: a text matrix holds each
// number (about 3 characters with its delimiter) as an 8-byte float, so memory is
// about 3x the text; gzip-compressed text expands about 5-8x before that.
const (
	textFactor = 3
	gzipFactor = 20
)

// checkBudget refuses, before reading a byte, a file whose contents would not fit in
// the engine's memory budget (MemoryBudget; 0 = no limit).
func (e *Engine) checkBudget(ref api.FileRef) error {
	if e.MemoryBudget <= 0 || ref.Size <= 0 {
		return nil
	}
	factor := int64(textFactor)
	if strings.HasSuffix(strings.ToLower(ref.Name), ".gz") {
		factor = gzipFactor
	}
	if need := ref.Size * factor; need > e.MemoryBudget {
		return &api.Error{File: ref.Name, Message: fmt.Sprintf(
			"%s is too large to load here: it would need about %s of memory and this browser's budget is %s; "+
				"filter genes or samples first, or analyse it with the her2het command line, which has no such limit",
			humanBytes(ref.Size), humanBytes(need), humanBytes(e.MemoryBudget))}
	}
	return nil
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d kB", n>>10)
}
