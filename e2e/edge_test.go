//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/her2het/her2het/host"
)

// startEdge runs the Go edge host under `wrangler dev` (workerd) on a free loopback
// port and returns its base URL.
func startEdge(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "deploy", "worker")
	if _, err := os.Stat(filepath.Join(dir, "build", "app.wasm")); err != nil {
		t.Fatalf("edge host not built (%v): run ./build.sh edge", err)
	}
	wrangler := filepath.Join(dir, "node_modules", ".bin", "wrangler")
	if _, err := os.Stat(wrangler); err != nil {
		t.Fatalf("wrangler not installed in %s (run npm ci there; ./build.sh test does)", dir)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command("node_modules/.bin/wrangler", "dev", "--ip", "127.0.0.1", "--port", fmt.Sprint(port), "--inspector-port", "0", "--show-interactive-dev-session=false")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "WRANGLER_SEND_METRICS=false", "CLOUDFLARE_CF_FETCH_ENABLED=false", "NO_COLOR=1", "CI=true")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	})
	ready := make(chan struct{})
	var logText strings.Builder
	go func() {
		sc := bufio.NewScanner(out)
		once := false
		for sc.Scan() {
			logText.WriteString(sc.Text() + "\n")
			if !once && strings.Contains(sc.Text(), "Ready on") {
				once = true
				close(ready)
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(90 * time.Second):
		t.Fatalf("wrangler dev did not start:\n%s", logText.String())
	}
	return fmt.Sprintf("http://127.0.0.1:%d", port)
}

var assetRef = regexp.MustCompile(`(?:src|href|data-[a-z]+)="([^":]+\.[0-9a-f]{10}\.[a-z]+)"`)

// TestEdgeHostHeaders checks every header of the edge host on the page, each hashed
// asset, the service worker and a refused upload, then runs the app through it.
func TestEdgeHostHeaders(t *testing.T) {
	base := startEdge(t)
	get := func(method, path string) *http.Response {
		t.Helper()
		req, _ := http.NewRequestWithContext(context.Background(), method, base+path, strings.NewReader(""))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	page := get("GET", "/")
	body, _ := io.ReadAll(page.Body)
	refs := assetRef.FindAllStringSubmatch(string(body), -1)
	if len(refs) < 5 {
		t.Fatalf("index.html references %d hashed assets: %s", len(refs), body)
	}
	type check struct{ path, ctype, cache string }
	checks := []check{{"/", "text/html; charset=utf-8", "no-cache"}, {"/sw.js", "text/javascript; charset=utf-8", "no-cache"}}
	for _, r := range refs {
		checks = append(checks, check{"/" + r[1], host.ContentType(r[1]), "public, max-age=31536000, immutable"})
	}
	for _, c := range checks {
		resp := get("GET", c.path)
		if resp.StatusCode != 200 {
			t.Errorf("%s: status %d", c.path, resp.StatusCode)
		}
		for k, v := range host.Headers {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", c.path, k, got, v)
			}
		}
		if got := resp.Header.Get("Content-Type"); got != c.ctype {
			t.Errorf("%s: Content-Type %q, want %q", c.path, got, c.ctype)
		}
		if got := resp.Header.Get("Cache-Control"); got != c.cache {
			t.Errorf("%s: Cache-Control %q, want %q", c.path, got, c.cache)
		}
	}
	for _, m := range []string{"POST", "PUT"} {
		if resp := get(m, "/upload"); resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s accepted with status %d", m, resp.StatusCode)
		}
	}

	// The app itself, through the edge host.
	s := newSession(t)
	s.base = base
	s.open()
	s.dropFile("edge.tsv", "gene\tS1\nA\t1\n")
	s.waitJS(`[...document.querySelectorAll('tr.file-row')].some(r => r.innerText.includes('edge.tsv'))`, 30*time.Second)
	s.assertNoConsoleErrors()
	s.assertSameOrigin()
	s.screenshot("edge-host")
}
