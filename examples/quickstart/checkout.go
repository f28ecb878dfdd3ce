package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/order"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/refund"
)

var yuan = decimal.RequireFromString

// good is one thing the buyer puts in the cart.
type good struct {
	id, store, typ string
	price          string
	beanCap        string // the item page's bean cap (PTS-1)
	points         bool   // accepts comprehensive points (PTS-2)
}

// shop is the buyer's checkout: the cart, the coupon wallet and the bean
// and point balances, and what the checkout page decided.
type shop struct {
	goods   []good
	stores  []order.Store
	coupons coupon.Wallet
	balance points.Wallet
	choice  map[string]points.Choice // per store: the beans and points the buyer takes
	uses    []coupon.Use             // the buyer's own coupons; nil: coupon's Best
	alloc   coupon.Allocation        // the coupons' discounts per line, once chosen
}

// couponCart is the cart as coupon sees it: one order per store.
func (b *shop) couponCart() coupon.Cart {
	cc := coupon.Cart{Buyer: b.coupons.Owner}
	for _, g := range b.goods {
		cc.Lines = append(cc.Lines, coupon.Line{ID: g.id, Store: g.store, Item: g.id, Amount: yuan(g.price)})
	}
	return cc
}

// cart makes the order cart: coupon's engine picks the coupons (Best,
// unless the buyer chose her own), points splits the beans and points
// the buyer chose over each store's lines (QuoteAt: the orders have no
// numbers yet; the payment makes the same split with PayAt under the
// order's number).
func (b *shop) cart(w io.Writer, h *host, now time.Time) (order.Cart, error) {
	var err error
	if b.uses == nil {
		best, err := h.coupons.BestAt(b.couponCart(), b.coupons, now)
		if err != nil {
			return order.Cart{}, err
		}
		for _, v := range best.LeftOut {
			fmt.Fprintf(w, "   coupon %s left out: %s\n", v.Coupon, local(v.Err.Error()))
		}
		b.uses, b.alloc = best.Uses, best.Allocation
	} else if b.alloc, err = h.coupons.AllocateAt(b.couponCart(), b.coupons, b.uses, now); err != nil {
		return order.Cart{}, err
	}
	for _, u := range b.uses {
		fmt.Fprintln(w, "   coupon", u.Coupon, "used")
	}
	red := b.alloc.Redemption()
	c := order.Cart{ID: "C7", Buyer: b.coupons.Owner, Stores: b.stores, Coupons: &red, Invoice: order.Invoice{Kind: order.OrdinaryVAT},
		Delivery: order.Delivery{Recipient: "Ann", Phone: "13800000000", Address: "1 Nanjing Rd, Shanghai"}}
	for _, st := range b.stores {
		quote, _, err := h.points.QuoteAt(b.pointsOrder(st.ID, ""), b.balance, h.ledger, b.choice[st.ID], now)
		if err != nil {
			return order.Cart{}, err
		}
		for i, g := range b.goods {
			if g.store != st.ID {
				continue
			}
			l := b.alloc.Lines[i]
			sl, _ := quote.Line(g.id)
			it := order.Item{ID: g.id, Store: g.store, Type: g.typ, Price: l.Amount, Quantity: 1, Stock: 5,
				Returns: order.Returns{NoReason: true}, Alloc: order.Alloc{Discount: l.Discount,
					Beans: sl.Beans, BeanValue: sl.BeanValue, Points: sl.Points, PointValue: sl.PointValue}}
			for _, cd := range b.alloc.Coupons {
				if slices.ContainsFunc(cd.Lines, func(s coupon.LineShare) bool { return s.Line == g.id }) {
					it.Coupons = append(it.Coupons, cd.Coupon)
				}
			}
			fmt.Fprintf(w, "   %s %s: ¥%s - coupons ¥%s - %d beans (¥%s) - %d points (¥%s) = ¥%s\n", g.store, g.id,
				l.Amount.StringFixed(2), l.Discount.StringFixed(2), sl.Beans, sl.BeanValue.StringFixed(2), sl.Points,
				sl.PointValue.StringFixed(2), l.Net.Sub(sl.BeanValue).Sub(sl.PointValue).StringFixed(2))
			c.Items = append(c.Items, it)
		}
	}
	return c, nil
}

// markUsed marks in the wallet the coupons an order keeps, under its number.
func (b *shop) markUsed(s order.State) error {
	for i, cp := range b.coupons.Coupons {
		if s.Redemption != nil && slices.ContainsFunc(s.Redemption.Coupons, func(r coupon.Redeemed) bool { return r.Coupon == cp.ID }) {
			var err error
			if b.coupons.Coupons[i], err = coupon.MarkUsed(cp, s.Number); err != nil {
				return err
			}
		}
	}
	return nil
}

// spend runs points.PayAt for one store's lines under the order ID id.
func (b *shop) spend(h *host, store, id string, now time.Time) (points.Result, error) {
	return h.points.PayAt(b.pointsOrder(store, id), b.balance, h.ledger, b.choice[store], now)
}

// pointsOrder is one store's lines as points sees them: after coupons.
func (b *shop) pointsOrder(store, id string) points.Order {
	po := points.Order{ID: id}
	for i, g := range b.goods {
		if g.store == store {
			l := b.alloc.Lines[i]
			po.Payable = po.Payable.Add(l.Net)
			po.Lines = append(po.Lines, points.Line{ID: g.id, Quantity: 1, Amount: l.Net, BeanCap: yuan(g.beanCap), Points: g.points})
		}
	}
	return po
}

// pay is the buyer paying one order by wallet balance, with the record of
// its beans and points made under the order's number, and points' own
// outbox rows: the debits.
func (b *shop) pay(h *host, number string, now time.Time) (order.Event, []row, error) {
	s := h.rows[number]
	res, err := b.spend(h, s.Store, number, now)
	if err != nil {
		return nil, nil, err
	}
	var debits []row
	for _, e := range res.Effects {
		debits = append(debits, row{number, "points", order.Effect{ID: e.ID, At: e.At, Rule: e.Rule, Act: e.Act}})
	}
	return order.Pay{Number: "P-" + number, Amount: s.Payable().Decimal(), At: now, Spend: &res.State,
		Via: order.Via{Route: refund.WalletBalance, Account: "ann-wallet"}}, debits, nil
}
