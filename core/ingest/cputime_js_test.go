//go:build js

package ingest

import (
	"syscall/js"
	"time"
)

// cpuTime returns Node's process CPU time (user+system; 0 in a browser), so the
// wasm benchmarks report throughput per CPU-second like the native ones.
func cpuTime() time.Duration {
	p := js.Global().Get("process")
	if p.IsUndefined() || p.Get("cpuUsage").IsUndefined() {
		return 0
	}
	u := p.Call("cpuUsage") // microseconds
	return time.Duration((u.Get("user").Float() + u.Get("system").Float()) * 1e3)
}
