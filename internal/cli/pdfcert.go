package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/officeca"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/spf13/cobra"
)

// pdfCertResult is what 'chancery key rotate pdf-cert --json' prints.
type pdfCertResult struct {
	Certificate string    `json:"certificate"` // the renewed certificate's file
	Serial      string    `json:"serial"`      // its serial number, in hex
	NotAfter    time.Time `json:"not_after"`   // the end of its validity
}

// newPDFCertRotate is 'chancery key rotate pdf-cert', run on the registry's machine with its
// data directory.
func newPDFCertRotate(g *globals) *cobra.Command {
	var caKeyFile string
	var asJSON bool
	c := &cobra.Command{
		Use:   "pdf-cert [--ca-key FILE]",
		Short: "Renew the office's PDF signing certificate with the office CA",
		Long: `Rotate pdf-cert renews the certificate released PDFs are signed with (pdf-signing.crt, its
key pdf-signing.key, in the data directory), which 'chancery init' made valid for three
years. Releases are refused once it has ended; from 30 days before, /readyz, the server's
log and the admin pages warn of it.

The new certificate is for a new key, with the same subject, issued by the office CA that
init made (pdf-ca.crt), for three years (never beyond the CA's own end). Readers who trust
pdf-ca.crt trust it as they did the old one: nothing needs handing out again, and letters
released before keep their signatures. The CA's private key is read from --ca-key, by
default pdf-ca.key in the data directory: init advises keeping it offline, so name the copy
on the medium it is kept on.

A certificate imported at init from another issuer (--pdf-cert) is refused: ask that issuer
for a new one and put it in place as docs/operations.md, "Renewing the PDF signing
certificate", says.

The new key and certificate are written whole beside the old pair, then renamed over it. If
the command is killed midway, a server may refuse to start ("a renewal was interrupted"):
run the same command again, which finishes it.

The renewal runs with the server stopped (it takes the data directory's lock), and is
recorded in the office's audit trail. A server reads the certificate when it starts: start
it again afterwards. With PostgreSQL and several servers, renew in one data directory, copy
its new pdf-signing.crt and pdf-signing.key (mode 0600) to each other server's, and restart
each.`,
		Example: `  systemctl stop chancery
  chancery key rotate pdf-cert --data /var/lib/chancery --ca-key /media/office-ca/pdf-ca.key
  systemctl start chancery`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			d, done, err := stoppedDir(c, g.data, "stop the server first, and start it again after the renewal: it reads the certificate when it starts", nil)
			if err != nil {
				return err
			}
			defer done()
			// An office without an office CA is told so before the CA's key is asked for.
			if err := officeca.Renewable(d.Path); err != nil {
				return renewalHint(err)
			}
			if caKeyFile == "" {
				caKeyFile = filepath.Join(d.Path, officeca.CAKeyFile)
			}
			caKey, err := readLimited(caKeyFile, maxKeyFile)
			if errors.Is(err, fs.ErrNotExist) {
				return withHint(err, "the office CA's key is not there (init advises keeping it offline): name the copy kept offline with --ca-key FILE")
			}
			if err != nil {
				return err
			}
			cert, err := officeca.Renew(d.Path, caKey, time.Now())
			if err != nil {
				return renewalHint(err)
			}
			r := pdfCertResult{Certificate: filepath.Join(d.Path, officeca.SigningCertFile), Serial: fmt.Sprintf("%x", cert.SerialNumber), NotAfter: cert.NotAfter.UTC()}
			// Opening the office also checks that it loads the new pair.
			st, err := office.Open(c.Context(), d, office.Options{Database: database(c), Migrated: func(v int) { warnMigrated(c, v) }})
			if err == nil {
				defer st.Close()
				actor := registry.Actor{Member: &store.Member{Name: "operator (chancery key rotate)"}, Remote: "local"}
				err = st.Registry.RecordPDFCertificateRenewal(c.Context(), actor, fmt.Sprintf("serial %s, valid until %s", r.Serial, r.NotAfter.Format(time.DateTime+" UTC")))
			}
			if err != nil {
				return keyHint(storeHint(fmt.Errorf("the pdf signing certificate is renewed (until %s), but its audit event was not recorded: %w", r.NotAfter.Format(time.DateOnly), err), d.Path))
			}
			if asJSON {
				return writeJSON(c.OutOrStdout(), r)
			}
			fmt.Fprintf(c.OutOrStdout(), "pdf signing certificate renewed: serial %s, valid until %s\n", short(r.Serial), r.NotAfter.Format(time.DateTime+" UTC"))
			fmt.Fprintln(c.ErrOrStderr(), "start the server again: it signs with the new certificate from its start")
			return nil
		},
	}
	c.Flags().StringVar(&caKeyFile, "ca-key", "", "the office CA's private key (default: pdf-ca.key in the data directory)")
	addDatabaseFlag(c.Flags())
	addJSONFlag(c, &asJSON)
	return c
}

// renewalHint adds to a refused renewal of the PDF signing certificate what to do instead.
func renewalHint(err error) error {
	switch {
	case errors.Is(err, officeca.ErrNotOfficeCA):
		return withHint(err, "only its issuer can renew it: ask it for a new certificate, and put it in place with its key (and its chain) as docs/operations.md, \"Renewing the PDF signing certificate\", says; then restart the server")
	case errors.Is(err, officeca.ErrNotCAKey):
		return withHint(err, "--ca-key takes the office CA's private key, pdf-ca.key as init wrote it (not pdf-signing.key)")
	case errors.Is(err, officeca.ErrNoCertificate):
		return withHint(err, "this office signs released PDFs with no X.509 certificate (init --no-pdf-ca): there is nothing to renew")
	}
	return err
}
