package limma

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/her2het/her2het/core/design"
	"github.com/her2het/her2het/core/pool"
)

// BenchmarkVoomBench times Voom as bench/cmd's voom step does (voom/20000x285,
// ~ timepoint): every run starts after runtime.GC and debug.FreeOSMemory, so
// the first touch of the outputs' pages is part of its CPU time.
func BenchmarkVoomBench(b *testing.B) {
	counts := simCounts(20000, 285, 1)
	X, _ := design.ModelMatrix("~ timepoint", groupFrame(285))
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			var cpu int64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				runtime.GC()
				debug.FreeOSMemory()
				t0 := processCPU()
				b.StartTimer()
				if _, err := Voom(counts, X, &VoomOptions{Workers: workers}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				cpu += processCPU() - t0
			}
			b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkVoomWeights times the weights pass of Voom alone (20000x285,
// ~ timepoint) into a reused matrix.
func BenchmarkVoomWeights(b *testing.B) {
	counts := simCounts(20000, 285, 1)
	X, _ := design.ModelMatrix("~ timepoint", groupFrame(285))
	v, err := Voom(counts, X, &VoomOptions{Workers: 1})
	if err != nil {
		b.Fatal(err)
	}
	ax, ay := tiesMean(v.LineX, v.LineY)
	ip := newInterp(ax, ay)
	vw := newVoomWeights(v.FitForTrend, X, v.LibSize, ip)
	W := make([]float64, len(v.Weights))
	b.ReportAllocs()
	c := startCPU(b)
	for i := 0; i < b.N; i++ {
		vw.rows(W, 0, 20000)
	}
	c.stop(b)
}

// BenchmarkVoomScan times voom's pass over the counts (checks, all-zero
// genes, library sizes) on 20000x285.
func BenchmarkVoomScan(b *testing.B) {
	counts := simCounts(20000, 285, 1)
	b.ReportAllocs()
	c := startCPU(b)
	for i := 0; i < b.N; i++ {
		if _, err := scanCounts(counts, make([]float64, 285), 1); err != nil {
			b.Fatal(err)
		}
	}
	c.stop(b)
}

func BenchmarkVoomScanSmall(b *testing.B) {
	counts := simCounts(1000, 285, 1)
	b.ReportAllocs()
	c := startCPU(b)
	for i := 0; i < b.N; i++ {
		for k := 0; k < 20; k++ {
			if _, err := scanCounts(counts, make([]float64, 285), 1); err != nil {
				b.Fatal(err)
			}
		}
	}
	c.stop(b)
}

// BenchmarkVoomFill times voom's log-CPM fill of 20000x285 into a reused
// matrix.
func BenchmarkVoomFill(b *testing.B) {
	counts := simCounts(20000, 285, 1)
	lib := make([]float64, 285)
	sc, _ := scanCounts(counts, lib, 1)
	lc := newLogCPM(lib, sc.maxc)
	E := make([]float64, len(counts.Data))
	b.ReportAllocs()
	c := startCPU(b)
	for i := 0; i < b.N; i++ {
		for lo := 0; lo < 20000; lo += lmChunk {
			hi := min(lo+lmChunk, 20000)
			lc.rows(E[lo*285:hi*285], counts.Data[lo*285:hi*285], sc.tabled[lo:hi])
		}
	}
	c.stop(b)
}

// BenchmarkLmFitShared times the unweighted lmFit of voom's trend fit
// (20000x285, ~ timepoint: the shared-QR path with Amean).
func BenchmarkLmFitShared(b *testing.B) {
	counts := simCounts(20000, 285, 1)
	X, _ := design.ModelMatrix("~ timepoint", groupFrame(285))
	v, err := Voom(counts, X, &VoomOptions{Workers: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	c := startCPU(b)
	for i := 0; i < b.N; i++ {
		if _, err := lmFit(v.E, X, &LmOptions{Workers: 1}, true, nil); err != nil {
			b.Fatal(err)
		}
	}
	c.stop(b)
}

// BenchmarkPutGetRows: encoding and decoding 4 MB of rows for a pool task
// (putRows, getRows).
func BenchmarkPutGetRows(b *testing.B) {
	x := make([]float64, 1<<19)
	for i := range x {
		x[i] = float64(i) * 0.25
	}
	y := make([]float64, len(x))
	b.ReportAllocs()
	c := startCPU(b)
	for i := 0; i < b.N; i++ {
		w := pool.NewWriter(8*len(x) + 16)
		w.Float64Blob(x)
		rd := pool.NewReader(w.Bytes())
		pool.DecodeFloat64s(y, rd.Blob())
	}
	c.stop(b)
}
