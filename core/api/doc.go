// Package api is the contract between the user interface and the analysis engine.
//
// The page and the engine (a Web Worker in the browser, a goroutine natively) exchange
// only the types declared here: a Request goes to the engine, Events come back. Every
// value is plain data that encodes to JSON, so the same messages cross the worker
// boundary in the browser and a channel natively. The package depends on the standard
// library only.
package api
