//go:build !unix

package norm

func processCPU() int64 { return 0 }
