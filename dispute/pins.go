package dispute

import (
	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

// pins are the complaint thresholds a filing reads, worked out once in
// [New] for every version of the machine's set: complaint_types,
// shipping_proof for every (type, not received) a complaint can carry
// (its type is one of complaint_types or "other"), and the window
// thresholds (windowKeys) with the decisions that explain them. Thresholds are pure
// functions of the version and their inputs, so a value computed once is
// the value every call would compute; a pair New could not evaluate is
// evaluated at the call, as before. Read-only after New.
type pins struct {
	types   map[*rules.Version][]string
	proofs  map[proofKey]bool
	windows map[*rules.Version]*[len(windowKeys)]pinnedWindow
}

// pinnedWindow is window windowKeys[i] of one version, if New could read
// it, with its decision less the subject (see [Machine.windowEnd]).
type pinnedWindow struct {
	ok  bool
	w   clock.Window
	dec rules.Decision
}

type proofKey struct {
	v           *rules.Version
	typ         string
	notReceived bool
}

func pinAll(p *rules.Set, texts map[textKey]string) pins {
	vs := p.Versions()
	ps := pins{types: make(map[*rules.Version][]string, len(vs)), proofs: map[proofKey]bool{},
		windows: make(map[*rules.Version]*[len(windowKeys)]pinnedWindow, len(vs))}
	for _, v := range vs {
		ws := new([len(windowKeys)]pinnedWindow)
		for i, k := range windowKeys {
			if w, err := rules.Get(v, k); err == nil {
				ws[i] = pinnedWindow{ok: true, w: w, dec: windowDecision(v, k, texts[textKey{v, k.Name()}])}
			}
		}
		ps.windows[v] = ws

		types, err := rules.Get(v, keyTypes)
		if err != nil {
			continue
		}
		ps.types[v] = types
		for _, typ := range append(types, "other") {
			for _, nr := range [2]bool{false, true} {
				if proof, err := rules.Get(v, keyShippingProof, typ, nr); err == nil {
					ps.proofs[proofKey{v, typ, nr}] = proof
				}
			}
		}
	}
	return ps
}

// complaintTypes is rules.Get(v, keyTypes), read from the pins; the
// caller only reads the list.
func (m *Machine) complaintTypes(v *rules.Version) ([]string, error) {
	if types, ok := m.pins.types[v]; ok {
		return types, nil
	}
	return rules.Get(v, keyTypes)
}

// shippingProof is rules.Get(v, keyShippingProof, typ, notReceived),
// read from the pins.
func (m *Machine) shippingProof(v *rules.Version, typ string, notReceived bool) (bool, error) {
	if proof, ok := m.pins.proofs[proofKey{v, typ, notReceived}]; ok {
		return proof, nil
	}
	return rules.Get(v, keyShippingProof, typ, notReceived)
}
