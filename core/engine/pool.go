package engine

import (
	"errors"

	"github.com/her2het/her2het/core/api"
	"github.com/her2het/her2het/core/pool"
)

// pool returns the pool that runs the gene-wise kernels of an analysis: the
// engine's Pool (in the browser, the engine worker and its helper workers, see
// package wasm), or goroutines on every core (natively). Whichever it is, the
// numbers are the same: every kernel's result is independent of the split.
func (e *Engine) pool() pool.Pool {
	return pool.Or(e.Pool, 0)
}

// lostWorker is the error of a request during which a worker of the pool stopped:
// the worker's own message (which says what happened and what to do), without the
// kernel and task it was running.
func lostWorker(err error) error {
	var te *pool.TaskError
	if errors.As(err, &te) {
		err = te.Err
	}
	return &api.Error{Message: "The analysis stopped: " + err.Error()}
}
