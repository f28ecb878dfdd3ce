package points

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/money"
)

// Order is what the checkout knows of one order when the buyer chooses
// beans and points: its payable amount and its lines.
type Order struct {
	ID string `json:"id"`
	// Payable is what the buyer owes for the order, in yuan, before beans
	// and points: a non-negative whole number of fen. The 99% bean share
	// (PTS-1) is taken of it.
	Payable decimal.Decimal `json:"payable"`
	// Lines are the order's lines, each with a distinct ID. Beans and
	// points are allocated to them in proportion to their caps.
	Lines []Line `json:"lines"`
}

// Line is one line of an [Order].
type Line struct {
	ID string `json:"id"`
	// Quantity is the number of units, at least 1. A refund gives back
	// beans and points in proportion to the units refunded.
	Quantity int64 `json:"quantity"`
	// Amount is the line's payable amount in yuan (after discounts), a
	// non-negative whole number of fen. No line pays more in beans and
	// points than its amount.
	Amount decimal.Decimal `json:"amount"`
	// BeanCap is the item's own maximum bean deduction per unit, in yuan,
	// as the item page shows it (PTS-1); the line's cap is BeanCap ×
	// Quantity, at most Amount. Zero: the item takes no beans. The product
	// is fixed, not a threshold: it is the arithmetic of the item page's
	// fact (a cap per unit bought), and the bound by the line's amount is
	// a money invariant (beans never pay more than a line owes); a policy
	// that wants another per-line cap changes the cap the host passes.
	BeanCap decimal.Decimal `json:"bean_cap"`
	// Points reports whether the item accepts comprehensive points (PTS-2).
	Points bool `json:"points,omitempty"`
	// Item is the item's ID, the input item.id of points_item_cap (the
	// item's own points rate and limit, PTS-2); it may be empty.
	Item string `json:"item,omitempty"`
}

// Wallet is the buyer's balances at checkout.
type Wallet struct {
	Beans  int64 `json:"beans"`
	Points int64 `json:"points"`
}

// checked is an order with its amounts in fen.
type checked struct {
	payable int64
	amounts []int64 // fen, per line
	beanCap []int64 // fen, per line: min(BeanCap × Quantity, Amount)
}

// maxExponent bounds the decimal exponent of a bean cap: flooring
// 1e-1000000000 to fen would build a number of a billion digits, and no
// real cap is written with more than a few decimals.
const maxExponent = 18

func checkOrder(o Order) (checked, error) {
	var c checked
	var err error
	if c.payable, err = money.Amount(o.Payable); err != nil {
		return c, errorf("payable: %w", err)
	}
	c.amounts = make([]int64, len(o.Lines))
	c.beanCap = make([]int64, len(o.Lines))
	seen := make(map[string]bool, len(o.Lines))
	for i, l := range o.Lines {
		if l.ID == "" {
			return c, fmt.Errorf("%w: line %d has no ID", ErrInvalid, i)
		}
		if seen[l.ID] {
			return c, fmt.Errorf("%w: line %q given twice", ErrInvalid, l.ID)
		}
		seen[l.ID] = true
		if l.Quantity < 1 {
			return c, fmt.Errorf("%w: line %q: quantity %d, want at least 1", ErrInvalid, l.ID, l.Quantity)
		}
		if c.amounts[i], err = money.Amount(l.Amount); err != nil {
			return c, errorf("line %q amount: %w", l.ID, err)
		}
		if e := l.BeanCap.Exponent(); e < -maxExponent || e > maxExponent {
			return c, fmt.Errorf("%w: line %q: bean cap written with exponent %d", ErrInvalid, l.ID, e)
		}
		if l.BeanCap.Sign() < 0 {
			return c, fmt.Errorf("%w: line %q: negative bean cap %s", ErrInvalid, l.ID, l.BeanCap)
		}
		// A cap beyond an int64 of fen is beyond the amount too.
		c.beanCap[i] = c.amounts[i]
		if f, ok := floorFenTimes(l.BeanCap, l.Quantity); ok {
			c.beanCap[i] = min(f, c.amounts[i])
		}
	}
	return c, nil
}

func checkWallet(w Wallet) error {
	if w.Beans < 0 || w.Points < 0 {
		return fmt.Errorf("%w: negative balance (beans %d, points %d)", ErrInvalid, w.Beans, w.Points)
	}
	return nil
}
