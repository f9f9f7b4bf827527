package study_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/study"
)

// edgeFISH is a per-cell FISH table: 4 patients, 25 nuclei each, seeded.
func edgeFISH() string {
	rng := rand.New(rand.NewPCG(11, 53))
	var b strings.Builder
	b.WriteString("sample\ttimepoint\tarea\tcell\tERBB2\tCEP17\n")
	for p := 1; p <= 4; p++ {
		for c := 1; c <= 25; c++ {
			cep := 1 + rng.IntN(3)
			fmt.Fprintf(&b, "P%02d\tpre\tA1\t%d\t%d\t%d\n", p, c, cep*(1+p%3)+rng.IntN(3), cep)
		}
	}
	return b.String()
}

func edgeSections(res *study.Result) map[string]*study.Section {
	m := map[string]*study.Section{}
	for _, s := range res.Sections {
		m[s.ID] = s
	}
	return m
}

// TestEdgeCases checks Run, SamplePCA, NewROC and ReadParams on degenerate
// inputs: documented errors, skipped sections with their reason, NaN where
// documented, never a panic.
func TestEdgeCases(t *testing.T) {
	p := study.DefaultParams()
	p.Workers = 1
	t.Run("Run with nothing added: error", func(t *testing.T) {
		_, err := study.Run(context.Background(), &study.Inputs{}, p, nil)
		if err == nil || !strings.Contains(err.Error(), "no expression matrix and no FISH data were added") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("Run with FISH only: expression sections skipped with a reason", func(t *testing.T) {
		in := &study.Inputs{}
		if _, err := in.Add("fish.tsv", strings.NewReader(edgeFISH()), nil); err != nil {
			t.Fatal(err)
		}
		res, err := study.Run(context.Background(), in, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		secs := edgeSections(res)
		if s := secs["fish"]; s == nil || s.Skipped != "" {
			t.Fatalf("FISH section: %+v", s)
		}
		for _, id := range []string{"qc", "de", "pam50"} {
			if s := secs[id]; s == nil || s.Skipped == "" {
				t.Errorf("section %s ran without expression data", id)
			}
		}
	})
	t.Run("Run with a cancelled context: error", func(t *testing.T) {
		in := &study.Inputs{}
		if _, err := in.Add("fish.tsv", strings.NewReader(edgeFISH()), nil); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := study.Run(ctx, in, p, nil); err == nil {
			t.Fatal("a cancelled run succeeded")
		}
	})
	t.Run("Run with invalid parameters: error", func(t *testing.T) {
		in := &study.Inputs{}
		if _, err := in.Add("fish.tsv", strings.NewReader(edgeFISH()), nil); err != nil {
			t.Fatal(err)
		}
		q := p
		q.FDR = -1
		if _, err := study.Run(context.Background(), in, q, nil); err == nil {
			t.Fatal("FDR -1 accepted")
		}
	})
	t.Run("SamplePCA with 2 samples: error", func(t *testing.T) {
		m := dataset.NewMatrix(dataset.Expression, []string{"a", "b", "c"}, []string{"s1", "s2"})
		if _, err := study.SamplePCA(m, []int{0, 1, 2}, 2); err == nil {
			t.Fatal("PCA of 2 samples")
		}
	})
	t.Run("SamplePCA leaves NaN genes out; all NaN is an error", func(t *testing.T) {
		m := dataset.NewMatrix(dataset.Expression, []string{"a", "b", "c"}, []string{"s1", "s2", "s3", "s4"})
		for i := range m.Data {
			m.Data[i] = float64(i*i%7) + 0.5
		}
		m.Set(0, 1, math.NaN())
		if _, err := study.SamplePCA(m, []int{0, 1, 2}, 2); err != nil {
			t.Fatalf("2 usable genes: %v", err)
		}
		m.Set(1, 1, math.NaN())
		if _, err := study.SamplePCA(m, []int{0, 1, 2}, 2); err == nil {
			t.Fatal("PCA with one usable gene")
		}
	})
	t.Run("NewROC: no control is an error; NaN dropped", func(t *testing.T) {
		if _, err := study.NewROC([]float64{1, 2}, []bool{true, true}); err == nil {
			t.Fatal("ROC without controls")
		}
		if _, err := study.NewROC([]float64{1, math.NaN()}, []bool{true, false}); err == nil {
			t.Fatal("ROC whose only control is NaN")
		}
	})
	t.Run("ReadParams: unknown field, bad JSON and bad values are errors", func(t *testing.T) {
		for in, want := range map[string]string{
			`{"fdrr": 0.1}`:            "fdrr",
			`{"fdr": 0.1`:              "",
			`{"normalisation": "xyz"}`: "",
			`{"fdr": "high"}`:          "",
			`{"minNuclei": -3}`:        "",
		} {
			_, err := study.ReadParams("params.json", strings.NewReader(in))
			if err == nil {
				// Values may be checked at Run time instead: try it.
				q, _ := study.ReadParams("params.json", strings.NewReader(in))
				fish := &study.Inputs{}
				fish.Add("fish.tsv", strings.NewReader(edgeFISH()), nil)
				if _, err = study.Run(context.Background(), fish, q, nil); err == nil {
					t.Errorf("%s accepted by ReadParams and Run", in)
				}
				continue
			}
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: err %v, want it to name %q", in, err, want)
			}
		}
	})
}
