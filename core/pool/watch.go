package pool

import (
	"errors"
	"sync"
)

// ErrWorkerLost is wrapped by the error of a task whose worker stopped (in the
// browser: a helper worker that crashed or ran out of memory). It is not the
// kernel's or the data's fault; a caller that turns the errors of its steps into
// notes (core/study) should not present it as a result: see Watch.
var ErrWorkerLost = errors.New("a worker of the pool stopped")

// Watched is a Pool that remembers the first Run error wrapping ErrWorkerLost.
type Watched struct {
	Pool
	// OnLost, if set, is called once, with the first such error (e.g. to cancel
	// the rest of the analysis).
	OnLost func(err error)

	mu   sync.Mutex
	lost error
}

// Watch wraps p (nil: Local(0)). The engine runs a whole analysis on a Watched
// pool and fails the request when Lost is set, whatever the analysis did with
// the error.
func Watch(p Pool) *Watched { return &Watched{Pool: Or(p, 0)} }

// Run runs p.Run and records an ErrWorkerLost error.
func (w *Watched) Run(name string, tasks [][]byte) ([][]byte, error) {
	out, err := w.Pool.Run(name, tasks)
	if err != nil && errors.Is(err, ErrWorkerLost) {
		w.mu.Lock()
		first := w.lost == nil
		if first {
			w.lost = err
		}
		w.mu.Unlock()
		if first && w.OnLost != nil {
			w.OnLost(err)
		}
	}
	return out, err
}

// Lost returns the first recorded ErrWorkerLost error, or nil.
func (w *Watched) Lost() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lost
}
