package main

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/order"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/refund"
)

// describe says what an act asks the host to do, amounts in yuan.
func describe(a order.Act) string {
	switch a := a.(type) {
	case order.FreezeEscrow:
		return fmt.Sprintf("hold ¥%s in escrow", a.Amount)
	case order.SettleToMerchant:
		return fmt.Sprintf("pay ¥%s to the merchant", a.Amount)
	case order.ReleaseEscrow:
		return fmt.Sprintf("release ¥%s from escrow to the merchant (¥%s was refunded before)", a.Amount, a.Refunded)
	case order.FundRefund:
		return fmt.Sprintf("fund refund %d: ¥%s from escrow, ¥%s from the merchant", a.Request, a.FromEscrow, a.FromMerchant)
	case refund.RefundMoney:
		return fmt.Sprintf("send ¥%s back to %s by %s", a.Amount.StringFixed(2), a.Account, a.Route)
	case refund.Settled:
		var b strings.Builder
		fmt.Fprintf(&b, "refund %d done at stage %s", a.Request, a.Stage)
		for _, l := range a.Lines {
			fmt.Fprintf(&b, "; %s ¥%s (¥%s of ¥%s paid)", l.Line, l.Money.StringFixed(2), l.Refunded.StringFixed(2), l.Paid.StringFixed(2))
		}
		return b.String()
	case points.DebitBeans:
		return fmt.Sprintf("take %d beans (¥%s) from the buyer", a.Beans, a.Value.StringFixed(2))
	case points.DebitPoints:
		return fmt.Sprintf("take %d points (¥%s) from the buyer", a.Points, a.Value.StringFixed(2))
	case points.GiveBackBeans:
		return fmt.Sprintf("give %d beans (¥%s) back", a.Beans, a.Value.StringFixed(2))
	case points.GiveBackPoints:
		return fmt.Sprintf("give %d points (¥%s) back", a.Points, a.Value.StringFixed(2))
	case dispute.Notice:
		return fmt.Sprintf("tell the %s: complaint %d is %s until %s", a.Party, a.Complaint, a.Status, local(a.Due))
	case dispute.Judged:
		return fmt.Sprintf("complaint %d against %s judged %s", a.Complaint, a.Respondent, a.Outcome)
	}
	return local(fmt.Sprintf("%+v", a))
}

// zone is the business zone: every time is printed in it.
var zone = clock.MustZone("Asia/Shanghai")

// rfc3339 matches the UTC instants the packages write into texts.
var rfc3339 = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`)

// local returns an instant, or a text holding UTC instants, in the
// business zone.
func local[T time.Time | string](v T) string {
	switch x := any(v).(type) {
	case time.Time:
		return x.In(zone).Format("01-02 15:04")
	case string:
		return rfc3339.ReplaceAllStringFunc(x, func(s string) string {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return s
			}
			return t.In(zone).Format("01-02 15:04")
		})
	}
	return ""
}
