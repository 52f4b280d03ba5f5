package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/dispatch"
	"github.com/chancery/chancery/internal/registry"
	"github.com/spf13/cobra"
)

func newDispatch(rm *remote) *cobra.Command {
	var recipients []string
	var asJSON bool
	c := &cobra.Command{
		Use:   "dispatch REF --recipient NAME [--recipient NAME...]",
		Short: "Mail a released letter to recipients of the directory, with its seal and a receipt link (release officer)",
		Long: `Dispatch queues the released letter REF for each named recipient, at each of their addresses
(see 'chancery recipient add'). The server's outbox delivers it through its SMTP server
(serve --smtp), with the released file and its seal attached, the verify URL, and a
single-use link with which the recipient acknowledges receipt. Delivery is retried with
backoff; 'chancery dispatch status REF' shows where each message stands.

Only a released letter in force leaves by dispatch: a draft, an unapproved letter or a
withdrawn letter is refused and nothing is queued. A draft leaves only as a marked
coordination copy ('chancery draft send'). A recipient the letter is not addressed to is
refused when a rule of the policy in force would ask more of the letter were it addressed to
them (their organisation, name or address) than the letter's release was checked against
(docs/policy-format.md): create a letter addressed to them. If the letter is later retracted
or superseded, everyone it was sent to gets a notice with the signed reason.`,
		Example: `  chancery dispatch TFN-2026-000042 --recipient ministry
  chancery dispatch TFN-2026-000042 --recipient ministry --recipient liaison --json`,
		Args: cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			out, err := cl.Dispatch(ctx(c), args[0], recipients)
			if err != nil {
				return dispatchErr(err)
			}
			if asJSON {
				return writeJSON(c.OutOrStdout(), nonNil(out))
			}
			for _, d := range out {
				fmt.Fprintf(c.OutOrStdout(), "%s to %s <%s>: %s%s\n", args[0], printable(d.Recipient), printable(d.Email), d.Status, printable(aLabelsNote(d.Email)))
			}
			fmt.Fprintf(c.OutOrStdout(), "follow it with: chancery dispatch status %s\n", args[0])
			return nil
		}),
	}
	c.Flags().StringArrayVar(&recipients, "recipient", nil, "recipient's name in the directory (repeatable)")
	c.MarkFlagRequired("recipient")
	addJSONFlag(c, &asJSON)
	c.AddCommand(newDispatchStatus(rm), newDispatchRetry(rm))
	return c
}

func newDispatchRetry(rm *remote) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "retry REF [--json]",
		Short: "Send again the messages about a letter that failed (release officer)",
		Long: `Retry queues again the messages about REF whose delivery failed for good ('chancery
dispatch status REF' shows them failed, with the mail server's last reply): the letter's
copies by mail while it is released and in force, and the notices of its retraction or
supersession whatever its state. Each is attempted again from the first attempt, with the
same Message-ID and receipt link. A message fails after the server's last attempt (serve
--dispatch-attempts, 10 by default, with a backoff that doubles up to hours), as after a
mail outage of some hours or a relay whose password changed: retry once the cause is
mended, so that no one who was sent the letter misses its withdrawal. Coordination copies
are sent again with 'chancery draft send'. A copy is sent again only to a recipient a new
'chancery dispatch' would send it to: the policy in force is checked again, and a refusal
(exit status 2) names the recipient and the rule.

Nothing failed that can be sent again is refused (exit status 2). Every retry is in the
audit trail.`,
		Example: `  chancery dispatch retry TFN-2026-000042
  chancery dispatch retry TFN-2026-000042 --json`,
		Args: cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			out, err := cl.RetryDispatch(ctx(c), args[0])
			if err != nil {
				return dispatchErr(err)
			}
			if asJSON {
				return writeJSON(c.OutOrStdout(), nonNil(out))
			}
			for _, d := range out {
				fmt.Fprintf(c.OutOrStdout(), "%s %s to %s <%s>: %s again%s\n", args[0], d.Kind, printable(d.Recipient), printable(d.Email), d.Status, printable(aLabelsNote(d.Email)))
			}
			fmt.Fprintf(c.OutOrStdout(), "follow it with: chancery dispatch status %s\n", args[0])
			return nil
		}),
	}
	addJSONFlag(c, &asJSON)
	return c
}

func newDispatchStatus(rm *remote) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "status REF [--json]",
		Short: "Show every message about a letter: recipient, address, kind, status, attempts, receipt",
		Long: `Status lists the messages about REF, one per recipient address and kind: the letter
(letter), coordination copies of its drafts (draft-copy) and retraction or supersession
notices (notice). Status is queued, sent, deferred (the SMTP server's last reply says why;
it is tried again later) or failed (after the last attempt, with the server's reply).
received_at is when the recipient acknowledged receipt, null until then.`,
		Example: `  chancery dispatch status TFN-2026-000042
  chancery dispatch status TFN-2026-000042 --json | jq '.[] | select(.status == "failed")'`,
		Args: cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			out, err := cl.Dispatches(ctx(c), args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(c.OutOrStdout(), nonNil(out))
			}
			printDispatches(c.OutOrStdout(), out)
			return nil
		}),
	}
	addJSONFlag(c, &asJSON)
	return c
}

