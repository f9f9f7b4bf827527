package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

type config struct {
	root, wasm, vugu, goroot, out string
}

// asset is one file of the bundle.
type asset struct {
	name string // logical name used in index.html, e.g. boot.js
	data []byte
}

// hashedName inserts the first 10 hex digits of the SHA-256 of data before the
// extension: boot.js -> boot.1a2b3c4d5e.js.
func hashedName(name string, data []byte) string {
	sum := sha256.Sum256(data)
	ext := filepath.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
}

// vuguHelper returns the JavaScript DOM helper that Vugu's renderer would otherwise
// eval at start-up: the string constant jsHelperScript in domrender.
func vuguHelper(vuguDir string) ([]byte, error) {
	file := filepath.Join(vuguDir, "domrender", "renderer-js-script.go")
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		return nil, err
	}
	var out string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "jsHelperScript" || len(vs.Values) != 1 {
			return true
		}
		if lit, ok := vs.Values[0].(*ast.BasicLit); ok {
			out, err = strconv.Unquote(lit.Value)
		}
		return false
	})
	if err != nil {
		return nil, err
	}
	if out == "" {
		return nil, fmt.Errorf("%s: jsHelperScript not found (Vugu changed?)", file)
	}
	return []byte(out), nil
}

func read(path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return b
}

func build(c config) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	if c.vugu == "" || c.goroot == "" {
		return fmt.Errorf("-vugu and -goroot are required")
	}
	helper, err := vuguHelper(c.vugu)
	if err != nil {
		return err
	}
	assets := []asset{
		{"app.css", read(filepath.Join(c.root, "web", "app.css"))},
		{"vugu-render.js", helper},
		{"wasm_exec.js", read(filepath.Join(c.goroot, "lib", "wasm", "wasm_exec.js"))},
		{"worker.js", read(filepath.Join(c.root, "wasm", "js", "worker.js"))},
		{"boot.js", read(filepath.Join(c.root, "wasm", "js", "boot.js"))},
		{"her2het.wasm", read(c.wasm)},
	}
	page := string(read(filepath.Join(c.root, "index.html")))
	if err := os.RemoveAll(c.out); err != nil {
		return err
	}
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	for _, a := range assets {
		h := hashedName(a.name, a.data)
		n := strings.Count(page, `"`+a.name+`"`)
		if n == 0 {
			return fmt.Errorf("index.html does not reference %s", a.name)
		}
		page = strings.ReplaceAll(page, `"`+a.name+`"`, `"`+h+`"`)
		if err := os.WriteFile(filepath.Join(c.out, h), a.data, 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(c.out, "index.html"), []byte(page), 0o644)
}
