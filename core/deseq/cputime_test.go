//go:build !js && !wasip1

package deseq

import "syscall"

// cpuSeconds returns the process's user+system CPU time, for benchmarks that
// report CPU time (the build machine is shared, so wall time mostly measures
// waiting for a core).
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)*1e-6 }
	return tv(ru.Utime) + tv(ru.Stime)
}
