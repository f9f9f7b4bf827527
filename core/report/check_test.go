package report

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/plotdata"
)

// A 1 x 1 PNG, base64 (what the heatmap raster embeds, only smaller).
const tinyPNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGL4z8AACAAA//8DAQIA/wAAAABJRU5ErkJggg=="

func TestCheckInlinePNGImage(t *testing.T) {
	doc := "<!DOCTYPE html>\n<html><head><style>p{}</style></head><body>%s</body></html>"
	img := `<svg><image class="mark heat-raster" x="1" y="2" width="30" height="40" preserveAspectRatio="none" image-rendering="pixelated" href="%s"%s</svg>`
	for _, tc := range []struct {
		name, body string
	}{
		{"self-closing", fmt.Sprintf(img, "data:image/png;base64,"+tinyPNG, "/>")},
		{"with title", fmt.Sprintf(img, "data:image/png;base64,"+tinyPNG, "><title>9 x 9 values</title></image>")},
		{"one pad", fmt.Sprintf(img, "data:image/png;base64,QUJD", "/>")},
		{"nested group", `<svg><g><image href="data:image/png;base64,ab+/cd==" width="1" height="1"/></g></svg>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := Check([]byte(fmt.Sprintf(doc, tc.body))); err != nil {
				t.Fatalf("inline PNG rejected: %v", err)
			}
		})
	}
	for _, tc := range []struct{ name, body, want string }{
		{"file", `<svg><image href="x.png"/></svg>`, "<image> may load"},
		{"remote", `<svg><image href="https://example.org/x.png"/></svg>`, "<image> may load"},
		{"fragment", `<svg><image id="a" href="#a"/></svg>`, "<image> may load"},
		{"svg data", `<svg><image href="data:image/svg+xml;base64,PHN2Zy8+"/></svg>`, "<image> may load"},
		{"html data", `<svg><image href="data:text/html;base64,PHA+"/></svg>`, "<image> may load"},
		{"png not base64", `<svg><image href="data:image/png,abc"/></svg>`, "<image> may load"},
		{"png with parameter", `<svg><image href="data:image/png;charset=x;base64,QUJD"/></svg>`, "<image> may load"},
		{"upper case", `<svg><image href="DATA:image/png;base64,QUJD"/></svg>`, "<image> may load"},
		{"whitespace", `<svg><image href="data:image/png;base64,QU JD"/></svg>`, "<image> may load"},
		{"leading space", `<svg><image href=" data:image/png;base64,QUJD"/></svg>`, "<image> may load"},
		{"bad length", `<svg><image href="data:image/png;base64,QUJDR"/></svg>`, "<image> may load"},
		{"inner padding", `<svg><image href="data:image/png;base64,QU=D"/></svg>`, "<image> may load"},
		{"three pads", `<svg><image href="data:image/png;base64,Q==="/></svg>`, "<image> may load"},
		{"empty data", `<svg><image href="data:image/png;base64,"/></svg>`, "<image> may load"},
		{"javascript", `<svg><image href="javascript:alert(1)"/></svg>`, "<image> may load"},
		{"no href", `<svg><image width="1" height="1"/></svg>`, "without an inline PNG"},
		{"xlink href", `<svg><image href="data:image/png;base64,QUJD" xlink:href="x.png"/></svg>`, "xlink:href"},
		{"src", `<svg><image href="data:image/png;base64,QUJD" src="x.png"/></svg>`, "src"},
		{"outside svg", `<image href="data:image/png;base64,QUJD">`, "<image> may load"},
		{"img element", `<img src="data:image/png;base64,QUJD">`, "<img> may load"},
		{"anchor", `<a href="data:image/png;base64,QUJD">x</a>`, "not a fragment"},
		{"anchor html", `<a href="data:text/html;base64,PHA+">x</a>`, "not a fragment"},
		{"svg anchor", `<svg><a href="data:image/png;base64,QUJD"><rect/></a></svg>`, "not a fragment"},
		{"fill data", `<svg><rect fill="data:image/png;base64,QUJD"/></svg>`, "is a URL"},
		{"fill url data", `<svg><rect fill="url(data:image/png;base64,QUJD)"/></svg>`, "url("},
		{"style url data", `<p style="background:url(data:image/png;base64,QUJD)">x</p>`, "url("},
		{"stylesheet url data", `<style>p{background:url(data:image/png;base64,QUJD)}</style>`, "url("},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Check([]byte(fmt.Sprintf(doc, tc.body)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestHTMLLargeHeatmap: a report with a heatmap large enough for chart to draw
// it as an embedded PNG passes Check, inlined once.
func TestHTMLLargeHeatmap(t *testing.T) {
	const n = 80
	names := make([]string, n)
	vals := make([]plotdata.Float, n*n)
	for i := range names {
		names[i] = "S" + strconv.Itoa(i)
		for j := 0; j < n; j++ {
			vals[i*n+j] = plotdata.Float(float64((i*j)%17)/8 - 1)
		}
	}
	d := &Document{Title: "t", Sections: []Section{{ID: "qc", Title: "QC", Figures: []plotdata.Figure{{
		ID: "corr", Title: "Sample correlation", Kind: plotdata.KindHeatmap,
		Heatmap: &plotdata.Heatmap{Rows: names, Cols: names, Values: vals, Diverging: true, Patients: names},
	}}}}}
	var b bytes.Buffer
	if err := HTML(&b, d); err != nil {
		t.Fatal(err)
	}
	if c := strings.Count(b.String(), `href="data:image/png;base64,`); c != 1 {
		t.Fatalf("%d inline PNGs, want 1", c)
	}
	if err := Check(b.Bytes()); err != nil {
		t.Fatal(err)
	}
}
