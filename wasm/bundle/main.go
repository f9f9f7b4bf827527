// Command bundle assembles the browser bundle: it gives every asset a content-hashed
// name, rewrites the page to point at those names, and writes dist/web. It also
// extracts Vugu's DOM helper script from the Vugu module so the page can load it as a
// file (the strict Content Security Policy forbids eval). ./build.sh runs it.
//
//	go run ./wasm/bundle -wasm dist/her2het.wasm -vugu $(go list -m -f '{{.Dir}}' github.com/vugu/vugu) -out dist/web
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var c config
	flag.StringVar(&c.root, "root", ".", "repository root")
	flag.StringVar(&c.wasm, "wasm", "dist/her2het.wasm", "the built WebAssembly binary")
	flag.StringVar(&c.vugu, "vugu", "", "folder of the github.com/vugu/vugu module")
	flag.StringVar(&c.goroot, "goroot", "", "GOROOT, for wasm_exec.js")
	flag.StringVar(&c.out, "out", "dist/web", "output folder")
	flag.Parse()
	if err := build(c); err != nil {
		fmt.Fprintln(os.Stderr, "bundle:", err)
		os.Exit(1)
	}
}
