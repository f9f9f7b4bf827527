package dist_test

import (
	"fmt"

	"github.com/her2het/her2het/core/dist"
)

func ExamplePnorm() {
	fmt.Printf("%.14g\n", dist.Pnorm(-30, 0, 1, true, false))
	fmt.Printf("%.6f\n", dist.Pnorm(1.96, 0, 1, false, false))
	// Output:
	// 4.9067139271482e-198
	// 0.024998
}

func ExampleQt() {
	fmt.Printf("%.6f\n", dist.Qt(0.975, 10, true, false))
	// Output: 2.228139
}
