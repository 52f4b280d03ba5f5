package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Commands a script reads take --json: their result is one JSON object (or array) on stdout,
// and when they fail, the error is one JSON object on stderr instead of the "chancery: error:"
// and "chancery: hint:" lines, with the same exit status:
//
//	{"error": "release TFN-2026-000042: ...", "hint": "see what the release still needs ..."}
//
// "hint" is left out when there is none. The command's warnings (a token file others can
// read, a token sent over plain http) are then in "warnings" rather than printed before the
// object, so that stderr holds that one object; when the command succeeds they are printed
// after its result, as "chancery: warning:" lines on stderr.

// addJSONFlag adds --json to c.
func addJSONFlag(c *cobra.Command, asJSON *bool) {
	c.Flags().BoolVar(asJSON, "json", false, "print JSON (on failure, the error as JSON on stderr)")
}

// writeJSON prints v as one line of JSON.
func writeJSON(w io.Writer, v any) error {
	return json.NewEncoder(w).Encode(v)
}

// jsonError is the error a command run with --json prints on stderr.
type jsonError struct {
	Error    string   `json:"error"`
	Hint     string   `json:"hint,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

// heldWarnings are the warnings of a command run with --json, kept until run knows whether
// they go into its JSON error or after its result. Verify's workers write to it at once (a
// kept checkpoint not saved, a seal's checkpoint not compared).
type heldWarnings struct {
	mu    sync.Mutex
	lines []string
}

// heldWarningsKey is the context key of a run's *heldWarnings.
type heldWarningsKey struct{}

// Write keeps each line of p, without its "chancery: warning: " prefix.
func (hw *heldWarnings) Write(p []byte) (int, error) {
	hw.mu.Lock()
	defer hw.mu.Unlock()
	for _, l := range strings.Split(strings.TrimSuffix(string(p), "\n"), "\n") {
		hw.lines = append(hw.lines, strings.TrimPrefix(l, "chancery: warning: "))
	}
	return len(p), nil
}

// flush prints the kept warnings on w as "chancery: warning:" lines.
func (hw *heldWarnings) flush(w io.Writer) {
	for _, l := range hw.lines {
		fmt.Fprintf(w, "chancery: warning: %s\n", l)
	}
	hw.lines = nil
}

// warnings returns where c prints its "chancery: warning:" lines: its stderr, or with
// --json the run's held warnings.
func warnings(c *cobra.Command) io.Writer {
	if hw, ok := c.Context().Value(heldWarningsKey{}).(*heldWarnings); ok && wantsJSON(c) {
		return hw
	}
	return c.ErrOrStderr()
}

// wantsJSON reports whether c ran with --json.
func wantsJSON(c *cobra.Command) bool {
	f := c.Flags().Lookup("json")
	return f != nil && f.Value.Type() == "bool" && f.Value.String() == "true"
}

// askedJSON reports whether args ask c for --json, when parsing them stopped before it: a
// script that passes --json after a flag whose value is refused reads its error as JSON too.
func askedJSON(c *cobra.Command, args []string) bool {
	if f := c.Flags().Lookup("json"); f == nil || f.Value.Type() != "bool" {
		return false
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		var f *pflag.Flag
		switch {
		case a == "--":
			return false
		case a == "--json", a == "--json=true":
			return true
		case strings.HasPrefix(a, "--") && !strings.Contains(a, "="):
			f = c.Flags().Lookup(a[2:])
		case len(a) == 2 && a[0] == '-':
			f = c.Flags().ShorthandLookup(a[1:])
		}
		if f != nil && f.NoOptDefVal == "" {
			i++ // its value, even one that reads "--json"
		}
	}
	return false
}

// nonNil returns s, or an empty slice for nil, so that an empty list prints as [] and not
// null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// humanTime writes a time of day for a person reading the command's output: in UTC, as every
// time the registry keeps, and saying so. --json output keeps RFC 3339.
func humanTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
