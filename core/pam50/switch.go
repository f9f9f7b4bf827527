package pam50

import (
	"fmt"
	"sort"
	"strings"
)

// Switch is one patient's subtype before and after treatment.
//
// A patient may have several samples at a timepoint (the study took two
// spatially distinct pretreatment biopsies). The patient-level call at a
// timepoint is the common call of its samples when they agree, "" when none is
// called, and the distinct calls joined by "/" in sample order when they
// disagree (Discordant). Samples without a call ("") are listed but do not vote.
type Switch struct {
	Patient                       string
	PreSamples, PostSamples       []string
	PreCalls, PostCalls           []string // per sample, parallel to the samples
	Pre, Post                     string   // patient-level calls, see above
	PreDiscordant, PostDiscordant bool
	// Switched: both timepoints called and no post-treatment call equals any
	// pretreatment call (a residual tumour matching either biopsy is no switch).
	Switched bool
}

// SwitchTable pairs each patient's pre- and post-treatment calls. samples and
// calls are parallel (Result.Samples, Result.Calls); patient and timepoint map a
// sample to its patient and timepoint label; samples whose timepoint is neither
// pre nor post, or that have no patient, are ignored. Patients are sorted by
// name. It is an error if samples and calls differ in length or pre == post.
func SwitchTable(samples, calls []string, patient, timepoint map[string]string, pre, post string) ([]Switch, error) {
	if len(samples) != len(calls) {
		return nil, fmt.Errorf("pam50: %d samples but %d calls", len(samples), len(calls))
	}
	if pre == post {
		return nil, fmt.Errorf("pam50: pre and post timepoints are both %q", pre)
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
			sw.PreSamples = append(sw.PreSamples, s)
			sw.PreCalls = append(sw.PreCalls, calls[i])
		} else {
			sw.PostSamples = append(sw.PostSamples, s)
			sw.PostCalls = append(sw.PostCalls, calls[i])
		}
	}
	out := make([]Switch, 0, len(by))
	for _, sw := range by {
		sw.Pre, sw.PreDiscordant = combine(sw.PreCalls)
		sw.Post, sw.PostDiscordant = combine(sw.PostCalls)
		if sw.Pre != "" && sw.Post != "" {
			sw.Switched = true
			for _, a := range sw.PostCalls {
				for _, b := range sw.PreCalls {
					if a != "" && a == b {
						sw.Switched = false
					}
				}
			}
		}
		out = append(out, *sw)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Patient < out[b].Patient })
	return out, nil
}

func combine(calls []string) (string, bool) {
	var distinct []string
	seen := map[string]bool{}
	for _, c := range calls {
		if c != "" && !seen[c] {
			seen[c] = true
			distinct = append(distinct, c)
		}
	}
	return strings.Join(distinct, "/"), len(distinct) > 1
}

// CrossTab counts pre (rows) by post (columns) patient-level calls. labels is
// subtypes plus "discordant" (biopsies disagree) and "NA" (no sample or no
// call); counts[i][j] is the number of patients with pre label i and post label j.
func CrossTab(sw []Switch, subtypes []string) (labels []string, counts [][]int) {
	labels = append(append([]string(nil), subtypes...), "discordant", "NA")
	idx := map[string]int{}
	for i, l := range subtypes {
		idx[l] = i
	}
	at := func(c string, disc bool) int {
		if disc {
			return len(subtypes)
		}
		if i, ok := idx[c]; ok {
			return i
		}
		return len(subtypes) + 1
	}
	counts = make([][]int, len(labels))
	for i := range counts {
		counts[i] = make([]int, len(labels))
	}
	for _, s := range sw {
		counts[at(s.Pre, s.PreDiscordant)][at(s.Post, s.PostDiscordant)]++
	}
	return labels, counts
}
