package cli

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/keys"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/spf13/cobra"
)

// remote holds what the client commands need: the server's URL and the member's token.
type remote struct {
	url string
	// trustRootURL says that url is the address a trust root names (see useTrustRootURL),
	// not one the user gave: CHANCERY_TOKEN is not sent there.
	trustRootURL bool
	// tokenFileWarning is what is unsafe about the token file read, if anything.
	tokenFileWarning string
}

// useTrustRootURL makes the commands that check against a trust root (verify, seal refresh)
// ask the registry it names, unless --url or CHANCERY_URL names one. CHANCERY_TOKEN and
// CHANCERY_TOKEN_FILE are the member's token for the registry at CHANCERY_URL (or the
// default): trust roots are handed around, another office's included, so only a token
// 'chancery login' saved for that very address goes there.
func (rm *remote) useTrustRootURL(c *cobra.Command, root *seal.TrustRoot) {
	if c.Flags().Changed("url") || root.BaseURL == "" || os.Getenv("CHANCERY_URL") != "" {
		return
	}
	rm.url, rm.trustRootURL = root.BaseURL, !sameOrigin(root.BaseURL, rm.url)
}

// warnPlainHTTP warns on w when a credential (the member's token, or the provider's tokens
// 'chancery login' hands on) is to go to a registry on another machine over plain HTTP:
// anyone on the way reads it and acts as the member until it is replaced, and answers in the
// registry's place. Loopback addresses (a registry on this machine, the default) are quiet.
func warnPlainHTTP(w io.Writer, base string, credential bool) {
	u, err := url.Parse(base)
	if !credential || err != nil || !strings.EqualFold(u.Scheme, "http") || loopback(u.Hostname()) {
		return
	}
	fmt.Fprintf(w, "chancery: warning: %s is plain http: the token crosses the network unencrypted, readable and replaceable by anyone on the way; use the registry's https address\n", printable(redacted(base)))
}

// redacted returns the registry URL base as messages quote it: a password in it, a
// credential too (sent as basic authentication), masked as Go's own errors mask it.
func redacted(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.User == nil {
		return base
	}
	return u.Redacted()
}

// loopback reports whether host names this machine.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameOrigin reports whether a and b are URLs of one scheme, host and port.
func sameOrigin(a, b string) bool {
	ua, err := url.Parse(a)
	if err != nil {
		return false
	}
	ub, err := url.Parse(b)
	if err != nil {
		return false
	}
	return client.SameOrigin(ua, ub)
}

func defaultURL() string {
	if u := os.Getenv("CHANCERY_URL"); u != "" {
		return u
	}
	return "http://127.0.0.1:8080"
}

// client returns an API client. The token comes from CHANCERY_TOKEN or CHANCERY_TOKEN_FILE,
// never from a flag, so that it does not show in process listings or shell history.
func (rm *remote) client(needToken bool) (*client.Client, error) {
	tok := os.Getenv("CHANCERY_TOKEN")
	if rm.trustRootURL {
		tok = ""
	} else if f := os.Getenv("CHANCERY_TOKEN_FILE"); tok == "" && f != "" {
		var err error
		if tok, rm.tokenFileWarning, err = readTokenFile(f); err != nil {
			return nil, err
		}
	} else if f != "" {
		// Two tokens may be two members: say which one acts.
		rm.tokenFileWarning = "CHANCERY_TOKEN and CHANCERY_TOKEN_FILE are both set: CHANCERY_TOKEN is used, " + f + " is not read"
	}
	if tok == "" {
		tok = savedToken(rm.url) // from 'chancery login'
	}
	if needToken && tok == "" {
		if s := savedLoginFor(rm.url); s != nil {
			// A member who signs in through the office's provider has no token to set.
			return nil, withHint(fmt.Errorf("no token: the sign-in of 'chancery login' to %s ended at %s", printable(redacted(rm.url)), humanTime(s.ExpiresAt)),
				"sign in again with 'chancery login' (or set CHANCERY_TOKEN)")
		}
		return nil, withHint(errors.New("no token"), "set CHANCERY_TOKEN (or CHANCERY_TOKEN_FILE) to the token 'chancery init' or 'chancery member add' printed")
	}
	c, err := client.New(rm.url, tok)
	if err != nil {
		return nil, withHint(err, "set CHANCERY_URL or pass --url")
	}
	return c, nil
}

// maxTokenFile bounds the token files read: a token is a few dozen characters.
const maxTokenFile = 4 << 10

