// Package ordertest helps property-test code built on package order, or a
// host's own service against order as its reference model: rapid
// generators of valid carts and of event sequences for an order, and the
// invariant checker the package's own model test runs after every step.
package ordertest

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/dispute/disputetest"
	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/order"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/refund/refundtest"
)

// Start is the instant generated carts are checked out at.
var Start = time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)

func fen(t *rapid.T, label string, lo, hi int64) decimal.Decimal {
	return money.FromFen(rapid.Int64Range(lo, hi).Draw(t, label))
}

// Cart generates a valid cart whose stock covers every item: one to five
// items over one or two stores (one escrow, one direct), some of them
// activity, installment or presale items, with allocations that never
// exceed an item's amount.
func Cart() *rapid.Generator[order.Cart] {
	return rapid.Custom(func(t *rapid.T) order.Cart {
		c := order.Cart{ID: "cart", Buyer: "buyer",
			Stores:   []order.Store{{ID: "escrow-store", Mode: order.Escrow}, {ID: "direct-store", Mode: order.Direct}},
			Delivery: order.Delivery{Recipient: "Li Lei", Phone: "13800000000", Address: "1 Chang'an Ave"},
			Invoice:  order.Invoice{Kind: order.OrdinaryVAT}}
		n := rapid.IntRange(1, 5).Draw(t, "items")
		for i := range n {
			id := "i" + strconv.Itoa(i)
			qty := rapid.IntRange(1, 3).Draw(t, id+".qty")
			price := rapid.Int64Range(1, 50000).Draw(t, id+".price")
			amount := price * int64(qty)
			disc := rapid.Int64Range(0, amount/2).Draw(t, id+".discount")
			beans := rapid.Int64Range(0, (amount-disc)/100).Draw(t, id+".beans") * 100
			it := order.Item{ID: id, Store: rapid.SampledFrom([]string{"escrow-store", "direct-store"}).Draw(t, id+".store"),
				Type: rapid.SampledFrom([]string{"", "shirt", "hat"}).Draw(t, id+".type"), Price: money.FromFen(price),
				Quantity: qty, Stock: qty + rapid.IntRange(0, 2).Draw(t, id+".stock"),
				Shipping: fen(t, id+".shipping", 0, 1000),
				Alloc:    order.Alloc{Discount: money.FromFen(disc), Beans: beans, BeanValue: money.FromFen(beans)},
			}
			if disc > 0 {
				it.Coupons = []string{"cpn-" + id}
				if c.Coupons == nil {
					c.Coupons = &coupon.Redemption{Version: couponVersion, At: Start}
				}
				// Some coupons expire while the trade runs (CPN-7).
				until := Start.Add(time.Duration(rapid.IntRange(1, 2000).Draw(t, id+".valid")) * time.Hour)
				c.Coupons.Coupons = append(c.Coupons.Coupons, coupon.Redeemed{Coupon: "cpn-" + id, Kind: coupon.Shop,
					ValidUntil: until, Orders: []string{it.Store}})
			}
			it.NoReason = rapid.Bool().Draw(t, id+".no_reason")
			switch rapid.IntRange(0, 9).Draw(t, id+".special") {
			case 0:
				it.Activity, it.ActivityLimit = true, time.Duration(rapid.IntRange(1, 120).Draw(t, id+".limit"))*time.Minute
			case 1:
				it.Installment = true
			case 2:
				h := func(label string, lo, hi int) time.Duration {
					return time.Duration(rapid.IntRange(lo, hi).Draw(t, id+label)) * time.Hour
				}
				dep := Start.Add(h(".deposit_end", 1, 72))
				bal := dep.Add(h(".balance_start", 0, 48))
				cash := amount - disc - beans
				it.Presale = &order.PresaleTerms{Deposit: fen(t, id+".deposit", 0, cash), DepositEnd: dep,
					BalanceStart: bal, BalanceEnd: bal.Add(h(".balance_window", 1, 72)), ShipWithin: h(".ship_within", 0, 240)}
			}
			c.Items = append(c.Items, it)
		}
		return c
	})
}

