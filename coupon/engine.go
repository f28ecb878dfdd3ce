package coupon

import (
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Options configure an [Engine].
type Options struct {
	// Policy is the coupon rule set. Nil means DefaultPolicy(). A
	// checkout is judged by the version in force at its instant, and
	// every give-back of its coupons by that same version (recorded as
	// Allocation.Version and Redemption.Version).
	Policy *rules.Set
	// Clock says what "now" is for Best, Check and Allocate, which read
	// it once and call BestAt, CheckAt and AllocateAt. Nil means
	// clock.System{}. GiveBack never reads it: it takes its instant.
	Clock clock.Clock
}

// Engine checks, chooses and allocates coupons, and gives them back. It
// holds no state of its own and never modifies its arguments. An Engine
// is safe for concurrent use.
type Engine struct {
	set      *rules.Set
	clock    clock.Clock
	policies map[string]*Policy // by version date
}

// New returns an engine with the given options. It panics if o.Policy is
// a set of another schema, with the message
// `coupon: New: Options.Policy is a set of policy "x", not loaded against coupon.Schema()`,
// or a set [CheckPolicy] refuses: both are errors of the program or of
// its load path (like regexp.MustCompile), never of the input.
func New(o Options) *Engine {
	e := &Engine{set: o.Policy, clock: o.Clock}
	if e.set == nil {
		e.set = DefaultPolicy()
	}
	if e.set.Schema() != Schema() {
		panic(fmt.Sprintf("coupon: New: Options.Policy is a set of policy %q, not loaded against coupon.Schema()", e.set.Policy()))
	}
	ps, err := readAll(e.set)
	if err != nil {
		panic("coupon: New: Options.Policy: " + err.Error())
	}
	e.policies = ps
	if e.clock == nil {
		e.clock = clock.System{}
	}
	return e
}

// PolicyAt returns the policy in force at instant t.
func (e *Engine) PolicyAt(t time.Time) Policy { return *e.policies[e.set.In(t).Date()] }

func (e *Engine) now() time.Time { return e.clock.Now().Round(0).UTC() }

func (e *Engine) prepare(cart Cart, w Wallet, now time.Time) (*model, error) {
	if now.IsZero() {
		return nil, fmt.Errorf("%w: checkout instant is zero", ErrInvalid)
	}
	m, err := newModel(cart, w, e.policies[e.set.In(now).Date()], now)
	if err != nil {
		return nil, err
	}
	m.at = now.Round(0).UTC()
	return m, nil
}

// Check is CheckAt at the clock's now.
func (e *Engine) Check(cart Cart, w Wallet, uses []Use) error {
	return e.CheckAt(cart, w, uses, e.now())
}

// CheckAt judges a combination of the wallet's coupons for the cart at
// instant now (which decides whether a coupon has expired or is not yet
// valid, and the policy version in force). It returns nil if the
// combination obeys CPN-1 … CPN-5, a *CheckError listing every violation
// with its rule ID otherwise, or an error wrapping ErrInvalid if the cart
// or the wallet is malformed.
func (e *Engine) CheckAt(cart Cart, w Wallet, uses []Use, now time.Time) error {
	m, err := e.prepare(cart, w, now)
	if err != nil {
		return err
	}
	if _, vs := m.resolve(uses); len(vs) > 0 {
		return &CheckError{Violations: vs}
	}
	return nil
}

// Allocate is AllocateAt at the clock's now.
func (e *Engine) Allocate(cart Cart, w Wallet, uses []Use) (Allocation, error) {
	return e.AllocateAt(cart, w, uses, e.now())
}

// AllocateAt checks a combination like [Engine.CheckAt] and, if it is
// valid, computes each coupon's discount (capped at what is left of the
// lines it covers: no change, CPN-4) and allocates it to the lines it
// covers with largest-remainder rounding to the fen; a cross-store coupon
// is first apportioned over its stores (CPN-5). The allocation records
// now and the policy version in force at now: the checkout's pinned
// version, which also judges its give-backs.
func (e *Engine) AllocateAt(cart Cart, w Wallet, uses []Use, now time.Time) (Allocation, error) {
	m, err := e.prepare(cart, w, now)
	if err != nil {
		return Allocation{}, err
	}
	p, vs := m.resolve(uses)
	if len(vs) > 0 {
		return Allocation{}, &CheckError{Violations: vs}
	}
	return m.export(m.allocate(p)), nil
}
