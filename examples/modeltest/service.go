package main

// This file is the host's own order service. It imports nothing of the
// library (TestServiceIsOwnCode checks it): its rules are written by hand
// from the trade rules, and model_test.go checks them against package
// order, the reference model.

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Status is where a row stands. The names are the host's own.
type Status string

// The statuses the service knows.
const (
	Unpaid      Status = "unpaid"       // created, not paid
	Cancelled   Status = "cancelled"    // cancelled by the buyer or not paid in time
	ToShip      Status = "to_ship"      // paid, nothing shipped
	PartShipped Status = "part_shipped" // some lines shipped
	Shipped     Status = "shipped"      // every line shipped, waiting for the buyer (escrow)
	Done        Status = "done"         // receipt confirmed (or, paying directly, every line shipped)
)

// Refusals, compared with errors.Is.
var (
	ErrNoOrder = errors.New("shop: no such order")
	ErrStock   = errors.New("shop: out of stock")
	ErrStatus  = errors.New("shop: not allowed in this status")
	ErrAmount  = errors.New("shop: the amount is not what is due")
	ErrParcel  = errors.New("shop: bad parcel")
	ErrTime    = errors.New("shop: bad time")
	ErrClock   = errors.New("shop: clock behind the order")
)

// Cart is what the storefront submits.
type Cart struct {
	ID     string
	Items  []CartItem
	Direct map[string]bool // stores paid directly; the others hold the money in escrow
}

// CartItem is one line of a cart. Money is in fen.
type CartItem struct {
	ID, Store string
	Type      string // "" is a type of its own
	PriceFen  int64
	Qty       int
	Stock     int
	// OffFen is what the checkout took off the line: coupon discount
	// and the money value of beans and points.
	OffFen      int64
	ShippingFen int64
	FlashSale   bool          // ordered alone, paid within FlashLimit
	FlashLimit  time.Duration // 0: the ordinary limit
	Installment bool          // ordered alone
}

// Row is one order as the service stores it (one database row).
type Row struct {
	Number, Cart, Store string
	Direct              bool
	Status              Status
	Lines               []RowLine
	DueFen              int64 // what the buyer pays
	CreatedAt           time.Time
	PaidAt              time.Time
	FrozenFen           int64 // escrow money held
	SettledFen          int64 // money with the merchant
	Parcels             int
	LastShipAt          time.Time
	WakeAt              time.Time // the next deadline; zero: none
	Touched             time.Time // the latest instant the row was handled at
}

// RowLine is one line of a row; Parcel 0 is unshipped.
type RowLine struct {
	ID, Type string
	Parcel   int
}

func (r Row) clone() Row {
	r.Lines = slices.Clone(r.Lines)
	return r
}

// bug plants a known defect, so that the model test can show it finds
// it; the zero value is the correct service.
type bug uint8

const (
	correct          bug = iota
	lateDeadline         // a deadline fires one instant late: paying at exactly 24h is accepted
	splitSingleType      // an order of one item type ships in parts
	confirmFromFirst     // auto-confirm counts from the first parcel, not the last
	cancelAfterPaid      // the buyer cancels a paid order
)

// Shop is the host's order service: rows by number, and the two
// periods it applies.
type Shop struct {
	PaymentTimeout time.Duration // unpaid orders are cancelled this long after checkout
	AutoConfirm    time.Duration // escrow orders complete this long after the last parcel
	rows           map[string]Row
	bug            bug
}

// NewShop returns a service with the trade's periods: 24 hours to pay
// (exact to the second), 10 days to auto-confirm.
func NewShop() *Shop {
	return &Shop{PaymentTimeout: 24 * time.Hour, AutoConfirm: 240 * time.Hour, rows: map[string]Row{}}
}

// Row returns a copy of the stored row.
func (sh *Shop) Row(number string) (Row, bool) {
	r, ok := sh.rows[number]
	return r.clone(), ok
}

