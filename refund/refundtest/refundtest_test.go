package refundtest_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/refund/refundtest"
)

// Every generated order starts a valid state (RFD-10) and every generated
// event has a stable name.
func TestGenerators(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s, err := refund.New(refund.Options{}).Start(refundtest.Order().Draw(t, "order"))
		if err != nil {
			t.Fatal(err)
		}
		if err := refundtest.Check(s); err != nil {
			t.Fatal(err)
		}
		if refundtest.Event(s).Draw(t, "event").Name() == "" {
			t.Fatal("event without a name")
		}
	})
}

func TestCheckFindsOverRefund(t *testing.T) {
	s, _ := refund.New(refund.Options{}).Start(refund.Order{Lines: []refund.Line{{ID: "A"}}})
	s.Requests = []refund.Request{{ID: 1, Status: refund.Refunded, Items: []refund.Item{{Line: "A"}},
		Settlement: &refund.Settlement{Money: refundtest.Fen(1, 1).Example(), Lines: []refund.SettledLine{{Line: "A", Money: refundtest.Fen(1, 1).Example()}}}}}
	if refundtest.Check(s) == nil {
		t.Fatal("over-refund not reported")
	}
}

// Beans and points go back once per line, with the settlement that
// refunds the line in full; Check reports a second give-back.
func TestCheckFindsBeansTwice(t *testing.T) {
	one := refundtest.Fen(100, 100).Example()
	s, err := refund.New(refund.Options{}).Start(refund.Order{Lines: []refund.Line{{ID: "A", Amount: one, Beans: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	settled := func(id int, money decimal.Decimal, done bool, beans int64) refund.Request {
		return refund.Request{ID: id, Kind: refund.RefundOnly, Status: refund.Refunded, Items: []refund.Item{{Line: "A", Amount: money}},
			Settlement: &refund.Settlement{Money: money, Lines: []refund.SettledLine{{Line: "A", Money: money, Done: done, Beans: beans}}}}
	}
	s.Requests = []refund.Request{settled(1, one, true, 100)}
	if err := refundtest.Check(s); err != nil {
		t.Fatalf("one give-back reported: %v", err)
	}
	s.Requests = append(s.Requests, settled(2, decimal.Zero, true, 100))
	if refundtest.Check(s) == nil {
		t.Fatal("beans given back twice not reported")
	}
	s.Requests = []refund.Request{settled(1, decimal.RequireFromString("0.50"), false, 100)}
	if refundtest.Check(s) == nil {
		t.Fatal("beans given back on a partial refund not reported")
	}
}
