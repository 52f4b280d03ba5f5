package cli

import (
	"encoding/json"
	"io"
	"time"

	"github.com/spf13/cobra"
)

// Commands a script reads take --json: their result is one JSON object (or array) on stdout,
// and when they fail, the error is one JSON object on stderr instead of the "chancery: error:"
// and "chancery: hint:" lines, with the same exit status:
//
//	{"error": "release TFN-2026-000042: ...", "hint": "see what the release still needs ..."}
//
// "hint" is left out when there is none.

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
	Error string `json:"error"`
	Hint  string `json:"hint,omitempty"`
}

// wantsJSON reports whether c ran with --json.
func wantsJSON(c *cobra.Command) bool {
	f := c.Flags().Lookup("json")
	return f != nil && f.Value.Type() == "bool" && f.Value.String() == "true"
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
