package refund

import (
	"embed"
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

//go:embed policy/*.yaml
var policyFS embed.FS

var schema = rules.MustSchema("refund",
	rules.Decl{Name: "merchant_response", Rule: "RFD-2", Type: rules.Window,
		Doc: "The merchant must act on a refund-only request within this period of the request."},
	rules.Decl{Name: "buyer_feedback", Rule: "RFD-2", Type: rules.Window,
		Doc: "Direct payment, merchant silent: the buyer acts within this period of the feedback, else the request closes."},
	rules.Decl{Name: "refusal_response", Rule: "RFD-2", Type: rules.Window,
		Doc: "After a refusal of a refund-only request the buyer modifies or asks for intervention within this period."},
	rules.Decl{Name: "return_merchant_response", Rule: "RFD-3", Type: rules.Window,
		Doc: "The merchant must act on a return-then-refund request within this period; silence is deemed agreement."},
	rules.Decl{Name: "return_logistics", Rule: "RFD-3", Type: rules.Window,
		Doc: "The buyer submits return logistics within this period of receiving the return address."},
	rules.Decl{Name: "return_refund", Rule: "RFD-3", Type: rules.Window,
		Doc: "After logistics are submitted the merchant confirms receipt and refunds within this period, else the refund is automatic."},
	rules.Decl{Name: "return_refusal_response", Rule: "RFD-3", Type: rules.Window,
		Doc: "After a refusal of a return the buyer asks for intervention or modifies within this period."},
	rules.Decl{Name: "no_reason_window", Rule: "RFD-5", Type: rules.Window,
		Doc: "A no-reason return is requested within this window from signing (calendar days from the next day)."},
	rules.Decl{Name: "no_reason_refund", Rule: "RFD-7", Type: rules.Window,
		Doc: "For a no-reason return the merchant refunds within this period of receiving the goods."},
	rules.Decl{Name: "receipt_refund_all", Rule: "RFD-7", Type: rules.Bool,
		Doc: "Whether the RFD-7 period after receipt binds every return, not only no-reason returns."},
	rules.Decl{Name: "revocation_voucher", Rule: "RFD-9", Type: rules.Window,
		Doc: "A request on unshipped lines revokes the trade at the end of this period unless a shipping voucher predates it."},
)

var (
	merchantResponse       = rules.MustKey[clock.Window](schema, "merchant_response")
	buyerFeedback          = rules.MustKey[clock.Window](schema, "buyer_feedback")
	refusalResponse        = rules.MustKey[clock.Window](schema, "refusal_response")
	returnMerchantResponse = rules.MustKey[clock.Window](schema, "return_merchant_response")
	returnLogistics        = rules.MustKey[clock.Window](schema, "return_logistics")
	returnRefund           = rules.MustKey[clock.Window](schema, "return_refund")
	returnRefusalResponse  = rules.MustKey[clock.Window](schema, "return_refusal_response")
	noReasonWindow         = rules.MustKey[clock.Window](schema, "no_reason_window")
	noReasonRefund         = rules.MustKey[clock.Window](schema, "no_reason_refund")
	revocationVoucher      = rules.MustKey[clock.Window](schema, "revocation_voucher")
	receiptRefundAll       = rules.MustKey[bool](schema, "receipt_refund_all")
)

var defaultPolicy = rules.Embedded(schema, policyFS, "policy/*.yaml")

// DefaultPolicy returns the embedded rule file policy/refund.yaml, loaded
// once. It is immutable and safe for concurrent use.
func DefaultPolicy() *rules.Set { return defaultPolicy() }

// Schema returns the declarations of the refund policy, for loading or
// checking a host's own rule files with [rules.Load].
func Schema() *rules.Schema { return schema }

// deadline evaluates the window threshold k in version v and returns the
// instant it closes for a period that opened at from, with the decision
// that explains it. The window thresholds read no input, so a set loaded
// against Schema (the only kind New accepts) folded them at load and
// evaluation cannot fail; a failure is still returned, wrapping
// ErrPolicy, never assumed away.
func deadline(v *rules.Version, k rules.Key[clock.Window], from time.Time) (time.Time, rules.Decision, error) {
	w, dec, err := rules.Explain(v, k)
	if err != nil {
		return time.Time{}, dec, fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	if w.Duration < 0 {
		// A period cannot end before it opens (rules accepts
		// duration("-1h") as a window; clock.ParseWindow does not).
		return time.Time{}, dec, fmt.Errorf("%w: %s = %v (version %s): negative window", ErrPolicy, k.Name(), w, v.Date())
	}
	return w.End(from, v.Zone()), dec, nil
}
