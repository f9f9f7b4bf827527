package study

import (
	"bytes"
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"

	"github.com/her2het/her2het/core/pool"
)

// countingPool counts the tasks it runs.
type countingPool struct {
	pool.Pool
	tasks atomic.Int64
}

func (c *countingPool) Run(name string, tasks [][]byte) ([][]byte, error) {
	c.tasks.Add(int64(len(tasks)))
	return c.Pool.Run(name, tasks)
}

// TestOverlappedDE: with Params.HelperPool the differential expression runs on a
// goroutine of its own, on that pool, while the other steps go on; every section
// (tables, figures, notes, summaries), the tests and the patients table are the
// same bytes as when it runs in turn. Run it with -race to check that the steps
// share nothing they write.
func TestOverlappedDE(t *testing.T) {
	res := synthRun(t)
	in := loadSynth(t, synthData, true)
	p := testParams()
	hp := &countingPool{Pool: pool.Local(2)}
	p.Pool = pool.Local(2)
	p.HelperPool = hp
	yields := 0
	p.Yield = func() { yields++ }
	res2, err := Run(context.Background(), in, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if hp.tasks.Load() == 0 {
		t.Fatal("the helper pool ran no task: the gene-set scores did not run on it beside the DE step")
	}
	if yields == 0 {
		t.Fatal("the DE step beside the others never yielded (Params.Yield)")
	}
	if len(res.Sections) != len(res2.Sections) {
		t.Fatalf("%d vs %d sections", len(res.Sections), len(res2.Sections))
	}
	for i := range res.Sections {
		a, _ := json.Marshal(res.Sections[i])
		b, _ := json.Marshal(res2.Sections[i])
		if !bytes.Equal(a, b) {
			t.Errorf("section %s differs when the DE step overlaps the others", res.Sections[i].ID)
		}
	}
	for _, tab := range [][2]any{{res.Patients, res2.Patients}, {res.Tests, res2.Tests}} {
		a, _ := json.Marshal(tab[0])
		b, _ := json.Marshal(tab[1])
		if !bytes.Equal(a, b) {
			t.Errorf("patients or tests table differs when the DE step overlaps the others")
		}
	}
	if res.Methods != res2.Methods {
		t.Error("methods text differs")
	}
}

// TestOverlappedDECancelled: a cancelled run with a HelperPool returns the
// context's error and leaves no goroutine behind (Run waits for the DE step).
func TestOverlappedDECancelled(t *testing.T) {
	synthRun(t)
	in := loadSynth(t, synthData, true)
	p := testParams()
	p.HelperPool = pool.Local(2)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := Run(ctx, in, p, func(step string, _ float64) {
		n++
		if step == "pathway scores" {
			cancel()
		}
	})
	if err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestLendLogE: with logE's storage lent to the DE step (lendLogE, forced on
// the small synthetic cohort) every section, the tests and the patients table
// are the same bytes as without: the DE step's count matrices are the same
// values in the lent storage, voom's weights buffer is reused across the
// comparisons, and logE is made again after the step with the same bits.
func TestLendLogE(t *testing.T) {
	res := synthRun(t)
	defer func(n int) { lendLogEMin, logELent = n, nil }(lendLogEMin)
	lendLogEMin = 1
	lent := 0
	logELent = func() { lent++ }
	for _, workers := range []int{1, 3} {
		in := loadSynth(t, synthData, true)
		p := testParams()
		p.Pool = pool.Local(workers)
		res2, err := Run(context.Background(), in, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		if lent == 0 {
			t.Fatal("logE was not lent to the DE step")
		}
		lent = 0
		if len(res.Sections) != len(res2.Sections) {
			t.Fatalf("%d vs %d sections", len(res.Sections), len(res2.Sections))
		}
		for i := range res.Sections {
			a, _ := json.Marshal(res.Sections[i])
			b, _ := json.Marshal(res2.Sections[i])
			if !bytes.Equal(a, b) {
				t.Errorf("%d workers: section %s differs when logE is lent to the DE step", workers, res.Sections[i].ID)
			}
		}
		for _, tab := range [][2]any{{res.Patients, res2.Patients}, {res.Tests, res2.Tests}} {
			a, _ := json.Marshal(tab[0])
			b, _ := json.Marshal(tab[1])
			if !bytes.Equal(a, b) {
				t.Errorf("%d workers: patients or tests table differs when logE is lent", workers)
			}
		}
		if res.Methods != res2.Methods {
			t.Error("methods text differs")
		}
	}
}
