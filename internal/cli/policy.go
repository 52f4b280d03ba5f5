package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/registry"
	"github.com/spf13/cobra"
)

// maxCasesFile bounds the table of sample letters 'policy test' reads: thousands of cases,
// and not a file named by mistake held whole in memory.
const maxCasesFile = 4 << 20

// printDecision shows each requirement, who met it, what is missing, and why evidence did not
// count.
func printDecision(w io.Writer, d *policy.Decision) {
	verdict := "the release is allowed"
	if !d.Allowed {
		verdict = "the release is not allowed yet: " + d.Explain()
	}
	fmt.Fprintf(w, "release policy %s: %s\n", d.Policy, verdict)
	if len(d.Rules) > 0 {
		fmt.Fprintf(w, "  rules that apply: %s\n", strings.Join(d.Rules, ", "))
	}
	for _, r := range d.Requirements {
		mark := "ok     "
		if r.Missing > 0 {
			mark = "MISSING"
		}
		by := strings.Join(r.By, ", ")
		if by == "" {
			by = "nobody yet"
		}
		fmt.Fprintf(w, "  %s %s: %s\n", mark, r.Requirement.String(), by)
	}
	for _, n := range d.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
}

// compilePolicy reads and compiles a policy file, or returns every error with its position.
func compilePolicy(name string) (*policy.Policy, []byte, error) {
	// A registry adopts no policy larger than this, so none is checked or tested either.
	src, err := readLimited(name, registry.MaxPolicySize)
	if err != nil {
		return nil, nil, fmt.Errorf("policy file: %w", err)
	}
	p, err := policy.ParseFile(name, src)
	if err != nil {
		return nil, nil, &failed{fmt.Errorf("%s does not compile:\n%w", name, err)}
	}
	return p, src, nil
}

func newPolicy(rm *remote) *cobra.Command {
	c := &cobra.Command{
		Use:   "policy",
		Short: "Release policies as code: check, test, adopt, explain",
		Long: `A release policy is a YAML file of rules: each has a CEL condition over the letter and the
approvals and signatures it requires (see docs/policy-format.md and examples/policy.yaml).
check and test run locally, for an office's own CI; adopt puts a policy in force (logged);
explain shows what a letter still needs.`,
	}
	check := &cobra.Command{
		Use:   "check FILE",
		Short: "Compile and lint a policy file; errors come with line and column",
		Args:  cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if err := asksNoRegistry(c); err != nil {
				return err
			}
			p, _, err := compilePolicy(args[0])
			if err != nil {
				return err
			}
			for _, w := range p.Warnings() {
				fmt.Fprintf(c.ErrOrStderr(), "%s:%d: warning: %s\n", args[0], w.Line, w.Message)
			}
			for _, n := range p.Notes() {
				fmt.Fprintf(c.ErrOrStderr(), "%s:%d: note: %s\n", args[0], n.Line, n.Message)
			}
			fmt.Fprintf(c.OutOrStdout(), "%s: ok: policy %q, %s\n", args[0], p.Name, p.Digest)
			return nil
		},
	}
	test := &cobra.Command{
		Use:   "test FILE CASES",
		Short: "Run a table of sample letters and expected decisions against a policy",
		Args:  cobra.ExactArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			if err := asksNoRegistry(c); err != nil {
				return err
			}
			p, _, err := compilePolicy(args[0])
			if err != nil {
				return err
			}
			cases, err := readLimited(args[1], maxCasesFile)
			if err != nil {
				return fmt.Errorf("cases file: %w", err)
			}
			results, err := policy.RunCases(p, cases)
			if err != nil {
				return &failed{fmt.Errorf("%s:\n%w", args[1], err)}
			}
			w := c.OutOrStdout()
			failures := 0
			for _, r := range results {
				if r.Pass {
					fmt.Fprintf(w, "ok    %s:%d %s\n", args[1], r.Line, r.Name)
					continue
				}
				failures++
				fmt.Fprintf(w, "FAIL  %s:%d %s\n", args[1], r.Line, r.Name)
				for _, f := range r.Failures {
					fmt.Fprintf(w, "      %s\n", f)
				}
			}
			fmt.Fprintf(w, "%d passed, %d failed\n", len(results)-failures, failures)
			if failures > 0 {
				return &failed{fmt.Errorf("%d of %d cases failed", failures, len(results))}
			}
			return nil
		},
	}
	adopt := &cobra.Command{
		Use:   "adopt FILE",
		Short: "Put a policy in force (admin); the adoption is logged with the policy file",
		Long: `Adopt compiles the policy locally, then sends it to the registry, which compiles it again,
logs a policy-adopted entry carrying the file, and puts it in force. Approvals and signatures
given under the previous policy stop counting: reviewers approve again under the new rules.
Under a policy with 'two_admins: true' it proposes the change instead (exit status 4): a
second admin carries it out with 'chancery change approve'.`,
		Args: cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			p, src, err := compilePolicy(args[0])
			var check *failed
			if errors.As(err, &check) {
				// A check that fails is 'policy check's answer (exit status 1); a policy
				// that cannot be adopted is this command's error (exit status 2).
				return check.err
			}
			if err != nil {
				return err
			}
			res, err := cl.AdoptPolicy(ctx(c), src)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "adopted policy %q %s (log entry %d)\n", res.Name, res.Digest, res.LogIndex)
			if p.TwoAdmins() {
				fmt.Fprintln(c.ErrOrStderr(), "chancery: note: two_admins is in force: member and policy changes now wait for a second admin ('chancery change'); accounts made before count as they are: review 'chancery member list' and disable any second account of one person")
			}
			return nil
		}),
	}
	var explainJSON bool
	explain := &cobra.Command{
		Use:   "explain REF",
		Short: "Show each requirement of a letter's release, who met it and what is missing",
		Long: `Explain shows the release decision for a letter's latest version: whether the policy in
force allows it, the rules that apply, each requirement with who met it or what is missing,
and notes on evidence that did not count. --json prints the decision as the API gives it
(allowed, policy, rules, requirements, notes).`,
		Args: cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			v, err := cl.Letter(ctx(c), args[0])
			if err != nil {
				return err
			}
			if v.Decision == nil {
				return errors.New(args[0] + " is " + v.State + ": there is no release left to decide")
			}
			if explainJSON {
				return writeJSON(c.OutOrStdout(), v.Decision)
			}
			printDecision(c.OutOrStdout(), v.Decision)
			return nil
		}),
	}
	addJSONFlag(explain, &explainJSON)
	c.AddCommand(check, test, adopt, explain)
	return c
}
