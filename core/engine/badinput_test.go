package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/her2het/her2het/core/api"
)

// biFiles serves in-memory files to Handle by name, like the browser's File handles.
type biFiles map[string][]byte

func (m biFiles) Open(i int, ref api.FileRef) (io.ReadCloser, error) {
	b, ok := m[ref.Name]
	if !ok {
		return nil, fmt.Errorf("no such file %q", ref.Name)
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

// biHandle runs one request and returns its events; the last one is Done or Error.
func biHandle(t testing.TB, e *Engine, req api.Request, files Opener) []api.Event {
	t.Helper()
	var evs []api.Event
	e.Handle(req, files, func(ev api.Event) { evs = append(evs, ev) })
	if len(evs) == 0 {
		t.Fatalf("request %s: no events", req.Kind)
	}
	return evs
}

// biCohort is a small seeded cohort: a raw count matrix and its sample sheet, 12
// patients (6 non-HET/pCR, 3 non-HET/no pCR, 3 HET/no pCR) with one pretreatment
// biopsy each and a post-treatment sample for the patients without pCR.
func biCohort(seed uint64, genes int) (counts, samples []byte) {
	rng := rand.New(rand.NewPCG(seed, 13))
	names := []string{"ERBB2", "GRB7", "STARD3", "PGAP3", "MIEN1", "ESR1", "PGR", "MKI67", "CD8A", "GZMB"}
	for len(names) < genes {
		names = append(names, fmt.Sprintf("GENE%04d", len(names)))
	}
	var sheet strings.Builder
	sheet.WriteString("sampleID\tpatientID\ttpt\tpCR\tHET\tHR\n")
	var ids []string
	for p := 1; p <= 12; p++ {
		het, pcr := "0", "Yes"
		switch {
		case p > 9:
			het, pcr = "1", "No"
		case p > 6:
			pcr = "No"
		}
		hr := []string{"Positive", "Negative"}[p%2]
		id := fmt.Sprintf("P%02d_pre", p)
		ids = append(ids, id)
		fmt.Fprintf(&sheet, "%s\tP%02d\tPre\t%s\t%s\t%s\n", id, p, pcr, het, hr)
		if pcr == "No" {
			id = fmt.Sprintf("P%02d_post", p)
			ids = append(ids, id)
			fmt.Fprintf(&sheet, "%s\tP%02d\tPost\t%s\t%s\t%s\n", id, p, pcr, het, hr)
		}
	}
	var c strings.Builder
	c.WriteString("gene\t" + strings.Join(ids, "\t") + "\n")
	for _, g := range names {
		mu := 20 * rng.ExpFloat64()
		c.WriteString(g)
		for range ids {
			// a gamma-Poisson-like draw: exponential jitter around mu, rounded
			fmt.Fprintf(&c, "\t%d", int(mu*(0.5+rng.Float64())+0.5))
		}
		c.WriteByte('\n')
	}
	return []byte(c.String()), []byte(sheet.String())
}

func TestBIScratch(t *testing.T) {
	c, s := biCohort(1, 60)
	e := New()
	files := biFiles{"counts.tsv": c, "samples.tsv": s}
	evs := biHandle(t, e, api.Request{ID: 1, Kind: api.KindLoad, Files: []api.FileRef{{Name: "counts.tsv"}, {Name: "samples.tsv"}}}, files)
	t.Logf("%+v", evs[len(evs)-1])
	p, _ := json.Marshal(map[string]any{"gseaPerm": 50, "collections": []string{"hallmark"}, "dupCor": false, "pcaGenes": 50})
	evs = biHandle(t, e, api.Request{ID: 2, Kind: api.KindAnalyze, Params: p}, nil)
	t.Logf("%+v %v", evs[len(evs)-1], evs[len(evs)-1].Error)
}

func TestBIScratch2(t *testing.T) {
	c, s := biCohort(1, 60)
	e := New()
	files := biFiles{"counts.tsv": c, "samples.tsv": s}
	biHandle(t, e, api.Request{ID: 1, Kind: api.KindLoad, Files: []api.FileRef{{Name: "counts.tsv"}, {Name: "samples.tsv"}}}, files)
	for i := 0; i < 3; i++ {
		var last time.Time = time.Now()
		evs := biHandle(t, e, api.Request{ID: 2, Kind: api.KindAnalyze}, nil)
		t.Logf("%v %v", evs[len(evs)-1].Kind, time.Since(last))
		prev := last
		for _, ev := range evs {
			if ev.Kind == api.EventProgress {
				t.Logf("  %s %v", ev.Step, time.Since(prev))
			}
		}
	}
}
