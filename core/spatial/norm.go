package spatial

import (
	"fmt"
	"math"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/stats"
)

// DefaultHousekeepers are the protein housekeepers of GeoMx protein panels
// used for housekeeper normalisation.
var DefaultHousekeepers = []string{"Histone H3", "S6", "GAPDH"}

// QuantileFactors are GeomxTools' quantile normalisation factors
// (normalize(norm_method = "quant"), R/NanoStringGeoMxSet-normalize.R,
// GeomxTools 3.x): with q_s the p-quantile (R type 7) of every target's count
// in segment s, including the negative probes, the factor is
// q_s / ngeoMean(q) (NGeoMean with thresh 0.5). p = 0.75 gives the Q3
// normalisation. Columns with NaN give a NaN factor.
func QuantileFactors(m *dataset.Matrix, p float64) []float64 {
	n := m.Cols()
	q := make([]float64, n)
	for s := 0; s < n; s++ {
		q[s] = stats.Quantile(m.Col(s), p)
	}
	gm := NGeoMean(q, 0.5)
	for s := range q {
		q[s] /= gm
	}
	return q
}

// Q3Factors are QuantileFactors at 0.75.
func Q3Factors(m *dataset.Matrix) []float64 { return QuantileFactors(m, 0.75) }

// rowsByName returns the rows of m whose names are in names (exact, then
// case-insensitive), and the names not found.
func rowsByName(m *dataset.Matrix, names []string) (rows []int, missing []string) {
	for _, n := range names {
		found := -1
		for g, gn := range m.Genes {
			if gn == n {
				found = g
				break
			}
		}
		if found < 0 {
			for g, gn := range m.Genes {
				if strings.EqualFold(strings.TrimSpace(gn), strings.TrimSpace(n)) {
					found = g
					break
				}
			}
		}
		if found < 0 {
			missing = append(missing, n)
		} else {
			rows = append(rows, found)
		}
	}
	return rows, missing
}

// TargetSetFactors are GeomxTools' housekeeper factors (hkNorm): per segment
// g_s = ngeoMean of the counts of the named targets, and the factor is
// g_s / ngeoMean(g). Used with protein housekeepers (DefaultHousekeepers) for
// housekeeper normalisation and with the IgG isotype controls (IgGTargets) for
// background normalisation. It returns an error when none of the names is a
// target; names not found are returned.
func TargetSetFactors(m *dataset.Matrix, names []string) (factors []float64, missing []string, err error) {
	rows, missing := rowsByName(m, names)
	if len(rows) == 0 {
		return nil, missing, fmt.Errorf("spatial: none of the targets %s is in the data", strings.Join(names, ", "))
	}
	n := m.Cols()
	g := make([]float64, n)
	buf := make([]float64, len(rows))
	for s := 0; s < n; s++ {
		for i, r := range rows {
			buf[i] = m.At(r, s)
		}
		g[s] = NGeoMean(buf, 0.5)
	}
	gm := NGeoMean(g, 0.5)
	for s := range g {
		g[s] /= gm
	}
	return g, missing, nil
}

// IgGTargets lists the targets whose name contains "IgG" (isotype controls of
// protein panels, e.g. "Rb IgG", "Ms IgG1").
func IgGTargets(m *dataset.Matrix) []string {
	var out []string
	for _, g := range m.Genes {
		if strings.Contains(strings.ToLower(g), "igg") {
			out = append(out, g)
		}
	}
	return out
}

// ScaleFactors turns a per-segment size (area in µm², nuclei) into factors
// v_s / ngeoMean(v): dividing counts by them scales every segment to the
// geometric-mean size. Non-positive or NaN sizes give an error.
func ScaleFactors(v []float64) ([]float64, error) {
	for i, x := range v {
		if !(x > 0) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("spatial: size %d is %v; area and nuclei scaling need positive sizes", i+1, x)
		}
	}
	gm := NGeoMean(v, 0.5)
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x / gm
	}
	return out, nil
}

// ApplyFactors divides each column of m by its factor (GeomxTools'
// sweep(exprs, 2, factors, "/")) and returns a new Expression matrix. A zero,
// negative or NaN factor gives a NaN column.
func ApplyFactors(m *dataset.Matrix, f []float64) (*dataset.Matrix, error) {
	if len(f) != m.Cols() {
		return nil, fmt.Errorf("spatial: %d factors for %d segments", len(f), m.Cols())
	}
	out := dataset.NewMatrix(dataset.Expression, m.Genes, m.Samples)
	n := m.Cols()
	for g := 0; g < m.Rows(); g++ {
		for s := 0; s < n; s++ {
			v := math.NaN()
			if f[s] > 0 {
				v = m.Data[g*n+s] / f[s]
			}
			out.Data[g*n+s] = v
		}
	}
	return out, nil
}