// Checkout makes one order per store for the ordinary items and one of
// its own for each flash-sale or installment item, in the order of their
// first item, after checking that stock covers every item.
func (sh *Shop) Checkout(c Cart, now time.Time) ([]string, error) {
	var short []string
	for _, it := range c.Items {
		if it.Stock < it.Qty {
			short = append(short, it.ID)
		}
	}
	if len(short) > 0 {
		return nil, fmt.Errorf("%w: %v", ErrStock, short)
	}
	var rows []*Row
	byStore := map[string]*Row{}
	for _, it := range c.Items {
		r := byStore[it.Store]
		if it.FlashSale || it.Installment || r == nil {
			r = &Row{Store: it.Store, Direct: c.Direct[it.Store], Status: Unpaid, CreatedAt: now, Touched: now,
				WakeAt: now.Add(sh.PaymentTimeout)}
			rows = append(rows, r)
			if it.FlashSale || it.Installment {
				if it.FlashSale && it.FlashLimit > 0 {
					r.WakeAt = now.Add(it.FlashLimit)
				}
			} else {
				byStore[it.Store] = r
			}
		}
		typ := it.Type
		if typ == "" {
			typ = it.ID
		}
		r.Lines = append(r.Lines, RowLine{ID: it.ID, Type: typ})
		r.DueFen += it.PriceFen*int64(it.Qty) - it.OffFen + it.ShippingFen
	}
	var numbers []string
	for i, r := range rows {
		r.Number, r.Cart = fmt.Sprintf("%s-%d", c.ID, i+1), c.ID
		if _, taken := sh.rows[r.Number]; taken {
			return nil, fmt.Errorf("shop: order %s exists", r.Number)
		}
		numbers = append(numbers, r.Number)
	}
	for _, r := range rows {
		sh.rows[r.Number] = *r
	}
	return numbers, nil
}

// due reports whether a deadline has come at now: from its very instant.
func (sh *Shop) due(deadline, now time.Time) bool {
	if deadline.IsZero() {
		return false
	}
	if sh.bug == lateDeadline {
		return now.After(deadline)
	}
	return !now.Before(deadline)
}

// Due returns the numbers of the rows whose deadline has come at now, for
// the scheduler to wake.
func (sh *Shop) Due(now time.Time) []string {
	var out []string
	for n, r := range sh.rows {
		if sh.due(r.WakeAt, now) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// wake fires the row's deadline if it has come, at the deadline's own
// instant: the unpaid order is cancelled, the shipped escrow order done.
func (sh *Shop) wake(r *Row, now time.Time) {
	if !sh.due(r.WakeAt, now) {
		return
	}
	r.WakeAt = time.Time{}
	switch r.Status {
	case Unpaid:
		r.Status = Cancelled
	case Shipped:
		r.done()
	}
}

// done completes the row; escrow money goes to the merchant.
func (r *Row) done() {
	r.Status, r.WakeAt = Done, time.Time{}
	r.SettledFen, r.FrozenFen = r.SettledFen+r.FrozenFen, 0
}

// update runs one call on a row at now: the deadline that has come fires
// first, then change checks and applies the call. A refused call still
// stores what the deadline did.
func (sh *Shop) update(number string, now time.Time, change func(r *Row) error) error {
	r, ok := sh.rows[number]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNoOrder, number)
	}
	if now.Before(r.Touched) {
		return fmt.Errorf("%w: %s is before %s", ErrClock, now.Format(time.RFC3339), r.Touched.Format(time.RFC3339))
	}
	r = r.clone()
	sh.wake(&r, now)
	r.Touched = now
	woken := r.clone()
	if err := change(&r); err != nil {
		sh.rows[number] = woken
		return err
	}
	sh.wake(&r, now) // a deadline the call set in the past
	sh.rows[number] = r
	return nil
}

// Wake fires the row's deadline if it has come at now.
func (sh *Shop) Wake(number string, now time.Time) error {
	return sh.update(number, now, func(*Row) error { return nil })
}

