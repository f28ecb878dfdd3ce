package points

import (
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Machine computes what a checkout may offer in beans and points, records
// what an order spent ([Machine.Pay]) and gives it back on refunds
// ([Machine.Apply]). It is safe for concurrent use.
type Machine struct {
	set *rules.Set
	clk clock.Clock
}

// New returns a Machine with the given options; see [Options] for the
// meaning of zero fields.
func New(o Options) *Machine { return &Machine{set: o.policy("New"), clk: o.clock()} }

// Policy returns the rule set the machine judges by.
func (m *Machine) Policy() *rules.Set { return m.set }

// now reads the clock once, stripped of any monotonic reading, in UTC.
func now(c clock.Clock) time.Time { return c.Now().Round(0).UTC() }
