package coupon

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/rules"
)

// class refines Kind by threshold: the counts of CPN-3 tell threshold-free
// and threshold targeted coupons apart.
type class uint8

const (
	clsGeneral class = iota
	clsTargetedFree
	clsTargetedThreshold
	clsShop
	clsCrossStore
	numClasses
)

var classNames = [numClasses]string{"general", "threshold-free targeted", "threshold targeted", "shop", "cross-store"}

func (c class) String() string { return classNames[c] }

type mline struct {
	id    string
	store int
	amt   int64
}

// mcoupon is a wallet coupon in fen, resolved against the cart.
type mcoupon struct {
	id      string
	kind    Kind
	cls     class
	face    int64
	thr     int64
	store   int   // shop, targeted: its store's index, -1 if not in the cart; general, cross-store: -1
	stores  []int // cross-store: the cart stores it covers
	lines   []int // shop, targeted, cross-store: covered lines (general: the order's lines)
	expiry  time.Time
	refusal *rules.RuleError // why it cannot be used at all; nil if usable
}

// model is a cart and a wallet in fen under one policy at one instant.
type model struct {
	pol        *Policy
	at         time.Time // the checkout instant, UTC
	lines      []mline
	stores     []string
	storeLines [][]int
	storeTotal []int64
	coupons    []mcoupon
	byID       map[string]int
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// newModel checks the cart and the wallet and converts them to fen. A
// malformed input (an amount that is not whole fen, a duplicate ID, a
// kind missing its store) is an ErrInvalid error; a coupon the buyer may
// not use is not an error but is marked with its refusal.
func newModel(cart Cart, w Wallet, pol *Policy, now time.Time) (*model, error) {
	m := &model{pol: pol, byID: map[string]int{}}
	storeIdx := map[string]int{}
	seenLine := map[string]bool{}
	var total int64 // ≤ MaxFen: no sum of discounts or gains overflows
	for i, l := range cart.Lines {
		if l.ID == "" || seenLine[l.ID] {
			return nil, invalid("line %d: empty or duplicate id %q", i, l.ID)
		}
		seenLine[l.ID] = true
		if l.Store == "" {
			return nil, invalid("line %s: no store", l.ID)
		}
		amt, err := money.Amount(l.Amount)
		if err != nil {
			return nil, invalid("line %s: amount: %v", l.ID, err)
		}
		s, ok := storeIdx[l.Store]
		if !ok {
			s = len(m.stores)
			storeIdx[l.Store] = s
			m.stores = append(m.stores, l.Store)
			m.storeLines = append(m.storeLines, nil)
			m.storeTotal = append(m.storeTotal, 0)
		}
		m.lines = append(m.lines, mline{id: l.ID, store: s, amt: amt})
		m.storeLines[s] = append(m.storeLines[s], i)
		m.storeTotal[s] += amt
		if total += amt; total > money.MaxFen {
			return nil, invalid("cart total above %d fen (money.MaxFen)", money.MaxFen)
		}
	}
	for i := range w.Coupons {
		c := &w.Coupons[i]
		if c.ID == "" {
			return nil, invalid("coupon %d: empty id", i)
		}
		if _, dup := m.byID[c.ID]; dup {
			return nil, invalid("coupon %s: duplicate id", c.ID)
		}
		mc := mcoupon{id: c.ID, kind: c.Kind, store: -1, expiry: c.ValidUntil}
		var err error
		if mc.face, err = money.Amount(c.Face); err != nil || mc.face == 0 {
			return nil, invalid("coupon %s: face %s is not a positive valid amount (%v)", c.ID, c.Face, err)
		}
		if mc.thr, err = money.Amount(c.Threshold); err != nil {
			return nil, invalid("coupon %s: threshold: %v", c.ID, err)
		}
		if !c.Status.IsValid() {
			return nil, invalid("coupon %s: invalid status %d", c.ID, uint8(c.Status))
		}
		switch c.Kind {
		case General:
			mc.cls = clsGeneral
		case Targeted:
			mc.cls = clsTargetedFree
			if mc.thr > 0 {
				mc.cls = clsTargetedThreshold
			}
		case Shop:
			mc.cls = clsShop
		case CrossStore:
			mc.cls = clsCrossStore
		default:
			return nil, invalid("coupon %s: invalid kind", c.ID)
		}
		if (c.Kind == Shop || c.Kind == Targeted) && c.Store == "" {
			return nil, invalid("coupon %s: a %s coupon names its store", c.ID, c.Kind)
		}
		if s, ok := storeIdx[c.Store]; ok && c.Store != "" {
			mc.store = s
		}
		switch c.Kind {
		case Shop:
			if mc.store >= 0 {
				mc.lines = m.storeLines[mc.store]
			}
		case Targeted:
			if mc.store >= 0 {
				for _, li := range m.storeLines[mc.store] {
					l := cart.Lines[li]
					if slices.Contains(c.Items, l.Item) || (l.Category != "" && slices.Contains(c.Categories, l.Category)) {
						mc.lines = append(mc.lines, li)
					}
				}
			}
		case CrossStore:
			for s, name := range m.stores {
				if len(c.Stores) == 0 || slices.Contains(c.Stores, name) {
					mc.stores = append(mc.stores, s)
					mc.lines = append(mc.lines, m.storeLines[s]...)
				}
			}
			slices.Sort(mc.lines)
		}
		mc.refusal = usable(c, cart.Buyer, w.Owner, now)
		if mc.refusal == nil && c.Kind != General && len(mc.lines) == 0 {
			mc.refusal = rules.Refuse("CPN-4", ErrNoEligibleLine, "coupon %s covers no line of the cart", c.ID)
		}
		m.byID[c.ID] = len(m.coupons)
		m.coupons = append(m.coupons, mc)
	}
	return m, nil
}

// usable reports why the buyer may not use c at now, or nil.
func usable(c *Coupon, buyer, walletOwner string, now time.Time) *rules.RuleError {
	switch {
	case c.Owner == "" || c.Owner != buyer || (walletOwner != "" && walletOwner != buyer):
		// An ownerless coupon is nobody's, not everybody's: a cart with
		// no buyer must not match it.
		return rules.Refuse("CPN-1", ErrNotOwner, "coupon %s belongs to %q, the buyer is %q", c.ID, c.Owner, buyer)
	case c.Status == Frozen || c.Status == Voided:
		return rules.Refuse("CPN-1", ErrNotAvailable, "coupon %s is %s", c.ID, c.Status)
	case c.Status == Unusable:
		return rules.Refuse("CPN-7", ErrExpired, "coupon %s was given back after its expiry", c.ID)
	case c.Status == Used:
		return rules.Refuse("CPN-1", ErrNotAvailable, "coupon %s is %s", c.ID, c.Status)
	case !c.ValidUntil.IsZero() && !now.Before(c.ValidUntil):
		return rules.Refuse("CPN-7", ErrExpired, "coupon %s expired at %s", c.ID, c.ValidUntil.Format(time.RFC3339))
	case !c.ValidFrom.IsZero() && now.Before(c.ValidFrom):
		return rules.Refuse("CPN-7", ErrNotYetValid, "coupon %s is valid from %s", c.ID, c.ValidFrom.Format(time.RFC3339))
	}
	return nil
}

// coverage returns the lines coupon c covers when used in order (store) o.
func (m *model) coverage(c, o int) []int {
	if m.coupons[c].cls == clsGeneral {
		return m.storeLines[o]
	}
	return m.coupons[c].lines
}

func (m *model) sum(lines []int, amt []int64) int64 {
	var s int64
	for _, l := range lines {
		s += amt[l]
	}
	return s
}

// notional returns the amounts of the lines of store o after the shop
// coupons shops, applied in turn, each spread over the lines in
// proportion to what is left of them: what "after_shop" thresholds are
// judged on (CPN-4).
func (m *model) notional(o int, shops []int, amt []int64) {
	lines := m.storeLines[o]
	for _, l := range lines {
		amt[l] = m.lines[l].amt
	}
	w := make([]int64, len(lines))
	for _, c := range shops {
		for i, l := range lines {
			w[i] = amt[l]
		}
		d := min(m.coupons[c].face, m.sum(lines, amt))
		for i, p := range money.AllocateFenCapped(d, w) {
			amt[lines[i]] -= p
		}
	}
}

// base returns the amount coupon c's threshold is judged on, used in
// order o (or across its stores for a cross-store coupon), given the shop
// coupons of each order (CPN-4 threshold_base).
func (m *model) base(c, o int, shopsOf func(o int) []int) int64 {
	mc := &m.coupons[c]
	afterShop := m.pol.ThresholdBase == BaseAfterShop && mc.cls != clsShop
	if !afterShop {
		var s int64
		for _, l := range m.coverage(c, o) {
			s += m.lines[l].amt
		}
		return s
	}
	amt := make([]int64, len(m.lines))
	orders := []int{o}
	if mc.cls == clsCrossStore {
		orders = mc.stores
	}
	for _, s := range orders {
		m.notional(s, shopsOf(s), amt)
	}
	return m.sum(m.coverage(c, o), amt)
}

// tieKey orders combinations of equal total: fewer coupons first, then
// sooner expiries (a coupon that never expires counts as latest), then
// smaller IDs. The total itself is compared before it.
func (m *model) tieCompare(a, b []int) int {
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	ea, eb := m.sortedExpiries(a), m.sortedExpiries(b)
	for i := range ea {
		if c := compareExpiry(ea[i], eb[i]); c != 0 {
			return c
		}
	}
	ia, ib := m.sortedIDs(a), m.sortedIDs(b)
	return slices.Compare(ia, ib)
}

func compareExpiry(a, b time.Time) int {
	switch {
	case a.Equal(b):
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

func (m *model) sortedExpiries(cs []int) []time.Time {
	out := make([]time.Time, len(cs))
	for i, c := range cs {
		out[i] = m.coupons[c].expiry
	}
	slices.SortFunc(out, compareExpiry)
	return out
}

func (m *model) sortedIDs(cs []int) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = m.coupons[c].id
	}
	slices.Sort(out)
	return out
}

// couponOrder sorts coupon indices by expiry (soonest first), then ID.
func (m *model) couponOrder(cs []int) {
	slices.SortFunc(cs, func(a, b int) int {
		if c := compareExpiry(m.coupons[a].expiry, m.coupons[b].expiry); c != 0 {
			return c
		}
		return cmp.Compare(m.coupons[a].id, m.coupons[b].id)
	})
}
