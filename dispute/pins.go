package dispute

import (
	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

// pins are the complaint thresholds a filing reads, worked out once in
// [New] for every version of the machine's set: complaint_types,
// shipping_proof for every (type, not received) a complaint can carry
// (its type is one of complaint_types or "other"), and the window
// thresholds (windowKeys) with the decisions that explain them.
// Thresholds are pure functions of the version and their inputs, so a
// value computed once is the value every call would compute; a value New
// could not evaluate is evaluated at the call, as before. Read-only after
// New.
type pins map[*rules.Version]*versionPins

// versionPins are the pins of one version, found with one look-up by the
// version's pointer.
type versionPins struct {
	typesOK bool
	types   []string
	// proofs are shipping_proof by type and then by not received.
	proofs  map[string][2]pinnedBool
	windows [len(windowKeys)]pinnedWindow
}

// pinnedBool is a bool threshold, if New could evaluate it.
type pinnedBool struct{ ok, value bool }

// pinnedWindow is window windowKeys[i] of one version, if New could read
// it, with its decision less the subject (see [Machine.windowEnd]).
type pinnedWindow struct {
	ok  bool
	w   clock.Window
	dec rules.Decision
}

func pinAll(p *rules.Set, texts map[textKey]string) pins {
	vs := p.Versions()
	ps := make(pins, len(vs))
	for _, v := range vs {
		vp := &versionPins{}
		ps[v] = vp
		for i, k := range windowKeys {
			if w, err := rules.Get(v, k); err == nil {
				vp.windows[i] = pinnedWindow{ok: true, w: w, dec: windowDecision(v, k, texts[textKey{v, k.Name()}])}
			}
		}
		types, err := rules.Get(v, keyTypes)
		if err != nil {
			continue
		}
		vp.typesOK, vp.types = true, types
		vp.proofs = make(map[string][2]pinnedBool, len(types)+1)
		for _, typ := range append(types, "other") {
			var pair [2]pinnedBool
			for i, nr := range [2]bool{false, true} {
				if proof, err := rules.Get(v, keyShippingProof, typ, nr); err == nil {
					pair[i] = pinnedBool{ok: true, value: proof}
				}
			}
			vp.proofs[typ] = pair
		}
	}
	return ps
}

// complaintTypes is rules.Get(v, keyTypes), read from the pins; the
// caller only reads the list.
func (m *Machine) complaintTypes(v *rules.Version) ([]string, error) {
	if vp := m.pins[v]; vp != nil && vp.typesOK {
		return vp.types, nil
	}
	return rules.Get(v, keyTypes)
}

// shippingProof is rules.Get(v, keyShippingProof, typ, notReceived),
// read from the pins.
func (m *Machine) shippingProof(v *rules.Version, typ string, notReceived bool) (bool, error) {
	if vp := m.pins[v]; vp != nil {
		i := 0
		if notReceived {
			i = 1
		}
		if p := vp.proofs[typ][i]; p.ok {
			return p.value, nil
		}
	}
	return rules.Get(v, keyShippingProof, typ, notReceived)
}
