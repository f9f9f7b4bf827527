// Package hugepage asks the operating system to back large, freshly
// allocated slices with transparent huge pages before they are first
// written.
//
// A fresh genes x samples matrix (45 MB at 20,000 x 285 float64 values)
// costs one page fault per 4 KiB page on its first touch, about 11,000 per
// matrix, each with the kernel's zeroing and bookkeeping; where the kernel
// offers transparent huge pages only on request (Linux's
// /sys/kernel/mm/transparent_hugepage/enabled = "madvise", as on the build
// machines) Go's heap does not ask for them. Advise does (madvise
// MADV_HUGEPAGE on the 2 MiB-aligned part of the slice), so the first touch
// faults once per 2 MiB instead. Make allocates a slice that starts on a
// huge-page boundary and advises all of it, so that its first and last
// partial huge pages are huge too (45 MB written whole in about 23 faults
// instead of 11,520).
//
// The advice changes no value: results are the same bits with or without
// it, natively and under WebAssembly (where Advise does nothing, as on every
// system other than Linux). Where huge pages are disabled ("never") or the
// kernel refuses, nothing changes.
package hugepage