// SpendOf returns the record package points makes at payment at instant
// at for the beans and points of s's lines (at the default rates, one
// bean and one point a fen), or nil when they use none.
func SpendOf(s order.State, at time.Time) *points.Spend {
	sp := points.Spend{Order: s.Number, PaidAt: at, Version: pointsVersion, Updated: at}
	var bv, pv order.Fen
	for _, l := range s.Lines {
		sp.Lines = append(sp.Lines, points.SpendLine{Line: l.ID, Beans: l.Beans, BeanValue: l.BeanValue.Decimal(),
			Points: l.Points, PointValue: l.PointValue.Decimal()})
		sp.Beans, sp.Points = sp.Beans+l.Beans, sp.Points+l.Points
		bv, pv = bv+l.BeanValue, pv+l.PointValue
	}
	if sp.Beans == 0 && sp.Points == 0 {
		return nil
	}
	sp.BeanValue, sp.PointValue = bv.Decimal(), pv.Decimal()
	if sp.Beans > 0 {
		sp.Seq++
	}
	if sp.Points > 0 {
		sp.Seq++
	}
	return &sp
}

var pointsVersion = points.DefaultPolicy().In(Start).Date()

var couponVersion = coupon.DefaultPolicy().In(Start).Date()

// Step is one step of a generated trade: a clock advance, then an event
// (nil: an AdvanceAt).
type Step struct {
	Wait  time.Duration
	Event order.Event
}

var (
	shortWaits = []time.Duration{0, time.Second, time.Minute, time.Hour}
	longWaits  = []time.Duration{24 * time.Hour, 72 * time.Hour, 240 * time.Hour, 400 * time.Hour}
	edges      = []time.Duration{-time.Second, 0, time.Second}
)

// wait draws the clock's advance before a step taken at now on s. Most
// are short (none, a second, a minute, an hour), so a trade lives long
// enough to reach its later events; one in ten lands on s's next
// deadline exactly or a second either side of it, the instants every
// deadline rule turns on; one in ten is long (a day to 400 hours) and
// lets deadlines pass.
func wait(t *rapid.T, s order.State, now time.Time) time.Duration {
	switch k := rapid.IntRange(0, 9).Draw(t, "wait_kind"); {
	case k < 8:
		return rapid.SampledFrom(shortWaits).Draw(t, "wait")
	case k == 8:
		next := s.Next()
		if next.IsZero() || !next.After(now) {
			return rapid.SampledFrom(shortWaits).Draw(t, "wait")
		}
		return max(0, next.Sub(now)+rapid.SampledFrom(edges).Draw(t, "wait_edge"))
	default:
		return rapid.SampledFrom(longWaits).Draw(t, "wait")
	}
}

// StepFor generates a plausible next step for s: mostly events that the
// order's status accepts with valid fields, sometimes ones it refuses.
// now is the instant of the previous step. The step's Wait is most often
// short (at most an hour); one in ten lands on s's next deadline or a
// second either side of it, and one in ten is long (a day to 400 hours).
func StepFor(s order.State, now time.Time) *rapid.Generator[Step] {
	return rapid.Custom(func(t *rapid.T) Step {
		w := wait(t, s, now)
		at := now.Add(w)
		return Step{Wait: w, Event: event(t, s, at, nil)}
	})
}

