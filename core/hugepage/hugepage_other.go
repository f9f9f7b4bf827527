//go:build !linux

package hugepage

// Size is the size of a transparent huge page where Linux has them; Advise
// does nothing outside Linux.
const Size = 2 << 20

// Advise does nothing outside Linux (see hugepage_linux.go): the advice
// changes no value.
func Advise[S ~[]E, E any](x S) {}
