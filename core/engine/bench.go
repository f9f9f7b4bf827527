package engine

import (
	"math"
	"math/rand/v2"

	"github.com/her2het/her2het/core/api"
	"github.com/her2het/her2het/core/fmath"
)

// bench generates a seeded count matrix and computes log2 counts per million for it
// again and again until the requested time has passed, reporting progress. It is a
// real, repeatable workload for measuring this machine and for testing that the page
// stays responsive while the engine is busy.
//
// logCPM here is log2((count + 0.5) / (libsize + 1) * 1e6), voom's transform
// (limma::voom, Law et al. 2014, doi:10.1186/gb-2014-15-2-r29).
func (e *Engine) bench(req api.Request, emit Emit) error {
	p := api.BenchParams{Seconds: 3, Genes: 20000, Samples: 24}
	if err := decodeParams(req, &p); err != nil {
		return err
	}
	if p.Seconds <= 0 || p.Seconds > 600 || p.Genes < 1 || p.Samples < 1 || p.Genes*p.Samples > 50_000_000 {
		return &api.Error{Message: "bench parameters out of range: seconds in (0, 600], genes x samples at most 50 million"}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	counts := make([]float64, p.Genes*p.Samples)
	for i := range counts {
		mu := fmath.Exp(normal(rng)*2 + 3)
		counts[i] = float64(poisson(rng, mu))
	}
	out := make([]float64, len(counts))
	lib := make([]float64, p.Samples)
	start := e.now()
	res := api.BenchResult{Genes: p.Genes, Samples: p.Samples}
	lastReport := -1.0
	for {
		logCPM(counts, lib, out, p.Samples)
		res.Rounds++
		elapsed := e.now().Sub(start).Seconds()
		// At most ten progress events a second: the page redraws on each.
		if elapsed-lastReport >= 0.1 {
			lastReport = elapsed
			emit(api.Event{ID: req.ID, Kind: api.EventProgress, Step: "self-benchmark", Fraction: math.Min(1, elapsed/p.Seconds)})
		}
		if elapsed >= p.Seconds {
			res.Seconds = elapsed
			break
		}
	}
	for _, v := range out {
		res.Checksum += v
	}
	res.ValuesPerS = float64(res.Rounds*len(counts)) / res.Seconds
	emit(api.Event{ID: req.ID, Kind: api.EventData, DataType: "bench", Data: api.Marshal(res)})
	return nil
}

// logCPM writes log2((y+0.5)/(lib+1)*1e6) of the row-major genes x n matrix y into out.
func logCPM(y, lib, out []float64, n int) {
	clear(lib)
	for i, v := range y {
		lib[i%n] += v
	}
	for i, v := range y {
		out[i] = fmath.Log2((v + 0.5) / (lib[i%n] + 1) * 1e6)
	}
}

// poisson draws from Poisson(mu) by inversion for small mu and a normal
// approximation for large mu; good enough for a synthetic workload.
func poisson(rng *rand.Rand, mu float64) int {
	if mu > 50 {
		v := math.Round(mu + math.Sqrt(mu)*normal(rng))
		return int(math.Max(0, v))
	}
	l, k, p := fmath.Exp(-mu), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// normal draws a standard normal number by Box and Muller's method with the
// portable fmath.Log (rand's NormFloat64 calls math.Exp and math.Log, whose
// bits differ between amd64 and wasm).
func normal(rng *rand.Rand) float64 {
	u := 1 - rng.Float64() // (0, 1]
	return math.Sqrt(-2*fmath.Log(u)) * math.Cos(2*math.Pi*rng.Float64())
}
