package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/exclfile"
	"github.com/chancery/chancery/internal/oidc"
	"github.com/chancery/chancery/internal/registry"
	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"github.com/spf13/cobra"
	"golang.org/x/oauth2"
)

// oidcOpts are serve's flags for the sign-in through the office's OpenID provider.
type oidcOpts struct {
	issuer, clientID, cliClientID, secretFile, rolesClaim, roleMap, nameClaim, scopes string
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func addOIDCFlags(c *cobra.Command, o *oidcOpts) {
	f := c.Flags()
	f.StringVar(&o.issuer, "oidc-issuer", os.Getenv("CHANCERY_OIDC_ISSUER"), "issuer URL of the office's OpenID provider; enables 'Sign in with your organisation account' (env CHANCERY_OIDC_ISSUER)")
	f.StringVar(&o.clientID, "oidc-client-id", os.Getenv("CHANCERY_OIDC_CLIENT_ID"), "Chancery's client ID at the provider (env CHANCERY_OIDC_CLIENT_ID)")
	f.StringVar(&o.cliClientID, "oidc-cli-client-id", os.Getenv("CHANCERY_OIDC_CLI_CLIENT_ID"), "client ID 'chancery login' uses for the device authorization grant (env CHANCERY_OIDC_CLI_CLIENT_ID; default --oidc-client-id)")
	f.StringVar(&o.secretFile, "oidc-client-secret-file", os.Getenv("CHANCERY_OIDC_CLIENT_SECRET_FILE"), "file holding the client secret (env CHANCERY_OIDC_CLIENT_SECRET_FILE, or the secret itself in CHANCERY_OIDC_CLIENT_SECRET)")
	f.StringVar(&o.rolesClaim, "oidc-roles-claim", envOr("CHANCERY_OIDC_ROLES_CLAIM", "groups"), "claim whose values --oidc-role-map maps to roles (env CHANCERY_OIDC_ROLES_CLAIM)")
	f.StringVar(&o.roleMap, "oidc-role-map", os.Getenv("CHANCERY_OIDC_ROLE_MAP"), "claim values to roles, VALUE=ROLE,VALUE=ROLE… (env CHANCERY_OIDC_ROLE_MAP); a value may repeat to give several roles")
	f.StringVar(&o.nameClaim, "oidc-name-claim", envOr("CHANCERY_OIDC_NAME_CLAIM", oidc.DefaultNameClaim), "claim that names a new member; email needs the provider's email_verified (env CHANCERY_OIDC_NAME_CLAIM)")
	f.StringVar(&o.scopes, "oidc-scopes", os.Getenv("CHANCERY_OIDC_SCOPES"), "scopes to ask for besides openid, profile and email, comma-separated (env CHANCERY_OIDC_SCOPES)")
}

// provider discovers the configured provider, or returns nil when --oidc-issuer is not set.
func (o oidcOpts) provider(ctx context.Context) (*oidc.Provider, error) {
	if o.issuer == "" {
		if o.clientID != "" || o.roleMap != "" {
			return nil, withHint(errors.New("--oidc-client-id and --oidc-role-map need --oidc-issuer"), "pass the provider's issuer URL with --oidc-issuer (or CHANCERY_OIDC_ISSUER)")
		}
		return nil, nil
	}
	secret := os.Getenv("CHANCERY_OIDC_CLIENT_SECRET")
	if o.secretFile != "" {
		b, err := readPrivateFile(o.secretFile)
		if err != nil {
			return nil, withHint(err, "--oidc-client-secret-file names the file holding the client secret the provider issued, readable by the server's user only")
		}
		secret = strings.TrimSpace(string(b))
	}
	if o.clientID == "" {
		return nil, withHint(errors.New("--oidc-issuer needs --oidc-client-id"), "register Chancery at the provider (see docs/identity.md) and pass its client ID")
	}
	rm, err := oidc.ParseRoleMap(o.roleMap)
	if err != nil {
		return nil, withHint(err, "pass --oidc-role-map, e.g. --oidc-role-map 'chancery-signers=signer,chancery-admins=admin'")
	}
	var scopes []string
	for _, s := range strings.Split(o.scopes, ",") {
		if s = strings.TrimSpace(s); s != "" {
			scopes = append(scopes, s)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	p, err := oidc.New(ctx, oidc.Config{Issuer: o.issuer, ClientID: o.clientID, ClientSecret: secret, CLIClientID: o.cliClientID,
		RolesClaim: o.rolesClaim, RoleMap: rm, NameClaim: o.nameClaim, Scopes: scopes})
	if err != nil {
		return nil, withHint(err, "check --oidc-issuer: it must be reachable and be exactly the issuer the provider's /.well-known/openid-configuration names")
	}
	return p, nil
}

// checkRoleMap refuses a role map that gives a role the office does not have, at start rather
// than at someone's sign-in.
func checkRoleMap(p *oidc.Provider, reg *registry.Registry) error {
	if p == nil {
		return nil
	}
	known := reg.AssignableRoles()
	for _, role := range p.Managed() {
		if !slices.Contains(known, role) {
			return withHint(fmt.Errorf("--oidc-role-map gives the role %q, which this office does not have", role),
				"roles: %s (an office's own roles exist once its policy names them)", strings.Join(known, ", "))
		}
	}
	return nil
}

// loginFile is where 'chancery login' keeps its token: in the user's configuration
// directory, readable by them alone.
func loginFile() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "chancery", "login.json"), nil
}

// savedLogin is the file's content.
type savedLogin struct {
	URL       string    `json:"url"`
	Token     string    `json:"token"`
	Name      string    `json:"name"`
	Roles     []string  `json:"roles"`
	ExpiresAt time.Time `json:"expires_at"`
}

// savedToken returns the token 'chancery login' saved for the server at url, while it is
// valid; empty otherwise. The other commands use it when CHANCERY_TOKEN is unset.
func savedToken(url string) string {
	s := savedLoginFor(url)
	if s == nil || !time.Now().Before(s.ExpiresAt) {
		return ""
	}
	return s.Token
}

// savedLoginFor returns what 'chancery login' saved for the server at url, expired or not,
// or nil.
func savedLoginFor(url string) *savedLogin {
	path, err := loginFile()
	if err != nil {
		return nil
	}
	s := readLogin(path)
	if s == nil || strings.TrimSuffix(s.URL, "/") != strings.TrimSuffix(url, "/") {
		return nil
	}
	return s
}

// readLogin returns what 'chancery login' saved in path, for any server, or nil.
func readLogin(path string) *savedLogin {
	b, err := readLimited(path, maxSecret)
	if err != nil {
		return nil
	}
	var s savedLogin
	if json.Unmarshal(b, &s) != nil {
		return nil
	}
	return &s
}

// endReplaced ends, at its registry, the token of the earlier sign-in that the login now
// replaced in the file: out of the file, 'chancery logout' could no longer end it, and it
// would work for the rest of its 8 hours wherever a copy of it is. A failure is a warning:
// the new sign-in is saved.
func endReplaced(c *cobra.Command, earlier, now *savedLogin) {
	if earlier == nil || earlier.Token == "" || earlier.Token == now.Token || !time.Now().Before(earlier.ExpiresAt) {
		return
	}
	cl, err := client.New(earlier.URL, earlier.Token)
	if err == nil {
		err = cl.EndSession(ctx(c))
	}
	if ae := (*client.APIError)(nil); err != nil && !(errors.As(err, &ae) && ae.Status == http.StatusUnauthorized) {
		fmt.Fprintf(warnings(c), "chancery: warning: the token of the earlier sign-in, to %s, was not ended (%v): it works until %s\n",
			printable(redacted(earlier.URL)), printable(err.Error()), humanTime(earlier.ExpiresAt))
	}
}

func newLogin(rm *remote) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "login",
		Short: "Sign in through the office's OpenID provider, for the other commands",
		Long: `Login signs you in through the office's OpenID provider (Entra ID, Keycloak, Google…) with the
device authorization grant: it prints an address and a code; open the address on any device,
enter the code and sign in there. The server then issues a token that works for 8 hours,
kept in your configuration directory (chancery/login.json, mode 0600); the other commands use it
while CHANCERY_TOKEN and CHANCERY_TOKEN_FILE are unset.

The server must run with --oidc-issuer (see 'chancery serve' and docs/identity.md). If the
provider requires a secret for its command-line client, set CHANCERY_OIDC_CLIENT_SECRET or
CHANCERY_OIDC_CLIENT_SECRET_FILE.`,
		Example: `  CHANCERY_URL=https://chancery.tfn.example chancery login
  chancery login --json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			s, err := login(c, rm.url)
			if err != nil {
				return err
			}
			path, err := loginFile()
			var earlier *savedLogin
			if err == nil {
				earlier = readLogin(path)
				err = writeLogin(path, s)
			}
			if err != nil {
				return withHint(fmt.Errorf("save the token: %w", err), "set XDG_CONFIG_HOME to a directory you can write")
			}
			endReplaced(c, earlier, s)
			if asJSON {
				return writeJSON(c.OutOrStdout(), map[string]any{"name": s.Name, "roles": s.Roles, "expires_at": s.ExpiresAt, "file": path})
			}
			fmt.Fprintf(c.OutOrStdout(), "signed in as %s (%s) until %s; token in %s\n", printable(s.Name), printable(strings.Join(s.Roles, ", ")),
				s.ExpiresAt.Local().Format("15:04 MST"), path)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return c
}

// login runs the device authorization grant at the server's provider and trades its tokens
// for a Chancery token.
func login(c *cobra.Command, base string) (*savedLogin, error) {
	base = strings.TrimSuffix(base, "/")
	warnPlainHTTP(warnings(c), base, true)
	// The registry's client follows no redirect off its origin: the provider's tokens are
	// posted to it (client.CheckRedirect). The provider is asked through its own client.
	hc := &http.Client{Timeout: 30 * time.Second, CheckRedirect: client.CheckRedirect}
	var info struct {
		Issuer   string `json:"issuer"`
		ClientID string `json:"client_id"`
	}
	resp, err := hc.Get(base + "/api/v1/oidc")
	if err != nil {
		return nil, withHint(err, "is 'chancery serve' running at CHANCERY_URL? (default http://127.0.0.1:8080)")
	}
	err = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&info)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || err != nil || info.Issuer == "" {
		return nil, withHint(fmt.Errorf("login: %s does not sign in through an OpenID provider (%s)", redacted(base), resp.Status),
			"the server needs --oidc-issuer; without it, use the token an admin gave you in CHANCERY_TOKEN")
	}
	cx := gooidc.ClientContext(ctx(c), &http.Client{Timeout: 30 * time.Second})
	p, err := gooidc.NewProvider(cx, info.Issuer)
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	if p.Endpoint().DeviceAuthURL == "" {
		return nil, withHint(fmt.Errorf("login: %s does not offer the device authorization grant", info.Issuer),
			"sign in on the web pages, or use a token from an admin in CHANCERY_TOKEN")
	}
	secret := os.Getenv("CHANCERY_OIDC_CLIENT_SECRET")
	if f := os.Getenv("CHANCERY_OIDC_CLIENT_SECRET_FILE"); f != "" {
		b, err := readSecretFile(f)
		if err != nil {
			return nil, withHint(fmt.Errorf("read CHANCERY_OIDC_CLIENT_SECRET_FILE: %w", err),
				"CHANCERY_OIDC_CLIENT_SECRET_FILE names the file holding the command-line client's secret, which the provider issued")
		}
		secret = strings.TrimSpace(string(b))
	}
	conf := oauth2.Config{ClientID: info.ClientID, ClientSecret: secret, Endpoint: p.Endpoint(),
		Scopes: []string{gooidc.ScopeOpenID, "profile", "email"}}
	da, err := conf.DeviceAuth(cx)
	if err != nil {
		return nil, withHint(fmt.Errorf("login: %w", err), "the provider refused the command-line client %q: see docs/identity.md", info.ClientID)
	}
	// The provider is the one the registry names: what it answers is shown escaped.
	fmt.Fprintf(c.ErrOrStderr(), "chancery: to sign in, open %s and enter the code %s\n", printable(da.VerificationURI), printable(da.UserCode))
	if da.VerificationURIComplete != "" {
		fmt.Fprintf(c.ErrOrStderr(), "chancery: or open %s\n", printable(da.VerificationURIComplete))
	}
	tok, err := conf.DeviceAccessToken(cx, da)
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	idt, _ := tok.Extra("id_token").(string)
	body, _ := json.Marshal(map[string]string{"id_token": idt, "access_token": tok.AccessToken})
	resp, err = hc.Post(base+"/api/v1/oidc/token", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	defer resp.Body.Close()
	var out struct {
		savedLogin
		Error string `json:"error"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		return nil, withHint(fmt.Errorf("login: the server refused the sign-in: %s", cmp.Or(out.Error, resp.Status)),
			"your account at the provider may carry no group that gives a role in this office: ask an admin")
	}
	out.URL = base
	return &out.savedLogin, nil
}

