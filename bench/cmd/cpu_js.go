//go:build js

package main

import "syscall/js"

// samplerWorks: under wasm goroutines are not preempted, so a sampler would
// not run during a step.
const samplerWorks = false

// cpuSeconds is Node's process.cpuUsage() (user + system) of the whole Node
// process, which runs the wasm module on its main thread (V8's background
// compiler and GC threads are included); -1 outside Node.
func cpuSeconds() (s float64) {
	defer func() {
		if recover() != nil {
			s = -1
		}
	}()
	p := js.Global().Get("process")
	if p.Type() != js.TypeObject {
		return -1
	}
	f := p.Get("cpuUsage")
	if f.Type() != js.TypeFunction {
		return -1
	}
	u := p.Call("cpuUsage")
	return (u.Get("user").Float() + u.Get("system").Float()) / 1e6
}
