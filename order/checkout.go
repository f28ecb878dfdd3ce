package order

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Cart is what the buyer submits (ORD-1, ORD-2): items of one or more
// stores, the delivery and invoice details, and for each line what the
// checkout decided about coupons, beans and points ([Alloc]: package
// coupon and package points decide, order stores the outcome; a
// cross-store coupon arrives already apportioned over the lines).
type Cart struct {
	ID       string   `json:"id"`
	Buyer    string   `json:"buyer,omitempty"`
	Stores   []Store  `json:"stores"`
	Items    []Item   `json:"items"`
	Delivery Delivery `json:"delivery"`
	Invoice  Invoice  `json:"invoice"`
	// Coupons is the record of the coupons the checkout used
	// (coupon.Allocation.Redemption), or nil. Each order keeps the
	// coupons only its own lines used, with Orders set to its number;
	// a coupon whose ID appears in the lines of several orders of the
	// checkout (cross-store, CPN-5) is kept by none: the host keeps its
	// record and gives it back with [CheckoutGiveBack].
	Coupons *coupon.Redemption `json:"coupons,omitempty"`
}

// Store is a store of the cart with its payment mode (ORD-13).
type Store struct {
	ID   string `json:"id"`
	Mode Mode   `json:"mode"`
}

// Item is one cart item.
type Item struct {
	ID    string `json:"id"` // becomes the line ID; unique in the cart
	Store string `json:"store"`
	Name  string `json:"name,omitempty"`
	Link  string `json:"link,omitempty"`
	// Type is the item type; "" means the item is a type of its own.
	// An order of several types may ship in parcels (ORD-12).
	Type     string          `json:"type,omitempty"`
	Price    decimal.Decimal `json:"price"`
	Quantity int             `json:"quantity"`
	Stock    int             `json:"stock"` // stock when the order is submitted (ORD-1)
	// Shipping is this item's share of the shipping fee; an order's fee
	// is the sum over its items.
	Shipping decimal.Decimal `json:"shipping,omitzero"`
	// Activity marks a marketing-activity item (flash sale, limited-time
	// sale); ActivityLimit is the activity's own payment limit (ORD-4),
	// zero for the policy's ordinary limit.
	Activity      bool          `json:"activity,omitempty"`
	ActivityLimit time.Duration `json:"activity_limit,omitempty"`
	Installment   bool          `json:"installment,omitempty"` // credit-card installment (ORD-2)
	Presale       *PresaleTerms `json:"presale,omitempty"`     // a presale item (ORD-14)
	// Returns says whether the item supports seven-day no-reason returns
	// (RFD-5), as package refund reads it.
	Returns
	Alloc
}

// special is the order kind an item needs on its own, or Ordinary.
func (it Item) special() Kind {
	switch {
	case it.Presale != nil:
		return Presale
	case it.Activity:
		return Activity
	case it.Installment:
		return Installment
	}
	return Ordinary
}

// Checkout is [Machine.CheckoutAt] at the clock's current instant.
func (m *Machine) Checkout(c Cart) ([]Result, error) { return m.CheckoutAt(c, m.now()) }

