package refund

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type step struct {
	at   time.Duration // clock at t0+at
	e    Event
	err  error  // a refusal expected
	rule string // its rule
}

func TestTransitions(t *testing.T) {
	direct := func(o *Order) { o.Mode = Direct }
	unshipped := func(o *Order) { o.Lines[0].Shipped, o.Lines[1].Shipped = false, false }
	confirmed := func(o *Order) { o.Confirmed = true }
	prohibited := func(o *Order) { o.Lines[1].Prohibited = true }
	openA := Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}}
	openB := Open{Kind: ReturnRefund, Items: []Item{{Line: "B"}}}
	ship := SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "SF1"}
	tests := []struct {
		name    string
		order   func(*Order)
		steps   []step
		want    Status
		effects []string // of the last successful step
	}{
		{"RFD-2 merchant agrees: refund at once", nil, []step{{0, openA, nil, ""}, {day, MerchantAgree{Request: 1}, nil, ""}},
			Refunded, []string{"refund_money", "return_beans"}},
		{"RFD-2 refusal then modify restarts the merchant period", nil, []step{{0, openA, nil, ""}, {day, MerchantRefuse{Request: 1}, nil, ""},
			{2 * day, Modify{Request: 1, Items: []Item{{Line: "A", Amount: d("10.00")}}}, nil, ""}}, Requested, []string{}},
		{"RFD-2 refusal then intervention", nil, []step{{0, openA, nil, ""}, {day, MerchantRefuse{Request: 1}, nil, ""},
			{2 * day, AskIntervention{Request: 1}, nil, ""}}, Intervention, []string{}},
		{"RFD-2 direct silence then intervention", direct, []step{{0, openA, nil, ""}, {3 * day, AskIntervention{Request: 1}, nil, ""}},
			Intervention, []string{"notify"}},
		{"RFD-2 intervention not before the merchant answers", nil, []step{{0, openA, nil, ""}, {0, AskIntervention{Request: 1}, ErrNotAllowed, "RFD-2"}},
			Requested, nil},
		{"RFD-1 withdraw", nil, []step{{0, openA, nil, ""}, {day, Withdraw{Request: 1}, nil, ""}}, Withdrawn, []string{}},
		{"RFD-1 no event in a final state", nil, []step{{0, openA, nil, ""}, {day, Withdraw{Request: 1}, nil, ""},
			{day, MerchantAgree{Request: 1}, ErrFinal, "RFD-1"}}, Withdrawn, nil},
		{"RFD-1 line already in an open request", nil, []step{{0, openA, nil, ""}, {0, openA, ErrLineBusy, "RFD-1"}}, Requested, nil},
		{"RFD-1 unknown request", nil, []step{{0, MerchantAgree{Request: 3}, ErrNoRequest, "RFD-1"}}, 0, nil},
		{"RFD-3 agree, ship, refund", nil, []step{{0, openB, nil, ""}, {day, MerchantAgree{Request: 1}, nil, ""}, {2 * day, ship, nil, ""},
			{4 * day, MerchantRefund{Request: 1}, nil, ""}}, Refunded, []string{"refund_money", "return_points"}},
		{"RFD-3 merchant refuses before receipt", nil, []step{{0, openB, nil, ""}, {day, MerchantRefuse{Request: 1}, nil, ""}},
			Refused, []string{}},
		{"RFD-3 no withdraw once goods are sent back", nil, []step{{0, openB, nil, ""}, {0, MerchantAgree{Request: 1}, nil, ""},
			{day, ship, nil, ""}, {day, Withdraw{Request: 1}, ErrNotAllowed, "RFD-3"}}, Returning, nil},
		{"RFD-3 return needs shipped goods", unshipped, []step{{0, openB, ErrNotShipped, "RFD-3"}}, 0, nil},
		{"RFD-3 logistics need a tracking number", nil, []step{{0, openB, nil, ""}, {0, MerchantAgree{Request: 1}, nil, ""},
			{day, SubmitLogistics{Request: 1, Carrier: "SF"}, ErrBadRequest, "RFD-3"}}, AwaitingReturn, nil},
		{"platform full refund", nil, []step{{0, openA, nil, ""}, {day, MerchantRefuse{Request: 1}, nil, ""},
			{day, AskIntervention{Request: 1}, nil, ""}, {2 * day, PlatformDecide{Request: 1, Outcome: FullRefund}, nil, ""}},
			Refunded, []string{"refund_money", "return_beans"}},
		{"platform partial refund", nil, []step{{0, openA, nil, ""}, {day, MerchantRefuse{Request: 1}, nil, ""},
			{day, AskIntervention{Request: 1}, nil, ""}, {2 * day, PlatformDecide{Request: 1, Outcome: PartRefund, Amount: d("30.00")}, nil, ""}},
			Refunded, []string{"refund_money"}},
		{"platform partial refund must be less than asked", nil, []step{{0, openA, nil, ""}, {day, MerchantRefuse{Request: 1}, nil, ""},
			{day, AskIntervention{Request: 1}, nil, ""}, {2 * day, PlatformDecide{Request: 1, Outcome: PartRefund, Amount: d("85.00")}, ErrExceedsPaid, "RFD-10"}},
			Intervention, nil},
		{"platform reject", nil, []step{{0, openA, nil, ""}, {day, MerchantRefuse{Request: 1}, nil, ""},
			{day, AskIntervention{Request: 1}, nil, ""}, {2 * day, PlatformDecide{Request: 1, Outcome: RejectClaim}, nil, ""}},
			Closed, []string{}},
		{"RFD-5 labelled item cannot be refused before receipt", nil, []step{{0, Sign{Lines: []string{"A"}}, nil, ""},
			{day, Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}}, nil, ""},
			{day, MerchantRefuse{Request: 1}, ErrCannotRefuse, "RFD-5"}}, Requested, nil},
		{"RFD-5 labelled item may be refused after receipt (not intact)", nil, []step{{0, Sign{Lines: []string{"A"}}, nil, ""},
			{day, Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}}, nil, ""},
			{day, MerchantAgree{Request: 1}, nil, ""}, {2 * day, ship, nil, ""}, {3 * day, MerchantReceive{Request: 1}, nil, ""},
			{3 * day, MerchantRefuse{Request: 1, Note: "used"}, nil, ""}}, Refused, []string{}},
		{"RFD-5 unsupported item", nil, []step{{0, Sign{Lines: []string{"B"}}, nil, ""},
			{day, Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "B"}}}, ErrNotEligible, "RFD-5"}}, 0, nil},
		{"RFD-5 custom-made refused", func(o *Order) { o.Lines[0].CustomMade = true }, []step{{0, Sign{Lines: []string{"A"}}, nil, ""},
			{day, Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}}, ErrExcluded, "RFD-5"}}, 0, nil},
		{"RFD-5 excluded category refused", func(o *Order) { o.Lines[0].Excluded = true }, []step{{0, Sign{Lines: []string{"A"}}, nil, ""},
			{day, Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}}, ErrExcluded, "RFD-5"}}, 0, nil},
		{"RFD-5 not signed", nil, []step{{day, Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}}, ErrNotSigned, "RFD-5"}}, 0, nil},
		{"RFD-6 no-reason return: buyer pays both legs", nil, []step{{0, Sign{Lines: []string{"A"}}, nil, ""},
			{day, Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}}, nil, ""}}, Requested, []string{"shipping_cost", "shipping_cost"}},
		{"RFD-8 prohibited goods cannot be refused", prohibited, []step{{0, Open{Kind: ReturnRefund, Reason: Prohibited, Items: []Item{{Line: "B"}}}, nil, ""},
			{day, MerchantRefuse{Request: 1}, ErrCannotRefuse, "RFD-8"}}, Requested, nil},
		{"RFD-8 suspected crime holds funds", prohibited, []step{{0, Open{Kind: ReturnRefund, Reason: Prohibited, Items: []Item{{Line: "B"}}}, nil, ""},
			{day, SuspectCrime{Request: 1}, nil, ""}}, Held, []string{"hold_funds"}},
		{"RFD-8 only for verified prohibited goods", nil, []step{{0, Open{Kind: ReturnRefund, Reason: Prohibited, Items: []Item{{Line: "B"}}}, ErrBadRequest, "RFD-8"}}, 0, nil},
		{"RFD-9 merchant agrees to a revocation", unshipped, []step{{0, openA, nil, ""}, {day, MerchantAgree{Request: 1}, nil, ""}},
			Refunded, []string{"revoke_trade", "refund_money", "return_beans"}},
		{"RFD-9 revocation cannot be refused", unshipped, []step{{0, openA, nil, ""}, {day, MerchantRefuse{Request: 1}, ErrCannotRefuse, "RFD-9"}},
			Requested, nil},
		{"RFD-9 voucher dated before the request reverses revocation", unshipped, []step{{time.Hour, openA, nil, ""},
			{day, ShippingVoucher{Request: 1, ShippedAt: t0}, nil, ""}, {day + time.Hour, MerchantRefuse{Request: 1}, nil, ""}}, Refused, []string{}},
		{"RFD-9 voucher dated at the request is too late", unshipped, []step{{time.Hour, openA, nil, ""},
			{day, ShippingVoucher{Request: 1, ShippedAt: t0.Add(time.Hour)}, ErrVoucherTooLate, "RFD-9"}}, Requested, nil},
		{"ORD-17 shipping after the request leaves the revocation", unshipped, []step{{0, openA, nil, ""}, {day, Ship{Lines: []string{"A"}}, nil, ""}},
			Requested, []string{}},
		{"PTS-2 confirmed order with points: refund needs the platform", confirmed, []step{{0, openB, nil, ""}, {0, MerchantAgree{Request: 1}, nil, ""},
			{day, ship, nil, ""}, {2 * day, MerchantRefund{Request: 1}, nil, ""}}, Intervention, []string{}},
		{"RFD-10 more than paid", nil, []step{{0, Open{Kind: RefundOnly, Items: []Item{{Line: "A", Amount: d("85.01")}}}, ErrExceedsPaid, "RFD-10"}}, 0, nil},
		{"RFD-10 not whole fen", nil, []step{{0, Open{Kind: RefundOnly, Items: []Item{{Line: "A", Amount: d("1.001")}}}, ErrBadRequest, "RFD-10"}}, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixtureWith(t, tc.order)
			for _, st := range tc.steps {
				f.at(st.at)
				if st.err != nil {
					f.refused(st.e, st.err, st.rule)
					continue
				}
				f.apply(st.e)
			}
			var got Status
			if r, ok := f.s.Request(1); ok {
				got = r.Status
			}
			if got != tc.want {
				t.Errorf("status %v, want %v", got, tc.want)
			}
			if tc.effects != nil {
				if diff := cmp.Diff(tc.effects, kinds(f.res.Effects)); diff != "" {
					t.Errorf("effects (-want +got):\n%s", diff)
				}
			}
		})
	}
}
