// Command worker is the her2het edge host: a Cloudflare Worker, written in Go on
// github.com/syumai/workers, that serves the static web bundle with the same strict
// security headers as `her2het serve` (package host). It only serves files: it never
// accepts uploads and never sees patient data, which stay in the user's browser.
//
// ./build.sh edge copies dist/web into bundle/, generates the JavaScript shim with
// workers-assets-gen and builds build/app.wasm; `npx wrangler dev` runs it locally.
package main
