package coupon

import (
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Options configure an [Engine].
type Options struct {
	// Policy is the coupon rule set. Nil means DefaultPolicy(). The
	// version in force at the clock's now (the checkout instant) judges.
	Policy *rules.Set
	// Clock says what "now" is: whether a coupon has expired or is not
	// yet valid, and which policy version is in force. Nil means
	// clock.System{}.
	Clock clock.Clock
}

// Engine checks, chooses and allocates coupons, and gives them back. It
// holds no state of its own: every method reads now from the clock once
// and never modifies its arguments. An Engine is safe for concurrent use.
type Engine struct {
	set   *rules.Set
	clock clock.Clock
}

// New returns an engine with the given options.
func New(o Options) *Engine {
	e := &Engine{set: o.Policy, clock: o.Clock}
	if e.set == nil {
		e.set = DefaultPolicy()
	}
	if e.clock == nil {
		e.clock = clock.System{}
	}
	return e
}

// PolicyAt returns the policy in force at instant t.
func (e *Engine) PolicyAt(t time.Time) (Policy, error) { return ReadPolicy(e.set.In(t)) }

func (e *Engine) prepare(cart Cart, w Wallet) (*model, time.Time, error) {
	now := e.clock.Now()
	pol, err := e.PolicyAt(now)
	if err != nil {
		return nil, now, err
	}
	m, err := newModel(cart, w, &pol, now)
	return m, now, err
}

// Check judges a combination of the wallet's coupons for the cart. It
// returns nil if the combination obeys CPN-1 … CPN-5, a *CheckError
// listing every violation with its rule ID otherwise, or an error
// wrapping ErrInvalid if the cart or the wallet is malformed.
func (e *Engine) Check(cart Cart, w Wallet, uses []Use) error {
	m, _, err := e.prepare(cart, w)
	if err != nil {
		return err
	}
	if _, vs := m.resolve(uses); len(vs) > 0 {
		return &CheckError{Violations: vs}
	}
	return nil
}

// Allocate checks a combination like [Engine.Check] and, if it is valid,
// computes each coupon's discount (capped at what is left of the lines it
// covers: no change, CPN-4) and allocates it to the lines it covers with
// largest-remainder rounding to the fen; a cross-store coupon is first
// apportioned over its stores (CPN-5).
func (e *Engine) Allocate(cart Cart, w Wallet, uses []Use) (Allocation, error) {
	m, _, err := e.prepare(cart, w)
	if err != nil {
		return Allocation{}, err
	}
	p, vs := m.resolve(uses)
	if len(vs) > 0 {
		return Allocation{}, &CheckError{Violations: vs}
	}
	return m.export(m.allocate(p)), nil
}
