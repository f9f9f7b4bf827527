package fmath

import (
	"math"
	"testing"
)

var sink float64

func benchArgs(lo, hi float64) []float64 {
	x := make([]float64, 1024)
	for i := range x {
		x[i] = lo + (hi-lo)*float64(i)/float64(len(x))
	}
	return x
}

func BenchmarkExp(b *testing.B) {
	x := benchArgs(-50, 50)
	b.Run("fmath", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sink += Exp(x[i&1023])
		}
	})
	b.Run("math", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sink += math.Exp(x[i&1023])
		}
	})
}

func BenchmarkLog(b *testing.B) {
	x := benchArgs(1e-3, 1e4)
	b.Run("fmath", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sink += Log(x[i&1023])
		}
	})
	b.Run("math", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sink += math.Log(x[i&1023])
		}
	})
	b.Run("fmath.Log2", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sink += Log2(x[i&1023])
		}
	})
	b.Run("math.Log2", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sink += math.Log2(x[i&1023])
		}
	})
}

func BenchmarkPow(b *testing.B) {
	x := benchArgs(1e-3, 1e3)
	b.Run("fmath", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sink += Pow(x[i&1023], 1.37)
		}
	})
	b.Run("math", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sink += math.Pow(x[i&1023], 1.37)
		}
	})
}

func BenchmarkLgamma(b *testing.B) {
	x := benchArgs(0.1, 100)
	b.Run("fmath", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			v, _ := Lgamma(x[i&1023])
			sink += v
		}
	})
	b.Run("math", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			v, _ := math.Lgamma(x[i&1023])
			sink += v
		}
	})
}
