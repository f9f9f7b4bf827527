package engine

import (
	"bytes"
	"encoding/json"

	"github.com/her2het/her2het/core/api"
)

// marshalView encodes a section or a report for its event like api.Marshal, but
// leaves <, > and & as they are instead of escaping them as \u003c, \u003e and
// \u0026 (the JSON value is the same). Sections are mostly SVG markup and the
// report is HTML: escaped, the example cohort's QC section grew from 16 to 20 MB,
// and every byte is copied to the page and decoded there.
func marshalView(v any) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return api.Marshal(v) // panics with api.Marshal's message
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
