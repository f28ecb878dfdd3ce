package refund

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// RFD-10, RFD-4, CPN-6, RFD-6, RFD-8: what completed refunds give back.
func TestAmounts(t *testing.T) {
	tests := []struct {
		name  string
		order func(*Order)
		steps []step
		want  []Effect // effects of the last step
	}{
		{"RFD-10 line net of discounts, beans and points; partial gives no coupon (CPN-6)", nil,
			[]step{{0, Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}}, nil, ""}, {day, MerchantAgree{Request: 1}, nil, ""}},
			[]Effect{RefundMoney{Request: 1, Amount: d("85.00"), Route: DebitCard, Account: "6222-0001"}, ReturnBeans{Request: 1, Beans: 500}}},
		{"RFD-10 full refund: shipping fee, beans, points and coupons (CPN-6, CPN-7: coupons go back automatically)", nil,
			[]step{{0, Open{Kind: RefundOnly, Items: []Item{{Line: "A"}, {Line: "B"}}}, nil, ""}, {day, MerchantAgree{Request: 1}, nil, ""}},
			[]Effect{RefundMoney{Request: 1, Amount: d("136.00"), Route: DebitCard, Account: "6222-0001"}, ReturnBeans{Request: 1, Beans: 500},
				ReturnPoints{Request: 1, Points: 200}, ReturnCoupons{Request: 1, Coupons: []string{"C1"}}}},
		{"RFD-10 second request completes the order: shipping and coupons then", nil,
			[]step{{0, Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}}, nil, ""}, {0, MerchantAgree{Request: 1}, nil, ""},
				{day, Open{Kind: RefundOnly, Items: []Item{{Line: "B"}}}, nil, ""}, {day, MerchantAgree{Request: 2}, nil, ""}},
			[]Effect{RefundMoney{Request: 2, Amount: d("51.00"), Route: DebitCard, Account: "6222-0001"},
				ReturnPoints{Request: 2, Points: 200}, ReturnCoupons{Request: 2, Coupons: []string{"C1"}}}},
		{"RFD-10 partial amounts: beans only when the line is refunded in full", nil,
			[]step{{0, Open{Kind: RefundOnly, Items: []Item{{Line: "A", Amount: d("40.00")}}}, nil, ""}, {0, MerchantAgree{Request: 1}, nil, ""},
				{day, Open{Kind: RefundOnly, Items: []Item{{Line: "A", Amount: d("45.00")}}}, nil, ""}, {day, MerchantAgree{Request: 2}, nil, ""}},
			[]Effect{RefundMoney{Request: 2, Amount: d("45.00"), Route: DebitCard, Account: "6222-0001"}, ReturnBeans{Request: 2, Beans: 500}}},
		{"RFD-4 loan account refunds to the bound bank account", func(o *Order) {
			o.Payment = Payment{Route: Loan, Account: "LOAN-9", BoundAccount: "6222-0002"}
		}, []step{{0, Open{Kind: RefundOnly, Items: []Item{{Line: "B"}}}, nil, ""}, {day, MerchantAgree{Request: 1}, nil, ""}},
			[]Effect{RefundMoney{Request: 1, Amount: d("43.00"), Route: Loan, Account: "6222-0002"}, ReturnPoints{Request: 1, Points: 200}}},
		{"RFD-6 no-reason full return keeps the outbound fee", func(o *Order) { o.Lines[1].NoReason = true },
			[]step{{0, Sign{Lines: []string{"A", "B"}}, nil, ""}, {0, Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}, {Line: "B"}}}, nil, ""},
				{0, MerchantAgree{Request: 1}, nil, ""}, {day, SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "1"}, nil, ""},
				{2 * day, MerchantRefund{Request: 1}, nil, ""}},
			[]Effect{RefundMoney{Request: 1, Amount: d("128.00"), Route: DebitCard, Account: "6222-0001"}, ReturnBeans{Request: 1, Beans: 500},
				ReturnPoints{Request: 1, Points: 200}, ReturnCoupons{Request: 1, Coupons: []string{"C1"}}}},
		{"RFD-6 free shipping: the buyer pays only the return leg", func(o *Order) { o.FreeShipping, o.ShippingFee = true, d("0") },
			[]step{{0, Sign{Lines: []string{"A"}}, nil, ""}, {0, Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}}, nil, ""}},
			[]Effect{ShippingCost{Request: 1, Leg: Outbound, Payer: Merchant, Why: "RFD-6"}, ShippingCost{Request: 1, Leg: Back, Payer: Buyer, Why: "RFD-6"}}},
		{"RFD-8 prohibited goods: merchant bears shipping, fee refunded", func(o *Order) { o.Lines[1].Prohibited = true },
			[]step{{0, Open{Kind: ReturnRefund, Reason: Prohibited, Items: []Item{{Line: "B"}}}, nil, ""}, {0, MerchantAgree{Request: 1}, nil, ""},
				{day, SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "1"}, nil, ""}, {2 * day, MerchantRefund{Request: 1}, nil, ""}},
			[]Effect{RefundMoney{Request: 1, Amount: d("51.00"), Route: DebitCard, Account: "6222-0001"}, ReturnPoints{Request: 1, Points: 200}}},
		{"platform partial refund is split over the lines, no beans or coupons", nil,
			[]step{{0, Open{Kind: RefundOnly, Items: []Item{{Line: "A"}, {Line: "B"}}}, nil, ""}, {0, MerchantRefuse{Request: 1}, nil, ""},
				{0, AskIntervention{Request: 1}, nil, ""}, {day, PlatformDecide{Request: 1, Outcome: PartRefund, Amount: d("64.00")}, nil, ""}},
			[]Effect{RefundMoney{Request: 1, Amount: d("64.00"), Route: DebitCard, Account: "6222-0001"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixtureWith(t, tc.order)
			for _, st := range tc.steps {
				f.at(st.at).apply(st.e)
			}
			if diff := cmp.Diff(tc.want, f.res.Effects); diff != "" {
				t.Errorf("effects (-want +got):\n%s", diff)
			}
			if f.s.Refunded().GreaterThan(f.s.Order.Paid()) {
				t.Errorf("refunded %s > paid %s", f.s.Refunded(), f.s.Order.Paid())
			}
		})
	}
}

