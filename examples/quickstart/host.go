package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/order"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/refund"
)

// host is what a service keeps around package order: the order table (one
// row per trade), the wake-up queue, and the outbox its relay carries out.
// Here all three are maps in memory; in a service, one transaction writes
// an order's row, its outbox rows and its wake-up time together.
type host struct {
	w       io.Writer
	clk     *clock.Manual
	orders  *order.Machine
	coupons *coupon.Engine
	points  *points.Machine
	rows    map[string]order.State // the order table, by order number
	numbers []string               // the order numbers, in checkout order
	wake    map[string]time.Time   // when to call AdvanceAt (zero: never)
	outbox  []row
	done    map[string]bool   // outbox rows carried out, by key
	books   map[string]*books // what the relay saw money do, per order
	wallet  *coupon.Wallet    // the buyer's coupons, kept by the relay
	ledgers *points.LedgerMachine
	ledger  points.Ledger // the buyer's points used this year (PTS-3), kept by the relay
	// audit, when set, sees every call as it returns (the tests check
	// order's invariants with it).
	audit func(number string, before order.State, res order.Result, now time.Time, err error)
}

// row is one outbox row: an order's effect, or one of points' own
// payment effects (the debits), which have IDs of their own.
type row struct {
	order, owner string
	e            order.Effect
}

func (r row) key() string { return fmt.Sprintf("%s/%s/%d", r.order, r.owner, r.e.ID) }

// books is one order's money as the relay's effects moved it, in fen.
type books struct{ paid, frozen, settled, refunded order.Fen }

func newHost(w io.Writer, clk *clock.Manual) *host {
	h := &host{w: w, clk: clk, coupons: coupon.New(coupon.Options{Clock: clk}), points: points.New(points.Options{Clock: clk}),
		ledgers: points.NewLedger(points.Options{Clock: clk}), rows: map[string]order.State{}, wake: map[string]time.Time{},
		done: map[string]bool{}, books: map[string]*books{}}
	// One coupon and one points machine: the checkout's and the order's give-backs.
	h.orders = order.New(order.Options{Clock: clk, Coupons: h.coupons, Points: h.points})
	return h
}

// apply runs one event on an order at now (nil: the order woken at its
// deadline), exactly as the package doc's host loop says: save the state
// and its effects whatever happened, wake at Next, then report the error.
// The rows of with belong to the same transaction but only stand if the
// event is accepted (points' debits for a Pay).
func (h *host) apply(number, what string, ev order.Event, now time.Time, with ...row) error {
	h.clk.Set(now)
	var res order.Result
	var err error
	if ev == nil {
		res = h.orders.AdvanceAt(h.rows[number], now)
	} else {
		res, err = h.orders.ApplyAt(h.rows[number], ev, now)
	}
	if h.audit != nil {
		h.audit(number, h.rows[number], res, now, err)
	}
	h.rows[number] = res.State // tx.Save(res.State)
	for _, e := range res.Effects {
		h.outbox = append(h.outbox, row{number, "order", e}) // tx.Outbox(res.Effects...)
	}
	h.wake[number] = res.Next // tx.Wake(res.Next)
	if err == nil {
		h.outbox = append(h.outbox, with...)
	}
	fmt.Fprintf(h.w, "== %s %s %s: %s\n", local(now), number, what, status(res.State))
	if err != nil {
		fmt.Fprintln(h.w, "   refused:", local(err.Error()))
	}
	if rerr := h.relay(); rerr != nil {
		return rerr
	}
	for _, d := range res.Decisions {
		fmt.Fprintln(h.w, "   because", local(d.String()))
	}
	return err
}

// until wakes every order whose deadline comes at or before t, at that
// very instant, earliest first: a wake-up queue, not a poll.
func (h *host) until(t time.Time) error {
	for {
		next := ""
		for _, n := range h.numbers {
			if w := h.wake[n]; !w.IsZero() && !w.After(t) && (next == "" || w.Before(h.wake[next])) {
				next = n
			}
		}
		if next == "" {
			return nil
		}
		if err := h.apply(next, "woken at its deadline", nil, h.wake[next]); err != nil {
			return err
		}
	}
}

// relay carries out every outbox row once, by its key.
func (h *host) relay() error {
	for _, r := range h.outbox {
		if h.done[r.key()] {
			continue
		}
		h.done[r.key()] = true
		fmt.Fprintf(h.w, "   %s effect %d %s (%s): %s\n", r.owner, r.e.ID, r.e.Kind(), r.e.Rule, describe(r.e.Act))
		b := h.books[r.order]
		if b == nil {
			b = &books{}
			h.books[r.order] = b
		}
		var use points.Event // the buyer's points ledger records uses and releases (PTS-3)
		switch a := r.e.Act.(type) {
		case order.FreezeEscrow:
			b.paid, b.frozen = b.paid+a.Amount, b.frozen+a.Amount
		case order.SettleToMerchant:
			b.paid, b.settled = b.paid+a.Amount, b.settled+a.Amount
		case order.ReleaseEscrow:
			b.frozen, b.settled = b.frozen-a.Amount, b.settled+a.Amount
		case order.FundRefund:
			b.frozen, b.settled = b.frozen-a.FromEscrow, b.settled-a.FromMerchant
		case refund.RefundMoney:
			f, _ := order.FenOf(a.Amount)
			b.refunded += f
		case coupon.GiveBackCoupons:
			*h.wallet = a.ApplyTo(*h.wallet)
		case points.DebitPoints:
			use = a.Use()
		case points.GiveBackPoints:
			use = a.Release()
		}
		if use != nil {
			res, err := h.ledgers.ApplyAt(h.ledger, use, r.e.At)
			if err != nil {
				return err
			}
			h.ledger = res.State
		}
	}
	h.outbox = slices.DeleteFunc(h.outbox, func(r row) bool { return h.done[r.key()] })
	return nil
}

// status says where an order stands and what it waits for.
func status(s order.State) string {
	out := s.Status.String()
	switch {
	case s.Timer == order.AutoConfirm && s.Due.IsZero():
		out += fmt.Sprintf(", %s paused with %dd %dh left", s.Timer, s.Left/(24*time.Hour), s.Left%(24*time.Hour)/time.Hour)
	case !s.Due.IsZero():
		out += fmt.Sprintf(", %s at %s", s.Timer, local(s.Due))
	}
	if n := s.Next(); !n.IsZero() && !n.Equal(s.Due) {
		out += ", wake at " + local(n)
	}
	return out
}
