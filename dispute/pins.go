package dispute

import "github.com/tradepolicy/tradepolicy/rules"

// pins are the complaint thresholds a filing reads, worked out once in
// [New] for every version of the machine's set: complaint_types, and
// shipping_proof for every (type, not received) a complaint can carry
// (its type is one of complaint_types or "other"). Thresholds are pure
// functions of the version and their inputs, so a value computed once is
// the value every call would compute; a pair New could not evaluate is
// evaluated at the call, as before. Read-only after New.
type pins struct {
	types  map[*rules.Version][]string
	proofs map[proofKey]bool
}

type proofKey struct {
	v           *rules.Version
	typ         string
	notReceived bool
}

func pinAll(p *rules.Set) pins {
	vs := p.Versions()
	ps := pins{types: make(map[*rules.Version][]string, len(vs)), proofs: map[proofKey]bool{}}
	for _, v := range vs {
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
