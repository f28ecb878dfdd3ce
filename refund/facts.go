package refund

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/money"
)

// Facts is an [Order] with its money in whole fen: the same facts, for a
// composer that holds fen (package order) and would otherwise build
// decimals on every call only for the machine to read them back. The
// machine reads an Order as these Facts; [Machine.ApplyFactsAt],
// [Machine.AdvanceFactsAt] and [State.ValidateFacts] take them directly
// and judge exactly as ApplyAt, AdvanceAt and Validate do with the Order
// whose amounts are these. Every amount must be a valid amount
// (internal/money: 0 to money.MaxFen fen).
type Facts struct {
	Mode         Mode
	Payment      Payment
	Lines        []FactLine
	ShippingFee  int64 // fen; zero when FreeShipping
	FreeShipping bool
	ConfirmedAt  time.Time
}

// FactLine is a [Line] with its money in whole fen.
type FactLine struct {
	ID                                      string
	Amount, Discount, BeanValue, PointValue int64 // fen
	ShippedAt, SignedAt                     time.Time
	NoReason, CustomMade, Excluded          bool
	Prohibited                              bool
}

// paid is the money paid for the line, in fen: its amount net of its
// allocated discount, beans and points.
func (l *FactLine) paid() int64 { return l.Amount - l.Discount - l.BeanValue - l.PointValue }

// shippedBefore reports whether the line had shipped before instant t. A
// shipment recorded at the very instant of a request counts as after it,
// as a shipping voucher must be dated before the request.
func (l *FactLine) shippedBefore(t time.Time) bool {
	return !l.ShippedAt.IsZero() && l.ShippedAt.Before(t)
}

// shipped reports whether the line has shipped (the order's facts are
// never later than the call's instant).
func (l *FactLine) shipped() bool { return !l.ShippedAt.IsZero() }

func (f *Facts) line(id string) int {
	for i := range f.Lines {
		if f.Lines[i].ID == id {
			return i
		}
	}
	return -1
}

// factsInto converts o, its lines in buf when it has room, checking it as [Order.Validate] does (the same
// faults, in the same order, with the same messages).
func (o Order) factsInto(buf []FactLine) (Facts, error) {
	f := Facts{Mode: o.Mode, Payment: o.Payment, FreeShipping: o.FreeShipping, ConfirmedAt: o.ConfirmedAt}
	if len(o.Lines) == 0 {
		return f, badOrder("no lines")
	}
	if err := f.checkHead(); err != nil {
		return f, err
	}
	fee, err := money.Amount(o.ShippingFee)
	if err != nil {
		return f, badOrder("shipping fee: %v", err)
	}
	f.ShippingFee = fee
	if o.FreeShipping && fee != 0 {
		return f, badOrder("free shipping with a fee")
	}
	if cap(buf) >= len(o.Lines) {
		f.Lines = buf[:len(o.Lines)]
	} else {
		f.Lines = make([]FactLine, len(o.Lines))
	}
	for i := range o.Lines {
		l := &o.Lines[i]
		fl := &f.Lines[i]
		*fl = FactLine{ID: l.ID, ShippedAt: l.ShippedAt, SignedAt: l.SignedAt, NoReason: l.NoReason,
			CustomMade: l.CustomMade, Excluded: l.Excluded, Prohibited: l.Prohibited}
		if err := f.checkID(i); err != nil {
			return f, err
		}
		var a [4]int64
		for k, d := range [4]decimal.Decimal{l.Amount, l.Discount, l.BeanValue, l.PointValue} {
			v, err := money.Amount(d)
			if err != nil {
				return f, badOrder("line %s: %v", l.ID, err)
			}
			a[k] = v
		}
		fl.Amount, fl.Discount, fl.BeanValue, fl.PointValue = a[0], a[1], a[2], a[3]
		if err := f.checkLine(i); err != nil {
			return f, err
		}
	}
	return f, nil
}

// validate checks f as [Order.Validate] checks an order, its amounts as
// amounts of money.
func (f *Facts) validate() error {
	if len(f.Lines) == 0 {
		return badOrder("no lines")
	}
	if err := f.checkHead(); err != nil {
		return err
	}
	if f.ShippingFee < 0 || f.ShippingFee > money.MaxFen {
		return badOrder("shipping fee: %d fen out of range", f.ShippingFee)
	}
	if f.FreeShipping && f.ShippingFee != 0 {
		return badOrder("free shipping with a fee")
	}
	for i := range f.Lines {
		l := &f.Lines[i]
		if err := f.checkID(i); err != nil {
			return err
		}
		for _, v := range [4]int64{l.Amount, l.Discount, l.BeanValue, l.PointValue} {
			if v < 0 || v > money.MaxFen {
				return badOrder("line %s: %d fen out of range", l.ID, v)
			}
		}
		if err := f.checkLine(i); err != nil {
			return err
		}
	}
	return nil
}

func badOrder(format string, args ...any) error {
	return fmt.Errorf("%w: order: "+format, append([]any{ErrInvalid}, args...)...)
}

// notAfter checks that none of f's facts is later than now.
func (f *Facts) notAfter(now time.Time) error {
	if f.ConfirmedAt.After(now) {
		return fmt.Errorf("%w: order: confirmed at %s, after now %s", ErrInvalid, f.ConfirmedAt.Format(time.RFC3339), now.Format(time.RFC3339))
	}
	for i := range f.Lines {
		if l := &f.Lines[i]; l.ShippedAt.After(now) || l.SignedAt.After(now) {
			return fmt.Errorf("%w: order: line %s shipped or signed for after now %s", ErrInvalid, l.ID, now.Format(time.RFC3339))
		}
	}
	return nil
}

// yuan is money.FromFen(f), with one zero for every caller (decimals are
// immutable).
func yuan(f int64) decimal.Decimal {
	if f == 0 {
		return zeroYuan
	}
	return money.FromFen(f)
}

var zeroYuan = money.FromFen(0)

// decimals hands out yuan amounts for one settlement, one decimal per
// distinct amount (a line's money, what it has had back and what was paid
// are often the same): decimals are immutable, so sharing one is safe.
type decimals struct {
	fen [4]int64
	dec [4]decimal.Decimal
	n   int
}

// share offers d, a decimal of f fen already at hand (an item's amount),
// for ds to hand out for f. It takes d only in the form money.FromFen
// gives (exponent -2), so what ds hands out is the same value, exponent
// and all, whichever decimal it is.
func (ds *decimals) share(f int64, d decimal.Decimal) {
	if d.Exponent() != -2 || ds.n == len(ds.fen) {
		return
	}
	for i := range ds.n {
		if ds.fen[i] == f {
			return
		}
	}
	ds.fen[ds.n], ds.dec[ds.n] = f, d
	ds.n++
}

func (ds *decimals) yuan(f int64) decimal.Decimal {
	for i := range ds.n {
		if ds.fen[i] == f {
			return ds.dec[i]
		}
	}
	d := yuan(f)
	if ds.n < len(ds.fen) {
		ds.fen[ds.n], ds.dec[ds.n] = f, d
		ds.n++
	}
	return d
}
