package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/registry"
	"github.com/spf13/cobra"
)

// memberCommands are the member commands beyond add and password: list, show, roles,
// disable, enable and token (admins).
func memberCommands(rm *remote) []*cobra.Command {
	var listJSON, showJSON, tokenJSON, enableJSON, rolesJSON, disableJSON bool
	list := &cobra.Command{
		Use:     "list [--json]",
		Short:   "List the office's members: roles, state, signer keys in force, password",
		Example: `  chancery member list`,
		Args:    cobra.NoArgs,
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			ms, err := cl.Members(ctx(c))
			if err != nil {
				return memberErr(err, "")
			}
			if listJSON {
				return json.NewEncoder(c.OutOrStdout()).Encode(ms)
			}
			tw := tabwriter.NewWriter(c.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "name\troles\tstate\tkeys\tpassword")
			for _, m := range ms {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", printable(m.Name), printable(strings.Join(m.Roles, ",")), m.State, activeKeys(m), yesNo(m.Password))
			}
			return tw.Flush()
		}),
	}
	list.Flags().BoolVar(&listJSON, "json", false, "print JSON")

	show := &cobra.Command{
		Use:     "show NAME [--json]",
		Short:   "Show a member: roles, state, password and signer keys",
		Example: `  chancery member show rita --json`,
		Args:    cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			m, err := cl.Member(ctx(c), args[0])
			if err != nil {
				return memberErr(err, args[0])
			}
			if showJSON {
				return json.NewEncoder(c.OutOrStdout()).Encode(m)
			}
			printMember(c.OutOrStdout(), m)
			return nil
		}),
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print JSON")

	var add, remove []string
	roles := &cobra.Command{
		Use:   "roles NAME [--add ROLE]... [--remove ROLE]... [--json]",
		Short: "Give a member roles and take others away",
		Long: `Add and remove a member's roles, at once. --add and --remove are repeatable and take
comma-separated lists. Roles are drafter, reviewer, signer, release and admin, and the office's
own roles that its policy names (such as legal). A member keeps at least one role, and the
office at least one admin. Approvals a member gave under a role they lose stop counting for
letters not yet released; taking the reviewer role away voids them, also if the role comes
back (they approve again). Taking the signer role away revokes the member's signer keys, each by
a key-revoked entry in the log: their signatures on letters not yet released no longer count,
also if the role comes back (they register a new key and sign again).
Under a policy with 'two_admins: true' it proposes the change instead (exit status 4): a
second admin carries it out with 'chancery change approve'
when roles are added; taking roles away stays one admin's.
A role change carried out refuses the role changes about the member that admins proposed and
that still wait, which it supersedes: one line on stderr names each ("refused change 6: roles
of dana: +reviewer, proposed by bob: superseded by this role change"). Taking the admin role
away refuses the changes the member proposed that still wait: one line on stderr names each
("refused change 7: remove witness w2, proposed by dana: dana's admin role was taken away").
--json prints the member after, as 'member show --json' does, with the first as superseded and
the others as refused (each absent when none).`,
		Example: `  chancery member roles rita --add signer --remove reviewer
  chancery member roles lee --add reviewer,legal`,
		Args: cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			if len(add) == 0 && len(remove) == 0 {
				return withHint(errors.New("no role to add or remove"), "pass --add ROLE or --remove ROLE")
			}
			res, err := cl.SetRolesSuperseding(ctx(c), args[0], add, remove)
			if err != nil {
				// Under two_admins the roles given are proposed: the second admin who carries
				// the change out is not warned, so the proposer is, of the roles it leaves.
				if registry.Proposed(err) != nil {
					if cur, merr := cl.Member(ctx(c), args[0]); merr == nil {
						after := slices.DeleteFunc(slices.Clone(cur.Roles), func(r string) bool { return slices.Contains(splitList(strings.Join(remove, ",")), r) })
						for _, r := range splitList(strings.Join(add, ",")) {
							if !slices.Contains(after, r) {
								after = append(after, r)
							}
						}
						if w := idleOfficeRoles(cur.Name, after); w != "" {
							fmt.Fprintf(warnings(c), "chancery: warning: %s\n", w)
						}
					}
				}
				return memberErr(err, args[0])
			}
			m := &res.MemberView
			if w := idleOfficeRoles(m.Name, m.Roles); w != "" && rolesJSON {
				fmt.Fprintf(warnings(c), "chancery: warning: %s\n", w)
			}
			if rolesJSON {
				// The API's answer: the member, the role changes superseded and the changes
				// refused.
				return writeJSON(c.OutOrStdout(), res)
			}
			// The changes the member proposed, refused as they lost the admin role (or were
			// given it again), then the pending role changes about them this one superseded,
			// in the order the registry refused them, as change approve names them.
			why := adminRoleRefusedWhy(m.Name, splitList(strings.Join(add, ",")))
			for _, rc := range res.Refused {
				fmt.Fprintln(c.ErrOrStderr(), refusedLine(&rc, why))
			}
			for _, sc := range res.Superseded {
				fmt.Fprintln(c.ErrOrStderr(), refusedLine(&sc, "superseded by this role change"))
			}
			fmt.Fprintf(c.OutOrStdout(), "%s: %s\n", printable(m.Name), printable(strings.Join(m.Roles, ", ")))
			if w := idleOfficeRoles(m.Name, m.Roles); w != "" {
				fmt.Fprintf(warnings(c), "chancery: warning: %s\n", w)
			}
			return nil
		}),
	}
	roles.Flags().StringSliceVar(&add, "add", nil, "roles to give (repeatable, or comma-separated)")
	roles.Flags().StringSliceVar(&remove, "remove", nil, "roles to take away (repeatable, or comma-separated)")
	addJSONFlag(roles, &rolesJSON)

	disable := &cobra.Command{
		Use:   "disable NAME [--json]",
		Short: "Disable a member: their token and web sessions stop working at once, their keys are revoked",
		Long: `Disable a member who leaves the office, or whose token may be lost. Their token and web
sessions stop working at once and they cannot sign in. Their signer keys are revoked, each by
a key-revoked entry in the transparency log, and approvals they gave on letters not yet
released stop counting. What they did stays: letters released with their approval or
signature keep verifying, and the audit trail keeps their name. 'chancery member enable'
brings them back with a new token.
The changes the member proposed that still wait for a second admin are refused: one line on
stderr names each ("refused change 7: new token for sam, proposed by dana: dana was
disabled"); --json prints the member after, as 'member show --json' does, with them as
refused (absent when none).`,
		Example: `  chancery member disable sam`,
		Args:    cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			res, err := cl.DisableMemberRefusing(ctx(c), args[0])
			if err != nil {
				return memberErr(err, args[0])
			}
			if disableJSON {
				return writeJSON(c.OutOrStdout(), res)
			}
			m := &res.MemberView
			for _, rc := range res.Refused {
				fmt.Fprintln(c.ErrOrStderr(), refusedLine(&rc, m.Name+" was disabled"))
			}
			w := c.OutOrStdout()
			fmt.Fprintf(w, "disabled %s\n", printable(m.Name))
			for _, k := range m.Keys {
				if k.RevokedIndex != nil {
					fmt.Fprintf(w, "key %s revoked (log entry %d)\n", k.KeyID, *k.RevokedIndex)
				}
			}
			return nil
		}),
	}

	enable := &cobra.Command{
		Use:   "enable NAME [--json]",
		Short: "Enable a disabled member again and print their new token (last line, shown once)",
		Long: `Enable a disabled member with the roles they held. They get a new token, printed once on
the last line; their old token and their password never work again (they set a password
again with the new token). Their revoked signer keys stay revoked, and a key the
disablement left in force (the server stopped before revoking it) is revoked first: a signer
registers a new key with 'chancery key register'. The approvals voided when they were disabled stay void:
they approve again the letters they still agree with.
Under a policy with 'two_admins: true' it proposes the change instead (exit status 4): a
second admin carries it out with 'chancery change approve', and
receives the token.
The new token refuses the other new tokens for them that admins proposed and that still
wait, which it supersedes: one line on stderr names each, as 'member token' does; --json
lists them as superseded. It refuses too the changes the member proposed that an older
build, which kept a disabled member's changes pending, left waiting: one line on stderr
names each first ("refused change 7: new token for rita, proposed by sam: sam was enabled
again after being disabled"); --json lists them as refused (absent when none).`,
		Example: `  chancery member enable sam`,
		Args:    cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			res, err := cl.EnableMemberSuperseding(ctx(c), args[0])
			if err != nil {
				return memberErr(err, args[0])
			}
			if enableJSON {
				return printIssuedJSON(c, res, args[0], "is enabled")
			}
			// The changes the member proposed that an older build left pending, refused as
			// they are enabled again, then the new tokens and enablings superseded.
			for _, rc := range res.Refused {
				fmt.Fprintln(c.ErrOrStderr(), refusedLine(&rc, enabledRefusedWhy(args[0])))
			}
			printSuperseded(c, res)
			fmt.Fprintf(c.ErrOrStderr(), "enabled %s; their new token, shown once:\n", printable(args[0]))
			return printToken(c, res.Token, args[0], "is enabled")
		}),
	}

	token := &cobra.Command{
		Use:   "token NAME [--json]",
		Short: "Issue a member a new token and print it (last line, shown once); the old one stops working",
		Long: `Issue a member a new bearer token, for a lost or leaked one. The old token stops working at
once, and so do the member's web sessions, 'chancery login' tokens and password (anyone
holding the old token could have set one): the member sets a password again with the new
token. For another member than yourself, what the old token may have been used for by
someone else is undone: their signer keys are revoked, each by an entry in the log, so that no
signature made with them counts for a letter not yet released (whoever held the token could
have registered a key of their own in the member's name: the member registers a new key with
'chancery key new' and 'key register', and signs again); their approvals of letters not yet
released no longer count (they approve again); and their changes waiting for a second admin
are refused. Released letters stay valid. The token is printed once, on the last line;
the registry keeps only its hash.
For another member than yourself, under a policy with 'two_admins: true', it proposes the
change instead (exit status 4): a second admin carries it out with 'chancery change approve',
and receives the token.
The new token for another member refuses the other new tokens for them that admins proposed
and that still wait, which it supersedes: one line on stderr names each ("refused change 6:
new token for dana, proposed by bob: superseded by this new token"); --json lists them as
superseded.`,
		Example: `  chancery member token rita`,
		Args:    cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			res, err := cl.IssueTokenSuperseding(ctx(c), args[0])
			if err != nil {
				return memberErr(err, args[0])
			}
			if tokenJSON {
				return printIssuedJSON(c, res, args[0], "has a new token (the old one no longer works)")
			}
			printSuperseded(c, res)
			fmt.Fprintf(c.ErrOrStderr(), "issued %s a new token (the old one no longer works), shown once:\n", printable(args[0]))
			return printToken(c, res.Token, args[0], "has a new token (the old one no longer works)")
		}),
	}
	addJSONFlag(token, &tokenJSON)
	addJSONFlag(enable, &enableJSON)
	addJSONFlag(disable, &disableJSON)
	return []*cobra.Command{list, show, roles, disable, enable, token}
}

// memberErr adds hints to the registry's refusals of a member command about name.
func memberErr(err error, name string) error {
	var ae *client.APIError
	if !errors.As(err, &ae) {
		return err
	}
	name = printable(name)
	switch {
	case ae.Status == 403:
		return withHint(err, "managing members needs an admin's token in CHANCERY_TOKEN")
	case ae.Status == 404:
		return withHint(err, "'chancery member list' shows the office's members")
	case ae.Status == 409 && strings.Contains(ae.Message, "already disabled"):
		return withHint(err, "'chancery member enable %s' brings them back, with a new token", name)
	case ae.Status == 409 && strings.Contains(ae.Message, "is disabled"):
		return withHint(err, "enable them first: 'chancery member enable %s' (it issues a new token)", name)
	case ae.Status == 409 && strings.Contains(ae.Message, "last active admin"):
		return withHint(err, "make another member admin first: 'chancery member roles OTHER --add admin'")
	case ae.Status == 400 && strings.Contains(ae.Message, "unknown role"):
		return withHint(err, "an office's own role exists once its policy names it ('chancery policy adopt')")
	case ae.Status == 400 && strings.Contains(ae.Message, "yourself"):
		return withHint(err, "ask another admin")
	}
	return err
}

// conflictOver reports whether err is the registry's bare refusal of something that exists
// already ("add member rita: conflict"), which says no more than that.
func conflictOver(err error) bool {
	var ae *client.APIError
	return errors.As(err, &ae) && ae.Status == 409 && strings.HasSuffix(ae.Message, ": conflict")
}

