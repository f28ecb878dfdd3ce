package points

import (
	"fmt"
	"iter"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/rules"
)

// BeanOffer is what the checkout may offer an order in beans (PTS-1): any
// multiple of Step from 0 to Max. Max is the least of the three limits,
// rounded down to a multiple of Step. Make one with [Machine.OfferBeans].
type BeanOffer struct {
	Max   int64           `json:"max"`   // beans; a multiple of Step
	Value decimal.Decimal `json:"value"` // Max in yuan
	Step  int64           `json:"step"`  // bean_step, or a multiple of it when a bean is worth less than a fen
	// The limits, in beans, before rounding to the step.
	PayableCap int64 `json:"payable_cap"` // bean_payable_cap of the payable amount (99%)
	ItemCap    int64 `json:"item_cap"`    // the sum of the lines' own caps
	Balance    int64 `json:"balance"`     // the buyer's beans
	// Decisions are the thresholds used, for display and audit.
	Decisions []rules.Decision `json:"decisions,omitempty"`

	unit unit
	caps []int64 // granules per line
}

// OfferBeans returns the beans the checkout may offer order o to a buyer
// holding w.Beans, under the policy version in force now (PTS-1).
func (m *Machine) OfferBeans(o Order, w Wallet) (BeanOffer, error) {
	return m.OfferBeansAt(o, w, now(m.clk))
}

// OfferBeansAt is OfferBeans under the policy version in force at t.
func (m *Machine) OfferBeansAt(o Order, w Wallet, t time.Time) (BeanOffer, error) {
	c, err := checkOrder(o)
	if err != nil {
		return BeanOffer{}, err
	}
	if err := checkWallet(w); err != nil {
		return BeanOffer{}, err
	}
	return offerBeans(m.set.In(t.Round(0).UTC()), c, w.Beans)
}

func offerBeans(v *rules.Version, c checked, balance int64) (BeanOffer, error) {
	rates, err := ratesOf(v)
	if err != nil {
		return BeanOffer{}, err
	}
	u := newUnit(rates.BeansPerYuan)
	step, ok := lcm(rates.BeanStep, u.granule)
	if !ok || step > maxRate*maxRate {
		return BeanOffer{}, fmt.Errorf("%w: bean step %d and rate %d have no usable common multiple", ErrPolicy, rates.BeanStep, rates.BeansPerYuan)
	}
	payable := money.FromFen(c.payable)
	capYuan, dec, err := explain(v, keyBeanPayableCap, payable)
	if err != nil {
		return BeanOffer{}, err
	}
	capFen, err := floorFen(capYuan)
	if err != nil {
		return BeanOffer{}, fmt.Errorf("%w: bean_payable_cap: %w", ErrPolicy, err)
	}
	capFen = min(capFen, c.payable) // never more than is owed, whatever the expression says
	o := BeanOffer{
		Step:       step,
		PayableCap: u.units(u.fenToGranules(capFen)),
		Balance:    balance,
		unit:       u,
		caps:       make([]int64, len(c.beanCap)),
	}
	var items int64
	for i, f := range c.beanCap {
		o.caps[i] = u.fenToGranules(f)
		items += o.caps[i] // fen sums of an int64 payable cannot overflow in practice; saturate anyway
		if items < 0 {
			items = 1<<63 - 1
		}
	}
	o.ItemCap = u.units(items)
	m := min(o.PayableCap, o.ItemCap, o.Balance)
	o.Max = m - m%step
	o.Value = u.value(o.Max)
	o.Decisions = []rules.Decision{
		note(v, keyBeansPerYuan, rates.BeansPerYuan),
		note(v, keyBeanStep, rates.BeanStep),
		dec,
		{Rule: "PTS-1", Policy: v.Policy(), Version: v.Date(), Note: fmt.Sprintf(
			"at most %d beans (%s yuan): payable cap %d, item caps %d, balance %d, multiple of %d",
			o.Max, o.Value.StringFixed(2), o.PayableCap, o.ItemCap, o.Balance, step)},
	}
	return o, nil
}

// Check returns nil if the buyer may pay n beans, and otherwise a
// *rules.RuleError (PTS-1) wrapping the sentinel of the first limit n
// breaks: [ErrBeanStep], [ErrBeanPayable], [ErrBeanItems] or
// [ErrBeanBalance]. A negative n is [ErrInvalid].
func (o BeanOffer) Check(n int64) error {
	switch {
	case n < 0:
		return fmt.Errorf("%w: %d beans", ErrInvalid, n)
	case o.Step <= 0 || n%o.Step != 0:
		return rules.Refuse("PTS-1", ErrBeanStep, "%d beans, step %d", n, o.Step)
	case n > o.PayableCap:
		return rules.Refuse("PTS-1", ErrBeanPayable, "%d beans, at most %d of the payable amount", n, o.PayableCap)
	case n > o.ItemCap:
		return rules.Refuse("PTS-1", ErrBeanItems, "%d beans, items' caps sum to %d", n, o.ItemCap)
	case n > o.Balance:
		return rules.Refuse("PTS-1", ErrBeanBalance, "%d beans, balance %d", n, o.Balance)
	}
	return nil
}

// Choices yields every amount the checkout may offer, 0, Step, 2×Step,
// … up to Max.
func (o BeanOffer) Choices() iter.Seq[int64] {
	return func(yield func(int64) bool) {
		if o.Step <= 0 {
			return
		}
		for n := int64(0); n <= o.Max; n += o.Step {
			if !yield(n) {
				return
			}
		}
	}
}

// Allocate splits n beans (which [BeanOffer.Check] accepts) over the
// order's lines, in proportion to the lines' own caps, by the largest
// remainder method: the parts sum to n, no part exceeds its line's cap,
// and each part is worth a whole number of fen. The result is in line
// order.
func (o BeanOffer) Allocate(n int64) ([]int64, error) {
	if err := o.Check(n); err != nil {
		return nil, err
	}
	return o.unit.allocate(n, o.caps, "beans", "Machine.OfferBeans")
}

// note returns the decision of a folded Int threshold.
func note(v *rules.Version, k rules.Key[int64], x int64) rules.Decision {
	expr, _ := v.Expr(k.Name())
	src, _ := v.Source(k.Name())
	return rules.Decision{Rule: k.Rule(), Policy: v.Policy(), Version: v.Date(), Threshold: k.Name(),
		Expr: expr, Value: rules.FormatValue(x), Source: src}
}
