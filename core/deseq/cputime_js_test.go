//go:build js || wasip1

package deseq

// cpuSeconds is not available under wasm; benchmarks report 0.
func cpuSeconds() float64 { return 0 }
