// Package dataset holds the in-memory types every analysis shares: expression and
// count matrices, sample sheets, and their metadata.
//
// Matrices are dense, genes x samples, stored row-major in one contiguous slice so
// that gene-wise work walks memory in order and a matrix can cross the Web Worker
// boundary as a single typed array. Missing values are NaN.
//
// A loaded raw count table is kept as a Store: 4-byte whole counts (any other
// value kept exactly beside them, or plain float64 when most are not whole), half
// the memory of a Matrix; analyses take float64 Matrix values from it (Matrix,
// SubsetCols, RowInto) for what they use, bit for bit the numbers of the file.
package dataset
