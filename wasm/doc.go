// Command wasm is the browser entry point: one WebAssembly binary with three roles.
//
// On the page (a document exists) it is the UI: it mounts the Vugu root component
// from package web and forwards requests to the engine. In a Web Worker (no
// document) it is the engine: it receives requests from the page, runs them with
// core/engine and posts the events back. The page compiles the module once and hands
// the compiled module to every worker, so all roles share one download and one
// compilation.
//
// # Engine fan-out (helpers)
//
// The third role is the helper: a worker that only runs core/pool kernels (the
// gene-wise parts of the analyses: GSEA permutations, and the dispersion, GLM,
// moderated-statistic and gene-set kernels their packages register). boot.js
// starts N workers, N = min(navigator.hardwareConcurrency, 8), or K with the URL
// query ?workers=K (1..16; ?workers=1 runs no helper): the engine and N-1 helpers,
// all from the same compiled WebAssembly.Module (posted, never fetched or
// compiled again) and the same worker script (worker.js; in the single-file build
// the same Blob URL), told their role in the init message (her2hetRole).
//
// The page, not the engine, creates the helpers (no nested workers): each helper
// gets one end of a MessageChannel and the engine the other, so tasks and results
// travel directly between the workers (ArrayBuffers transferred, not copied by the
// page), while the page owns every worker. That gives explicit termination (Cancel
// and crash recovery terminate the engine and each helper, nothing is left to the
// browser's clean-up of nested workers), works where nested workers are missing or
// restricted (older Safari; a Blob-URL worker of the offline file:// build), and
// needs no new CSP source: helpers load from the same URL as the engine
// (script-src 'self' in the hosted app, worker-src blob: in the single file).
//
// The engine's pool (pool_js.go) implements core/pool.Pool with Size N. Run splits
// the tasks into N contiguous ranges (pool.Split), posts ranges 2..N to the
// helpers, runs the first itself, then waits on a channel: Go's wasm scheduler
// returns to the JavaScript event loop while the goroutine is blocked, and the
// helpers' replies arrive there. Results come back in task order; the error of the
// lowest failing task wins. Kernels are registered by the init functions of their
// packages, which run in every instance of the binary, so helpers know them all.
//
// A helper that dies (an exception, or its Go program exiting, e.g. out of memory)
// is reported to the page by an error event or a "died" message; the page
// terminates it, starts a replacement and sends its port to the engine, which
// fails the dead helper's outstanding tasks with an error that names the cause
// (the analysis ends with an error event, never hangs) and uses the replacement
// from then on. The page keeps counters for tests: her2het.helpersReady,
// her2het.helperTasks (tasks served per helper), her2het.helperDeaths, and
// her2het.crashHelperOnNextTask() makes the next task exit its helper's program.
// The engine's worker count is shown as data-workers on the html element and
// logged to the console when the engine is ready.
//
// The engine worker itself reports the same way when its program stops (a fatal
// runtime error such as out of memory, which recover cannot catch): worker.js
// keeps the program's last lines, the page logs them as a console error, ends
// every open request with a fatal error naming the cause (the UI then restarts
// the engine and replays the session) instead of waiting forever. Engine and
// helpers set a 3 GiB Go memory limit, so the collector runs before the 4 GiB
// wasm32 address space is exhausted.
//
// JavaScript glue lives in wasm/js: boot.js (page), worker.js (engine and helper
// workers), inline.js (single-file build), sw.js (service worker).
package main
