package dispute

import "github.com/tradepolicy/tradepolicy/internal/enum"

// Every enumeration of this package has an invalid zero value and one
// text form (its snake_case name) in JSON, logs and scenario files.

// enumeration is the method set every enumeration of this package has:
// IsValid reports whether the value is one of the named values other
// than the zero value.
type enumeration interface {
	String() string
	IsValid() bool
	MarshalText() ([]byte, error)
}

var _ = []enumeration{TradeStatus(0), Status(0), Outcome(0), Verdict(0), Remedy(0), Forum(0),
	Unlocking(0), Ground(0), Channel(0), Role(0), ReportKind(0), ReportStatus(0), Missing(0), Level(0)}

// TradeStatus is where the trade a complaint is about stands (DSP-3).
type TradeStatus uint8

const (
	_          TradeStatus = iota // invalid
	Unpaid                        // created, not yet paid: no complaint yet (DSP-3)
	InProgress                    // paid, not completed: complaints at any time (DSP-3)
	Completed                     // completed (交易完成): complaints within complaint_window (DSP-3)
	Cancelled                     // cancelled (已取消): no complaint (DSP-3)
	Closed                        // closed (已关闭): no complaint (DSP-3)
)

var tradeStatusNames = enum.Names{"invalid", "unpaid", "in_progress", "completed", "cancelled", "closed"}

func (s TradeStatus) String() string { return enum.String(tradeStatusNames, s) }
func (s TradeStatus) IsValid() bool  { return enum.IsValid(tradeStatusNames, s) }
func (s TradeStatus) MarshalText() ([]byte, error) {
	return enum.Marshal(tradeStatusNames, s, "dispute: trade status")
}
func (s *TradeStatus) UnmarshalText(b []byte) error {
	return enum.Unmarshal(tradeStatusNames, s, b, "dispute: trade status")
}

// Status is where a complaint stands. Closed is final: no event is
// accepted and no deadline fires.
type Status uint8

const (
	_             Status = iota // invalid
	AwaitingReply               // the merchant replies by the round's reply deadline (DSP-4)
	Overdue                     // day 3 of the round: the buyer may ask for intervention, a late reply is accepted (DSP-5)
	Replied                     // the buyer gives feedback within feedback_period, else satisfied (DSP-6, DSP-7)
	Intervention                // the platform decides (no deadline)
	Plan                        // judged valid with a mediation plan the merchant carries out (DSP-11)
	Arbitration                 // the parties went to arbitration or court; the trade is locked (DSP-9, ORD-19)
	Done                        // final: the complaint has its outcome
)

var statusNames = enum.Names{"invalid", "awaiting_reply", "overdue", "replied", "intervention", "plan", "arbitration", "done"}

func (s Status) String() string               { return enum.String(statusNames, s) }
func (s Status) IsValid() bool                { return enum.IsValid(statusNames, s) }
func (s Status) MarshalText() ([]byte, error) { return enum.Marshal(statusNames, s, "dispute: status") }
func (s *Status) UnmarshalText(b []byte) error {
	return enum.Unmarshal(statusNames, s, b, "dispute: status")
}

// timed reports whether a complaint in status s has a deadline.
func (s Status) timed() bool { return s == AwaitingReply || s == Overdue || s == Replied }

// Outcome is how a complaint ended. Every complaint gets exactly one,
// once; the zero value means "none yet".
type Outcome uint8

const (
	_         Outcome = iota // none yet
	Valid                    // judged valid against the merchant (DSP-5 timeout, a platform decision, a judgment)
	NotValid                 // judged not valid (a platform decision or a judgment)
	Satisfied                // the buyer was silent after a reply: deemed satisfied (DSP-6)
	Withdrawn                // the buyer withdrew the complaint (DSP-3)
	Settled                  // the parties settled by agreement (DSP-9)
)

var outcomeNames = enum.Names{"invalid", "valid", "not_valid", "satisfied", "withdrawn", "settled"}

func (o Outcome) String() string { return enum.String(outcomeNames, o) }
func (o Outcome) IsValid() bool  { return enum.IsValid(outcomeNames, o) }
func (o Outcome) MarshalText() ([]byte, error) {
	return enum.Marshal(outcomeNames, o, "dispute: outcome")
}
func (o *Outcome) UnmarshalText(b []byte) error {
	return enum.Unmarshal(outcomeNames, o, b, "dispute: outcome")
}

// Verdict is a platform decision or a judgment on a complaint.
type Verdict uint8

const (
	_             Verdict = iota // invalid
	VerdictValid                 // the complaint is valid
	VerdictReject                // the complaint is not valid
)

var verdictNames = enum.Names{"invalid", "valid", "not_valid"}

func (v Verdict) String() string { return enum.String(verdictNames, v) }
func (v Verdict) IsValid() bool  { return enum.IsValid(verdictNames, v) }
func (v Verdict) MarshalText() ([]byte, error) {
	return enum.Marshal(verdictNames, v, "dispute: verdict")
}
func (v *Verdict) UnmarshalText(b []byte) error {
	return enum.Unmarshal(verdictNames, v, b, "dispute: verdict")
}

