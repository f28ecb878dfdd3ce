package provider

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// typeOf returns the "type" member of an encoded event or effect.
func typeOf(t *testing.T, data []byte) string {
	t.Helper()
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	return head.Type
}

// EventNames lists the stable names, sorted, and each one decodes: an
// event of that name encodes with that "type" and DecodeEvent reads it
// back unchanged, so the list cannot drift from the decoder.
func TestEventNames(t *testing.T) {
	want := []string{"clear", "judge", "notice_sent", "object", "open", "resolve", "rule_objection", "temporary"}
	if diff := cmp.Diff(want, EventNames()); diff != "" {
		t.Errorf("EventNames (-want +got):\n%s", diff)
	}
	byName := map[string]Event{}
	for _, e := range everyEvent() {
		byName[e.Name()] = e
	}
	for _, name := range EventNames() {
		e, ok := byName[name]
		if !ok {
			t.Errorf("no %s event to decode", name)
			continue
		}
		data, err := EncodeEvent(e)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := typeOf(t, data); got != name {
			t.Errorf("%s encodes with type %q", name, got)
		}
		back, err := DecodeEvent(data)
		if err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		if back.Name() != name || !reflectEqual(e, back) {
			t.Errorf("%s decodes as %#v", data, back)
		}
	}
	names := EventNames()
	names[0] = "changed"
	if EventNames()[0] == "changed" {
		t.Error("EventNames shares its slice")
	}
}

// EffectKinds lists the stable kinds, sorted, and each one decodes: an
// effect of that kind encodes with that "type" and DecodeEffect reads it
// back unchanged, so the list cannot drift from the decoder.
func TestEffectKinds(t *testing.T) {
	want := []string{"provider_credit_report", "provider_impose_measures", "provider_lift_measures", "provider_notice", "provider_publish", "provider_require_resolution", "provider_resolution_overdue", "provider_terminate"}
	if diff := cmp.Diff(want, EffectKinds()); diff != "" {
		t.Errorf("EffectKinds (-want +got):\n%s", diff)
	}
	byKind := map[string]Act{}
	for _, a := range everyAct() {
		byKind[a.Kind()] = a
	}
	for i, kind := range EffectKinds() {
		a, ok := byKind[kind]
		if !ok {
			t.Errorf("no %s act to decode", kind)
			continue
		}
		e := Effect{ID: uint64(i + 1), At: t0, Rule: "rule", Act: a}
		data, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if got := typeOf(t, data); got != kind {
			t.Errorf("%s encodes with type %q", kind, got)
		}
		back, err := DecodeEffect(data)
		if err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		if back.Kind() != kind || !reflectEqual(e, back) {
			t.Errorf("%s decodes as %#v", data, back)
		}
	}
	kinds := EffectKinds()
	kinds[0] = "changed"
	if EffectKinds()[0] == "changed" {
		t.Error("EffectKinds shares its slice")
	}
}