// RFD-10: a partial split keeps to the fen and sums exactly.
func TestPartialSplit(t *testing.T) {
	f := newFixture(t, testOrder())
	f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "A"}, {Line: "B"}}})
	f.apply(MerchantRefuse{Request: 1})
	f.apply(AskIntervention{Request: 1})
	f.apply(PlatformDecide{Request: 1, Outcome: PartRefund, Amount: d("64.00")})
	got := f.req(1).Settlement.Lines
	want := []SettledLine{{Line: "A", Money: d("42.50")}, {Line: "B", Money: d("21.50")}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// What is left can be asked again, and no more.
	f.refused(Open{Kind: RefundOnly, Items: []Item{{Line: "A", Amount: d("42.51")}}}, ErrExceedsPaid, "RFD-10")
	f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "A"}, {Line: "B"}}})
	f.apply(MerchantAgree{Request: 2})
	if !f.s.Refunded().Equal(f.s.Order.Paid()) {
		t.Errorf("refunded %s, paid %s", f.s.Refunded(), f.s.Order.Paid())
	}
	f.refused(Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}}, ErrExceedsPaid, "RFD-10")
}

func TestStartRejectsBadOrders(t *testing.T) {
	m := New(Options{})
	for name, mod := range map[string]func(*Order){
		"no lines":          func(o *Order) { o.Lines = nil },
		"repeated line":     func(o *Order) { o.Lines[1].ID = "A" },
		"fraction of a fen": func(o *Order) { o.Lines[0].Amount = d("1.005") },
		"discount too big":  func(o *Order) { o.Lines[0].Discount = d("200.00") },
		"free with a fee":   func(o *Order) { o.FreeShipping = true },
	} {
		o := testOrder()
		mod(&o)
		if _, err := m.Start(o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
