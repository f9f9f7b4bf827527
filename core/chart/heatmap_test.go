package chart

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/plotdata"
)

// corrFigure is an n x n correlation-like heatmap (seeded), with a group track,
// patients (two samples each), a reversed column order and a NaN on the diagonal.
func corrFigure(n int) *plotdata.Figure {
	rng := rand.New(rand.NewPCG(11, uint64(n)))
	names := make([]string, n)
	patients := make([]string, n)
	groups := make([]string, n)
	ord := make([]int, n)
	for i := range names {
		names[i] = "S" + strconv.Itoa(i+1)
		patients[i] = "P" + strconv.Itoa(i/2+1)
		groups[i] = []string{"HET", "non-HET"}[i%3%2]
		ord[i] = n - 1 - i
	}
	vals := make([]plotdata.Float, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			v := plotdata.Float(1)
			if i != j {
				v = plotdata.Float(rng.Float64()*1.6 - 0.6)
			}
			vals[i*n+j], vals[j*n+i] = v, v
		}
	}
	vals[n/2*n+n/2] = F(math.NaN())
	return &plotdata.Figure{ID: "corr", Title: "Sample correlation", Kind: plotdata.KindHeatmap, Heatmap: &plotdata.Heatmap{
		Rows: names, Cols: names, Values: vals, RowOrder: ord, ColOrder: ord, Diverging: true, Patients: patients,
		ColTracks: []plotdata.Track{{Name: "group", Values: groups}},
	}}
}

func BenchmarkHeatmap(b *testing.B) {
	for _, n := range []int{64, 285} {
		f := corrFigure(n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for b.Loop() {
				s, err := SVG(f, Options{})
				if err != nil {
					b.Fatal(err)
				}
				size = len(s)
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}

// rasterOf returns the decoded PNG of the first heat-raster <image> in b and
// the number of class="mark" elements that are <rect> bands.
func rasterOf(t *testing.T, b []byte) (image.Image, []byte) {
	t.Helper()
	s := string(b)
	i := strings.Index(s, `<image class="mark heat-raster"`)
	if i < 0 {
		t.Fatal("no heat-raster <image>")
	}
	const pre = `href="data:image/png;base64,`
	j := strings.Index(s[i:], pre)
	if j < 0 {
		t.Fatal("<image> has no data:image/png;base64 href")
	}
	rest := s[i+j+len(pre):]
	enc := rest[:strings.IndexByte(rest, '"')]
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return img, raw
}

func TestLargeHeatmapIsOneRaster(t *testing.T) {
	for _, n := range []int{65, 285} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			f := corrFigure(n)
			b, err := SVG(f, Options{})
			if err != nil {
				t.Fatal(err)
			}
			marks, titles, texts := parse(t, b)
			if marks != n+1 {
				t.Errorf("%d marks, want the image and %d column bands", marks, n)
			}
			if titles < marks+1 {
				t.Errorf("%d titles for %d marks", titles, marks)
			}
			if c := strings.Count(string(b), "<rect class=\"mark\" data-sample="); c != n {
				t.Errorf("%d column bands, want %d", c, n)
			}
			if c := strings.Count(string(b), `fill="#ffffff" fill-opacity="0"><title>`); c != n {
				t.Errorf("%d invisible column bands, want %d", c, n)
			}
			if !strings.Contains(strings.Join(texts, "|"), "group") {
				t.Error("annotation track label missing")
			}
			// Bands follow the column order with each column's identity.
			hm := f.Heatmap
			first := `data-sample="` + hm.Cols[hm.ColOrder[0]] + `" data-patient="` + hm.Patients[hm.ColOrder[0]] + `"`
			if k := strings.Index(string(b), first); k < 0 || k > strings.Index(string(b), `data-sample="`+hm.Cols[hm.ColOrder[1]]+`"`) {
				t.Errorf("first band is not %s", first)
			}
			img, raw := rasterOf(t, b)
			if got := img.Bounds(); got.Dx() != n || got.Dy() != n {
				t.Fatalf("raster %v, want %d x %d", got, n, n)
			}
			vals := make([]float64, len(hm.Values))
			for i, v := range hm.Values {
				vals[i] = float64(v)
			}
			lo, hi := extent(vals)
			m := math.Max(math.Abs(lo), math.Abs(hi))
			grey := 0
			for ri, r := range hm.RowOrder {
				for ci, c := range hm.ColOrder {
					want := heatRGB(vals[r*n+c], -m, m, true)
					pr, pg, pb, pa := img.At(ci, ri).RGBA()
					if got := [3]uint8{uint8(pr >> 8), uint8(pg >> 8), uint8(pb >> 8)}; got != want || pa != 0xffff {
						t.Fatalf("pixel (%d, %d) = %v alpha %x, want %v", ci, ri, got, pa, want)
					}
					if want == [3]uint8{0xee, 0xee, 0xee} {
						grey++
					}
				}
			}
			if grey != 1 {
				t.Errorf("%d grey pixels, want 1 (the NaN)", grey)
			}
			if n == 285 && len(b) > 600<<10 {
				t.Errorf("%d bytes (PNG %d) for a 285 x 285 heatmap", len(b), len(raw))
			}
			again, _ := SVG(f, Options{})
			if !bytes.Equal(again, b) {
				t.Error("two drawings of the same figure differ")
			}
		})
	}
}

