//go:build js && wasm

package main

import (
	"encoding/json"
	"errors"
	"io"
	"runtime/debug"
	"syscall/js"

	"github.com/her2het/her2het/core/api"
	"github.com/her2het/her2het/core/engine"
)

// runEngine serves requests posted by worker.js until the worker is terminated.
// worker.js calls her2hetEngineReceive(json, files) for every message from the page;
// events go back through postMessage as JSON strings.
func runEngine() {
	setMemoryLimit()
	eng := engine.New()
	eng.MemoryBudget = 2 << 30
	bp := newBrowserPool(js.Global().Get("her2hetPorts"))
	eng.Pool = bp
	self := js.Global()
	emit := func(ev api.Event) {
		b, err := encodeEvent(ev)
		if err != nil {
			b, _ = json.Marshal(api.Event{ID: ev.ID, Kind: api.EventError, Error: &api.Error{Message: "cannot encode event: " + err.Error(), Fatal: true}})
		}
		self.Call("postMessage", string(b))
	}
	receive := js.FuncOf(func(this js.Value, args []js.Value) any {
		var req api.Request
		if err := json.Unmarshal([]byte(args[0].String()), &req); err != nil {
			emit(api.Event{Kind: api.EventError, Error: &api.Error{Message: "malformed request: " + err.Error(), Fatal: true}})
			return nil
		}
		files := fileList{}
		if len(args) > 1 && !args[1].IsUndefined() && !args[1].IsNull() {
			files.v = args[1]
		}
		// Work runs on its own goroutine: a js.Func callback must not block.
		go eng.Handle(req, files, emit)
		return nil
	})
	js.Global().Set("her2hetEngineReceive", receive)
	js.Global().Call("her2hetEngineReady", bp.Size())
	select {}
}

// setMemoryLimit makes the Go collector work harder as the heap nears 3 GiB. A
// wasm32 instance can address 4 GiB, and with the default GOGC the next
// collection is only due at twice the live heap, so a live heap above 2 GiB made
// the engine die with "out of memory" (seen with the example cohort's immune step)
// although a collection would have freed enough.
func setMemoryLimit() { debug.SetMemoryLimit(3 << 30) }

// fileList opens browser File objects (an array) for the engine, reading them in
// chunks with FileReaderSync, which workers have.
type fileList struct{ v js.Value }

func (f fileList) Open(i int, ref api.FileRef) (io.ReadCloser, error) {
	if f.v.IsUndefined() || i >= f.v.Length() {
		return nil, errors.New("the file handle did not reach the engine")
	}
	return &blobReader{blob: f.v.Index(i), size: int64(f.v.Index(i).Get("size").Float()), reader: js.Global().Get("FileReaderSync").New()}, nil
}

// blobReader reads a Blob sequentially, 4 MiB at a time.
type blobReader struct {
	blob   js.Value
	reader js.Value
	size   int64
	off    int64
	buf    []byte
	pos    int
}

const chunk = 4 << 20

func (b *blobReader) Read(p []byte) (int, error) {
	if b.pos >= len(b.buf) {
		if b.off >= b.size {
			return 0, io.EOF
		}
		end := min(b.off+chunk, b.size)
		ab := b.reader.Call("readAsArrayBuffer", b.blob.Call("slice", float64(b.off), float64(end)))
		u8 := js.Global().Get("Uint8Array").New(ab)
		n := u8.Length()
		if cap(b.buf) < n {
			b.buf = make([]byte, n)
		}
		b.buf = b.buf[:n]
		js.CopyBytesToGo(b.buf, u8)
		b.off = end
		b.pos = 0
	}
	n := copy(p, b.buf[b.pos:])
	b.pos += n
	return n, nil
}

func (b *blobReader) Close() error { return nil }
