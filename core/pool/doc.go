// Package pool splits gene-wise work across workers: goroutines natively, Web
// Workers in the browser, with results that do not depend on how many there are.
//
// A kernel is a pure function from bytes to bytes, registered by name from the
// init function of the package that owns it:
//
//	func init() { pool.Register("gsea.null", nullKernel) }
//
// Because a kernel sees only bytes, the same call runs on a goroutine (Local) or
// in another WebAssembly instance of the same binary (the browser pool in package
// wasm, whose helper workers run the same init functions and so know the same
// kernels). A caller encodes one task per part of its work with Writer, runs them
// with Pool.Run and decodes the results with Reader:
//
//	parts := pool.Split(nGenes, p.Size())
//	tasks := make([][]byte, len(parts))
//	for i, r := range parts {
//		w := pool.NewWriter(0)
//		w.Int(r[0]); w.Int(r[1]); w.Float64s(x[r[0]*n : r[1]*n])
//		tasks[i] = w.Bytes()
//	}
//	out, err := p.Run("pkg.kernel", tasks)
//
// # Determinism contract
//
// Run returns the results in task order, and when tasks fail, the error of the
// lowest-indexed failing task (whatever order the workers finished in). A
// kernel's result must depend only on its input bytes (no globals, no clocks,
// no shared random state). A caller whose results must not depend on the number
// of workers (every caller in core/) must make each element's arithmetic
// independent of the partition: each gene, permutation or set computed by the
// same operations in the same order whichever part it falls in, and any
// reduction over parts done by the caller in element order after Run, never by
// summing per-part partial sums. Split gives deterministic contiguous ranges.
//
// # Implementations
//
// Local(workers) runs tasks on goroutines (workers <= 0: runtime.GOMAXPROCS).
// In the browser the engine worker's Pool (package wasm, js build) runs its share
// of the tasks itself and posts the others to N-1 helper workers started from
// the same compiled WebAssembly module; see wasm/doc.go. A nil Pool is allowed in
// options structs: Or(p, workers) returns p, or Local(workers) when p is nil.
//
// A task whose worker stopped (a browser helper that crashed or ran out of
// memory) fails with an error wrapping ErrWorkerLost. Watch wraps a Pool and
// remembers such an error, so the engine can fail a whole analysis even where a
// step turned its error into a "not run" note.
//
// # Codec
//
// Writer and Reader are a small binary format for task inputs and results:
// unsigned and signed varints, little-endian IEEE-754 float64 (bit-exact,
// including NaN payloads and signed zeros), length-prefixed float64 and int
// slices, strings and byte slices. There is no schema and no type tags: a reader
// reads fields in the order the writer wrote them. A Reader never panics on
// malformed input; the first problem (truncation, a length larger than the
// remaining bytes, a varint overflow) is kept in Err and every later read
// returns zero values. Done reports an error also when bytes are left over.
package pool
