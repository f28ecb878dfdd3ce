// Command override shows a host changing the library's thresholds: from
// its own rule file (policies/order.yaml: seven days to auto-confirm,
// ORD-9) and from code with rules.Set.OverrideExpr (a flash-sale payment
// limit of at most 10 minutes in order's payment_timeout, ORD-4, and beans
// paying at most half an order in points' bean_payable_cap, PTS-1). The
// same checkout and payments are judged under the defaults and under the
// override; then the thresholds changed, and what a broken override gives.
// Instants are explicit, so the output is the same on every run.
package main

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/order"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

//go:embed policies/*.yaml broken/*.yaml
var files embed.FS

// The host's overrides written in code.
const (
	flashSale = `order.activity_limit > duration("0s") ? ` +
		`(order.activity_limit < duration("10m") ? order.activity_limit : duration("10m")) : duration("24h")`
	halfInBeans = `order.payable * decimal("0.5")`
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "override:", err)
		os.Exit(1)
	}
}

var (
	sh   = clock.MustZone("Asia/Shanghai")
	yuan = decimal.RequireFromString
)

func stamp(t time.Time) string { return t.In(sh).Format("01-02 15:04:05") }

// policy is one set of thresholds for both packages.
type policy struct {
	name   string
	order  *rules.Set
	points *rules.Set
}

// hostPolicy loads the host's rule file over order's defaults, then
// replaces payment_timeout and bean_payable_cap from code. Each step
// returns a new set, checked whole.
func hostPolicy() (policy, error) {
	o, err := order.DefaultPolicy().Override(files, "policies/order.yaml")
	if err != nil {
		return policy{}, err
	}
	if o, err = o.OverrideExpr("payment_timeout", flashSale); err != nil {
		return policy{}, err
	}
	if err := order.CheckPolicy(o); err != nil {
		return policy{}, err
	}
	p, err := points.DefaultPolicy().OverrideExpr("bean_payable_cap", halfInBeans)
	if err != nil {
		return policy{}, err
	}
	return policy{name: "override", order: o, points: p}, nil
}

func run(w io.Writer) error {
	host, err := hostPolicy()
	if err != nil {
		return err
	}
	for _, r := range host.order.RunTests() {
		if !r.Passed() {
			return fmt.Errorf("%s:%d: rule-file test %q: %s want %s, got %s (%v)", r.File, r.Line, r.Case, r.Threshold, r.Want, r.Got, r.Err)
		}
	}
	defaults := policy{name: "defaults", order: order.DefaultPolicy(), points: points.DefaultPolicy()}
	for _, p := range []policy{defaults, host} {
		if err := trade(w, p); err != nil {
			return err
		}
	}
	// `go run ./cmd/tradepolicy diff examples/override/policies` shows the
	// file's part (auto_confirm); the code's part is written at <expr>.
	fmt.Fprintln(w, "\n== thresholds the host changed, per version (Version.Expr of both sets)")
	diff(w, defaults.order, host.order)
	diff(w, defaults.points, host.points)
	broken(w)
	return nil
}