// checkAt checks the instant of a reported fact: given, not after now,
// not before after.
func checkAt(at, now, after time.Time) error {
	if at.IsZero() || at.After(now) || at.Before(after) {
		return fmt.Errorf("%w: %v (now %v, not before %v)", ErrTime, at, now, after)
	}
	return nil
}

// Pay records the buyer's payment of exactly what is due, made at at.
func (sh *Shop) Pay(number string, fen int64, at, now time.Time) error {
	return sh.update(number, now, func(r *Row) error {
		if r.Status != Unpaid {
			return fmt.Errorf("%w: pay when %s", ErrStatus, r.Status)
		}
		if err := checkAt(at, now, r.CreatedAt); err != nil {
			return err
		}
		if fen != r.DueFen {
			return fmt.Errorf("%w: paid %d fen, due %d", ErrAmount, fen, r.DueFen)
		}
		if r.Direct {
			r.SettledFen += fen
		} else {
			r.FrozenFen += fen
		}
		r.PaidAt, r.Status, r.WakeAt = at, ToShip, time.Time{}
		return nil
	})
}

// Ship records a parcel of lines shipped at at. An order whose lines
// are all of one type ships them at once.
func (sh *Shop) Ship(number string, lines []string, at, now time.Time) error {
	return sh.update(number, now, func(r *Row) error {
		if r.Status != ToShip && r.Status != PartShipped {
			return fmt.Errorf("%w: ship when %s", ErrStatus, r.Status)
		}
		if len(lines) == 0 {
			return fmt.Errorf("%w: no lines", ErrParcel)
		}
		if err := checkAt(at, now, r.PaidAt); err != nil {
			return err
		}
		types := map[string]bool{}
		for _, l := range r.Lines {
			types[l.Type] = true
		}
		for i, id := range lines {
			j := slices.IndexFunc(r.Lines, func(l RowLine) bool { return l.ID == id })
			if j < 0 || slices.Index(lines, id) != i || r.Lines[j].Parcel != 0 {
				return fmt.Errorf("%w: line %q unknown, repeated or shipped", ErrParcel, id)
			}
		}
		if len(types) == 1 && sh.bug != splitSingleType {
			for _, l := range r.Lines {
				if l.Parcel == 0 && !slices.Contains(lines, l.ID) {
					return fmt.Errorf("%w: one item type ships at once; line %s left out", ErrParcel, l.ID)
				}
			}
		}
		r.Parcels++
		unshipped := 0
		for i := range r.Lines {
			if slices.Contains(lines, r.Lines[i].ID) {
				r.Lines[i].Parcel = r.Parcels
			}
			if r.Lines[i].Parcel == 0 {
				unshipped++
			}
		}
		if at.After(r.LastShipAt) && !(sh.bug == confirmFromFirst && !r.LastShipAt.IsZero()) {
			r.LastShipAt = at
		}
		switch {
		case unshipped > 0:
			r.Status = PartShipped
		case r.Direct:
			r.done()
		default:
			r.Status = Shipped
			r.WakeAt = r.LastShipAt.Add(sh.AutoConfirm)
			if r.WakeAt.Before(now) {
				r.WakeAt = now // reported late: due at once
			}
		}
		return nil
	})
}

// Confirm records the buyer's confirmation of receipt.
func (sh *Shop) Confirm(number string, now time.Time) error {
	return sh.update(number, now, func(r *Row) error {
		if r.Status != Shipped {
			return fmt.Errorf("%w: confirm when %s", ErrStatus, r.Status)
		}
		r.done()
		return nil
	})
}

// Cancel records the buyer's cancellation of an unpaid order.
func (sh *Shop) Cancel(number string, now time.Time) error {
	return sh.update(number, now, func(r *Row) error {
		if r.Status != Unpaid && !(sh.bug == cancelAfterPaid && r.Status == ToShip) {
			return fmt.Errorf("%w: cancel when %s", ErrStatus, r.Status)
		}
		r.Status, r.WakeAt = Cancelled, time.Time{}
		return nil
	})
}
