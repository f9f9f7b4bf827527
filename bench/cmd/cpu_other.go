//go:build js || wasip1 || windows

package main

// samplerWorks: under wasm goroutines are not preempted, so a sampler would
// not run during a step.
const samplerWorks = false

// cpuSeconds is not available: -1.
func cpuSeconds() float64 { return -1 }
