package deseq

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/fmath"
)

// readTSV reads a tab-separated file with a header into rows of named fields.
func readTSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	hdr := strings.Split(sc.Text(), "\t")
	var out []map[string]string
	for sc.Scan() {
		rec := map[string]string{}
		for i, v := range strings.Split(sc.Text(), "\t") {
			rec[hdr[i]] = strings.TrimSpace(v)
		}
		out = append(out, rec)
	}
	return out
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestMAPTies checks the MAP dispersion line search on genes of the bench
// data whose last Armijo decisions DESeq2 1.38.3 takes within its rounding
// noise (log posterior about -3e7, margins about 1e-11; testdata/gen/map_ties.R
// with DESeq2's own counts, μ, start, prior mean and variance): logPostR must
// give DESeq2's log posterior bit for bit at every point of DESeq2's path,
// and fitDisp must follow that path (the same iterations, α within 1e-9;
// deciding those ties by logPost alone ends up to 1.2e-5 away).
func TestMAPTies(t *testing.T) {
	cnt := readTSV(t, "testdata/map_ties.counts.tsv")
	trace := readTSV(t, "testdata/map_ties.trace.tsv")
	ys, mus := map[string][]float64{}, map[string][]float64{}
	var order []string
	for _, r := range cnt {
		g := r["gene"]
		if ys[g] == nil {
			order = append(order, g)
		}
		ys[g] = append(ys[g], atof(t, r["y"]))
		mus[g] = append(mus[g], atof(t, r["mu"]))
	}
	if len(order) == 0 {
		t.Fatal("no genes")
	}
	for _, g := range order {
		y, mu := ys[g], mus[g]
		m := len(y)
		_, X, _, _, _ := studySim(1, m)
		dw := newDispWork(newDesign(X, m, 2))
		var init, fit, pv, dispMAP float64
		var dispIter int
		points := 0
		dw.prepare(y, mu)
		for _, r := range trace {
			if r["gene"] != g {
				continue
			}
			init, fit, pv = atof(t, r["init"]), atof(t, r["dispFit"]), atof(t, r["priorVar"])
			dispMAP = atof(t, r["dispMAP"])
			dispIter = int(atof(t, r["dispIter"]))
			la, lp := atof(t, r["logAlpha"]), atof(t, r["lastLP"])
			got := dw.logPostR(la, y, mu, fmath.Log(fit), pv, true)
			if got != lp {
				t.Errorf("%s: logPostR(%.17g) = %.17g, DESeq2 %.17g (diff %.3g)", g, la, got, lp, got-lp)
			}
			points++
		}
		if points == 0 {
			t.Fatalf("%s: no trace", g)
		}
		res := dw.fitDisp(y, mu, fmath.Log(init), fmath.Log(fit), pv, fmath.Log(minDisp/10), kappa0, dispTol, maxitFit, true)
		a := fmath.Exp(res.logAlpha)
		if e := math.Abs(a/dispMAP - 1); !(e <= 1e-9) || res.iter != dispIter {
			t.Errorf("%s: MAP %.17g in %d iterations, DESeq2 %.17g in %d (rel %.3g)", g, a, res.iter, dispMAP, dispIter, e)
		}
	}
}
