package study

import (
	"fmt"
	"sort"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/geneset"
	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/progeny"
	"github.com/her2het/her2het/core/refdata"
)

// setScores are per-sample gene-set scores over the cohort's samples.
type setScores struct {
	Method string
	Names  []string
	M      *dataset.Matrix // sets x samples
	idx    map[string]int
	// notes say which genes and sets were left out, and why (setnotes.go).
	notes []string
}

func (s *setScores) row(name string) ([]float64, bool) {
	i, ok := s.idx[name]
	if !ok {
		return nil, false
	}
	return s.M.Row(i), true
}

// computeScores scores the collections of Params on logE (all kept samples, pre and
// post, so scores are comparable across timepoints) and PROGENy.
func (r *runner) computeScores() error {
	if r.scores != nil {
		return nil
	}
	var sets []geneset.Set
	seen := map[string]bool{}
	for _, id := range r.p.Collections {
		ss, err := refdata.Sets(id)
		if err != nil {
			return fmt.Errorf("collection %q: %v", id, err)
		}
		for _, s := range ss {
			if !seen[s.Name] {
				seen[s.Name] = true
				sets = append(sets, s)
			}
		}
	}
	meth, _ := geneset.ParseMethod(r.p.ScoreMethod)
	opt := geneset.DefaultOptions(meth)
	opt.Kernel, _ = geneset.ParseKernel(r.p.Kernel)
	opt.MinSize = r.p.MinSetSize
	opt.Workers = r.p.Workers
	opt.Pool = r.p.Pool
	if r.deAside {
		// The engine worker's thread does the DE step's serial work meanwhile: the
		// helpers take every GSVA task.
		opt.Pool = r.p.HelperPool
	}
	sc, err := geneset.Score(r.logE, sets, opt)
	if err != nil {
		return err
	}
	s := &setScores{Method: r.p.ScoreMethod, Names: sc.Matrix.Genes, M: sc.Matrix, idx: map[string]int{},
		notes: setScoreNotes(r.logE, sc, opt.MinSize, meth == geneset.SSGSEA || meth == geneset.Singscore)}
	for i, n := range s.Names {
		s.idx[n] = i
	}
	r.scores = s
	pr, err := progeny.Score(r.logE, progeny.Defaults())
	if err == nil {
		r.progeny = map[string][]float64{}
		for k, p := range pr.Pathways {
			x := make([]float64, len(pr.Samples))
			for j := range x {
				x[j] = pr.At(j, k)
			}
			r.progeny[p] = x
		}
	}
	return nil
}

func (r *runner) isKeySet(name string) bool {
	for _, k := range r.p.KeySets {
		if k == name {
			return true
		}
	}
	return false
}

var keyProgeny = map[string]bool{"EGFR": true, "PI3K": true, "MAPK": true, "Estrogen": true}

// pathways compares gene-set scores and PROGENy activities between patient groups.
func (r *runner) pathways() *Section {
	const id, title = "pathways", "Pathway scores and PROGENy by group"
	if s := r.needGroups(id, title); s != nil {
		return s
	}
	if err := r.computeScores(); err != nil {
		return skipped(id, title, "gene-set scoring failed: "+err.Error())
	}
	sec := &Section{ID: id, Title: title}
	levels := levelsPresent(r.units, byGroupLabel, r.c.groups())
	s := r.scores
	sec.Notes = append(sec.Notes, s.notes...)
	omni := r.compare(sec, comparison{
		analysis: "pathway " + s.Method, vars: s.Names,
		values: func(k int) []float64 { return s.M.Row(k) },
		label:  byGroupLabel, levels: levels,
		figure: r.isKeySet, figID: "pathway",
		ylabel: s.Method + " score", column: func(n string) string { return s.Method + ":" + n },
		params: []string{"method", s.Method, "kernel", r.p.Kernel},
	})
	// Heatmap of group medians, sets in input order.
	hm := &plotdata.Heatmap{Rows: s.Names, Cols: levels, Diverging: true}
	for k := range s.Names {
		med := groupMedians(r.units, byGroupLabel, levels, s.M.Row(k))
		hm.Values = append(hm.Values, plotdata.Floats(med)...)
	}
	f := r.figure("pathway-medians", "Median "+s.Method+" score by group", plotdata.KindHeatmap,
		"method", s.Method, "level", r.levelParam())
	f.Heatmap = hm
	sec.Figures = append(sec.Figures, f)
	sum := fmt.Sprintf("%d gene sets scored by %s; %s.", len(s.Names), s.Method, describeSignificant(omni, 6))
	if r.progeny != nil {
		names := sortedKeys(r.progeny)
		sort.Strings(names)
		pomni := r.compare(sec, comparison{
			analysis: "PROGENy", vars: names,
			values: func(k int) []float64 { return r.progeny[names[k]] },
			label:  byGroupLabel, levels: levels,
			figure: func(n string) bool { return keyProgeny[n] }, figID: "progeny",
			ylabel: "PROGENy activity (scaled)", column: func(n string) string { return "progeny:" + n },
		})
		sum += fmt.Sprintf(" PROGENy: %s.", describeSignificant(pomni, 5))
	} else {
		sec.Notes = append(sec.Notes, "PROGENy not computed (no model gene in the matrix)")
	}
	sec.Summary = sum
	return sec
}
