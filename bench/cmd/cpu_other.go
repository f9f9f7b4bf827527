//go:build wasip1 || windows

package main

// samplerWorks: a sampling goroutine is not relied upon here.
const samplerWorks = false

// cpuSeconds is not available: -1.
func cpuSeconds() float64 { return -1 }
