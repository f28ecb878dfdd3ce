package points

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/wire"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Spend is the record of what one order paid in beans and comprehensive
// points, allocated to its lines at payment (units and their money value),
// and of what refunds have settled of it since. It is the state of a
// [Machine]: [Machine.Pay] makes it, [Machine.ApplyAt] with a [Refund]
// moves it. Refunds read the allocations stored here and never re-prorate.
//
// The zero value is an order that spent nothing and has no lines: every
// refund of it is refused for naming a line it does not hold.
type Spend struct {
	Order string `json:"order"`
	// PaidAt is the instant of payment (UTC). It picks the policy version
	// (Version) and the year the points use counts in.
	PaidAt time.Time `json:"paid_at"`
	// Version is the date of the points policy version in force at
	// PaidAt; the Spend is judged by it for its whole life (PTS-2).
	Version string `json:"version,omitempty"`
	// Updated is the instant of the last change (UTC): the payment or the
	// last refund applied. An earlier instant is refused (ErrClockBehind).
	Updated time.Time `json:"updated"`
	// Seq is the ID of the last effect issued.
	Seq        uint64          `json:"seq"`
	Beans      int64           `json:"beans"`
	BeanValue  decimal.Decimal `json:"bean_value"` // yuan
	Points     int64           `json:"points"`
	PointValue decimal.Decimal `json:"point_value"` // yuan
	Lines      []SpendLine     `json:"lines,omitempty"`
	Refunds    []string        `json:"refunds,omitempty"` // IDs of the refunds applied, in order
}

// SpendLine is one line's share of a [Spend]. Of its beans, BeansBack
// went back to the buyer and BeansKept were refunded under a stage the
// policy does not give beans back for (PTS-2): they never go back. The
// same holds for points. A line whose whole payment was refunded is Done:
// all of its beans and points are settled (back or kept).
type SpendLine struct {
	Line       string          `json:"line"`
	Beans      int64           `json:"beans"`       // allocated at payment
	BeanValue  decimal.Decimal `json:"bean_value"`  // their value in yuan
	Points     int64           `json:"points"`      // allocated at payment
	PointValue decimal.Decimal `json:"point_value"` // their value in yuan
	BeansBack  int64           `json:"beans_back,omitempty"`
	BeansKept  int64           `json:"beans_kept,omitempty"`
	PointsBack int64           `json:"points_back,omitempty"`
	PointsKept int64           `json:"points_kept,omitempty"`
	Done       bool            `json:"done,omitempty"`
}

// BeansBack returns the beans given back so far.
func (s Spend) BeansBack() int64 {
	var n int64
	for _, l := range s.Lines {
		n += l.BeansBack
	}
	return n
}

// PointsBack returns the points given back so far.
func (s Spend) PointsBack() int64 {
	var n int64
	for _, l := range s.Lines {
		n += l.PointsBack
	}
	return n
}

// Line returns the line named id, and whether s holds it: a composer
// reads a line's BeanValue and PointValue from it to tell the refund rules
// what the line paid in money (its amount less its discounts and these).
func (s Spend) Line(id string) (SpendLine, bool) {
	for _, l := range s.Lines {
		if l.Line == id {
			return l, true
		}
	}
	return SpendLine{}, false
}

// Clone returns a copy of s that shares no memory with it.
func (s Spend) Clone() Spend {
	s.Lines, s.Refunds = slices.Clone(s.Lines), slices.Clone(s.Refunds)
	return s
}

// Validate returns nil if s is a Spend this package could have produced,
// and otherwise an error wrapping [ErrInvalid] that names the first
// fault. It is the one definition of a valid Spend: pointstest.CheckSpend
// is the same function. In a valid Spend
//
//   - instants are UTC, Updated is not before PaidAt, and a Spend with
//     lines names its policy Version;
//   - every line has a distinct, non-empty ID; its units and values are
//     non-negative (values valid amounts), zero together, and in the ratio
//     of the Spend's totals (one rate per Spend); the lines sum to the
//     totals;
//   - a line's given-back plus kept units are at most its allocation, and
//     equal to it when the line is Done;
//   - the refund IDs are non-empty and distinct, and nothing is settled
//     without a refund;
//   - Seq counts at least the effects the payment and the give-backs
//     issued, and at most two per refund beyond the payment's.
//
// The zero Spend is valid. [Machine.ApplyAt] validates the Spend it is
// given; a host may call Validate itself after loading a row.
func (s Spend) Validate() error { return validateSpend(s) }

// Result is what [Machine.Pay], [Machine.ApplyAt] and [Machine.AdvanceAt]
// return: the new state, the effects the host must carry out, and the
// decisions taken. A Spend has no deadlines, so Next is always zero.
type Result struct {
	State     Spend            `json:"state"`
	Effects   []Effect         `json:"effects,omitempty"`
	Decisions []rules.Decision `json:"decisions,omitempty"`
	Next      time.Time        `json:"next,omitzero"`
}

// DecodeResult reads a Result strictly (as [wire] decodes: unknown
// fields, duplicate keys, wrong case are errors wrapping [ErrInvalid]).
// It does not validate the state; see [Spend.Validate].
func DecodeResult(data []byte) (Result, error) {
	var r Result
	if err := wire.Decode(data, &r); err != nil {
		return Result{}, invalid(err)
	}
	return r, nil
}

