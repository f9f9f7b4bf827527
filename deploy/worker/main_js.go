//go:build js && wasm

package main

import (
	"embed"
	"io/fs"

	"github.com/her2het/her2het/host"
	"github.com/syumai/workers"
)

//go:embed all:bundle
var bundle embed.FS

func main() {
	web, err := fs.Sub(bundle, "bundle")
	if err != nil {
		panic(err)
	}
	workers.Serve(host.Handler(web))
}
