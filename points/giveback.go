package points

import (
	"fmt"
	"math/bits"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Apply is ApplyAt at the clock's instant.
func (m *Machine) Apply(s Spend, e Event) (Result, error) { return m.ApplyAt(s, e, now(m.clk)) }

// ApplyAt applies a [Refund] to s at t and gives back the beans and
// points of the refunded share (PTS-2, RFD-10).
//
// The policy is the version s is pinned to (Spend.Version, the one in
// force at payment), for the Spend's whole life; a set that no longer
// holds that version is an error wrapping [ErrPolicy]. give_back_allowed
// says, from the refund's Stage and Forced, whether points go back, and
// beans_give_back_allowed whether beans do (by default: when points do).
// By default a refund requested before shipment, or after shipment before
// receipt was confirmed, gives back; after receipt was confirmed, only a
// refund the back office forced. A refund the policy does not allow is
// not an error (the money was refunded): the refunded share is recorded
// as kept (BeansKept, PointsKept) and a Decision citing PTS-2 says so.
//
// Each line settles its allocation in proportion to Refunded/Paid,
// cumulatively: after a refund the line has settled its allocation ×
// Refunded/Paid, rounded to the nearest whole granule (largest remainder,
// internal/money), and all of it when the line is Done; the part not
// settled before goes back (or is kept). Nothing is ever given back twice
// or beyond what the line used. Effects: [GiveBackBeans] and
// [GiveBackPoints], each only when non-zero, rule PTS-2.
//
// A refund whose ID s already holds changes nothing (a redelivery, at
// any instant) and is no error. Malformed input (an invalid stage, an amount that is not a
// valid amount, Refunded above Paid, Done with Refunded below Paid, a
// line s does not hold or named twice, an event that is not a Refund, an
// invalid s) is an error wrapping [ErrInvalid]. An instant before
// s.Updated is refused (PTS-2, [ErrClockBehind]). Whatever the outcome,
// Result.State is a state the host may store (s itself on an error); a
// Spend has no deadlines, so nothing fires before the event. ApplyAt
// never modifies s.
func (m *Machine) ApplyAt(s Spend, e Event, t time.Time) (Result, error) {
	t = t.Round(0).UTC()
	res := Result{State: s.Clone()}
	if err := s.Validate(); err != nil {
		return res, err
	}
	ev, ok := eventOf(e)
	r, isRefund := ev.(Refund)
	if !ok || !isRefund {
		return res, errorf("a spend takes a Refund, not %T", e)
	}
	if r.ID != "" && slices.Contains(s.Refunds, r.ID) {
		res.Decisions = []rules.Decision{{Rule: "PTS-2", Policy: schema.Policy(), Version: s.Version,
			Note: "refund " + r.ID + " of order " + s.Order + " already applied; nothing changes"}}
		return res, nil
	}
	if t.Before(s.Updated) {
		return res, rules.Refuse("PTS-2", ErrClockBehind, "order %s: refund %s at %s, spend updated %s",
			s.Order, r.ID, t.Format(time.RFC3339), s.Updated.Format(time.RFC3339))
	}
	share, err := checkRefund(s, r)
	if err != nil {
		return res, err
	}
	v, err := m.set.Pin(s.Version, s.PaidAt)
	if err != nil {
		return res, fmt.Errorf("%w: spend of order %q: %w", ErrPolicy, s.Order, err)
	}
	pointsOK, pdec, err := explain(v, keyGiveBack, r.Stage.String(), r.Forced)
	if err != nil {
		return res, err
	}
	beansOK, bdec, err := explain(v, keyBeansGiveBack, r.Stage.String(), r.Forced, pointsOK)
	if err != nil {
		return res, err
	}
	rates, err := ratesOf(v)
	if err != nil {
		return res, err
	}
	bu, pu := newUnit(rates.BeansPerYuan), newUnit(rates.PointsPerYuan)

	next := res.State
	gb := GiveBackBeans{Order: s.Order, Refund: r.ID}
	gp := GiveBackPoints{Order: s.Order, Refund: r.ID, UsedAt: s.PaidAt}
	var gbFen, gpFen, keptBeans, keptPoints int64
	for i, rl := range r.Lines {
		l := &next.Lines[share[i].line]
		sh := share[i]
		if sh.done {
			l.Done = true
		}
		if n := settle(l.Beans, bu, sh, l.BeansBack+l.BeansKept); n > 0 {
			if beansOK {
				f := valueOf(n, l.BeanValue, l.Beans, l.BeansBack+l.BeansKept)
				l.BeansBack += n
				gb.Beans += n
				gbFen += f
				gb.Lines = append(gb.Lines, LineGiveBack{Line: rl.Line, Units: n, Value: money.FromFen(f)})
			} else {
				l.BeansKept += n
				keptBeans += n
			}
		}
		if n := settle(l.Points, pu, sh, l.PointsBack+l.PointsKept); n > 0 {
			if pointsOK {
				f := valueOf(n, l.PointValue, l.Points, l.PointsBack+l.PointsKept)
				l.PointsBack += n
				gp.Points += n
				gpFen += f
				gp.Lines = append(gp.Lines, LineGiveBack{Line: rl.Line, Units: n, Value: money.FromFen(f)})
			} else {
				l.PointsKept += n
				keptPoints += n
			}
		}
	}
	next.Refunds = append(next.Refunds, r.ID)
	next.Updated = t
	res.Decisions = []rules.Decision{pdec, bdec}
	for _, k := range []struct {
		n         int64
		what      string
		threshold string
	}{{keptBeans, "beans", keyBeansGiveBack.Name()}, {keptPoints, "points", keyGiveBack.Name()}} {
		if k.n > 0 {
			res.Decisions = append(res.Decisions, rules.Decision{Rule: "PTS-2", Policy: v.Policy(), Version: v.Date(),
				Threshold: k.threshold, Value: "false",
				Note: fmt.Sprintf("refund %s of order %s at stage %s (forced %t): %d %s stay spent",
					r.ID, s.Order, r.Stage, r.Forced, k.n, k.what)})
		}
	}
	if gb.Beans > 0 {
		gb.Value = money.FromFen(gbFen)
		next.Seq++
		res.Effects = append(res.Effects, Effect{ID: next.Seq, At: t, Rule: "PTS-2", Act: gb})
	}
	if gp.Points > 0 {
		gp.Value = money.FromFen(gpFen)
		next.Seq++
		res.Effects = append(res.Effects, Effect{ID: next.Seq, At: t, Rule: "PTS-2", Act: gp})
	}
	res.State = next
	return res, nil
}

// lineShare is one refund line's share of a Spend line, in fen.
type lineShare struct {
	line           int // index in Spend.Lines
	refunded, paid int64
	done           bool
}

// checkRefund checks r against s and returns each of its lines' share.
func checkRefund(s Spend, r Refund) ([]lineShare, error) {
	if r.ID == "" {
		return nil, errorf("refund without an ID")
	}
	if !r.Stage.IsValid() {
		return nil, errorf("refund %s: invalid stage %d", r.ID, r.Stage)
	}
	out := make([]lineShare, len(r.Lines))
	for i, rl := range r.Lines {
		j := slices.IndexFunc(s.Lines, func(l SpendLine) bool { return l.Line == rl.Line })
		if j < 0 {
			return nil, errorf("refund %s names line %q, which order %s's spend does not hold", r.ID, rl.Line, s.Order)
		}
		if slices.ContainsFunc(r.Lines[:i], func(o RefundLine) bool { return o.Line == rl.Line }) {
			return nil, errorf("refund %s names line %q twice", r.ID, rl.Line)
		}
		ref, err := money.Amount(rl.Refunded)
		if err != nil {
			return nil, errorf("refund %s line %q refunded: %w", r.ID, rl.Line, err)
		}
		paid, err := money.Amount(rl.Paid)
		if err != nil {
			return nil, errorf("refund %s line %q paid: %w", r.ID, rl.Line, err)
		}
		if ref > paid || rl.Done && ref != paid {
			return nil, errorf("refund %s line %q: %s refunded of %s paid, done %t", r.ID, rl.Line, rl.Refunded, rl.Paid, rl.Done)
		}
		out[i] = lineShare{line: j, refunded: ref, paid: paid, done: rl.Done}
	}
	return out, nil
}

// settle returns the units of an allocation of alloc that a line's share
// adds to the settled units: the share's target less what is settled
// already, never negative. The target is alloc × refunded/paid in whole
// granules of u, by largest remainder over {refunded, paid-refunded} as
// internal/money splits (to the nearest granule, half up: the lower
// index wins a tie), and all of alloc when done or wholly refunded.
func settle(alloc int64, u unit, sh lineShare, settled int64) int64 {
	var target int64
	switch {
	case alloc == 0:
		return 0
	case sh.done || sh.paid > 0 && sh.refunded == sh.paid:
		target = alloc
	case sh.refunded == 0 || sh.paid == 0:
		target = 0
	default:
		target = half(alloc/u.granule, sh.refunded, sh.paid) * u.granule
	}
	return max(target-settled, 0)
}

// half returns g × r/p rounded to the nearest whole number, half up, for
// 0 <= r <= p, p > 0: the first part of the largest remainder split of g
// over {r, p-r}, computed in 128 bits without allocating.
func half(g, r, p int64) int64 {
	hi, lo := bits.Mul64(uint64(g), uint64(r))
	q, rem := bits.Div64(hi, lo, uint64(p)) // g*r < 2^64 * p
	if rem > 0 && rem >= uint64(p)-rem {
		q++
	}
	return int64(q)
}

// valueOf returns the value in fen of n more units of a line that holds
// units units worth value yuan, settled units having settled before:
// the value of settled+n less that of settled, each value × k/units
// rounded down (in 128 bits). A valid Spend holds its units at one rate
// in whole fen per granule, so this is exact, and the parts never sum
// past the line's value.
func valueOf(n int64, value decimal.Decimal, units, settled int64) int64 {
	fen, _ := money.Amount(value) // valid: checked by Validate
	at := func(k int64) int64 {
		hi, lo := bits.Mul64(uint64(k), uint64(fen))
		q, _ := bits.Div64(hi, lo, uint64(units)) // k <= units: q <= fen
		return int64(q)
	}
	return at(settled+n) - at(settled)
}
