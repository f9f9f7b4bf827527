//go:build !js && !wasip1 && !windows

package main

import "syscall"

// samplerWorks: a goroutine sampling the heap runs alongside the computation.
const samplerWorks = true

// cpuSeconds is the user+system CPU time of the process.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
