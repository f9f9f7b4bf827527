//go:build linux

package limma

import (
	"syscall"
	"unsafe"
)

// hugePage is the size of a transparent huge page on Linux (x86-64, arm64).
const hugePage = 2 << 20

// adviseHugePages asks the kernel to back the 2 MiB-aligned pages inside x
// with transparent huge pages (madvise MADV_HUGEPAGE) before x is first
// written. Voom's two outputs are fresh genes x samples matrices (45 MB
// each at 20,000 x 285) whose first touch otherwise costs a page fault per
// 4 KiB page (about 11,000 each); with huge pages it is one per 2 MiB. The
// advice changes no value; where the kernel has huge pages disabled ("never")
// or refuses the advice, nothing changes. Slices smaller than a few huge
// pages are left alone.
func adviseHugePages(x []float64) {
	if len(x)*8 < 4*hugePage {
		return
	}
	// The whole huge pages inside x: from its first 2 MiB boundary (x's
	// elements are 8-byte aligned, so the boundary is an element) to its last.
	start := uintptr(unsafe.Pointer(unsafe.SliceData(x)))
	skip := int((hugePage-start%hugePage)%hugePage) / 8
	if skip >= len(x) {
		return
	}
	size := (uintptr(len(x)-skip) * 8) &^ (hugePage - 1)
	if size == 0 {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(&x[skip])), size)
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE)
}
