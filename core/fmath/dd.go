package fmath

// Double-double helpers. Every product whose result feeds an addition is
// wrapped in float64(...): the Go specification lets a compiler fuse x*y + z
// into one fused multiply-add (arm64, ppc64, s390x, riscv64 and amd64 with
// GOAMD64=v3 do), and an explicit conversion forbids that fusion, so the same
// operations round the same way on every target.

// splitter is 2^27 + 1 (Veltkamp's split of a 53-bit significand into 26 + 27
// bits).
const splitter = 134217729

// twoSum returns s = fl(a + b) and the exact error e = a + b - s (Knuth).
func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return s, e
}

// fastTwoSum returns s = fl(a + b) and e = a + b - s for |a| >= |b| (Dekker).
func fastTwoSum(a, b float64) (s, e float64) {
	s = a + b
	e = b - (s - a)
	return s, e
}

// twoProd returns p = fl(a b) and the exact error e = a b - p (Dekker and
// Veltkamp, without a fused multiply-add so that it is the same everywhere).
// |a| and |b| must be below 2^996 so that the split does not overflow.
func twoProd(a, b float64) (p, e float64) {
	p = a * b
	c := float64(splitter * a)
	ah := c - (c - a)
	al := a - ah
	c = float64(splitter * b)
	bh := c - (c - b)
	bl := b - bh
	e = float64(float64(float64(ah*bh)-p)+float64(ah*bl)+float64(al*bh)) + float64(al*bl)
	return p, e
}
