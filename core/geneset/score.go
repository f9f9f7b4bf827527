package geneset

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/pool"
)

// Method selects a per-sample gene-set score.
type Method int

const (
	// GSVA is gene set variation analysis (Hänzelmann et al. 2013), GSVA 1.46 gsva(method="gsva").
	GSVA Method = iota
	// SSGSEA is single-sample GSEA (Barbie et al. 2009) as GSVA 1.46 gsva(method="ssgsea").
	SSGSEA
	// ZScore is the combined z-score (Lee et al. 2008), GSVA 1.46 gsva(method="zscore").
	ZScore
	// PLAGE is pathway level analysis of gene expression (Tomfohr et al. 2005), GSVA 1.46 gsva(method="plage").
	PLAGE
	// Singscore is the rank-based score of Foroutan et al. 2018 (singscore simpleScore, up-set only).
	Singscore
)

var methodNames = []string{"gsva", "ssgsea", "zscore", "plage", "singscore"}

func (m Method) String() string {
	if int(m) >= 0 && int(m) < len(methodNames) {
		return methodNames[m]
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ParseMethod returns the Method named s ("gsva", "ssgsea", "zscore", "plage", "singscore").
func ParseMethod(s string) (Method, error) {
	for i, n := range methodNames {
		if strings.EqualFold(s, n) {
			return Method(i), nil
		}
	}
	return 0, fmt.Errorf("unknown gene-set score method %q (want one of %s)", s, strings.Join(methodNames, ", "))
}

// Kernel selects how GSVA estimates each gene's cumulative distribution.
type Kernel int

const (
	// Gaussian kernel, for continuous log-scale data (GSVA kcdf="Gaussian").
	Gaussian Kernel = iota
	// Poisson kernel, for integer counts (GSVA kcdf="Poisson").
	Poisson
	// ECDF uses the empirical CDF and its log-odds (GSVA 1.46 kcdf="none").
	ECDF
)

var kernelNames = []string{"gaussian", "poisson", "none"}

func (k Kernel) String() string {
	if int(k) >= 0 && int(k) < len(kernelNames) {
		return kernelNames[k]
	}
	return fmt.Sprintf("Kernel(%d)", int(k))
}

// ParseKernel returns the Kernel named s ("gaussian", "poisson", "none").
func ParseKernel(s string) (Kernel, error) {
	for i, n := range kernelNames {
		if strings.EqualFold(s, n) {
			return Kernel(i), nil
		}
	}
	return 0, fmt.Errorf("unknown GSVA kernel %q (want gaussian, poisson or none)", s)
}

// Options configures Score. Start from DefaultOptions: the zero value is not
// GSVA's default (MaxDiff false, Tau 0).
type Options struct {
	Method Method
	// Kernel is GSVA's kcdf (GSVA only).
	Kernel Kernel
	// MaxDiff is GSVA's mx.diff: ES = ES+ + ES- (true) or the larger in size (false).
	MaxDiff bool
	// AbsRanking is GSVA's abs.ranking: with MaxDiff, ES = ES+ - ES-.
	AbsRanking bool
	// Tau is GSVA's tau (random-walk weight exponent; GSVA default 1) and ssGSEA's
	// alpha (default 0.25). Unused by the other methods.
	Tau float64
	// Normalize is GSVA's ssgsea.norm: divide ssGSEA scores by the range of the
	// whole score matrix.
	Normalize bool
	// MinSize and MaxSize bound the number of genes of a set found in the data
	// (GSVA min.sz, max.sz); MinSize < 1 means 1, MaxSize <= 0 means no bound.
	MinSize, MaxSize int
	// Workers is the number of goroutines for gene-wise and sample-wise loops;
	// <= 0 means runtime.GOMAXPROCS(0). Results do not depend on it.
	Workers int
	// Pool runs GSVA's kernel and walk stages and ssGSEA's per-sample scores
	// as core/pool tasks (kernels geneset.gsva.density, geneset.gsva.walk,
	// geneset.ssgsea); nil means pool.Local(Workers). Results do not depend
	// on it.
	Pool pool.Pool
}

// DefaultOptions returns GSVA 1.46's defaults for method m: Gaussian kernel,
// mx.diff=TRUE, abs.ranking=FALSE, tau=1 (GSVA) or 0.25 (ssGSEA),
// ssgsea.norm=TRUE, min.sz=1, max.sz=Inf.
func DefaultOptions(m Method) Options {
	o := Options{Method: m, Kernel: Gaussian, MaxDiff: true, Tau: 1, Normalize: true, MinSize: 1}
	if m == SSGSEA {
		o.Tau = 0.25
	}
	return o
}

// Scores holds per-sample gene-set scores.
type Scores struct {
	// Matrix is sets x samples: Genes holds the names of the sets that were
	// scored (in input order, after the size bounds), Samples the sample names.
	// Kind is dataset.Expression. A score is NaN where it is undefined.
	Matrix *dataset.Matrix
	// Found[i] is the number of genes of set i found in the data (after the
	// genes the method discards, see Score); Size[i] is the set's size as given.
	Found, Size []int
	// Dispersion is singscore's per-sample dispersion (MAD of the set's ranks),
	// same shape as Matrix; nil for other methods.
	Dispersion *dataset.Matrix
	// Dropped lists the sets not scored because their found size is outside
	// [MinSize, MaxSize], with the number of genes found.
	Dropped []DroppedSet
	// GenesUsed is the number of genes (rows of the input) the method used.
	GenesUsed int
}

// DroppedSet is a set left out by the size bounds.
type DroppedSet struct {
	Name  string
	Found int
}

// Score computes per-sample scores of sets on m (genes x samples) with the
// method and options of opt.
//
// Genes are matched to m.Genes by exact name; genes repeated within a set count
// once. Rows of m containing NaN or ±Inf are discarded by every method (GSVA
// 1.46 discards rows with NA standard deviation for gsva/zscore/plage; for
// ssgsea it would propagate NA). GSVA, z-score and PLAGE also discard rows whose
// standard deviation is below 1e-10, as GSVA's .filterFeatures does; ssGSEA and
// singscore keep them. Sets are then mapped and kept when MinSize <= found <=
// MaxSize. It is an error if fewer than two genes remain, if m has fewer than
// two samples (one for ssGSEA and singscore), if no gene of any set is found,
// or if no set passes the size bounds.
func Score(m *dataset.Matrix, sets []Set, opt Options) (*Scores, error) {
	if m == nil {
		return nil, errors.New("geneset: no expression matrix")
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if len(sets) == 0 {
		return nil, errors.New("geneset: no gene sets")
	}
	n := m.Cols()
	minSamples := 2
	if opt.Method == SSGSEA || opt.Method == Singscore {
		minSamples = 1
	}
	if n < minSamples {
		return nil, fmt.Errorf("geneset: %s needs at least %d samples, the matrix has %d", opt.Method, minSamples, n)
	}
	if opt.Method == GSVA && opt.Kernel == Poisson {
		for _, v := range m.Data {
			if v < 0 {
				return nil, errors.New("geneset: the Poisson kernel needs non-negative counts; the matrix has negative values")
			}
		}
	}
	keepConstant := opt.Method == SSGSEA || opt.Method == Singscore
	rows := usableRows(m, keepConstant)
	if len(rows) < 2 {
		return nil, fmt.Errorf("geneset: fewer than two usable genes (of %d) in the matrix", m.Rows())
	}
	idx, found, err := mapSets(m, rows, sets)
	if err != nil {
		return nil, err
	}
	minSz, maxSz := opt.MinSize, opt.MaxSize
	if minSz < 1 {
		minSz = 1
	}
	if maxSz <= 0 {
		maxSz = math.MaxInt
	}
	res := &Scores{GenesUsed: len(rows)}
	var kept [][]int
	var names []string
	for i, s := range sets {
		k := len(idx[i])
		if k < minSz || k > maxSz {
			res.Dropped = append(res.Dropped, DroppedSet{Name: s.Name, Found: k})
			continue
		}
		kept = append(kept, idx[i])
		names = append(names, s.Name)
		res.Found = append(res.Found, found[i])
		res.Size = append(res.Size, len(s.Genes))
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("geneset: no gene set has between %d and %s genes in the data", minSz, sizeString(maxSz))
	}
	var x []float64
	if opt.Method != GSVA { // GSVA reads m's rows in place
		x = subsetRows(m, rows)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := dataset.NewMatrix(dataset.Expression, names, m.Samples)
	switch opt.Method {
	case GSVA:
		tau := opt.Tau
		if tau == 0 {
			tau = 1
		}
		if err := gsvaScores(pool.Or(opt.Pool, workers), m.Data, rowsOrNil(m, rows), len(rows), n, kept, opt.Kernel, opt.MaxDiff, opt.AbsRanking, tau, out.Data); err != nil {
			return nil, err
		}
	case SSGSEA:
		alpha := opt.Tau
		if alpha == 0 {
			alpha = 0.25
		}
		if err := ssgseaScores(pool.Or(opt.Pool, workers), x, len(rows), n, kept, alpha, opt.Normalize, out.Data); err != nil {
			return nil, err
		}
	case ZScore:
		z := standardize(x, len(rows), n)
		zscoreScores(z, n, kept, out.Data)
	case PLAGE:
		z := standardize(x, len(rows), n)
		if err := plageScores(z, n, kept, workers, out.Data); err != nil {
			return nil, err
		}
	case Singscore:
		disp := dataset.NewMatrix(dataset.Expression, names, m.Samples)
		ranks := minRanks(x, len(rows), n, workers)
		for i, set := range kept {
			singscoreUp(ranks, len(rows), n, set, true, out.Data[i*n:(i+1)*n], disp.Data[i*n:(i+1)*n])
		}
		res.Dispersion = disp
	default:
		return nil, fmt.Errorf("geneset: unknown method %v", opt.Method)
	}
	res.Matrix = out
	return res, nil
}

func sizeString(n int) string {
	if n == math.MaxInt {
		return "Inf"
	}
	return fmt.Sprint(n)
}

// usableRows returns the rows of m with only finite values and, unless
// keepConstant, a standard deviation of at least 1e-10.
func usableRows(m *dataset.Matrix, keepConstant bool) []int {
	n := m.Cols()
	rows := make([]int, 0, m.Rows())
	for g := 0; g < m.Rows(); g++ {
		r := m.Row(g)
		ok := true
		for _, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if !keepConstant && (n < 2 || !(plainSD(r) >= 1e-10)) {
			continue
		}
		rows = append(rows, g)
	}
	return rows
}

// plainSD is the two-pass sample standard deviation (n-1).
func plainSD(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	mean := s / float64(len(x))
	var ss float64
	for _, v := range x {
		d := v - mean
		ss += d * d
	}
	return math.Sqrt(ss / float64(len(x)-1))
}

// mapSets maps every set's genes to positions in rows (0-based indices into
// the reduced matrix), in set order, each gene once. found[i] = len(idx[i]).
func mapSets(m *dataset.Matrix, rows []int, sets []Set) (idx [][]int, found []int, err error) {
	pos := make(map[string]int, len(rows))
	for i, g := range rows {
		name := m.Genes[g]
		if _, dup := pos[name]; !dup {
			pos[name] = i
		}
	}
	idx = make([][]int, len(sets))
	found = make([]int, len(sets))
	total := 0
	for i, s := range sets {
		seen := make(map[int]bool, len(s.Genes))
		for _, g := range s.Genes {
			if p, ok := pos[g]; ok && !seen[p] {
				seen[p] = true
				idx[i] = append(idx[i], p)
			}
		}
		found[i] = len(idx[i])
		total += found[i]
	}
	if total == 0 {
		return nil, nil, errors.New("geneset: no gene of any gene set matches a gene of the expression matrix")
	}
	return idx, found, nil
}

// subsetRows returns the rows of m (row-major); m.Data itself when every row
// is kept (rows is increasing), so callers only read the result.
func subsetRows(m *dataset.Matrix, rows []int) []float64 {
	if len(rows) == m.Rows() {
		return m.Data
	}
	n := m.Cols()
	x := make([]float64, len(rows)*n)
	for i, g := range rows {
		copy(x[i*n:(i+1)*n], m.Row(g))
	}
	return x
}

// rowsOrNil returns rows, or nil when they are all of m's rows in order.
func rowsOrNil(m *dataset.Matrix, rows []int) []int {
	if len(rows) == m.Rows() {
		return nil
	}
	return rows
}

// parallel runs f(lo, hi) over a deterministic partition of [0, total) into at
// most workers contiguous chunks.
func parallel(total, workers int, f func(lo, hi int)) {
	if workers > total {
		workers = total
	}
	if workers <= 1 {
		f(0, total)
		return
	}
	var wg sync.WaitGroup
	chunk := (total + workers - 1) / workers
	for lo := 0; lo < total; lo += chunk {
		hi := min(lo+chunk, total)
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			f(lo, hi)
		}(lo, hi)
	}
	wg.Wait()
}
