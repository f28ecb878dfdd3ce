package coupon

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tradepolicy/tradepolicy/rules"
)

// Violation is one reason a combination is refused, or one reason a
// coupon was left out of the best combination: the coupon concerned (empty
// when the violation is about the combination as a whole) and the
// *rules.RuleError carrying the rule ID and wrapping a sentinel.
type Violation struct {
	Coupon string           `json:"coupon,omitempty"`
	Err    *rules.RuleError `json:"-"`
}

// MarshalJSON encodes the violation as
// {"coupon": ..., "rule": "CPN-2", "code": "incompatible", "error": "coupon: coupons cannot be combined", "detail": ...}.
// The code is stable and names the sentinel (see [Code]); the error text
// is for people and is not read back.
func (v Violation) MarshalJSON() ([]byte, error) {
	o := violationJSON{Coupon: v.Coupon}
	if v.Err != nil {
		o.Rule, o.Detail = v.Err.Rule, v.Err.Detail
		if v.Err.Err != nil {
			o.Code, o.Error = Code(v.Err.Err), v.Err.Err.Error()
		}
	}
	if o.Code == "" {
		return nil, fmt.Errorf("coupon: violation of coupon %q: no sentinel to encode", v.Coupon)
	}
	return json.Marshal(o)
}

type violationJSON struct {
	Coupon string `json:"coupon,omitempty"`
	Rule   string `json:"rule"`
	Code   string `json:"code"`
	Error  string `json:"error,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// codes are the stable codes of the sentinels a Violation may wrap.
var codes = []struct {
	code string
	err  error
}{
	{"not_owner", ErrNotOwner}, {"not_available", ErrNotAvailable}, {"expired", ErrExpired},
	{"not_yet_valid", ErrNotYetValid}, {"unknown_coupon", ErrUnknownCoupon}, {"duplicate", ErrDuplicate},
	{"wrong_order", ErrWrongOrder}, {"no_eligible_line", ErrNoEligibleLine}, {"threshold_not_met", ErrThresholdNotMet},
	{"incompatible", ErrIncompatible}, {"too_many", ErrTooMany}, {"no_gain", ErrNoGain}, {"invalid", ErrInvalid},
}

// Code returns the stable code of the package sentinel err is or wraps
// ("threshold_not_met" for [ErrThresholdNotMet], …), or "" if none. A
// stored [Violation] carries it, and decoding restores the sentinel from
// it, never from message text.
func Code(err error) string {
	for _, c := range codes {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	return ""
}

// UnmarshalJSON decodes what MarshalJSON encodes, strictly: the error is
// the package's sentinel of that code, so errors.Is works on a stored
// Choice. An unknown code is an error wrapping [ErrInvalid].
func (v *Violation) UnmarshalJSON(b []byte) error {
	var in violationJSON
	if err := decode(b, &in, "violation"); err != nil {
		return err
	}
	for _, c := range codes {
		if c.code == in.Code {
			*v = Violation{Coupon: in.Coupon, Err: &rules.RuleError{Rule: in.Rule, Err: c.err, Detail: in.Detail}}
			return nil
		}
	}
	return fmt.Errorf("%w: violation: unknown code %q", ErrInvalid, in.Code)
}

// Rule returns the violation's rule ID.
func (v Violation) Rule() string { return v.Err.Rule }

func (v Violation) Error() string { return v.Err.Error() }

// CheckError is a refused combination: every violation found, in a fixed
// order (per coupon in the order given, then counts, combinations and
// thresholds). errors.Is(err, ErrIncompatible) is true when any
// violation wraps ErrIncompatible.
type CheckError struct {
	Violations []Violation
}

func (e *CheckError) Error() string {
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		parts[i] = v.Err.Error()
	}
	return "coupon: combination refused: " + strings.Join(parts, "; ")
}

// Unwrap returns the violations' *rules.RuleError values.
func (e *CheckError) Unwrap() []error {
	out := make([]error, len(e.Violations))
	for i, v := range e.Violations {
		out[i] = v.Err
	}
	return out
}

// plan is a combination resolved against the model: per order (store) the
// coupons used in it, and the cross-store coupons of the checkout.
type plan struct {
	orders [][]int // coupon indices per store, in the order given
	cross  []int
}

func (p *plan) shopsOf(m *model) func(o int) []int {
	return func(o int) []int {
		var out []int
		for _, c := range p.orders[o] {
			if m.coupons[c].cls == clsShop {
				out = append(out, c)
			}
		}
		return out
	}
}

func (p *plan) all() []int {
	var out []int
	for _, cs := range p.orders {
		out = append(out, cs...)
	}
	return append(out, p.cross...)
}

// resolve turns uses into a plan and lists every violation (CPN-1 … CPN-5).
func (m *model) resolve(uses []Use) (*plan, []Violation) {
	var vs []Violation
	add := func(coupon string, e *rules.RuleError) { vs = append(vs, Violation{Coupon: coupon, Err: e}) }
	p := &plan{orders: make([][]int, len(m.stores))}
	seen := map[string]bool{}
	for _, u := range uses {
		ci, ok := m.byID[u.Coupon]
		if !ok {
			add(u.Coupon, rules.Refuse("CPN-1", ErrUnknownCoupon, "coupon %q is not in the buyer's wallet", u.Coupon))
			continue
		}
		if seen[u.Coupon] {
			add(u.Coupon, rules.Refuse("CPN-4", ErrDuplicate, "coupon %s is used twice", u.Coupon))
			continue
		}
		seen[u.Coupon] = true
		c := &m.coupons[ci]
		if c.refusal != nil {
			add(u.Coupon, c.refusal)
			continue
		}
		switch c.cls {
		case clsCrossStore:
			if u.Store != "" {
				add(u.Coupon, rules.Refuse("CPN-5", ErrWrongOrder, "cross-store coupon %s covers its stores, not store %q alone", u.Coupon, u.Store))
				continue
			}
			p.cross = append(p.cross, ci)
		case clsGeneral:
			o := slices.Index(m.stores, u.Store)
			if u.Store == "" && len(m.stores) == 1 {
				o = 0
			}
			if o < 0 {
				add(u.Coupon, rules.Refuse("CPN-4", ErrWrongOrder, "general coupon %s must name one order (store) of the cart, got %q", u.Coupon, u.Store))
				continue
			}
			p.orders[o] = append(p.orders[o], ci)
		default:
			if u.Store != "" && (c.store < 0 || m.stores[c.store] != u.Store) {
				add(u.Coupon, rules.Refuse("CPN-4", ErrWrongOrder, "%s coupon %s cannot be used in store %q", c.kind, u.Coupon, u.Store))
				continue
			}
			p.orders[c.store] = append(p.orders[c.store], ci)
		}
	}
	vs = append(vs, m.checkPlan(p)...)
	return p, vs
}

// checkPlan lists the count, combination and threshold violations of p.
func (m *model) checkPlan(p *plan) []Violation {
	var vs []Violation
	pol := m.pol
	if n := len(p.cross); n > pol.MaxCrossStore {
		vs = append(vs, Violation{Err: rules.Refuse("CPN-5", ErrTooMany, "%d cross-store coupons (%s), at most %d per checkout", n, m.idList(p.cross), pol.MaxCrossStore)})
	}
	touched := make([]bool, len(m.stores))
	for _, c := range p.cross {
		for _, s := range m.coupons[c].stores {
			touched[s] = true
		}
	}
	for o, cs := range p.orders {
		var byClass [numClasses][]int
		for _, c := range cs {
			byClass[m.coupons[c].cls] = append(byClass[m.coupons[c].cls], c)
		}
		if touched[o] {
			for _, c := range p.cross {
				if slices.Contains(m.coupons[c].stores, o) {
					byClass[clsCrossStore] = append(byClass[clsCrossStore], c)
				}
			}
		}
		for cl := clsGeneral; cl < clsCrossStore; cl++ {
			if max, rule := pol.limit(cl); len(byClass[cl]) > max {
				vs = append(vs, Violation{Err: rules.Refuse(rule, ErrTooMany, "store %s: %d %s coupons (%s), at most %d per order", m.stores[o], len(byClass[cl]), cl, m.idList(byClass[cl]), max)})
			}
		}
		for a := clsGeneral; a < numClasses; a++ {
			for b := a + 1; b < numClasses; b++ {
				if len(byClass[a]) == 0 || len(byClass[b]) == 0 {
					continue
				}
				if ok, rule := pol.compatible(a, b); !ok {
					vs = append(vs, Violation{Err: rules.Refuse(rule, ErrIncompatible, "store %s: %s coupons (%s) cannot be combined with %s coupons (%s)",
						m.stores[o], a, m.idList(byClass[a]), b, m.idList(byClass[b]))})
				}
			}
		}
	}
	shops := p.shopsOf(m)
	for o, cs := range p.orders {
		for _, c := range cs {
			if v, ok := m.thresholdViolation(c, o, shops); !ok {
				vs = append(vs, v)
			}
		}
	}
	for _, c := range p.cross {
		if v, ok := m.thresholdViolation(c, -1, shops); !ok {
			vs = append(vs, v)
		}
	}
	return vs
}

// thresholdViolation checks coupon c's threshold in order o.
func (m *model) thresholdViolation(c, o int, shops func(int) []int) (Violation, bool) {
	mc := &m.coupons[c]
	if mc.thr == 0 {
		return Violation{}, true
	}
	b := m.base(c, o, shops)
	if b >= mc.thr {
		return Violation{}, true
	}
	rule := "CPN-3"
	if mc.cls == clsCrossStore {
		rule = "CPN-5"
	}
	return Violation{Coupon: mc.id, Err: rules.Refuse(rule, ErrThresholdNotMet, "coupon %s: eligible amount %s (%s) is below the threshold %s",
		mc.id, fen(b), m.pol.ThresholdBase, fen(mc.thr))}, false
}

func (m *model) idList(cs []int) string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = m.coupons[c].id
	}
	return strings.Join(ids, ", ")
}

// fen formats an amount in fen as yuan.
func fen(f int64) string {
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	return fmt.Sprintf("%s%d.%02d", sign, f/100, f%100)
}
