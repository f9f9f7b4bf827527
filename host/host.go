package host

import (
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
)

// CSP is the Content Security Policy of every response.
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; img-src 'self' blob: data:; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"

// PermissionsPolicy denies every powerful browser feature; the app needs none.
const PermissionsPolicy = "accelerometer=(), ambient-light-sensor=(), autoplay=(), battery=(), bluetooth=(), camera=(), " +
	"display-capture=(), document-domain=(), encrypted-media=(), fullscreen=(), gamepad=(), geolocation=(), gyroscope=(), " +
	"hid=(), idle-detection=(), interest-cohort=(), magnetometer=(), microphone=(), midi=(), payment=(), " +
	"picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), web-share=(), " +
	"xr-spatial-tracking=()"

// Headers are set on every response, whatever its status.
var Headers = map[string]string{
	"Content-Security-Policy":      CSP,
	"X-Content-Type-Options":       "nosniff",
	"Referrer-Policy":              "no-referrer",
	"Permissions-Policy":           PermissionsPolicy,
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Embedder-Policy": "require-corp",
	"Cross-Origin-Resource-Policy": "same-origin",
	"X-Frame-Options":              "DENY",
}

// hashed matches asset names that carry a content hash, e.g. boot.3f9a1c2b7d.js.
var hashed = regexp.MustCompile(`\.[0-9a-f]{10}\.[a-z0-9]+$`)

// CacheControl returns the caching rule for a path: a year and immutable for
// content-hashed assets, revalidate-every-time for everything else (the HTML and
// the service worker must always be fresh so updates are seen).
func CacheControl(p string) string {
	if hashed.MatchString(p) {
		return "public, max-age=31536000, immutable"
	}
	return "no-cache"
}

// ContentType returns the MIME type for a file name; WebAssembly must be served as
// application/wasm for streaming compilation.
func ContentType(name string) string {
	switch path.Ext(name) {
	case ".wasm":
		return "application/wasm"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	case ".json", ".webmanifest":
		return "application/json"
	case ".svg":
		return "image/svg+xml"
	case ".gz":
		return "application/gzip"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// Handler serves the files of bundle (the dist/web folder) with the headers above.
// "/" serves index.html.
func Handler(bundle fs.FS) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range Headers {
			h.Set(k, v)
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "her2het accepts no uploads: your data stay in your browser", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if name == "" {
			name = "index.html"
		}
		data, err := fs.ReadFile(bundle, name)
		if err != nil {
			h.Set("Cache-Control", "no-cache")
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		h.Set("Content-Type", ContentType(name))
		h.Set("Cache-Control", CacheControl(name))
		if r.Method == http.MethodHead {
			return
		}
		w.Write(data)
	})
}
