package refund

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type step struct {
	at   time.Duration  // instant t0+at
	fact func(*fixture) // an order fact the composer records first (nil: none)
	e    Event
	err  error  // a refusal expected
	rule string // its rule ("" with ErrInvalid)
}

func signA(f *fixture) { f.sign("A") }

func TestTransitions(t *testing.T) {
	direct := func(o *Order) { o.Mode = Direct }
	noneShipped := func(o *Order) { unshipped(o, "A", "B") }
	prohibited := func(o *Order) { o.Lines[1].Prohibited = true }
	openA := Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A"}}}
	openB := Open{Kind: ReturnRefund, Reason: Agreed, Items: []Item{{Line: "B"}}}
	noReasonA := Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}}
	ship := SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "SF1"}
	tests := []struct {
		name    string
		order   func(*Order)
		steps   []step
		want    Status
		effects []string // of the last successful step
	}{
		{"RFD-2 merchant agrees: refund at once", nil, []step{{0, nil, openA, nil, ""}, {day, nil, MerchantAgree{Request: 1}, nil, ""}},
			Refunded, []string{"refund_money", "refund_settled"}},
		{"RFD-2 refusal then modify restarts the merchant period", nil, []step{{0, nil, openA, nil, ""}, {day, nil, MerchantRefuse{Request: 1}, nil, ""},
			{2 * day, nil, Modify{Request: 1, Items: []Item{{Line: "A", Amount: d("10.00")}}}, nil, ""}}, Requested, []string{}},
		{"RFD-2 refusal then intervention", nil, []step{{0, nil, openA, nil, ""}, {day, nil, MerchantRefuse{Request: 1}, nil, ""},
			{2 * day, nil, AskIntervention{Request: 1}, nil, ""}}, Intervention, []string{}},
		{"RFD-2 direct silence then intervention", direct, []step{{0, nil, openA, nil, ""}, {3 * day, nil, AskIntervention{Request: 1}, nil, ""}},
			Intervention, []string{"refund_notice"}},
		{"RFD-2 intervention not before the merchant answers", nil, []step{{0, nil, openA, nil, ""}, {0, nil, AskIntervention{Request: 1}, ErrNotAllowed, "RFD-2"}},
			Requested, nil},
		{"RFD-1 withdraw", nil, []step{{0, nil, openA, nil, ""}, {day, nil, Withdraw{Request: 1}, nil, ""}}, Withdrawn, []string{}},
		{"RFD-1 no event in a final state", nil, []step{{0, nil, openA, nil, ""}, {day, nil, Withdraw{Request: 1}, nil, ""},
			{day, nil, MerchantAgree{Request: 1}, ErrFinal, "RFD-1"}}, Withdrawn, nil},
		{"RFD-1 line already in an open request", nil, []step{{0, nil, openA, nil, ""}, {0, nil, openA, ErrLineBusy, "RFD-1"}}, Requested, nil},
		{"RFD-1 unknown request", nil, []step{{0, nil, MerchantAgree{Request: 3}, ErrNoRequest, "RFD-1"}}, 0, nil},
		{"RFD-1 invalid kind", nil, []step{{0, nil, Open{Reason: Agreed, Items: []Item{{Line: "A"}}}, ErrInvalid, ""}}, 0, nil},
		{"RFD-1 invalid reason", nil, []step{{0, nil, Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}}, ErrInvalid, ""}}, 0, nil},
		{"RFD-1 unknown line", nil, []step{{0, nil, Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "Z"}}}, ErrInvalid, ""}}, 0, nil},
		{"RFD-1 nil event", nil, []step{{0, nil, nil, ErrInvalid, ""}}, 0, nil},
		{"RFD-3 agree, ship, refund", nil, []step{{0, nil, openB, nil, ""}, {day, nil, MerchantAgree{Request: 1}, nil, ""}, {2 * day, nil, ship, nil, ""},
			{4 * day, nil, MerchantRefund{Request: 1}, nil, ""}}, Refunded, []string{"refund_money", "refund_settled"}},
		{"RFD-3 merchant refuses before receipt", nil, []step{{0, nil, openB, nil, ""}, {day, nil, MerchantRefuse{Request: 1}, nil, ""}},
			Refused, []string{}},
		{"RFD-3 no withdraw once goods are sent back", nil, []step{{0, nil, openB, nil, ""}, {0, nil, MerchantAgree{Request: 1}, nil, ""},
			{day, nil, ship, nil, ""}, {day, nil, Withdraw{Request: 1}, ErrNotAllowed, "RFD-3"}}, Returning, nil},
		{"RFD-3 return needs shipped goods", noneShipped, []step{{0, nil, openB, ErrNotShipped, "RFD-3"}}, 0, nil},
		{"RFD-3 logistics need a tracking number", nil, []step{{0, nil, openB, nil, ""}, {0, nil, MerchantAgree{Request: 1}, nil, ""},
			{day, nil, SubmitLogistics{Request: 1, Carrier: "SF"}, ErrBadRequest, "RFD-3"}}, AwaitingReturn, nil},
		{"platform full refund", nil, []step{{0, nil, openA, nil, ""}, {day, nil, MerchantRefuse{Request: 1}, nil, ""},
			{day, nil, AskIntervention{Request: 1}, nil, ""}, {2 * day, nil, PlatformDecide{Request: 1, Outcome: RefundAll}, nil, ""}},
			Refunded, []string{"refund_money", "refund_settled"}},
		{"platform partial refund", nil, []step{{0, nil, openA, nil, ""}, {day, nil, MerchantRefuse{Request: 1}, nil, ""},
			{day, nil, AskIntervention{Request: 1}, nil, ""}, {2 * day, nil, PlatformDecide{Request: 1, Outcome: RefundPart, Amount: d("30.00")}, nil, ""}},
			Refunded, []string{"refund_money", "refund_settled"}},
		{"platform partial refund must be less than asked", nil, []step{{0, nil, openA, nil, ""}, {day, nil, MerchantRefuse{Request: 1}, nil, ""},
			{day, nil, AskIntervention{Request: 1}, nil, ""}, {2 * day, nil, PlatformDecide{Request: 1, Outcome: RefundPart, Amount: d("85.00")}, ErrExceedsPaid, "RFD-10"}},
			Intervention, nil},
		{"platform invalid outcome", nil, []step{{0, nil, openA, nil, ""}, {day, nil, MerchantRefuse{Request: 1}, nil, ""},
			{day, nil, AskIntervention{Request: 1}, nil, ""}, {2 * day, nil, PlatformDecide{Request: 1}, ErrInvalid, ""}},
			Intervention, nil},
		{"platform reject", nil, []step{{0, nil, openA, nil, ""}, {day, nil, MerchantRefuse{Request: 1}, nil, ""},
			{day, nil, AskIntervention{Request: 1}, nil, ""}, {2 * day, nil, PlatformDecide{Request: 1, Outcome: Reject}, nil, ""}},
			Closed, []string{}},
		{"RFD-5 labelled item cannot be refused before receipt", nil, []step{{0, signA, noReasonA, nil, ""},
			{day, nil, MerchantRefuse{Request: 1}, ErrCannotRefuse, "RFD-5"}}, Requested, nil},
		{"RFD-5 labelled item may be refused after receipt (not intact)", nil, []step{{0, signA, noReasonA, nil, ""},
			{day, nil, MerchantAgree{Request: 1}, nil, ""}, {2 * day, nil, ship, nil, ""}, {3 * day, nil, MerchantReceive{Request: 1}, nil, ""},
			{3 * day, nil, MerchantRefuse{Request: 1, Note: "used"}, nil, ""}}, Refused, []string{}},
		{"RFD-5 unsupported item", nil, []step{{0, func(f *fixture) { f.sign("B") }, Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "B"}}}, ErrNotEligible, "RFD-5"}}, 0, nil},
		{"RFD-5 custom-made refused", func(o *Order) { o.Lines[1].CustomMade = true },
			[]step{{0, func(f *fixture) { f.sign("B") }, Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "B"}}}, ErrExcluded, "RFD-5"}}, 0, nil},
		{"RFD-5 excluded category refused", func(o *Order) { o.Lines[1].Excluded = true },
			[]step{{0, func(f *fixture) { f.sign("B") }, Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "B"}}}, ErrExcluded, "RFD-5"}}, 0, nil},
		{"RFD-5 not signed", nil, []step{{day, nil, noReasonA, ErrNotSigned, "RFD-5"}}, 0, nil},
		{"RFD-5 no-reason is a return", nil, []step{{0, signA, Open{Kind: RefundOnly, Reason: NoReason, Items: []Item{{Line: "A"}}}, ErrBadRequest, "RFD-5"}}, 0, nil},
		{"RFD-6 no-reason return: buyer pays both legs", nil, []step{{0, signA, noReasonA, nil, ""}}, Requested, []string{"shipping_cost", "shipping_cost"}},
		{"RFD-6 refused labelled parcel", nil, []step{{0, nil, Open{Kind: RefundOnly, Reason: ParcelRefused, Items: []Item{{Line: "A"}}}, nil, ""},
			{0, nil, MerchantRefuse{Request: 1}, ErrCannotRefuse, "RFD-5"}}, Requested, nil},
		{"RFD-6 refused parcel only for labelled lines", nil, []step{{0, nil, Open{Kind: RefundOnly, Reason: ParcelRefused, Items: []Item{{Line: "B"}}}, ErrNotEligible, "RFD-6"}}, 0, nil},
		{"RFD-6 refused parcel not once signed for", nil, []step{{0, signA, Open{Kind: RefundOnly, Reason: ParcelRefused, Items: []Item{{Line: "A"}}}, ErrBadRequest, "RFD-6"}}, 0, nil},
		{"RFD-8 prohibited goods cannot be refused", prohibited, []step{{0, nil, Open{Kind: ReturnRefund, Reason: Prohibited, Items: []Item{{Line: "B"}}}, nil, ""},
			{day, nil, MerchantRefuse{Request: 1}, ErrCannotRefuse, "RFD-8"}}, Requested, nil},
		{"RFD-8 suspected crime holds funds", prohibited, []step{{0, nil, Open{Kind: ReturnRefund, Reason: Prohibited, Items: []Item{{Line: "B"}}}, nil, ""},
			{day, nil, SuspectCrime{Request: 1}, nil, ""}}, Held, []string{"hold_funds"}},
		{"RFD-8 held lines take no later request", prohibited, []step{{0, nil, Open{Kind: ReturnRefund, Reason: Prohibited, Items: []Item{{Line: "B"}}}, nil, ""},
			{day, nil, SuspectCrime{Request: 1}, nil, ""}, {day, nil, Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "B"}}}, ErrLineBusy, "RFD-8"}}, Held, nil},
		{"RFD-8 only for verified prohibited goods", nil, []step{{0, nil, Open{Kind: ReturnRefund, Reason: Prohibited, Items: []Item{{Line: "B"}}}, ErrBadRequest, "RFD-8"}}, 0, nil},
		{"RFD-9 merchant agrees to a revocation", noneShipped, []step{{0, nil, openA, nil, ""}, {day, nil, MerchantAgree{Request: 1}, nil, ""}},
			Refunded, []string{"revoke_trade", "refund_money", "refund_settled"}},
		{"RFD-9 revocation cannot be refused", noneShipped, []step{{0, nil, openA, nil, ""}, {day, nil, MerchantRefuse{Request: 1}, ErrCannotRefuse, "RFD-9"}},
			Requested, nil},
		{"RFD-9 revocation is not modified", noneShipped, []step{{0, nil, openA, nil, ""}, {day, nil, Modify{Request: 1, Items: []Item{{Line: "A"}}}, ErrNotAllowed, "RFD-9"}},
			Requested, nil},
		{"RFD-9 voucher dated before the request reverses revocation", noneShipped, []step{{time.Hour, nil, openA, nil, ""},
			{day, nil, ShippingVoucher{Request: 1, ShippedAt: t0}, nil, ""}, {day + time.Hour, nil, MerchantRefuse{Request: 1}, nil, ""}}, Refused, []string{}},
		{"RFD-9 voucher dated at the request is too late", noneShipped, []step{{time.Hour, nil, openA, nil, ""},
			{day, nil, ShippingVoucher{Request: 1, ShippedAt: t0.Add(time.Hour)}, ErrVoucherTooLate, "RFD-9"}}, Requested, nil},
		{"RFD-9 voucher dated after now", noneShipped, []step{{time.Hour, nil, openA, nil, ""},
			{day, nil, ShippingVoucher{Request: 1, ShippedAt: t0.Add(day + sec)}, ErrTimeAfterNow, "RFD-9"}}, Requested, nil},
		{"RFD-9 voucher without a date", noneShipped, []step{{time.Hour, nil, openA, nil, ""},
			{day, nil, ShippingVoucher{Request: 1}, ErrBadRequest, "RFD-9"}}, Requested, nil},
		{"RFD-10 more than paid", nil, []step{{0, nil, Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A", Amount: d("85.01")}}}, ErrExceedsPaid, "RFD-10"}}, 0, nil},
		{"RFD-10 not whole fen", nil, []step{{0, nil, Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A", Amount: d("1.001")}}}, ErrInvalid, ""}}, 0, nil},
		{"RFD-10 negative amount", nil, []step{{0, nil, Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A", Amount: d("-1")}}}, ErrInvalid, ""}}, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixtureWith(t, tc.order)
			for _, st := range tc.steps {
				f.at(st.at)
				if st.fact != nil {
					st.fact(f)
				}
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
