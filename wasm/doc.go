// Command wasm is the browser entry point: one WebAssembly binary with two roles.
//
// On the page (a document exists) it is the UI: it mounts the Vugu root component
// from package web and forwards requests to the engine. In a Web Worker (no
// document) it is the engine: it receives requests from the page, runs them with
// core/engine and posts the events back. The page compiles the module once and hands
// the compiled module to the worker, so the two roles share one download.
//
// JavaScript glue lives in wasm/js: boot.js (page), worker.js (engine worker).
package main
