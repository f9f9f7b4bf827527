package deseq

import (
	"math"

	"github.com/her2het/her2het/core/hugepage"
)

// The stages' genes x samples buffers (45 MB each at 20,000 x 285) are the
// run's memory traffic: each fresh one costs a page fault per 4 KiB page on
// first touch. The gene-wise step's μ (read by MAP, and by the LRT's Cook's
// distances) is allocated with room for G x m values; after MAP it is dead
// on the Wald path, and the Wald fit writes its Cook's distances into the
// same storage (cooksInto), which becomes Fit.Cooks (spreadRows). Large
// buffers start on a huge-page boundary and ask for transparent huge pages
// before their first write (hugepage.Make; no effect on any value, plain
// make under WebAssembly).

// newMuBuffer returns the gene-wise step's μ buffer for n genes: length
// n*m, and on the original Wald fit capacity G*m so that the Wald fit can
// reuse it for Cook's distances once MAP has read it.
func (st *state) newMuBuffer(n int) []float64 {
	c := n * st.m
	if !st.refit && st.f.test == Wald {
		c = max(c, st.G*st.m)
	}
	return hugepage.Make[float64](c)[:n*st.m]
}

// cooksInto returns the storage for the Wald fit's Cook's distances (G x m
// values): spare's backing array when it has room (the dead μ of the
// gene-wise step), else a fresh buffer.
func (st *state) cooksInto(spare []float64) []float64 {
	size := st.G * st.m
	if cap(spare) >= size {
		return spare[:size]
	}
	return hugepage.Make[float64](size)
}

// spreadRows moves row i of the m-column rows packed at the front of buf to
// row idx[i] and sets every row not in idx to NaN. idx must be increasing
// (so idx[i] >= i: moving from the last row down never overwrites a row not
// yet moved) and buf must hold rows up to the last one written.
func spreadRows(buf []float64, idx []int, m int) {
	next := len(buf) / m // rows >= next are already final
	for i := len(idx) - 1; i >= 0; i-- {
		g := idx[i]
		for r := g + 1; r < next; r++ {
			fillNaN(buf[r*m : (r+1)*m])
		}
		if g != i {
			copy(buf[g*m:(g+1)*m], buf[i*m:(i+1)*m])
		}
		next = g
	}
	for r := 0; r < next; r++ {
		fillNaN(buf[r*m : (r+1)*m])
	}
}

func fillNaN(x []float64) {
	nan := math.NaN()
	for i := range x {
		x[i] = nan
	}
}
