package dispute

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/internal/wire/wiretest"
)

// EventNames lists the stable names, sorted, and each one decodes: an
// event of that name encodes with that "type" and DecodeEvent reads it
// back unchanged, so the list cannot drift from the decoder.
func TestEventNames(t *testing.T) {
	want := []string{"ask_intervention", "complain", "conclude", "decide", "file_report", "go_to_court", "plan_done", "press", "reply", "review", "take_measures", "unlock", "unsatisfied", "withdraw"}
	wiretest.Names(t, EventNames, want, everyEvent(), Event.Name, EncodeEvent, DecodeEvent,
		func(a, b Event) bool { return cmp.Equal(a, b) })
}

// EffectKinds lists the stable kinds, sorted, and each one decodes: an
// effect of that kind encodes with that "type" and DecodeEffect reads it
// back unchanged, so the list cannot drift from the decoder.
func TestEffectKinds(t *testing.T) {
	want := []string{"dispute_escalate", "dispute_judged", "dispute_lock_order", "dispute_necessary_measures", "dispute_notice", "dispute_penalty", "dispute_penalty_lifted", "dispute_remind_merchant", "dispute_report_decided", "dispute_route_report", "dispute_shipping_proof", "dispute_unlock_order"}
	var effects []Effect
	for i, a := range everyAct() {
		effects = append(effects, Effect{ID: uint64(i + 1), At: t0, Rule: "rule", Act: a})
	}
	wiretest.Names(t, EffectKinds, want, effects, Effect.Kind,
		func(e Effect) ([]byte, error) { return json.Marshal(e) }, DecodeEffect,
		func(a, b Effect) bool { return cmp.Equal(a, b) })
}
