//go:build !linux

package limma

// adviseHugePages does nothing outside Linux (see hugepage_linux.go).
func adviseHugePages(x []float64) {}
