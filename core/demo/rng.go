package demo

import (
	"math"
	"math/bits"

	"github.com/her2het/her2het/core/fmath"
)

// Portable arithmetic.
//
// The generator must write the same bytes natively and under GOOS=js GOARCH=wasm.
// Go's math.Exp and math.Log use assembly on some architectures (amd64, s390x) and
// the pure-Go code elsewhere, and the two may differ in the last bit; NormFloat64 and
// ExpFloat64 of math/rand/v2 call them. So the samplers below use only +, -, *, /,
// math.Sqrt (correctly rounded everywhere), math.Floor, math.Frexp and math.Ldexp
// (exact), and core/fmath's Exp and Log (the same bits on every target). Products
// that feed an addition are wrapped in float64(...) so that no compiler may fuse them
// into a fused multiply-add on CPUs that have one (the Go specification: an explicit
// conversion rounds and prevents fusion).

// exp2Portable returns 2^x as fmath.Exp(x ln 2).
func exp2Portable(x float64) float64 {
	return fmath.Exp(float64(x * math.Ln2))
}

// sampler draws from the distributions the cohort needs, from one PCG stream:
// math/rand/v2's PCG (128-bit LCG state, DXSM output), the same numbers as
// rand.PCG seeded with (seed, stream) (TestSamplerIsPCG), written out in u64
// so that a number costs one call rather than three (rand.Rand's Source
// interface, PCG.Uint64, PCG.next): under js/wasm a call costs as much as the
// arithmetic.
type sampler struct {
	hi, lo uint64
}

func newSampler(seed, stream uint64) *sampler {
	return &sampler{hi: seed, lo: stream}
}

// reset reseeds the sampler.
func (s *sampler) reset(seed, stream uint64) { s.hi, s.lo = seed, stream }

// u64 returns the stream's next 64 bits: state = state*mul + inc (mod 2^128),
// then the DXSM permutation of the new state (math/rand/v2 pcg.go, Go 1.22+).
func (s *sampler) u64() uint64 {
	const (
		mulHi    = 2549297995355413924
		mulLo    = 4865540595714422341
		incHi    = 6364136223846793005
		incLo    = 1442695040888963407
		cheapMul = 0xda942042e4dd58b5
	)
	hi, lo := bits.Mul64(s.lo, mulLo)
	hi += s.hi*mulLo + s.lo*mulHi
	lo, c := bits.Add64(lo, incLo, 0)
	hi, _ = bits.Add64(hi, incHi, c)
	s.lo, s.hi = lo, hi
	hi ^= hi >> 32
	hi *= cheapMul
	hi ^= hi >> 48
	return hi * (lo | 1)
}

// unif returns a uniform number in [0, 1): 53 random bits (as rand.Rand.Float64).
func (s *sampler) unif() float64 { return float64(s.u64()<<11>>11) * 0x1p-53 }

// uniform returns a uniform number in [a, b).
func (s *sampler) uniform(a, b float64) float64 { return a + float64((b-a)*s.unif()) }

// intn returns a uniform integer in [0, n), n > 0, by Lemire's multiply-and-shift
// method with rejection (Lemire D 2019, ACM TOMACS 29:3), so it is exactly uniform.
func (s *sampler) intn(n int) int {
	un := uint64(n)
	hi, lo := bits.Mul64(s.u64(), un)
	if lo < un {
		thresh := -un % un
		for lo < thresh {
			hi, lo = bits.Mul64(s.u64(), un)
		}
	}
	return int(hi)
}

// norm returns a standard normal deviate by the ziggurat method with 128 layers
// in Doornik's formulation (Marsaglia G, Tsang WW 2000, J Stat Softw 5(8);
// Doornik JA 2005, "An improved ziggurat method to generate normal random
// samples"), one 64-bit draw on the fast path: the low 7 bits pick the layer, the
// high 53 bits the uniform. Tables are built at start-up with the portable log.
func (s *sampler) norm() float64 {
	for {
		b := s.u64()
		i := b & 0x7f
		u := float64(2*(float64(b>>11)*0x1p-53)) - 1 // (-1, 1)
		if math.Abs(u) < zigR[i] {
			return u * zigX[i]
		}
		if i == 0 {
			// Tail beyond zigTail (Marsaglia 1964).
			for {
				x := fmath.Log(1-s.unif()) / zigTail
				y := fmath.Log(1 - s.unif())
				if -2*y >= x*x {
					if u < 0 {
						return x - zigTail
					}
					return zigTail - x
				}
			}
		}
		x := u * zigX[i]
		x2 := x * x
		f0 := fmath.Exp(-0.5 * float64(zigX[i]*zigX[i]-x2))
		f1 := fmath.Exp(-0.5 * float64(zigX[i+1]*zigX[i+1]-x2))
		if f1+float64(s.unif()*(f0-f1)) < 1 {
			return x
		}
	}
}

const (
	zigLayers = 128
	zigTail   = 3.442619855899      // R: start of the tail
	zigArea   = 9.91256303526217e-3 // V: area of each layer
)

var zigX, zigR [zigLayers + 1]float64

func init() {
	f := func(x float64) float64 { return fmath.Exp(-0.5 * float64(x*x)) }
	zigX[0] = zigArea / f(zigTail)
	zigX[1] = zigTail
	for i := 2; i < zigLayers; i++ {
		zigX[i] = math.Sqrt(-2 * fmath.Log(zigArea/zigX[i-1]+f(zigX[i-1])))
	}
	zigX[zigLayers] = 0
	for i := 0; i < zigLayers; i++ {
		zigR[i] = zigX[i+1] / zigX[i]
	}
}

