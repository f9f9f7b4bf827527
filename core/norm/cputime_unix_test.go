//go:build unix

package norm

import "syscall"

// processCPU returns the user+system CPU time of the process in
// nanoseconds (0 where unavailable). Benchmarks report it per operation
// because wall time is meaningless on a shared, overloaded machine.
func processCPU() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
