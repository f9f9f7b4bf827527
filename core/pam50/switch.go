package pam50

import (
	"fmt"
	"sort"
)

// Switch is one patient's subtype before and after treatment.
type Switch struct {
	Patient    string
	PreSample  string // "" if the patient has no pre-treatment sample
	PostSample string // "" if the patient has no post-treatment sample
	Pre, Post  string // calls; "" if missing or not called
	Switched   bool   // both calls present and different
}

// SwitchTable pairs each patient's pre- and post-treatment calls. samples and
// calls are parallel (Result.Samples, Result.Calls); patient and timepoint map a
// sample to its patient and timepoint label; samples whose timepoint is neither
// pre nor post, or that have no patient, are ignored. Patients are sorted by
// name. It is an error for a patient to have two samples at one timepoint.
func SwitchTable(samples, calls []string, patient, timepoint map[string]string, pre, post string) ([]Switch, error) {
	if len(samples) != len(calls) {
		return nil, fmt.Errorf("pam50: %d samples but %d calls", len(samples), len(calls))
	}
	by := map[string]*Switch{}
	for i, s := range samples {
		p, ok := patient[s]
		if !ok || p == "" {
			continue
		}
		tp := timepoint[s]
		if tp != pre && tp != post {
			continue
		}
		sw := by[p]
		if sw == nil {
			sw = &Switch{Patient: p}
			by[p] = sw
		}
		if tp == pre {
			if sw.PreSample != "" {
				return nil, fmt.Errorf("pam50: patient %s has two %q samples: %s and %s", p, pre, sw.PreSample, s)
			}
			sw.PreSample, sw.Pre = s, calls[i]
		} else {
			if sw.PostSample != "" {
				return nil, fmt.Errorf("pam50: patient %s has two %q samples: %s and %s", p, post, sw.PostSample, s)
			}
			sw.PostSample, sw.Post = s, calls[i]
		}
	}
	out := make([]Switch, 0, len(by))
	for _, sw := range by {
		sw.Switched = sw.Pre != "" && sw.Post != "" && sw.Pre != sw.Post
		out = append(out, *sw)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Patient < out[b].Patient })
	return out, nil
}

// CrossTab counts pre (rows) by post (columns) calls. labels is subtypes plus
// "NA" (missing sample or no call); counts[i][j] is the number of patients with
// pre call labels[i] and post call labels[j].
func CrossTab(sw []Switch, subtypes []string) (labels []string, counts [][]int) {
	labels = append(append([]string(nil), subtypes...), "NA")
	idx := map[string]int{}
	for i, l := range subtypes {
		idx[l] = i
	}
	at := func(c string) int {
		if i, ok := idx[c]; ok {
			return i
		}
		return len(subtypes)
	}
	counts = make([][]int, len(labels))
	for i := range counts {
		counts[i] = make([]int, len(labels))
	}
	for _, s := range sw {
		counts[at(s.Pre)][at(s.Post)]++
	}
	return labels, counts
}
