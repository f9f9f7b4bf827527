package ingest

import "github.com/her2het/her2het/core/dataset"

// Genes returns the row names of the loaded matrix (Matrix or Store), nil when
// there is none.
func (l *Loaded) Genes() []string {
	switch {
	case l.Matrix != nil:
		return l.Matrix.Genes
	case l.Store != nil:
		return l.Store.Genes
	}
	return nil
}

// Samples returns the column names of the loaded matrix (Matrix or Store), nil
// when there is none.
func (l *Loaded) Samples() []string {
	switch {
	case l.Matrix != nil:
		return l.Matrix.Samples
	case l.Store != nil:
		return l.Store.Samples
	}
	return nil
}

// Kind returns the kind of the loaded matrix (Matrix or Store); Expression when
// there is none.
func (l *Loaded) Kind() dataset.Kind {
	switch {
	case l.Matrix != nil:
		return l.Matrix.Kind
	case l.Store != nil:
		return l.Store.Kind
	}
	return dataset.Expression
}

// HasMatrix reports whether a matrix was loaded (as Matrix or Store).
func (l *Loaded) HasMatrix() bool { return l.Matrix != nil || l.Store != nil }

// Float returns the loaded matrix as float64: Matrix itself when it is set (the
// Loaded's own), else the Store expanded (a new Matrix the caller owns, made at
// each call); nil when there is no matrix.
func (l *Loaded) Float() *dataset.Matrix {
	switch {
	case l.Matrix != nil:
		return l.Matrix
	case l.Store != nil:
		return l.Store.Matrix()
	}
	return nil
}

// settle puts the loaded matrix in the form the options ask for: a Store
// (Options.Compact) or a float64 Matrix.
func (l *Loaded) settle(compact bool) {
	switch {
	case compact && l.Matrix != nil:
		l.Store, l.Matrix = dataset.CompactMatrix(l.Matrix), nil
	case !compact && l.Store != nil:
		l.Matrix, l.Store = l.Store.Matrix(), nil
	}
}

// mergeStoreRows returns the rows of s at rows, in that order; with sum, the
// rows later[k] are added to the k-th (in their order, as float64, the same
// sums as a float64 matrix gives).
func mergeStoreRows(s *dataset.Store, rows []int, later [][]int, sum bool) *dataset.Store {
	ns := s.Cols()
	b := dataset.NewStoreBuilder(ns, len(rows))
	genes := make([]string, len(rows))
	row := make([]float64, ns)
	add := make([]float64, ns)
	for k, g := range rows {
		genes[k] = s.Genes[g]
		s.RowInto(g, row)
		if sum {
			for _, i := range later[k] {
				for j, v := range s.RowInto(i, add) {
					row[j] += v
				}
			}
		}
		b.AddFloat(row)
	}
	return b.Build(s.Kind, genes, s.Samples)
}
