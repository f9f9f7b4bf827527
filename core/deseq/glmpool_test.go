package deseq

import (
	"errors"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/pool"
)

// faultPool runs tasks on a local pool, then fails the Run (err) or
// truncates the result of part bad (bad >= 0).
type faultPool struct {
	size int
	err  error
	bad  int
}

func (p faultPool) Size() int { return p.size }

func (p faultPool) Run(name string, tasks [][]byte) ([][]byte, error) {
	if p.err != nil {
		return nil, p.err
	}
	out, err := pool.Local(p.size).Run(name, tasks)
	if err == nil && p.bad >= 0 && p.bad < len(out) {
		out[p.bad] = out[p.bad][:len(out[p.bad])/2]
	}
	return out, err
}

// TestRunStageErrors checks the errors of the encoded path of the gene-wise
// stages: a failing pool's error is wrapped with the step, and a malformed
// result names the step and the part.
func TestRunStageErrors(t *testing.T) {
	cm, X, cols, _, _ := studySim(300, 12)
	lost := errors.New("worker lost")
	_, err := Run(cm, X, cols, Options{Pool: faultPool{size: 2, err: lost, bad: -1}})
	if !errors.Is(err, lost) || !strings.Contains(err.Error(), "deseq: gene-wise dispersions: ") {
		t.Errorf("failing pool: %v", err)
	}
	_, err = Run(cm, X, cols, Options{Pool: faultPool{size: 2, bad: 1}})
	if err == nil || !strings.Contains(err.Error(), "deseq: gene-wise dispersions: result of part 1: ") {
		t.Errorf("truncated result: %v", err)
	}
	if _, err := Run(cm, X, cols, Options{Pool: faultPool{size: 2, bad: -1}}); err != nil {
		t.Errorf("sound pool: %v", err)
	}
}
