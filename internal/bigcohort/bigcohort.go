package bigcohort

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/her2het/her2het/core/genemap"
)

// GeneIDs returns n Ensembl gene IDs from core/genemap's table (genes.tsv.gz,
// read from r): each row's first ID, IDs and the symbols they resolve to
// unique (so the analyses' symbol rows share the counts instead of merging
// rows), protein-coding genes first, in table order, then made-up IDs
// (ENSG00000900000...) that resolve to no gene.
func GeneIDs(r io.Reader, n int) ([]string, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	gm := genemap.Default()
	var coding, other []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(zr)
	for first := true; sc.Scan(); first = false {
		c := strings.Split(sc.Text(), "\t")
		if first || len(c) < 5 || c[2] == "" {
			continue
		}
		id, _, _ := strings.Cut(c[2], ";")
		sym := c[1]
		if g, _, ok := gm.Resolve(id); ok {
			sym = g.Symbol // an ID may be listed by another gene too
		}
		if seen[id] || seen["sym:"+sym] {
			continue
		}
		seen[id], seen["sym:"+sym] = true, true
		if c[4] == "protein-coding" {
			coding = append(coding, id)
		} else {
			other = append(other, id)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	ids := append(coding, other...)
	for g := 0; len(ids) < n; g++ { // the table has 59,700: made-up IDs for the rest
		ids = append(ids, fmt.Sprintf("ENSG%011d", 900000+g))
	}
	return ids[:n], nil
}

// WriteCounts writes the count matrix of len(ids) genes x samples (tab
// separated, header gene_id S0001 S0002 ...) to w, with the model of the
// package comment and a fixed seed: the same arguments give the same bytes.
func WriteCounts(w io.Writer, ids []string, samples int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	rng := rand.New(rand.NewPCG(60000, 1000))
	lib := make([]float64, samples)
	bw.WriteString("gene_id")
	for j := range lib {
		fmt.Fprintf(bw, "\tS%04d", j+1)
		lib[j] = math.Exp(0.25 * rng.NormFloat64())
	}
	bw.WriteByte('\n')
	// Per-cell noise from tables of 4096 quantiles (fast enough to write 60
	// million cells in a few seconds): the log-normal biological factor and the
	// standard normal of the Poisson approximation.
	const nq = 4096
	var noise, normal [nq]float64
	for i := range noise {
		z := qnorm((float64(i) + 0.5) / nq)
		noise[i] = math.Exp(0.3*z - 0.045)
		normal[i] = z
	}
	line := make([]byte, 0, 8*samples)
	for g := range ids {
		mu := math.Exp(math.Log(1500) + 1.5*rng.NormFloat64())
		if rng.Float64() < 0.3 {
			mu = 0.5 * rng.Float64()
		}
		line = append(line[:0], ids[g]...)
		for j := 0; j < samples; j++ {
			u := rng.Uint64()
			m := mu * lib[j] * noise[u>>52]
			if g < 600 && j%2 == 1 {
				m *= 2
			}
			var c int64
			if m < 15 {
				c = poisson(rng, m)
			} else {
				c = max(0, int64(math.Round(m+math.Sqrt(m)*normal[(u>>40)&(nq-1)])))
			}
			line = append(line, '\t')
			line = strconv.AppendInt(line, c, 10)
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Sheet is the sample sheet of WriteCounts' samples S0001...: columns named
// as in the example cohort's sheet (their roles are detected from the names)
// plus group (A/B alternating over the samples, B the odd ones: the DE
// builder's covariate). Samples 1-200 are the pre- and post-treatment
// biopsies of patients P0001-P0100, the others the single pretreatment biopsy
// of P0101-P0900. Patient k: pCR yes when k%3 == 0, HET when k%4 == 0, HR
// positive when k is even.
func Sheet(samples int) string {
	var sh strings.Builder
	sh.WriteString("sampleID\tpatientID\ttpt\tpCR\tHER2 heterogeneity\tHR\tgroup\n")
	pick := func(b bool, no, yes string) string {
		if b {
			return yes
		}
		return no
	}
	for j := 0; j < samples; j++ {
		k, tpt := j-99, "Pre"
		if j < 200 {
			k = j/2 + 1
			if j%2 == 1 {
				tpt = "Post"
			}
		}
		fmt.Fprintf(&sh, "S%04d\tP%04d\t%s\t%s\t%s\t%s\t%s\n", j+1, k, tpt,
			pick(k%3 == 0, "no", "yes"), pick(k%4 == 0, "non-HET", "HET"),
			pick(k%2 == 0, "negative", "positive"), pick(j%2 == 1, "A", "B"))
	}
	return sh.String()
}

// poisson draws a Poisson count with mean m (small m) by inversion.
func poisson(rng *rand.Rand, m float64) int64 {
	l, k, p := math.Exp(-m), int64(0), rng.Float64()
	for p > l {
		k++
		p *= rng.Float64()
	}
	return k
}

// qnorm is the standard normal quantile by bisection on math.Erfc.
func qnorm(p float64) float64 {
	lo, hi := -10.0, 10.0
	for i := 0; i < 100; i++ {
		mid := (lo + hi) / 2
		if 0.5*math.Erfc(-mid/math.Sqrt2) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}
