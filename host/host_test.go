package host

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

func TestHandler(t *testing.T) {
	bundle := fstest.MapFS{
		"index.html":              {Data: []byte("<!doctype html>")},
		"her2het.0123456789.wasm": {Data: []byte("\x00asm")},
		"boot.abcdef0123.js":      {Data: []byte("1")},
		"sw.js":                   {Data: []byte("2")},
	}
	h := Handler(bundle)
	tests := []struct {
		method, path string
		status       int
		ctype, cache string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8", "no-cache"},
		{"GET", "/index.html", 200, "text/html; charset=utf-8", "no-cache"},
		{"GET", "/her2het.0123456789.wasm", 200, "application/wasm", "public, max-age=31536000, immutable"},
		{"HEAD", "/boot.abcdef0123.js", 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"GET", "/sw.js", 200, "text/javascript; charset=utf-8", "no-cache"},
		{"GET", "/../../etc/passwd", 404, "", "no-cache"},
		{"GET", "/missing.js", 404, "", "no-cache"},
		{"POST", "/", 405, "", ""},
		{"PUT", "/upload", 405, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			for k, v := range Headers {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if tc.ctype != "" && rec.Header().Get("Content-Type") != tc.ctype {
				t.Errorf("Content-Type %q, want %q", rec.Header().Get("Content-Type"), tc.ctype)
			}
			if tc.cache != "" && rec.Header().Get("Cache-Control") != tc.cache {
				t.Errorf("Cache-Control %q, want %q", rec.Header().Get("Cache-Control"), tc.cache)
			}
			if tc.method == http.MethodHead && rec.Body.Len() != 0 {
				t.Errorf("HEAD returned a body")
			}
		})
	}
}

func TestCSPForbidsOtherOrigins(t *testing.T) {
	for _, want := range []string{"default-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "'wasm-unsafe-eval'"} {
		if !contains(CSP, want) {
			t.Errorf("CSP lacks %q", want)
		}
	}
	for _, bad := range []string{"*", "http:", "https:", "'unsafe-eval'", "'unsafe-inline'"} {
		if contains(CSP, " "+bad) {
			t.Errorf("CSP allows %q", bad)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
