package points_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/rules"
)

// A checkout offers beans, the buyer pays, and a refund gives back.
func Example() {
	c := clock.NewManual(time.Date(2024, 3, 1, 10, 0, 0, 0, clock.MustZone("Asia/Shanghai")))
	m := points.New(points.Options{Clock: c})
	order := points.Order{ID: "A1", Payable: decimal.RequireFromString("50.00"), Lines: []points.Line{
		{ID: "tea", Quantity: 2, Amount: decimal.RequireFromString("30.00"), BeanCap: decimal.RequireFromString("10.00"), Points: true},
		{ID: "cup", Quantity: 1, Amount: decimal.RequireFromString("20.00"), BeanCap: decimal.RequireFromString("5.00")},
	}}
	wallet := points.Wallet{Beans: 3456, Points: 800}

	beans, _ := m.OfferBeans(order, wallet)
	fmt.Println("beans: up to", beans.Max, "=", beans.Value.StringFixed(2), "yuan")
	err := beans.Check(150)
	var re *rules.RuleError
	fmt.Println(errors.Is(err, points.ErrBeanStep), errors.As(err, &re) && re.Rule == "PTS-1", err)

	pts, _ := m.OfferPoints(order, wallet, points.Ledger{}, 2400)
	fmt.Println("points: up to", pts.Max)

	res, _ := m.Pay(order, wallet, points.Ledger{}, points.Choice{Beans: 2400, Points: 800})
	for _, l := range res.State.Lines {
		fmt.Printf("%s: %d beans, %d points\n", l.Line, l.Beans, l.Points)
	}

	// Receipt confirmed: the merchant's agreement is not enough (PTS-2).
	refund := points.Refund{ID: "R1", Stage: points.Received, Approver: points.Merchant,
		Lines: []points.RefundLine{{Line: "tea", Quantity: 1}}}
	_, err = m.Apply(res.State, refund)
	fmt.Println(err)
	refund.Approver = points.BackOffice
	back, _ := m.Apply(res.State, refund)
	for _, e := range back.Effects {
		fmt.Printf("%s %+v\n", e.Kind(), e)
	}
	// Output:
	// beans: up to 2500 = 25.00 yuan
	// true true points: beans not a multiple of the step (PTS-1): 150 beans, step 100
	// points: up to 800
	// tea: 1920 beans, 800 points
	// cup: 480 beans, 0 points
	// points: give-back after receipt needs a back-office forced refund (PTS-2): order A1, refund R1: stage received, approved by merchant
	// give_back_beans {Order:A1 Refund:R1 Beans:960 Lines:[{Line:tea Amount:960}]}
	// give_back_points {Order:A1 Refund:R1 Points:400 UsedAt:2024-03-01 10:00:00 +0800 CST Lines:[{Line:tea Amount:400}]}
}

// The annual cap counts uses per calendar year of the business zone.
func ExampleLedgerMachine() {
	sh := clock.MustZone("Asia/Shanghai")
	c := clock.NewManual(time.Date(2024, 12, 31, 23, 59, 59, 0, sh))
	m := points.NewLedger(points.Options{Clock: c})
	l := points.Ledger{Customer: "C1", Year: 2024, Used: 13_999_000}

	_, err := m.Apply(l, points.Use{Order: "A2", Points: 5000})
	fmt.Println(err)

	c.Advance(time.Second) // 2025-01-01 00:00:00 in Shanghai, still 2024 in UTC
	res, _ := m.Apply(l, points.Use{Order: "A2", Points: 5000})
	fmt.Printf("%+v next %s\n", res.State, res.Next.Format(time.RFC3339))
	// Output:
	// points: annual points cap reached (PTS-3): order A2: 5000 points, 13999000 of 14000000 used in 2024
	// {Customer:C1 Year:2025 Used:5000} next 2026-01-01T00:00:00+08:00
}