// StepOnly is [StepFor] restricted to the events named (an event's
// [order.Event] Name, or "advance" for a step whose Event is nil), for a
// host whose service implements only some of the trade. Among the named
// events the choice is StepFor's; an event that StepFor would replace by
// another when s cannot take it (a sign before any parcel, a refund
// before payment) is generated as it is and refused by the order. A draw
// for a state in which none of the named events can be generated (only
// "pay_deposit" for an ordinary order) fails the property with a message
// naming them. StepOnly panics on a name that is neither an event's nor
// "advance", and when names is empty: both are mistakes in the test.
func StepOnly(s order.State, now time.Time, names ...string) *rapid.Generator[Step] {
	if len(names) == 0 {
		panic("ordertest: StepOnly: no event names")
	}
	known := append(order.EventNames(), "advance")
	only := allowed{}
	for _, n := range names {
		if !slices.Contains(known, n) {
			panic(fmt.Sprintf("ordertest: StepOnly: %q is not an order event name nor \"advance\" (known: %v)", n, known))
		}
		only[n] = true
	}
	return rapid.Custom(func(t *rapid.T) Step {
		w := wait(t, s, now)
		at := now.Add(w)
		return Step{Wait: w, Event: event(t, s, at, only)}
	})
}

// allowed is the set of event names a step may have; nil allows every
// event (StepFor).
type allowed map[string]bool

func (a allowed) has(name string) bool { return a == nil || a[name] }

// payName is the payment event that kind 1 and 2 generate for s.
func payName(s order.State) string {
	switch {
	case s.Presale == nil:
		return "pay"
	case len(s.Payments) == 0:
		return "pay_deposit"
	}
	return "pay_balance"
}

var simple = []order.Event{order.Cancel{}, order.Delete{}, order.MerchantCancel{}, order.UrgeShipment{}}

// kindName is the event that kind k generates for s when no fallback
// applies (StepOnly).
func kindName(k int, s order.State) string {
	switch k {
	case 0:
		return "advance"
	case 1, 2:
		return payName(s)
	case 4:
		return "change_delivery"
	case 5, 6, 7:
		return "ship"
	case 8:
		return "undeliverable"
	case 9, 10:
		return "confirm_receipt"
	case 11, 16, 17:
		return "complaint"
	case 12:
		return "sign"
	case 13, 14, 15:
		return "refund"
	case 18:
		return "review"
	}
	return "follow_up"
}

// kinds returns the kinds whose event a allows for s, in order.
func (a allowed) kinds(s order.State) []int {
	var out []int
	for k := range 20 {
		if k == 3 {
			if slices.ContainsFunc(simple, func(e order.Event) bool { return a.has(e.Name()) }) {
				out = append(out, k)
			}
			continue
		}
		if a.has(kindName(k, s)) {
			out = append(out, k)
		}
	}
	return out
}

