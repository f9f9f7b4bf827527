//go:build linux

package deseq

import (
	"runtime"
	"runtime/debug"
	"syscall"
	"testing"
)

// BenchmarkMemTimepoint is BenchmarkRunTimepoint/20000x285 as bench/cmd
// measures it (a fresh heap: runtime.GC and debug.FreeOSMemory before each
// run), reporting the minor page faults (minflt/op), the system CPU time
// (sys-s/op) and user CPU time (user-s/op) of Run + Results, from getrusage.
// Page faults are nearly deterministic, so they show the first-touch cost
// of the stages' fresh buffers without the machine's load.
func BenchmarkMemTimepoint(b *testing.B) {
	cm, X, cols, _, _ := studySim(20000, 285)
	b.ReportAllocs()
	var flt, usr, sys float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		runtime.GC()
		debug.FreeOSMemory()
		var r0, r1 syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &r0)
		b.StartTimer()
		fit, err := Run(cm, X, cols, Options{Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := fit.Results(ResultsOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &r1)
		flt += float64(r1.Minflt - r0.Minflt)
		usr += tvSec(r1.Utime) - tvSec(r0.Utime)
		sys += tvSec(r1.Stime) - tvSec(r0.Stime)
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(flt/n, "minflt/op")
	b.ReportMetric(usr/n, "user-s/op")
	b.ReportMetric(sys/n, "sys-s/op")
}

func tvSec(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)*1e-6 }
