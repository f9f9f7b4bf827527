// Package e2e holds the browser end-to-end tests: Debian's Chromium, driven headless
// through the DevTools protocol (chromedp), against the built bundle in dist/web
// served by package host on loopback. They are behind the e2e build tag because they
// need the built app and a browser; ./build.sh test builds both and runs them.
// Screenshots go to test-artifacts/ at the repository root.
package e2e
