//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "worker: this is the Cloudflare Worker build; build it with ./build.sh edge")
	os.Exit(2)
}
