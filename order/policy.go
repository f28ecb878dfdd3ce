package order

import (
	"embed"
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

//go:embed policy/*.yaml
var policyFS embed.FS

var schema = rules.MustSchema("order",
	rules.Decl{Name: "payment_timeout", Rule: "ORD-4", Type: rules.Window,
		Doc: "An unpaid order is cancelled this long after creation; activity orders use their own limit.",
		Inputs: []rules.Input{{Name: "order.activity_limit", Type: rules.Duration,
			Doc: "the activity's own payment limit; 0s for an ordinary order"}}},
	rules.Decl{Name: "auto_confirm", Rule: "ORD-9", Type: rules.Window,
		Doc: "Escrow orders are confirmed automatically this long after the last line shipped."},
	rules.Decl{Name: "auto_confirm_extends", Rule: "ORD-9", Type: rules.Bool,
		Doc: "True: open claims pause the auto-confirm countdown; false: it fires at the later of the original deadline and the last close."},
	rules.Decl{Name: "review_window", Rule: "ORD-20", Type: rules.Window,
		Doc: "A review is allowed within this period after completion."},
	rules.Decl{Name: "follow_up_opens", Rule: "ORD-20", Type: rules.Window,
		Doc: "The follow-up review opens this long after the first review."},
	rules.Decl{Name: "follow_up_closes", Rule: "ORD-20", Type: rules.Window,
		Doc: "The follow-up review closes this long after the first review."},
	rules.Decl{Name: "prohibited_words", Rule: "ORD-20", Type: rules.Strings,
		Doc: "Review content containing one of these words is not displayed."},
	rules.Decl{Name: "inspection_window", Rule: "ORD-18", Type: rules.Window,
		Doc: "What cannot be checked on delivery is checked within this period after signing."},
)

var (
	keyPaymentTimeout = rules.MustKey[clock.Window](schema, "payment_timeout")
	keyAutoConfirm    = rules.MustKey[clock.Window](schema, "auto_confirm")
	keyExtends        = rules.MustKey[bool](schema, "auto_confirm_extends")
	keyReviewWindow   = rules.MustKey[clock.Window](schema, "review_window")
	keyFollowOpens    = rules.MustKey[clock.Window](schema, "follow_up_opens")
	keyFollowCloses   = rules.MustKey[clock.Window](schema, "follow_up_closes")
	keyProhibited     = rules.MustKey[[]string](schema, "prohibited_words")
	keyInspection     = rules.MustKey[clock.Window](schema, "inspection_window")
)

var defaultPolicy = rules.Embedded(schema, policyFS, "policy/*.yaml")

// DefaultPolicy returns the embedded rule file policy/order.yaml, loaded
// once. It is immutable and safe for concurrent use. A host overrides
// thresholds with [rules.Set.Override] or [rules.Set.OverrideExpr] and
// passes the result in [Options].
func DefaultPolicy() *rules.Set { return defaultPolicy() }

// Schema returns the declarations rule files of policy "order" are
// checked against.
func Schema() *rules.Schema { return schema }

// CheckPolicy reports whether every version of p gives thresholds the
// machine can use: every constant window non-negative (package rules
// accepts duration("-1h")), and the follow-up review window not closing
// before it opens. [New] panics on a set that fails it, so a machine never
// meets an unusable constant at run time; a host that builds sets from its
// own files calls CheckPolicy first. The errors wrap [ErrPolicy].
func CheckPolicy(p *rules.Set) error {
	if p.Schema() != schema {
		return fmt.Errorf("%w: a set of policy %q, not loaded against order.Schema()", ErrPolicy, p.Policy())
	}
	for _, v := range p.Versions() {
		var open, closes time.Duration
		for _, k := range []rules.Key[clock.Window]{keyAutoConfirm, keyReviewWindow, keyFollowOpens, keyFollowCloses, keyInspection} {
			w, err := rules.Get(v, k)
			if err != nil {
				return fmt.Errorf("%w: %w", ErrPolicy, err)
			}
			if w.Duration < 0 {
				return fmt.Errorf("%w: %s = %v (version %s): negative window", ErrPolicy, k.Name(), w, v.Date())
			}
			if w.IsCalendar() {
				return fmt.Errorf("%w: %s = %v (version %s): the order's periods are exact durations (N days = N×24h)", ErrPolicy, k.Name(), w, v.Date())
			}
			switch k {
			case keyFollowOpens:
				open = w.Duration
			case keyFollowCloses:
				closes = w.Duration
			}
		}
		if closes < open {
			return fmt.Errorf("%w: follow_up_closes %v before follow_up_opens %v (version %s)", ErrPolicy, closes, open, v.Date())
		}
		if _, err := rules.Get(v, keyExtends); err != nil {
			return fmt.Errorf("%w: %w", ErrPolicy, err)
		}
		if _, err := rules.Get(v, keyProhibited); err != nil {
			return fmt.Errorf("%w: %w", ErrPolicy, err)
		}
	}
	return nil
}

// span evaluates a constant window threshold (checked by CheckPolicy) and
// returns its length with the decision that explains it.
func span(v *rules.Version, k rules.Key[clock.Window], args ...any) (time.Duration, rules.Decision, error) {
	w, dec, err := rules.Explain(v, k, args...)
	if err != nil {
		return 0, dec, fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	if w.Duration < 0 || w.IsCalendar() {
		return 0, dec, fmt.Errorf("%w: %s = %v (version %s): not a non-negative exact duration", ErrPolicy, k.Name(), w, v.Date())
	}
	return w.Duration, dec, nil
}

// value reads a constant threshold without a decision (the hot path).
func value[T any](v *rules.Version, k rules.Key[T]) (T, error) {
	x, err := rules.Get(v, k)
	if err != nil {
		return x, fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	return x, nil
}

// length reads a constant window threshold's duration (the hot path).
func length(v *rules.Version, k rules.Key[clock.Window]) (time.Duration, error) {
	w, err := value(v, k)
	if err != nil {
		return 0, err
	}
	if w.Duration < 0 || w.IsCalendar() {
		return 0, fmt.Errorf("%w: %s = %v (version %s): not a non-negative exact duration", ErrPolicy, k.Name(), w, v.Date())
	}
	return w.Duration, nil
}
