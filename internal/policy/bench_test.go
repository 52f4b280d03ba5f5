package policy

import (
	"fmt"
	"strings"
	"testing"
)

// policy50 is a policy of 50 rules in the shape offices write: conditions on the class, tags,
// addressees, subject, size and media type; approvals by role, signatures from a group.
func policy50() string {
	var b strings.Builder
	b.WriteString("version: 1\nname: fifty\ngroups:\n  command-signers: [alice, bob, carol]\n  duty-officers: [dan, erin, fay, gus]\nrules:\n")
	b.WriteString(`  - name: force-posture
    when: letter.class == "foreign-government" && "force-posture" in letter.tags
    require:
      approvals: [{role: legal}, {role: chain-of-command}]
      signatures: [{group: command-signers, count: 2}]
      release_officer: true
      max_approval_age: 72h
`)
	conds := []string{
		`letter.class == "class-%d"`,
		`"tag-%d" in letter.tags`,
		`letter.addressees.exists(a, a.endsWith(".example-%d"))`,
		`letter.subject.contains("topic %d")`,
		`letter.size > %d000000 && letter.media_type == "application/pdf"`,
		`letter.office == "office-%d" || letter.reference.startsWith("REF-%[1]d-")`,
	}
	for i := range 48 {
		fmt.Fprintf(&b, "  - name: rule-%d\n    when: '%s'\n    require:\n", i, strings.ReplaceAll(fmt.Sprintf(conds[i%len(conds)], i), "'", "''"))
		fmt.Fprintf(&b, "      approvals: [{role: role-%d}, {role: reviewer}]\n", i%7)
		if i%2 == 0 {
			fmt.Fprintf(&b, "      signatures: [{group: duty-officers, count: %d}]\n", 1+i%3)
		}
		if i%5 == 0 {
			b.WriteString("      max_approval_age: 168h\n")
		}
	}
	b.WriteString("  - name: default\n    default: true\n    require: {approvals: [{role: reviewer}], signatures: [{role: signer}]}\n")
	return b.String()
}

// BenchmarkDecide50Rules decides the release of a letter that five rules of 50 match.
func BenchmarkDecide50Rules(b *testing.B) {
	p := mustParse(b, policy50())
	f := Facts{Reference: "TFN-2026-000123", Class: "foreign-government", Tags: []string{"force-posture", "tag-7", "tag-13"},
		Addressees: []string{"minister@defence.example-2", "attache@embassy.example", "desk@foreign.example"},
		Subject:    "Posture of the northern brigade, topic 9", Office: "tfn", MediaType: "application/pdf", Size: 250_000,
		Author: "dave", Authors: []string{"dave", "dora"}}
	e := Evidence{Now: now,
		Approvals: []Actor{actor("lena", "legal", "reviewer"), actor("cole", "chain-of-command", "reviewer"),
			actor("ron", "reviewer", "role-0"), actor("rita", "reviewer", "role-1"), actor("rob", "reviewer", "role-2"),
			actor("ray", "reviewer", "role-6"), actor("dave", "reviewer")},
		Signatures: []Actor{actor("alice", "signer"), actor("bob", "signer"), actor("dan", "signer"), actor("erin", "signer")},
		Releaser:   &Actor{Name: "rory", Roles: []string{"release"}},
	}
	d := p.Decide(f, e)
	if len(d.Rules) < 4 {
		b.Fatalf("rules %q", d.Rules)
	}
	b.ReportAllocs()
	for b.Loop() {
		p.Decide(f, e)
	}
}
