package demo

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/fish"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/ingest"
	"github.com/her2het/her2het/core/pool"
)

var update = flag.Bool("update", false, "rewrite testdata/sha256.txt from this platform's output")

var (
	defaultOnce   sync.Once
	defaultCohort *Cohort
	defaultErr    error
)

// cohort returns the default cohort, generated once per test binary.
func cohort(t testing.TB) *Cohort {
	t.Helper()
	defaultOnce.Do(func() { defaultCohort, defaultErr = Generate(Options{Seed: testSeed(), Workers: 2}) })
	if defaultErr != nil {
		t.Fatal(defaultErr)
	}
	return defaultCohort
}

// testSeed is the seed of the cohort the tests check: DefaultSeed, or the value
// of $HER2HET_DEMO_SEED, to check that the planted effects do not hang on one
// seed (e.g. for s in 1 2 3; do HER2HET_DEMO_SEED=$s go test ./core/demo; done).
func testSeed() uint64 {
	if v := os.Getenv("HER2HET_DEMO_SEED"); v != "" {
		if n, err := strconv.ParseUint(v, 10, 64); err == nil && n > 0 {
			return n
		}
	}
	return DefaultSeed
}

func fileOf(t testing.TB, c *Cohort, name string) []byte {
	t.Helper()
	for _, f := range c.Files() {
		if f.Name == name {
			return f.Data
		}
	}
	t.Fatalf("no file %s", name)
	return nil
}

func digests(c *Cohort) []string {
	var out []string
	for _, f := range c.Files() {
		h := sha256.Sum256(f.Data)
		out = append(out, f.Name+"\t"+hex.EncodeToString(h[:]))
	}
	return out
}

// TestGoldenSHA256 checks the files of the default cohort byte for byte against
// the digests recorded natively (linux/amd64). The same test under GOOS=js
// GOARCH=wasm proves the browser makes the same bytes:
//
//	GOOS=js GOARCH=wasm go test -exec "$(go env GOROOT)/lib/wasm/go_js_wasm_exec" -run Golden ./core/demo
func TestGoldenSHA256(t *testing.T) {
	if testSeed() != DefaultSeed {
		t.Skip("HER2HET_DEMO_SEED is set")
	}
	got := strings.Join(digests(cohort(t)), "\n") + "\n"
	const path = "testdata/sha256.txt"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s/%s: files differ from the recorded digests\ngot:\n%swant:\n%s", runtime.GOOS, runtime.GOARCH, got, want)
	}
}

// TestDeterminism: the same options give the same bytes whatever the number of
// workers; another seed gives other bytes (on a 3,000-gene cohort, to stay fast;
// TestGoldenSHA256 covers the default one).
func TestDeterminism(t *testing.T) {
	small := func(o Options) []string {
		o.Genes = 3000
		c, err := Generate(o)
		if err != nil {
			t.Fatal(err)
		}
		return digests(c)
	}
	base := small(Options{Seed: 5})
	for _, tc := range []struct {
		name string
		opt  Options
		same bool
	}{
		{"same seed, one worker again", Options{Seed: 5, Workers: 1}, true},
		{"same seed, five workers", Options{Seed: 5, Workers: 5}, true},
		{"other seed", Options{Seed: 6}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := small(tc.opt)
			for i := range got {
				if (got[i] == base[i]) != tc.same {
					t.Errorf("%s: same=%v, want %v", got[i], got[i] == base[i], tc.same)
				}
			}
		})
	}
}

func TestOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  Options
		ok   bool
	}{
		{"too few genes", Options{Genes: 100}, false},
		{"too many genes", Options{Genes: 1e6}, false},
		{"small", Options{Genes: 2500, Seed: 3}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Generate(tc.opt)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok %v", err, tc.ok)
			}
			if err == nil && len(c.Genes) != tc.opt.Genes {
				t.Errorf("%d genes, want %d", len(c.Genes), tc.opt.Genes)
			}
		})
	}
}

