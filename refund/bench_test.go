package refund

import (
	"testing"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
)

// benchState returns a machine at t0 and a state with request 1 in the
// status that steps reach.
func benchState(b *testing.B, steps ...Event) (*Machine, *clock.Manual, State) {
	clk := clock.NewManual(t0)
	m := New(Options{Clock: clk})
	s, err := m.Start(testOrder())
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range steps {
		res, err := m.Apply(s, e)
		if err != nil {
			b.Fatal(err)
		}
		s = res.State
	}
	return m, clk, s
}

func BenchmarkApply(b *testing.B) {
	openB := Open{Kind: ReturnRefund, Items: []Item{{Line: "B"}}}
	ship := SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "SF1"}
	cases := []struct {
		name  string
		setup []Event
		e     Event
	}{
		{"open", nil, openB},
		{"merchant_agree", []Event{openB}, MerchantAgree{Request: 1}},
		{"merchant_refuse", []Event{openB}, MerchantRefuse{Request: 1}},
		{"submit_logistics", []Event{openB, MerchantAgree{Request: 1}}, ship},
		{"merchant_refund", []Event{openB, MerchantAgree{Request: 1}, ship}, MerchantRefund{Request: 1}},
		{"platform_decide_partial", []Event{openB, MerchantRefuse{Request: 1}, AskIntervention{Request: 1}},
			PlatformDecide{Request: 1, Outcome: PartRefund, Amount: d("10.00")}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			m, _, s := benchState(b, c.setup...)
			for b.Loop() {
				if _, err := m.Apply(s, c.e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAdvance(b *testing.B) {
	openB := Open{Kind: ReturnRefund, Items: []Item{{Line: "B"}}}
	b.Run("nothing_due", func(b *testing.B) {
		m, _, s := benchState(b, openB)
		for b.Loop() {
			m.Advance(s)
		}
	})
	b.Run("deemed_agreed", func(b *testing.B) {
		m, clk, s := benchState(b, openB)
		clk.Set(t0.Add(2 * day))
		for b.Loop() {
			m.Advance(s)
		}
	})
	b.Run("automatic_refund", func(b *testing.B) {
		m, clk, s := benchState(b, openB, MerchantAgree{Request: 1}, SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "1"})
		clk.Set(t0.Add(10 * day))
		for b.Loop() {
			m.Advance(s)
		}
	})
}

// BenchmarkLifecycle: a whole return then refund — open, deemed agreed,
// logistics, receipt, automatic refund (RFD-3, RFD-7).
func BenchmarkLifecycle(b *testing.B) {
	clk := clock.NewManual(t0)
	m := New(Options{Clock: clk})
	start, _ := m.Start(testOrder())
	for b.Loop() {
		clk.Set(t0)
		res, _ := m.Apply(start, Open{Kind: ReturnRefund, Items: []Item{{Line: "A"}, {Line: "B"}}})
		clk.Set(t0.Add(2 * day))
		res = m.Advance(res.State)
		clk.Set(t0.Add(3 * day))
		res, _ = m.Apply(res.State, SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "1"})
		clk.Set(t0.Add(5 * day))
		res, _ = m.Apply(res.State, MerchantReceive{Request: 1})
		clk.Set(t0.Add(13*day + time.Second))
		res = m.Advance(res.State)
		if res.State.Requests[0].Status != Refunded {
			b.Fatal(res.State.Requests[0].Status)
		}
	}
}