// writeLogin writes the token file with mode 0600, replacing any earlier one whole and
// durably (exclfile.Replace). A login killed midway left Replace's temporary file, a copy of
// its token, for good: under a lock on the directory, which another login takes while it
// writes, every such file there is a killed login's, and is removed first.
func writeLogin(path string, s *savedLogin) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	d, err := lockLoginDir(path, false)
	if err != nil {
		return err
	}
	defer d.Close()
	b, _ := json.MarshalIndent(s, "", "  ")
	return exclfile.Replace(path, append(b, '\n'), 0o600)
}

// lockLoginDir opens the token file path's directory, locks it (until the returned directory
// is closed) and removes what killed logins left there, and path itself with withFile.
func lockLoginDir(path string, withFile bool) (*os.File, error) {
	dir := filepath.Dir(path)
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(d.Fd()), syscall.LOCK_EX); err != nil {
		d.Close()
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	ents, err := d.ReadDir(-1)
	if err != nil {
		d.Close()
		return nil, err
	}
	for _, e := range ents {
		if n := e.Name(); withFile && n == filepath.Base(path) || isLoginTemp(path, n) {
			if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				d.Close()
				return nil, err
			}
		}
	}
	return d, nil
}

// isLoginTemp reports whether name, in the token file path's directory, is a temporary file
// of exclfile.Replace writing path.
func isLoginTemp(path, name string) bool {
	return strings.HasPrefix(name, filepath.Base(path)+".") && strings.HasSuffix(name, ".tmp")
}

// readPrivateFile reads a file holding a secret, refusing a regular file its group or others
// can read or change: whoever can read the OpenID client secret can act as the registry
// towards the provider, as the data directory's key files are refused (chmod 600 them).
func readPrivateFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Mode().IsRegular() && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s can be read or changed by others (mode %v): chmod 600 it", name, fi.Mode().Perm())
	}
	return readSecret(name, f)
}

// readSecretFile reads the secret file name (readSecret), whatever its mode: the command
// line's client secret is one that every user of the command line is given.
func readSecretFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readSecret(name, f)
}

// maxSecret bounds a secret file: a client secret or a password is some dozens of bytes, and
// a name given by mistake (a log, a disk image, /dev/zero) must not be read whole into
// memory, nor cut short into a secret the server then refuses without saying why.
const maxSecret = 64 << 10

// readSecret reads the secret file name from r, refusing one over maxSecret bytes. It reads
// rather than trusting the file's size, since a pipe or a device has none.
func readSecret(name string, r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxSecret+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxSecret {
		return nil, fmt.Errorf("%s is over %d KiB: it holds no secret alone", name, maxSecret>>10)
	}
	return b, nil
}