func printDispatches(w io.Writer, out []registry.DispatchView) {
	if len(out) == 0 {
		fmt.Fprintln(w, "nothing was sent about this letter")
		return
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	// The A-labels of domains not in ASCII, in a last column of their own, there only when an
	// address has them (aLabels).
	labels := false
	for _, d := range out {
		labels = labels || aLabels(d.Email) != ""
	}
	head := "recipient\temail\tkind\tstatus\tattempts\treceived\treply"
	if labels {
		head += "\ta-labels"
	}
	fmt.Fprintln(tw, head)
	for _, d := range out {
		received := "-"
		if d.ReceivedAt != nil {
			received = humanTime(*d.ReceivedAt)
		}
		status := d.Status
		if d.MaybeDelivered {
			status += " (may have been delivered)"
		}
		row := fmt.Sprintf("%s\t%s\t%s\t%s\t%d\t%s\t%s", printable(d.Recipient), printable(d.Email), d.Kind, status, d.Attempts, received, printable(d.Reply))
		if labels {
			row += "\t" + printable(aLabels(d.Email))
		}
		fmt.Fprintln(tw, row)
	}
	tw.Flush()
}

func newDraftSend(rm *remote) *cobra.Command {
	var recipient, version string
	var asJSON bool
	c := &cobra.Command{
		Use:   "send REF --recipient NAME [--version DIGEST]",
		Short: "Mail the latest version as a recorded coordination copy, marked for the recipient",
		Long: `Send makes the coordination copy of REF's latest version that 'chancery draft export' makes,
marked for the recipient, records it like any draft export, and mails it to each of the
recipient's addresses through the server's outbox. The copy verifies as a draft, never as
the letter. It is refused once the letter is released: dispatch the released letter. A copy
of the version that failed for good ('chancery dispatch status REF') is queued again as it was
made, with its receipt link; one waiting or sent is not sent twice.`,
		Example: `  chancery draft send TFN-2026-000042 --recipient liaison`,
		Args:    cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			out, err := cl.SendDraft(ctx(c), args[0], recipient, version)
			if err != nil {
				return dispatchErr(err)
			}
			if asJSON {
				return writeJSON(c.OutOrStdout(), nonNil(out))
			}
			for _, d := range out {
				fmt.Fprintf(c.OutOrStdout(), "draft copy of %s version %d to %s <%s>: %s%s\n", args[0], d.Version, printable(d.Recipient), printable(d.Email), d.Status, printable(aLabelsNote(d.Email)))
			}
			return nil
		}),
	}
	c.Flags().StringVar(&recipient, "recipient", "", "recipient's name in the directory")
	c.Flags().StringVar(&version, "version", "", "digest of the version you read (refused if it is not the latest); without it, the latest version")
	c.MarkFlagRequired("recipient")
	addJSONFlag(c, &asJSON)
	return c
}

// dispatchErr adds hints to refused dispatches.
func dispatchErr(err error) error {
	var ae *client.APIError
	if !errors.As(err, &ae) {
		return err
	}
	switch {
	case strings.Contains(ae.Message, registry.ErrNoMail.Error()):
		return withHint(err, "the server sends mail only when it runs with --smtp URL and --mail-from ADDR (or CHANCERY_SMTP_URL and CHANCERY_MAIL_FROM); nothing was queued")
	case ae.Status == 404 && strings.Contains(ae.Message, "recipient"):
		return withHint(err, "see the directory with 'chancery recipient list'; an admin adds recipients with 'chancery recipient add'")
	case ae.Status == 409 && strings.Contains(ae.Message, "not released"):
		return withHint(err, "nothing was queued; see what the release still needs with 'chancery letter show REF'")
	case ae.Status == 409:
		return withHint(err, "nothing was queued; see what was sent with 'chancery dispatch status REF'")
	}
	return err
}

// dispatchOpts are serve's mail and webhook settings.
type dispatchOpts struct {
	smtp, from          string
	passwordFile        string
	allowPrivate        bool
	attempts            int
	backoff, maxBackoff time.Duration
	connections         int
}

