package chart

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"strconv"
)

// heatRaster writes the cells of a heatmap as one <image> covering the frame: a
// PNG with one pixel per cell in the displayed order (pixel (ci, ri) is value
// vals[rowOrder[ri]*nc + colOrder[ci]]) coloured by heatRGB, embedded as a
// data:image/png;base64 URL. The browser scales it without smoothing
// (image-rendering="pixelated", a presentation attribute: the app's Content
// Security Policy blocks style attributes), so cells keep sharp edges.
func (s *svg) heatRaster(fr frame, vals []float64, rowOrder, colOrder []int, nc int, lo, hi float64, diverging bool) error {
	nr := len(rowOrder)
	data, err := heatPNG(vals, rowOrder, colOrder, nc, lo, hi, diverging)
	if err != nil {
		return err
	}
	s.raw(`<image class="mark heat-raster" x="` + num(fr.x0()) + `" y="` + num(fr.y1()) +
		`" width="` + num(fr.x1()-fr.x0()) + `" height="` + num(fr.y0()-fr.y1()) +
		`" preserveAspectRatio="none" image-rendering="pixelated" href="data:image/png;base64,`)
	enc := base64.NewEncoder(base64.StdEncoding, &s.b)
	enc.Write(data)
	enc.Close()
	s.raw(`"><title>` + strconv.Itoa(nr) + " x " + strconv.Itoa(len(colOrder)) + ` values, one pixel each; hover a column for its sample</title></image>`)
	return nil
}

// heatPNG encodes the heatmap cells as an opaque 8-bit RGB PNG, len(colOrder)
// pixels wide and len(rowOrder) high, with the standard library's encoder at its
// default compression: the bytes depend only on the input (compress/flate is
// pure Go), so native and WebAssembly builds write the same file. The only error
// is the encoder's for an empty image.
func heatPNG(vals []float64, rowOrder, colOrder []int, nc int, lo, hi float64, diverging bool) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, len(colOrder), len(rowOrder)))
	for ri, r := range rowOrder {
		row := img.Pix[ri*img.Stride:]
		for ci, c := range colOrder {
			rgb := heatRGB(vals[r*nc+c], lo, hi, diverging)
			p := row[4*ci : 4*ci+4 : 4*ci+4]
			p[0], p[1], p[2], p[3] = rgb[0], rgb[1], rgb[2], 0xff
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("chart: heatmap image: %v", err)
	}
	return b.Bytes(), nil
}
