package scenario

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/internal/wire"
	"github.com/tradepolicy/tradepolicy/rules"
)

// couponMachine adapts package coupon, which is not a state machine: one
// checkout's cart and the buyer's wallet, the checkout's allocation and
// redemption, and the give-backs of its orders. It starts from cart: (a
// coupon.Cart in its JSON form, strictly decoded) and wallet: (a
// coupon.Wallet, {owner, coupons}).
//
// Events are the adapter's own (see [couponEvent]): best (Engine.BestAt
// at the step's instant), choose (Engine.AllocateAt of the buyer's uses:
// the checkout is paid, its redemption made and the wallet's coupons
// marked used) and give_back (Engine.GiveBack of one order with a reason,
// the effect carried out on the wallet). The step keys freeze: and void:
// set wallet coupons frozen or voided (CPN-1).
type couponMachine struct{}

func (couponMachine) Name() string                { return "coupon" }
func (couponMachine) Policy() *rules.Set          { return coupon.DefaultPolicy() }
func (couponMachine) Catalogue() []rules.RuleInfo { return coupon.Catalogue() }
func (couponMachine) EventNames() []string        { return []string{"best", "choose", "give_back"} }
func (couponMachine) EffectKinds() []string       { return []string{coupon.GiveBackCoupons{}.Kind()} }
func (couponMachine) StartKeys() []string         { return []string{"cart", "wallet"} }
func (couponMachine) FactKeys() []string          { return []string{"freeze", "void"} }

// Timers: nothing in package coupon has a deadline. The boundaries are
// the wallet coupons' validity bounds (CPN-7).
func (couponMachine) Timers() []Timer { return nil }
func (couponMachine) Boundaries() []string {
	return []string{"valid_from CPN-7", "valid_until CPN-7"}
}

func (couponMachine) Sentinels() map[string]error {
	return map[string]error{
		"ErrNotOwner": coupon.ErrNotOwner, "ErrNotAvailable": coupon.ErrNotAvailable, "ErrExpired": coupon.ErrExpired,
		"ErrNotYetValid": coupon.ErrNotYetValid, "ErrUnknownCoupon": coupon.ErrUnknownCoupon, "ErrDuplicate": coupon.ErrDuplicate,
		"ErrWrongOrder": coupon.ErrWrongOrder, "ErrNoEligibleLine": coupon.ErrNoEligibleLine, "ErrThresholdNotMet": coupon.ErrThresholdNotMet,
		"ErrIncompatible": coupon.ErrIncompatible, "ErrTooMany": coupon.ErrTooMany, "ErrNoGain": coupon.ErrNoGain,
		"ErrInvalid": coupon.ErrInvalid, "ErrPolicy": coupon.ErrPolicy,
	}
}

// couponEvent is one event of the coupon machine:
//
//	event: best                                            # Engine.BestAt(cart, wallet, at)
//	event: {type: choose, uses: [{coupon: G1, store: S1}]} # Engine.AllocateAt(cart, wallet, uses, at)
//	event: {type: give_back, order: S1, reason: cancel}    # Engine.GiveBack(redemption, order, reason, at)
//
// best and choose may give cart: {…}, a cart that replaces the current
// one from the step on. reason is cancel, full_refund or partial_refund.
type couponEvent struct {
	Type   string          `json:"type"`
	Cart   json.RawMessage `json:"cart,omitempty"`
	Uses   []coupon.Use    `json:"uses,omitempty"`
	Order  string          `json:"order,omitempty"`
	Reason coupon.Reason   `json:"reason,omitzero"`
	cart   *coupon.Cart
}

func (couponMachine) DecodeEvent(data []byte) (any, error) {
	var e couponEvent
	if err := wire.Decode(data, &e); err != nil {
		return nil, err
	}
	switch e.Type {
	case "best", "choose":
		if e.Order != "" || e.Reason != coupon.ReasonInvalid {
			return nil, fmt.Errorf("%s: order and reason are give_back's", e.Type)
		}
		if e.Type == "best" && e.Uses != nil {
			return nil, errors.New("best: uses are choose's")
		}
		if len(e.Cart) > 0 {
			c, err := coupon.DecodeCart(e.Cart)
			if err != nil {
				return nil, fmt.Errorf("%s: cart: %w", e.Type, err)
			}
			e.cart = &c
		}
	case "give_back":
		if e.Order == "" || !e.Reason.IsValid() {
			return nil, errors.New("give_back: want {type: give_back, order: S1, reason: cancel, full_refund or partial_refund}")
		}
		if len(e.Cart) > 0 || e.Uses != nil {
			return nil, errors.New("give_back: cart and uses are best's and choose's")
		}
	default:
		return nil, fmt.Errorf("unknown event %q (want best, choose or give_back)", e.Type)
	}
	return e, nil
}

