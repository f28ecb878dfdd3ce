package order

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules/rulestest"
)

// ORD-15: deregistration needs every trade settled and every fund item at zero.
func TestDeregister(t *testing.T) {
	m := testMachine()
	done := must(t, m, open(t, m, item("a", "s1", "1", 1)), Cancel{}, t0).State
	busy := paid(t, m, open(t, m, item("a", "s1", "1", 1)), t0)
	got, err := Deregister([]State{done, busy}, []Fund{{Name: "frozen", Amount: d("0")}, {Name: "pending", Amount: d("2")}, {Name: "own", Amount: d("3.5"), Available: true}})
	if err != nil {
		t.Fatal(err)
	}
	want := Deregistration{Blocks: []Block{
		{Order: busy.Number, Why: "order c1-1 is unfinished (awaiting_shipment)"},
		{Fund: "pending", Why: "fund item pending is 2, not 0"},
		{Fund: "own", CustomerService: true, Why: "available balance 3.5: customer service follows up"},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got, _ := Deregister([]State{done}, []Fund{{Name: "x", Amount: d("0")}}); !got.Allowed {
		t.Error("all settled: allowed")
	}
	if _, err := Deregister(nil, []Fund{{Name: "x", Amount: d("-1")}}); !errors.Is(err, ErrInvalid) {
		t.Error(err)
	}
}

func TestRiskAt(t *testing.T) {
	signed := t0.Add(time.Hour)
	for _, c := range []struct {
		h    Handover
		at   time.Time
		want Bearer
	}{
		{Handover{Method: Courier}, signed, Shipper},
		{Handover{Method: Courier, SignedAt: signed}, signed.Add(-time.Second), Shipper},
		{Handover{Method: Courier, SignedAt: signed}, signed, Consignee},
		{Handover{Method: Online, RetrievableAt: signed, SignedAt: t0}, signed.Add(-time.Second), Shipper},
		{Handover{Method: Online, RetrievableAt: signed}, signed, Consignee},
		{Handover{Method: AgreedReturn, SignedAt: signed}, signed, Consignee},
		{Handover{Method: Courier, SignedAt: signed, AgreedAt: signed.Add(time.Hour)}, signed, Shipper},
	} {
		got, dec, err := RiskAt(c.h, c.at)
		if err != nil || got != c.want || dec.Rule != "ORD-16" {
			t.Errorf("%+v at %v: %v %v", c.h, c.at, got, err)
		}
	}
	if _, _, err := RiskAt(Handover{}, t0); !errors.Is(err, ErrInvalid) {
		t.Error(err)
	}
}

// ORD-18: what cannot be checked on delivery may be objected to within 3 days of signing.
func TestInspect(t *testing.T) {
	m := testMachine()
	signed := t0
	end := signed.Add(72 * time.Hour)
	for _, c := range []struct {
		in   Inspection
		now  time.Time
		want bool
	}{
		{Inspection{Surface: true}, t0, true},
		{Inspection{SignedAt: signed, Surface: true}, t0, false},
		{Inspection{SignedAt: signed, Surface: true, Evidence: true}, t0, true},
		{Inspection{SignedAt: signed, Surface: true, CarrierNoted: true}, t0, true},
		{Inspection{SignedAt: signed, Surface: true, ThirdParty: true}, t0, true},
		{Inspection{SignedAt: signed, Surface: true, ThirdParty: true, Authorised: true}, t0, false},
		{Inspection{SignedAt: signed}, end.Add(-time.Second), true},
		{Inspection{SignedAt: signed}, end, false},
	} {
		got, _, err := m.Inspect(c.in, c.now)
		if err != nil || got.Admissible != c.want {
			t.Errorf("%+v at %v: %+v %v", c.in, c.now, got, err)
		}
	}
	if _, _, err := m.Inspect(Inspection{SignedAt: t0.Add(time.Hour)}, t0); !errors.Is(err, ErrInvalid) {
		t.Error(err)
	}
}

func TestCheckPolicy(t *testing.T) {
	for _, c := range []struct{ name, expr string }{
		{"inspection_window", `days(3)`},
		{"review_window", `days(15)`},
		{"follow_up_closes", `duration("1h")`},
	} {
		p, err := DefaultPolicy().OverrideExpr(c.name, c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if err := CheckPolicy(p); !errors.Is(err, ErrPolicy) {
			t.Errorf("%s = %s: %v", c.name, c.expr, err)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: New did not panic", c.name)
				}
			}()
			New(Options{Policy: p})
		}()
	}
	if err := CheckPolicy(DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	// A negative activity limit from a policy is refused at checkout.
	p, _ := DefaultPolicy().OverrideExpr("payment_timeout", `order.activity_limit - duration("1h")`)
	it := item("a", "s1", "1", 1)
	it.Activity, it.ActivityLimit = true, time.Minute
	if _, err := New(Options{Policy: p}).CheckoutAt(cart(it), t0); !errors.Is(err, ErrPolicy) {
		t.Errorf("negative timeout: %v", err)
	}
}

func TestPolicyFileTests(t *testing.T) {
	// The embedded file's own test cases.
	rulestest.Test(t, DefaultPolicy())
}

func TestNewForeignPolicy(t *testing.T) {
	defer func() {
		r := recover()
		want := `order: New: Options.Policy is a set of policy "refund", not loaded against order.Schema()`
		if r != want {
			t.Errorf("panic %v, want %q", r, want)
		}
	}()
	New(Options{Policy: refund.DefaultPolicy()})
}