// TestShape checks the biopsy structure and that the files load through the
// project's own readers.
func TestShape(t *testing.T) {
	c := cohort(t)
	if len(c.Patients) != NPatients || len(c.Samples) != NSamples || len(c.Genes) != DefaultGenes {
		t.Fatalf("%d patients, %d samples, %d genes", len(c.Patients), len(c.Samples), len(c.Genes))
	}
	var groups [3]int
	var one, residual, hr int
	for i := range c.Patients {
		p := &c.Patients[i]
		groups[p.Group]++
		if p.Biopsies == 1 {
			one++
		}
		if p.Residual {
			residual++
			if p.PCR() {
				t.Errorf("%s: pCR patient with a residual tumour", p.ID)
			}
			if p.RCB != "II" && p.RCB != "III" {
				t.Errorf("%s: residual tumour with RCB %s", p.ID, p.RCB)
			}
		}
		if p.HR {
			hr++
		}
		if p.HR != (p.ER || p.PR) {
			t.Errorf("%s: HR %v with ER %v, PR %v", p.ID, p.HR, p.ER, p.PR)
		}
		if (p.RCB == "0") != p.PCR() {
			t.Errorf("%s: RCB %s with pCR %v", p.ID, p.RCB, p.PCR())
		}
	}
	if groups != [3]int{NPCR, NNoPCR, NHET} || one != NOneBiopsy || residual != NPost || hr != 72 {
		t.Errorf("groups %v, one biopsy %d, residual %d, HR+ %d", groups, one, residual, hr)
	}
	pre := 0
	for _, s := range c.Samples {
		if !s.Post {
			pre++
		}
	}
	if pre != NPre {
		t.Errorf("%d pretreatment samples, want %d", pre, NPre)
	}

	// The sample sheet through ingest: every role recognised, patient-level values agree.
	sheet, _, err := ingest.ReadSampleSheet(FileSamples, bytes.NewReader(fileOf(t, c, FileSamples)), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []dataset.Role{dataset.RoleSample, dataset.RolePatient, dataset.RoleTimepoint, dataset.RoleHR, dataset.RoleER, dataset.RolePR,
		dataset.RoleResponse, dataset.RoleHET, dataset.RoleRCB, dataset.RoleIHC} {
		col := sheet.Column(r)
		if col == nil {
			t.Errorf("sample sheet: no %s column", r)
			continue
		}
		if unk := col.Normalize(); len(unk) > 0 {
			t.Errorf("column %s: values not understood: %v", col.Name, unk)
		}
	}
	if d := sheet.PatientDisagreements(); len(d) > 0 {
		t.Errorf("patient-level disagreements: %v", d)
	}
	// The counts through ingest: whole numbers, the sheet's samples, the cohort's values.
	ld, err := ingest.ReadAny(FileCounts, bytes.NewReader(fileOf(t, c, FileCounts)), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := ld.Matrix
	if m.Kind != dataset.Counts || m.Rows() != DefaultGenes || m.Cols() != NSamples {
		t.Fatalf("counts: kind %v, %d x %d", m.Kind, m.Rows(), m.Cols())
	}
	if rep := ingest.MatchSamples(sheet, m, FileSamples, FileCounts); rep.ExcludedSamples != 0 {
		t.Errorf("sheet and matrix disagree: %+v", rep)
	}
	want := c.Counts()
	for i, v := range m.Data {
		if v != want.Data[i] {
			t.Fatalf("counts.tsv.gz value %d = %v, matrix has %v", i, v, want.Data[i])
		}
	}
	// Library sizes near the drawn ones (the composition scaling is exact in
	// expectation) and in a realistic range.
	for s := range c.Samples {
		sum := 0.0
		for g := 0; g < m.Rows(); g++ {
			sum += m.At(g, s)
		}
		if r := sum / c.Samples[s].LibSize; r < 0.97 || r > 1.03 || sum < 14e6 || sum > 85e6 {
			t.Errorf("%s: library %.0f, drawn %.0f", c.Samples[s].ID, sum, c.Samples[s].LibSize)
		}
	}
	// The gzip stream says it is synthetic too.
	zr, err := gzip.NewReader(bytes.NewReader(fileOf(t, c, FileCounts)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(zr.Comment, "Synthetic") {
		t.Errorf("gzip comment %q", zr.Comment)
	}
}

func TestEveryFileSaysSynthetic(t *testing.T) {
	for _, f := range cohort(t).Files() {
		data := f.Data
		if strings.HasSuffix(f.Name, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			head := make([]byte, 200)
			n, _ := io.ReadFull(zr, head)
			data = head[:n]
		}
		first, _, _ := strings.Cut(string(data), "\n")
		if !strings.Contains(strings.ToLower(first), "synthetic") {
			t.Errorf("%s: first line %q does not say synthetic", f.Name, first)
		}
	}
}

// TestFISHAgreesWithSheet: core/fish's default rule calls HET exactly the
// patients the sample sheet calls HET, from the per-cell file.
func TestFISHAgreesWithSheet(t *testing.T) {
	c := cohort(t)
	cells, err := fish.ReadCells(bytes.NewReader(fileOf(t, c, FileFISH)), FileFISH)
	if err != nil {
		t.Fatal(err)
	}
	res, err := fish.Summarise(cells, fish.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*Patient{}
	for i := range c.Patients {
		byID[c.Patients[i].ID] = &c.Patients[i]
	}
	seenPre := map[string]bool{}
	var post, postHET, postNonHETHet int
	for _, tu := range res.Tumours {
		p := byID[tu.Sample]
		if p == nil {
			t.Fatalf("FISH tumour of unknown patient %q", tu.Sample)
		}
		switch fish.NormaliseTimepoint(tu.Timepoint) {
		case fish.TimepointPre:
			seenPre[tu.Sample] = true
			want := fish.HetNo
			if p.HET() {
				want = fish.HetYes
			}
			if tu.Het != want {
				t.Errorf("%s: FISH calls %v (%s), sheet says HET=%v", p.ID, tu.Het, tu.Reason, p.HET())
			}
		case fish.TimepointPost:
			post++
			if !p.Residual {
				t.Errorf("%s: post-treatment FISH without a residual tumour", p.ID)
			}
			if tu.Het == fish.HetYes {
				postHET++
				if !p.HET() {
					postNonHETHet++
				}
			}
		default:
			t.Errorf("%s: timepoint %q", tu.Sample, tu.Timepoint)
		}
	}
	if len(seenPre) != NPatients || post != NPost {
		t.Errorf("%d patients with pretreatment FISH, %d residual tumours", len(seenPre), post)
	}
	// Residual tumours gain heterogeneity (finding 3): some non-HET patients' residual
	// tumours are heterogeneous.
	if postNonHETHet < 5 {
		t.Errorf("only %d non-HET patients have a heterogeneous residual tumour", postNonHETHet)
	}
	for _, a := range res.Areas {
		if !a.Called || a.NNuclei < 60 || a.NNuclei > 120 {
			t.Errorf("area %s/%s/%s/%s: %d nuclei, called %v", a.Sample, a.Timepoint, a.Site, a.Name, a.NNuclei, a.Called)
		}
	}
	for _, s := range res.Sites {
		if s.NAreas < 2 || s.NAreas > 3 {
			t.Errorf("site %s/%s: %d areas", s.Sample, s.Site, s.NAreas)
		}
	}
	t.Logf("residual tumours: %d, HET by FISH %d (%d of non-HET patients)", post, postHET, postNonHETHet)
}

func TestSpatial(t *testing.T) {
	c := cohort(t)
	segs := c.Segments()
	if len(segs) != 8*spatialROIs*2 {
		t.Fatalf("%d segments", len(segs))
	}
	lines := strings.Split(strings.TrimSpace(string(fileOf(t, c, FileSpatialCounts))), "\n")
	head := strings.Split(lines[1], "\t")
	if head[0] != "TargetName" || len(head) != len(segs)+1 {
		t.Fatalf("count header %v", head[:2])
	}
	for i, s := range segs {
		if head[i+1] != s.Name {
			t.Fatalf("column %d is %q, segment %q", i+1, head[i+1], s.Name)
		}
	}
	segLines := strings.Split(strings.TrimSpace(string(fileOf(t, c, FileSpatialSegments))), "\n")
	if len(segLines) != len(segs)+2 {
		t.Errorf("%d segment lines", len(segLines))
	}
	if got := len(lines) - 2; got != spatialTargets+1 {
		t.Errorf("%d targets", got)
	}
	// ERBB2 per nucleus: HER2-high above HER2-low in every HET patient (paired by ROI).
	var erbb2 []string
	for _, l := range lines[2:] {
		if strings.HasPrefix(l, "ERBB2\t") {
			erbb2 = strings.Split(l, "\t")[1:]
		}
	}
	if erbb2 == nil {
		t.Fatal("no ERBB2 target")
	}
	higher := map[int]int{}
	for i := 0; i+1 < len(segs); i += 2 {
		hi, lo := segs[i], segs[i+1]
		if !hi.HER2High || lo.HER2High || hi.Patient != lo.Patient {
			t.Fatalf("segments %d, %d are not a HER2-high/low pair", i, i+1)
		}
		var a, b float64
		fmt.Sscan(erbb2[i], &a)
		fmt.Sscan(erbb2[i+1], &b)
		if a/float64(hi.Nuclei) > b/float64(lo.Nuclei) {
			higher[hi.Patient]++
		}
	}
	for i := range c.Patients {
		if p := &c.Patients[i]; p.Spatial && p.HET() && higher[i] < 3 {
			t.Errorf("%s: HER2-high segment above HER2-low in only %d of 4 ROIs", p.ID, higher[i])
		}
	}
}

// TestSamplers checks fmath's Exp and Log as the samplers use them, and the samplers.
func TestSamplers(t *testing.T) {
	for _, x := range []float64{-700, -20, -1, -1e-10, 0, 1e-12, 0.3, 1, 2.5, 10, 100, 700} {
		if got, want := fmath.Exp(x), mathExp(x); relDiff(got, want) > 1e-15 {
			t.Errorf("exp(%v) = %v, math %v", x, got, want)
		}
	}
	for _, x := range []float64{1e-300, 1e-10, 0.1, 0.7, 1, 1 + 1e-12, 1.5, 2, 10, 1e10, 1e300} {
		if got, want := fmath.Log(x), mathLog(x); absDiff(got, want) > 4e-16*max(1, absf(want)) {
			t.Errorf("log(%v) = %v, math %v", x, got, want)
		}
	}
	// Property check over many arguments: within 1e-15 relative of package math.
	rs := newSampler(3, 4)
	for i := 0; i < 100000; i++ {
		x := rs.uniform(-700, 700)
		if got, want := fmath.Exp(x), mathExp(x); relDiff(got, want) > 1e-15 {
			t.Fatalf("exp(%v) = %v, math %v", x, got, want)
		}
		y := fmath.Exp(rs.uniform(-300, 300))
		if got, want := fmath.Log(y), mathLog(y); absDiff(got, want) > 1e-15*max(1, absf(want)) {
			t.Fatalf("log(%v) = %v, math %v", y, got, want)
		}
	}
	const n = 200000
	for _, tc := range []struct {
		name      string
		draw      func(s *sampler) float64
		mean, sd  float64
		tolM, tol float64 // absolute tolerance on the mean, relative on the SD
	}{
		{"normal", func(s *sampler) float64 { return s.norm() }, 0, 1, 0.01, 0.01},
		{"gamma 0.4", func(s *sampler) float64 { return s.gamma(0.4) }, 0.4, 0.632456, 0.006, 0.02},
		{"gamma 7", func(s *sampler) float64 { return s.gamma(7) }, 7, 2.645751, 0.03, 0.01},
		{"poisson 3", func(s *sampler) float64 { return s.poisson(3) }, 3, 1.732051, 0.01, 0.01},
		{"poisson 500", func(s *sampler) float64 { return s.poisson(500) }, 500, 22.36068, 0.15, 0.01},
		{"negbin 0.5, 2", func(s *sampler) float64 { return s.negbin(0.5, 2) }, 0.5, 1, 0.01, 0.02},
		{"negbin 12, 0.1", func(s *sampler) float64 { return s.negbin(12, 0.1) }, 12, 5.138093, 0.05, 0.01},
		{"negbin 2000, 0.05", func(s *sampler) float64 { return s.negbin(2000, 0.05) }, 2000, 449.4441, 3, 0.015},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSampler(11, 12)
			var sum, sum2 float64
			for i := 0; i < n; i++ {
				v := tc.draw(s)
				sum += v
				sum2 += v * v
			}
			m := sum / n
			sd := mathSqrt(sum2/n - m*m)
			if absDiff(m, tc.mean) > tc.tolM || relDiff(sd, tc.sd) > tc.tol {
				t.Errorf("mean %v (want %v +/- %v), sd %v (want %v, rel %v)", m, tc.mean, tc.tolM, sd, tc.sd, tc.tol)
			}
		})
	}
	// pick returns k distinct sorted indices.
	s := newSampler(1, 1)
	got := s.pick(50, 20)
	if len(got) != 20 || !sort.IntsAreSorted(got) {
		t.Errorf("pick: %v", got)
	}
}

func BenchmarkGenerate(b *testing.B) {
	cohort(b) // load the gene map and reference sets first
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			b.ReportAllocs()
			c0 := cpuTime()
			for i := 0; i < b.N; i++ {
				if _, err := Generate(Options{Workers: w}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-c0)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
	b.Run("pool=Local(2)", func(b *testing.B) {
		b.ReportAllocs()
		p := pool.Local(2)
		c0 := cpuTime()
		for i := 0; i < b.N; i++ {
			if _, err := Generate(Options{Pool: p}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(cpuTime()-c0)/1e6/float64(b.N), "cpu-ms/op")
	})
}

func BenchmarkFiles(b *testing.B) {
	c := cohort(b)
	for _, plain := range []bool{false, true} {
		b.Run(fmt.Sprintf("uncompressed=%v", plain), func(b *testing.B) {
			c.Options.Uncompressed = plain
			defer func() { c.Options.Uncompressed, c.files = false, nil }()
			b.ReportAllocs()
			c0 := cpuTime()
			for i := 0; i < b.N; i++ {
				c.files = nil
				c.Files()
			}
			b.ReportMetric(float64(cpuTime()-c0)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}

func mathExp(x float64) float64    { return math.Exp(x) }
func mathLog(x float64) float64    { return math.Log(x) }
func mathSqrt(x float64) float64   { return math.Sqrt(x) }
func absf(x float64) float64       { return math.Abs(x) }
func absDiff(a, b float64) float64 { return math.Abs(a - b) }
func relDiff(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / math.Max(math.Abs(a), math.Abs(b))
}

// TestUncompressed: counts.tsv is exactly the decompressed counts.tsv.gz.
func TestUncompressed(t *testing.T) {
	gz, err := Generate(Options{Genes: 2000, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Generate(Options{Genes: 2000, Seed: 9, Uncompressed: true})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(fileOf(t, gz, FileCounts)))
	if err != nil {
		t.Fatal(err)
	}
	want, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if got := fileOf(t, plain, FileCountsPlain); !bytes.Equal(got, want) {
		t.Errorf("counts.tsv (%d bytes) differs from the decompressed counts.tsv.gz (%d bytes)", len(got), len(want))
	}
}
