//go:build js && wasm

package main

import "syscall/js"

func main() {
	if js.Global().Get("document").IsUndefined() {
		// worker.js sets the role before it starts the program.
		if js.Global().Get("her2hetRole").String() == "helper" {
			runHelper()
			return
		}
		runEngine()
		return
	}
	runUI()
}
