package points_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/rules"
)

func yuan(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// A checkout offers beans and points, the buyer pays, and refunds give
// back what the points policy allows.
func Example() {
	paidAt := time.Date(2024, 3, 1, 10, 0, 0, 0, clock.MustZone("Asia/Shanghai"))
	m := points.New(points.Options{})
	order := points.Order{ID: "A1", Payable: yuan("50.00"), Lines: []points.Line{
		{ID: "tea", Quantity: 2, Amount: yuan("30.00"), BeanCap: yuan("10.00"), Points: true},
		{ID: "cup", Quantity: 1, Amount: yuan("20.00"), BeanCap: yuan("5.00")},
	}}
	wallet := points.Wallet{Beans: 3456, Points: 800}

	beans, err := m.OfferBeansAt(order, wallet, paidAt)
	if err != nil {
		panic(err)
	}
	fmt.Println("beans: up to", beans.Max, "=", beans.Value.StringFixed(2), "yuan")
	err = beans.Check(150)
	var re *rules.RuleError
	fmt.Println(errors.Is(err, points.ErrBeanStep), errors.As(err, &re) && re.Rule == "PTS-1", err)

	pay, err := m.PayAt(order, wallet, points.Ledger{}, points.Choice{Beans: 2400, Points: 800}, paidAt)
	if err != nil {
		panic(err)
	}
	for _, l := range pay.State.Lines {
		fmt.Printf("%s: %d beans (%s yuan), %d points (%s yuan)\n", l.Line, l.Beans, l.BeanValue, l.Points, l.PointValue)
	}

	// Receipt confirmed, half of the tea refunded by the merchant: PTS-2
	// gives nothing back, and that is no error.
	at := paidAt.Add(10 * 24 * time.Hour)
	half := points.RefundLine{Line: "tea", Refunded: yuan("1.40"), Paid: yuan("2.80")}
	r1, err := points.RefundOf("A1", 1, "confirmed", false, half)
	if err != nil {
		panic(err)
	}
	res, err := m.ApplyAt(pay.State, r1, at)
	for _, d := range res.Decisions[2:] {
		fmt.Println(d.Threshold, d.Value+":", d.Note)
	}
	fmt.Println(len(res.Effects), "effects,", err)

	// The rest, forced by the back office: everything left goes back.
	all := points.RefundLine{Line: "tea", Refunded: yuan("2.80"), Paid: yuan("2.80"), Done: true}
	r2, _ := points.RefundOf("A1", 2, "confirmed", true, all)
	res, err = m.ApplyAt(res.State, r2, at)
	if err != nil {
		panic(err)
	}
	for _, e := range res.Effects {
		b, _ := json.Marshal(e)
		fmt.Println(string(b))
	}
	// Output:
	// beans: up to 2500 = 25.00 yuan
	// true true points: beans not a multiple of the step (PTS-1): 150 beans, step 100
	// tea: 1920 beans (19.2 yuan), 800 points (8 yuan)
	// cup: 480 beans (4.8 yuan), 0 points (0 yuan)
	// beans_give_back_allowed false: refund A1/1 of order A1 at stage confirmed (forced false): 960 beans stay spent
	// give_back_allowed false: refund A1/1 of order A1 at stage confirmed (forced false): 400 points stay spent
	// 0 effects, <nil>
	// {"id":3,"at":"2024-03-11T02:00:00Z","rule":"PTS-2","type":"give_back_beans","order":"A1","refund":"A1/2","beans":960,"value":"9.6","lines":[{"line":"tea","units":960,"value":"9.6"}]}
	// {"id":4,"at":"2024-03-11T02:00:00Z","rule":"PTS-2","type":"give_back_points","order":"A1","refund":"A1/2","points":400,"value":"4","used_at":"2024-03-01T02:00:00Z","lines":[{"line":"tea","units":400,"value":"4"}]}
}

// The annual cap counts uses per calendar year of the business zone, and
// a redelivered use counts once.
func ExampleLedgerMachine() {
	sh := clock.MustZone("Asia/Shanghai")
	m := points.NewLedger(points.Options{})
	eve := time.Date(2024, 12, 31, 23, 59, 59, 0, sh)
	res, err := m.ApplyAt(points.Ledger{Customer: "C1"}, points.Use{ID: "A1", Points: 13_999_000, UsedAt: eve}, eve)
	if err != nil {
		panic(err)
	}
	again, _ := m.ApplyAt(res.State, points.Use{ID: "A1", Points: 13_999_000, UsedAt: eve}, eve)
	fmt.Println("used", again.State.Used, "next", again.Next.IsZero())

	_, err = m.ApplyAt(res.State, points.Use{ID: "A2", Points: 5000, UsedAt: eve}, eve)
	fmt.Println(err)

	midnight := eve.Add(time.Second) // 2025-01-01 00:00:00 in Shanghai, still 2024 in UTC
	res, _ = m.ApplyAt(res.State, points.Use{ID: "A2", Points: 5000, UsedAt: midnight}, midnight)
	fmt.Println(res.State.Year, res.State.Used)
	// Output:
	// used 13999000 next true
	// points: annual points cap reached (PTS-3): use A2: 5000 points, 13999000 of 14000000 used in 2024
	// 2025 5000
}
