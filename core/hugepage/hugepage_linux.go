//go:build linux

package hugepage

import (
	"syscall"
	"unsafe"
)

// Size is the size of a transparent huge page on Linux (x86-64, arm64).
const Size = 2 << 20

// Advise asks the kernel to back the whole 2 MiB-aligned pages inside x with
// transparent huge pages (madvise MADV_HUGEPAGE), to be called on a fresh
// slice before its first write. Slices smaller than four huge pages (8 MiB)
// are left alone, as are empty ones; errors from madvise are ignored (the
// advice changes no value, see the package documentation).
func Advise[S ~[]E, E any](x S) {
	var e E
	esz := unsafe.Sizeof(e)
	if esz == 0 || uintptr(len(x))*esz < 4*Size {
		return
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(x)))
	end := start + uintptr(len(x))*esz
	lo := (start + Size - 1) &^ (Size - 1)
	hi := end &^ (Size - 1)
	if hi <= lo {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(x)), lo-start)), hi-lo)
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE)
}
