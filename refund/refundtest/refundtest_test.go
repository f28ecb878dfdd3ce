package refundtest_test

import (
	"testing"

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
