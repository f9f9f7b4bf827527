package dataset

// SelectCols is SubsetCols without the copy when it would be one: when idx picks
// every column once, in order, it returns m itself (the caller must then treat the
// result as read-only, as it is m); otherwise it returns m.SubsetCols(idx). A
// 60,000 x 1,000 count matrix is 480 MB, so an analysis that uses every sample
// should not hold two of them.
func (m *Matrix) SelectCols(idx []int) *Matrix {
	if len(idx) != len(m.Samples) {
		return m.SubsetCols(idx)
	}
	for j, s := range idx {
		if s != j {
			return m.SubsetCols(idx)
		}
	}
	return m
}
