//go:build !unix

package limma

func processCPU() int64 { return 0 }
