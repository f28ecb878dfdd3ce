package rules

// RuleInfo describes one rule of the library's catalogue as the package
// that owns it implements it. Each domain package exports its rules as
// a Catalogue function; the module's rule catalogue (docs/RULES.md) is
// generated from them, so it cannot drift from the code.
type RuleInfo struct {
	ID     string // stable rule ID, e.g. "RFD-5"
	Source string // the clause of the source document, e.g. "TR art.6 §4, DR art.17"
	Rule   string // the rule, in one paragraph
	// Reading is how the library reads the rule where the source is
	// silent or ambiguous ("" when it is not); each reading a host may
	// change is a threshold named in Thresholds.
	Reading string
	// Thresholds names the thresholds of the package's rule file that
	// implement the rule.
	Thresholds []string
}