func (v Verdict) outcome() Outcome {
	if v == VerdictValid {
		return Valid
	}
	return NotValid
}

// Remedy is what a platform decision asks of the merchant: the mediation
// plan it must carry out (DSP-11).
type Remedy uint8

const (
	_          Remedy = iota // invalid
	NoRemedy                 // nothing to carry out
	Refund                   // refund the buyer
	Return                   // take the goods back and refund
	Replace                  // send a replacement
	Reship                   // ship the goods (again)
	Compensate               // compensate the buyer
)

var remedyNames = enum.Names{"invalid", "none", "refund", "return", "replace", "reship", "compensate"}

func (r Remedy) String() string               { return enum.String(remedyNames, r) }
func (r Remedy) IsValid() bool                { return enum.IsValid(remedyNames, r) }
func (r Remedy) MarshalText() ([]byte, error) { return enum.Marshal(remedyNames, r, "dispute: remedy") }
func (r *Remedy) UnmarshalText(b []byte) error {
	return enum.Unmarshal(remedyNames, r, b, "dispute: remedy")
}

// Forum is where the parties took a failed mediation (DSP-9).
type Forum uint8

const (
	_        Forum = iota // invalid
	Arbitral              // an arbitration body (仲裁)
	Court                 // litigation (诉讼)
)

var forumNames = enum.Names{"invalid", "arbitration", "litigation"}

func (f Forum) String() string               { return enum.String(forumNames, f) }
func (f Forum) IsValid() bool                { return enum.IsValid(forumNames, f) }
func (f Forum) MarshalText() ([]byte, error) { return enum.Marshal(forumNames, f, "dispute: forum") }
func (f *Forum) UnmarshalText(b []byte) error {
	return enum.Unmarshal(forumNames, f, b, "dispute: forum")
}

// Unlocking is how a lock ends (DSP-9, ORD-19).
type Unlocking uint8

const (
	_                  Unlocking = iota // invalid
	JudgmentExecuted                    // the judgment took effect and was executed
	SettledByAgreement                  // the parties settled
)

var unlockingNames = enum.Names{"invalid", "judgment_executed", "settlement"}

func (u Unlocking) String() string { return enum.String(unlockingNames, u) }
func (u Unlocking) IsValid() bool  { return enum.IsValid(unlockingNames, u) }
func (u Unlocking) MarshalText() ([]byte, error) {
	return enum.Marshal(unlockingNames, u, "dispute: unlocking")
}
func (u *Unlocking) UnmarshalText(b []byte) error {
	return enum.Unmarshal(unlockingNames, u, b, "dispute: unlocking")
}

// Ground is why the platform takes necessary measures (DSP-9).
type Ground uint8

const (
	_      Ground = iota // invalid
	Safety               // the safety of the consumer's person or property
	Rights               // the consumer's lawful rights are otherwise infringed
)

var groundNames = enum.Names{"invalid", "safety", "rights"}

func (g Ground) String() string               { return enum.String(groundNames, g) }
func (g Ground) IsValid() bool                { return enum.IsValid(groundNames, g) }
func (g Ground) MarshalText() ([]byte, error) { return enum.Marshal(groundNames, g, "dispute: ground") }
func (g *Ground) UnmarshalText(b []byte) error {
	return enum.Unmarshal(groundNames, g, b, "dispute: ground")
}

// Channel is how a buyer presses a merchant that does not carry out a
// mediation plan (DSP-11).
type Channel uint8

const (
	_             Channel = iota // invalid
	Messaging                    // the instant messenger (即时通): a reminder to the merchant
	Hotline                      // the customer service hotline: an escalation
	OnlineService                // the online customer service: an escalation
)

var channelNames = enum.Names{"invalid", "messaging", "hotline", "online_service"}

func (c Channel) String() string { return enum.String(channelNames, c) }
func (c Channel) IsValid() bool  { return enum.IsValid(channelNames, c) }
func (c Channel) MarshalText() ([]byte, error) {
	return enum.Marshal(channelNames, c, "dispute: channel")
}
func (c *Channel) UnmarshalText(b []byte) error {
	return enum.Unmarshal(channelNames, c, b, "dispute: channel")
}

// Role is who files a report: a mall member of either side (DSP-8).
type Role uint8

const (
	_        Role = iota // invalid
	Consumer             // a consumer
	Merchant             // a merchant
)

var roleNames = enum.Names{"invalid", "consumer", "merchant"}

func (r Role) String() string                { return enum.String(roleNames, r) }
func (r Role) IsValid() bool                 { return enum.IsValid(roleNames, r) }
func (r Role) MarshalText() ([]byte, error)  { return enum.Marshal(roleNames, r, "dispute: role") }
func (r *Role) UnmarshalText(b []byte) error { return enum.Unmarshal(roleNames, r, b, "dispute: role") }