// event draws the event of a step for s at instant at among those only
// allows (nil: every event, with StepFor's fallbacks; the draws are then
// exactly StepFor's).
func event(t *rapid.T, s order.State, at time.Time, only allowed) order.Event {
	strict := only != nil
	var unshipped []string
	for _, l := range s.Lines {
		if !l.Done && l.Shipment == 0 {
			unshipped = append(unshipped, l.ID)
		}
	}
	if only.has("refund") && len(s.Payments) > 0 && s.Status != order.Closed && s.Status != order.PendingPayment && rapid.IntRange(0, 9).Draw(t, "refund_first") < 6 {
		return order.Refund{Event: refundtest.Plausible(s.RefundOrder(), s.Refunds).Draw(t, "refund")}
	}
	if only.has("complaint") && (len(s.Payments) > 0 && rapid.IntRange(0, 9).Draw(t, "complaint_first") < 2 || s.Complaints.Locked() && rapid.Bool().Draw(t, "unlock")) {
		if s.Complaints.OpenComplaints() == 0 || rapid.IntRange(0, 3).Draw(t, "file") == 0 {
			return order.Complaint{Event: disputetest.Filing().Draw(t, "filing")}
		}
		return order.Complaint{Event: disputetest.Plausible(s.Complaints).Draw(t, "complaint")}
	}
	var kind int
	if strict {
		kinds := only.kinds(s)
		if len(kinds) == 0 {
			t.Fatalf("ordertest: StepOnly: none of %v can be generated for a %v order in status %v", slices.Sorted(maps.Keys(only)), s.Kind, s.Status)
		}
		kind = rapid.SampledFrom(kinds).Draw(t, "kind")
	} else {
		kind = rapid.IntRange(0, 19).Draw(t, "kind")
	}
	if s.Status == order.PendingPayment && only.has(payName(s)) && rapid.Bool().Draw(t, "pay_first") {
		kind = 1
	}
	switch kind {
	case 0:
		return nil
	case 1, 2:
		due := s.Payable().Decimal()
		if s.Presale != nil {
			if len(s.Payments) == 0 {
				return order.PayDeposit{Via: order.Via{Route: refund.WalletBalance}, Number: "dep", Amount: s.Presale.Deposit, At: at, Spend: SpendOf(s, at)}
			}
			balAt := s.Presale.BalanceStart
			if at.After(balAt) {
				balAt = at
			}
			if rapid.Bool().Draw(t, "balance_now") {
				balAt = at
			}
			return order.PayBalance{Via: order.Via{Route: refund.WalletBalance}, Number: "bal", Amount: due.Sub(s.Presale.Deposit), At: minTime(balAt, at)}
		}
		if rapid.IntRange(0, 9).Draw(t, "wrong") == 0 {
			due = due.Add(decimal.New(1, -2))
		}
		return order.Pay{Via: order.Via{Route: refund.WalletBalance}, Number: "pay", Amount: due, At: at, Spend: SpendOf(s, at)}
	case 3:
		opts := simple
		if strict {
			opts = slices.DeleteFunc(slices.Clone(simple), func(e order.Event) bool { return !only.has(e.Name()) })
		}
		return rapid.SampledFrom(opts).Draw(t, "simple")
	case 4:
		return order.ChangeDelivery{Recipient: "Han Meimei", Phone: "139", Address: "2 Xidan", Consent: rapid.Bool().Draw(t, "consent")}
	case 5, 6, 7:
		lines := unshipped
		if len(lines) > 1 {
			k := rapid.IntRange(1, len(lines)).Draw(t, "parcel")
			lines = rapid.Permutation(lines).Draw(t, "perm")[:k]
		}
		if len(lines) == 0 && len(s.Lines) > 0 {
			lines = []string{s.Lines[0].ID}
		}
		return order.Ship{Lines: lines, Carrier: "SF", Tracking: "T" + strconv.Itoa(len(s.Shipments)+1), At: at}
	case 8:
		return order.Undeliverable{Shipment: rapid.IntRange(1, max(1, len(s.Shipments))).Draw(t, "parcel"),
			Cause: rapid.SampledFrom([]order.Cause{order.WrongAddress, order.ChangedWithoutConsent, order.OtherCause}).Draw(t, "cause"), At: at}
	case 9, 10:
		return order.ConfirmReceipt{}
	case 11:
		if len(s.Payments) == 0 && !strict {
			return order.ConfirmReceipt{}
		}
		return order.Complaint{Event: disputetest.Plausible(s.Complaints).Draw(t, "complaint")}
	case 12:
		if len(s.Shipments) == 0 && !strict {
			return order.ConfirmReceipt{}
		}
		return order.Sign{Shipment: rapid.IntRange(1, max(1, len(s.Shipments))).Draw(t, "signed"), At: at}
	case 13, 14, 15:
		if len(s.Payments) == 0 && !strict {
			return order.ConfirmReceipt{}
		}
		return order.Refund{Event: refundtest.Plausible(s.RefundOrder(), s.Refunds).Draw(t, "refund")}
	case 16, 17:
		if len(s.Payments) == 0 && !strict {
			return order.UrgeShipment{}
		}
		return order.Complaint{Event: disputetest.Plausible(s.Complaints).Draw(t, "complaint")}
	case 18:
		r := func(l string) int { return rapid.IntRange(1, 5).Draw(t, l) }
		return order.Rate{Ratings: order.Ratings{Description: r("d"), Attitude: r("a"), ShippingSpeed: r("s"), LogisticsSpeed: r("l")}, Text: "good"}
	default:
		return order.FollowUpReview{Text: "still good"}
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// Check reports the first invariant a call broke: before is the state
// given to ApplyAt or AdvanceAt at now, res what it returned, applied
// whether the event was accepted (true for an AdvanceAt). It checks
// [order.State.Validate] (the ledger Paid = Frozen + Settled + Refunded
// to the fen, lines and status consistent, timers the status allows);
// effect IDs consecutive after before.Seq and instants not after now;
// the ledger moved exactly by the money effects; a final status left only
// from Completed to Closed; nothing changed on a locked order but by an
// unlock; no deadline left due at now; Next the state's deadline.
func Check(before order.State, res order.Result, now time.Time, applied bool) error {
	s := res.State
	if err := s.Validate(); err != nil {
		return err
	}
	for i, e := range res.Effects {
		if e.ID != before.Seq+uint64(i)+1 {
			return fmt.Errorf("effect %d has ID %d, want %d", i, e.ID, before.Seq+uint64(i)+1)
		}
		if e.At.After(now) || e.Rule == "" || e.Act == nil {
			return fmt.Errorf("effect %d: at %v (now %v), rule %q", e.ID, e.At, now, e.Rule)
		}
	}
	if s.Seq != before.Seq+uint64(len(res.Effects)) {
		return fmt.Errorf("seq %d after %d effects from %d", s.Seq, len(res.Effects), before.Seq)
	}
	if err := ledgerMoves(before, s, res.Effects); err != nil {
		return err
	}
	switch before.Status {
	case order.Cancelled, order.Closed:
		if s.Status != before.Status {
			return fmt.Errorf("left final status %v for %v", before.Status, s.Status)
		}
	case order.Completed:
		if s.Status != order.Completed && s.Status != order.Closed {
			return fmt.Errorf("completed order became %v", s.Status)
		}
	}
	if before.Locked() && s.Locked() {
		b, _ := json.Marshal(withLast(before, s.Last))
		a, _ := json.Marshal(s)
		if string(a) != string(b) || len(res.Effects) > 0 {
			return fmt.Errorf("a locked order changed")
		}
	}
	if next := s.Next(); !s.Locked() && !next.IsZero() && !next.After(now) && !now.Before(before.Last) {
		return fmt.Errorf("deadline %v (order's: %v %v) still due at %v", next, s.Due, s.Timer, now)
	}
	if !res.Next.Equal(s.Next()) {
		return fmt.Errorf("next %v, state's deadline %v", res.Next, s.Next())
	}
	if !applied && len(res.Effects) > 0 && before.Locked() {
		return fmt.Errorf("effects while locked")
	}
	return nil
}

func withLast(s order.State, last time.Time) order.State {
	s.Last = last
	return s
}

// ledgerMoves checks that the ledger moved exactly by the money effects.
func ledgerMoves(a, b order.State, effects []order.Effect) error {
	var paid, frozen, settled, refunded order.Fen
	for _, e := range effects {
		switch x := e.Act.(type) {
		case order.FreezeEscrow:
			paid, frozen = paid+x.Amount, frozen+x.Amount
		case order.SettleToMerchant:
			paid, settled = paid+x.Amount, settled+x.Amount
		case order.ReleaseEscrow:
			frozen, settled = frozen-x.Amount, settled+x.Amount
		case order.FundRefund:
			frozen, settled = frozen-x.FromEscrow, settled-x.FromMerchant
			refunded += x.FromEscrow + x.FromMerchant
		case order.ReturnPayment:
			if x.From == order.FromEscrow {
				frozen -= x.Amount
			} else {
				settled -= x.Amount
			}
			refunded += x.Amount
		}
	}
	for _, c := range []struct {
		what           string
		was, is, moved order.Fen
	}{
		{"paid", a.Paid, b.Paid, paid}, {"frozen", a.Frozen, b.Frozen, frozen},
		{"settled", a.Settled, b.Settled, settled}, {"refunded", a.Refunded, b.Refunded, refunded},
	} {
		if c.was+c.moved != c.is {
			return fmt.Errorf("%s went from %s to %s, effects moved %s", c.what, c.was, c.is, c.moved)
		}
	}
	return nil
}
