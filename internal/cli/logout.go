package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"time"

	"github.com/chancery/chancery/internal/client"
	"github.com/spf13/cobra"
)

func newLogout() *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "End the sign-in of 'chancery login': at the registry, then on this machine",
		Long: `Logout ends the token 'chancery login' saved (chancery/login.json in your configuration
directory): the registry that issued it stops taking it, then the file is removed. Removing the
file alone would leave the token working for the rest of its 8 hours wherever a copy of it is
(a backup of this machine, someone who used it meanwhile).

If the registry cannot be reached, the file is kept and logout fails: run it again when the
registry answers, or ask an admin to issue you a new token ('chancery member token'), which
ends all your sign-ins.`,
		Example: `  chancery logout`,
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			path, err := loginFile()
			if err != nil {
				return withHint(fmt.Errorf("logout: %w", err), "set XDG_CONFIG_HOME to the directory 'chancery login' wrote in")
			}
			b, err := readLimited(path, maxSecret)
			if errors.Is(err, fs.ErrNotExist) {
				fmt.Fprintln(c.OutOrStdout(), "not signed in with 'chancery login': nothing to end")
				return nil
			}
			if err != nil {
				return fmt.Errorf("logout: %w", err)
			}
			var s savedLogin
			if err := json.Unmarshal(b, &s); err != nil {
				return withHint(fmt.Errorf("logout: %s is not what 'chancery login' writes: %w", path, err), "remove it")
			}
			if time.Now().Before(s.ExpiresAt) && s.Token != "" {
				cl, err := client.New(s.URL, s.Token)
				if err == nil {
					err = cl.EndSession(ctx(c))
				}
				// 401: the registry takes the token no more (ended, expired, or the member's
				// sign-ins ended by an admin): there is nothing left to end there.
				if ae := (*client.APIError)(nil); err != nil && !(errors.As(err, &ae) && ae.Status == http.StatusUnauthorized) {
					return withHint(fmt.Errorf("logout: the registry at %s did not end the token: %w", printable(redacted(s.URL)), err),
						"the token still works until %s and %s is kept: run 'chancery logout' again when the registry answers, or ask an admin for a new token ('chancery member token'), which ends every sign-in of yours",
						humanTime(s.ExpiresAt), path)
				}
			}
			if err := removeLogin(path); err != nil {
				return fmt.Errorf("logout: the registry ended the token, but: %w", err)
			}
			fmt.Fprintf(c.OutOrStdout(), "signed out of %s; removed %s\n", printable(redacted(s.URL)), path)
			return nil
		},
	}
}

// removeLogin removes the token file, under the lock writeLogin takes on its directory, with
// any temporary file a killed login left there.
func removeLogin(path string) error {
	d, err := lockLoginDir(path, true)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
