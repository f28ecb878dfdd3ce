package points

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/wire"
)

// Act is one thing the host carries out: debit or credit a balance. The
// set of acts is closed: [DebitBeans], [DebitPoints], [GiveBackBeans],
// [GiveBackPoints].
type Act interface {
	Kind() string
	act()
}

// Effect is an act with what a host needs to carry it out exactly once:
// an ID unique and increasing within its state (the state's Seq is the
// last one issued), the UTC instant it took effect and the rule that
// requires it. Its JSON form flattens the act with its kind as "type":
//
//	{"id":3,"at":"2024-03-05T02:00:00Z","rule":"PTS-2","type":"give_back_beans","order":"A1",…}
type Effect struct {
	ID   uint64    `json:"id"`
	At   time.Time `json:"at"`
	Rule string    `json:"rule"`
	Act  Act       `json:"-"`
}

// Kind returns the kind of the effect's act, "" for none.
func (e Effect) Kind() string {
	if e.Act == nil {
		return ""
	}
	return e.Act.Kind()
}

var acts = wire.NewUnion[Act]("points effect", Act.Kind, DebitBeans{}, DebitPoints{}, GiveBackBeans{}, GiveBackPoints{})

// EffectKinds returns the kinds of every act, sorted: each is an act's
// Kind and the "type" [DecodeEffect] reads. The slice is the caller's.
func EffectKinds() []string { return acts.Names() }

// MarshalJSON writes {"id":…,"at":…,"rule":…,"type":<kind>,<act's fields>…}.
func (e Effect) MarshalJSON() ([]byte, error) {
	b, err := acts.EncodeStamped(wire.Stamp{ID: e.ID, At: e.At, Rule: e.Rule}, e.Act)
	if err != nil {
		return nil, invalid(err)
	}
	return b, nil
}

// UnmarshalJSON reads an effect strictly: unknown fields, duplicate keys,
// wrong case and a missing id, at or rule are errors wrapping [ErrInvalid].
func (e *Effect) UnmarshalJSON(data []byte) error {
	st, a, err := acts.DecodeStamped(data)
	if err != nil {
		return invalid(err)
	}
	*e = Effect{ID: st.ID, At: st.At, Rule: st.Rule, Act: a}
	return nil
}

// DecodeEffect reads an effect from its JSON form (see [Effect]).
func DecodeEffect(data []byte) (Effect, error) {
	var e Effect
	err := e.UnmarshalJSON(data)
	return e, err
}

// DebitBeans: take Beans (worth Value yuan) from the buyer's bean balance
// for Order (PTS-1).
type DebitBeans struct {
	Order string          `json:"order"`
	Beans int64           `json:"beans"`
	Value decimal.Decimal `json:"value"`
}

// DebitPoints: take Points (worth Value yuan) from the buyer's points
// account for Order (PTS-2), and record the use in the customer's
// [Ledger] with [DebitPoints.Use] (PTS-3). PaidAt is the payment's
// instant (the effect's At).
type DebitPoints struct {
	Order  string          `json:"order"`
	Points int64           `json:"points"`
	Value  decimal.Decimal `json:"value"`
	PaidAt time.Time       `json:"paid_at"`
}

// GiveBackBeans: credit Beans (worth Value yuan at the payment's rate)
// to the buyer's bean balance for refund Refund of Order (PTS-2).
type GiveBackBeans struct {
	Order  string          `json:"order"`
	Refund string          `json:"refund"`
	Beans  int64           `json:"beans"`
	Value  decimal.Decimal `json:"value"`
	Lines  []LineGiveBack  `json:"lines"`
}

// GiveBackPoints: credit Points (worth Value yuan at the payment's rate)
// to the buyer's comprehensive points account for refund Refund of Order
// (PTS-2), and pass [GiveBackPoints.Release] to the customer's [Ledger]
// (PTS-3). UsedAt is the payment's instant.
type GiveBackPoints struct {
	Order  string          `json:"order"`
	Refund string          `json:"refund"`
	Points int64           `json:"points"`
	Value  decimal.Decimal `json:"value"`
	UsedAt time.Time       `json:"used_at"`
	Lines  []LineGiveBack  `json:"lines"`
}

// LineGiveBack is one line's part of a give-back: units (beans or
// points) and their money value in yuan.
type LineGiveBack struct {
	Line  string          `json:"line"`
	Units int64           `json:"units"`
	Value decimal.Decimal `json:"value"`
}

func (DebitBeans) Kind() string     { return "debit_beans" }
func (DebitPoints) Kind() string    { return "debit_points" }
func (GiveBackBeans) Kind() string  { return "give_back_beans" }
func (GiveBackPoints) Kind() string { return "give_back_points" }
func (DebitBeans) act()             {}
func (DebitPoints) act()            {}
func (GiveBackBeans) act()          {}
func (GiveBackPoints) act()         {}

// Use returns the ledger event that records this debit: its ID is the
// order's.
func (d DebitPoints) Use() Use { return Use{ID: d.Order, Points: d.Points, UsedAt: d.PaidAt} }

// Release returns the ledger event that records this give-back: its ID
// is "<order>/<refund>", and it releases the use of the order.
func (g GiveBackPoints) Release() Release {
	return Release{ID: g.Order + "/" + g.Refund, Use: g.Order, Points: g.Points, UsedAt: g.UsedAt}
}
