package policy

import (
	"os"
	"strings"
	"testing"
)

// TestPolicyCommentsWithEmojiOrRLM: a policy whose comments hold an emoji with a variation
// selector or a joiner, an Arabic sentence with a right-to-left mark, or a soft hyphen parses,
// as it did before item 543, whose first form refused them anywhere in the file and closed
// the gate of an office whose adopted policy held one (found by the session's review). Only
// the bidirectional controls that reorder text are refused in comments.
func TestPolicyCommentsWithEmojiOrRLM(t *testing.T) {
	base, err := os.ReadFile("../../examples/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(base); err != nil {
		t.Fatalf("the example: %v", err)
	}
	for name, comment := range map[string]string{
		"warning emoji (U+26A0 U+FE0F)":    "# \u26a0\ufe0f two signatures for force posture\n",
		"judge emoji (ZWJ sequence)":       "# \U0001F469\u200d\u2696\ufe0f legal reviews first\n",
		"Arabic comment with RLM (U+200F)": "# السياسة \u200fv1\u200f للمكتب\n",
		"soft hyphen pasted (U+00AD)":      "# re\u00adlease policy\n",
	} {
		data := []byte(strings.Replace(string(base), "version: 1\n", comment+"version: 1\n", 1))
		if _, err := Parse(data); err != nil {
			t.Errorf("%s: a comment made the policy invalid: %v", name, err)
		}
	}
}
