package points

import (
	"embed"
	"fmt"
	"math"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

//go:embed policy/*.yaml
var policyFS embed.FS

var schema = rules.MustSchema("points",
	rules.Decl{Name: "beans_per_yuan", Rule: "PTS-1", Type: rules.Int,
		Doc: "Beans worth one yuan."},
	rules.Decl{Name: "bean_step", Rule: "PTS-1", Type: rules.Int,
		Doc: "Beans are used in multiples of this many."},
	rules.Decl{Name: "bean_payable_cap", Rule: "PTS-1", Type: rules.Decimal,
		Doc:    "The most beans may pay of an order, in yuan.",
		Inputs: []rules.Input{{Name: "order.payable", Type: rules.Decimal, Doc: "the order's payable amount, yuan"}}},
	rules.Decl{Name: "points_per_yuan", Rule: "PTS-2", Type: rules.Int,
		Doc: "Comprehensive points worth one yuan at checkout."},
	rules.Decl{Name: "points_order_limit", Rule: "PTS-2", Type: rules.Int,
		Doc: "The most comprehensive points one order may use."},
	rules.Decl{Name: "points_item_cap", Rule: "PTS-2", Type: rules.Decimal,
		Doc: "The most comprehensive points may pay of one line, in yuan, by item: the item's own rate and limit.",
		Inputs: []rules.Input{
			{Name: "item.id", Type: rules.String, Doc: "the item's ID (Line.Item)"},
			{Name: "item.amount", Type: rules.Decimal, Doc: "the line's payable amount after beans, yuan"},
			{Name: "item.quantity", Type: rules.Int, Doc: "the line's units"},
		}},
	rules.Decl{Name: "points_payable_cap", Rule: "PTS-2", Type: rules.Decimal,
		Doc:    "The most comprehensive points may pay of an order, in yuan.",
		Inputs: []rules.Input{{Name: "order.eligible", Type: rules.Decimal, Doc: "what points may pay of the lines that accept them (each at most its points_item_cap), after beans, yuan"}}},
	rules.Decl{Name: "points_annual_cap", Rule: "PTS-3", Type: rules.Int,
		Doc: "Comprehensive points one customer may use per calendar year."},
	rules.Decl{Name: "points_offer_remainder", Rule: "PTS-3", Type: rules.Bool,
		Doc: "Whether the checkout offers the remaining annual allowance when the order's largest possible use would pass it."},
	rules.Decl{Name: "points_refund_restores", Rule: "PTS-3", Type: rules.Bool,
		Doc: "Whether points given back restore the allowance of the year they were used in."},
	rules.Decl{Name: "give_back_allowed", Rule: "PTS-2", Type: rules.Bool,
		Doc: "Whether a completed refund gives comprehensive points back.",
		Inputs: []rules.Input{
			{Name: "refund.stage", Type: rules.String, Doc: "before_shipment, shipped or confirmed"},
			{Name: "refund.forced", Type: rules.Bool, Doc: "back-office staff forced the refund"},
		}},
	rules.Decl{Name: "beans_give_back_allowed", Rule: "PTS-2", Type: rules.Bool,
		Doc: "Whether a completed refund gives beans back; by default beans follow points (RFD-10).",
		Inputs: []rules.Input{
			{Name: "refund.stage", Type: rules.String, Doc: "before_shipment, shipped or confirmed"},
			{Name: "refund.forced", Type: rules.Bool, Doc: "back-office staff forced the refund"},
			{Name: "refund.points", Type: rules.Bool, Doc: "the value of give_back_allowed for this refund"},
		}},
)

var (
	keyBeansPerYuan   = rules.MustKey[int64](schema, "beans_per_yuan")
	keyBeanStep       = rules.MustKey[int64](schema, "bean_step")
	keyBeanPayableCap = rules.MustKey[decimal.Decimal](schema, "bean_payable_cap")
	keyPointsPerYuan  = rules.MustKey[int64](schema, "points_per_yuan")
	keyPointsLimit    = rules.MustKey[int64](schema, "points_order_limit")
	keyPointsPayCap   = rules.MustKey[decimal.Decimal](schema, "points_payable_cap")
	keyAnnualCap      = rules.MustKey[int64](schema, "points_annual_cap")
	keyOfferRemainder = rules.MustKey[bool](schema, "points_offer_remainder")
	keyRefundRestores = rules.MustKey[bool](schema, "points_refund_restores")
	keyGiveBack       = rules.MustKey[bool](schema, "give_back_allowed")
	keyBeansGiveBack  = rules.MustKey[bool](schema, "beans_give_back_allowed")
	keyItemCap        = rules.MustKey[decimal.Decimal](schema, "points_item_cap")
)

var defaultPolicy = rules.Embedded(schema, policyFS, "policy/*.yaml")

// DefaultPolicy returns the embedded rule file policy/points.yaml, loaded
// once. A host overrides thresholds with [rules.Set.Override] or
// [rules.Set.OverrideExpr] on it and passes the result in [Options].
func DefaultPolicy() *rules.Set { return defaultPolicy() }

// Schema returns the declarations rule files of policy "points" are
// checked against.
func Schema() *rules.Schema { return schema }

// Options configures a [Machine] or a [LedgerMachine].
type Options struct {
	// Policy holds the thresholds; nil means [DefaultPolicy]. It must be
	// loaded against [Schema] ([DefaultPolicy] and its overrides are).
	// New and NewLedger panic if Policy was not loaded against Schema(),
	// with "points: New: Options.Policy is a set of policy %q, not loaded
	// against points.Schema()": a programming error, like
	// regexp.MustCompile.
	Policy *rules.Set
	// Clock tells the instant of checkouts, uses and refunds; nil means
	// clock.System{}.
	Clock clock.Clock
}

func (o Options) policy(fn string) *rules.Set {
	if o.Policy == nil {
		return DefaultPolicy()
	}
	if o.Policy.Schema() != Schema() {
		panic(fmt.Sprintf("points: %s: Options.Policy is a set of policy %q, not loaded against points.Schema()", fn, o.Policy.Policy()))
	}
	return o.Policy
}

func (o Options) clock() clock.Clock {
	if o.Clock == nil {
		return clock.System{}
	}
	return o.Clock
}

// Rates are the exchange values of the policy version in force at an
// instant: how many beans and comprehensive points make one yuan, and the
// bean step.
type Rates struct {
	BeansPerYuan  int64 `json:"beans_per_yuan"`
	BeanStep      int64 `json:"bean_step"`
	PointsPerYuan int64 `json:"points_per_yuan"`
}

// RatesAt returns the rates of the policy version in force at t, or an
// error wrapping [ErrPolicy] if a threshold is not in 1 to 1,000,000.
func RatesAt(p *rules.Set, t time.Time) (Rates, error) {
	if p == nil {
		p = DefaultPolicy()
	}
	return ratesOf(p.In(t))
}

func ratesOf(v *rules.Version) (Rates, error) {
	var r Rates
	var err error
	if r.BeansPerYuan, err = positive(v, keyBeansPerYuan); err != nil {
		return r, err
	}
	if r.BeanStep, err = positive(v, keyBeanStep); err != nil {
		return r, err
	}
	if r.PointsPerYuan, err = positive(v, keyPointsPerYuan); err != nil {
		return r, err
	}
	return r, nil
}

// maxRate bounds rates and steps, so that unit arithmetic cannot overflow.
const maxRate = 1_000_000

// positive reads an Int threshold that must be in 1..maxRate.
func positive(v *rules.Version, k rules.Key[int64]) (int64, error) {
	return intIn(v, k, 1, maxRate)
}

// nonNegative reads an Int threshold that must be >= 0.
func nonNegative(v *rules.Version, k rules.Key[int64]) (int64, error) {
	return intIn(v, k, 0, math.MaxInt64)
}

// intIn reads an Int threshold that must be in lo..hi.
func intIn(v *rules.Version, k rules.Key[int64], lo, hi int64) (int64, error) {
	n, err := rules.Get(v, k)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	return n, outOfRange(v, k, n, lo, hi)
}

// outOfRange returns nil if n, the value of k in v, is in lo..hi, and
// otherwise an error wrapping ErrPolicy.
func outOfRange(v *rules.Version, k rules.Key[int64], n, lo, hi int64) error {
	switch {
	case n >= lo && n <= hi:
		return nil
	case hi == math.MaxInt64:
		return fmt.Errorf("%w: %s (%s) is %d, want >= %d (policy %s)", ErrPolicy, k.Name(), k.Rule(), n, lo, v.Date())
	}
	return fmt.Errorf("%w: %s (%s) is %d, want %d to %d (policy %s)", ErrPolicy, k.Name(), k.Rule(), n, lo, hi, v.Date())
}

// explain evaluates k and returns its value and decision, wrapping an
// evaluation error in ErrPolicy.
func explain[T any](v *rules.Version, k rules.Key[T], args ...any) (T, rules.Decision, error) {
	x, d, err := rules.Explain(v, k, args...)
	if err != nil {
		return x, d, fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	return x, d, nil
}

// CheckPolicy returns nil if every version of p holds usable constant
// thresholds, and otherwise an error wrapping [ErrPolicy] naming the first
// that is not: beans_per_yuan, bean_step and points_per_yuan in 1 to
// 1,000,000, points_order_limit and points_annual_cap not negative.
// A host calls it after loading or overriding a set, so that a bad rule
// file is refused once, at load, rather than by every checkout; the
// machines check the same values again when they use them.
func CheckPolicy(p *rules.Set) error {
	if p.Schema() != Schema() {
		return fmt.Errorf("%w: a set of policy %q, not loaded against points.Schema()", ErrPolicy, p.Policy())
	}
	for _, v := range p.Versions() {
		if _, err := ratesOf(v); err != nil {
			return err
		}
		for _, k := range []rules.Key[int64]{keyPointsLimit, keyAnnualCap} {
			if _, err := nonNegative(v, k); err != nil {
				return err
			}
		}
	}
	return nil
}
