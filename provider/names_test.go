package provider

import (
	"encoding/json"
	"testing"

	"github.com/tradepolicy/tradepolicy/internal/wire/wiretest"
)

// EventNames lists the stable names, sorted, and each one decodes: an
// event of that name encodes with that "type" and DecodeEvent reads it
// back unchanged, so the list cannot drift from the decoder.
func TestEventNames(t *testing.T) {
	want := []string{"clear", "judge", "notice_sent", "object", "open", "resolve", "rule_objection", "temporary"}
	wiretest.Names(t, EventNames, want, everyEvent(), Event.Name, EncodeEvent, DecodeEvent,
		func(a, b Event) bool { return reflectEqual(a, b) })
}

// EffectKinds lists the stable kinds, sorted, and each one decodes: an
// effect of that kind encodes with that "type" and DecodeEffect reads it
// back unchanged, so the list cannot drift from the decoder.
func TestEffectKinds(t *testing.T) {
	want := []string{"provider_credit_report", "provider_impose_measures", "provider_lift_measures", "provider_notice", "provider_publish", "provider_require_resolution", "provider_resolution_overdue", "provider_terminate"}
	var effects []Effect
	for i, a := range everyAct() {
		effects = append(effects, Effect{ID: uint64(i + 1), At: t0, Rule: "rule", Act: a})
	}
	wiretest.Names(t, EffectKinds, want, effects, Effect.Kind,
		func(e Effect) ([]byte, error) { return json.Marshal(e) }, DecodeEffect,
		func(a, b Effect) bool { return reflectEqual(a, b) })
}
