package pool

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
)

// Test kernels, registered once for every test of the package.
func init() {
	// pool.test.square squares every float64 of its input.
	Register("pool.test.square", func(in []byte) ([]byte, error) {
		r := NewReader(in)
		x := r.Float64s()
		if err := r.Done(); err != nil {
			return nil, err
		}
		w := NewWriter(8*len(x) + 4)
		for i := range x {
			x[i] *= x[i]
		}
		w.Float64s(x)
		return w.Bytes(), nil
	})
	// pool.test.fail fails when its first int is negative, panics when it is 0.
	Register("pool.test.fail", func(in []byte) ([]byte, error) {
		r := NewReader(in)
		v := r.Int()
		switch {
		case r.Err() != nil:
			return nil, r.Err()
		case v < 0:
			return nil, fmt.Errorf("negative %d", v)
		case v == 0:
			var m map[string]int
			m["boom"]++ // a kernel bug
		}
		return in, nil
	})
}

func encodeFloats(x []float64) []byte {
	w := NewWriter(0)
	w.Float64s(x)
	return w.Bytes()
}

func TestLocalOrder(t *testing.T) {
	for _, workers := range []int{-1, 0, 1, 2, 3, 8, 64} {
		t.Run(fmt.Sprint(workers), func(t *testing.T) {
			p := Local(workers)
			if p.Size() < 1 || (workers > 0 && p.Size() != workers) {
				t.Fatalf("Size() = %d for %d workers", p.Size(), workers)
			}
			var tasks [][]byte
			for i := 0; i < 37; i++ {
				tasks = append(tasks, encodeFloats([]float64{float64(i), float64(-i), 0.5}))
			}
			out, err := p.Run("pool.test.square", tasks)
			if err != nil {
				t.Fatal(err)
			}
			if len(out) != len(tasks) {
				t.Fatalf("%d results for %d tasks", len(out), len(tasks))
			}
			for i, b := range out {
				r := NewReader(b)
				got := r.Float64s()
				if err := r.Done(); err != nil {
					t.Fatal(err)
				}
				want := []float64{float64(i * i), float64(i * i), 0.25}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("task %d: got %v, want %v", i, got, want)
				}
			}
		})
	}
}

func TestLocalEmptyAndUnknown(t *testing.T) {
	out, err := Local(3).Run("pool.test.square", nil)
	if err != nil || len(out) != 0 {
		t.Fatalf("no tasks: %v %v", out, err)
	}
	if _, err := Local(3).Run("no.such.kernel", [][]byte{nil}); !errors.Is(err, ErrUnknownKernel) {
		t.Fatalf("unknown kernel: err = %v", err)
	}
}

// TestLocalErrors: the error reported is that of the lowest failing task, with any
// number of workers, and a panicking kernel becomes an error.
func TestLocalErrors(t *testing.T) {
	cases := []struct {
		name string
		vals []int
		task int
		msg  string
	}{
		{"one failure", []int{1, 2, -3, 4}, 2, "negative -3"},
		{"two failures", []int{1, 2, 3, -4, 5, 6, -7, 8, -9}, 3, "negative -4"},
		{"first task", []int{-1, -2, -3}, 0, "negative -1"},
		{"panic", []int{1, 0, 2, -3}, 1, "kernel panicked"},
		{"error before panic", []int{1, -5, 0, 0}, 1, "negative -5"},
		{"corrupt input", []int{1, 1, 1 << 62}, -1, ""},
	}
	for _, c := range cases {
		for _, workers := range []int{1, 2, 4, 16} {
			t.Run(fmt.Sprintf("%s/%d", c.name, workers), func(t *testing.T) {
				tasks := make([][]byte, len(c.vals))
				for i, v := range c.vals {
					w := NewWriter(0)
					w.Int(v)
					tasks[i] = w.Bytes()
				}
				wantTask, wantMsg := c.task, c.msg
				if wantTask < 0 {
					tasks[len(tasks)-1] = []byte{0x80} // truncated varint
					wantTask, wantMsg = len(tasks)-1, "corrupt"
				}
				for rep := 0; rep < 20; rep++ {
					_, err := Local(workers).Run("pool.test.fail", tasks)
					var te *TaskError
					if !errors.As(err, &te) {
						t.Fatalf("err = %v, want a *TaskError", err)
					}
					if te.Task != wantTask || te.Kernel != "pool.test.fail" || !strings.Contains(err.Error(), wantMsg) {
						t.Fatalf("err = %v (task %d), want task %d with %q", err, te.Task, wantTask, wantMsg)
					}
				}
			})
		}
	}
}

func TestRunTasksConcurrency(t *testing.T) {
	var running, peak atomic.Int32
	k := func(in []byte) ([]byte, error) {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		s := 0
		for i := 0; i < 200000; i++ {
			s += i
		}
		running.Add(-1)
		return []byte{byte(s)}, nil
	}
	if _, err := RunTasks(k, "k", make([][]byte, 20), 3); err != nil {
		t.Fatal(err)
	}
	if peak.Load() > 3 {
		t.Fatalf("%d tasks ran at once with 3 workers", peak.Load())
	}
}