// trade checks out the same cart at the start of a Singles' Day sale
// and pays both orders 12 minutes later, then ships and waits for the
// ordinary order to confirm itself.
func trade(w io.Writer, p policy) error {
	fmt.Fprintf(w, "\n== %s\n", p.name)
	start := time.Date(2024, 11, 11, 0, 0, 0, 0, sh)
	m := order.New(order.Options{Policy: p.order})
	cart := order.Cart{
		ID: "c11", Buyer: "ann",
		Stores: []order.Store{{ID: "tea-shop", Mode: order.Escrow}},
		Items: []order.Item{
			{ID: "flash-kettle", Store: "tea-shop", Type: "kettle", Price: yuan("99.00"), Quantity: 1, Stock: 5,
				Activity: true, ActivityLimit: 30 * time.Minute},
			{ID: "longjing", Store: "tea-shop", Type: "tea", Price: yuan("168.00"), Quantity: 1, Stock: 20},
		},
		Delivery: order.Delivery{Recipient: "Li Lei", Phone: "13800000000", Address: "1 Chang'an Ave"},
		Invoice:  order.Invoice{Kind: order.OrdinaryVAT},
	}
	orders, err := m.CheckoutAt(cart, start.Round(0).UTC())
	if err != nil {
		return err
	}
	beans := points.New(points.Options{Policy: p.points})
	for _, r := range orders {
		s := r.State
		fmt.Fprintf(w, "%s checkout %s payable %s, pay by %s (version %s)\n", stamp(s.CreatedAt), s.Number, s.Payable(), stamp(r.Next), s.Version)
		for _, d := range r.Decisions {
			fmt.Fprintln(w, "  decision", decision(d))
		}
		po := points.Order{ID: s.Number, Payable: s.Payable().Decimal()}
		for _, l := range s.Lines {
			po.Lines = append(po.Lines, points.Line{ID: l.ID, Quantity: int64(l.Quantity), Amount: l.Amount.Decimal(), BeanCap: l.Amount.Decimal()})
		}
		offer, err := beans.OfferBeansAt(po, points.Wallet{Beans: 50000}, s.CreatedAt)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  beans offered up to %d (¥%s) of 50000 (PTS-1 bean_payable_cap)\n", offer.Max, offer.Value.StringFixed(2))

		s, err = step(w, m, s, order.Pay{Number: "pay-" + s.Number, Amount: s.Payable().Decimal(), At: start.Add(12 * time.Minute), Via: order.Via{Route: refund.WalletBalance, Account: "buyer-wallet"}})
		if err != nil || s.Status != order.AwaitingShipment {
			continue
		}
		if s, err = step(w, m, s, order.Ship{Lines: []string{s.Lines[0].ID}, Carrier: "SF", Tracking: "SF-" + s.Number, At: start.Add(10 * time.Hour)}); err != nil {
			return err
		}
		fmt.Fprintf(w, "  auto-confirm due %s\n", stamp(s.Next()))
		res := m.AdvanceAt(s, s.Next())
		show(w, res)
		fmt.Fprintf(w, "  → %s\n", res.State.Status)
	}
	return nil
}

// step applies e at its own instant and prints what happened; the state
// returned is always the one to store.
func step(w io.Writer, m *order.Machine, s order.State, e order.Event) (order.State, error) {
	var at time.Time
	switch e := e.(type) {
	case order.Pay:
		at = e.At
	case order.Ship:
		at = e.At
	}
	res, err := m.ApplyAt(s, e, at.Round(0).UTC())
	fmt.Fprintf(w, "%s %s %s\n", stamp(at), e.Name(), s.Number)
	show(w, res)
	if err != nil {
		fmt.Fprintln(w, "  refused:", err)
		return res.State, err
	}
	fmt.Fprintf(w, "  → %s\n", res.State.Status)
	return res.State, nil
}

func show(w io.Writer, res order.Result) {
	for _, e := range res.Effects {
		fmt.Fprintf(w, "  %s effect %d %s (%s)\n", stamp(e.At), e.ID, e.Kind(), e.Rule)
	}
	for _, d := range res.Decisions {
		fmt.Fprintln(w, "  decision", decision(d))
	}
}

// decision prints a decision without the position of its expression.
func decision(d rules.Decision) string {
	d.Source = ""
	return d.String()
}

// diff prints, per version, the thresholds whose expression differs
// between the default set def and the effective set eff, with where the
// new one is written.
func diff(w io.Writer, def, eff *rules.Set) {
	for _, ev := range eff.Versions() {
		base, ok := def.Version(ev.Date())
		if !ok {
			base = def.In(ev.Effective())
		}
		fmt.Fprintf(w, "%s version %s\n", eff.Policy(), ev.Date())
		for _, d := range eff.Schema().Decls() {
			from, _ := base.Expr(d.Name)
			to, _ := ev.Expr(d.Name)
			if from == to {
				continue
			}
			src, _ := ev.Source(d.Name)
			fmt.Fprintf(w, "  %s (%s): %s -> %s  (%s)\n", d.Name, d.Rule, from, to, src)
		}
	}
}

// broken shows that an override with mistakes is refused whole, every
// mistake at file:line:col, and that the set it was applied to is
// unchanged.
func broken(w io.Writer) {
	fmt.Fprintln(w, "\n== a broken override")
	def := order.DefaultPolicy()
	set, err := def.Override(files, "broken/order.yaml")
	fmt.Fprintf(w, "set returned: %v; errors.Is(err, rules.ErrType): %v\n", set != nil, errors.Is(err, rules.ErrType))
	fmt.Fprintln(w, err)
	_, err = def.OverrideExpr("payment_timeout", `order.activity_limit > 0 ? order.activity_limit : duration("2h")`)
	fmt.Fprintln(w, err)
	v, _ := def.Latest().Expr("auto_confirm")
	fmt.Fprintf(w, "defaults still hold auto_confirm = %s (the file's valid line was not applied)\n", v)
}
