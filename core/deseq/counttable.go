package deseq

import "sort"

// countTable lists the distinct non-zero counts of one gene, so that terms
// such as lgamma(y + 1/α) are evaluated once per distinct count.
type countTable struct {
	uniq []float64 // distinct non-zero counts, in order of first appearance (or sorted, for large counts)
	n    []int32   // number of samples with each count in uniq
	uidx []int32   // per sample: index in uniq, -1 for a zero count
	// counts below len(stamp) are indexed through a generation-stamped table,
	// larger ones by sorting.
	stamp []uint32
	slot  []int32
	gen   uint32
	sortb []float64
}

func newCountTable(m int) *countTable {
	return &countTable{uniq: make([]float64, 0, m), n: make([]int32, 0, m), uidx: make([]int32, m),
		stamp: make([]uint32, 4096), slot: make([]int32, 4096), sortb: make([]float64, 0, m)}
}

// prepare fills the table for the counts y (finite whole numbers >= 0).
func (ct *countTable) prepare(y []float64) {
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
				ct.slot[k] = int32(len(u))
				u = append(u, v)
				n = append(n, 0)
			}
			s := ct.slot[k]
			uidx[j] = s
			n[s]++
		}
		ct.uniq, ct.n = u, n
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
}
