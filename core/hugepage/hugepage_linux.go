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

// Make returns a fresh zeroed slice of n elements (length and capacity n)
// that starts on a huge-page boundary, with Advise applied to every huge page
// it touches, so that its first touch faults once per 2 MiB including its
// first and last partial huge pages (Advise alone leaves those to 4 KiB
// pages: up to 1,024 faults for a slice that is not aligned). Below four
// huge pages it is make([]E, n). The backing allocation is up to two huge
// pages longer than n elements; the extra part is never written, but the
// kernel backs the last huge page whole. For element types without pointers
// (numbers), as the stages' genes x samples buffers.
func Make[E any](n int) []E {
	var e E
	esz := int(unsafe.Sizeof(e))
	if esz == 0 || n*esz < 4*Size || Size%esz != 0 {
		return make([]E, n)
	}
	per := Size / esz                 // elements per huge page
	span := (n + per - 1) / per * per // n rounded up to whole huge pages
	buf := make([]E, span+per)        // room to move the start to a boundary
	start := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	off := int((Size-start%Size)%Size) / esz
	if (start+uintptr(off*esz))%Size != 0 {
		return buf[:n:n] // an element size that cannot reach the boundary
	}
	Advise(buf[off : off+span])
	return buf[off : off+n : off+n]
}
