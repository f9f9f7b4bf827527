//go:build unix

package demo

import (
	"syscall"
	"time"
)

// cpuTime returns the process's user+system CPU time, to report benchmark cost on
// a loaded machine where wall time says little.
func cpuTime() time.Duration {
	var r syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &r) != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}
