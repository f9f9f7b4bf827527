package deseq

import "sort"

// countTable lists the distinct non-zero counts of one gene, so that terms
// such as lgamma(y + 1/α) are evaluated once per distinct count.
type countTable struct {
	uniq []float64 // distinct non-zero counts, ascending
	n    []int32   // number of samples with each count in uniq
	uidx []int32   // per sample: index in uniq, -1 for a zero count
	// perm lists the samples by count (zeros first, then by uniq index);
	// group k (0 = zeros, k = 1 + index in uniq) is perm[gs[k]:gs[k+1]].
	perm []int32
	gs   []int32
	// counts below len(stamp) are indexed through a generation-stamped table,
	// larger ones by sorting.
	stamp []uint32
	slot  []int32
	vcnt  []int32 // per count value: samples, then the group's cursor
	gen   uint32
	sortb []float64
	// hint, if non-nil, is the perm an earlier prepare of the same counts
	// left (as uint16): prepare then rebuilds the table from it in one pass.
	hint []uint16
}

func newCountTable(m int) *countTable {
	return &countTable{uniq: make([]float64, 0, m), n: make([]int32, 0, m), uidx: make([]int32, m),
		stamp: make([]uint32, 4096), slot: make([]int32, 4096), vcnt: make([]int32, 4096), sortb: make([]float64, 0, m),
		perm: make([]int32, m), gs: make([]int32, m+2)}
}

// groups fills perm and gs (counting sort of the samples by uidx).
func (ct *countTable) groups() {
	nu := len(ct.uniq)
	gs := ct.gs[:nu+2]
	for k := range gs {
		gs[k] = 0
	}
	var nz int32
	for _, k := range ct.uidx {
		if k < 0 {
			nz++
		}
	}
	gs[1] = nz
	for k := 0; k < nu; k++ {
		gs[k+2] = gs[k+1] + ct.n[k]
	}
	// fill using gs as cursors, then restore the starts
	perm := ct.perm[:len(ct.uidx)]
	for j, k := range ct.uidx {
		g := k + 1
		perm[gs[g]] = int32(j)
		gs[g]++
	}
	for k := nu; k >= 1; k-- {
		gs[k] = gs[k-1]
	}
	gs[0] = 0
}

// prepare fills the table for the counts y (finite whole numbers >= 0).
func (ct *countTable) prepare(y []float64) {
	if len(ct.hint) == len(y) && len(y) > 0 {
		ct.prepareFrom(y, ct.hint)
		return
	}
	if ct.prepareSmall(y) {
		return
	}
	mx := 0.0
	for _, v := range y {
		if v > mx {
			mx = v
		}
	}
	u, n := ct.uniq[:0], ct.n[:0]
	uidx := ct.uidx[:len(y)]
	if mx < float64(len(ct.stamp)) {
		ct.gen++
		if ct.gen == 0 { // wrapped: clear the table
			for i := range ct.stamp {
				ct.stamp[i] = 0
			}
			ct.gen = 1
		}
		for j, v := range y {
			if v == 0 {
				uidx[j] = -1
				continue
			}
			k := int(v)
			if ct.stamp[k] != ct.gen {
				ct.stamp[k] = ct.gen
				u = append(u, v)
			}
		}
		// sort the distinct counts (by a scan of the stamp table when their
		// range is narrow) and index the samples by rank
		scanned := false
		if len(u) > 16 {
			if lo, hi := minMax(u); hi-lo < float64(16*len(u)) {
				u = u[:0]
				for v := int(lo); v <= int(hi); v++ {
					if ct.stamp[v] == ct.gen {
						u = append(u, float64(v))
					}
				}
				scanned = true
			}
		}
		if !scanned {
			sortSmall(u)
		}
		for k, v := range u {
			ct.slot[int(v)] = int32(k)
			n = append(n, 0)
		}
		for j, v := range y {
			if v != 0 {
				s := ct.slot[int(v)]
				uidx[j] = s
				n[s]++
			}
		}
		ct.uniq, ct.n = u, n
		ct.uidx = uidx
		ct.groups()
		return
	}
	s := ct.sortb[:0]
	for _, v := range y {
		if v != 0 {
			s = append(s, v)
		}
	}
	sort.Float64s(s)
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			u = append(u, v)
			n = append(n, 0)
		}
	}
	for j, v := range y {
		if v == 0 {
			uidx[j] = -1
			continue
		}
		k := sort.SearchFloat64s(u, v)
		uidx[j] = int32(k)
		n[k]++
	}
	ct.uniq, ct.n, ct.sortb = u, n, s
	ct.uidx = uidx
	ct.groups()
}

