package points

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// PTS-1: the bean offer is the least of 99% of payable, the items' caps
// and the balance, in multiples of 100.
func TestOfferBeans(t *testing.T) {
	two := []Line{
		{ID: "a", Quantity: 2, Amount: yuan("60.00"), BeanCap: yuan("10.00")}, // cap 20.00
		{ID: "b", Quantity: 1, Amount: yuan("40.00"), BeanCap: yuan("50.00")}, // cap 40.00 (its amount)
	}
	tests := []struct {
		name    string
		order   Order
		balance int64
		want    BeanOffer
	}{
		{"balance binds, rounded down to the step", Order{Payable: yuan("100.00"), Lines: two}, 1234,
			BeanOffer{Max: 1200, Value: yuan("12"), Step: 100, PayableCap: 9900, ItemCap: 6000, Balance: 1234}},
		{"item caps bind", Order{Payable: yuan("100.00"), Lines: two}, 100000,
			BeanOffer{Max: 6000, Value: yuan("60"), Step: 100, PayableCap: 9900, ItemCap: 6000, Balance: 100000}},
		{"99 percent binds", Order{Payable: yuan("50.00"), Lines: two}, 100000,
			BeanOffer{Max: 4900, Value: yuan("49"), Step: 100, PayableCap: 4950, ItemCap: 6000, Balance: 100000}},
		{"99 percent of 1.01 is under one step", Order{Payable: yuan("1.01"), Lines: two}, 100000,
			BeanOffer{Max: 0, Value: yuan("0"), Step: 100, PayableCap: 99, ItemCap: 6000, Balance: 100000}},
		{"exactly 99 percent on a step", Order{Payable: yuan("100.00"), Lines: []Line{{ID: "a", Quantity: 1, Amount: yuan("100.00"), BeanCap: yuan("100")}}}, 100000,
			BeanOffer{Max: 9900, Value: yuan("99"), Step: 100, PayableCap: 9900, ItemCap: 10000, Balance: 100000}},
		{"items without caps take no beans", Order{Payable: yuan("100.00"), Lines: []Line{{ID: "a", Quantity: 1, Amount: yuan("100.00")}}}, 100000,
			BeanOffer{Max: 0, Value: yuan("0"), Step: 100, PayableCap: 9900, ItemCap: 0, Balance: 100000}},
		{"empty order", Order{}, 500, BeanOffer{Value: yuan("0"), Step: 100, Balance: 500}},
	}
	m, _ := newMachine(nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := m.OfferBeans(tt.order, Wallet{Beans: tt.balance})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpOffer); diff != "" {
				t.Errorf("OfferBeans (-want +got):\n%s", diff)
			}
		})
	}
}

var cmpOffer = cmp.Options{
	cmp.Comparer(func(a, b BeanOffer) bool {
		a.Decisions, b.Decisions = nil, nil
		return a.Max == b.Max && a.Value.Equal(b.Value) && a.Step == b.Step && a.PayableCap == b.PayableCap &&
			a.ItemCap == b.ItemCap && a.Balance == b.Balance
	}),
}

// PTS-1: a refused amount names its exact reason.
func TestBeanCheck(t *testing.T) {
	m, _ := newMachine(nil)
	o := Order{Payable: yuan("50.00"), Lines: []Line{
		{ID: "a", Quantity: 1, Amount: yuan("50.00"), BeanCap: yuan("30.00")},
	}}
	off, err := m.OfferBeans(o, Wallet{Beans: 2500})
	if err != nil {
		t.Fatal(err)
	}
	off2, _ := m.OfferBeans(Order{Payable: yuan("30.00"), Lines: o.Lines}, Wallet{Beans: 1 << 40})
	tests := []struct {
		name  string
		offer BeanOffer
		n     int64
		want  error
	}{
		{"zero", off, 0, nil},
		{"max", off, 2500, nil},
		{"not a multiple of 100", off, 150, ErrBeanStep},
		{"above balance", off, 2600, ErrBeanBalance},
		{"above item caps", off, 3100, ErrBeanItems},
		{"above 99 percent", off2, 3000, ErrBeanPayable},
		{"at 99 percent rounded", off2, 2900, nil},
		{"negative", off, -100, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.offer.Check(tt.n)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Check(%d) = %v, want %v", tt.n, err, tt.want)
			}
			if err != nil && tt.want != ErrInvalid && ruleOf(err) != "PTS-1" {
				t.Errorf("rule = %q, want PTS-1", ruleOf(err))
			}
		})
	}
}

