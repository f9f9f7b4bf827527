//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall/js"

	"github.com/her2het/her2het/core/pool"
)

// browserPool is the engine worker's core/pool.Pool: the engine worker itself
// plus one helper worker per MessagePort in ports (see doc.go). Tasks are split
// statically: participant j of Size() runs the j-th contiguous range of the
// tasks (pool.Split), the engine worker the first. The engine posts the helpers'
// tasks (transferring their ArrayBuffers), runs its own range, then blocks on a
// channel, which lets Go's wasm scheduler return to the JavaScript event loop
// where the helpers' replies arrive.
type browserPool struct {
	mu      sync.Mutex
	helpers []*helperConn
	nextID  int
}

// helperConn is the engine's end of one helper's MessageChannel.
type helperConn struct {
	index   int // 1-based, for messages
	port    js.Value
	onmsg   js.Func
	pending map[int]pendingTask // request id -> where the reply goes
}

type pendingTask struct {
	task  int
	reply chan<- reply
}

type reply struct {
	task int
	out  []byte
	err  error
}

var (
	uint8Array = js.Global().Get("Uint8Array")
	jsObject   = js.Global().Get("Object")
)

// newBrowserPool connects to the helpers' ports (a JS array, possibly
// undefined) and installs her2hetHelperReplaced, which worker.js calls when the
// page replaced a helper that died.
func newBrowserPool(ports js.Value) *browserPool {
	p := &browserPool{}
	if !ports.IsUndefined() && !ports.IsNull() {
		for i := 0; i < ports.Length(); i++ {
			p.helpers = append(p.helpers, p.connect(i+1, ports.Index(i)))
		}
	}
	js.Global().Set("her2hetHelperReplaced", js.FuncOf(func(this js.Value, args []js.Value) any {
		i := args[0].Int() // 0-based helper slot
		reason := args[2].String()
		p.replace(i, args[1], reason)
		return nil
	}))
	return p
}

func (p *browserPool) connect(index int, port js.Value) *helperConn {
	h := &helperConn{index: index, port: port, pending: map[int]pendingTask{}}
	h.onmsg = js.FuncOf(func(this js.Value, args []js.Value) any {
		p.receive(h, args[0].Get("data"))
		return nil
	})
	port.Set("onmessage", h.onmsg)
	return h
}

// receive delivers a helper's reply; it never blocks (reply channels are
// buffered for every task of their Run).
func (p *browserPool) receive(h *helperConn, d js.Value) {
	id := d.Get("id").Int()
	p.mu.Lock()
	pt, ok := h.pending[id]
	delete(h.pending, id)
	p.mu.Unlock()
	if !ok {
		return
	}
	if e := d.Get("error"); !e.IsUndefined() {
		pt.reply <- reply{task: pt.task, err: errors.New(e.String())}
		return
	}
	u8 := uint8Array.New(d.Get("buf"))
	out := make([]byte, u8.Length())
	js.CopyBytesToGo(out, u8)
	pt.reply <- reply{task: pt.task, out: out}
}

// replace fails every task outstanding on helper slot i and connects its
// replacement's port.
func (p *browserPool) replace(i int, port js.Value, reason string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if i < 0 || i >= len(p.helpers) {
		return
	}
	old := p.helpers[i]
	err := lostError(fmt.Sprintf("helper worker %d of the analysis engine stopped (%s); the browser may be short of memory: close other tabs or use fewer workers (?workers=1), then analyse again", old.index, reason))
	for _, pt := range old.pending {
		pt.reply <- reply{task: pt.task, err: err}
	}
	old.pending = nil
	old.port.Set("onmessage", js.Null())
	old.port.Call("close")
	old.onmsg.Release()
	p.helpers[i] = p.connect(old.index, port)
}

// lostError is the error of a task whose helper died; it is a pool.ErrWorkerLost.
type lostError string

func (e lostError) Error() string        { return string(e) }
func (e lostError) Is(target error) bool { return target == pool.ErrWorkerLost }

// Size is 1 (the engine worker) plus the number of helpers.
func (p *browserPool) Size() int { return 1 + len(p.helpers) }

// Run implements pool.Pool.
func (p *browserPool) Run(name string, tasks [][]byte) ([][]byte, error) {
	return p.run(name, tasks, false)
}

// HelpersOnly returns a view of the pool whose Run posts every task to the
// helpers (split among them like Run splits among all participants) and runs
// none on the engine worker, or nil without helpers. Its Size is the pool's, so
// callers cut their work the same way. core/study runs its differential
// expression on it on a goroutine of its own (study.Params.HelperPool) while the
// engine worker's thread does the serial work of the other steps.
func (p *browserPool) HelpersOnly() pool.Pool {
	if len(p.helpers) == 0 {
		return nil
	}
	return helpersOnly{p}
}

type helpersOnly struct{ p *browserPool }

func (h helpersOnly) Size() int { return h.p.Size() }
func (h helpersOnly) Run(name string, tasks [][]byte) ([][]byte, error) {
	return h.p.run(name, tasks, true)
}

