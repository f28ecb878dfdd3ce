package points

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/tradepolicy/tradepolicy/rules"
)

// Spend is the record of what one order paid in beans and comprehensive
// points, allocated to its lines at payment, and of what has been given
// back since. It is the state of a [Machine]: [Machine.Pay] makes it,
// [Machine.Apply] with a [Refund] moves it. Refunds read the allocations
// stored here and never re-prorate.
//
// The zero value is an order that spent nothing: every refund of it is
// refused for naming an unknown line.
type Spend struct {
	Order string `json:"order"`
	// PaidAt is the instant of payment. It chooses the policy version
	// that governs give-back and the year the points use counts in.
	PaidAt  time.Time   `json:"paid_at"`
	Beans   int64       `json:"beans"`
	Points  int64       `json:"points"`
	Lines   []SpendLine `json:"lines,omitempty"`
	Refunds []string    `json:"refunds,omitempty"` // IDs of the refunds applied, in order
}

// SpendLine is one line's share of a [Spend].
type SpendLine struct {
	Line       string `json:"line"`
	Quantity   int64  `json:"quantity"`
	Beans      int64  `json:"beans"`       // allocated at payment
	Points     int64  `json:"points"`      // allocated at payment
	Refunded   int64  `json:"refunded"`    // units refunded so far
	BeansBack  int64  `json:"beans_back"`  // given back so far
	PointsBack int64  `json:"points_back"` // given back so far
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

// Result is what [Machine.Pay], [Machine.Apply] and [Machine.Advance]
// return: the new state, the effects the host must carry out, and the
// decisions taken. A Spend has no deadlines, so Next is always zero.
type Result struct {
	State     Spend            `json:"state"`
	Effects   []Effect         `json:"effects,omitempty"`
	Decisions []rules.Decision `json:"decisions,omitempty"`
	Next      time.Time        `json:"next,omitzero"`
}

// Effect is an instruction for the host: debit or credit a balance.
type Effect interface {
	Kind() string
}

// DebitBeans: take Beans from the buyer's bean balance for Order.
type DebitBeans struct {
	Order string `json:"order"`
	Beans int64  `json:"beans"`
}

// DebitPoints: take Points from the buyer's points account for Order, and
// record the use in the customer's [Ledger] (see [DebitPoints.Use]).
type DebitPoints struct {
	Order  string    `json:"order"`
	Points int64     `json:"points"`
	At     time.Time `json:"at"`
}

// GiveBackBeans: credit Beans to the buyer's bean balance (PTS-2).
type GiveBackBeans struct {
	Order  string       `json:"order"`
	Refund string       `json:"refund"`
	Beans  int64        `json:"beans"`
	Lines  []LineAmount `json:"lines"`
}

// GiveBackPoints: credit Points to the buyer's comprehensive points
// account (PTS-2), and pass [GiveBackPoints.Release] to the customer's
// [Ledger].
type GiveBackPoints struct {
	Order  string       `json:"order"`
	Refund string       `json:"refund"`
	Points int64        `json:"points"`
	UsedAt time.Time    `json:"used_at"`
	Lines  []LineAmount `json:"lines"`
}

// LineAmount is one line's part of a give-back.
type LineAmount struct {
	Line   string `json:"line"`
	Amount int64  `json:"amount"`
}

func (DebitBeans) Kind() string     { return "debit_beans" }
func (DebitPoints) Kind() string    { return "debit_points" }
func (GiveBackBeans) Kind() string  { return "give_back_beans" }
func (GiveBackPoints) Kind() string { return "give_back_points" }

// Use returns the ledger event that records this debit.
func (d DebitPoints) Use() Use { return Use{Order: d.Order, Points: d.Points, At: d.At} }

// Release returns the ledger event that records this give-back.
func (g GiveBackPoints) Release() Release {
	return Release{Order: g.Order, Points: g.Points, UsedAt: g.UsedAt}
}

// Choice is what the buyer chose to pay in beans and points.
type Choice struct {
	Beans  int64 `json:"beans"`
	Points int64 `json:"points"`
}

// Pay checks the buyer's choice against the offers for order o (PTS-1,
// PTS-2, PTS-3), allocates beans and points to the lines, and returns the
// order's [Spend] with the effects DebitBeans and DebitPoints (each only
// when non-zero). A refused choice is a *rules.RuleError wrapping the
// sentinel of the limit it breaks. Pay only checks the ledger: the host
// records the use with [LedgerMachine.Apply] of [DebitPoints.Use], which
// checks the cap again under the host's lock on the ledger.
func (m *Machine) Pay(o Order, w Wallet, l Ledger, c Choice) (Result, error) {
	ch, err := checkOrder(o)
	if err != nil {
		return Result{}, err
	}
	if err := checkWallet(w); err != nil {
		return Result{}, err
	}
	t := now(m.clk)
	v := m.set.In(t)
	bo, err := offerBeans(v, ch, w.Beans)
	if err != nil {
		return Result{}, err
	}
	beans, err := bo.Allocate(c.Beans)
	if err != nil {
		return Result{}, err
	}
	_, used, year, err := ledgerAt(m.set, l, t)
	if err != nil {
		return Result{}, err
	}
	po, err := offerPoints(v, o, ch, bo.unit, beans, w.Points, used, year)
	if err != nil {
		return Result{}, err
	}
	pts, err := po.Allocate(c.Points)
	if err != nil {
		return Result{}, err
	}
	s := Spend{Order: o.ID, PaidAt: t, Beans: c.Beans, Points: c.Points, Lines: make([]SpendLine, len(o.Lines))}
	for i, ln := range o.Lines {
		s.Lines[i] = SpendLine{Line: ln.ID, Quantity: ln.Quantity, Beans: beans[i], Points: pts[i]}
	}
	res := Result{State: s, Decisions: append(bo.Decisions, po.Decisions...)}
	if c.Beans > 0 {
		res.Effects = append(res.Effects, DebitBeans{Order: o.ID, Beans: c.Beans})
	}
	if c.Points > 0 {
		res.Effects = append(res.Effects, DebitPoints{Order: o.ID, Points: c.Points, At: t})
	}
	return res, nil
}

// Advance returns a copy of s: a Spend has no deadlines. It exists so
// that a Spend is driven like every other machine. A Spend that fails
// [Spend.Validate] comes back unchanged too, with one Decision, without a
// rule, whose Note says what is wrong (Advance has no error result).
func (m *Machine) Advance(s Spend) Result {
	res := Result{State: s}
	res.State.Lines, res.State.Refunds = slices.Clone(s.Lines), slices.Clone(s.Refunds)
	if err := s.Validate(); err != nil {
		res.Decisions = []rules.Decision{{Policy: schema.Policy(), Note: "points.Advance: spend left unchanged: " + err.Error()}}
	}
	return res
}

// Validate returns nil if s is a Spend this package could have produced,
// and otherwise an error wrapping [ErrInvalidState] that names the first
// fault. In a valid Spend every line has a distinct, non-empty ID and at
// least one unit; its refunded units are 0 to Quantity, its allocations
// non-negative and its give-backs 0 to the allocation; the lines'
// allocations add up to Beans and Points; and the refund IDs are
// non-empty and distinct. The zero Spend is valid. [Machine.Apply]
// validates the Spend it is given; a host may call Validate itself after
// loading a row.
func (s Spend) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: spend of order %q: %s", ErrInvalidState, s.Order, fmt.Sprintf(format, args...))
	}
	var b, p int64
	for i, l := range s.Lines {
		switch {
		case l.Line == "":
			return bad("line %d has no ID", i)
		case slices.ContainsFunc(s.Lines[:i], func(o SpendLine) bool { return o.Line == l.Line }):
			return bad("line %q twice", l.Line)
		case l.Quantity < 1 || l.Refunded < 0 || l.Refunded > l.Quantity:
			return bad("line %q: %d of %d units refunded", l.Line, l.Refunded, l.Quantity)
		case l.Beans < 0 || l.BeansBack < 0 || l.BeansBack > l.Beans:
			return bad("line %q: %d of %d beans given back", l.Line, l.BeansBack, l.Beans)
		case l.Points < 0 || l.PointsBack < 0 || l.PointsBack > l.Points:
			return bad("line %q: %d of %d points given back", l.Line, l.PointsBack, l.Points)
		case l.Beans > math.MaxInt64-b || l.Points > math.MaxInt64-p:
			return bad("the lines' beans or points overflow")
		}
		b += l.Beans
		p += l.Points
	}
	if b != s.Beans || p != s.Points {
		return bad("lines hold %d beans and %d points, the order %d and %d", b, p, s.Beans, s.Points)
	}
	for i, id := range s.Refunds {
		if id == "" || slices.Contains(s.Refunds[:i], id) {
			return bad("refund ID %q empty or repeated", id)
		}
	}
	return nil
}