// CheckoutAt turns a cart into orders at now (ORD-1, ORD-2, ORD-3): one
// order per store for its ordinary items, and one order of its own for
// each marketing-activity, credit-card-installment or presale item. Each
// order is PendingPayment with its payment deadline (ORD-4; presale: the
// deposit window, ORD-14), numbered by Options.Numbers, and pinned to the
// policy version in force at now. The orders come in the order of their
// first item in the cart; each Result holds the new State with Seq 0.
//
// Refusals are *rules.RuleError: ORD-1 with an [*OutOfStock] listing
// every item whose stock does not cover its quantity, ORD-1 with
// [ErrDuplicate] for a number generator that repeats itself. A malformed
// cart is a plain error wrapping [ErrInvalid].
func (m *Machine) CheckoutAt(c Cart, now time.Time) ([]Result, error) {
	now = now.Round(0).UTC()
	if err := checkCart(c, now); err != nil {
		return nil, fmt.Errorf("order.Checkout: %w: %w", ErrInvalid, err)
	}
	var out []string
	for _, it := range c.Items {
		if it.Stock < it.Quantity {
			out = append(out, it.ID)
		}
	}
	if len(out) > 0 {
		return nil, &rules.RuleError{Op: "order.Checkout", Rule: "ORD-1", Err: &OutOfStock{Items: out},
			Detail: "stock must cover every item's quantity"}
	}
	// Group (ORD-2): ordinary items by store, special items alone.
	type group struct {
		store string
		kind  Kind
		items []Item
	}
	var one [1]group
	var groups []group
	if oneOrder(c.Items) { // the whole cart is one order: read its items as they are
		one[0] = group{store: c.Items[0].Store, kind: Ordinary, items: slices.Clip(c.Items)}
		groups = one[:]
	} else {
		byStore := map[string]int{} // store → index in groups
		for _, it := range c.Items {
			if k := it.special(); k != Ordinary {
				groups = append(groups, group{store: it.Store, kind: k, items: []Item{it}})
				continue
			}
			j, ok := byStore[it.Store]
			if !ok {
				j = len(groups)
				byStore[it.Store] = j
				groups = append(groups, group{store: it.Store, kind: Ordinary, items: make([]Item, 0, len(c.Items))})
			}
			groups[j].items = append(groups[j].items, it)
		}
	}
	v := m.policy.In(now)
	results := make([]Result, 0, len(groups))
	var numbers []string
	for i, g := range groups {
		number, err := m.number(c.ID, i)
		if err != nil {
			return nil, fmt.Errorf("order.Checkout: %w: order number: %w", ErrInvalid, err)
		}
		if number == "" {
			return nil, fmt.Errorf("order.Checkout: %w: empty order number", ErrInvalid)
		}
		if slices.Contains(numbers, number) {
			return nil, &rules.RuleError{Op: "order.Checkout", Rule: "ORD-1", Err: ErrDuplicate, Detail: "number " + number + " given twice"}
		}
		numbers = append(numbers, number)
		mode := Escrow
		for _, st := range c.Stores {
			if st.ID == g.store {
				mode = st.Mode
			}
		}
		s := State{
			Number: number, Checkout: c.ID, Store: g.store, Buyer: c.Buyer, Kind: g.kind, Mode: mode,
			Status: PendingPayment, Version: v.Date(), CreatedAt: now, Last: now,
			Delivery: Delivery{Recipient: c.Delivery.Recipient, Phone: c.Delivery.Phone, Address: c.Delivery.Address},
			Invoice:  c.Invoice,
		}
		s.Lines = make([]Line, 0, len(g.items))
		for _, it := range g.items {
			typ := it.Type
			if typ == "" {
				typ = it.ID
			}
			f := fens(it)
			s.Lines = append(s.Lines, Line{ID: it.ID, Name: it.Name, Link: it.Link, Type: typ, Price: f[0],
				Quantity: it.Quantity, Amount: f[0] * Fen(it.Quantity), Discount: f[1], Coupons: slices.Clone(it.Coupons),
				Beans: it.Beans, BeanValue: f[2], Points: it.Points, PointValue: f[3], Returns: it.Returns})
			s.ShippingFee += f[4]
			if g.kind == Activity {
				s.ActivityLimit = it.ActivityLimit
			}
			if it.Presale != nil {
				p := *it.Presale
				s.Presale = &p
			}
		}
		s.Redemption = ownCoupons(c, g.items, s.Number)
		t := &tx{v: v, s: s, now: now, decisions: make([]rules.Decision, 0, 2)}
		t.note("ORD-2", splitNote[g.kind])
		if s.Presale != nil {
			if deposit(s.Presale) > s.Payable() {
				return nil, fmt.Errorf("order.Checkout: %w: item %s: deposit %s above the payable %s", ErrInvalid, g.items[0].ID, s.Presale.Deposit, s.Payable())
			}
			t.setTimer(DepositTimeout, s.Presale.DepositEnd)
			t.note("ORD-14", "the deposit is due by the end of the deposit window")
		} else {
			d, dec, err := m.paymentTimeout(v, s.ActivityLimit)
			if err != nil {
				return nil, fmt.Errorf("order.Checkout: %w", err)
			}
			t.setTimer(PaymentTimeout, now.Add(d))
			t.decide(dec, "payment due creation + payment_timeout")
		}
		if err := t.s.Validate(); err != nil {
			return nil, fmt.Errorf("order.Checkout: %w", err)
		}
		results = append(results, Result{State: t.s, Decisions: t.decisions, Next: t.s.next()})
	}
	return results, nil
}

var splitNote = [...]string{
	Ordinary:    "the store's ordinary items merged into one order",
	Activity:    "a marketing-activity item: an order of its own",
	Installment: "a credit-card-installment item: an order of its own",
	Presale:     "a presale item: an order of its own",
}

// oneOrder reports whether items are all ordinary items of one store,
// which ORD-2 merges into one order.
func oneOrder(items []Item) bool {
	for _, it := range items {
		if it.special() != Ordinary || it.Store != items[0].Store {
			return false
		}
	}
	return len(items) > 0
}