// ReportKind is what a report is about (DSP-8): the first four are
// product reports, the rest trade reports.
type ReportKind uint8

const (
	_                   ReportKind = iota // invalid
	IPInfringement                        // product: intellectual-property infringement (routed to the platform's IP rules)
	ImageInfringement                     // product: infringing images
	ProhibitedGoods                       // product: prohibited or restricted goods
	ListingViolation                      // product: other violations of the listing rules
	ProhibitedMarketing                   // trade: prohibited marketing information
	CreditSpeculation                     // trade: positive reviews without a real trade
	PriceGouging                          // trade: price gouging (DR art.9)
	CardFraud                             // trade: credit-card counterfeiting or theft
	OtherViolation                        // trade: other violations of law or the mall's rules
)

var reportKindNames = enum.Names{"invalid", "ip_infringement", "image_infringement", "prohibited_goods",
	"listing_violation", "prohibited_marketing", "credit_speculation", "price_gouging", "card_fraud", "other_violation"}

func (k ReportKind) String() string { return enum.String(reportKindNames, k) }
func (k ReportKind) IsValid() bool  { return enum.IsValid(reportKindNames, k) }
func (k ReportKind) MarshalText() ([]byte, error) {
	return enum.Marshal(reportKindNames, k, "dispute: report kind")
}
func (k *ReportKind) UnmarshalText(b []byte) error {
	return enum.Unmarshal(reportKindNames, k, b, "dispute: report kind")
}

// Product reports whether k is a product report (the others are trade
// reports).
func (k ReportKind) Product() bool { return k >= IPInfringement && k <= ListingViolation }

// ReportStatus is where a report stands (DSP-8). Routed, Upheld and
// Dismissed are final.
type ReportStatus uint8

const (
	_         ReportStatus = iota // invalid
	Accepted                      // accepted, waiting for review
	Reviewing                     // under review
	Routed                        // final: handed to the platform's separate rules (IP infringement)
	Upheld                        // final: the report was upheld
	Dismissed                     // final: the report was dismissed
)

var reportStatusNames = enum.Names{"invalid", "accepted", "reviewing", "routed", "upheld", "dismissed"}

func (s ReportStatus) String() string { return enum.String(reportStatusNames, s) }
func (s ReportStatus) IsValid() bool  { return enum.IsValid(reportStatusNames, s) }
func (s ReportStatus) MarshalText() ([]byte, error) {
	return enum.Marshal(reportStatusNames, s, "dispute: report status")
}
func (s *ReportStatus) UnmarshalText(b []byte) error {
	return enum.Unmarshal(reportStatusNames, s, b, "dispute: report status")
}

// Final reports whether a report in status s accepts no more events.
func (s ReportStatus) Final() bool { return s >= Routed }

// Missing is an acceptance condition a filing does not meet (DSP-2).
type Missing uint8

const (
	_          Missing = iota // invalid
	Identity                  // real identity and contact of the filer
	Respondent                // a specific respondent
	Claims                    // specific claims, facts and reasons
	Evidence                  // the necessary evidence
	OnPlatform                // a trade (or listing) on the platform
)

var missingNames = enum.Names{"invalid", "identity", "respondent", "claims", "evidence", "trade"}

func (m Missing) String() string { return enum.String(missingNames, m) }
func (m Missing) IsValid() bool  { return enum.IsValid(missingNames, m) }
func (m Missing) MarshalText() ([]byte, error) {
	return enum.Marshal(missingNames, m, "dispute: missing item")
}
func (m *Missing) UnmarshalText(b []byte) error {
	return enum.Unmarshal(missingNames, m, b, "dispute: missing item")
}

// Level is a penalty on a merchant, in increasing order of severity
// (DSP-10).
type Level uint8

const (
	_               Level = iota // invalid
	SearchDemotion               // goods ranked lower in search (商品搜索降权)
	NoActivities                 // loss of eligibility for some activities (部分活动资格取消)
	NoAds                        // loss of advertising placements (广告推荐位置取消)
	ForcedDelisting              // goods forcibly delisted (商品强制下架)
	Deregistration               // the merchant is deregistered (商户注销)
)

var levelNames = enum.Names{"invalid", "search_demotion", "no_activities", "no_ads", "forced_delisting", "deregistration"}

func (l Level) String() string { return enum.String(levelNames, l) }
func (l Level) IsValid() bool  { return enum.IsValid(levelNames, l) }
func (l Level) MarshalText() ([]byte, error) {
	return enum.Marshal(levelNames, l, "dispute: penalty level")
}
func (l *Level) UnmarshalText(b []byte) error {
	return enum.Unmarshal(levelNames, l, b, "dispute: penalty level")
}

// Levels lists every penalty level, least severe first.
func Levels() []Level {
	return []Level{SearchDemotion, NoActivities, NoAds, ForcedDelisting, Deregistration}
}
