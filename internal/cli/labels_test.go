package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestPolicyCheckWarnsUndeclaredClass is issue 12 item 14: policy check warns about a rule
// whose `when` names a class the policy does not declare (a typo that no letter can match).
func TestPolicyCheckWarnsUndeclaredClass(t *testing.T) {
	file := filepath.Join(t.TempDir(), "policy.yaml")
	os.WriteFile(file, []byte(`version: 1
name: typo
classes: [foreign-government]
rules:
  - name: posture
    when: letter.class == "foreign-govermnent"
    require:
      approvals:
        - role: legal
          count: 1
  - name: default
    default: true
    require:
      approvals:
        - role: reviewer
          count: 1
`), 0o644)
	var stdout, stderr bytes.Buffer
	code := cli.Main([]string{"policy", "check", file}, &stdout, &stderr)
	if code != cli.ExitOK || !strings.Contains(stdout.String(), ": ok: policy \"typo\"") ||
		!strings.Contains(stderr.String(), file+`:6: warning: the condition names class "foreign-govermnent", which the policy does not declare (classes: foreign-government)`) {
		t.Errorf("policy check: %d %q %q", code, stdout.String(), stderr.String())
	}
}
