package refund

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/money"
)

// However an asked amount is written, the request and its settlement hold
// it as money.FromFen does (exponent -2), with the same JSON; a zero in
// any form asks for what is left of the line. (The machine keeps a
// decimal asked only when it already has that form.)
func TestAmountsWhateverTheirForm(t *testing.T) {
	cases := []struct {
		asked string
		want  int64 // fen
	}{
		{"", 4300}, {"0", 4300}, {"0.00", 4300}, {"0.000", 4300},
		{"10", 1000}, {"10.0", 1000}, {"10.00", 1000}, {"10.000", 1000}, {"43.00", 4300},
	}
	var golden []byte
	for _, c := range cases {
		var asked decimal.Decimal
		if c.asked != "" {
			asked = d(c.asked)
		}
		f := newFixture(t, testOrder())
		f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "B", Amount: asked}}})
		f.at(time.Hour).apply(MerchantAgree{Request: 1})
		r := f.s.Requests[0]
		for name, got := range map[string]decimal.Decimal{"item": r.Items[0].Amount, "settled": r.Settlement.Lines[0].Money,
			"settlement": r.Settlement.Money} {
			if got.Exponent() != -2 || !got.Equal(money.FromFen(c.want)) {
				t.Errorf("asked %q: %s amount %s (exponent %d), want %s", c.asked, name, got, got.Exponent(), money.FromFen(c.want))
			}
		}
		if c.want != 4300 {
			continue
		}
		b, err := json.Marshal(f.res)
		if err != nil {
			t.Fatal(err)
		}
		if golden == nil {
			golden = b
		} else if string(b) != string(golden) {
			t.Errorf("asked %q:\n%s\nwant\n%s", c.asked, b, golden)
		}
	}
}
