//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/her2het/her2het/host"
)

const chromium = "/usr/bin/chromium"

// session is one browser tab on a fresh profile against a fresh server.
type session struct {
	t        *testing.T
	ctx      context.Context
	srv      *httptest.Server
	base     string // the app's URL without the trailing slash
	mu       sync.Mutex
	console  []string // console errors, exceptions and browser log errors
	requests []string // every URL the page asked for
	served   []string // every path the server answered
}

func newSession(t *testing.T) *session {
	t.Helper()
	return newSessionTimeout(t, 3*time.Minute)
}

// newSessionTimeout is newSession with a longer limit for the whole browser session.
func newSessionTimeout(t *testing.T, limit time.Duration) *session {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("%s not found: install Debian's chromium (./build.sh test does this as root)", chromium)
	}
	dist := filepath.Join("..", "dist", "web")
	if _, err := os.Stat(filepath.Join(dist, "index.html")); err != nil {
		t.Fatalf("no built app in %s: run ./build.sh build first", dist)
	}
	s := &session{t: t}
	handler := host.Handler(os.DirFS(dist))
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.served = append(s.served, r.URL.Path)
		s.mu.Unlock()
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(s.srv.Close)
	s.base = s.srv.URL

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx, chromedp.WithListener(s.listen))
	ctx, cancelT := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	s.ctx = ctx

	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	return s
}

// listen records console errors, exceptions, browser log errors and requests.
func (s *session) listen(ev any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			s.console = append(s.console, "console."+string(e.Type)+": "+argsText(e.Args))
		}
	case *runtime.EventExceptionThrown:
		s.console = append(s.console, exceptionText(e.ExceptionDetails))
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError {
			s.console = append(s.console, "log: "+e.Entry.Text+" "+e.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		s.requests = append(s.requests, e.Request.URL)
	}
}

func argsText(args []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range args {
		if len(a.Value) > 0 {
			parts = append(parts, string(a.Value))
		} else {
			parts = append(parts, a.Description)
		}
	}
	return strings.Join(parts, " ")
}

func (s *session) run(actions ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	if err := chromedp.Do(s.ctx, actions...); err != nil {
		s.t.Fatalf("browser: %v\nconsole: %v", err, s.consoleErrors())
	}
}

func (s *session) consoleErrors() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.console...)
}

// open loads the app and waits until both the UI and the engine worker are ready.
func (s *session) open() {
	s.t.Helper()
	s.run(chromedp.Navigate(s.base + "/"))
	s.waitJS(`document.documentElement.dataset.ready === 'ui' && document.documentElement.dataset.engine === 'ready' && !!document.querySelector('nav')`, 60*time.Second)
}

// waitJS polls a JavaScript condition until it is true or the timeout passes.
func (s *session) waitJS(cond string, timeout time.Duration) {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := chromedp.Run(s.ctx, chromedp.Evaluate[bool]("!!("+cond+")"))
		if err != nil {
			s.t.Fatalf("evaluating %s: %v", cond, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			body, _ := chromedp.Run(s.ctx, chromedp.Evaluate[string](`document.body.innerText.slice(0, 2000)`))
			s.t.Fatalf("timed out waiting for %s\npage text: %s\nconsole: %v", cond, body, s.consoleErrors())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// evalJS evaluates a JavaScript expression in the page and returns its value.
func evalJS[T any](s *session, js string) T {
	s.t.Helper()
	v, err := chromedp.Run(s.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		s.t.Fatalf("evaluating %s: %v\nconsole: %v", js, err, s.consoleErrors())
	}
	return v
}

// screenshot writes a PNG of the viewport to test-artifacts/NAME.png.
func (s *session) screenshot(name string) {
	s.t.Helper()
	buf, err := chromedp.Run(s.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		s.t.Fatal(err)
	}
	dir := filepath.Join("..", "test-artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// dropFile dispatches a real drop event carrying a File with the given content on the drop zone.
func (s *session) dropFile(name, content string) {
	s.t.Helper()
	js := fmt.Sprintf(`(() => {
		const dt = new DataTransfer();
		dt.items.add(new File([%q], %q, {type: 'text/plain'}));
		const z = document.getElementById('dropzone');
		z.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));
		return z.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
	})()`, content, name)
	notCancelled := evalJS[bool](s, js)
	if notCancelled {
		s.t.Fatalf("the drop zone did not handle the drop (preventDefault not called)")
	}
}

// assertSameOrigin fails if the page requested anything outside its own origin.
func (s *session) assertSameOrigin() {
	s.t.Helper()
	origin, _ := url.Parse(s.base)
	s.mu.Lock()
	reqs := append([]string(nil), s.requests...)
	s.mu.Unlock()
	if len(reqs) == 0 {
		s.t.Fatal("no requests recorded")
	}
	for _, r := range reqs {
		u, err := url.Parse(r)
		if err != nil {
			s.t.Errorf("unparsable request URL %q", r)
			continue
		}
		switch u.Scheme {
		case "data", "blob":
			continue
		}
		if u.Scheme+"://"+u.Host != origin.Scheme+"://"+origin.Host {
			s.t.Errorf("request left the origin: %s", r)
		}
	}
	// What the page's own resource timing saw (includes what the network domain might miss).
	resources := evalJS[[]string](s, `performance.getEntriesByType('resource').map(e => e.name)`)
	for _, r := range resources {
		if !strings.HasPrefix(r, s.base+"/") && !strings.HasPrefix(r, "data:") && !strings.HasPrefix(r, "blob:") {
			s.t.Errorf("resource from another origin: %s", r)
		}
	}
}

func (s *session) requestsSeen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

func (s *session) assertNoConsoleErrors() {
	s.t.Helper()
	if errs := s.consoleErrors(); len(errs) > 0 {
		s.t.Fatalf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

func exceptionText(d *runtime.ExceptionDetails) string {
	msg := "exception: " + d.Text
	if d.Exception != nil {
		msg += " " + d.Exception.Description
	}
	return fmt.Sprintf("%s (%s:%d)", msg, d.URL, d.LineNumber+1)
}
