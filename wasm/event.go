package main

import (
	"encoding/json"
	"strings"

	"github.com/her2het/her2het/core/api"
)

// Events cross from the engine worker to the page as JSON strings. A section or
// report event carries tens of megabytes of data (the example cohort's QC section
// is 20 MB of SVG markup), and encoding/json's per-byte scanner is slow in
// WebAssembly: re-encoding the already encoded Data when marshalling the event
// (json.RawMessage is compacted and validated again) took 5 s for that section,
// and decoding the envelope 3 s more on the page. encodeEvent and decodeEvent
// keep Data as it is: the bytes sent are exactly json.Marshal's, and the page
// validates Data only once, when it decodes the section itself.

// bigData is the size from which Data is spliced instead of re-encoded.
const bigData = 64 << 10

// encodeEvent returns json.Marshal(ev). Data of at least bigData bytes, which
// must be compact JSON as api.Marshal writes it, is copied as is.
func encodeEvent(ev api.Event) ([]byte, error) {
	if len(ev.Data) < bigData || ev.Error != nil || ev.Indeterminate {
		return json.Marshal(ev)
	}
	data := ev.Data
	ev.Data = nil
	head, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	// Data is the last field json.Marshal writes when Error and Indeterminate are
	// empty: {...,"dataType":"x","data":<data>}
	out := make([]byte, 0, len(head)+len(`,"data":`)+len(data))
	out = append(out, head[:len(head)-1]...)
	out = append(out, `,"data":`...)
	out = append(out, data...)
	return append(out, '}'), nil
}

// decodeEvent decodes an event the engine sent. For a long message the Data
// member is cut out with a quick scan (strings and nesting only) and left
// unvalidated: whoever decodes Data validates it. Anything unexpected falls back
// to json.Unmarshal.
func decodeEvent(s string) (api.Event, error) {
	var ev api.Event
	if len(s) >= bigData {
		// `,"data":` cannot occur inside a JSON string (a quote in a string is
		// escaped), and the event's members before data are not objects: the first
		// occurrence is the event's own data member.
		if i := strings.Index(s, `,"data":`); i > 0 {
			start := i + len(`,"data":`)
			if end := skipValue(s, start); end > start {
				if err := json.Unmarshal([]byte(s[:i]+s[end:]), &ev); err == nil && ev.Data == nil {
					ev.Data = json.RawMessage(s[start:end])
					return ev, nil
				}
				ev = api.Event{}
			}
		}
	}
	err := json.Unmarshal([]byte(s), &ev)
	return ev, err
}

// skipValue returns the offset just past the JSON value that starts at s[i]
// (after optional white space), or -1 when s does not hold one there. It tracks
// only strings and bracket nesting; it does not validate.
func skipValue(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	if i >= len(s) {
		return -1
	}
	depth, start := 0, i
	for ; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
			if i >= len(s) {
				return -1
			}
			if depth == 0 {
				return i + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				if i == start {
					return -1
				}
				return i // end of a number or literal
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		case ',', ':', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i // end of a number or literal
			}
		}
	}
	if depth == 0 {
		return len(s) // a number or literal at the end
	}
	return -1
}