// readTokenFile reads the member's token from the file CHANCERY_TOKEN_FILE names, and returns
// a warning if its group or others can read it (keys.CheckPrivate): whoever reads it acts as
// the member. Such files are warned about, not refused: a token saved with a shell's
// redirection has the umask's mode, and worked before.
func readTokenFile(path string) (tok, warning string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", fmt.Errorf("read CHANCERY_TOKEN_FILE: %w", err)
	}
	defer f.Close()
	if err := keys.CheckPrivate(f); err != nil {
		warning = fmt.Sprintf("CHANCERY_TOKEN_FILE %s %v: whoever reads it acts as you", path, err)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxTokenFile+1))
	if err != nil {
		return "", "", fmt.Errorf("read CHANCERY_TOKEN_FILE: %w", err)
	}
	if len(b) > maxTokenFile {
		return "", "", fmt.Errorf("CHANCERY_TOKEN_FILE %s is larger than %d bytes: not a token", path, maxTokenFile)
	}
	return strings.TrimSpace(string(b)), warning, nil
}

// warn prints, on w, what is unsafe about how cl's token is kept or sent.
func (rm *remote) warn(w io.Writer, cl *client.Client) {
	if rm.tokenFileWarning != "" && cl.Token != "" {
		fmt.Fprintf(w, "chancery: warning: %s\n", printable(rm.tokenFileWarning))
	}
	warnPlainHTTP(w, cl.Base, cl.Token != "")
}

// apiErr adds hints to the server's refusals.
func apiErr(err error) error {
	var ae *client.APIError
	var h *hinted
	switch {
	case errors.As(err, &h): // a command's own hint says more (release: fetch what was released)
		return err
	case errors.Is(err, client.ErrRedirected):
		return withHint(err, "if that address is the registry's own, set CHANCERY_URL (or --url) to it: the token is never sent on to another address")
	case errors.Is(err, client.ErrAnswerLost):
		return withHint(err, "see whether it was made ('chancery letter show REF', 'chancery letter list') before you ask again: a change asked for twice is refused, never made twice")
	case errors.Is(err, client.ErrUnreachable):
		return withHint(err, "%s", unreachableHint(err))
	case errors.As(err, &ae) && ae.Status == 401:
		return withHint(err, "check CHANCERY_TOKEN")
	case errors.As(err, &ae) && ae.Status == 429:
		return withHint(err, "the registry limits how fast the public may ask: wait a minute, or ask with a member's token (CHANCERY_TOKEN), which is not limited")
	case errors.As(err, &ae) && ae.Status == 403 && roleHint(ae.Message) != "":
		return withHint(err, "%s", roleHint(ae.Message))
	case errors.As(err, &ae) && ae.Status == 422 && ae.Decision != nil:
		return withHint(err, "see what the release still needs with 'chancery letter show REF'")
	case errors.As(err, &ae) && notFromARegistry(ae) && ae.Status >= 500:
		return withHint(err, "the server at CHANCERY_URL (or --url), or a proxy in front of it, failed without a registry's answer: try again later, and see the server's log")
	case errors.As(err, &ae) && notFromARegistry(ae):
		return withHint(err, "the server at CHANCERY_URL (or --url) answered, but not as a Chancery registry: set it to the registry's base URL, as 'chancery init' printed it (such as https://letters.example.org, without /log or another path)")
	case errors.As(err, &ae) && ae.Status == 404 && strings.Contains(ae.Message, "letter ") && strings.HasSuffix(ae.Message, ": not found"):
		return withHint(err, "check the reference; 'chancery letter list' lists the office's letters (members with a role)")
	}
	return err
}

// neededRole matches the registry's refusal of a member without the role an action needs
// ("forbidden: lex needs the reviewer role", or "release or admin").
var neededRole = regexp.MustCompile(`^forbidden: (\S+) needs the ([a-z]+)((?: or [a-z]+)*) role$`)

// roleHint says how a member refused for want of a role gets it, or "" for another refusal.
// An office's own roles (legal, chain-of-command) count for approvals and signatures only
// beside reviewer and signer: a member holding legal alone approves nothing.
func roleHint(msg string) string {
	m := neededRole.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	name, role := m[1], m[2]
	h := fmt.Sprintf("an admin gives %s the role with 'chancery member roles %s --add %s'", name, name, role)
	switch role {
	case registry.RoleReviewer:
		h += "; only reviewers approve, whatever role of the office's own (such as legal) the policy asks for: a legal approver holds legal and reviewer"
	case registry.RoleSigner:
		h += "; only signers sign, whatever role or group the policy asks for"
	}
	return h
}

// notFromARegistry reports whether ae is an answer without a registry's JSON error: the
// client then says only the request and the HTTP status ("GET /api/v1/letters/X: 404 Not
// Found"), as from a web server or proxy at another path than the registry's.
func notFromARegistry(ae *client.APIError) bool {
	method, rest, ok := strings.Cut(ae.Message, " ")
	if !ok || method == "" || strings.ToUpper(method) != method || !strings.HasPrefix(rest, "/") {
		return false
	}
	_, status, ok := strings.Cut(rest, ": ")
	return ok && status == fmt.Sprintf("%d %s", ae.Status, http.StatusText(ae.Status))
}

// unreachableHint says what to do about a registry that could not be reached, err saying why.
func unreachableHint(err error) string {
	var unknownCA x509.UnknownAuthorityError
	var wrongName x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verification *tls.CertificateVerificationError
	switch {
	case errors.As(err, &wrongName):
		return "the registry's TLS certificate is for another name: set CHANCERY_URL (or --url) to the name the certificate was issued for"
	case errors.As(err, &unknownCA), errors.As(err, &invalid), errors.As(err, &verification):
		return "the registry's TLS certificate is not one this machine trusts (issued by a private CA, expired, or not the registry's): check CHANCERY_URL; for the office's own CA, add it to the system's certificates or name its file in SSL_CERT_FILE"
	case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return "the server at that address speaks plain HTTP, not HTTPS: use the registry's https:// address (the one its TLS proxy serves), or http:// for a registry on this machine"
	}
	return "is 'chancery serve' running at CHANCERY_URL? (default http://127.0.0.1:8080)"
}

// asksNoRegistry refuses --url given to c, a command that runs on this machine alone but
// takes the flag from its parent, whose other commands ask a registry: the flag would be
// ignored, and whoever gave it would believe the registry was asked.
func asksNoRegistry(c *cobra.Command) error {
	if f := c.Flags().Lookup("url"); f == nil || !f.Changed {
		return nil
	}
	return withHint(fmt.Errorf("%s runs on this machine and asks no registry: it takes no --url", c.CommandPath()),
		"leave --url out")
}

// registryFlagUsage describes the flag that names the registry, and where the member's token
// comes from, which no flag gives (client).
const registryFlagUsage = "registry URL (env CHANCERY_URL; the member's token is read from CHANCERY_TOKEN, or from the file CHANCERY_TOKEN_FILE names)"

func addRemoteFlags(c *cobra.Command, rm *remote) {
	c.PersistentFlags().StringVar(&rm.url, "url", defaultURL(), registryFlagUsage)
}

// loadKey loads an encrypted signer key file, asking for its passphrase.
func loadKey(c *cobra.Command, path string) (ed25519.PrivateKey, error) {
	if err := checkKeyFile(path); err != nil {
		return nil, err
	}
	warnKeyFileMode(c, path)
	pass, err := keys.Passphrase("passphrase for "+filepath.Base(path)+": ", os.Stdin, c.ErrOrStderr())
	if err != nil {
		return nil, withHint(err, keys.PassphraseHint)
	}
	k, err := keys.Load(path, pass)
	if errors.Is(err, keys.ErrWrongPassphrase) {
		return nil, withHint(fmt.Errorf("the passphrase does not open %s", path),
			"type the passphrase chosen with 'chancery key new' (or check %s and %s); nothing was signed", keys.PassphraseEnv, keys.PassphraseFileEnv)
	}
	return k, err
}

// warnKeyFileMode warns when others on this machine can read or change the key file at path:
// its passphrase is then all that stands between them and the key, and they can try
// passphrases offline at their own pace ('chancery key new' writes it with mode 0600; a copy
// made with the umask's mode, or an unpacked backup, is not). A warning, not a refusal, as for
// CHANCERY_TOKEN_FILE: such files signed before.
func warnKeyFileMode(c *cobra.Command, path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	if err := keys.CheckPrivate(f); err != nil {
		fmt.Fprintf(warnings(c), "chancery: warning: key file %s %v: whoever copies it can try passphrases offline\n", printable(path), err)
	}
}

// checkKeyFile refuses, before the passphrase is asked, a key file that is missing or is the
// public key that 'chancery key new' writes beside it.
func checkKeyFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return withHint(fmt.Errorf("key file: %w", err), "pass the key file 'chancery key new --out FILE' wrote, with --key FILE")
	}
	defer f.Close()
	head := make([]byte, len(keys.PublicKeyPrefix)+1)
	n, _ := io.ReadFull(f, head)
	if string(head[:n]) == keys.PublicKeyPrefix+" " {
		return withHint(fmt.Errorf("%s is a public key: signing needs the private key file", path),
			"pass the file without .pub, e.g. --key %s; the .pub file is for 'chancery key register'", strings.TrimSuffix(path, ".pub"))
	}
	return nil
}

