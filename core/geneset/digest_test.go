package geneset

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"testing"
)

// scoreDigest is the SHA-256 of every method's scores on seeded data; the
// same digest natively (amd64) and under GOOS=js GOARCH=wasm shows that the
// results have the same bits on both (fmath instead of math.Log/Pow, no
// BLAS in PLAGE).
const scoreDigest = "95353ff54715c3dfd00716cd70fb6835c9d66f47a530c2d1cda990d7cd034fc3"

// TestDigest: scores of GSVA (Gaussian, Poisson, ECDF), ssGSEA, z-score,
// PLAGE and singscore on seeded data hash to scoreDigest.
func TestDigest(t *testing.T) {
	m, sets := simulate(300, 40, 8, 3, 60, 51)
	cnt, _ := simulate(300, 40, 1, 2, 2, 52)
	for i, v := range cnt.Data {
		cnt.Data[i] = math.Floor(math.Abs(v) * 9)
	}
	h := sha256.New()
	var b [8]byte
	for _, meth := range []Method{GSVA, SSGSEA, ZScore, PLAGE, Singscore} {
		kerns := []Kernel{Gaussian}
		if meth == GSVA {
			kerns = []Kernel{Gaussian, Poisson, ECDF}
		}
		for _, k := range kerns {
			opt := DefaultOptions(meth)
			opt.Kernel = k
			data := m
			if k == Poisson {
				data = cnt
			}
			res, err := Score(data, sets, opt)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range res.Matrix.Data {
				binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
				h.Write(b[:])
			}
		}
	}
	if got := fmt.Sprintf("%x", h.Sum(nil)); got != scoreDigest {
		t.Errorf("digest %s, want %s", got, scoreDigest)
	}
}
