package order

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

func openOn(o *Objection, lines ...string) Refund {
	var items []refund.Item
	for _, l := range lines {
		items = append(items, refund.Item{Line: l})
	}
	return Refund{Event: refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed, Items: items}, Objection: o}
}

func complainWith(o *Objection) Complaint {
	return Complaint{Event: dispute.Complain{Type: "product", Filer: dispute.Filer{Identity: "id", Contact: "138"},
		Respondent: "m", Claims: "c", Facts: "f", Reasons: "r", Evidence: []string{"photo"}}, Objection: o}
}

// signedOrder is shippedOrder with its parcel signed for at signed.
func signedOrder(t *testing.T, m *Machine, signed time.Time, e Sign) State {
	t.Helper()
	e.Shipment, e.At = 1, signed
	return must(t, m, shippedOrder(t, m), e, signed).State
}

func hasRule(ds []rules.Decision, rule string) bool {
	return slices.ContainsFunc(ds, func(d rules.Decision) bool { return d.Rule == rule })
}

// ORD-18 inside the trade: a refund request or complaint classified as a
// surface-consistency objection on goods validly signed for is refused
// without contrary evidence or a carrier's note; a latent matter is
// admitted in [signed, signed + 3d) and refused from its end.
func TestObjectionInsideTrade(t *testing.T) {
	m := testMachine()
	signed := t0.Add(time.Hour)
	end := signed.Add(72 * time.Hour)
	surface := &Objection{Surface: true}
	latent := &Objection{}
	for _, c := range []struct {
		name  string
		sign  Sign
		event Event
		now   time.Time
		ok    bool
	}{
		{"refund: surface, signed", Sign{}, openOn(surface, "a"), signed, false},
		{"refund: surface, evidence", Sign{}, openOn(&Objection{Surface: true, Evidence: true}, "a"), signed, true},
		{"refund: surface, carrier noted", Sign{}, openOn(&Objection{Surface: true, CarrierNoted: true}, "a"), end, true},
		{"refund: surface, unauthorised third party", Sign{ThirdParty: true}, openOn(surface, "a"), signed, true},
		{"refund: surface, authorised third party", Sign{ThirdParty: true, Authorised: true}, openOn(surface, "a", "b"), signed, false},
		{"refund: not classified", Sign{}, openOn(nil, "a"), end.Add(time.Hour), true},
		{"refund: latent, 1s before the end", Sign{}, openOn(latent, "a"), end.Add(-time.Second), true},
		{"refund: latent, at the end", Sign{}, openOn(latent, "a"), end, false},
		{"refund: latent, 1s after the end", Sign{}, openOn(latent, "b"), end.Add(time.Second), false},
		{"complaint: surface, signed", Sign{}, complainWith(surface), signed, false},
		{"complaint: surface, evidence", Sign{}, complainWith(&Objection{Surface: true, Evidence: true}), signed, true},
		{"complaint: surface, unauthorised third party", Sign{ThirdParty: true}, complainWith(surface), signed, true},
		{"complaint: not classified", Sign{}, complainWith(nil), signed, true},
		{"complaint: latent, 1s before the end", Sign{}, complainWith(latent), end.Add(-time.Second), true},
		{"complaint: latent, at the end", Sign{}, complainWith(latent), end, false},
		{"complaint: latent, 1s after the end", Sign{}, complainWith(latent), end.Add(time.Second), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := signedOrder(t, m, signed, c.sign)
			r, err := m.ApplyAt(s, c.event, c.now)
			if c.ok {
				if err != nil {
					t.Fatal(err)
				}
				if _, given := objectionOf(c.event); given && !hasRule(r.Decisions, "ORD-18") {
					t.Fatalf("no ORD-18 decision: %+v", r.Decisions)
				}
				return
			}
			var re *rules.RuleError
			if !errors.Is(err, ErrNotAllowed) || !errors.As(err, &re) || re.Rule != "ORD-18" {
				t.Fatalf("got %v, want an ORD-18 refusal", err)
			}
			// Nothing lost on refusal: the state is the advanced one.
			adv := m.AdvanceAt(s, c.now)
			if diff := cmp.Diff(js(t, adv.State), js(t, r.State)); diff != "" {
				t.Fatalf("refused state (-advanced +got):\n%s", diff)
			}
		})
	}
}

func objectionOf(e Event) (*Objection, bool) {
	switch e := e.(type) {
	case Refund:
		return e.Objection, e.Objection != nil
	case Complaint:
		return e.Objection, e.Objection != nil
	}
	return nil, false
}

// A latent matter's window is judged per line by its parcel; a request on
// a line not shipped (a revocation) is not barred, nor one on a parcel
// not signed for; a complaint is barred only when every parcel bars it.
func TestObjectionPerParcel(t *testing.T) {
	m := testMachine()
	a, b := item("a", "s1", "10", 1), item("b", "s1", "5", 1)
	s := paid(t, m, open(t, m, a, b), t0)
	s = must(t, m, s, Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: t0}, t0).State
	s = must(t, m, s, Sign{Shipment: 1, At: t0}, t0).State
	now := t0.Add(time.Hour)
	surface := &Objection{Surface: true}
	refuse(t, m, s, openOn(surface, "a"), now, ErrNotAllowed, "ORD-18")
	refuse(t, m, s, openOn(surface, "b", "a"), now, ErrNotAllowed, "ORD-18")
	must(t, m, s, openOn(surface, "b"), now) // b not shipped
	refuse(t, m, s, complainWith(surface), now, ErrNotAllowed, "ORD-18")

	s = must(t, m, s, Ship{Lines: []string{"b"}, Carrier: "SF", Tracking: "2", At: now}, now).State
	must(t, m, s, openOn(surface, "b"), now)  // parcel 2 not signed for
	must(t, m, s, complainWith(surface), now) // parcel 2 keeps it admissible
	s = must(t, m, s, Sign{Shipment: 2, At: now}, now).State
	refuse(t, m, s, complainWith(surface), now, ErrNotAllowed, "ORD-18")
	// Latent: parcel 1's window closes at t0+72h, parcel 2's an hour later.
	refuse(t, m, s, openOn(&Objection{}, "a"), t0.Add(72*time.Hour), ErrNotAllowed, "ORD-18")
	must(t, m, s, openOn(&Objection{}, "b"), t0.Add(72*time.Hour))
	must(t, m, s, complainWith(&Objection{}), now.Add(72*time.Hour-time.Second))
	refuse(t, m, s, complainWith(&Objection{}), now.Add(72*time.Hour), ErrNotAllowed, "ORD-18")
}