// signStatement loads the key file, checks that the statement is a signing statement for the
// letter ref (and for the version with digest read, if not empty), signs the statement's DSSE
// PAE locally and returns the key ID and the signature. Before the key is loaded it shows, in
// a few words, what is being signed. The registry's answer is checked, not trusted: a registry
// reached over plain HTTP answers whatever someone on the way wants.
func signStatement(c *cobra.Command, ref string, read seal.Digest, keyFile string, st *client.Statement) (string, []byte, error) {
	// The payload type is part of what the key signs (DSSE PAE): only a signing statement's
	// is signed here, whatever type the registry names.
	if st.PayloadType != seal.SigningPayloadType {
		return "", nil, fmt.Errorf("the registry asks to sign its statement as %q, not as a signing statement: nothing was signed", st.PayloadType)
	}
	var ss seal.SigningStatement
	if err := seal.Unmarshal(st.Statement, &ss); err != nil {
		return "", nil, fmt.Errorf("the registry's signing statement does not check out, nothing was signed: %w", err)
	}
	if ss.Reference != ref {
		return "", nil, fmt.Errorf("the registry sent the signing statement of %s, not %s: nothing was signed", ss.Reference, ref)
	}
	if read != "" && ss.Digest != read {
		return "", nil, withHint(fmt.Errorf("the registry sent the signing statement of version %d %s, not of %s: nothing was signed", ss.Version, ss.Digest, read),
			"read the latest version ('chancery letter show %s') and sign it with its digest", ref)
	}
	// Shown before the key is opened: at a terminal the passphrase prompt follows it, so the
	// signer reads what they sign before they consent with the passphrase (or stop with
	// Ctrl-C), as retract and supersede show their record. The statement's text comes from
	// the registry's answer: escaped, it cannot rewrite the line that tells the signer what
	// they sign.
	tags := ""
	if len(ss.Tags) > 0 {
		tags = ", tags " + strings.Join(ss.Tags, ", ")
	}
	fmt.Fprintln(c.ErrOrStderr(), printable(fmt.Sprintf("signing %s %q (%s%s, to %s), version %d %s, under policy %s, for %q",
		ss.Reference, ss.Subject, ss.Class, tags, strings.Join(ss.Addressees, "; "), ss.Version, ss.Digest, short(string(ss.Policy)), ss.Office)))
	return signRecord(c, keyFile, st)
}

// signRecord signs st with the key in keyFile, printing nothing.
func signRecord(c *cobra.Command, keyFile string, st *client.Statement) (string, []byte, error) {
	k, err := loadKey(c, keyFile)
	if err != nil {
		return "", nil, err
	}
	return dsse.KeyID(k.Public().(ed25519.PublicKey)), ed25519.Sign(k, dsse.PAE(st.PayloadType, st.Statement)), nil
}

func ctx(c *cobra.Command) context.Context { return c.Context() }

// withClient returns a command's RunE that gives f a client with the member's token, and adds
// hints to the server's refusals.
func (rm *remote) withClient(f func(c *cobra.Command, cl *client.Client, args []string) error) func(*cobra.Command, []string) error {
	return rm.withClientToken(true, f)
}

// withClientToken is withClient for a command that needs a token only if needToken is set:
// without one it asks as the public.
func (rm *remote) withClientToken(needToken bool, f func(c *cobra.Command, cl *client.Client, args []string) error) func(*cobra.Command, []string) error {
	return func(c *cobra.Command, args []string) error {
		cl, err := rm.client(needToken)
		if err != nil {
			return err
		}
		rm.warn(warnings(c), cl)
		out, errw := &escaper{w: c.OutOrStdout()}, &escaper{w: c.ErrOrStderr()}
		c.SetOut(out)
		c.SetErr(errw)
		defer out.flush()
		defer errw.flush()
		return refInHint(c, args, apiErr(f(c, cl, args)))
	}
}

// refInHint writes the reference c was given into err's hint, where the hint names the
// command to run next with REF ("see what the release still needs with 'chancery letter show
// REF'"): c's usage names its first argument REF.
func refInHint(c *cobra.Command, args []string, err error) error {
	var h *hinted
	if len(args) == 0 || !strings.HasPrefix(c.Use, c.Name()+" REF") || !errors.As(err, &h) || !strings.Contains(h.hint, " REF'") {
		return err
	}
	h.hint = strings.ReplaceAll(h.hint, " REF'", " "+args[0]+"'")
	return err
}
