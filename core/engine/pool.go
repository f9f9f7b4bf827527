package engine

import (
	"github.com/her2het/her2het/core/pool"
)

// pool returns the pool that runs the gene-wise kernels of an analysis: the
// engine's Pool (in the browser, the engine worker and its helper workers, see
// package wasm), or goroutines on every core (natively). Whichever it is, the
// numbers are the same: every kernel's result is independent of the split.
func (e *Engine) pool() pool.Pool {
	return pool.Or(e.Pool, 0)
}
