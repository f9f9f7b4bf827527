package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
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
	if err := os.WriteFile(filepath.Join(c.out, "index.html"), []byte(page), 0o644); err != nil {
		return err
	}
	if err := writeServiceWorker(c, assets); err != nil {
		return err
	}
	return writeSingleFile(c, assets)
}

// writeServiceWorker fills sw.js with the hashed asset names and a version derived
// from them, so every deployment with changed assets is a new service worker.
func writeServiceWorker(c config, assets []asset) error {
	names := make([]string, len(assets))
	sum := sha256.New()
	for i, a := range assets {
		names[i] = hashedName(a.name, a.data)
		sum.Write([]byte(names[i]))
	}
	list, _ := json.Marshal(names)
	sw := string(read(filepath.Join(c.root, "wasm", "js", "sw.js")))
	sw = strings.Replace(sw, "__VERSION__", hex.EncodeToString(sum.Sum(nil))[:12], 1)
	sw = strings.Replace(sw, "__ASSETS__", string(list), 1)
	return os.WriteFile(filepath.Join(c.out, "sw.js"), []byte(sw), 0o644)
}

// writeSingleFile writes dist/her2het.html: the whole app in one file that runs by
// double-click from file://. Scripts and styles are inline and allowed by their
// SHA-256 in the page's Content Security Policy; the module is gzip + base64; the
// engine worker starts from a Blob URL.
func writeSingleFile(c config, assets []asset) error {
	get := func(name string) []byte {
		for _, a := range assets {
			if a.name == name {
				return a.data
			}
		}
		panic("no asset " + name)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(get("her2het.wasm"))
	zw.Close()
	workerSrc := string(get("wasm_exec.js")) + "\n" + string(get("worker.js"))
	scripts := []string{
		string(get("vugu-render.js")),
		string(get("wasm_exec.js")),
		string(read(filepath.Join(c.root, "wasm", "js", "inline.js"))),
		string(get("boot.js")),
	}
	css := string(get("app.css"))
	for _, s := range append(scripts, css, workerSrc) {
		if strings.Contains(strings.ToLower(s), "</script") || strings.Contains(strings.ToLower(s), "</style") {
			return fmt.Errorf("an inlined source contains a closing tag and cannot be inlined")
		}
	}
	hash := func(s string) string {
		h := sha256.Sum256([]byte(s))
		return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
	}
	var scriptHashes []string
	for _, s := range scripts {
		scriptHashes = append(scriptHashes, hash(s))
	}
	csp := "default-src 'none'; script-src " + strings.Join(scriptHashes, " ") + " 'wasm-unsafe-eval'; worker-src blob:; " +
		"style-src " + hash(css) + "; img-src blob: data:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
	var p strings.Builder
	p.WriteString("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	p.WriteString("<meta http-equiv=\"Content-Security-Policy\" content=\"" + csp + "\">\n")
	p.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n")
	p.WriteString("<title>her2het: HER2 heterogeneity analyses (offline edition)</title>\n<link rel=\"icon\" href=\"data:,\">\n")
	p.WriteString("<style>" + css + "</style>\n</head>\n<body>\n")
	p.WriteString("<div id=\"app\"><p id=\"loading\" class=\"loading\">Starting the her2het analysis engine&hellip;</p></div>\n")
	p.WriteString("<noscript><p class=\"noscript\">her2het runs in your browser and needs JavaScript and WebAssembly. Nothing is uploaded.</p></noscript>\n")
	p.WriteString("<script id=\"her2het-wasm\" type=\"application/octet-stream\">" + base64.StdEncoding.EncodeToString(gz.Bytes()) + "</script>\n")
	p.WriteString("<script id=\"her2het-worker\" type=\"text/plain\">" + workerSrc + "</script>\n")
	for _, s := range scripts {
		p.WriteString("<script>" + s + "</script>\n")
	}
	p.WriteString("</body>\n</html>\n")
	return os.WriteFile(filepath.Join(filepath.Dir(c.out), "her2het.html"), []byte(p.String()), 0o644)
}
