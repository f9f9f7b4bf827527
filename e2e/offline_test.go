//go:build e2e

package e2e

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestSingleFileRunsFromDisk opens dist/her2het.html from file:// (no server at all)
// and runs the engine: the page starts, a dropped file is read by the worker, and the
// example analysis runs to the end.
func TestSingleFileRunsFromDisk(t *testing.T) {
	s := newSessionTimeout(t, 15*time.Minute)
	abs, err := filepath.Abs(filepath.Join("..", "dist", "her2het.html"))
	if err != nil {
		t.Fatal(err)
	}
	s.run(chromedp.Navigate("file://" + abs))
	s.waitJS(`document.documentElement.dataset.ready === 'ui' && document.documentElement.dataset.engine === 'ready'`, 60*time.Second)
	s.dropFile("counts.tsv", "gene\tS1\tS2\nERBB2\t10\t20\n")
	s.waitJS(`[...document.querySelectorAll('tr.file-row')].some(r => r.innerText.includes('counts.tsv'))`, 30*time.Second)
	s.run(chromedp.Click(chromedp.ID("load-demo")))
	s.waitJS(`document.querySelectorAll('tr.file-row').length >= 3 && !document.getElementById('cancel')`, 5*time.Minute)
	s.run(chromedp.Click(chromedp.ID("analyse")))
	s.waitJS(`document.querySelector('.jobs') !== null`, 30*time.Second)
	s.waitJS(`!document.getElementById('cancel')`, 10*time.Minute)
	s.run(chromedp.Click(chromedp.ID("nav-expression")))
	s.waitJS(`document.querySelectorAll('main figure.chart .mark').length > 0`, 10*time.Second)
	if b := evalJS[string](s, `document.querySelector('.banner') ? document.querySelector('.banner').innerText : ''`); b != "" {
		t.Fatalf("error banner: %s", b)
	}
	s.screenshot("single-file")
	s.assertNoConsoleErrors()
	for _, r := range s.requestsSeen() {
		if !(hasPrefix(r, "file://") || hasPrefix(r, "blob:") || hasPrefix(r, "data:")) {
			t.Errorf("the single-file page made a request: %s", r)
		}
	}
}

// TestServiceWorkerKeepsAppOffline loads the hosted app once, then stops the server
// and reloads: the service worker must serve the whole app from its cache.
func TestServiceWorkerKeepsAppOffline(t *testing.T) {
	s := newSession(t)
	s.open()
	s.waitJS(`navigator.serviceWorker.controller !== null || (navigator.serviceWorker.ready.then(() => location.reload()), false)`, 30*time.Second)
	s.waitJS(`document.documentElement.dataset.engine === 'ready' && navigator.serviceWorker.controller !== null`, 60*time.Second)
	s.srv.Close() // the network is gone
	s.run(chromedp.Reload())
	s.waitJS(`document.documentElement.dataset.ready === 'ui' && document.documentElement.dataset.engine === 'ready'`, 60*time.Second)
	s.dropFile("offline.tsv", "gene\tS1\nA\t1\n")
	s.waitJS(`[...document.querySelectorAll('tr.file-row')].some(r => r.innerText.includes('offline.tsv'))`, 30*time.Second)
	s.screenshot("offline-reload")
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }
