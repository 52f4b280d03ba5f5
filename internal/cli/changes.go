package cli

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/registry"
	"github.com/spf13/cobra"
)

// proposedExit reports a change proposed instead of made (the policy in force has
// two_admins) and returns ExitProposed: on stdout as JSON for --json, else on stderr with
// what the second admin runs. Nothing goes to stdout otherwise, where a script reading a
// token would find none.
func proposedExit(c *cobra.Command, pc *registry.ChangeView, err error, stdout, stderr io.Writer) int {
	if c != nil && wantsJSON(c) {
		writeJSON(stdout, map[string]any{"change": pc, "message": err.Error()})
		return ExitProposed
	}
	fmt.Fprintf(stderr, "chancery: %s\n", printable(err.Error()))
	fmt.Fprintf(stderr, "chancery: hint: another admin carries it out with 'chancery change approve %d' (the new token, if any, goes to them), or refuses it with 'chancery change refuse %d'\n", pc.ID, pc.ID)
	return ExitProposed
}

func newChange(rm *remote) *cobra.Command {
	c := &cobra.Command{
		Use:   "change",
		Short: "Changes waiting for a second admin: list, show, approve, refuse (admin)",
		Long: `When the policy in force has 'two_admins: true', the changes that decide who may approve
and sign are proposed by one admin and carried out only when a second admin approves them:
adding a member, giving a role, a new token for another member, enabling a member,
adopting a policy (also one without two_admins), and adding or removing a witness or
setting the witness quorum. Commands that propose such a change print
its number and exit with status 4. The admin who approves it receives what it makes (a new
member's or a new token, printed once) and hands it over; its proposer can only withdraw it
('chancery change refuse'). A change not approved within 7 days must be proposed again;
one admin has at most 20 changes pending at a time.
Disabling a member, taking a role away and revoking a key stay one admin's: an office answers
a leaked token at once.`,
	}
	var listJSON, showJSON, approveJSON, refuseJSON bool
	list := &cobra.Command{
		Use:     "list [--json]",
		Short:   "List the changes waiting for a second admin, then the latest decided",
		Example: `  chancery change list`,
		Args:    cobra.NoArgs,
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			cs, err := cl.Changes(ctx(c))
			if err != nil {
				return changeErr(err)
			}
			if listJSON {
				return writeJSON(c.OutOrStdout(), nonNil(cs))
			}
			tw := tabwriter.NewWriter(c.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "id\tstate\tchange\tproposed by\tproposed at\tdecided by")
			for _, v := range cs {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", v.ID, printable(v.State), printable(describeChange(&v)), printable(v.ProposedBy),
					v.ProposedAt.UTC().Format("2006-01-02 15:04 UTC"), printable(v.DecidedBy))
			}
			return tw.Flush()
		}),
	}
	addJSONFlag(list, &listJSON)

	show := &cobra.Command{
		Use:     "show ID [--json]",
		Short:   "Show one change",
		Example: `  chancery change show 3`,
		Args:    cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			id, err := parseChangeID(args[0])
			if err != nil {
				return err
			}
			v, err := cl.Change(ctx(c), id)
			if err != nil {
				return changeErr(err)
			}
			if showJSON {
				return writeJSON(c.OutOrStdout(), v)
			}
			printChange(c.OutOrStdout(), v)
			return nil
		}),
	}
	addJSONFlag(show, &showJSON)

	approve := &cobra.Command{
		Use:   "approve ID [--json]",
		Short: "Carry out a change another admin proposed; a new token is printed (last line, shown once)",
		Long: `Carry out a change another admin proposed, as yourself. Check what it does first
('chancery change show ID'): for a new member, that the person exists and asked for the
roles; for a policy, its file, which 'chancery change show ID' prints (its name and digest
say nothing of what it asks for). A new
member's token, or a member's new token, is printed once on the last line: you hand it to
the member, not to the proposer. A member's new token (or enabling them, which gives one)
refuses the other new tokens for them still pending, which it supersedes (enabling them
refuses the other enablings of them too), and a role change the other role changes about
the member proposed before it: one line on stderr names each ("refused change 6: new token
for dana, proposed by bob: superseded by change 5"). A role change that takes the member's
admin role away (or gives it back after they lost it) refuses the changes the member
proposed that still wait, as 'chancery member roles' does: one line on stderr names each
first ("refused change 7: new token for sam, proposed by dana: dana's admin role was taken
away"); --json lists them as refused (absent when none). Enabling a member refuses and names
likewise the changes they proposed that an older build left pending ("…: dana was enabled
again after being disabled").`,
		Example: `  chancery change show 3
  chancery change approve 3`,
		Args: cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			id, err := parseChangeID(args[0])
			if err != nil {
				return err
			}
			res, err := cl.ApproveChange(ctx(c), id)
			if err != nil {
				return changeErr(err)
			}
			// The warning member add and member roles give (their proposer had it): the
			// approving admin carries the change out, and may still give the missing role.
			if w := approvedIdleRoles(res); w != "" {
				fmt.Fprintf(warnings(c), "chancery: warning: %s\n", w)
			}
			if approveJSON {
				return writeJSON(c.OutOrStdout(), res)
			}
			w := c.OutOrStdout()
			desc := printable(describeChange(res.Change))
			// The changes the member proposed, refused as a role change took their admin role
			// (or gave it back), as member roles names them (--json has them as refused); then
			// the other changes about the member, which this one superseded (as superseded).
			// An enabling names likewise those an older build left pending.
			var why string
			switch res.Change.Kind {
			case registry.ChangeRoles:
				why = adminRoleRefusedWhy(res.Change.Member, res.Change.Add)
			case registry.ChangeEnable:
				why = enabledRefusedWhy(res.Change.Member)
			}
			if why != "" {
				for _, rc := range res.Refused {
					fmt.Fprintln(c.ErrOrStderr(), refusedLine(&rc, why))
				}
			}
			for _, sc := range res.Superseded {
				fmt.Fprintln(c.ErrOrStderr(), refusedLine(&sc, fmt.Sprintf("superseded by change %d", id)))
			}
			switch {
			case res.Token != "":
				fmt.Fprintf(c.ErrOrStderr(), "change %d carried out: %s; the member's token, shown once, for you to hand to %s:\n", id, desc, printable(res.Change.Member))
				if _, err := fmt.Fprintln(w, res.Token); err != nil {
					return withHint(fmt.Errorf("print the member's token: %w", err),
						"change %d is carried out, the member's token was not printed: give them a new one with 'chancery member token %s'", id, printable(res.Change.Member))
				}
			case res.Member != nil:
				fmt.Fprintf(w, "change %d carried out: %s: %s\n", id, printable(res.Member.Name), printable(strings.Join(res.Member.Roles, ", ")))
			case res.LogIndex > 0:
				fmt.Fprintf(w, "change %d carried out: %s, log entry %d\n", id, desc, res.LogIndex)
			default:
				fmt.Fprintf(w, "change %d carried out: %s\n", id, desc)
			}
			return nil
		}),
	}
	addJSONFlag(approve, &approveJSON)

	refuse := &cobra.Command{
		Use:     "refuse ID [--json]",
		Short:   "Refuse a change, or withdraw one you proposed",
		Example: `  chancery change refuse 3`,
		Args:    cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			id, err := parseChangeID(args[0])
			if err != nil {
				return err
			}
			v, err := cl.RefuseChange(ctx(c), id)
			if err != nil {
				return changeErr(err)
			}
			if refuseJSON {
				return writeJSON(c.OutOrStdout(), v)
			}
			fmt.Fprintf(c.OutOrStdout(), "change %d refused: %s\n", id, printable(describeChange(v)))
			return nil
		}),
	}
	addJSONFlag(refuse, &refuseJSON)
	c.AddCommand(list, show, approve, refuse)
	return c
}

