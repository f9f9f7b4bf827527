package pool

import (
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
)

// Kernel computes one task: it decodes in, does its share of the work and
// returns the encoded result. It must not keep in or the result after returning
// and must not depend on anything but in (see the package's determinism contract).
// An error is for inputs a user's data can cause; a panic is turned into an error
// by every Pool, but is a bug.
type Kernel func(in []byte) ([]byte, error)

var (
	regMu    sync.RWMutex
	registry = map[string]Kernel{}
)

// Register makes k available under name to every Pool. It is meant to be called
// from an init function; it panics if name is empty, k is nil or name is already
// registered (a programmer error caught at start-up).
func Register(name string, k Kernel) {
	if name == "" || k == nil {
		panic("pool: Register with an empty name or a nil kernel")
	}
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := registry[name]; dup {
		panic("pool: kernel " + name + " registered twice")
	}
	registry[name] = k
}

// Lookup returns the kernel registered under name.
func Lookup(name string) (Kernel, bool) {
	regMu.RLock()
	defer regMu.RUnlock()
	k, ok := registry[name]
	return k, ok
}

// Names returns the registered kernel names, sorted.
func Names() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]string, 0, len(registry))
	for n := range registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Pool runs tasks of registered kernels.
type Pool interface {
	// Size is the number of workers that run tasks at the same time (>= 1); a
	// caller usually splits its work into Size parts.
	Size() int
	// Run runs the kernel name on every task and returns the results in task
	// order. When tasks fail it returns the error of the lowest-indexed failing
	// task (a *TaskError); tasks after a failed one may be skipped. An unknown
	// kernel name is an error. Run may be called from several goroutines.
	Run(name string, tasks [][]byte) ([][]byte, error)
}

// TaskError is the error of one task of a Run.
type TaskError struct {
	Kernel string
	Task   int
	Err    error
}

func (e *TaskError) Error() string {
	return fmt.Sprintf("%s (task %d): %v", e.Kernel, e.Task, e.Err)
}

func (e *TaskError) Unwrap() error { return e.Err }

// ErrUnknownKernel is returned (wrapped) by Run for a name nobody registered.
var ErrUnknownKernel = errors.New("pool: unknown kernel")

// Call runs k on in, turning a panic into an error. Pool implementations use it
// so that a kernel bug fails its request instead of the whole program.
func Call(k Kernel, in []byte) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("internal error: kernel panicked: %v", r)
		}
	}()
	return k(in)
}

// Local returns a Pool that runs tasks on workers goroutines of this process
// (workers <= 0: runtime.GOMAXPROCS(0)). With one worker, or one task, tasks run
// on the calling goroutine.
func Local(workers int) Pool {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return local(workers)
}

type local int

func (l local) Size() int { return int(l) }

func (l local) Run(name string, tasks [][]byte) ([][]byte, error) {
	k, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownKernel, name)
	}
	return RunTasks(k, name, tasks, int(l))
}

// RunTasks runs k on every task with up to workers goroutines, handing tasks
// out in index order; results are in task order and the error is that of the
// lowest-indexed failing task. Once a task failed, tasks with a higher index
// that have not started are skipped (every lower-indexed task has started by
// then, so the reported error does not depend on timing).
func RunTasks(k Kernel, name string, tasks [][]byte, workers int) ([][]byte, error) {
	n := len(tasks)
	out := make([][]byte, n)
	errs := make([]error, n)
	if workers <= 1 || n <= 1 {
		for i, t := range tasks {
			if out[i], errs[i] = Call(k, t); errs[i] != nil {
				return nil, &TaskError{Kernel: name, Task: i, Err: errs[i]}
			}
		}
		return out, nil
	}
	var next atomic.Int64
	var failed atomic.Int64 // lowest failed index + 1, 0 = none
	var wg sync.WaitGroup
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if f := failed.Load(); f != 0 && int64(i) >= f-1 {
					continue
				}
				out[i], errs[i] = Call(k, tasks[i])
				if errs[i] != nil {
					for {
						f := failed.Load()
						if (f != 0 && f-1 <= int64(i)) || failed.CompareAndSwap(f, int64(i)+1) {
							break
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, &TaskError{Kernel: name, Task: i, Err: err}
		}
	}
	return out, nil
}

// Or returns p, or Local(workers) when p is nil: packages take an optional Pool
// in their options beside a Workers count.
func Or(p Pool, workers int) Pool {
	if p != nil {
		return p
	}
	return Local(workers)
}

// Split divides [0, n) into min(parts, n) contiguous ranges [lo, hi) of sizes
// differing by at most one, the larger first. It depends only on n and parts.
// n <= 0 gives no ranges; parts < 1 counts as 1.
func Split(n, parts int) [][2]int {
	if n <= 0 {
		return nil
	}
	parts = max(1, min(parts, n))
	out := make([][2]int, parts)
	q, r := n/parts, n%parts
	lo := 0
	for i := range out {
		hi := lo + q
		if i < r {
			hi++
		}
		out[i] = [2]int{lo, hi}
		lo = hi
	}
	return out
}

// Ranges splits [0, n) for p: into p.Size() parts, but fewer when that would
// leave a part with less than minPer elements (small jobs are not worth
// shipping to another worker). A nil p gives one range.
func Ranges(p Pool, n, minPer int) [][2]int {
	parts := 1
	if p != nil {
		parts = p.Size()
	}
	if minPer > 1 {
		parts = min(parts, n/minPer)
	}
	return Split(n, max(parts, 1))
}
