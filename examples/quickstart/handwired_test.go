package main

import (
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

// This file is the wiring a host without package order writes by hand,
// kept for TestWiring (package order does all of it inside the trade; see
// host.go): one owner per rule. refund decides the money and reports
// every completed refund in one refund_settled act; points decides the
// beans and points that go back (PTS-2), coupon the coupons (CPN-6/7).
// No package emits another's act.
//
// The outbox pattern: each call returns a state and effects, and the host
// stores both in ONE transaction (the state row and its outbox rows), so
// an effect exists exactly when the state that produced it does. A relay
// then carries out each outbox entry once, by its owner and ID (an effect
// ID is unique and increasing within its state), and may crash and
// redeliver: points ignores a refund it has already applied, coupon an
// order it has already released, so a redelivered refund_settled gives
// nothing back twice.

// machines are the three packages' machines; they hold no state.
type machines struct {
	refunds *refund.Machine
	points  *points.Machine
	coupons *coupon.Engine
}

// trade is what a host stores for one paid order: the order's facts,
// each package's state, and the outbox written with them.
type trade struct {
	ID      string            // the order ID: the points Spend's and the coupon Redemption's order
	Facts   refund.Order      // lines and what was paid for them: the host's, never refund's
	Refunds refund.State      // refund's state
	Spend   points.Spend      // points' state (beans and points paid, per line)
	Coupons coupon.Redemption // coupon's state (the coupons the checkout used)
	Wake    time.Time         // when to call refund's AdvanceAt (zero: never)
	Outbox  []entry           // effects still to carry out
	Done    map[string]bool   // effects carried out, by key (owner/order/ID)
	Audit   []rules.Decision  // why: every call's decisions, for display and audit
}

// entry is one outbox row: an effect of one of the three packages.
type entry struct {
	Owner string // "refund", "points" or "coupon": IDs are unique per owner and order
	ID    uint64
	At    time.Time
	Rule  string
	Act   any // refund.Act, points.Act or coupon.Act
}

func (e entry) key(order string) string { return fmt.Sprintf("%s/%s/%d", e.Owner, order, e.ID) }

// refund runs one refund event (nil: a wake-up at the deadline) through
// the host loop: whatever the call returns, the state and its effects are
// stored together (here: in one assignment), and the host wakes at Next.
func (t *trade) refund(m machines, ev refund.Event, now time.Time) (refund.Result, error) {
	var res refund.Result
	var err error
	if ev == nil {
		res = m.refunds.AdvanceAt(t.Facts, t.Refunds, now)
	} else {
		res, err = m.refunds.ApplyAt(t.Facts, t.Refunds, ev, now)
	}
	t.Refunds = res.State // tx.Save(res.State)
	for _, e := range res.Effects {
		t.Outbox = append(t.Outbox, entry{"refund", e.ID, e.At, e.Rule, e.Act}) // tx.Outbox(e)
	}
	t.Audit = append(t.Audit, res.Decisions...)
	t.Wake = res.Next // tx.Wake(res.Next)
	return res, err   // a refusal still stored the deadlines it fired
}

// giveBack is the whole wiring: what the relay does with a refund_settled
// act. points decides beans and points, coupon decides coupons; each
// result is stored with its effects, as the host loop says.
func (t *trade) giveBack(m machines, settled refund.Settled, at time.Time) error {
	lines := make([]points.RefundLine, len(settled.Lines))
	for i, l := range settled.Lines {
		lines[i] = points.RefundLine{Line: l.Line, Refunded: l.Refunded, Paid: l.Paid, Done: l.Done}
	}
	r, err := points.RefundOf(t.ID, settled.Request, settled.Stage.String(), settled.Forced, lines...)
	if err != nil {
		return err
	}
	pres, err := m.points.ApplyAt(t.Spend, r, at)
	t.Spend = pres.State
	t.Audit = append(t.Audit, pres.Decisions...)
	for _, e := range pres.Effects {
		t.Outbox = append(t.Outbox, entry{"points", e.ID, e.At, e.Rule, e.Act})
	}
	if err != nil {
		return err
	}
	why := coupon.PartialRefund
	if settled.Full {
		why = coupon.FullRefund
	}
	cres, err := m.coupons.GiveBack(t.Coupons, t.ID, why, at)
	t.Coupons = cres.Redemption
	t.Audit = append(t.Audit, cres.Decisions...)
	for _, e := range cres.Effects {
		t.Outbox = append(t.Outbox, entry{"coupon", e.ID, e.At, e.Rule, e.Act})
	}
	return err
}

// relay carries out the outbox, each entry once by its key, calling do for
// every act; a refund_settled act is handed to giveBack, whose own effects
// join the outbox and are carried out in the same pass.
func (t *trade) relay(m machines, do func(entry) error) error {
	if t.Done == nil {
		t.Done = map[string]bool{}
	}
	for len(t.Outbox) > 0 {
		e := t.Outbox[0]
		if t.Done[e.key(t.ID)] {
			t.Outbox = t.Outbox[1:]
			continue
		}
		if s, ok := e.Act.(refund.Settled); ok {
			if err := t.giveBack(m, s, e.At); err != nil {
				return err
			}
		}
		if err := do(e); err != nil {
			return err
		}
		t.Done[e.key(t.ID)] = true
		t.Outbox = t.Outbox[1:]
	}
	return nil
}