// couponStatusFact sets wallet coupons to a status at the step (freeze:
// [C1], void: [C2]): the platform's action on an abnormal trade (CPN-1).
type couponStatusFact struct {
	status  coupon.Status
	coupons []string
}

func (couponMachine) DecodeFact(key string, data []byte) (any, error) {
	var ids []string
	if err := wire.Decode(data, &ids); err != nil || len(ids) == 0 {
		return nil, fmt.Errorf("%s: want a list of the wallet's coupon IDs, [C1]", key)
	}
	st := coupon.Frozen
	if key == "void" {
		st = coupon.Voided
	}
	return couponStatusFact{status: st, coupons: ids}, nil
}

func (couponMachine) Begin(policy *rules.Set, start map[string][]byte, at time.Time) (instance, error) {
	clk := clock.Func(func() time.Time { return at })
	r := &couponRun{e: coupon.New(coupon.Options{Policy: policy, Clock: clk})}
	data, ok := start["cart"]
	if !ok {
		return nil, &keyError{Key: "cart", Err: errors.New("missing: the coupon machine starts from cart ({buyer, lines}) and wallet ({owner, coupons})")}
	}
	c, err := coupon.DecodeCart(data)
	if err != nil {
		return nil, &keyError{Key: "cart", Err: err}
	}
	r.s.Cart = c
	if data, ok := start["wallet"]; ok {
		w, err := coupon.DecodeWallet(data)
		if err != nil {
			return nil, &keyError{Key: "wallet", Err: err}
		}
		r.s.Wallet = w
	}
	return r, nil
}

// couponRun is one run: the engine and the state.
type couponRun struct {
	e *coupon.Engine
	s couponState
}

// couponState is the JSON form of a run's state, for state: paths: the
// cart, the wallet, the last best's choice, and the paid checkout's
// allocation and redemption (absent before the first choose).
type couponState struct {
	Cart       coupon.Cart        `json:"cart"`
	Wallet     coupon.Wallet      `json:"wallet"`
	Choice     *coupon.Choice     `json:"choice,omitempty"`
	Allocation *coupon.Allocation `json:"allocation,omitempty"`
	Redemption *coupon.Redemption `json:"redemption,omitempty"`
}

func (r *couponRun) State() any { return r.s }

// Fork copies the run: the slices a step changes in place are cloned;
// the choice and allocation are replaced, never changed.
func (r *couponRun) Fork() instance {
	c := *r
	c.s.Cart.Lines = slices.Clone(r.s.Cart.Lines)
	c.s.Wallet.Coupons = slices.Clone(r.s.Wallet.Coupons)
	for i := range c.s.Wallet.Coupons {
		c.s.Wallet.Coupons[i].UsedIn = slices.Clone(c.s.Wallet.Coupons[i].UsedIn)
	}
	if r.s.Redemption != nil {
		red := *r.s.Redemption
		red.Coupons = slices.Clone(red.Coupons)
		for i := range red.Coupons {
			red.Coupons[i].Released = slices.Clone(red.Coupons[i].Released)
		}
		c.s.Redemption = &red
	}
	return &c
}

func (r *couponRun) Update(fact any, _ time.Time) error {
	f := fact.(couponStatusFact)
	for _, id := range f.coupons {
		i := slices.IndexFunc(r.s.Wallet.Coupons, func(c coupon.Coupon) bool { return c.ID == id })
		if i < 0 {
			return fmt.Errorf("%w: %s: no coupon %s in the wallet", coupon.ErrInvalid, f.status, id)
		}
		r.s.Wallet.Coupons[i].Status = f.status
	}
	return nil
}

