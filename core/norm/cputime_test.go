package norm

import "testing"

// cpuTimer reports the process CPU time per operation as "cpu-ns/op"
// (call start after setup, stop after the loop).
type cpuTimer struct{ t0 int64 }

func startCPU(b *testing.B) *cpuTimer {
	b.ResetTimer()
	return &cpuTimer{processCPU()}
}

func (c *cpuTimer) stop(b *testing.B) {
	b.StopTimer()
	if t := processCPU(); t > 0 && c.t0 > 0 {
		b.ReportMetric(float64(t-c.t0)/float64(b.N), "cpu-ns/op")
	}
}
