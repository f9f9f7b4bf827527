// Package fmath provides elementary functions that give the same bits on every
// Go target, so that her2het's results are byte-identical natively (amd64) and
// in the browser (GOOS=js GOARCH=wasm).
//
// Why: package math implements Exp, Log and Hypot in assembly on amd64
// (math.Exp even switches to fused multiply-adds when the CPU has FMA) and in
// pure Go on wasm, and the two differ in the last bit; every function of
// package math built on them differs too. The amd64 assembly is also wrong in
// places: math.Exp(709.7) is +Inf (the true value is below MaxFloat64) and
// math.Log of a subnormal number is near -709 instead of down to -744.4.
//
// The functions here use only +, -, *, /, math.Sqrt (correctly rounded
// everywhere), exact operations (Abs, Floor, Trunc, Frexp, Ldexp, Mod,
// Float64bits) and pure-Go functions of package math; every product that
// feeds an addition is wrapped in float64(...), which the Go specification
// says forbids fusing it into a fused multiply-add (arm64, ppc64, s390x,
// riscv64 and amd64 with GOAMD64=v3 fuse otherwise). Tables are computed with
// math/big by TestTables and stored in tables.go.
//
// Accuracy (checked against 320-bit math/big references in the tests): Exp,
// Log, Log2, Log10 and Pow are faithfully rounded (error below 1 ulp); Sinh,
// Cosh, Tanh, Asinh, Acosh, Hypot within 2 ulp of package math; Lgamma within
// 3 ulp (absolute error near 2e-17 around its zeros at 1 and 2), Gamma within
// 4 ulp. Special cases (NaN, ±Inf, ±0, overflow, underflow) follow package
// math's documentation.
//
// # Forbidden in core/
//
// Code under core/ must not call these functions of package math (use the
// fmath function of the same name; a guard test, TestGuard, scans core/):
//
//	Exp, Log, Log2, Log10, Pow, Hypot                  assembly on amd64 or built on it
//	Lgamma, Gamma, Sinh, Cosh, Tanh, Asinh, Acosh      built on Exp/Log/Pow
//	Erf, Erfc, Erfinv, Erfcinv, J0, J1, Jn, Y0, Y1, Yn built on Exp/Log (no fmath version yet)
//
// nor math/rand's NormFloat64 and ExpFloat64 (they call math.Exp and
// math.Log), nor gonum's mathext (Cephes code on math.Exp/Log), mat, lapack,
// blas, floats and stat (asm kernels on amd64 with another summation order, or
// math.Exp/Log inside).
//
// Fine everywhere (pure Go or exact): Sqrt, Abs, Floor, Ceil, Trunc, Round,
// RoundToEven, Mod, Modf, Frexp, Ldexp, FMA, Max, Min, Dim, Copysign, Signbit,
// IsNaN, IsInf, Inf, NaN, Float64bits, Float64frombits, Nextafter, Remainder,
// Cbrt, Exp2, Expm1, Log1p, Atanh, Sin, Cos, Tan, Sincos, Asin, Acos, Atan,
// Atan2 and the constants. These are pure Go on amd64 and wasm; built with
// GOAMD64=v1 or v2 (the default) the compiler does not fuse their
// multiply-adds, so they round identically. Native builds for arm64, ppc64,
// s390x or riscv64, or amd64 with GOAMD64=v3, may fuse multiply-adds in any
// Go code (package math's included) and are not promised to match wasm.
package fmath
