package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/officeca"
	"github.com/chancery/chancery/internal/registry"
	"github.com/spf13/cobra"
)

func newInit(g *globals) *cobra.Command {
	var s datadir.Settings
	var admin, certFile, keyFile, stampLangs string
	var noCA bool
	c := &cobra.Command{
		Use:   "init --office NAME --prefix PREFIX [--url BASE]",
		Short: "Create a registry: data directory, database, keys and the first admin",
		Long: `Init creates the data directory (--data, default ./chancery-data) with its SQLite
database, the transparency log's checkpoint key (log.key) and the office's release key
(office.key), both mode 0600, and the first admin member. It prints the admin's token on the
last line: it is shown once, and the registry keeps only its hash.

The base URL (--url) is where verifiers and the QR codes of released letters reach the
registry; without --url it is http:// and the address serve listens on (CHANCERY_LISTEN,
default 127.0.0.1:8080). The log origin names the log in every checkpoint and cannot change
later. It defaults to the base URL's host and path followed by /log. Init prints both.

Released PDFs also carry an embedded X.509 signature, so that standard PDF readers show them
as signed (the Ed25519 seal stays the primary proof). By default init creates an office CA
(pdf-ca.crt, pdf-ca.key) and a document-signing certificate issued by it (pdf-signing.crt,
pdf-signing.key, valid three years). Distribute pdf-ca.crt to readers who should trust the
signature, and move pdf-ca.key offline: the server needs only the signing key, and
'chancery key rotate pdf-cert --ca-key FILE' the CA's to renew it. To use certificates the
office already has, pass --pdf-cert and --pdf-key (PEM; the certificate file may hold its
chain).

An office that keeps its keys in a hardware security module names them with --office-key
and --log-key, PKCS#11 URIs (RFC 7512) of Ed25519 keys already in the token: no key file is
written, and the data directory records the URI without any pin-value. The URI names the
module (module-path=) and may name a PIN file (pin-source=); else the PIN comes from
CHANCERY_HSM_PIN or the file CHANCERY_HSM_PIN_FILE names, for init and for every later
start. Init opens both keys first: a wrong PIN or a missing token or module leaves nothing
behind. See docs/keys.md.

An init stopped midway (killed, or its database unreachable) leaves a data directory whose
office has no admin yet, or whose admin's token was never kept: run the same init again, with
the same settings, to finish it. It gives the admin it made a new token, and the one it made
before stops working.

The stamps on the office's PDFs (footer, draft and preview marks) are in English unless
--stamp-languages names others, e.g. en,ar for English and Arabic side by side; 'chancery
stamp-languages' changes them later.

Letters are dated, and their references numbered by year, in the office's time zone:
--time-zone names it (an IANA name such as Europe/Paris; default UTC), and 'chancery
time-zone' changes it later.`,
		Example: `  chancery init --data /var/lib/chancery --office "Task Force North" --prefix TFN \
    --url https://letters.example.org

  # stamps in English and Arabic, side by side on the footer
  chancery init --office "Task Force North" --prefix TFN --stamp-languages en,ar

  # letters dated in Paris time
  chancery init --office "Task Force North" --prefix TFN --time-zone Europe/Paris

  # keys in a token (SoftHSM2 here), PIN in a file
  chancery init --office "Task Force North" --prefix TFN --url https://letters.example.org \
    --office-key 'pkcs11:token=chancery;object=office?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=/etc/chancery/pin' \
    --log-key 'pkcs11:token=chancery;object=log?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=/etc/chancery/pin'`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if stampLangs != "" {
				langs, err := parseStampLanguages(stampLangs)
				if err != nil {
					return err
				}
				s.StampLanguages = langs
			}
			if err := checkTimeZone(s.TimeZone); err != nil {
				return err
			}
			if z, err := datadir.LoadZone(s.TimeZone); err == nil {
				warnReversedZone(c.ErrOrStderr(), z)
			}
			if !c.Flags().Changed("url") {
				u, err := listenURL(defaultListen())
				if err != nil {
					return err
				}
				s.URL = u
			}
			office, err := registry.CheckOfficeName(s.Office, s.Prefix)
			if err != nil {
				return withHint(err, "pass --office the office's name as its letters spell it, on one line: ordinary spaces between words, no invisible or control characters, and short enough to share the footer's line with a reference (about 70 letters)")
			}
			s.Office = office
			pdfCert, err := pdfCertSetup(s.Office, certFile, keyFile, noCA)
			if err != nil {
				return err
			}
			d, tok, err := initRegistry(c.Context(), g.data, database(c), s, admin, pdfCert)
			if err != nil {
				return initHint(keyHint(err), g.data)
			}
			defer d.Close()
			fmt.Fprintf(c.ErrOrStderr(), "initialized %s\noffice:     %s (references %s-YYYY-NNNNNN)\nurl:        %s\nlog origin: %s\nlog key:    %s\nadmin %q token, shown once:\n",
				d.Path, d.Settings.Office, d.Settings.Prefix, d.Settings.URL, d.Settings.Origin, d.VerifierKey(), admin)
			// Unprinted (standard output closed, or a full disk), the token is lost: the
			// directory stays unfinished, for the same init to give the admin another.
			if _, err := fmt.Fprintln(c.OutOrStdout(), tok); err != nil {
				return withHint(fmt.Errorf("print the admin's token: %w", err),
					"the office is made, its admin's token was not printed: run the same init again with standard output where it can be read; it gives the admin a new token")
			}
			if err := finishInit(d); err != nil {
				return err
			}
			if !c.Flags().Changed("url") && loopbackURL(d.Settings.URL) {
				warnLoopbackURL(c.ErrOrStderr(), d.Settings.URL)
			}
			return nil
		},
	}
	c.Flags().StringVar(&s.Office, "office", "", "the office's name, as letters and statements spell it")
	c.Flags().StringVar(&s.Prefix, "prefix", "", "reference prefix, capital letters or digits (e.g. TFN)")
	c.Flags().StringVar(&s.URL, "url", "", "public base URL of the registry (default http:// and $CHANCERY_LISTEN, else http://127.0.0.1:8080)")
	c.Flags().StringVar(&s.Origin, "origin", "", "log origin (default: the URL's host and path + /log)")
	c.Flags().StringVar(&admin, "admin", "admin", "name of the first admin member")
	c.Flags().StringVar(&certFile, "pdf-cert", "", "import this PEM document-signing certificate (and chain) instead of creating an office CA")
	c.Flags().StringVar(&keyFile, "pdf-key", "", "the PEM private key of --pdf-cert")
	c.Flags().StringVar(&s.OfficeKey, "office-key", "", "PKCS#11 URI of the office's Ed25519 release key in a token (no office.key is written)")
	c.Flags().StringVar(&s.LogKey, "log-key", "", "PKCS#11 URI of the log's Ed25519 checkpoint key in a token (no log.key is written)")
	c.Flags().BoolVar(&noCA, "no-pdf-ca", false, "create no PDF signing certificate: released PDFs carry the seal and footer only")
	c.Flags().StringVar(&stampLangs, "stamp-languages", "", "languages of the stamps on the office's PDFs, among en, fr, ar, e.g. en,ar (default en)")
	c.Flags().StringVar(&s.TimeZone, "time-zone", "", "the office's time zone, in which letters are dated: an IANA name such as Europe/Paris (default UTC)")
	addDatabaseFlag(c.Flags())
	c.MarkFlagsRequiredTogether("pdf-cert", "pdf-key")
	c.MarkFlagsMutuallyExclusive("pdf-cert", "no-pdf-ca")
	c.MarkFlagRequired("office")
	c.MarkFlagRequired("prefix")
	return c
}

