package points

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
	want := []string{"refund", "release", "use"}
	wiretest.Names(t, EventNames, want, allEvents, Event.Name, EncodeEvent, DecodeEvent,
		func(a, b Event) bool { return cmp.Equal(a, b) })
}

// EffectKinds lists the stable kinds, sorted, and each one decodes: an
// effect of that kind encodes with that "type" and DecodeEffect reads it
// back unchanged, so the list cannot drift from the decoder.
func TestEffectKinds(t *testing.T) {
	want := []string{"debit_beans", "debit_points", "give_back_beans", "give_back_points"}
	var effects []Effect
	for i, a := range allActs {
		effects = append(effects, Effect{ID: uint64(i + 1), At: at0, Rule: "rule", Act: a})
	}
	wiretest.Names(t, EffectKinds, want, effects, Effect.Kind,
		func(e Effect) ([]byte, error) { return json.Marshal(e) }, DecodeEffect,
		func(a, b Effect) bool { return cmp.Equal(a, b) })
}
