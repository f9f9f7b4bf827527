//go:build !linux

package hugepage

// Size is the size of a transparent huge page where Linux has them; Advise
// does nothing outside Linux.
const Size = 2 << 20

// Advise does nothing outside Linux (see hugepage_linux.go): the advice
// changes no value.
func Advise[S ~[]E, E any](x S) {}

// Make is make([]E, n) outside Linux (see hugepage_linux.go): no extra
// memory, which matters under WebAssembly.
func Make[E any](n int) []E { return make([]E, n) }