func TestHeatmapRasterThreshold(t *testing.T) {
	// 64 x 64 = HeatmapRasterCells cells: still one <rect> per cell.
	b, err := SVG(corrFigure(64), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if marks, _, _ := parse(t, b); marks != 64*64 || strings.Contains(string(b), "<image") {
		t.Errorf("64 x 64: %d marks, image %v; want one rect per cell", marks, strings.Contains(string(b), "<image"))
	}
	if 64*64 != HeatmapRasterCells {
		t.Fatal("test assumes HeatmapRasterCells = 4096")
	}
	// One more row turns it into a raster.
	f := corrFigure(64)
	hm := f.Heatmap
	hm.Rows = append(hm.Rows, "extra")
	hm.RowOrder = nil
	hm.Values = append(hm.Values, make([]plotdata.Float, 64)...)
	b, err = SVG(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if marks, _, _ := parse(t, b); marks != 65 {
		t.Errorf("65 x 64: %d marks, want the image and 64 bands", marks)
	}
	if img, _ := rasterOf(t, b); img.Bounds().Dx() != 64 || img.Bounds().Dy() != 65 {
		t.Errorf("65 x 64 raster is %v", img.Bounds())
	}
}

func TestLargeHeatmapHighlight(t *testing.T) {
	b, err := SVG(corrFigure(100), Options{Highlight: "P3"})
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if h, d := strings.Count(s, `class="mark hl"`), strings.Count(s, `class="mark dim"`); h != 2 || d != 98 {
		t.Fatalf("highlight classes: %d hl, %d dim; want 2 and 98", h, d)
	}
	if v := strings.Count(s, `fill="#ffffff" fill-opacity="0.75"`); v != 98 {
		t.Errorf("%d veiled columns, want 98", v)
	}
	if v := strings.Count(s, `fill="#ffffff" fill-opacity="0">`); v != 2 {
		t.Errorf("%d clear columns, want the highlighted patient's 2", v)
	}
	if !strings.Contains(s, `<title>S5; patient P3</title>`) {
		t.Error("column band tooltip missing")
	}
}

// TestHeatPNGStable pins the PNG bytes of a small raster: the encoding must be
// the same natively and in WebAssembly (this test runs on both) and must not
// drift silently, since the report and the native/wasm identity test compare
// figure bytes.
func TestHeatPNGStable(t *testing.T) {
	const nr, nc = 40, 70
	vals := make([]float64, nr*nc)
	for i := range vals {
		vals[i] = float64(i*37%101)/50 - 1 + math.Sin(float64(i)/40)/10
	}
	vals[20] = math.NaN()
	rows, cols := make([]int, nr), make([]int, nc)
	for i := range rows {
		rows[i] = nr - 1 - i
	}
	for i := range cols {
		cols[i] = i * 3 % nc // 3 and 70 are coprime: a permutation
	}
	for _, tc := range []struct {
		diverging bool
		want      string
	}{
		{true, "a116871ea13d4152c81ad105db31d19a96a92e9d425c85f8d618a82f3eeb52f5"},
		{false, "b66223b4c8f8e329feab2c16b8d2ca550eedd9dc1c9523c7b057da3d17fe2ae0"},
	} {
		b, err := heatPNG(vals, rows, cols, nc, -1, 1, tc.diverging)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%x", sha256.Sum256(b)); got != tc.want {
			t.Errorf("diverging %v: PNG sha256 %s, want %s (%d bytes)", tc.diverging, got, tc.want, len(b))
		}
	}
}
