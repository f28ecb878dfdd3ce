package refundtest_test

import (
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/refund/refundtest"
)

var start = time.Date(2024, 3, 1, 7, 4, 5, 0, time.UTC)

// Every generated order is valid with the empty state, every fulfilment
// keeps it valid, and every generated event has a stable name.
func TestGenerators(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := refundtest.Order(start).Draw(t, "order")
		var s refund.State
		if err := refundtest.Check(o, s); err != nil {
			t.Fatal(err)
		}
		f := refundtest.Fulfil(o, start.Add(time.Hour)).Draw(t, "fulfil")
		if err := refundtest.Check(f.Order, s); err != nil {
			t.Fatal(err)
		}
		if refundtest.Event(o, s).Draw(t, "event").Name() == "" {
			t.Fatal("event without a name")
		}
	})
}

// Check is State.Validate: an over-refund is reported by both.
func TestCheckFindsOverRefund(t *testing.T) {
	one := refundtest.Fen(100, 100).Example()
	o := refund.Order{Mode: refund.Escrow, Payment: refund.Payment{Route: refund.DebitCard},
		Lines: []refund.Line{{ID: "A", Amount: one}}}
	two := refundtest.Fen(200, 200).Example()
	s := refund.State{Seq: 2, At: start, Requests: []refund.Request{{ID: 1, Kind: refund.RefundOnly, Reason: refund.Agreed,
		Status: refund.Refunded, Stage: refund.Shipped, Version: "2023-07-23", RequestedAt: start, Since: start,
		Items:      []refund.Item{{Line: "A", Amount: two}},
		Settlement: &refund.Settlement{Money: two, Shipping: refundtest.Fen(0, 0).Example(), Lines: []refund.LineMoney{{Line: "A", Money: two, Done: true}}, Full: true}}}}
	o.Lines[0].ShippedAt = start.Add(-time.Hour)
	if refundtest.Check(o, s) == nil || s.Validate(o) == nil {
		t.Fatal("over-refund not reported")
	}
	s.Requests[0].Items[0].Amount = one
	s.Requests[0].Settlement.Money, s.Requests[0].Settlement.Lines[0].Money = one, one
	if err := refundtest.Check(o, s); err != nil {
		t.Fatalf("valid refund reported: %v", err)
	}
}
