package cli

import (
	"errors"
	"fmt"

	"github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/spf13/cobra"
)

// addMemberRecover adds 'recover' to root's member command: the operator's way back to an
// admin's account, run on the registry's machine with its data directory.
func addMemberRecover(root *cobra.Command, g *globals) {
	for _, c := range root.Commands() {
		if c.Name() == "member" {
			c.AddCommand(newMemberRecover(g))
		}
	}
}

func newMemberRecover(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "recover NAME",
		Short: "Give an admin a new token from the data directory, the server stopped (the operator's way back)",
		Long: `Give the admin NAME a new token, on the registry's machine with its data directory and its
server stopped, when the office's admins cannot: the only admin lost their token, or, under a
policy with 'two_admins: true' and two admins, one admin's token is lost or stolen (neither can
be disabled, and the change that gives one of them a new token waits for that same admin's
approval).

It does what 'chancery member token' does for another member: the old token stops working, and
so do the admin's web sessions, 'chancery login' tokens and password; their signer keys are
revoked, each by an entry in the log; their approvals of letters not yet released no longer
count; their changes waiting for a second admin are refused, and so are the changes about them
that other admins proposed (a new token for them, which under two_admins waits for their own
approval), each said on stderr as 'change approve' says those it supersedes ("refused change 7:
new token for ada, proposed by root: ada's account was recovered by the operator (chancery
member recover)"). It asks no second admin: whoever
can run it holds the office's database and keys already. The audit trail records it as the
operator's. Members who are not admins get new tokens from an admin ('chancery member token').

The token is printed once, on the last line; the registry keeps only its hash.`,
		Example: `  systemctl stop chancery
  chancery member recover rita --data /var/lib/chancery
  systemctl start chancery`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			d, done, err := stoppedDir(c, g.data, "stop the server first: an admin's account is recovered while no server serves it", nil)
			if err != nil {
				return err
			}
			defer done()
			st, err := office.Open(c.Context(), d, office.Options{Database: database(c), Migrated: func(v int) { warnMigrated(c, v) }})
			if err != nil {
				return keyHint(storeHint(err, d.Path))
			}
			defer st.Close()
			// The admin's keys are revoked in the log: not on a log other than the one this
			// directory's server published.
			if err := checkPublished(c.Context(), d, st.DB); err != nil {
				return err
			}
			name := args[0]
			rec, err := st.Registry.RecoverAdmin(c.Context(), name)
			switch {
			case errors.Is(err, store.ErrNotFound):
				return withHint(err, "no member is named %s: the names are those 'chancery member list' shows", printable(name))
			case errors.Is(err, registry.ErrOldTokenInUse):
				return withHint(err, "whoever holds %s's old token is using it through another server of the office: with every server stopped, nothing can register a key with it", printable(name))
			case errors.Is(err, registry.ErrConflict):
				return withHint(err, "only an active admin's account is recovered this way")
			case err != nil:
				return err
			}
			for _, f := range rec.Refused {
				fmt.Fprintln(c.ErrOrStderr(), refusedLine(&f.Change, f.Why))
			}
			fmt.Fprintf(c.ErrOrStderr(), "issued %s a new token (the old one no longer works, their keys are revoked), shown once:\n", printable(name))
			if _, err := fmt.Fprintln(c.OutOrStdout(), rec.Token); err != nil {
				return withHint(fmt.Errorf("print %s's token: %w", printable(name), err),
					"%s has a new token, but it was not printed: run 'chancery member recover %s' again, with standard output where it can be read", printable(name), printable(name))
			}
			return nil
		},
	}
	addDatabaseFlag(c.Flags())
	return c
}
