package geneset

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/stats"
)

// minRanks returns the genes x samples matrix of within-sample ranks with ties
// "min" (singscore rankGenes: matrixStats::colRanks(ties.method="min")).
func minRanks(x []float64, p, n, workers int) []float64 {
	r := make([]float64, len(x))
	parallel(n, workers, func(lo, hi int) {
		col := make([]float64, p)
		order := make([]int, p)
		rk := make([]float64, p)
		srt := newSorter(p)
		for j := lo; j < hi; j++ {
			for g := 0; g < p; g++ {
				col[g] = x[g*n+j]
			}
			minRanksInto(col, order, rk, srt)
			for g := 0; g < p; g++ {
				r[g*n+j] = rk[g]
			}
		}
	})
	return r
}

// median returns R's median of x (x is reordered).
func median(x []float64) float64 {
	sort.Float64s(x)
	k := len(x)
	if k == 0 {
		return math.NaN()
	}
	if k%2 == 1 {
		return x[k/2]
	}
	return (x[k/2-1] + x[k/2]) / 2
}

// mad returns R's mad(x): 1.4826 * median(|x - median(x)|).
func mad(x []float64) float64 {
	y := append([]float64(nil), x...)
	m := median(y)
	for i, v := range x {
		y[i] = math.Abs(v - m)
	}
	return 1.4826 * median(y)
}

// singscoreUp writes singscore's score and dispersion of one gene set (row
// indices into ranks, p genes x n samples) for every sample (singscore
// calcScores, DavisLaboratory/singscore R/rankAndScoring.R, 2025):
//
//	raw_j = mean_{g∈S} R_gj,  low = (k+1)/2,  up = (2N-k+1)/2
//	score_j = (raw_j - low)/(up - low) - 0.5 (centred) ,  dispersion_j = mad(R_Sj)
//
// with k = |S| after dropping missing genes and N the number of genes ranked.
func singscoreUp(ranks []float64, p, n int, set []int, center bool, score, disp []float64) {
	k := float64(len(set))
	low := (k + 1) / 2
	up := (2*float64(p) - k + 1) / 2
	singscoreBounds(ranks, n, set, low, up, center, score, disp)
}

func singscoreBounds(ranks []float64, n int, set []int, low, up float64, center bool, score, disp []float64) {
	off := 0.0
	if center {
		off = -0.5
	}
	vals := make([]float64, len(set))
	for j := 0; j < n; j++ {
		var a stats.Neumaier
		for i, g := range set {
			vals[i] = ranks[g*n+j]
			a.Add(vals[i])
		}
		raw := a.Sum() / float64(len(set))
		score[j] = (raw-low)/(up-low) + off
		disp[j] = mad(vals)
	}
}

// UpDown is a signature of genes expected up (Up) and down (Down) together,
// scored by SingscoreUpDown.
type UpDown struct {
	Name     string
	Up, Down Set
}

// PairUpDown pairs sets named NAME_UP with NAME_DN or NAME_DOWN (case
// insensitive suffixes) into UpDown signatures named NAME, in the order of the
// up sets; the other sets are returned unpaired, in input order.
func PairUpDown(sets []Set) (pairs []UpDown, rest []Set) {
	down := map[string]int{}
	for i, s := range sets {
		u := strings.ToUpper(s.Name)
		for _, suf := range []string{"_DN", "_DOWN"} {
			if strings.HasSuffix(u, suf) {
				down[u[:len(u)-len(suf)]] = i
			}
		}
	}
	used := make([]bool, len(sets))
	for i, s := range sets {
		u := strings.ToUpper(s.Name)
		if !strings.HasSuffix(u, "_UP") {
			continue
		}
		if d, ok := down[u[:len(u)-3]]; ok && !used[d] {
			pairs = append(pairs, UpDown{Name: s.Name[:len(s.Name)-3], Up: s, Down: sets[d]})
			used[i], used[d] = true, true
		}
	}
	for i, s := range sets {
		if !used[i] {
			rest = append(rest, s)
		}
	}
	return pairs, rest
}

// SingscoreOptions configures SingscoreUpDown and SingscoreSets.
type SingscoreOptions struct {
	// NoCenter turns off the -0.5 centring (singscore centerScore=FALSE).
	NoCenter bool
	// UnknownDirection scores |R - ceiling(median R)| per sample with bounds
	// from floor(k/2) and ceiling(N/2), and disables centring
	// (singscore knownDirection=FALSE). Ignored by SingscoreUpDown.
	UnknownDirection bool
	// Workers as in Options.
	Workers int
}

// UpDownScores holds singscore results for up/down signatures; every matrix
// is signatures x samples. Total = Up + Down and TotalDispersion =
// UpDispersion + DownDispersion, as singscore's data frame columns.
type UpDownScores struct {
	Total, TotalDispersion *dataset.Matrix
	Up, UpDispersion       *dataset.Matrix
	Down, DownDispersion   *dataset.Matrix
	// FoundUp, FoundDown: genes of each part found in the data.
	FoundUp, FoundDown []int
}