// fens returns an item's price, discount, bean value, point value and
// shipping in fen (checked by checkCart).
func fens(it Item) [5]Fen {
	var f [5]Fen
	for k, d := range [5]decimal.Decimal{it.Price, it.Discount, it.BeanValue, it.PointValue, it.Shipping} {
		n, _ := money.ToFen(d)
		f[k] = Fen(n)
	}
	return f
}

func (m *Machine) number(cart string, i int) (string, error) {
	if m.numbers == nil {
		return cart + "-" + strconv.Itoa(i+1), nil
	}
	return m.numbers()
}

// checkCart checks the cart's shape and money; stock is ORD-1's business.
func checkCart(c Cart, now time.Time) error {
	switch {
	case c.ID == "":
		return fmt.Errorf("cart without an ID")
	case len(c.Items) == 0:
		return fmt.Errorf("cart %s: no items", c.ID)
	case c.Delivery.Recipient == "" || c.Delivery.Phone == "" || c.Delivery.Address == "":
		return fmt.Errorf("cart %s: delivery needs a recipient, a phone and an address (ORD-3)", c.ID)
	case !c.Invoice.Kind.IsValid():
		return fmt.Errorf("cart %s: invoice kind %v (ORD-3)", c.ID, c.Invoice.Kind)
	case c.Invoice.Kind == SpecialVAT && (c.Invoice.Title == "" || c.Invoice.TaxID == ""):
		return fmt.Errorf("cart %s: a special VAT invoice needs a title and a tax ID", c.ID)
	}
	for i, st := range c.Stores {
		if st.ID == "" || !st.Mode.IsValid() || slices.IndexFunc(c.Stores, func(x Store) bool { return x.ID == st.ID }) != i {
			return fmt.Errorf("store %q: empty, repeated or mode %v", st.ID, st.Mode)
		}
	}
	for i, it := range c.Items {
		if it.ID == "" || slices.IndexFunc(c.Items, func(x Item) bool { return x.ID == it.ID }) != i {
			return fmt.Errorf("item %q empty or repeated", it.ID)
		}
		if !slices.ContainsFunc(c.Stores, func(s Store) bool { return s.ID == it.Store }) {
			return fmt.Errorf("item %s: store %q not in the cart's stores", it.ID, it.Store)
		}
		if it.Quantity < 1 || it.Quantity > 1_000_000 || it.Beans < 0 || it.Points < 0 {
			return fmt.Errorf("item %s: quantity %d, beans %d, points %d", it.ID, it.Quantity, it.Beans, it.Points)
		}
		if it.ActivityLimit < 0 || (it.ActivityLimit > 0 && !it.Activity) {
			return fmt.Errorf("item %s: activity limit %v", it.ID, it.ActivityLimit)
		}
		var f [5]int64
		for k, d := range []decimal.Decimal{it.Price, it.Discount, it.BeanValue, it.PointValue, it.Shipping} {
			var err error
			if f[k], err = money.Amount(d); err != nil {
				return fmt.Errorf("item %s: %w", it.ID, err)
			}
		}
		amount := f[0] * int64(it.Quantity)
		if amount > money.MaxFen {
			return fmt.Errorf("item %s: amount out of range", it.ID)
		}
		if f[1]+f[2]+f[3] > amount {
			return fmt.Errorf("item %s: discount, beans and points exceed the amount", it.ID)
		}
		if p := it.Presale; p != nil {
			if _, err := money.Amount(p.Deposit); err != nil {
				return fmt.Errorf("item %s: deposit: %w", it.ID, err)
			}
			if !p.CreatedBefore(now) || p.ShipWithin < 0 {
				return fmt.Errorf("item %s: presale terms: want now < deposit_end <= balance_start < balance_end (UTC), ship_within >= 0", it.ID)
			}
		}
	}
	return nil
}

// ownCoupons returns the part of the cart's coupon record that only the
// given items (one order's) used, for order number; nil if none.
func ownCoupons(c Cart, mine []Item, number string) *coupon.Redemption {
	if c.Coupons == nil {
		return nil
	}
	ours := func(id string) bool {
		used := false
		for _, it := range c.Items {
			if !slices.Contains(it.Coupons, id) {
				continue
			}
			if !slices.ContainsFunc(mine, func(m Item) bool { return m.ID == it.ID }) {
				return false
			}
			used = true
		}
		return used
	}
	r := coupon.Redemption{Version: c.Coupons.Version, At: c.Coupons.At}
	for _, rd := range c.Coupons.Coupons {
		if ours(rd.Coupon) {
			rd.Orders, rd.Released = []string{number}, nil
			r.Coupons = append(r.Coupons, rd)
		}
	}
	if len(r.Coupons) == 0 {
		return nil
	}
	return &r
}
