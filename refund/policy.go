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
		Doc: "The merchant must act on a refund-only request within this period of the request.", Min: "1s"},
	rules.Decl{Name: "buyer_feedback", Rule: "RFD-2", Type: rules.Window,
		Doc: "Direct payment, merchant silent: the buyer acts within this period of the feedback, else the request closes.", Min: "1s"},
	rules.Decl{Name: "refusal_response", Rule: "RFD-2", Type: rules.Window,
		Doc: "After a refusal of a refund-only request the buyer modifies or asks for intervention within this period.", Min: "1s"},
	rules.Decl{Name: "return_merchant_response", Rule: "RFD-3", Type: rules.Window,
		Doc: "The merchant must act on a return-then-refund request within this period; silence is deemed agreement.", Min: "1s"},
	rules.Decl{Name: "return_logistics", Rule: "RFD-3", Type: rules.Window,
		Doc: "The buyer submits return logistics within this period of receiving the return address.", Min: "1s"},
	rules.Decl{Name: "return_refund", Rule: "RFD-3", Type: rules.Window,
		Doc: "After logistics are submitted the merchant confirms receipt and refunds within this period, else the refund is automatic.", Min: "1s"},
	rules.Decl{Name: "return_refusal_response", Rule: "RFD-3", Type: rules.Window,
		Doc: "After a refusal of a return the buyer asks for intervention or modifies within this period.", Min: "1s"},
	rules.Decl{Name: "no_reason_window", Rule: "RFD-5", Type: rules.Window,
		Doc: "A no-reason return is requested within this window from signing (calendar days from the next day).", Min: "1s"},
	rules.Decl{Name: "no_reason_refuse_after_receipt", Rule: "RFD-5", Type: rules.Bool,
		Doc: "Whether the merchant may refuse a no-reason return of a labelled item after receiving it (the item is not intact)."},
	rules.Decl{Name: "no_reason_buyer_pays_shipping", Rule: "RFD-6", Type: rules.Bool,
		Doc: "Whether the buyer pays both legs of a no-reason return or a refused labelled parcel (only the return leg if the item shipped free)."},
	rules.Decl{Name: "no_reason_refund", Rule: "RFD-7", Type: rules.Window,
		Doc: "For a no-reason return the merchant refunds within this period of receiving the goods.", Min: "1s"},
	rules.Decl{Name: "receipt_refund_all", Rule: "RFD-7", Type: rules.Bool,
		Doc: "Whether the RFD-7 period after receipt binds every return, not only no-reason returns."},
	rules.Decl{Name: "revocation_voucher", Rule: "RFD-9", Type: rules.Window,
		Doc: "A request on unshipped lines revokes the trade at the end of this period unless a shipping voucher predates it.", Min: "1s"},
	rules.Decl{Name: "shipping_fee_with_full_refund", Rule: "RFD-10", Type: rules.Bool,
		Doc: "Whether the outbound shipping fee is refunded with the request that leaves every line of the order refunded in full."},
)

// window thresholds, by index into policyTable.win.
const (
	wMerchantResponse = iota
	wBuyerFeedback
	wRefusalResponse
	wReturnMerchantResponse
	wReturnLogistics
	wReturnRefund
	wReturnRefusalResponse
	wNoReasonWindow
	wNoReasonRefund
	wRevocationVoucher
	nWindows
)

// bool thresholds, by index into policyTable.flag.
const (
	fRefuseAfterReceipt = iota
	fBuyerPaysShipping
	fReceiptRefundAll
	fShippingWithFull
	nFlags
)

var windowKeys = [nWindows]rules.Key[clock.Window]{
	rules.MustKey[clock.Window](schema, "merchant_response"),
	rules.MustKey[clock.Window](schema, "buyer_feedback"),
	rules.MustKey[clock.Window](schema, "refusal_response"),
	rules.MustKey[clock.Window](schema, "return_merchant_response"),
	rules.MustKey[clock.Window](schema, "return_logistics"),
	rules.MustKey[clock.Window](schema, "return_refund"),
	rules.MustKey[clock.Window](schema, "return_refusal_response"),
	rules.MustKey[clock.Window](schema, "no_reason_window"),
	rules.MustKey[clock.Window](schema, "no_reason_refund"),
	rules.MustKey[clock.Window](schema, "revocation_voucher"),
}

var flagKeys = [nFlags]rules.Key[bool]{
	rules.MustKey[bool](schema, "no_reason_refuse_after_receipt"),
	rules.MustKey[bool](schema, "no_reason_buyer_pays_shipping"),
	rules.MustKey[bool](schema, "receipt_refund_all"),
	rules.MustKey[bool](schema, "shipping_fee_with_full_refund"),
}

var defaultPolicy = rules.Embedded(schema, policyFS, "policy/*.yaml")

// DefaultPolicy returns the embedded rule file policy/refund.yaml, loaded
// once. It is immutable and safe for concurrent use.
func DefaultPolicy() *rules.Set { return defaultPolicy() }

// Schema returns the declarations of the refund policy, for loading or
// checking a host's own rule files with [rules.Load].
func Schema() *rules.Schema { return schema }

// policyTable is one version's thresholds, evaluated once when the
// machine is built: every refund threshold reads no input, so a set
// loaded against Schema folds them to constants and a transition only
// indexes this table. Each value comes with its structured decision.
type policyTable struct {
	v       *rules.Version
	win     [nWindows]clock.Window
	winDec  [nWindows]rules.Decision
	flag    [nFlags]bool
	flagDec [nFlags]rules.Decision
	err     error // a threshold that did not evaluate, wrapping ErrPolicy
}

func buildTable(v *rules.Version) *policyTable {
	p := &policyTable{v: v}
	for i, k := range windowKeys {
		w, dec, err := rules.Explain(v, k)
		if err == nil && w.Duration < 0 { // rules refuses these at load; never assumed

			err = fmt.Errorf("%s = %v: negative window", k.Name(), w)
		}
		if err != nil && p.err == nil {
			p.err = fmt.Errorf("%w: version %s: %w", ErrPolicy, v.Date(), err)
		}
		p.win[i], p.winDec[i] = w, dec
	}
	for i, k := range flagKeys {
		b, dec, err := rules.Explain(v, k)
		if err != nil && p.err == nil {
			p.err = fmt.Errorf("%w: version %s: %w", ErrPolicy, v.Date(), err)
		}
		p.flag[i], p.flagDec[i] = b, dec
	}
	return p
}

// end returns the instant window i closes for a period opened at from.
func (p *policyTable) end(i int, from time.Time) time.Time {
	return p.win[i].End(from, p.v.Zone())
}
