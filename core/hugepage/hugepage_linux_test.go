//go:build linux

package hugepage

import (
	"os"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// TestAdviseFaults writes a fresh 64 MiB slice after Advise and checks that
// its first touch took far fewer minor page faults than one per 4 KiB page,
// where the kernel offers transparent huge pages on request (skipped
// otherwise: "never", or no sysfs entry). The kernel may still refuse a
// huge page (memory fragmented), so the bound is loose: fewer than half the
// 4 KiB faults.
func TestAdviseFaults(t *testing.T) {
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(b), "[never]") {
		t.Skip("no transparent huge pages")
	}
	const n = 64 << 20 / 8
	x := make([]float64, n)
	Advise(x)
	var r0, r1 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &r0)
	for i := 0; i < n; i += 512 {
		x[i] = 1
	}
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &r1)
	flt := r1.Minflt - r0.Minflt
	t.Logf("%d minor faults for %d 4-KiB pages", flt, n/512)
	if flt > n/512/2 {
		t.Errorf("%d minor faults for %d 4-KiB pages after Advise", flt, n/512)
	}
}

// TestMakeAligned checks that Make's large slices start on a huge-page
// boundary and that writing one whole takes a few faults per huge page at
// most (none per 4 KiB page; skipped without transparent huge pages).
func TestMakeAligned(t *testing.T) {
	const n = 45 << 20 / 8 // a 20,000 x 285 matrix
	x := Make[float64](n)
	if a := uintptr(unsafe.Pointer(&x[0])) % Size; a != 0 {
		t.Fatalf("Make's slice starts %d bytes past a huge page boundary", a)
	}
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(b), "[never]") {
		t.Skip("no transparent huge pages")
	}
	var r0, r1 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &r0)
	for i := range x {
		x[i] = 1
	}
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &r1)
	flt := r1.Minflt - r0.Minflt
	t.Logf("%d minor faults for %d 4-KiB pages", flt, n/512)
	if flt > n/512/4 {
		t.Errorf("%d minor faults for %d 4-KiB pages", flt, n/512)
	}
}
