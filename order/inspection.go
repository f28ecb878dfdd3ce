package order

import (
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Objection is what a refund request or complaint objects to, as the
// host classified it (ORD-18). Given with a [Refund] that opens a request
// or a [Complaint] that files one, it lets the order judge inspection:
// after a valid signature a surface-consistency objection needs valid
// contrary evidence or a carrier-countersigned note, and any other matter
// must come within inspection_window (3 days) of signing. Nil: the host
// did not classify it, and the order does not judge ORD-18.
type Objection struct {
	// Surface: the objection is about surface consistency (shape, size,
	// weight, colour, model, newness, quantity vs the listing), which is
	// checked on delivery; false: a latent matter that cannot be checked
	// then.
	Surface bool `json:"surface"`
	// Evidence: the buyer gives valid contrary evidence.
	Evidence bool `json:"evidence,omitempty"`
	// CarrierNoted: an inconsistency found when opening under the
	// carrier's supervision was noted on the receipt and countersigned by
	// the carrier, which keeps the objection open.
	CarrierNoted bool `json:"carrier_noted,omitempty"`
}

// Inspection is the facts an objection to delivered goods is judged on
// (ORD-18).
type Inspection struct {
	SignedAt time.Time `json:"signed_at"` // zero: not signed for yet
	// Surface: the objection is about surface consistency (shape, size,
	// weight, colour, model, newness, quantity vs the listing), which is
	// checked on delivery; false: a matter that cannot be checked then.
	Surface bool `json:"surface"`
	// Evidence: the buyer gives valid contrary evidence.
	Evidence bool `json:"evidence,omitempty"`
	// CarrierNoted: an inconsistency found when opening under the
	// carrier's supervision was noted on the receipt and countersigned by
	// the carrier.
	CarrierNoted bool `json:"carrier_noted,omitempty"`
	// ThirdParty: someone else signed for the consignee; Authorised: they
	// showed the consignee's authorisation and both identities.
	ThirdParty bool `json:"third_party,omitempty"`
	Authorised bool `json:"authorised,omitempty"`
}

// Admissibility is whether an objection, complaint or refund request on
// the goods may proceed (ORD-18).
type Admissibility struct {
	Admissible bool      `json:"admissible"`
	Until      time.Time `json:"until,omitzero"` // latent matters: the inspection window's end
	Why        string    `json:"why"`
}

// Inspect judges at now whether an objection about delivered goods is
// admissible (ORD-18), by the order policy version in force at the
// signature: before signing, always; a third party's signature without the
// consignee's authorisation and both identities confirms nothing; after a
// valid signature a surface-consistency objection only with valid contrary
// evidence or a carrier-countersigned note; a matter that cannot be checked
// on delivery within inspection_window (3 days) after signing, half-open.
// [Machine.ApplyAt] judges a [Refund] or [Complaint] that carries an
// [Objection] by the same decision, with the order's own version.
func (m *Machine) Inspect(in Inspection, now time.Time) (Admissibility, rules.Decision, error) {
	now = now.Round(0).UTC()
	if !in.SignedAt.IsZero() && in.SignedAt.After(now) {
		return Admissibility{}, rules.Decision{Rule: "ORD-18", Policy: schema.Policy()},
			fmt.Errorf("order.Inspect: %w: signed at %s, after now", ErrInvalid, in.SignedAt.UTC().Format(time.RFC3339))
	}
	return admit(in, now, func() (time.Duration, rules.Decision, error) {
		return span(m.policy.In(in.SignedAt), keyInspection)
	})
}

// admit is ORD-18's one decision, used by [Machine.Inspect] and by the
// order's own refund requests and complaints. window reads
// inspection_window; it is called only for a latent matter after a valid
// signature.
func admit(in Inspection, now time.Time, window func() (time.Duration, rules.Decision, error)) (Admissibility, rules.Decision, error) {
	dec := rules.Decision{Rule: "ORD-18", Policy: schema.Policy()}
	if in.SignedAt.IsZero() {
		return Admissibility{Admissible: true, Why: "not signed for: inspection on delivery"}, dec, nil
	}
	if in.ThirdParty && !in.Authorised {
		return Admissibility{Admissible: true, Why: "a third party signed without the consignee's authorisation and both identities: no confirmation"}, dec, nil
	}
	if in.Surface {
		switch {
		case in.CarrierNoted:
			return Admissibility{Admissible: true, Why: "inconsistency noted on the receipt and countersigned by the carrier"}, dec, nil
		case in.Evidence:
			return Admissibility{Admissible: true, Why: "valid contrary evidence"}, dec, nil
		}
		return Admissibility{Why: "surface consistency confirmed by signing"}, dec, nil
	}
	d, dec, err := window()
	if err != nil {
		return Admissibility{}, dec, err
	}
	until := in.SignedAt.UTC().Add(d)
	if now.Before(until) {
		return Admissibility{Admissible: true, Until: until, Why: "within the inspection window"}, dec, nil
	}
	return Admissibility{Until: until, Why: "inspection window closed"}, dec, nil
}

// inspection returns the facts ORD-18 judges an objection on for parcel
// sh (1-based; 0: not shipped).
func (s *State) inspection(o Objection, sh int) Inspection {
	in := Inspection{Surface: o.Surface, Evidence: o.Evidence, CarrierNoted: o.CarrierNoted}
	if sh > 0 {
		p := s.Shipments[sh-1]
		in.SignedAt, in.ThirdParty, in.Authorised = p.SignedAt, p.ThirdParty, p.Authorised
	}
	return in
}

// judge judges an objection on parcel sh at t.now by the order's version
// (ORD-18).
func (t *tx) judge(o Objection, sh int) (Admissibility, rules.Decision, error) {
	return admit(t.s.inspection(o, sh), t.now, func() (time.Duration, rules.Decision, error) {
		return span(t.v, keyInspection)
	})
}

// inspectRefund judges a refund event's objection (ORD-18): only a
// [refund.Open] or a [refund.Modify] may carry one (a modified request
// names its lines again), and each of its lines is judged by the parcel
// it shipped in; one line barred refuses the event.
func (t *tx) inspectRefund(e Refund) error {
	if e.Objection == nil {
		return nil
	}
	var items []refund.Item
	switch v := e.Event.(type) {
	case refund.Open:
		items = v.Items
	case *refund.Open:
		if v == nil {
			return nil // refund refuses it
		}
		items = v.Items
	case refund.Modify:
		items = v.Items
	case *refund.Modify:
		if v == nil {
			return nil // refund refuses it
		}
		items = v.Items
	default:
		return fmt.Errorf("%w: refund: an objection goes with an open or a modify, not a %s", ErrInvalid, e.Event.Name())
	}
	var decs []rules.Decision
	for _, it := range items {
		j := t.s.line(it.Line)
		if j < 0 {
			continue // refund refuses the unknown line itself
		}
		a, dec, err := t.judge(*e.Objection, t.s.Lines[j].Shipment)
		if err != nil {
			return err
		}
		if !a.Admissible {
			return rules.Refuse("ORD-18", ErrNotAllowed, "line %s: %s", it.Line, why(a))
		}
		dec = versioned(dec, t.v)
		dec.Note = "line " + it.Line + ": " + a.Why
		decs = append(decs, dec)
	}
	t.decisions = append(t.decisions, decs...)
	return nil
}

// inspectComplaint judges a complaint's objection (ORD-18): only a
// [dispute.Complain] may carry one. A complaint names no lines: it is
// about the order's goods, and it is barred only when every parcel
// shipped bars it (a parcel not signed for, or signed for by a third
// party without authorisation, keeps it admissible). With nothing shipped
// it is admissible.
func (t *tx) inspectComplaint(e Complaint) error {
	if e.Objection == nil {
		return nil
	}
	switch e.Event.(type) {
	case dispute.Complain, *dispute.Complain:
	default:
		return fmt.Errorf("%w: complaint: an objection goes with a complain, not a %s", ErrInvalid, e.Event.Name())
	}
	if len(t.s.Shipments) == 0 {
		a, dec, _ := t.judge(*e.Objection, 0)
		t.decide(versioned(dec, t.v), a.Why)
		return nil
	}
	var barred Admissibility
	for i := range t.s.Shipments {
		a, dec, err := t.judge(*e.Objection, i+1)
		if err != nil {
			return err
		}
		if a.Admissible {
			t.decide(versioned(dec, t.v), fmt.Sprintf("parcel %d: %s", i+1, a.Why))
			return nil
		}
		barred = a
	}
	return rules.Refuse("ORD-18", ErrNotAllowed, "every parcel: %s", why(barred))
}

func versioned(d rules.Decision, v *rules.Version) rules.Decision {
	if d.Version == "" {
		d.Version = v.Date()
	}
	return d
}

// why is a refusal's detail: the reason, and the window's end for a
// latent matter.
func why(a Admissibility) string {
	if a.Until.IsZero() {
		return a.Why
	}
	return a.Why + " at " + a.Until.Format(time.RFC3339)
}