// defaultListen is the address serve listens on without --listen: CHANCERY_LISTEN, else
// 127.0.0.1:8080.
func defaultListen() string {
	if l := os.Getenv("CHANCERY_LISTEN"); l != "" {
		return l
	}
	return "127.0.0.1:8080"
}

// defaultTrustedProxies is serve's --trusted-proxy when not given: CHANCERY_TRUSTED_PROXIES,
// comma-separated, or none.
func defaultTrustedProxies() []string {
	if v := os.Getenv("CHANCERY_TRUSTED_PROXIES"); v != "" {
		return strings.Split(v, ",")
	}
	return nil
}

// listenURL is the base URL of a registry served at the listen address: a host to reach it
// by, not a wildcard address such as :8080 or 0.0.0.0:8080.
func listenURL(listen string) (string, error) {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return "", withHint(fmt.Errorf("listen address %q: %w", listen, err), "set CHANCERY_LISTEN to HOST:PORT, or pass --url")
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		return "", withHint(fmt.Errorf("listen address %q names no host the registry can be reached at", listen), "pass --url with the registry's public URL, e.g. --url https://letters.example.org")
	}
	return "http://" + listen, nil
}

// warnLoopbackURL warns on w that u, the registry's URL an init recorded from the listen
// address (no --url), names this machine alone (loopbackURL).
func warnLoopbackURL(w io.Writer, u string) {
	fmt.Fprintf(w, "chancery: warning: the registry's URL is %s, an address of this machine alone: every released letter's footer and QR code lead there, and the log origin cannot change; for an office whose letters others verify, init another data directory with --url and the registry's public address (such as https://letters.example.org)\n", u)
}