func TestBeanChoices(t *testing.T) {
	m, _ := newMachine(nil)
	off, err := m.OfferBeans(Order{Payable: yuan("5.00"), Lines: []Line{{ID: "a", Quantity: 1, Amount: yuan("5.00"), BeanCap: yuan("5")}}}, Wallet{Beans: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{0, 100, 200, 300, 400}, slices.Collect(off.Choices())); diff != "" {
		t.Errorf("Choices (-want +got):\n%s", diff)
	}
}

// PTS-1: beans are allocated to lines in proportion to their caps,
// exactly, never above a cap.
func TestBeanAllocate(t *testing.T) {
	m, _ := newMachine(nil)
	o := Order{Payable: yuan("100.00"), Lines: []Line{
		{ID: "a", Quantity: 1, Amount: yuan("30.00"), BeanCap: yuan("10.00")},
		{ID: "b", Quantity: 1, Amount: yuan("30.00"), BeanCap: yuan("10.00")},
		{ID: "c", Quantity: 1, Amount: yuan("40.00"), BeanCap: yuan("10.00")},
		{ID: "d", Quantity: 1, Amount: yuan("40.00")},
	}}
	off, err := m.OfferBeans(o, Wallet{Beans: 100000})
	if err != nil {
		t.Fatal(err)
	}
	got, err := off.Allocate(1000)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{334, 333, 333, 0}, got); diff != "" {
		t.Errorf("Allocate (-want +got):\n%s", diff)
	}
	if _, err := off.Allocate(3100); !errors.Is(err, ErrBeanItems) {
		t.Errorf("Allocate(3100) err = %v, want ErrBeanItems", err)
	}
}

// A rate under which a bean is worth less than a fen makes the step a
// multiple of the granule and keeps every allocation whole fen.
func TestBeanGranule(t *testing.T) {
	m, _ := newMachine(override("beans_per_yuan", "1000"))
	off, err := m.OfferBeans(Order{Payable: yuan("10.00"), Lines: []Line{
		{ID: "a", Quantity: 1, Amount: yuan("5.00"), BeanCap: yuan("5")},
		{ID: "b", Quantity: 1, Amount: yuan("5.00"), BeanCap: yuan("5")},
		{ID: "c", Quantity: 1, Amount: yuan("5.00"), BeanCap: yuan("5")},
	}}, Wallet{Beans: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	if off.Step != 100 || off.Max != 9900 {
		t.Errorf("step %d max %d, want 100 and 9900", off.Step, off.Max)
	}
	parts, err := off.Allocate(100)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{40, 30, 30}, parts); diff != "" {
		t.Errorf("Allocate (-want +got):\n%s", diff)
	}
	set := override("beans_per_yuan", "1000")
	set, _ = set.OverrideExpr("bean_step", "4")
	m, _ = newMachine(set)
	off, err = m.OfferBeans(Order{Payable: yuan("10.00"), Lines: []Line{{ID: "a", Quantity: 1, Amount: yuan("10.00"), BeanCap: yuan("10")}}}, Wallet{Beans: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	if off.Step != 20 {
		t.Errorf("step = %d, want lcm(4, 10) = 20", off.Step)
	}
}

func TestOfferBeansInvalid(t *testing.T) {
	m, _ := newMachine(nil)
	for name, o := range map[string]Order{
		"sub-fen payable":   {Payable: yuan("1.001")},
		"negative payable":  {Payable: yuan("-1")},
		"line without ID":   {Payable: yuan("1"), Lines: []Line{{Quantity: 1, Amount: yuan("1")}}},
		"duplicate line":    {Payable: yuan("1"), Lines: []Line{{ID: "a", Quantity: 1}, {ID: "a", Quantity: 1}}},
		"zero quantity":     {Payable: yuan("1"), Lines: []Line{{ID: "a"}}},
		"negative bean cap": {Payable: yuan("1"), Lines: []Line{{ID: "a", Quantity: 1, BeanCap: yuan("-1")}}},
	} {
		if _, err := m.OfferBeans(o, Wallet{}); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	if _, err := m.OfferBeans(Order{}, Wallet{Beans: -1}); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative balance: err = %v, want ErrInvalid", err)
	}
}

// PTS-1: a line's cap is BeanCap × Quantity, at most the line's amount;
// a cap so large that the product passes an int64 of fen is the amount,
// not an invalid order.
func TestBeanCapAboveAmount(t *testing.T) {
	m, _ := newMachine(nil)
	o := Order{Payable: yuan("20.00"), Lines: []Line{
		{ID: "a", Quantity: 1000, Amount: yuan("10.00"), BeanCap: yuan("100000000000000000")},
		{ID: "b", Quantity: 3, Amount: yuan("10.00"), BeanCap: yuan("0.015")}, // 0.045 yuan: 4 fen, rounded down
	}}
	got, err := m.OfferBeans(o, Wallet{Beans: 1 << 40})
	if err != nil {
		t.Fatal(err)
	}
	want := BeanOffer{Max: 1000, Value: yuan("10"), Step: 100, PayableCap: 1980, ItemCap: 1004, Balance: 1 << 40}
	if diff := cmp.Diff(want, got, cmpOffer); diff != "" {
		t.Errorf("OfferBeans (-want +got):\n%s", diff)
	}
}
