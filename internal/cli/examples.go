package cli

import "github.com/spf13/cobra"

// commandExamples are the Examples of the commands' help that their definitions do not carry, by
// command path; addExamples fills them in. TestEveryCommandHasExamples keeps every command
// covered.
var commandExamples = map[string]string{
	"chancery approve": `  chancery approve TFN-2026-000042
  chancery approve TFN-2026-000042 --version sha256:5f42... --comment "legal review done"`,
	"chancery reject": `  chancery reject TFN-2026-000042 --comment "paragraph 2 names the units; remove them"`,
	"chancery audit": `  chancery audit TFN-2026-000042
  chancery audit TFN-2026-000042 --json | jq -r '.[].action'`,
	"chancery draft export": `  chancery draft export TFN-2026-000042 --for "Liaison cell" --out draft.pdf`,
	"chancery key new": `  chancery key new --out sam.key --comment sam@tfn
  CHANCERY_PASSPHRASE_FILE=sam.pass chancery key new --out sam.key --json`,
	"chancery key register":  `  chancery key register sam.key.pub`,
	"chancery key revoke":    `  chancery key revoke 56fae12f7716 --reason "laptop lost on 3 March"`,
	"chancery letter revise": `  chancery letter revise TFN-2026-000042 --file letter.md`,
	"chancery letter show": `  chancery letter show TFN-2026-000042
  chancery letter show TFN-2026-000042 --json | jq .state`,
	"chancery log checkpoint": `  chancery log checkpoint --data /var/lib/chancery > kept.checkpoint`,
	"chancery log key":        `  chancery log key --data /var/lib/chancery`,
	"chancery policy adopt":   `  chancery policy adopt examples/policy.yaml`,
	"chancery policy check":   `  chancery policy check examples/policy.yaml`,
	"chancery policy explain": `  chancery policy explain TFN-2026-000042
  chancery policy explain TFN-2026-000042 --json | jq .allowed`,
	"chancery policy test": `  chancery policy test examples/policy.yaml examples/policy-cases.yaml`,
	"chancery release":     `  chancery release TFN-2026-000042 --out released`,
	"chancery retract":     `  chancery retract TFN-2026-000042 --reason "Sent before coordination ended" --key sam.key`,
	"chancery sign":        `  chancery sign TFN-2026-000042 --key sam.key`,
	"chancery supersede":   `  chancery supersede TFN-2026-000042 --by TFN-2026-000057 --key sam.key`,
	"chancery trust export": `  chancery trust export --out trust.json
  chancery trust export --out - | jq .log_origin`,
}

// addExamples gives the commands under root without Examples theirs from commandExamples.
func addExamples(root *cobra.Command) {
	for _, c := range root.Commands() {
		addExamples(c)
	}
	if root.Example == "" {
		root.Example = commandExamples[root.CommandPath()]
	}
}
