package fmath_test

import (
	"fmt"

	"github.com/her2het/her2het/core/fmath"
)

// The functions are drop-in replacements for package math's, with the same
// bits natively and under GOOS=js GOARCH=wasm.
func Example() {
	lg, sign := fmath.Lgamma(0.5)
	fmt.Println(fmath.Exp(1), fmath.Log(10), fmath.Log2(1024), fmath.Log10(1e-5))
	fmt.Println(fmath.Pow(2, 0.5), fmath.Pow(-2, 3), fmath.Hypot(3, 4))
	fmt.Println(lg, sign, fmath.Gamma(5))
	// Output:
	// 2.718281828459045 2.302585092994046 10 -5
	// 1.4142135623730951 -8 5
	// 0.5723649429247001 1 24
}
