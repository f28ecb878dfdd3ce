package catalogue

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/order"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/provider"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

var update = flag.Bool("update", false, "rewrite docs/RULES.md")

// families lists every rule family of the library, with the package that
// owns it.
func families() []Family {
	return []Family{
		{Package: "order", Title: "Orders", Prefix: "ORD", Count: 20, Rules: order.Catalogue()},
		{Package: "coupon", Title: "Coupons", Prefix: "CPN", Count: 7, Rules: coupon.Catalogue()},
		{Package: "points", Title: "Beans and points", Prefix: "PTS", Count: 3, Rules: points.Catalogue()},
		{Package: "refund", Title: "Refunds and returns", Prefix: "RFD", Count: 10, Rules: refund.Catalogue()},
		{Package: "dispute", Title: "Disputes", Prefix: "DSP", Count: 12, Rules: dispute.Catalogue()},
		{Package: "provider", Title: "Service-provider violations", Prefix: "PRV", Count: 14, Rules: provider.Catalogue()},
	}
}

// cite reads every Go file of the module for the rule IDs it mentions.
func cite(t *testing.T, root string) Citations {
	c := Citations{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !(strings.HasSuffix(p, ".go") || strings.HasSuffix(p, ".scenario.yaml")) || strings.HasPrefix(p, filepath.Join(root, "internal", "catalogue")) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		c.Cite(filepath.ToSlash(rel), string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCatalogueComplete(t *testing.T) {
	for _, p := range Problems(families(), cite(t, "../..")) {
		t.Error(p)
	}
}

// TestCatalogueThresholds checks that a rule's thresholds are exactly
// the thresholds whose rule file names that rule.
func TestCatalogueThresholds(t *testing.T) {
	decls := map[string]map[string][]string{ // package → rule → thresholds
		"coupon": ruleThresholds(coupon.Schema().Decls()), "points": ruleThresholds(points.Schema().Decls()),
		"refund": ruleThresholds(refund.Schema().Decls()), "order": ruleThresholds(order.Schema().Decls()), "dispute": ruleThresholds(dispute.Schema().Decls()),
		"provider": ruleThresholds(provider.Schema().Decls()),
	}
	for _, f := range families() {
		for _, r := range f.Rules {
			want := decls[f.Package][r.ID]
			if diff := cmp.Diff(want, r.Thresholds, sortStrings); diff != "" {
				t.Errorf("%s %s thresholds (-declared +catalogue):\n%s", f.Package, r.ID, diff)
			}
		}
	}
}

func TestCatalogueFile(t *testing.T) {
	got := Markdown(families(), cite(t, "../.."))
	path := filepath.Join("..", "..", "docs", "RULES.md")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/catalogue -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("docs/RULES.md is stale; run go test ./internal/catalogue -update (-file +generated):\n%s", diff)
	}
}

var sortStrings = cmpopts.SortSlices(func(a, b string) bool { return a < b })

func ruleThresholds(ds []rules.Decl) map[string][]string {
	m := map[string][]string{}
	for _, d := range ds {
		m[d.Rule] = append(m[d.Rule], d.Name)
	}
	return m
}

// The README embeds a shipped scenario; it must be the file as it is.
func TestReadmeEmbedsCurrentFiles(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ fence, file string }{
		{"```yaml\n# An escrow merchant", "scenarios/refund/rfd2-escrow-silence.scenario.yaml"},
	} {
		i := strings.Index(string(readme), c.fence)
		if i < 0 {
			t.Errorf("README has no block %q", c.fence)
			continue
		}
		start := i + strings.Index(c.fence, "\n") + 1
		end := strings.Index(string(readme)[start:], "```")
		block := string(readme)[start : start+end]
		want, err := os.ReadFile(filepath.Join("..", "..", c.file))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(want), block) || len(block) < 200 {
			t.Errorf("README's block from %s is not the start of the current file", c.file)
		}
	}
}

// diagrams are the machines' Mermaid diagrams under the embedded
// defaults, by the golden file each package commits.
var diagrams = map[string]func() string{
	"order/testdata/lifecycle.mmd":      order.Diagram,
	"refund/testdata/refund_only.mmd":   func() string { return refund.Diagram(nil, refund.RefundOnly) },
	"refund/testdata/return_refund.mmd": func() string { return refund.Diagram(nil, refund.ReturnRefund) },
	"dispute/testdata/complaint.mmd":    func() string { return dispute.ComplaintDiagram(nil) },
	"dispute/testdata/report.mmd":       func() string { return dispute.ReportDiagram(nil) },
	"provider/testdata/case.mmd":        func() string { return provider.Diagram(nil) },
}

// mermaidBlocks returns the contents of the ```mermaid blocks of a
// Markdown text, each with its final newline.
func mermaidBlocks(md string) []string {
	const fence = "```mermaid\n"
	var out []string
	for {
		i := strings.Index(md, fence)
		if i < 0 {
			return out
		}
		md = md[i+len(fence):]
		end := strings.Index(md, "```")
		if end < 0 {
			return append(out, md)
		}
		out = append(out, md[:end])
		md = md[end:]
	}
}

// The README's tour embeds every machine's diagram byte for byte: each
// committed golden is the package's Diagram as it draws today, each is in
// the README, and the README has no diagram that is none of them.
func TestReadmeEmbedsEveryDiagram(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := mermaidBlocks(string(readme))
	goldens, err := filepath.Glob(filepath.Join("..", "..", "*", "testdata", "*.mmd"))
	if err != nil {
		t.Fatal(err)
	}
	if len(goldens) != len(diagrams) {
		t.Errorf("%d committed .mmd goldens, %d diagrams listed here: list every machine's", len(goldens), len(diagrams))
	}
	known := map[string]bool{}
	for file, draw := range diagrams {
		b, err := os.ReadFile(filepath.Join("..", "..", file))
		if err != nil {
			t.Error(err)
			continue
		}
		golden := string(b)
		known[golden] = true
		if diff := cmp.Diff(golden, draw()); diff != "" {
			t.Errorf("%s is not the diagram its package draws (-file +drawn):\n%s", file, diff)
		}
		n := 0
		for _, bl := range blocks {
			if bl == golden {
				n++
			}
		}
		if n != 1 {
			t.Errorf("README embeds %s %d times, want once, byte for byte, in a mermaid block", file, n)
		}
	}
	for _, bl := range blocks {
		if !known[bl] {
			first, _, _ := strings.Cut(strings.TrimPrefix(bl, "stateDiagram-v2\n"), "\n")
			t.Errorf("README's mermaid block starting %q is none of the machines' current diagrams", first)
		}
	}
}
