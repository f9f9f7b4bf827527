package geneset

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestTopEigenvector: on random symmetric matrices (k = 1..200, positive
// semi-definite Gram matrices, indefinite ones, diagonal ones, a repeated
// smaller eigenvalue) the result is a unit vector with residual
// ‖Ax - λx‖ <= 1e-12 ‖A‖ (λ = xᵀAx) and λ is the largest eigenvalue (not
// below any diagonal entry nor the Rayleigh quotient of 200 power-iteration
// steps, up to 1e-12 ‖A‖).
func TestTopEigenvector(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, k := range []int{1, 2, 3, 4, 10, 57, 200} {
		for kind := 0; kind < 4; kind++ {
			a := make([]float64, k*k)
			switch kind {
			case 0: // Gram matrix of a k x 7 matrix (rank <= 7)
				b := make([]float64, k*7)
				for i := range b {
					b[i] = r.Float64()*2 - 1
				}
				for i := 0; i < k; i++ {
					for j := 0; j < k; j++ {
						s := 0.0
						for c := 0; c < 7; c++ {
							s += b[i*7+c] * b[j*7+c]
						}
						a[i*k+j] = s
					}
				}
			case 1: // indefinite
				for i := 0; i < k; i++ {
					for j := 0; j <= i; j++ {
						v := r.Float64()*2 - 1
						a[i*k+j], a[j*k+i] = v, v
					}
				}
			case 2: // diagonal
				for i := 0; i < k; i++ {
					a[i*k+i] = float64((i * 7) % (k + 3))
				}
			case 3: // identity plus a rank-one spike: repeated eigenvalue 1
				u := make([]float64, k)
				for i := range u {
					u[i] = r.Float64()
				}
				for i := 0; i < k; i++ {
					for j := 0; j < k; j++ {
						a[i*k+j] = 3 * u[i] * u[j]
					}
					a[i*k+i]++
				}
			}
			orig := append([]float64(nil), a...)
			x := topEigenvector(a, k)
			norm := 0.0
			for _, v := range orig {
				norm = math.Max(norm, math.Abs(v))
			}
			norm *= float64(k)
			ax := make([]float64, k)
			lambda, xx := 0.0, 0.0
			for i := 0; i < k; i++ {
				for j := 0; j < k; j++ {
					ax[i] += orig[i*k+j] * x[j]
				}
				lambda += x[i] * ax[i]
				xx += x[i] * x[i]
			}
			if math.Abs(xx-1) > 1e-14 {
				t.Fatalf("k=%d kind %d: |x|² = %v", k, kind, xx)
			}
			for i := range ax {
				if d := math.Abs(ax[i] - lambda*x[i]); d > 1e-12*math.Max(norm, 1e-300) {
					t.Fatalf("k=%d kind %d: residual %v (norm %v)", k, kind, d, norm)
				}
			}
			// power iteration lower bound
			y := make([]float64, k)
			for i := range y {
				y[i] = 1 + r.Float64()
			}
			rq := 0.0
			for it := 0; it < 200; it++ {
				z := make([]float64, k)
				for i := 0; i < k; i++ {
					for j := 0; j < k; j++ {
						sh := 0.0
						if i == j {
							sh = 2*norm + 1
						}
						z[i] += (orig[i*k+j] + sh) * y[j] // shifted: positive definite
					}
				}
				scaleUnit(z)
				y = z
			}
			for i := 0; i < k; i++ {
				s := 0.0
				for j := 0; j < k; j++ {
					s += orig[i*k+j] * y[j]
				}
				rq += y[i] * s
			}
			if lambda < rq-1e-12*norm {
				t.Fatalf("k=%d kind %d: λ = %v below the power-iteration estimate %v", k, kind, lambda, rq)
			}
			for i := 0; i < k; i++ {
				if lambda < orig[i*k+i]-1e-12*norm {
					t.Fatalf("k=%d kind %d: λ = %v below a diagonal entry %v", k, kind, lambda, orig[i*k+i])
				}
			}
		}
	}
}

// TestPLAGESingularVector: PLAGE scores are unit right singular vectors of
// the top singular value of Z[S,] (ZᵀZ v = σ² v, residual <= 1e-10 σ²) for
// sets smaller and larger than the number of samples (both Gram paths).
func TestPLAGESingularVector(t *testing.T) {
	m, _ := simulate(400, 30, 1, 2, 2, 21)
	p, n := m.Rows(), m.Cols()
	var sets []Set
	for _, k := range []int{1, 2, 5, 29, 30, 31, 120} {
		g := make([]string, k)
		for i := range g {
			g[i] = m.Genes[(i*7)%p]
		}
		sets = append(sets, Set{Name: "S", Genes: g})
	}
	opt := DefaultOptions(PLAGE)
	res, err := Score(m, sets, opt)
	if err != nil {
		t.Fatal(err)
	}
	z := standardize(m.Data, p, n)
	for s, set := range sets {
		v := res.Matrix.Row(s)
		// w = Z v (k), u = Zᵀ w (n)
		u := make([]float64, n)
		for _, name := range set.Genes {
			var gi int
			for gi = range m.Genes {
				if m.Genes[gi] == name {
					break
				}
			}
			zr := z[gi*n : (gi+1)*n]
			w := 0.0
			for j := range zr {
				w += zr[j] * v[j]
			}
			for j := range zr {
				u[j] += zr[j] * w
			}
		}
		sig2 := 0.0
		for j := range u {
			sig2 += u[j] * v[j]
		}
		for j := range u {
			if d := math.Abs(u[j] - sig2*v[j]); d > 1e-10*sig2 {
				t.Fatalf("set of %d genes: residual %v (σ² %v)", len(set.Genes), d, sig2)
			}
		}
	}
}
