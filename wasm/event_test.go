package main

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/api"
)

// TestEventCodec: encodeEvent writes exactly json.Marshal's bytes and decodeEvent
// gives json.Unmarshal's event, for small and big data, strings holding quotes,
// backslashes and `,"data":`, nested data, errors and indeterminate progress.
func TestEventCodec(t *testing.T) {
	long := strings.Repeat(`<rect x="1" y='2'/>\ ,"data": {[}] `, bigData/16)
	sec := api.Section{ID: "qc", Title: `a ,"data": title`, Summary: []string{long},
		Figures: []api.FigureView{{ID: "f", SVG: long}}, Tables: []api.TableView{{ID: "t", Rows: [][]string{{"a", `\`}, {`"`, long}}}}}
	tests := []struct {
		name string
		ev   api.Event
	}{
		{"small", api.Event{ID: 1, Kind: api.EventData, DataType: "section", Data: api.Marshal(api.Section{ID: "x"})}},
		{"big section", api.Event{ID: 2, Kind: api.EventData, DataType: "section", Data: api.Marshal(sec)}},
		{"big string", api.Event{ID: 3, Kind: api.EventData, DataType: "report", Data: api.Marshal(api.Download{Name: "r.html", Text: long})}},
		{"big with error", api.Event{ID: 4, Kind: api.EventData, DataType: "section", Data: api.Marshal(sec), Error: &api.Error{Message: `x ,"data": y`}}},
		{"big indeterminate", api.Event{ID: 5, Kind: api.EventProgress, Step: `,"data":`, Data: api.Marshal(sec), Indeterminate: true}},
		{"big number", api.Event{ID: 6, Kind: api.EventData, DataType: "n", Data: json.RawMessage(strings.Repeat("1", bigData))}},
		{"progress", api.Event{ID: 7, Kind: api.EventProgress, Step: "s", Fraction: 0.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := json.Marshal(tt.ev)
			if err != nil {
				t.Fatal(err)
			}
			got, err := encodeEvent(tt.ev)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("encodeEvent differs from json.Marshal:\n%.200s\n%.200s", got, want)
			}
			var wantEv api.Event
			if err := json.Unmarshal(want, &wantEv); err != nil {
				t.Fatal(err)
			}
			gotEv, err := decodeEvent(string(want))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gotEv, wantEv) {
				t.Fatalf("decodeEvent: %+v, json.Unmarshal: %+v", gotEv, wantEv)
			}
		})
	}
}

// TestDecodeEventMalformed: a message that is not an event is an error, whatever its size.
func TestDecodeEventMalformed(t *testing.T) {
	long := strings.Repeat("x", bigData)
	for _, s := range []string{"", "{", `{"id":1,"data":` + long, `{"id":1,"data":"` + long, `{"id":1,"data":[` + long + `}`, `{"id":1,"data":{"a":"` + long + `"}`, long} {
		if _, err := decodeEvent(s); err == nil {
			t.Errorf("decodeEvent(%.40q...) gave no error", s)
		}
	}
}

func TestSkipValue(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{`{}`, 2}, {` [1,2] ,`, 6}, {`"a\"b",`, 6}, {`12,`, 2}, {`true}`, 4}, {`12`, 2},
		{`{"a":[1,{"b":"]"}]}x`, 19}, {`"abc`, -1}, {`[1`, -1}, {`}`, -1}, {``, -1}, {`"a\\"`, 5},
	}
	for _, tt := range tests {
		if got := skipValue(tt.s, 0); got != tt.want {
			t.Errorf("skipValue(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}
