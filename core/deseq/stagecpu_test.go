//go:build !js && !wasip1

package deseq

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestStageCPU prints the CPU seconds of each step of Run + Results on the
// bench tool's 20000 x 285 ~ timepoint data (studySim; DESEQ_STAGES=285 or
// another sample count; DESEQ_GENES another gene count; DESEQ_PAIRED=1 for
// ~ patient + timepoint; skipped otherwise). A measurement aid, not a
// check.
func TestStageCPU(t *testing.T) {
	v := os.Getenv("DESEQ_STAGES")
	if v == "" {
		t.Skip("set DESEQ_STAGES=<samples> to measure")
	}
	var m int
	fmt.Sscan(v, &m)
	G := 20000
	if v := os.Getenv("DESEQ_GENES"); v != "" {
		fmt.Sscan(v, &G)
	}
	cm, X, cols, Xp, colsP := studySim(G, m)
	if os.Getenv("DESEQ_PAIRED") != "" {
		X, cols = Xp, colsP
	}
	var steps []string
	times := map[string]float64{}
	last, lastStep := cpuSeconds(), ""
	c0 := last
	prog := func(step string, done, total int) {
		now := cpuSeconds()
		if lastStep != "" {
			times[lastStep] += now - last
		}
		if _, ok := times[step]; !ok {
			steps = append(steps, step)
			times[step] = 0
		}
		last, lastStep = now, step
	}
	fit, err := Run(cm, X, cols, Options{Workers: 1, Progress: prog})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fit.Results(ResultsOptions{}); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, s := range steps {
		fmt.Fprintf(&b, "%s %.3f; ", s, times[s])
	}
	t.Logf("%dx%d total %.3f s CPU: %s", G, m, cpuSeconds()-c0, b.String())
}
