package scenario

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxNodes bounds the nodes of one value converted to JSON.
const maxNodes = 100000

// nodeError is a problem at a node.
type nodeError struct {
	node *yaml.Node
	msg  string
}

// toJSON converts a YAML value to JSON: mappings to objects (duplicate
// keys are errors), sequences to arrays, numbers as written (so 10.00
// stays 10.00), booleans, null, everything else as a string. Anchors and
// aliases are not supported.
func toJSON(n *yaml.Node) ([]byte, *nodeError) {
	var b bytes.Buffer
	count := 0
	if err := writeJSON(&b, n, &count, 0); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, n *yaml.Node, count *int, depth int) *nodeError {
	*count++
	if *count > maxNodes || depth > 100 {
		return &nodeError{n, "value too large or too deeply nested"}
	}
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return &nodeError{n, "anchors and aliases are not supported in scenario files"}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			b.WriteString("null")
			return nil
		}
		return writeJSON(b, n.Content[0], count, depth+1)
	case yaml.MappingNode:
		b.WriteByte('{')
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return &nodeError{k, "a key must be a plain name"}
			}
			if seen[k.Value] {
				return &nodeError{k, "duplicate key " + strconv.Quote(k.Value)}
			}
			seen[k.Value] = true
			if i > 0 {
				b.WriteByte(',')
			}
			kb, _ := json.Marshal(k.Value)
			b.Write(kb)
			b.WriteByte(':')
			if err := writeJSON(b, n.Content[i+1], count, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, c, count, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			b.WriteString("null")
		case "!!bool":
			if v, err := strconv.ParseBool(strings.ToLower(n.Value)); err == nil {
				b.WriteString(strconv.FormatBool(v))
			} else {
				return &nodeError{n, "not a boolean: " + strconv.Quote(n.Value)}
			}
		case "!!int", "!!float":
			if !json.Valid([]byte(n.Value)) || strings.ContainsAny(n.Value, "{[\"") {
				return &nodeError{n, "number " + strconv.Quote(n.Value) + " is not written as JSON writes numbers (e.g. 12, 10.50)"}
			}
			b.WriteString(n.Value)
		default:
			s, _ := json.Marshal(n.Value)
			b.Write(s)
		}
	default:
		return &nodeError{n, "unexpected YAML node"}
	}
	return nil
}

// findKey returns the first key node named name in the value n or below,
// for placing a decoding error on the key it names.
func findKey(n *yaml.Node, name string) *yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == name {
				return n.Content[i]
			}
		}
	}
	for _, c := range n.Content {
		if k := findKey(c, name); k != nil {
			return k
		}
	}
	return nil
}

// placeError returns the node a decoding error of value n is about: the
// key its message quotes, if n has one, else n.
func placeError(n *yaml.Node, msg string) *yaml.Node {
	for rest := msg; ; {
		i := strings.IndexByte(rest, '"')
		if i < 0 {
			return n
		}
		rest = rest[i:]
		q, err := strconv.QuotedPrefix(rest)
		if err != nil {
			return n
		}
		rest = rest[len(q):]
		if name, err := strconv.Unquote(q); err == nil {
			if k := findKey(n, name); k != nil {
				return k
			}
		}
	}
}