// A modified request names its lines again: a surface objection on a line
// validly signed for is refused as at opening (ORD-18).
func TestObjectionOnModify(t *testing.T) {
	m := testMachine()
	a, b := item("a", "s1", "10", 1), item("b", "s1", "5", 1)
	s := paid(t, m, open(t, m, a, b), t0)
	s = must(t, m, s, Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: t0}, t0).State
	s = must(t, m, s, Ship{Lines: []string{"b"}, Carrier: "SF", Tracking: "2", At: t0}, t0).State
	s = must(t, m, s, Sign{Shipment: 1, At: t0}, t0).State
	now := t0.Add(time.Hour)
	surface := &Objection{Surface: true}
	s = must(t, m, s, openOn(surface, "b"), now).State // parcel 2 not signed for
	modify := func(lines ...string) Refund {
		var items []refund.Item
		for _, l := range lines {
			items = append(items, refund.Item{Line: l})
		}
		return Refund{Event: refund.Modify{Request: 1, Items: items}, Objection: surface}
	}
	refuse(t, m, s, modify("b", "a"), now, ErrNotAllowed, "ORD-18")
	res := must(t, m, s, modify("b"), now)
	if !hasRule(res.Decisions, "ORD-18") {
		t.Errorf("no ORD-18 decision: %+v", res.Decisions)
	}
}

// An objection goes only with the event that opens or modifies a request
// or files a complaint; authorisation only with a third party.
func TestObjectionMisplaced(t *testing.T) {
	m := testMachine()
	s := signedOrder(t, m, t0, Sign{})
	s = must(t, m, s, openOn(nil, "a"), t0).State
	for _, e := range []Event{
		Refund{Event: refund.MerchantAgree{Request: 1}, Objection: &Objection{}},
		Complaint{Event: dispute.Withdraw{Complaint: 1}, Objection: &Objection{}},
	} {
		if _, err := m.ApplyAt(s, e, t0); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", e.Name(), err)
		}
	}
	sh := shippedOrder(t, m)
	if _, err := m.ApplyAt(sh, Sign{Shipment: 1, At: t0, Authorised: true}, t0); !errors.Is(err, ErrInvalid) {
		t.Errorf("authorised without a third party: %v", err)
	}
	// The parcel records who signed; the stored state says so.
	st := must(t, m, sh, Sign{Shipment: 1, At: t0, ThirdParty: true, Authorised: true}, t0).State
	if p := st.Shipments[0]; !p.ThirdParty || !p.Authorised {
		t.Fatalf("parcel: %+v", p)
	}
	bad := st.Clone()
	bad.Shipments[0].ThirdParty = false
	if err := bad.Validate(); err == nil {
		t.Error("an authorisation without a third party validates")
	}
}

// The new members round-trip through JSON and decode strictly.
func TestObjectionJSON(t *testing.T) {
	for _, c := range []struct {
		e    Event
		want string
	}{
		{openOn(&Objection{Surface: true, Evidence: true, CarrierNoted: true}, "a"),
			`{"type":"refund","event":{"type":"open","kind":"refund_only","reason":"agreed","items":[{"line":"a","amount":"0"}]},"objection":{"surface":true,"evidence":true,"carrier_noted":true}}`},
		{openOn(nil, "a"),
			`{"type":"refund","event":{"type":"open","kind":"refund_only","reason":"agreed","items":[{"line":"a","amount":"0"}]}}`},
		{Complaint{Event: dispute.Withdraw{Complaint: 1}, Objection: &Objection{}},
			`{"type":"complaint","event":{"type":"withdraw","complaint":1},"objection":{"surface":false}}`},
		{Sign{Shipment: 1, At: t0, ThirdParty: true, Authorised: true},
			`{"type":"sign","shipment":1,"signed_at":"2024-03-01T10:00:00Z","third_party":true,"authorised":true}`},
	} {
		b, err := EncodeEvent(c.e)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c.want, string(b)); diff != "" {
			t.Errorf("encode (-want +got):\n%s", diff)
		}
		back, err := DecodeEvent(b)
		if err != nil {
			t.Fatal(err)
		}
		b2, _ := EncodeEvent(back)
		if string(b2) != string(b) {
			t.Errorf("round trip: %s", b2)
		}
		var e Entry
		if err := json.Unmarshal(append([]byte(`{"at":"2024-03-01T10:00:00Z",`), b[1:]...), &e); err != nil {
			t.Errorf("entry: %v", err)
		}
	}
	for _, bad := range []string{
		`{"type":"refund","event":{"type":"withdraw","request":1},"objection":{"surface":true,"extra":1}}`,
		`{"type":"refund","event":{"type":"withdraw","request":1},"objection":{"Surface":true}}`,
		`{"type":"complaint","event":{"type":"withdraw","complaint":1},"objection":1}`,
	} {
		if _, err := DecodeEvent([]byte(bad)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
