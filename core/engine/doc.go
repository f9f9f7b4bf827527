// Package engine runs api.Requests and reports what happens as api.Events.
//
// The engine is the only place where analysis code runs: in the browser it lives in a
// Web Worker, natively in the CLI's process. It keeps the session state (the files
// loaded so far) between requests, turns every failure a user's data can cause into an
// api.Error with its file, line and column, and recovers panics into a fatal api.Error
// so that the UI can restart it and replay the session instead of losing the page.
//
// The engine reads file bytes through an Opener supplied by its host, so the same code
// reads browser File handles (in chunks, in the worker) and native paths.
package engine
