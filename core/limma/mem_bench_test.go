package limma

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/her2het/her2het/core/design"
)

// heapPeak samples the live heap (objects) and the heap the runtime holds
// from the system every 200 µs until stop, and returns the peaks. In the
// browser the wasm memory grows to the held heap and never shrinks, so that
// is the number the 2 GiB budget is about.
type heapPeak struct {
	done      chan struct{}
	wg        sync.WaitGroup
	live, sys atomic.Uint64
}

func startHeapPeak() *heapPeak {
	h := &heapPeak{done: make(chan struct{})}
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/total:bytes"}}
	read := func() {
		metrics.Read(s)
		if v := s[0].Value.Uint64(); v > h.live.Load() {
			h.live.Store(v)
		}
		if v := s[1].Value.Uint64(); v > h.sys.Load() {
			h.sys.Store(v)
		}
	}
	read()
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			select {
			case <-h.done:
				read()
				return
			case <-t.C:
				read()
			}
		}
	}()
	return h
}

func (h *heapPeak) stop() (live, sys uint64) {
	h.done <- struct{}{}
	h.wg.Wait()
	return h.live.Load(), h.sys.Load()
}

// BenchmarkVoomMemory60kx1000 runs voom (in place) + lmFit + eBayes on
// 60,000 genes x 1,000 samples (~ timepoint) and reports the peak heap
// beyond the input counts (480 MB): "extra-live-MB" (largest live heap
// minus the heap holding the counts) and "extra-held-MB" (largest heap
// obtained from the system minus the same at the start). Run it with
// -benchtime 1x: the counts are regenerated for every iteration (voom
// overwrites them), which takes longer than the analysis.
func BenchmarkVoomMemory60kx1000(b *testing.B) {
	const G, n = 60000, 1000
	X, err := design.ModelMatrix("~ timepoint", groupFrame(n))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var maxLive, maxSys float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		counts := simCounts(G, n, uint64(10+i))
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapAlloc
		sysBase := ms.Sys
		h := startHeapPeak()
		b.StartTimer()
		v, err := Voom(counts, X, &VoomOptions{Workers: 1, InPlace: true})
		if err != nil {
			b.Fatal(err)
		}
		fit, err := LmFit(v.E, X, &LmOptions{Weights: v.Weights, Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := EBayes(fit, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		live, sys := h.stop()
		maxLive = max(maxLive, float64(live)-float64(base))
		maxSys = max(maxSys, float64(sys)-float64(sysBase))
		runtime.KeepAlive(fit)
		b.StartTimer()
	}
	b.ReportMetric(maxLive/1e6, "extra-live-MB")
	b.ReportMetric(maxSys/1e6, "extra-held-MB")
}
