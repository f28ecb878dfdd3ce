// Package wiretest checks a package's lists of stable names against its
// JSON codec, so that a list such as EventNames or EffectKinds cannot
// drift from the decoder it describes.
package wiretest

import (
	"encoding/json"
	"slices"
	"testing"
)

// Names checks list, a package's function returning stable names: it
// returns want (a package lists its names sorted) in a fresh slice on every call; and every name
// has a value among values (named by nameOf) that encodes with that name
// as its "type" and decodes back equal to itself.
func Names[T any](t *testing.T, list func() []string, want []string, values []T, nameOf func(T) string,
	encode func(T) ([]byte, error), decode func([]byte) (T, error), equal func(a, b T) bool) {
	t.Helper()
	got := list()
	if !slices.Equal(got, want) {
		t.Errorf("names\n got %q\nwant %q", got, want)
	}
	byName := map[string]T{}
	for _, v := range values {
		byName[nameOf(v)] = v
	}
	for _, name := range got {
		v, ok := byName[name]
		if !ok {
			t.Errorf("no %s value to decode", name)
			continue
		}
		data, err := encode(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var head struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(data, &head); err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		if head.Type != name {
			t.Errorf("%s encodes with type %q", name, head.Type)
		}
		back, err := decode(data)
		if err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		if nameOf(back) != name || !equal(v, back) {
			t.Errorf("%s decodes as %#v", data, back)
		}
	}
	if len(got) > 0 {
		got[0] = "changed"
		if list()[0] == "changed" {
			t.Error("the list shares its slice")
		}
	}
}