// parseChangeID reads a change's number.
func parseChangeID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, withHint(fmt.Errorf("%q is not a change number", s), "'chancery change list' shows the changes and their numbers")
	}
	return id, nil
}

// describeChange says what a change does, in a few words.
// refusedLine is the line naming a change refused in passing by another, for
// 'change approve' (the changes a new token, an enabling or a role change superseded) and
// 'member recover' (the changes the recovery refused) alike: "refused change 8: new token for
// mallory, proposed by ada: superseded by change 9". Its proposer is left out when it could
// not be read.
func refusedLine(v *registry.ChangeView, why string) string {
	by := ""
	if v.ProposedBy != "" {
		by = ", proposed by " + printable(v.ProposedBy)
	}
	return fmt.Sprintf("refused change %d: %s%s: %s", v.ID, printable(describeChange(v)), by, printable(why))
}

// adminRoleRefusedWhy is the reason refusedLine gives for a change the member name proposed
// that a role change giving add refused: it took their admin role away, or gave it back
// after they lost it (a role change refuses them for nothing else).
func adminRoleRefusedWhy(name string, add []string) string {
	if slices.Contains(add, registry.RoleAdmin) {
		return name + " was given the admin role again after losing it"
	}
	return name + "'s admin role was taken away"
}

// enabledRefusedWhy is the reason refusedLine gives for a change the member name proposed
// that enabling them refused: an older build, which kept a disabled member's changes
// pending, left it waiting.
func enabledRefusedWhy(name string) string {
	return name + " was enabled again after being disabled"
}

