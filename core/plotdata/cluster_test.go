package plotdata

import (
	"reflect"
	"testing"
)

func TestClusterOrderGroupsCorrelatedRows(t *testing.T) {
	up := []float64{1, 2, 3, 4, 5}
	down := []float64{5, 4, 3, 2, 1}
	x := [][]float64{
		up,                    // 0
		down,                  // 1
		{1.1, 2.2, 2.9, 4, 5}, // 2 ~ up
		{5, 4.1, 3, 2.2, 0.9}, // 3 ~ down
		{2, 4, 6, 8, 10.5},    // 4 ~ up
	}
	got := ClusterOrder(x)
	pos := map[int]int{}
	for i, r := range got {
		pos[r] = i
	}
	if len(got) != 5 {
		t.Fatalf("order %v", got)
	}
	// The "up" rows are contiguous, and so are the "down" rows.
	ups := []int{pos[0], pos[2], pos[4]}
	downs := []int{pos[1], pos[3]}
	if span(ups) != 2 || span(downs) != 1 {
		t.Fatalf("order %v does not keep correlated rows together", got)
	}
	if again := ClusterOrder(x); !reflect.DeepEqual(again, got) {
		t.Fatalf("not deterministic: %v then %v", got, again)
	}
}

func span(p []int) int {
	lo, hi := p[0], p[0]
	for _, v := range p {
		lo, hi = min(lo, v), max(hi, v)
	}
	return hi - lo
}

func TestClusterOrderSmall(t *testing.T) {
	if got := ClusterOrder([][]float64{{1, 2}, {2, 1}}); !reflect.DeepEqual(got, []int{0, 1}) {
		t.Fatalf("got %v", got)
	}
	if got := ClusterOrder(nil); len(got) != 0 {
		t.Fatalf("got %v", got)
	}
}
