package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/keys"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Environment variables that give the new password without a prompt.
const (
	newPasswordEnv     = "CHANCERY_NEW_PASSWORD"
	newPasswordFileEnv = "CHANCERY_NEW_PASSWORD_FILE"
)

func newMemberPassword(rm *remote) *cobra.Command {
	var name string
	c := &cobra.Command{
		Use:   "password [--name NAME]",
		Short: "Set a member's password for signing in to the web application",
		Long: `Set the password a member signs in with on the web pages. With your token, you set your own;
an admin sets anyone's with --name. The password is read from a prompt (typed twice), or from
CHANCERY_NEW_PASSWORD or the file named by CHANCERY_NEW_PASSWORD_FILE, which only its owner
may read (chmod 600). It needs at least 12 characters. The registry keeps only its argon2id hash, and ends the member's open sessions.
A new password undoes nothing else: if a password leaked, ask another admin for 'chancery
member token NAME', which also revokes the signer keys, voids the approvals and refuses the
pending changes that whoever held it may have made, and replaces a token they may have
issued themselves.`,
		Example: `  chancery member password
  CHANCERY_NEW_PASSWORD_FILE=rita.pw chancery member password --name rita`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			cl, err := rm.client(true)
			if err != nil {
				return err
			}
			rm.warn(c.ErrOrStderr(), cl)
			pw, err := readNewPassword(c)
			if err != nil {
				return err
			}
			if err := setPassword(c, cl, name, pw); err != nil {
				return apiErr(err)
			}
			who := name
			if who == "" {
				who = "your"
			} else {
				who += "'s"
			}
			fmt.Fprintf(c.ErrOrStderr(), "chancery: %s password is set; sign in at %s/signin\n", who, strings.TrimSuffix(redacted(rm.url), "/"))
			return nil
		},
	}
	c.Flags().StringVar(&name, "name", "", "the member whose password to set (admin; default: yourself)")
	return c
}

// maxPasswordFile bounds the file CHANCERY_NEW_PASSWORD_FILE names: a password is at most
// registry.MaxPasswordLength bytes, and a large file or /dev/zero named by mistake is refused
// without being held whole in memory.
const maxPasswordFile = 4 << 10

// readNewPassword reads the new password from the environment, a file, or the terminal.
func readNewPassword(c *cobra.Command) (string, error) {
	if p := os.Getenv(newPasswordEnv); p != "" {
		return p, nil
	}
	if path := os.Getenv(newPasswordFileEnv); path != "" {
		f, err := os.Open(path)
		if err != nil {
			return "", fmt.Errorf("read %s: %w", newPasswordFileEnv, err)
		}
		defer f.Close()
		// Whoever reads the file signs in as the member, as long as the password stands.
		if err := keys.CheckPrivate(f); err != nil {
			return "", withHint(fmt.Errorf("%s %s %w", newPasswordFileEnv, path, err),
				"a password file must be readable by you alone: chmod 600 %s, then set the password again (others may have read this one), or type it at the prompt", path)
		}
		b, err := io.ReadAll(io.LimitReader(f, maxPasswordFile+1))
		if err != nil {
			return "", fmt.Errorf("read %s: %w", newPasswordFileEnv, err)
		}
		if len(b) > maxPasswordFile {
			return "", withHint(fmt.Errorf("%s %s is larger than %d bytes: not a password", newPasswordFileEnv, path, maxPasswordFile),
				"name a file that holds the password alone, on one line")
		}
		p, crlf := strings.CutSuffix(string(b), "\r\n")
		if !crlf {
			p = strings.TrimSuffix(p, "\n")
		}
		return p, nil
	}
	if !term.IsTerminal(int(os.Stdin.Fd())) {
		return "", withHint(errors.New("no new password"), "type it at a terminal, or set CHANCERY_NEW_PASSWORD or CHANCERY_NEW_PASSWORD_FILE")
	}
	read := func(prompt string) (string, error) {
		fmt.Fprint(c.ErrOrStderr(), prompt)
		b, err := keys.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprintln(c.ErrOrStderr())
		return string(b), err
	}
	p, err := read("new password: ")
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	again, err := read("again: ")
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	if p != again {
		return "", errors.New("the two passwords differ")
	}
	return p, nil
}

// setPassword calls POST /api/v1/password with the member's token, at cl's registry.
func setPassword(c *cobra.Command, cl *client.Client, name, pw string) error {
	body, _ := json.Marshal(map[string]string{"member": name, "password": pw})
	req, err := http.NewRequestWithContext(ctx(c), "POST", cl.Base+"/api/v1/password", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+cl.Token)
	resp, err := (&http.Client{Timeout: 30 * time.Second, CheckRedirect: client.CheckRedirect}).Do(req)
	if err != nil {
		return withHint(fmt.Errorf("set password: %w", err), "is 'chancery serve' running at CHANCERY_URL? (default http://127.0.0.1:8080)")
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNoContent {
		return nil
	}
	var e struct {
		Error string `json:"error"`
	}
	json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&e)
	if e.Error == "" {
		e.Error = resp.Status
	}
	if resp.StatusCode == http.StatusUnauthorized {
		return withHint(fmt.Errorf("set password: %s", e.Error), "check CHANCERY_TOKEN")
	}
	return fmt.Errorf("set password: %s", e.Error)
}
