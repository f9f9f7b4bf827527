package plotdata

import (
	"encoding/json"
	"math"
	"testing"
)

// Reference values from R 4.2.2: boxplot.stats(x)$stats and length(x).
func TestBoxStatsMatchesR(t *testing.T) {
	tests := []struct {
		name string
		x    []float64
		want [5]float64
	}{
		{"odd", []float64{1, 2, 3, 4, 5}, [5]float64{1, 2, 3, 4, 5}},
		{"even", []float64{1, 2, 3, 4, 5, 6}, [5]float64{1, 2, 3.5, 5, 6}},
		// boxplot.stats(c(1,2,3,4,100))$stats = 1 2 3 4 4 (100 is an outlier)
		{"outlier", []float64{1, 2, 3, 4, 100}, [5]float64{1, 2, 3, 4, 4}},
		// boxplot.stats(c(-50, 1, 2, 2, 3, 4, 5, 6))$stats = 1.0 1.5 2.5 4.5 6.0
		{"low outlier", []float64{-50, 1, 2, 2, 3, 4, 5, 6}, [5]float64{1, 1.5, 2.5, 4.5, 6}},
		{"single", []float64{7}, [5]float64{7, 7, 7, 7, 7}},
		{"with NaN", []float64{math.NaN(), 3, 1, 2}, [5]float64{1, 1.5, 2, 2.5, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := BoxStats(tc.x)
			got := [5]float64{float64(s.LowerWhisker), float64(s.LowerHinge), float64(s.Median), float64(s.UpperHinge), float64(s.UpperWhisker)}
			for i := range got {
				if math.Abs(got[i]-tc.want[i]) > 1e-12 {
					t.Fatalf("stats %v, want %v", got, tc.want)
				}
			}
		})
	}
	if s := BoxStats([]float64{math.NaN()}); s.N != 0 || !math.IsNaN(float64(s.Median)) {
		t.Fatalf("all-NaN stats %+v", s)
	}
}

func TestFloatJSON(t *testing.T) {
	in := []Float{1.5, Float(math.NaN()), Float(math.Inf(1)), -2}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "[1.5,null,null,-2]" {
		t.Fatalf("encoded %s", b)
	}
	var out []Float
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out[0] != 1.5 || !math.IsNaN(float64(out[1])) || out[3] != -2 {
		t.Fatalf("decoded %v", out)
	}
}
