//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/her2het/her2het/core/geneset"
	"github.com/her2het/her2het/core/gsea"
	"github.com/her2het/her2het/core/pool"
)

// These tests run under Node (GOOS=js GOARCH=wasm go test -exec go_js_wasm_exec
// ./wasm): the engine's pool and helper servers in one instance, connected by
// real MessageChannels, as in the browser where each helper is its own worker.

func init() {
	// wasm.test.scale multiplies its floats by 3; a negative first value is an error.
	pool.Register("wasm.test.scale", func(in []byte) ([]byte, error) {
		r := pool.NewReader(in)
		x := r.Float64s()
		if err := r.Done(); err != nil {
			return nil, err
		}
		if len(x) > 0 && x[0] < 0 {
			return nil, fmt.Errorf("negative %g", x[0])
		}
		for i := range x {
			x[i] *= 3
		}
		w := pool.NewWriter(0)
		w.Float64s(x)
		return w.Bytes(), nil
	})
}

var messageChannel = js.Global().Get("MessageChannel")

// testPool returns a browser pool with helpers served in this instance; with
// served false the helpers' ends get no server (a helper that never answers).
func testPool(t *testing.T, helpers int, served bool) (*browserPool, []js.Value) {
	t.Helper()
	ports := js.Global().Get("Array").New()
	var far []js.Value
	for i := 0; i < helpers; i++ {
		ch := messageChannel.New()
		ports.Call("push", ch.Get("port1"))
		far = append(far, ch.Get("port2"))
		if served {
			go newHelperServer(ch.Get("port2"), nil).serve()
		}
	}
	p := newBrowserPool(ports)
	t.Cleanup(func() {
		for _, h := range p.helpers {
			h.port.Call("close")
		}
		for _, f := range far {
			f.Call("close")
		}
	})
	return p, far
}

func scaleTasks(vals ...float64) [][]byte {
	var tasks [][]byte
	for _, v := range vals {
		w := pool.NewWriter(0)
		w.Float64s([]float64{v, v + 0.5})
		tasks = append(tasks, w.Bytes())
	}
	return tasks
}

func TestBrowserPoolOrder(t *testing.T) {
	for _, helpers := range []int{0, 1, 2, 3} {
		t.Run(fmt.Sprint(helpers), func(t *testing.T) {
			p, _ := testPool(t, helpers, true)
			if p.Size() != helpers+1 {
				t.Fatalf("Size %d with %d helpers", p.Size(), helpers)
			}
			out, err := p.Run("wasm.test.scale", scaleTasks(0, 1, 2, 3, 4, 5, 6))
			if err != nil {
				t.Fatal(err)
			}
			for i, b := range out {
				r := pool.NewReader(b)
				got := r.Float64s()
				if r.Done() != nil || len(got) != 2 || got[0] != 3*float64(i) || got[1] != 3*(float64(i)+0.5) {
					t.Fatalf("task %d: %v", i, got)
				}
			}
			if _, err := p.Run("no.such.kernel", scaleTasks(1)); !errors.Is(err, pool.ErrUnknownKernel) {
				t.Fatalf("unknown kernel: %v", err)
			}
		})
	}
}

// TestBrowserPoolError: the lowest failing task's error wins, wherever it ran.
func TestBrowserPoolError(t *testing.T) {
	p, _ := testPool(t, 2, true)
	for _, c := range []struct {
		vals []float64
		task int
	}{
		{[]float64{1, 2, 3, 4, -5, 6, -7, 8, 9}, 4}, // helpers' ranges
		{[]float64{1, -2, 3, -4, 5, -6}, 1},         // the engine's own range first
		{[]float64{1, 2, 3, 4, 5, -6}, 5},
	} {
		_, err := p.Run("wasm.test.scale", scaleTasks(c.vals...))
		var te *pool.TaskError
		if !errors.As(err, &te) || te.Task != c.task || !strings.Contains(err.Error(), fmt.Sprintf("negative %g", c.vals[c.task])) {
			t.Errorf("%v: err = %v, want task %d", c.vals, err, c.task)
		}
	}
}

// TestBrowserPoolHelperDies: a helper that never answers is replaced (as the page
// does when it dies): its tasks fail with an error naming the cause, Run returns,
// and the next Run uses the replacement.
func TestBrowserPoolHelperDies(t *testing.T) {
	p, _ := testPool(t, 1, false)
	done := make(chan error, 1)
	go func() {
		_, err := p.Run("wasm.test.scale", scaleTasks(1, 2, 3, 4))
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("Run returned before the helper answered: %v", err)
	default:
	}
	ch := messageChannel.New()
	go newHelperServer(ch.Get("port2"), nil).serve()
	t.Cleanup(func() { ch.Get("port2").Call("close") })
	p.replace(0, ch.Get("port1"), "test: out of memory")
	select {
	case err := <-done:
		if !errors.Is(err, pool.ErrWorkerLost) || !strings.Contains(err.Error(), "helper worker 1") || !strings.Contains(err.Error(), "test: out of memory") {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run still waiting after its helper was replaced")
	}
	if _, err := p.Run("wasm.test.scale", scaleTasks(1, 2, 3, 4)); err != nil {
		t.Fatalf("after the replacement: %v", err)
	}
}

// TestBrowserPoolGSEABitwise: GSEA's permutations through the browser pool (2
// helpers, tasks and results crossing MessageChannels) equal one goroutine's,
// bit for bit.
func TestBrowserPoolGSEABitwise(t *testing.T) {
	rng := uint64(7)
	next := func() float64 { // a small LCG: the values only need to vary
		rng = rng*6364136223846793005 + 1442695040888963407
		return float64(int64(rng>>11))/float64(1<<52) - 1
	}
	n := 800
	genes := make([]string, n)
	st := make([]float64, n)
	for i := range genes {
		genes[i], st[i] = fmt.Sprintf("G%d", i), next()
	}
	rk, err := gsea.NewRanking(genes, st)
	if err != nil {
		t.Fatal(err)
	}
	var sets []geneset.Set
	for s := 0; s < 6; s++ {
		set := geneset.Set{Name: fmt.Sprintf("S%d", s)}
		for i := s; i < n; i += 7 + 3*s {
			set.Genes = append(set.Genes, genes[i])
		}
		sets = append(sets, set)
	}
	bp, _ := testPool(t, 2, true)
	a, err := gsea.Run(rk, sets, gsea.Options{NPerm: 500, Seed: 3, Pool: pool.Local(1)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := gsea.Run(rk, sets, gsea.Options{NPerm: 500, Seed: 3, Pool: bp})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if math.Float64bits(a[i].PValue) != math.Float64bits(b[i].PValue) || math.Float64bits(a[i].NES) != math.Float64bits(b[i].NES) ||
			a[i].NMoreExtreme != b[i].NMoreExtreme || math.Float64bits(a[i].PAdj) != math.Float64bits(b[i].PAdj) {
			t.Errorf("%s: browser pool %+v, one goroutine %+v", a[i].Pathway, b[i], a[i])
		}
	}
}