func addDispatchFlags(c *cobra.Command, o *dispatchOpts) {
	c.Flags().StringVar(&o.smtp, "smtp", os.Getenv("CHANCERY_SMTP_URL"), "SMTP server letters are dispatched through: smtp://host:port (STARTTLS when offered), smtp://host:port?starttls=required (STARTTLS or nothing: use it or smtps for a server on another machine), or smtps://USER@host with the password in --smtp-password-file, not here, where every account sees it (env CHANCERY_SMTP_URL); without it, dispatch is refused")
	hideDefault(c.Flags(), "smtp")
	c.Flags().StringVar(&o.passwordFile, "smtp-password-file", os.Getenv("CHANCERY_SMTP_PASSWORD_FILE"), "file holding the password of --smtp's user, readable by its owner alone (env CHANCERY_SMTP_PASSWORD_FILE)")
	c.Flags().StringVar(&o.from, "mail-from", os.Getenv("CHANCERY_MAIL_FROM"), "sender address of dispatched mail (env CHANCERY_MAIL_FROM)")
	c.Flags().BoolVar(&o.allowPrivate, "webhook-allow-private", false, "let webhook endpoints be on loopback, link-local and private addresses (refused by default: SSRF)")
	c.Flags().IntVar(&o.attempts, "dispatch-attempts", dispatch.DefaultMaxAttempts, "attempts at a message or webhook before it is marked failed")
	c.Flags().DurationVar(&o.backoff, "dispatch-backoff", dispatch.DefaultBackoff, "wait after a first failed attempt; it doubles at each attempt")
	c.Flags().DurationVar(&o.maxBackoff, "dispatch-max-backoff", dispatch.DefaultMaxBackoff, "longest wait between attempts")
	c.Flags().IntVar(&o.connections, "smtp-connections", dispatch.DefaultConnections, "SMTP connections that deliver at once")
}

// smtpServer is the SMTP server --smtp names, with the password --smtp-password-file holds.
// A password in the URL is taken as before, from the environment or the command line.
func (o dispatchOpts) smtpServer() (*dispatch.SMTP, error) {
	sm, err := dispatch.ParseSMTP(o.smtp)
	if err != nil {
		return nil, withHint(err, "e.g. --smtp smtp://127.0.0.1:1025, or --smtp smtps://user@mail.example with the password in --smtp-password-file")
	}
	if o.passwordFile == "" {
		return sm, nil
	}
	switch {
	case sm.User == "":
		return nil, withHint(errors.New("--smtp-password-file needs a user name in --smtp"), "name the user in the URL: --smtp smtps://user@mail.example")
	case sm.Password != "":
		return nil, withHint(errors.New("--smtp holds a password, and --smtp-password-file another"), "leave the password out of the URL: the file gives it")
	}
	b, err := readPrivateFile(o.passwordFile)
	if err != nil {
		return nil, withHint(fmt.Errorf("smtp password: %w", err), "--smtp-password-file names a file holding the password alone, readable by the server's user alone (chmod 600)")
	}
	p, crlf := strings.CutSuffix(string(b), "\r\n")
	if !crlf {
		p = strings.TrimSuffix(p, "\n")
	}
	if p == "" {
		return nil, withHint(fmt.Errorf("smtp password: %s is empty", o.passwordFile), "write the password of --smtp's user in it")
	}
	sm.Password = p
	return sm, nil
}

// start runs the outbox's delivery worker (mail and webhooks); the returned function stops it
// and waits for it. Without --smtp the worker posts webhook events only, the registry refuses
// to mail, and a warning says so if messages wait in the outbox.
func (o dispatchOpts) start(ctx context.Context, reg *registry.Registry, logger *slog.Logger) (func(), error) {
	cfg := dispatch.Config{Registry: reg, MaxAttempts: o.attempts, Backoff: o.backoff, MaxBackoff: o.maxBackoff,
		Connections: o.connections, AllowPrivateWebhooks: o.allowPrivate, Logger: logger}
	if o.smtp == "" {
		// Withdrawal notices are queued whatever the server runs with: said at the start, so
		// that an office which sent letters once does not leave their notices waiting unseen.
		if _, waiting, err := reg.NextDue(ctx); err == nil && waiting {
			logger.Warn("dispatch: messages wait in the outbox, and this server sends no mail: start it with --smtp URL and --mail-from ADDR (or CHANCERY_SMTP_URL and CHANCERY_MAIL_FROM) to deliver them, retraction notices included")
		}
		d, err := dispatch.New(cfg)
		if err != nil {
			return nil, err
		}
		logger.Info("dispatch: posting webhook events; no mail (no --smtp)")
		return runDispatcher(ctx, d), nil
	}
	sm, err := o.smtpServer()
	if err != nil {
		return nil, err
	}
	if o.from == "" {
		return nil, withHint(errors.New("--smtp needs --mail-from"), "pass --mail-from registry@office.example (or CHANCERY_MAIL_FROM)")
	}
	cfg.SMTP, cfg.From = sm, o.from
	d, err := dispatch.New(cfg)
	if err != nil {
		return nil, withHint(err, "pass --mail-from registry@office.example (or CHANCERY_MAIL_FROM)")
	}
	logger.Info("dispatch: delivering mail", "smtp", sm.String(), "from", o.from)
	return runDispatcher(ctx, d), nil
}

// runDispatcher runs d until ctx is done or the returned function is called, which waits for it.
func runDispatcher(ctx context.Context, d *dispatch.Dispatcher) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.Run(ctx)
	}()
	return func() { cancel(); <-done }
}
