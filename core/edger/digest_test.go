package edger

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"os"
	"strings"
	"testing"
)

// TestDigestNativeWasm pins the bits of the whole workflow's output on the
// golden inputs (testdata/digest.txt). The same test runs natively and
// under GOOS=js GOARCH=wasm, so passing both proves native == wasm bit for
// bit. Regenerate with EDGER_WRITE_DIGEST=1 (natively) after a deliberate
// numerical change, then check the wasm run.
func TestDigestNativeWasm(t *testing.T) {
	h := sha256.New()
	var b [8]byte
	put := func(x []float64) {
		for _, v := range x {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
			h.Write(b[:])
		}
	}
	for _, c := range goldenCases {
		m, X := loadCase(t, c)
		res, err := QLWorkflow(m, X, &Options{Coef: c.coef, Contrast: c.contrast, Robust: c.robust, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		put([]float64{res.Disp.Common})
		put(res.Disp.Trended)
		put(res.Disp.AveLogCPM)
		put(res.Fit.Deviance)
		put(res.Fit.VarPost)
		put(res.Table.LogFC)
		put(res.Table.F)
		put(res.Table.PValue)
		put(res.Table.FDR)
	}
	got := hex.EncodeToString(h.Sum(nil))
	if os.Getenv("EDGER_WRITE_DIGEST") != "" {
		if err := os.WriteFile("testdata/digest.txt", []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/digest.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got != strings.TrimSpace(string(want)) {
		t.Errorf("digest %s, want %s", got, strings.TrimSpace(string(want)))
	}
}
