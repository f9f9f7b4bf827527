package engine

import (
	"testing"
	"time"

	"github.com/her2het/her2het/core/api"
	"github.com/her2het/her2het/core/pool"
)

// BenchmarkExample runs the app's example flow through the engine on one
// goroutine (pool.Local(1)), as one browser engine worker does: load the example
// cohort, analyse (sections drawn and encoded), build the report. With -v it logs
// the wall time of every progress step, so the stage that dominates is visible.
func BenchmarkExample(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		e := New()
		e.Pool = pool.Local(1)
		var last string
		var t0 time.Time
		steps := map[string]time.Duration{}
		var order []string
		mark := func(step string) {
			now := time.Now()
			if last != "" {
				steps[last] += now.Sub(t0)
			}
			if _, ok := steps[step]; !ok {
				order = append(order, step)
				steps[step] = 0
			}
			last, t0 = step, now
		}
		emit := func(ev api.Event) {
			if ev.Kind == api.EventProgress && ev.Step != "" && ev.Step != last {
				mark(ev.Step)
			}
		}
		for k, kind := range []api.Kind{api.KindDemo, api.KindAnalyze, api.KindReport} {
			mark(string(kind))
			var fail *api.Error
			e.Handle(api.Request{ID: int64(k + 1), Kind: kind}, nil, func(ev api.Event) {
				if ev.Kind == api.EventError {
					fail = ev.Error
				}
				emit(ev)
			})
			if fail != nil {
				b.Fatalf("%s: %s", kind, fail.Message)
			}
			mark(string(kind) + " (after the last step)")
		}
		mark("end")
		if i == 0 {
			for _, s := range order {
				if steps[s] >= 20*time.Millisecond {
					b.Logf("%7.3f s  %s", steps[s].Seconds(), s)
				}
			}
		}
	}
}
