// Package plotdata holds what a figure needs to be drawn, and nothing more: groups of
// values with their samples and patients, points, matrices with orderings, bars,
// paired lines, curves, histograms and tables.
//
// Analyses (core/study) produce these; the SVG renderer (core/chart), the report
// (core/report) and the app (web) draw them. Every mark carries the sample and the
// patient it came from, so a click on a patient can highlight it in every chart.
// Every figure carries the parameters that produced it, shown next to it.
//
// The types are plain data that encode to JSON for the trip from the engine worker
// to the page. Missing values are NaN in Go and null in JSON (see Float).
package plotdata
