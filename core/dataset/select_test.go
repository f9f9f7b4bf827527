package dataset

import (
	"reflect"
	"testing"
)

func TestSelectCols(t *testing.T) {
	m := &Matrix{Genes: []string{"A", "B"}, Samples: []string{"s1", "s2", "s3"}, Data: []float64{1, 2, 3, 4, 5, 6}}
	tests := []struct {
		idx     []int
		shared  bool
		samples []string
		data    []float64
	}{
		{[]int{0, 1, 2}, true, []string{"s1", "s2", "s3"}, []float64{1, 2, 3, 4, 5, 6}},
		{[]int{0, 2}, false, []string{"s1", "s3"}, []float64{1, 3, 4, 6}},
		{[]int{2, 1, 0}, false, []string{"s3", "s2", "s1"}, []float64{3, 2, 1, 6, 5, 4}},
		{[]int{0, 0, 1}, false, []string{"s1", "s1", "s2"}, []float64{1, 1, 2, 4, 4, 5}},
		{[]int{}, false, []string{}, []float64{}},
	}
	for _, tc := range tests {
		got := m.SelectCols(tc.idx)
		if (got == m) != tc.shared {
			t.Errorf("SelectCols(%v) returned m itself: %v, want %v", tc.idx, got == m, tc.shared)
		}
		if !reflect.DeepEqual(got.Samples, tc.samples) || !reflect.DeepEqual(got.Data, tc.data) {
			t.Errorf("SelectCols(%v) = %v %v, want %v %v", tc.idx, got.Samples, got.Data, tc.samples, tc.data)
		}
	}
}
