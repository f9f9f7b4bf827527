package design

import "github.com/her2het/her2het/core/dataset"

// FromSheet turns an ingested sample sheet into a Frame over its normalised
// values (so "Post" and "post" are one level, and missing cells are empty,
// which ModelMatrix reports as missing). Columns with a recognised
// categorical role (sample, patient, timepoint, response, RCB, HET, HR, ER,
// PR, batch, IHC) are factors; the timepoint levels are ordered pre, on,
// post so that pre is the reference; other columns use Auto. Ignored columns
// are left out. Columns are keyed by their names in the sheet.
func FromSheet(s *dataset.SampleSheet) *Frame {
	fr := &Frame{Samples: s.Samples, Columns: map[string][]string{}, Kinds: map[string]Kind{}, Levels: map[string][]string{}}
	for _, c := range s.Columns {
		if c.Role == dataset.RoleIgnore {
			continue
		}
		vals := c.Values
		if vals == nil {
			vals = c.Raw
		}
		fr.Columns[c.Name] = vals
		switch c.Role {
		case dataset.RoleOther:
		case dataset.RoleTimepoint:
			fr.Kinds[c.Name] = Factor
			var lv []string
			present := map[string]bool{}
			for _, v := range vals {
				present[Normalize(v)] = true
			}
			for _, l := range []string{"pre", "on", "post"} {
				if present[l] {
					lv = append(lv, l)
				}
			}
			if len(lv) == len(present) {
				fr.Levels[c.Name] = lv
			}
		default:
			fr.Kinds[c.Name] = Factor
		}
	}
	return fr
}