// run runs tasks: participant j of Size() takes the j-th contiguous range of
// them (pool.Split), the engine worker the first; with helpersOnly the ranges
// are cut among the helpers alone and the engine worker only waits.
func (p *browserPool) run(name string, tasks [][]byte, helpersOnly bool) ([][]byte, error) {
	k, ok := pool.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("%w %q", pool.ErrUnknownKernel, name)
	}
	var parts [][2]int
	if helpersOnly {
		p.mu.Lock()
		nh := len(p.helpers)
		p.mu.Unlock()
		// An empty range for the engine worker, then the helpers' ranges.
		parts = append([][2]int{{0, 0}}, pool.Split(len(tasks), nh)...)
	} else {
		parts = pool.Split(len(tasks), p.Size())
	}
	if len(parts) <= 1 {
		return pool.RunTasks(k, name, tasks, 1)
	}
	replies := make(chan reply, len(tasks))
	remote := 0
	p.mu.Lock()
	for j, r := range parts[1:] {
		h := p.helpers[j]
		for t := r[0]; t < r[1]; t++ {
			p.nextID++
			h.pending[p.nextID] = pendingTask{task: t, reply: replies}
			u8 := uint8Array.New(len(tasks[t]))
			js.CopyBytesToJS(u8, tasks[t])
			buf := u8.Get("buffer")
			msg := jsObject.New()
			msg.Set("id", p.nextID)
			msg.Set("name", name)
			msg.Set("buf", buf)
			h.port.Call("postMessage", msg, []any{buf})
			remote++
		}
	}
	p.mu.Unlock()
	out := make([][]byte, len(tasks))
	errs := make([]error, len(tasks))
	for t := parts[0][0]; t < parts[0][1]; t++ {
		out[t], errs[t] = pool.Call(k, tasks[t])
	}
	for ; remote > 0; remote-- {
		r := <-replies
		out[r.task], errs[r.task] = r.out, r.err
	}
	for t, err := range errs {
		if err != nil {
			return nil, &pool.TaskError{Kernel: name, Task: t, Err: err}
		}
	}
	return out, nil
}

// runHelper serves kernels to the engine worker over the MessagePort in
// her2hetPort, one task at a time, in arrival order. It never returns; the page
// terminates the worker.
func runHelper() {
	setMemoryLimit()
	self := js.Global()
	h := newHelperServer(self.Get("her2hetPort"), func(served int) {
		self.Call("postMessage", map[string]any{"served": served})
	})
	self.Call("postMessage", map[string]any{"ready": true})
	h.serve()
}

// helperServer is a helper's end of its channel to the engine.
type helperServer struct {
	port   js.Value
	mu     sync.Mutex
	queue  []helperJob
	wake   chan struct{}
	served func(n int) // called after each task with the count so far
}

type helperJob struct {
	id   int
	name string
	in   []byte
}

// newHelperServer installs the port's message handler: it copies each task into
// Go memory and queues it (a js.Func callback must not block).
func newHelperServer(port js.Value, served func(int)) *helperServer {
	h := &helperServer{port: port, wake: make(chan struct{}, 1), served: served}
	port.Set("onmessage", js.FuncOf(func(this js.Value, args []js.Value) any {
		d := args[0].Get("data")
		u8 := uint8Array.New(d.Get("buf"))
		in := make([]byte, u8.Length())
		js.CopyBytesToGo(in, u8)
		h.mu.Lock()
		h.queue = append(h.queue, helperJob{id: d.Get("id").Int(), name: d.Get("name").String(), in: in})
		h.mu.Unlock()
		select {
		case h.wake <- struct{}{}:
		default:
		}
		return nil
	}))
	return h
}

// serve runs queued tasks forever, replying {id, buf} or {id, error}.
func (h *helperServer) serve() {
	n := 0
	for range h.wake {
		for {
			h.mu.Lock()
			if len(h.queue) == 0 {
				h.mu.Unlock()
				break
			}
			j := h.queue[0]
			h.queue = h.queue[1:]
			h.mu.Unlock()
			// Test hook (e2e TestPoolCancelStopsHelpers): exit like a helper whose Go
			// runtime ran out of memory.
			if js.Global().Get("her2hetCrashOnTask").Truthy() {
				os.Exit(3)
			}
			msg, transfer := runJob(j)
			h.port.Call("postMessage", msg, transfer)
			n++
			if h.served != nil {
				h.served(n)
			}
		}
	}
}

// runJob runs one task and builds its reply and the reply's transfer list (the
// result's ArrayBuffer moves to the engine without a copy).
func runJob(j helperJob) (js.Value, []any) {
	msg := jsObject.New()
	msg.Set("id", j.id)
	k, ok := pool.Lookup(j.name)
	var out []byte
	var err error
	if !ok {
		err = fmt.Errorf("%w %q in the helper worker", pool.ErrUnknownKernel, j.name)
	} else {
		out, err = pool.Call(k, j.in)
	}
	if err != nil {
		msg.Set("error", err.Error())
		return msg, nil
	}
	u8 := uint8Array.New(len(out))
	js.CopyBytesToJS(u8, out)
	buf := u8.Get("buffer")
	msg.Set("buf", buf)
	return msg, []any{buf}
}