// loopbackURL reports whether the base URL u names this machine alone (a loopback address,
// or localhost): the address init records without --url, which no outsider reaches.
func loopbackURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	h := p.Hostname()
	if ip := net.ParseIP(h); ip != nil {
		return ip.IsLoopback()
	}
	return h == "localhost" || strings.HasSuffix(h, ".localhost")
}

// initRegistry creates the data directory, the empty log and the first admin.
func initRegistry(ctx context.Context, path, database string, s datadir.Settings, admin string, pdfCert func(string) error) (*datadir.Dir, string, error) {
	// OriginFor checks the URL, which every released letter carries, even with --origin.
	origin, err := datadir.OriginFor(s.URL)
	if err != nil {
		return nil, "", withHint(err, "pass --url https://your.registry.example, the registry's public address alone")
	}
	if s.Origin == "" {
		s.Origin = origin
	}
	d, tok, err := office.Init(ctx, path, s, admin, pdfCert, office.Options{Database: database})
	if errors.Is(err, datadir.ErrLocked) {
		return nil, "", withHint(err, "stop the server, or the command, using %s first, then run the same init again: it finishes the office", path)
	}
	if h := unmadeDirHint(err, path); h != nil {
		return nil, "", h
	}
	if h := unownedEmptyDirHint(err, path); h != nil {
		return nil, "", h
	}
	return d, tok, storeHint(err, path)
}

// initHint adds what to do to a failed init that has no hint yet: one that found an office
// in the directory, or one that stopped after it made the directory, which the same init
// run again finishes.
func initHint(err error, path string) error {
	var h *hinted
	switch {
	case errors.As(err, &h), errors.Is(err, datadir.ErrNotOwner): // run gives the latter's hint
		return err
	case errors.Is(err, datadir.ErrInitialized):
		return withHint(err, "for a new office pass --data a new directory; an init of this one that stopped midway is finished by the same init, with the same settings")
	}
	if _, serr := os.Lstat(filepath.Join(path, datadir.SettingsFile)); serr == nil {
		return withHint(err, "the data directory %s is made, its office not yet: once the cause is fixed, run the same init again, which finishes it", path)
	}
	return err
}

// finishInit clears the data directory's unfinished mark once the admin's token is printed:
// an init stopped before that, run again, gives the admin a new token (office.Init).
func finishInit(d *datadir.Dir) error {
	initStep("printed")
	if err := d.Finish(); err != nil {
		return withHint(fmt.Errorf("the office is made and its admin's token printed, but the data directory still says init is unfinished: %w", err),
			"make %s writable and run the same init again: it gives the admin a new token, and the printed one stops working", d.Path)
	}
	return nil
}

// initStep, set only by tests, is called with the name of each step of init once it is done:
// crash tests kill the process there.
var initStep = func(string) {}

// pdfCertSetup returns how init sets up the PDF signing certificate: import the given files,
// create an office CA, or nothing.
func pdfCertSetup(officeName, certFile, keyFile string, none bool) (func(string) error, error) {
	if none {
		return nil, nil
	}
	if certFile == "" {
		return func(dir string) error { return officeca.Create(dir, officeName, time.Now()) }, nil
	}
	cert, err := readLimited(certFile, maxCertFile)
	if err != nil {
		return nil, err
	}
	key, err := readLimited(keyFile, maxKeyFile)
	if err != nil {
		return nil, err
	}
	// Check the pair before the data directory exists, so that a refused certificate leaves
	// nothing behind.
	if err := officeca.Check(cert, key, time.Now()); err != nil {
		return nil, withHint(fmt.Errorf("pdf certificate: %w", err), "--pdf-cert must be a document-signing certificate and --pdf-key its private key, both PEM")
	}
	return func(dir string) error { return officeca.Import(dir, cert, key, time.Now()) }, nil
}