// SingscoreUpDown scores up/down signatures with singscore's simpleScore
// (Foroutan et al. 2018, doi:10.1186/s12859-018-2435-4; DavisLaboratory/singscore
// calcScoresUpDn): Up as in Score's singscore, Down = 1 - (raw - low)/(up - low)
// (- 0.5 when centred), each part with its own size k. Rows with non-finite
// values are dropped before ranking. A signature with no gene of either part
// in the data is an error (singscore returns an empty data frame).
func SingscoreUpDown(m *dataset.Matrix, sigs []UpDown, opt SingscoreOptions) (*UpDownScores, error) {
	if m == nil || len(sigs) == 0 {
		return nil, errors.New("geneset: singscore needs a matrix and at least one signature")
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	rows := usableRows(m, true)
	if len(rows) < 2 || m.Cols() < 1 {
		return nil, fmt.Errorf("geneset: fewer than two usable genes (of %d) in the matrix", m.Rows())
	}
	sets := make([]Set, 0, 2*len(sigs))
	for _, s := range sigs {
		sets = append(sets, s.Up, s.Down)
	}
	idx, found, err := mapSets(m, rows, sets)
	if err != nil {
		return nil, err
	}
	p, n := len(rows), m.Cols()
	names := make([]string, len(sigs))
	for i, s := range sigs {
		names[i] = s.Name
		if found[2*i] == 0 || found[2*i+1] == 0 {
			return nil, fmt.Errorf("geneset: signature %q: no gene of its up or down set is in the data", s.Name)
		}
	}
	nm := func() *dataset.Matrix { return dataset.NewMatrix(dataset.Expression, names, m.Samples) }
	res := &UpDownScores{Total: nm(), TotalDispersion: nm(), Up: nm(), UpDispersion: nm(), Down: nm(), DownDispersion: nm()}
	ranks := minRanks(subsetRows(m, rows), p, n, opt.Workers)
	center := !opt.NoCenter
	for i := range sigs {
		up, dn := idx[2*i], idx[2*i+1]
		res.FoundUp = append(res.FoundUp, len(up))
		res.FoundDown = append(res.FoundDown, len(dn))
		us, ud := res.Up.Row(i), res.UpDispersion.Row(i)
		ds, dd := res.Down.Row(i), res.DownDispersion.Row(i)
		singscoreUp(ranks, p, n, up, center, us, ud)
		singscoreUp(ranks, p, n, dn, false, ds, dd)
		ts, td := res.Total.Row(i), res.TotalDispersion.Row(i)
		for j := 0; j < n; j++ {
			ds[j] = 1 - ds[j]
			if center {
				ds[j] -= 0.5
			}
			ts[j] = us[j] + ds[j]
			td[j] = ud[j] + dd[j]
		}
	}
	return res, nil
}

// unknownDirectionRanks replaces each sample's ranks R by |R - ceiling(median R)|
// (singscore knownDirection=FALSE).
func unknownDirectionRanks(ranks []float64, p, n int) {
	col := make([]float64, p)
	for j := 0; j < n; j++ {
		for g := 0; g < p; g++ {
			col[g] = ranks[g*n+j]
		}
		c := math.Ceil(median(col))
		for g := 0; g < p; g++ {
			ranks[g*n+j] = math.Abs(ranks[g*n+j] - c)
		}
	}
}

// SingscoreSets scores up-only sets with singscore, with the centring and
// direction options of opt (Score with Method Singscore uses the defaults:
// centred, known direction). Sets with no gene in the data are dropped and
// listed in Dropped.
func SingscoreSets(m *dataset.Matrix, sets []Set, opt SingscoreOptions) (*Scores, error) {
	if m == nil || len(sets) == 0 {
		return nil, errors.New("geneset: singscore needs a matrix and at least one gene set")
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	rows := usableRows(m, true)
	if len(rows) < 2 || m.Cols() < 1 {
		return nil, fmt.Errorf("geneset: fewer than two usable genes (of %d) in the matrix", m.Rows())
	}
	idx, found, err := mapSets(m, rows, sets)
	if err != nil {
		return nil, err
	}
	p, n := len(rows), m.Cols()
	ranks := minRanks(subsetRows(m, rows), p, n, opt.Workers)
	if opt.UnknownDirection {
		unknownDirectionRanks(ranks, p, n)
	}
	res := &Scores{GenesUsed: p}
	var names []string
	var kept [][]int
	for i, s := range sets {
		if found[i] == 0 {
			res.Dropped = append(res.Dropped, DroppedSet{Name: s.Name})
			continue
		}
		names = append(names, s.Name)
		kept = append(kept, idx[i])
		res.Found = append(res.Found, found[i])
		res.Size = append(res.Size, len(s.Genes))
	}
	res.Matrix = dataset.NewMatrix(dataset.Expression, names, m.Samples)
	res.Dispersion = dataset.NewMatrix(dataset.Expression, names, m.Samples)
	for i, set := range kept {
		k := float64(len(set))
		low := (k + 1) / 2
		up := (2*float64(p) - k + 1) / 2
		center := !opt.NoCenter
		if opt.UnknownDirection {
			kk := math.Floor(k / 2)
			nn := math.Ceil(float64(p) / 2)
			low = (kk + 1) / 2
			up = (2*nn - kk + 1) / 2
			center = false
		}
		singscoreBounds(ranks, n, set, low, up, center, res.Matrix.Row(i), res.Dispersion.Row(i))
	}
	return res, nil
}
