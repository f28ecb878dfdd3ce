package points

import (
	"errors"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

var shanghai = clock.MustZone("Asia/Shanghai")

// start is the instant every test clock starts at.
var start = time.Date(2024, 3, 1, 10, 0, 0, 0, shanghai)

func yuan(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func newClock() *clock.Manual { return clock.NewManual(start) }

func newMachine(p *rules.Set) (*Machine, *clock.Manual) {
	c := clock.NewManual(start)
	return New(Options{Policy: p, Clock: c}), c
}

// ruleOf returns the rule ID and sentinel of a refusal, or "" and err.
func ruleOf(err error) string {
	var re *rules.RuleError
	if errors.As(err, &re) {
		return re.Rule
	}
	return ""
}

func override(name, expr string) *rules.Set {
	s, err := DefaultPolicy().OverrideExpr(name, expr)
	if err != nil {
		panic(err)
	}
	return s
}
