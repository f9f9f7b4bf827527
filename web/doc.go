// Package web is the her2het user interface: Vugu components that draw the Store and
// send requests to the engine. It never runs analysis code; everything it shows
// arrives as api.Events from the engine (a Web Worker in the browser).
//
// The components are .vugu files; `go tool vugugen` turns them into *_gen.go files
// (./build.sh does this before every build and test).
package web