// normal returns a N(mu, sd^2) deviate.
func (s *sampler) normal(mu, sd float64) float64 { return mu + float64(sd*s.norm()) }

// gamma returns a Gamma(shape a, scale 1) deviate by Marsaglia and Tsang's method
// (ACM TOMS 26:363, 2000); for a < 1, Gamma(a+1) U^(1/a).
func (s *sampler) gamma(a float64) float64 {
	g := newGammaParams(a)
	return s.gammaP(&g)
}

// gammaParams are the constants of Marsaglia and Tsang's method for one shape.
type gammaParams struct {
	d, c   float64 // d = a' - 1/3, c = 1/sqrt(9d), a' = a or a+1
	invA   float64 // 1/a when a < 1 (boost by U^(1/a)), else 0
	boosts bool
}

func newGammaParams(a float64) gammaParams {
	var g gammaParams
	if a < 1 {
		g.boosts, g.invA = true, 1/a
		a++
	}
	g.d = a - 1.0/3
	g.c = 1 / math.Sqrt(9*g.d)
	return g
}

func (s *sampler) gammaP(g *gammaParams) float64 {
	d, c := g.d, g.c
	var out float64
	for {
		x := s.norm()
		v := 1 + float64(c*x)
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := s.unif()
		x2 := x * x
		if u < 1-float64(0.0331*x2*x2) {
			out = d * v
			break
		}
		if u > 0 && fmath.Log(u) < float64(0.5*x2)+float64(d*(float64(1-v)+fmath.Log(v))) {
			out = d * v
			break
		}
	}
	if g.boosts {
		u := s.unif()
		for u == 0 {
			u = s.unif()
		}
		out *= fmath.Exp(fmath.Log(u) * g.invA)
	}
	return out
}

// poisson returns a Poisson(lambda) deviate: inversion by sequential search for
// lambda < 30, else the normal approximation floor(lambda + sqrt(lambda) Z + 1/2)
// truncated at 0 (the demo data need counts of the right size and spread, not an
// exact Poisson tail at large means, where the gamma part of the negative binomial
// dominates the variance anyway).
func (s *sampler) poisson(lambda float64) float64 {
	if !(lambda > 0) {
		return 0
	}
	if lambda < 30 {
		u := s.unif()
		p := fmath.Exp(-lambda)
		cdf := p
		k := 0.0
		for u > cdf {
			k++
			p = p * lambda / k
			if p == 0 { // far tail: stop
				break
			}
			cdf += p
		}
		return k
	}
	k := math.Floor(lambda + float64(math.Sqrt(lambda)*s.norm()) + 0.5)
	if k < 0 {
		return 0
	}
	return k
}

// negbin returns a negative binomial deviate with mean mu and dispersion phi
// (variance mu + phi mu^2); see negbinP.
func (s *sampler) negbin(mu, phi float64) float64 {
	p := newNBParams(phi)
	return s.negbinP(mu, &p)
}

// nbParams are the per-gene constants of negbinP for one dispersion.
type nbParams struct {
	phi, size float64
	g         gammaParams // Gamma(size)
}

func newNBParams(phi float64) nbParams {
	p := nbParams{phi: phi}
	if phi > 0 {
		p.size = 1 / phi
		p.g = newGammaParams(p.size)
	}
	return p
}

// negbinP returns a negative binomial deviate with mean mu and dispersion q.phi.
// Below a mean of 20 it inverts the distribution function by sequential search
// from P(0) = (1 + mu phi)^(-1/phi) with P(k+1) = P(k) (k + 1/phi)/(k + 1) mu phi/(1
// + mu phi); otherwise it draws Poisson(Gamma(shape 1/phi, scale mu phi)).
func (s *sampler) negbinP(mu float64, q *nbParams) float64 {
	if !(mu > 0) {
		return 0
	}
	if q.phi <= 0 {
		return s.poisson(mu)
	}
	mp := float64(mu * q.phi)
	if mu < 20 {
		odds := mp / (1 + mp) // success odds per step
		p := fmath.Exp(-q.size * fmath.Log(1+mp))
		u := s.unif()
		cdf := p
		k := 0.0
		for u > cdf && k < 1e5 {
			p = p * (k + q.size) / (k + 1) * odds
			if p == 0 {
				break
			}
			k++
			cdf += p
		}
		return k
	}
	return s.poisson(float64(s.gammaP(&q.g) * mp))
}

// shuffle permutes idx in place (Fisher-Yates).
func (s *sampler) shuffle(idx []int) {
	for i := len(idx) - 1; i > 0; i-- {
		j := s.intn(i + 1)
		idx[i], idx[j] = idx[j], idx[i]
	}
}

// pick returns k distinct indices of [0, n) in increasing order (selection
// sampling, Knuth's algorithm S).
func (s *sampler) pick(n, k int) []int {
	out := make([]int, 0, k)
	for i := 0; i < n && len(out) < k; i++ {
		if s.intn(n-i) < k-len(out) {
			out = append(out, i)
		}
	}
	return out
}

// choice returns i with probability p[i] (p sums to 1).
func (s *sampler) choice(p []float64) int {
	u := s.unif()
	c := 0.0
	for i, q := range p {
		c += q
		if u < c {
			return i
		}
	}
	return len(p) - 1
}