func (r *couponRun) Apply(event any, at time.Time) (outcome, error) {
	e := event.(couponEvent)
	if e.cart != nil {
		r.s.Cart = *e.cart
	}
	switch e.Type {
	case "best":
		ch, err := r.e.BestAt(r.s.Cart, r.s.Wallet, at)
		if err != nil {
			return outcome{}, err
		}
		r.s.Choice = &ch
		out := outcome{Decisions: slices.Clone(ch.Decisions)}
		for _, u := range ch.Uses {
			out.Decisions = append(out.Decisions, couponDecision(ch.Allocation, u))
		}
		for _, v := range ch.LeftOut {
			out.Decisions = append(out.Decisions, rules.Decision{Rule: v.Rule(), Policy: "coupon", Version: ch.Allocation.Version,
				Value: v.Coupon, Inputs: []rules.Used{{Name: "left_out", Value: coupon.Code(v.Err)}}, Note: v.Error()})
		}
		return out, nil
	case "choose":
		a, err := r.e.AllocateAt(r.s.Cart, r.s.Wallet, e.Uses, at)
		if err != nil {
			return outcome{}, err
		}
		red := a.Redemption()
		w := r.s.Wallet
		w.Coupons = slices.Clone(w.Coupons)
		for _, rc := range red.Coupons {
			i := slices.IndexFunc(w.Coupons, func(c coupon.Coupon) bool { return c.ID == rc.Coupon })
			c, err := coupon.MarkUsed(w.Coupons[i], rc.Orders...)
			if err != nil {
				return outcome{}, err
			}
			w.Coupons[i] = c
		}
		r.s.Wallet, r.s.Allocation, r.s.Redemption = w, &a, &red
		var out outcome
		for _, u := range e.Uses {
			out.Decisions = append(out.Decisions, couponDecision(a, u))
		}
		return out, nil
	}
	if r.s.Redemption == nil {
		return outcome{}, fmt.Errorf("%w: give_back: no checkout was paid (choose first)", coupon.ErrInvalid)
	}
	res, err := r.e.GiveBack(*r.s.Redemption, e.Order, e.Reason, at)
	if err != nil {
		return outcome{}, err
	}
	r.s.Redemption = &res.Redemption
	out := outcome{Decisions: res.Decisions}
	for _, x := range res.Effects {
		if g, ok := x.Act.(coupon.GiveBackCoupons); ok {
			r.s.Wallet = g.ApplyTo(r.s.Wallet)
		}
		b, err := json.Marshal(x)
		if err != nil {
			b = []byte(`{}`)
		}
		out.Effects = append(out.Effects, Effect{ID: x.ID, At: x.At, Rule: x.Rule, Kind: x.Kind(), JSON: b})
	}
	return out, nil
}

// couponDecision is the adapter's decision for one coupon of a
// combination: value its discount, note where it went ("coupon G1
// (general): 10.00 over S1"); rule CPN-5 for a cross-store coupon, CPN-4
// (no change, one order) for the others.
func couponDecision(a coupon.Allocation, u coupon.Use) rules.Decision {
	d := rules.Decision{Policy: "coupon", Version: a.Version, Value: "0", Inputs: []rules.Used{{Name: "coupon", Value: u.Coupon}}}
	for _, c := range a.Coupons {
		if c.Coupon != u.Coupon {
			continue
		}
		d.Rule = "CPN-4"
		if c.Kind == coupon.CrossStore {
			d.Rule = "CPN-5"
		}
		var stores []string
		for _, s := range c.Stores {
			stores = append(stores, s.Store+" "+s.Amount.StringFixed(2))
		}
		d.Value = c.Discount.StringFixed(2)
		d.Note = fmt.Sprintf("coupon %s (%s): %s over %s", c.Coupon, c.Kind, c.Discount.StringFixed(2), strings.Join(stores, ", "))
		return d
	}
	d.Rule, d.Note = "CPN-4", "coupon "+u.Coupon+": no discount"
	return d
}

func (r *couponRun) Advance(time.Time) outcome     { return outcome{} }
func (r *couponRun) Deadlines() []Deadline         { return nil }
func (r *couponRun) StatusOf(string) string        { return "" }
func (r *couponRun) Instants(time.Time) []Deadline { return couponInstants(r.s.Wallet) }

// couponInstants are the validity bounds of the wallet's coupons: a
// coupon is valid at t with ValidFrom <= t < ValidUntil (CPN-7).
func couponInstants(w coupon.Wallet) []Deadline {
	var out []Deadline
	for _, c := range w.Coupons {
		if !c.ValidFrom.IsZero() {
			out = append(out, Deadline{At: c.ValidFrom, Rule: "CPN-7", Subject: "coupon " + c.ID, Boundary: "valid_from CPN-7"})
		}
		if !c.ValidUntil.IsZero() {
			out = append(out, Deadline{At: c.ValidUntil, Rule: "CPN-7", Subject: "coupon " + c.ID, Boundary: "valid_until CPN-7"})
		}
	}
	return out
}
