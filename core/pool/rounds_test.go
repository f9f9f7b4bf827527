package pool

import (
	"errors"
	"testing"
)

func init() {
	Register("pool.test.sumrange", func(in []byte) ([]byte, error) {
		rd := NewReader(in)
		lo, hi := rd.Int(), rd.Int()
		if err := rd.Done(); err != nil {
			return nil, err
		}
		w := NewWriter(8)
		w.Int((hi - 1 + lo) * (hi - lo) / 2)
		return w.Bytes(), nil
	})
}

// TestRunRounds: every range is encoded once, decoded in order with its global
// task index, for pools smaller and larger than the number of ranges; a decode
// error stops the rounds.
func TestRunRounds(t *testing.T) {
	parts := Split(100, 7)
	for _, workers := range []int{1, 2, 3, 10} {
		var got []int
		sum := 0
		err := RunRounds(Local(workers), "pool.test.sumrange", parts,
			func(lo, hi int) []byte { w := NewWriter(8); w.Int(lo); w.Int(hi); return w.Bytes() },
			func(i, lo, hi int, out []byte) error {
				if parts[i] != [2]int{lo, hi} {
					t.Fatalf("workers=%d: task %d decoded as range [%d,%d), want %v", workers, i, lo, hi, parts[i])
				}
				got = append(got, i)
				rd := NewReader(out)
				sum += rd.Int()
				return rd.Done()
			})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(parts) || sum != 99*100/2 {
			t.Fatalf("workers=%d: decoded %v, sum %d", workers, got, sum)
		}
		for i, g := range got {
			if g != i {
				t.Fatalf("workers=%d: decode order %v", workers, got)
			}
		}
	}
	stop := errors.New("stop")
	calls := 0
	err := RunRounds(Local(2), "pool.test.sumrange", parts,
		func(lo, hi int) []byte { w := NewWriter(8); w.Int(lo); w.Int(hi); return w.Bytes() },
		func(i, lo, hi int, out []byte) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("err %v after %d decodes, want the decode error after 1", err, calls)
	}
}
