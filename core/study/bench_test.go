package study

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/her2het/her2het/core/demo"
)

// BenchmarkRun runs the whole study on the built-in cohort (285 samples x 20,000
// genes, 129 patients, per-cell FISH), with one worker and with two. The inputs are
// parsed once, outside the timer.
func BenchmarkRun(b *testing.B) {
	c, err := demo.Generate(demo.Options{Workers: 2})
	if err != nil {
		b.Fatal(err)
	}
	in := &Inputs{}
	for _, f := range c.Files() {
		switch f.Name {
		case demo.FileCounts, demo.FileSamples, demo.FileFISH:
			if _, err := in.Add(f.Name, bytes.NewReader(f.Data), nil); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("285x20000/workers=%d", w), func(b *testing.B) {
			p := DefaultParams()
			p.Workers = w
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Run(context.Background(), in, p, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAdd measures reading and classifying the demo count matrix (gzip TSV).
func BenchmarkAdd(b *testing.B) {
	c, err := demo.Generate(demo.Options{Workers: 2})
	if err != nil {
		b.Fatal(err)
	}
	var data []byte
	for _, f := range c.Files() {
		if f.Name == demo.FileCounts {
			data = f.Data
		}
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		in := &Inputs{}
		if _, err := in.Add(demo.FileCounts, bytes.NewReader(data), nil); err != nil {
			b.Fatal(err)
		}
	}
}
