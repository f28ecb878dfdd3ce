package order

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/internal/wire"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/refund"
)

// Act is one thing the host carries out: one of this package's acts, or
// an act of package refund or coupon that the order re-emits in its own
// outbox with its own effect ID (refund_money, refund_settled,
// give_back_coupons, …). Kind is a stable snake_case name, unique across
// the library, so one union holds them all. The set is closed: an
// [Effect] encodes and decodes exactly the acts of [EffectKinds].
type Act interface {
	Kind() string
}

// Effect is an [Act] with its envelope: an ID unique within the order
// (increasing; [State.Seq] is the last issued), the UTC instant it took
// effect and the rule that requires it. A host writes effects to an outbox
// in the same transaction as the state and carries each out once.
type Effect struct {
	ID   uint64    `json:"id"`
	At   time.Time `json:"at"`
	Rule string    `json:"rule"`
	Act  Act       `json:"-"`
}

// Kind returns the act's kind ("" for a nil act).
func (e Effect) Kind() string {
	if e.Act == nil {
		return ""
	}
	return e.Act.Kind()
}

// FreezeEscrow: an escrow payment's funds are frozen (ORD-13).
type FreezeEscrow struct {
	Amount Fen `json:"amount"`
}

// SettleToMerchant: a direct payment's funds settle to the merchant at
// once (ORD-13).
type SettleToMerchant struct {
	Amount Fen `json:"amount"`
}

// ReleaseEscrow: the frozen funds go to the merchant at completion, net of
// what was refunded (ORD-9, ORD-13), or at closing what no refund took.
type ReleaseEscrow struct {
	Amount   Fen `json:"amount"`
	Refunded Fen `json:"refunded"` // refunded before the release
}

// ReturnPayment: money paid for the order goes back to the buyer by the
// way it was paid: a merchant's cancellation (ORD-10) or a presale deposit
// whose balance was not paid in time (ORD-14).
type ReturnPayment struct {
	Amount Fen    `json:"amount"`
	From   Source `json:"from"`
}

// FundRefund says where the money of a completed refund comes from: the
// frozen escrow funds first, then the merchant's settled funds (ORD-13).
// The refund itself (route, account) is package refund's refund_money.
type FundRefund struct {
	Request      int `json:"request"` // the refund request (package refund)
	FromEscrow   Fen `json:"from_escrow"`
	FromMerchant Fen `json:"from_merchant"`
}

// ShippingCost says who bears the shipping cost of an undeliverable parcel
// (ORD-8): the buyer when the address was wrong or changed without the
// merchant's consent, else the merchant.
type ShippingCost struct {
	Shipment int   `json:"shipment"`
	Payer    Party `json:"payer"`
}

// Notice tells a party something needs it: an urge to ship (ORD-7),
// presale shipping past the agreed time (ORD-14), an order cancelled for
// non-payment (ORD-4).
type Notice struct {
	Party   Party  `json:"party"`
	Subject string `json:"subject"`
}

func (FreezeEscrow) Kind() string     { return "freeze_escrow" }
func (SettleToMerchant) Kind() string { return "settle_to_merchant" }
func (ReleaseEscrow) Kind() string    { return "release_escrow" }
func (ReturnPayment) Kind() string    { return "return_payment" }
func (FundRefund) Kind() string       { return "fund_refund" }
func (ShippingCost) Kind() string     { return "order_shipping_cost" }
func (Notice) Kind() string           { return "order_notice" }

var acts = wire.NewUnion[Act]("order effect", Act.Kind,
	FreezeEscrow{}, SettleToMerchant{}, ReleaseEscrow{}, ReturnPayment{}, FundRefund{}, ShippingCost{}, Notice{},
	refund.RefundMoney{}, refund.ShippingCost{}, refund.SendReturnAddress{}, refund.RevokeTrade{},
	refund.MerchantBearsLoss{}, refund.HoldFunds{}, refund.Notice{}, refund.Settled{},
	coupon.GiveBackCoupons{}, points.GiveBackBeans{}, points.GiveBackPoints{},
	dispute.Notice{}, dispute.ShippingProof{}, dispute.Judged{}, dispute.LockOrder{}, dispute.UnlockOrder{},
	dispute.Measures{}, dispute.RemindMerchant{}, dispute.Escalate{}, dispute.RouteReport{}, dispute.ReportDecided{})

// EffectKinds returns the kinds of every act, sorted.
func EffectKinds() []string { return acts.Names() }

// MarshalJSON writes {"id":1,"at":"…","rule":"ORD-13","type":"freeze_escrow",…}.
func (e Effect) MarshalJSON() ([]byte, error) {
	if e.Act == nil {
		return nil, fmt.Errorf("%w: effect %d has no act", ErrInvalid, e.ID)
	}
	if _, ok := acts.Value(e.Act); !ok {
		return nil, fmt.Errorf("%w: effect %d: %T is not an order effect", ErrInvalid, e.ID, e.Act)
	}
	b, err := acts.EncodeStamped(wire.Stamp{ID: e.ID, At: e.At, Rule: e.Rule}, e.Act)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return b, nil
}

// UnmarshalJSON reads an effect strictly.
func (e *Effect) UnmarshalJSON(data []byte) error {
	st, a, err := acts.DecodeStamped(data)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	*e = Effect{ID: st.ID, At: st.At, Rule: st.Rule, Act: a}
	return nil
}

// DecodeEffect decodes one effect from its JSON form.
func DecodeEffect(data []byte) (Effect, error) {
	var e Effect
	err := e.UnmarshalJSON(data)
	return e, err
}

var _ json.Unmarshaler = (*Effect)(nil)