func TestRegisterPanics(t *testing.T) {
	for _, c := range []struct {
		name string
		k    Kernel
	}{{"pool.test.square", func([]byte) ([]byte, error) { return nil, nil }}, {"", func([]byte) ([]byte, error) { return nil, nil }}, {"pool.test.nil", nil}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Register(%q) did not panic", c.name)
				}
			}()
			Register(c.name, c.k)
		}()
	}
	if _, ok := Lookup("pool.test.square"); !ok {
		t.Fatal("Lookup of a registered kernel failed")
	}
	names := Names()
	if len(names) < 2 || names[0] > names[1] {
		t.Fatalf("Names() = %v", names)
	}
}

func TestSplit(t *testing.T) {
	cases := []struct {
		n, parts int
		want     string
	}{
		{0, 3, "[]"},
		{-2, 3, "[]"},
		{1, 3, "[[0 1]]"},
		{5, 1, "[[0 5]]"},
		{5, 0, "[[0 5]]"},
		{5, 2, "[[0 3] [3 5]]"},
		{10, 3, "[[0 4] [4 7] [7 10]]"},
		{3, 8, "[[0 1] [1 2] [2 3]]"},
		{8, 4, "[[0 2] [2 4] [4 6] [6 8]]"},
	}
	for _, c := range cases {
		if got := fmt.Sprint(Split(c.n, c.parts)); got != c.want {
			t.Errorf("Split(%d, %d) = %s, want %s", c.n, c.parts, got, c.want)
		}
	}
	// Property: ranges cover [0, n) contiguously, sizes differ by <= 1.
	for n := 1; n < 60; n++ {
		for parts := 1; parts < 12; parts++ {
			rs := Split(n, parts)
			lo, minSz, maxSz := 0, n, 0
			for _, r := range rs {
				if r[0] != lo || r[1] <= r[0] {
					t.Fatalf("Split(%d, %d) = %v", n, parts, rs)
				}
				minSz, maxSz = min(minSz, r[1]-r[0]), max(maxSz, r[1]-r[0])
				lo = r[1]
			}
			if lo != n || maxSz-minSz > 1 || len(rs) != min(n, parts) {
				t.Fatalf("Split(%d, %d) = %v", n, parts, rs)
			}
		}
	}
}

func TestRangesAndOr(t *testing.T) {
	cases := []struct {
		p         Pool
		n, minPer int
		want      string
	}{
		{nil, 10, 1, "[[0 10]]"},
		{Local(4), 10, 1, "[[0 3] [3 6] [6 8] [8 10]]"},
		{Local(4), 10, 4, "[[0 5] [5 10]]"},
		{Local(4), 10, 100, "[[0 10]]"},
		{Local(4), 0, 1, "[]"},
	}
	for _, c := range cases {
		if got := fmt.Sprint(Ranges(c.p, c.n, c.minPer)); got != c.want {
			t.Errorf("Ranges(%v, %d, %d) = %s, want %s", c.p, c.n, c.minPer, got, c.want)
		}
	}
	if Or(nil, 3).Size() != 3 {
		t.Error("Or(nil, 3) is not Local(3)")
	}
	p := Local(2)
	if Or(p, 5) != p {
		t.Error("Or(p, 5) is not p")
	}
}

// lostPool fails like a browser pool whose helper died, or with a kernel error.
type lostPool struct{ lost bool }

func (lostPool) Size() int { return 2 }
func (l lostPool) Run(name string, tasks [][]byte) ([][]byte, error) {
	if l.lost {
		return nil, &TaskError{Kernel: name, Task: 1, Err: fmt.Errorf("helper 1 died: %w", ErrWorkerLost)}
	}
	return nil, &TaskError{Kernel: name, Task: 0, Err: errors.New("bad data")}
}

func TestWatch(t *testing.T) {
	w := Watch(lostPool{})
	if _, err := w.Run("k", nil); err == nil || w.Lost() != nil {
		t.Fatalf("a kernel error: err %v, Lost %v", err, w.Lost())
	}
	w = Watch(lostPool{lost: true})
	calls := 0
	w.OnLost = func(error) { calls++ }
	_, err := w.Run("k", nil)
	if !errors.Is(err, ErrWorkerLost) || w.Lost() != err || w.Size() != 2 {
		t.Fatalf("a lost worker: err %v, Lost %v", err, w.Lost())
	}
	w.Run("k2", nil)
	if w.Lost() != err || calls != 1 {
		t.Fatalf("Lost is not the first error, or OnLost called %d times", calls)
	}
	if Watch(nil).Size() < 1 {
		t.Fatal("Watch(nil) has no workers")
	}
	if out, err := Watch(Local(2)).Run("pool.test.square", [][]byte{encodeFloats([]float64{2})}); err != nil || len(out) != 1 {
		t.Fatalf("Watch(Local(2)): %v %v", out, err)
	}
}