func describeChange(v *registry.ChangeView) string {
	switch v.Kind {
	case registry.ChangeAddMember:
		return fmt.Sprintf("add member %s (%s)", v.Member, strings.Join(v.Roles, ", "))
	case registry.ChangeRoles:
		d := "roles of " + v.Member + ":"
		for _, r := range v.Add {
			d += " +" + r
		}
		for _, r := range v.Remove {
			d += " -" + r
		}
		return d
	case registry.ChangeToken:
		return "new token for " + v.Member
	case registry.ChangeEnable:
		return "enable " + v.Member
	case registry.ChangePolicy:
		return fmt.Sprintf("adopt policy %s (%s)", v.PolicyName, v.Policy)
	case registry.ChangeWitnessAdd:
		return fmt.Sprintf("add witness %s (%s, key %s)", v.Witness, v.WitnessURL, v.WitnessKey)
	case registry.ChangeWitnessRemove:
		return "remove witness " + v.Witness
	case registry.ChangeWitnessQuorum:
		if v.Quorum != nil {
			return fmt.Sprintf("set the witness quorum to %d", *v.Quorum)
		}
	}
	return v.Kind + " " + v.Member
}

func printChange(w io.Writer, v *registry.ChangeView) {
	fmt.Fprintf(w, "change %d: %s\n", v.ID, printable(describeChange(v)))
	fmt.Fprintf(w, "state: %s\n", printable(v.State))
	fmt.Fprintf(w, "proposed by %s at %s\n", printable(v.ProposedBy), v.ProposedAt.UTC().Format(time.DateTime+" UTC"))
	if v.DecidedAt != nil {
		fmt.Fprintf(w, "%s by %s at %s\n", printable(v.State), printable(v.DecidedBy), v.DecidedAt.UTC().Format(time.DateTime+" UTC"))
	}
	if v.State == "pending" && v.ProposedAt.Add(registry.ChangeMaxAge).After(time.Now()) {
		fmt.Fprintf(w, "approve before %s\n", v.ProposedAt.Add(registry.ChangeMaxAge).UTC().Format(time.DateTime+" UTC"))
	}
	if v.PolicySource != "" {
		fmt.Fprintf(w, "the policy file:\n%s", printableLines(v.PolicySource))
		if !strings.HasSuffix(v.PolicySource, "\n") {
			fmt.Fprintln(w)
		}
	}
}

// changeErr adds what to do to a change's refusal.
func changeErr(err error) error {
	var ae *client.APIError
	if !errors.As(err, &ae) {
		return err
	}
	switch {
	case ae.Status == 403 && strings.Contains(ae.Message, "you proposed"):
		return withHint(err, "another admin approves it; you can withdraw it with 'chancery change refuse'")
	case ae.Status == 403:
		return withHint(err, "changes are admins' business: use an admin's token in CHANCERY_TOKEN")
	case ae.Status == 404:
		return withHint(err, "'chancery change list' shows the changes and their numbers")
	case ae.Status == 409 && strings.Contains(ae.Message, "7 days"):
		return withHint(err, "refuse it ('chancery change refuse'), and ask its proposer to propose it again if it is still wanted")
	case ae.Status == 409:
		return withHint(err, "'chancery change list' shows where each change stands")
	}
	return err
}

// duplicateRE matches the registry's refusal of a proposal asking what a pending change asks
// already: by another admin's change, or by the proposer's own.
var duplicateRE = regexp.MustCompile(`change (\d+) already asks this: approve it|you proposed this already as change (\d+): another admin approves it`)

// duplicateHint is the hint for a proposal refused as the duplicate of a pending change: what
// to do with the change it names; "" for any other error.
func duplicateHint(err error) string {
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Status != 409 {
		return ""
	}
	switch m := duplicateRE.FindStringSubmatch(ae.Message); {
	case m == nil:
		return ""
	case m[1] != "":
		return fmt.Sprintf("'chancery change show %s' shows it; carry it out with 'chancery change approve %s'", m[1], m[1])
	default:
		return fmt.Sprintf("another admin carries it out with 'chancery change approve %s'; you can withdraw it with 'chancery change refuse %s'", m[2], m[2])
	}
}

// approvedIdleRoles is idleOfficeRoles of the member a carried-out change added or changed
// the roles of, "" for other changes.
func approvedIdleRoles(res *registry.ChangeResult) string {
	switch {
	case res == nil || res.Change == nil:
		return ""
	case res.Member != nil:
		return idleOfficeRoles(res.Member.Name, res.Member.Roles)
	case res.Change.Kind == registry.ChangeAddMember:
		return idleOfficeRoles(res.Change.Member, res.Change.Roles)
	}
	return ""
}
