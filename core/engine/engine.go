package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/her2het/her2het/core/api"
	"github.com/her2het/her2het/core/pool"
	"github.com/her2het/her2het/core/study"
)

// Opener opens the i-th file attached to a request.
type Opener interface {
	Open(i int, ref api.FileRef) (io.ReadCloser, error)
}

// Emit receives the events of a request, in order.
type Emit func(api.Event)

// Engine holds a session and runs requests against it. Handle may be called from one
// goroutine at a time per request; the session state is guarded by a mutex.
type Engine struct {
	// MemoryBudget is the most memory a loaded file may need, in bytes; a larger
	// file is refused before it is read. 0 means no limit (the CLI); the browser
	// engine sets 2 GiB, half of what a wasm32 heap can address.
	MemoryBudget int64
	// Pool runs the gene-wise kernels of every analysis (see pool.go); nil means
	// goroutines on all cores.
	Pool pool.Pool

	mu     sync.Mutex
	files  []loadedFile
	inputs *study.Inputs
	result *study.Result
	// synthetic is set once the built-in example cohort was loaded.
	synthetic bool
	// drawn holds the last analysis' figures as drawn for the app, by figure ID.
	drawn map[string]drawnFigure
	// now is the clock; tests replace it.
	now func() time.Time
}

type loadedFile struct {
	summary api.LoadSummary
}

// New returns an engine with an empty session.
func New() *Engine { return &Engine{now: time.Now, inputs: &study.Inputs{}} }

// Handle runs req to completion, reporting through emit. It always ends with exactly
// one EventDone or EventError for req.ID, also when the handler panics.
func (e *Engine) Handle(req api.Request, files Opener, emit Emit) {
	defer func() {
		if r := recover(); r != nil {
			emit(api.Event{ID: req.ID, Kind: api.EventError, Error: &api.Error{
				Message: fmt.Sprintf("internal error in the engine while running %q: %v; the engine was restarted and your session restored", req.Kind, r),
				Fatal:   true,
			}})
		}
	}()
	var err error
	switch req.Kind {
	case api.KindLoad:
		err = e.load(req, files, emit)
	case api.KindBench:
		err = e.bench(req, emit)
	case api.KindReport:
		err = e.report(req, emit)
	case api.KindInfo:
		err = e.info(req, emit)
	case api.KindDemo:
		err = e.demo(req, emit)
	case api.KindAnalyze:
		err = e.analyze(req, emit)
	case api.KindReset:
		e.mu.Lock()
		e.files = nil
		e.inputs = &study.Inputs{}
		e.result = nil
		e.synthetic = false
		e.mu.Unlock()
	case api.KindSamples:
		err = e.samples(req, emit)
	case api.KindRoles:
		err = e.setRoles(req, emit)
	case api.KindDEDesign:
		err = e.deDesign(req, emit)
	case api.KindDERun:
		err = e.deRun(req, emit)
	case api.KindPanic:
		panic("requested by the crash-containment test")
	default:
		err = &api.Error{Message: fmt.Sprintf("unknown request kind %q", req.Kind)}
	}
	if err != nil {
		ae := toAPIError(err)
		emit(api.Event{ID: req.ID, Kind: api.EventError, Error: ae})
		return
	}
	emit(api.Event{ID: req.ID, Kind: api.EventDone})
}

// Files returns the summaries of the files loaded in this session, in load order.
func (e *Engine) Files() []api.LoadSummary {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]api.LoadSummary, len(e.files))
	for i, f := range e.files {
		out[i] = f.summary
	}
	return out
}

func decodeParams(req api.Request, v any) error {
	if len(req.Params) == 0 {
		return nil
	}
	if err := json.Unmarshal(req.Params, v); err != nil {
		return &api.Error{Message: fmt.Sprintf("bad parameters for %q: %v", req.Kind, err)}
	}
	return nil
}

// position matches the "file:line:column: message" form every reader uses.
var (
	position     = regexp.MustCompile(`(?s)^([^\s:][^:]*):(\d+):(\d+): (.*)$`)
	linePosition = regexp.MustCompile(`(?s)^([^\s:][^:]*):(\d+): (.*)$`)
)

// toAPIError keeps an error's file, line and column so the page can show them.
func toAPIError(err error) *api.Error {
	var ae *api.Error
	if errors.As(err, &ae) {
		return ae
	}
	msg := err.Error()
	if m := position.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		return &api.Error{File: m[1], Line: line, Column: col, Message: m[4]}
	}
	if m := linePosition.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		return &api.Error{File: m[1], Line: line, Message: m[3]}
	}
	return &api.Error{Message: msg}
}