// activeKeys counts a member's signer keys that are not revoked.
func activeKeys(m registry.MemberView) int {
	n := 0
	for _, k := range m.Keys {
		if k.RevokedIndex == nil {
			n++
		}
	}
	return n
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func printMember(w io.Writer, m *registry.MemberView) {
	fmt.Fprintf(w, "%s\nroles: %s\nstate: %s", printable(m.Name), printable(strings.Join(m.Roles, ", ")), m.State)
	if m.DisabledAt != nil {
		fmt.Fprintf(w, " since %s", humanTime(*m.DisabledAt))
	}
	pw := "not set"
	if m.Password {
		pw = "set"
	}
	fmt.Fprintf(w, "\nadded: %s\npassword: %s\n", humanTime(m.CreatedAt), pw)
	for _, k := range m.Keys {
		fmt.Fprintf(w, "key %s added at log entry %d", k.KeyID, k.AddedIndex)
		if k.RevokedIndex != nil {
			fmt.Fprintf(w, ", revoked at log entry %d", *k.RevokedIndex)
		}
		fmt.Fprintln(w)
	}
}

// printSuperseded names on stderr, as change approve does, each other pending new token for
// the member that the one just given refused as superseded.
func printSuperseded(c *cobra.Command, res *client.IssuedToken) {
	for _, sc := range res.Superseded {
		fmt.Fprintln(c.ErrOrStderr(), refusedLine(&sc, "superseded by this new token"))
	}
}

// printIssuedJSON prints the answer to a new token given the member name, as --json does;
// done says what became of them, for the hint of a token that could not be printed.
func printIssuedJSON(c *cobra.Command, res *client.IssuedToken, name, done string) error {
	if err := writeJSON(c.OutOrStdout(), res); err != nil {
		return withHint(fmt.Errorf("print %s's token: %w", printable(name), err),
			"%s %s, but it was not printed: give them another with 'chancery member token %s', with standard output where it can be read", printable(name), done, printable(name))
	}
	return nil
}

// printToken prints a member's new token, shown once, on its own line: a token that could not
// be printed (standard output closed, or on a full disk) is not delivered, and the command
// fails saying how to give the member another.
func printToken(c *cobra.Command, tok, name, done string) error {
	if _, err := fmt.Fprintln(c.OutOrStdout(), tok); err != nil {
		return withHint(fmt.Errorf("print %s's token: %w", printable(name), err),
			"%s %s, but it was not printed: give them another with 'chancery member token %s', with standard output where it can be read", printable(name), done, printable(name))
	}
	return nil
}

// idleOfficeRoles warns about a member given an office's own role (legal) without reviewer or
// signer, the roles that approve and sign: the policy's approvals and signatures by that role
// can never count theirs. It returns "" when there is nothing to say.
func idleOfficeRoles(name string, roles []string) string {
	var own []string
	for _, r := range roles {
		switch r {
		case registry.RoleReviewer, registry.RoleSigner:
			return ""
		case registry.RoleDrafter, registry.RoleRelease, registry.RoleAdmin:
		default:
			own = append(own, r)
		}
	}
	if len(own) == 0 {
		return ""
	}
	n := printable(name)
	return fmt.Sprintf("%s holds %s without reviewer or signer, and only reviewers approve and signers sign: no approval or signature by that role can be theirs; give them one with 'chancery member roles %s --add reviewer'",
		n, printable(strings.Join(own, ", ")), n)
}
