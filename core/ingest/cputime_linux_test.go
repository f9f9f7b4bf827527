//go:build linux

package ingest

import (
	"syscall"
	"time"
)

// cpuTime returns the process's user+system CPU time (0 where unavailable), so
// benchmarks can report throughput per CPU-second on a shared, loaded machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
