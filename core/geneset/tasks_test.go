package geneset

import (
	"fmt"
	"math"
	"testing"

	"github.com/her2het/her2het/core/pool"
)

// countingPool runs tasks like pool.Local but with a fixed Size and counts
// the tasks of every kernel.
type countingPool struct {
	size  int
	tasks map[string]int
}

func (c *countingPool) Size() int { return c.size }

func (c *countingPool) Run(name string, tasks [][]byte) ([][]byte, error) {
	c.tasks[name] += len(tasks)
	k, ok := pool.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown kernel %s", name)
	}
	return pool.RunTasks(k, name, tasks, c.size)
}

// TestPoolPartitions: GSVA (Gaussian, Poisson, ECDF; mx.diff variants) and
// ssGSEA give bit-identical scores (tolerance 0) with one worker and with
// pools of 2 and 3 workers, also when the waves are made tiny so that every
// stage runs as many Pool.Run calls; the stages really run as several tasks.
func TestPoolPartitions(t *testing.T) {
	m, sets := simulate(300, 23, 7, 2, 40, 31)
	cnt, _ := simulate(300, 23, 1, 2, 2, 32)
	for i, v := range cnt.Data {
		cnt.Data[i] = math.Floor(math.Abs(v) * 3)
	}
	type tc struct {
		name string
		opt  Options
		data bool // counts
	}
	g := DefaultOptions(GSVA)
	noMx := g
	noMx.MaxDiff = false
	tau := g
	tau.Tau = 0.5
	pois := g
	pois.Kernel = Poisson
	ecdf := g
	ecdf.Kernel = ECDF
	cases := []tc{{"gsva", g, false}, {"gsva no mx.diff", noMx, false}, {"gsva tau 0.5", tau, false},
		{"gsva poisson", pois, true}, {"gsva ecdf", ecdf, false}, {"ssgsea", DefaultOptions(SSGSEA), false}}
	defer func(w int) { waveBytes = w }(waveBytes)
	for _, c := range cases {
		data := m
		if c.data {
			data = cnt
		}
		waveBytes = 8 << 20
		c.opt.Workers = 1
		ref, err := Score(data, sets, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, wb := range []int{32 << 20, 1000} {
			waveBytes = wb
			for _, size := range []int{1, 2, 3} {
				cp := &countingPool{size: size, tasks: map[string]int{}}
				o := c.opt
				o.Pool = cp
				got, err := Score(data, sets, o)
				if err != nil {
					t.Fatal(err)
				}
				for i, v := range ref.Matrix.Data {
					if math.Float64bits(got.Matrix.Data[i]) != math.Float64bits(v) {
						t.Fatalf("%s waves %d pool %d: score %d = %v, one worker %v", c.name, wb, size, i, got.Matrix.Data[i], v)
					}
				}
				if size > 1 || wb < 1<<20 {
					for name, k := range cp.tasks {
						if k < 2 {
							t.Errorf("%s waves %d pool %d: kernel %s ran as %d task", c.name, wb, size, name, k)
						}
					}
				}
			}
		}
	}
}

// TestTaskErrors: malformed task inputs are errors, not panics.
func TestTaskErrors(t *testing.T) {
	for _, name := range []string{taskDensity, taskWalk, taskSSGSEA} {
		k, _ := pool.Lookup(name)
		for _, in := range [][]byte{nil, {1}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}} {
			if _, err := k(in); err == nil { // direct call: a panic fails the test
				t.Errorf("%s: input %v accepted", name, in)
			}
		}
	}
	w := pool.NewWriter(0)
	w.Int(5)
	w.Float64(1)
	w.Bool(true)
	w.Bool(false)
	writeSets(w, [][]int{{0, 9}})
	w.Float64s(make([]float64, 5))
	k, _ := pool.Lookup(taskWalk)
	if _, err := k(w.Bytes()); err == nil {
		t.Error("walk task: set gene out of range accepted")
	}
}