// DecodeSpend reads a stored Spend strictly and validates it.
func DecodeSpend(data []byte) (Spend, error) {
	var s Spend
	if err := wire.Decode(data, &s); err != nil {
		return Spend{}, invalid(err)
	}
	if err := s.Validate(); err != nil {
		return Spend{}, err
	}
	return s, nil
}

// Choice is what the buyer chose to pay in beans and points.
type Choice struct {
	Beans  int64 `json:"beans"`
	Points int64 `json:"points"`
}

// Pay is PayAt at the clock's instant.
func (m *Machine) Pay(o Order, w Wallet, l Ledger, c Choice) (Result, error) {
	return m.PayAt(o, w, l, c, now(m.clk))
}

// PayAt checks the buyer's choice against the offers for order o at t
// (PTS-1, PTS-2, PTS-3), allocates beans and points to the lines, and
// returns the order's [Spend] (pinned to the policy version in force at t)
// with the effects DebitBeans (PTS-1) and DebitPoints (PTS-2), each only
// when non-zero, IDs 1 and up. A refused choice is a *rules.RuleError
// wrapping the sentinel of the limit it breaks, with a zero Result (there
// is no state yet). PayAt only checks the ledger: the host records the use
// with [LedgerMachine.ApplyAt] of [DebitPoints.Use], which checks the cap
// again under the host's lock on the ledger.
func (m *Machine) PayAt(o Order, w Wallet, l Ledger, c Choice, t time.Time) (Result, error) {
	t = t.Round(0).UTC()
	if o.ID == "" {
		return Result{}, errorf("order without an ID")
	}
	s, ds, err := m.quote(o, w, l, c, t)
	if err != nil {
		return Result{}, err
	}
	res := Result{Decisions: ds}
	if c.Beans > 0 {
		s.Seq++
		res.Effects = append(res.Effects, Effect{ID: s.Seq, At: t, Rule: "PTS-1",
			Act: DebitBeans{Order: o.ID, Beans: c.Beans, Value: s.BeanValue}})
	}
	if c.Points > 0 {
		s.Seq++
		res.Effects = append(res.Effects, Effect{ID: s.Seq, At: t, Rule: "PTS-2",
			Act: DebitPoints{Order: o.ID, Points: c.Points, Value: s.PointValue, PaidAt: t}})
	}
	res.State = s
	return res, nil
}

// QuoteAt is [Machine.PayAt] before the order exists: the same checks of
// the buyer's choice and the same allocation to the lines, returned as
// the Spend PayAt would record (Seq 0, no effects) with its decisions.
// o.ID may be empty, since an order's number is given at checkout, after
// the cart (with each line's beans and points) is made; the Spend's Order
// is then empty. Nothing is debited: pay with PayAt under the order's
// number, which allocates the same for the same inputs at the same
// instant. A refused choice is PayAt's *rules.RuleError.
func (m *Machine) QuoteAt(o Order, w Wallet, l Ledger, c Choice, t time.Time) (Spend, []rules.Decision, error) {
	return m.quote(o, w, l, c, t.Round(0).UTC())
}

// quote checks a choice and allocates it (PayAt and QuoteAt); t is UTC.
func (m *Machine) quote(o Order, w Wallet, l Ledger, c Choice, t time.Time) (Spend, []rules.Decision, error) {
	ch, err := checkOrder(o)
	if err != nil {
		return Spend{}, nil, err
	}
	if err := checkWallet(w); err != nil {
		return Spend{}, nil, err
	}
	v := m.set.In(t)
	bo, err := offerBeans(v, ch, w.Beans)
	if err != nil {
		return Spend{}, nil, err
	}
	beans, err := bo.Allocate(c.Beans)
	if err != nil {
		return Spend{}, nil, err
	}
	_, used, year, err := ledgerAt(m.set, l, t, false)
	if err != nil {
		return Spend{}, nil, err
	}
	po, err := offerPoints(v, o, ch, bo.unit, beans, w.Points, used, year)
	if err != nil {
		return Spend{}, nil, err
	}
	pts, err := po.Allocate(c.Points)
	if err != nil {
		return Spend{}, nil, err
	}
	bu, pu := bo.unit, po.unit
	s := Spend{Order: o.ID, PaidAt: t, Version: v.Date(), Updated: t,
		Beans: c.Beans, BeanValue: bu.value(c.Beans), Points: c.Points, PointValue: pu.value(c.Points),
		Lines: make([]SpendLine, len(o.Lines))}
	for i, ln := range o.Lines {
		s.Lines[i] = SpendLine{Line: ln.ID, Beans: beans[i], BeanValue: bu.value(beans[i]),
			Points: pts[i], PointValue: pu.value(pts[i])}
	}
	return s, append(bo.Decisions, po.Decisions...), nil
}

// Advance is AdvanceAt at the clock's instant.
func (m *Machine) Advance(s Spend) Result { return m.AdvanceAt(s, now(m.clk)) }

// AdvanceAt returns a copy of s: a Spend has no deadlines. It exists so
// that a Spend is driven like every other machine. A Spend that fails
// [Spend.Validate] comes back unchanged too, with one Decision, without a
// rule, whose Note says what is wrong (AdvanceAt has no error result).
func (m *Machine) AdvanceAt(s Spend, _ time.Time) Result {
	res := Result{State: s.Clone()}
	if err := s.Validate(); err != nil {
		res.Decisions = []rules.Decision{{Policy: schema.Policy(), Note: "points.AdvanceAt: spend left unchanged: " + err.Error()}}
	}
	return res
}
