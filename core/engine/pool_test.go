package engine

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/api"
	"github.com/her2het/her2het/core/pool"
)

// splitPool runs every Run as parts tasks would run on separate workers: through
// the kernel registry, last task first.
type splitPool struct {
	parts int
	runs  *int
	lost  bool // fail every Run as a pool whose helper died
}

func (p splitPool) Size() int { return p.parts }

func (p splitPool) Run(name string, tasks [][]byte) ([][]byte, error) {
	*p.runs++
	if p.lost {
		return nil, &pool.TaskError{Kernel: name, Task: 0, Err: fmt.Errorf("helper worker 1 stopped (test): %w", pool.ErrWorkerLost)}
	}
	k, ok := pool.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("no kernel %s", name)
	}
	out := make([][]byte, len(tasks))
	for i := len(tasks) - 1; i >= 0; i-- {
		b, err := pool.Call(k, tasks[i])
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// sectionHashes analyses the loaded session on pool p and hashes every section event.
func sectionHashes(t *testing.T, e *Engine, id int64) map[string]string {
	t.Helper()
	evs := run(t, e, api.Request{ID: id, Kind: api.KindAnalyze}, nil)
	if last := evs[len(evs)-1]; last.Kind != api.EventDone {
		t.Fatalf("analyze: %+v %v", last, last.Error)
	}
	out := map[string]string{}
	for i, ev := range evs {
		if ev.Kind == api.EventData && ev.DataType == "section" {
			out[fmt.Sprint(i)] = fmt.Sprintf("%x", sha256.Sum256(ev.Data))
		}
	}
	return out
}

// TestPoolSameSections: the example cohort analysed with one goroutine and on a
// pool of 3 parts run in reverse order gives byte-identical sections (every
// table, figure and note), and the pool was used; a pool that loses a worker
// fails the analysis with an error event naming it.
func TestPoolSameSections(t *testing.T) {
	if testing.Short() {
		t.Skip("the full example analysis takes a while")
	}
	e := New()
	if evs := run(t, e, api.Request{ID: 1, Kind: api.KindDemo}, nil); evs[len(evs)-1].Kind != api.EventDone {
		t.Fatal("demo did not load")
	}
	e.Pool = pool.Local(1)
	one := sectionHashes(t, e, 2)
	runs := 0
	e.Pool = splitPool{parts: 3, runs: &runs}
	three := sectionHashes(t, e, 3)
	if runs == 0 {
		t.Fatal("the analysis never ran a kernel on the engine's pool")
	}
	t.Logf("%d pool runs, %d sections", runs, len(one))
	if len(one) != len(three) || len(one) < 5 {
		t.Fatalf("%d sections with one worker, %d with three", len(one), len(three))
	}
	for k, h := range one {
		if three[k] != h {
			t.Errorf("section event %s differs between 1 and 3 parts", k)
		}
	}
	// A pool with a helpers-only view (the browser's): the study overlaps its DE
	// step with the others on that view; the sections are the same.
	runs, helperRuns := 0, 0
	e.Pool = viewPool{splitPool{parts: 2, runs: &runs}, splitPool{parts: 2, runs: &helperRuns}}
	two := sectionHashes(t, e, 4)
	if runs == 0 || helperRuns == 0 {
		t.Fatalf("pool runs %d, helpers-only runs %d: want both used", runs, helperRuns)
	}
	for k, h := range one {
		if two[k] != h {
			t.Errorf("section event %s differs with the DE step overlapped on the helpers-only view", k)
		}
	}
	for i, p := range []pool.Pool{splitPool{parts: 2, runs: &runs, lost: true},
		viewPool{splitPool{parts: 2, runs: &runs}, splitPool{parts: 2, runs: &helperRuns, lost: true}}} {
		e.Pool = p
		evs := run(t, e, api.Request{ID: int64(5 + i), Kind: api.KindAnalyze}, nil)
		last := evs[len(evs)-1]
		if last.Kind != api.EventError || last.Error == nil || !strings.HasPrefix(last.Error.Message, "The analysis stopped: helper worker 1 stopped (test)") {
			t.Fatalf("a lost worker (pool %d): last event %+v %v", i, last, last.Error)
		}
	}
}

// viewPool is a splitPool with a helpers-only view, like the browser's pool.
type viewPool struct {
	splitPool
	helpers splitPool
}

func (p viewPool) HelpersOnly() pool.Pool { return p.helpers }