// prepareSmall is prepare for counts below len(ct.stamp) by a counting
// sort: one pass counts the samples per value (generation-stamped, so the
// tables need no clearing), the distinct values are ordered, and a second
// pass places the samples (in sample order within a value) and indexes them.
// It returns false, having changed nothing prepare depends on, when a count
// is out of the table's range.
func (ct *countTable) prepareSmall(y []float64) bool {
	m := len(y)
	lim := float64(len(ct.stamp))
	ct.gen++
	if ct.gen == 0 { // wrapped: clear the table
		for i := range ct.stamp {
			ct.stamp[i] = 0
		}
		ct.gen = 1
	}
	gen := ct.gen
	stamp, vcnt := ct.stamp, ct.vcnt[:len(ct.stamp)]
	u := ct.uniq[:0]
	for _, v := range y {
		if !(v < lim) {
			return false
		}
		k := int(v)
		if stamp[k] != gen {
			stamp[k] = gen
			vcnt[k] = 0
			if k != 0 {
				u = append(u, v)
			}
		}
		vcnt[k]++
	}
	// order the distinct counts (by a scan of the stamp table when their
	// range is narrow)
	if len(u) > 16 {
		if lo, hi := minMax(u); hi-lo < float64(16*len(u)) {
			u = u[:0]
			for v := int(lo); v <= int(hi); v++ {
				if stamp[v] == gen {
					u = append(u, float64(v))
				}
			}
		} else {
			sortSmall(u)
		}
	} else {
		sortSmall(u)
	}
	nu := len(u)
	n, gs := ct.n[:nu], ct.gs[:nu+2]
	slot := ct.slot
	var nz int32
	if stamp[0] == gen {
		nz = vcnt[0]
	}
	gs[0], gs[1] = 0, nz
	slot[0], vcnt[0] = -1, 0 // zeros: index -1, cursor 0
	for k, v := range u {
		c := int(v)
		n[k] = vcnt[c]
		gs[k+2] = gs[k+1] + n[k]
		slot[c] = int32(k)
		vcnt[c] = gs[k+1]
	}
	uidx, perm := ct.uidx[:m], ct.perm[:m]
	for j, v := range y {
		c := int(v)
		p := vcnt[c]
		perm[p] = int32(j)
		vcnt[c] = p + 1
		uidx[j] = slot[c]
	}
	ct.uniq, ct.n, ct.uidx = u, n, uidx
	return true
}

// sortSmall sorts x ascending: insertion sort for short slices, else sort.Float64s.
func sortSmall(x []float64) {
	if len(x) > 48 {
		sort.Float64s(x)
		return
	}
	for i := 1; i < len(x); i++ {
		v := x[i]
		j := i
		for j > 0 && x[j-1] > v {
			x[j] = x[j-1]
			j--
		}
		x[j] = v
	}
}

// minMax returns the smallest and largest value of a non-empty x.
func minMax(x []float64) (lo, hi float64) {
	lo, hi = x[0], x[0]
	for _, v := range x[1:] {
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	return lo, hi
}

// prepareFrom fills the table for the counts y from sorted, the perm a
// prepare of the same y produced (samples by count, zeros first, by sample
// within a count): the same uniq, n, uidx, perm and gs in one pass.
func (ct *countTable) prepareFrom(y []float64, sorted []uint16) {
	m := len(y)
	u, n := ct.uniq[:0], ct.n[:0]
	uidx, perm, gs := ct.uidx[:m], ct.perm[:m], ct.gs[:m+2]
	sorted = sorted[:m]
	i := 0
	for i < m {
		j := sorted[i]
		if y[j] != 0 {
			break
		}
		perm[i] = int32(j)
		uidx[j] = -1
		i++
	}
	gs[0], gs[1] = 0, int32(i)
	for i < m {
		v := y[sorted[i]]
		k := int32(len(u))
		u = append(u, v)
		start := i
		for i < m {
			j := sorted[i]
			if y[j] != v {
				break
			}
			perm[i] = int32(j)
			uidx[j] = k
			i++
		}
		n = append(n, int32(i-start))
		gs[k+2] = int32(i)
	}
	ct.uniq, ct.n = u, n
}

// savePerm stores the table's perm as uint16 (m <= 65536) in out.
func (ct *countTable) savePerm(out []uint16) {
	for i, j := range ct.perm[:len(out)] {
		out[i] = uint16(j)
	}
}
