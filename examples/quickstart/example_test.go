package main

import (
	"fmt"
	"io"
	"time"

	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/refund"
)

// Each owner decides its own give-back from one refund_settled act. After
// the buyer confirmed receipt, a refund the merchant agreed to gives back
// no beans or points (PTS-2: only a forced refund would), but, refunding
// the order in full, it gives back the coupons (CPN-6).
func Example_owners() {
	m := machines{refunds: refund.New(refund.Options{}), points: points.New(points.Options{}), coupons: coupon.New(coupon.Options{})}
	paidAt := time.Date(2024, 3, 1, 10, 0, 0, 0, zone)
	t, _, err := checkout(io.Discard, m, paidAt)
	if err != nil {
		panic(err)
	}
	if err := t.relay(m, func(entry) error { return nil }); err != nil { // the payment's debits
		panic(err)
	}
	for i := range t.Facts.Lines { // shipped and signed for
		t.Facts.Lines[i].ShippedAt = paidAt.Add(time.Hour).UTC()
		t.Facts.Lines[i].SignedAt = paidAt.Add(24 * time.Hour).UTC()
	}
	t.Facts.ConfirmedAt = paidAt.Add(48 * time.Hour).UTC()
	now := paidAt.Add(72 * time.Hour)
	if _, err := t.refund(m, refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed,
		Items: []refund.Item{{Line: "tea"}, {Line: "cup"}}}, now); err != nil {
		panic(err)
	}
	if _, err := t.refund(m, refund.MerchantAgree{Request: 1}, now.Add(time.Hour)); err != nil {
		panic(err)
	}
	err = t.relay(m, func(e entry) error {
		fmt.Printf("%s %d %s: %s\n", e.Owner, e.ID, kind(e.Act), describe(e.Act))
		return nil
	})
	if err != nil {
		panic(err)
	}
	for _, d := range t.Audit {
		if d.Rule == "PTS-2" || d.Rule == "CPN-6" {
			fmt.Println("because", d)
		}
	}
	for _, l := range t.Spend.Lines {
		fmt.Printf("%s kept %d beans, %d points\n", l.Line, l.BeansKept, l.PointsKept)
	}
	// Output:
	// refund 1 refund_money: refund 140.00 to ann-wallet by wallet_balance
	// refund 2 refund_settled: request 1 at stage confirmed, order refunded in full; tea 91.49 (91.49 of 91.49, done); cup 48.51 (48.51 of 48.51, done)
	// coupon 1 give_back_coupons: give back tea-30 (usable true) shop-15 (usable true)
	// because PTS-2 points@2023-07-23 give_back_allowed=false (refund.stage=confirmed, refund.forced=false)
	// because PTS-2 points@2023-07-23 beans_give_back_allowed=false (refund.points=false)
	// because PTS-2 points@2023-07-23 beans_give_back_allowed=false: refund A1/1 of order A1 at stage confirmed (forced false): 1200 beans stay spent
	// because PTS-2 points@2023-07-23 give_back_allowed=false: refund A1/1 of order A1 at stage confirmed (forced false): 3000 points stay spent
	// because CPN-6 coupon@2023-07-23 give_back_on_full_refund=true
	// tea kept 600 beans, 3000 points
	// cup kept 600 beans, 0 points
}
