// Package dataset holds the in-memory types every analysis shares: expression and
// count matrices, sample sheets, and their metadata.
//
// Matrices are dense, genes x samples, stored row-major in one contiguous slice so
// that gene-wise work walks memory in order and a matrix can cross the Web Worker
// boundary as a single typed array. Missing values are NaN.
package dataset
