package order

import (
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

// pinned is what the machine reads of one policy version on its hot
// paths, worked out once in [New] for every version of the set: the
// thresholds are pure functions of the version (and, for
// payment_timeout, of its one input), so a value computed once is the
// value every call would compute. A Machine's pins never change after
// New; a version New did not see (none: a Set is immutable) is judged
// the slow way.
type pinned struct {
	autoConfirm threshold // auto_confirm
	// payOrdinary is payment_timeout for order.activity_limit = 0s (an
	// ordinary order).
	payOrdinary threshold
	extends     bool // auto_confirm_extends
	extendsErr  error
}

// threshold is a window threshold's length with the decision that
// explains it, or the error reading it gave.
type threshold struct {
	d   time.Duration
	dec rules.Decision
	err error
}

func pinAll(p *rules.Set) map[*rules.Version]*pinned {
	vs := p.Versions()
	m := make(map[*rules.Version]*pinned, len(vs))
	for _, v := range vs {
		pin := &pinned{}
		pin.autoConfirm = spanOf(v, keyAutoConfirm)
		pin.payOrdinary = spanOf(v, keyPaymentTimeout, time.Duration(0))
		pin.extends, pin.extendsErr = value(v, keyExtends)
		m[v] = pin
	}
	return m
}

func spanOf(v *rules.Version, k rules.Key[clock.Window], args ...any) threshold {
	d, dec, err := span(v, k, args...)
	return threshold{d, dec, err}
}

// decision returns a copy of the cached decision the caller may keep.
func (th *threshold) decision() rules.Decision {
	d := th.dec
	if len(d.Inputs) > 0 {
		d.Inputs = append([]rules.Used(nil), d.Inputs...)
	}
	return d
}

// autoConfirm is span(t.v, keyAutoConfirm), read from the machine's pins.
func (t *tx) autoConfirm() (time.Duration, rules.Decision, error) {
	if t.pin == nil || t.pin.autoConfirm.err != nil {
		return span(t.v, keyAutoConfirm)
	}
	th := &t.pin.autoConfirm
	return th.d, th.decision(), nil
}

// extends is value(t.v, keyExtends), read from the machine's pins.
func (t *tx) extends() (bool, error) {
	if t.pin == nil || t.pin.extendsErr != nil {
		return value(t.v, keyExtends)
	}
	return t.pin.extends, nil
}

// paymentTimeout is span(v, keyPaymentTimeout, limit); an ordinary
// order's (limit 0s) is read from the machine's pins.
func (m *Machine) paymentTimeout(v *rules.Version, limit time.Duration) (time.Duration, rules.Decision, error) {
	if pin := m.pins[v]; pin != nil && limit == 0 && pin.payOrdinary.err == nil {
		th := &pin.payOrdinary
		return th.d, th.decision(), nil
	}
	return span(v, keyPaymentTimeout, limit)
}
