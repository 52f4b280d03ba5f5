package cli

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/registry"
	"github.com/spf13/cobra"
)

func newRecipient(rm *remote) *cobra.Command {
	c := &cobra.Command{
		Use:   "recipient",
		Short: "The directory of recipients letters are dispatched to (admins manage it)",
	}
	var nr registry.NewRecipient
	var addJSON, listJSON bool
	add := &cobra.Command{
		Use:   "add NAME --email ADDR [--email ADDR...] [--organization ORG] [--contact PERSON] [--webhook URL]",
		Short: "Add a recipient: organisation, contact person, e-mail addresses, optional webhook (admin)",
		Long: `Add puts a recipient in the directory under NAME, the name dispatch and draft send use.
Letters go to every --email address. A domain in other letters than ASCII's
(registry@ministère.example) is sent as its punycode, which the directory and dispatch
status show in a last column, a-labels, so that a look-alike of a Latin domain is told from
it (аррӏе.com, in Cyrillic, is xn--80ak6aa92e.com, not apple.com); an address with such
letters before its @ (müller@…) goes only through a mail server that offers SMTPUTF8, and
fails at once through another. With --webhook, the recipient's system also gets
signed events (Standard Webhooks) about the letters sent to it: dispatch, receipt,
retraction and supersession, never more than its mail says. The endpoint's signing secret
is printed once. Endpoints on loopback, link-local or private addresses are refused unless
the server runs with --webhook-allow-private. A plain http:// URL to another machine is
accepted with a warning: the withdrawals' reasons posted to it cross the network unencrypted.`,
		Example: `  chancery recipient add ministry --email registry@mod.freedonia.example --organization "Ministry of Defence of Freedonia"
  chancery recipient add liaison --email cell@liaison.example --email duty@liaison.example --contact "Maj. Okafor"`,
		Args: cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			nr.Name = args[0]
			v, secret, err := cl.AddRecipient(ctx(c), nr)
			if err != nil {
				if conflictOver(err) {
					return withHint(err, "a recipient named %s is in the directory already ('chancery recipient list'): choose another NAME", printable(nr.Name))
				}
				return err
			}
			if nr.Webhook != "" && registry.PlainHTTPWebhook(nr.Webhook) {
				warnPlainHTTPWebhook(c, "recipient "+printable(v.Name))
			}
			if addJSON {
				return writeJSON(c.OutOrStdout(), map[string]any{"recipient": v, "webhook_secret": secret})
			}
			fmt.Fprintf(c.OutOrStdout(), "added recipient %s (%s)%s\n", printable(v.Name), printable(strings.Join(v.Emails, ", ")), printable(aLabelsNote(v.Emails...)))
			if secret != "" {
				if _, err := fmt.Fprintf(c.OutOrStdout(), "webhook signing secret, shown once: %s\n", secret); err != nil {
					return unprintedSecret(fmt.Sprintf("recipient %s", printable(v.Name)), err)
				}
			}
			return nil
		}),
	}
	add.Flags().StringArrayVar(&nr.Emails, "email", nil, "e-mail address (repeatable)")
	add.Flags().StringVar(&nr.Organization, "organization", "", "the recipient's organisation")
	add.Flags().StringVar(&nr.Contact, "contact", "", "contact person")
	add.Flags().StringVar(&nr.Webhook, "webhook", "", "the recipient's webhook endpoint URL")
	add.MarkFlagRequired("email")
	addJSONFlag(add, &addJSON)

	list := &cobra.Command{
		Use:   "list [--json]",
		Short: "List the recipients directory",
		Example: `  chancery recipient list
  chancery recipient list --json | jq -r '.[].name'`,
		Args: cobra.NoArgs,
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			rs, err := cl.Recipients(ctx(c))
			if err != nil {
				return err
			}
			if listJSON {
				return writeJSON(c.OutOrStdout(), nonNil(rs))
			}
			tw := tabwriter.NewWriter(c.OutOrStdout(), 2, 4, 2, ' ', 0)
			// The A-labels of domains not in ASCII, in a last column of their own, there only
			// when an address has them (aLabels).
			labels := false
			for _, r := range rs {
				labels = labels || aLabels(r.Emails...) != ""
			}
			head := "name\torganization\tcontact\temails\twebhook"
			if labels {
				head += "\ta-labels"
			}
			fmt.Fprintln(tw, head)
			for _, r := range rs {
				hook := printable(r.Webhook)
				if hook == "" && r.HasWebhook {
					hook = "(set; shown to admins)"
				}
				if r.PlainHTTP() {
					hook += " (plain http: not encrypted)"
				}
				row := fmt.Sprintf("%s\t%s\t%s\t%s\t%s", printable(r.Name), printable(r.Organization), printable(r.Contact),
					printable(strings.Join(r.Emails, ", ")), hook)
				if labels {
					row += "\t" + printable(aLabels(r.Emails...))
				}
				fmt.Fprintln(tw, row)
			}
			return tw.Flush()
		}),
	}
	addJSONFlag(list, &listJSON)
	var emails []string
	var setJSON bool
	set := &cobra.Command{
		Use:   "set-emails NAME --email ADDR [--email ADDR...]",
		Short: "Replace a recipient's e-mail addresses (admin)",
		Long: `Set-emails replaces every address of the recipient NAME by the --email addresses: a
mistyped or outdated address would otherwise receive every letter dispatched to NAME (the
name is taken, and names that look like it are refused). Letters already sent keep the
address they went to: the notices of a later retraction go there too, where the letter is.
A letter or draft copy still waiting to an address replaced is not sent there: it fails
('chancery dispatch status REF'), and dispatching the letter again sends it to the new
addresses. The change is in the audit trail, with the addresses it replaced.`,
		Example: `  chancery recipient set-emails ministry --email registry@mod.freedonia.example
  chancery recipient set-emails liaison --email cell@liaison.example --email duty@liaison.example --json`,
		Args: cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			v, err := cl.SetRecipientEmails(ctx(c), args[0], emails)
			if err != nil {
				return err
			}
			if setJSON {
				return writeJSON(c.OutOrStdout(), v)
			}
			fmt.Fprintf(c.OutOrStdout(), "recipient %s: %s%s\n", printable(v.Name), printable(strings.Join(v.Emails, ", ")), printable(aLabelsNote(v.Emails...)))
			return nil
		}),
	}
	set.Flags().StringArrayVar(&emails, "email", nil, "e-mail address (repeatable): the recipient's addresses from now on")
	set.MarkFlagRequired("email")
	addJSONFlag(set, &setJSON)
	retire := &cobra.Command{
		Use:   "retire NAME",
		Short: "Retire a recipient from the directory: nothing is sent to them any more (admin)",
		Long: `Retire takes the recipient NAME out of the directory: dispatch and draft send refuse the
name from then on, the directory no longer lists it, and the recipient's webhook endpoint is
removed; a letter or draft copy still waiting to them is not sent. What was already sent to
them stays in the letters' deliveries, and the notices of a later retraction still go to the
address each letter went to. The name stays taken: no
other recipient can be given it, so that no letter meant for one reaches another. The
retirement is in the audit trail.`,
		Example: `  chancery recipient retire liaison`,
		Args:    cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			if err := cl.RetireRecipient(ctx(c), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "retired recipient %s\n", printable(args[0]))
			return nil
		}),
	}
	c.AddCommand(add, list, set, retire)
	return c
}

func newWebhook(rm *remote) *cobra.Command {
	c := &cobra.Command{
		Use:   "webhook",
		Short: "Webhook endpoints of the office's own systems, and the delivery log (admins)",
	}
	var url string
	var listJSON, logJSON bool
	var logLimit int
	add := &cobra.Command{
		Use:   "add NAME --url URL",
		Short: "Add an endpoint that hears every event: release, retraction, supersession, dispatch, receipt",
		Long: `Add registers an endpoint of the office's own systems (a records system, say). Every event is
posted to it as JSON signed per Standard Webhooks (webhook-id, webhook-timestamp,
webhook-signature headers; HMAC-SHA256 with the secret printed once), with references and
log indexes, and in dispatch and receipt events (letter.dispatched, letter.received) the
recipient's name and the message's ID: register only a system that may know to whom the
office sends what. Failed deliveries are retried with backoff; 'chancery webhook log' shows
them. Endpoints on loopback, link-local or private addresses are refused unless the server
runs with --webhook-allow-private. A plain http:// URL to another machine is accepted with a
warning: what is posted to it crosses the network unencrypted ('webhook list' marks it).

NAME recipient:RECIPIENT gives a recipient of the directory its endpoint, which hears only
about the letters sent to it, as 'recipient add --webhook' does: after its own was removed
(its address leaked, its domain lapsed), or to move it. A recipient has one endpoint.

--url is the endpoint's address here; the registry's is CHANCERY_URL or --registry.`,
		Example: `  chancery webhook add records --url https://records.tfn.example/hooks/chancery
  chancery webhook add recipient:ministry --url https://hooks.mod.example/chancery
  chancery webhook add records --url https://records.tfn.example/hooks/chancery --registry https://letters.tfn.example`,
		Args: cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			secret, err := cl.AddWebhook(ctx(c), args[0], url)
			if err != nil {
				return err
			}
			if registry.PlainHTTPWebhook(url) {
				warnPlainHTTPWebhook(c, "webhook "+printable(args[0]))
			}
			if _, err := fmt.Fprintf(c.OutOrStdout(), "added webhook %s; signing secret, shown once: %s\n", args[0], secret); err != nil {
				return unprintedSecret("webhook "+printable(args[0]), err)
			}
			return nil
		}),
	}
	add.Flags().StringVar(&url, "url", "", "endpoint URL")
	add.MarkFlagRequired("url")
	// --url means the endpoint here, as in 'witness add': the registry is CHANCERY_URL or
	// --registry, which an admin of another registry than the default had no flag for.
	add.Flags().StringVar(&rm.url, "registry", defaultURL(), registryFlagUsage)
	list := &cobra.Command{
		Use:     "list [--json]",
		Short:   "List the webhook endpoints",
		Example: `  chancery webhook list`,
		Args:    cobra.NoArgs,
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			ws, err := cl.Webhooks(ctx(c))
			if err != nil {
				return err
			}
			if listJSON {
				return writeJSON(c.OutOrStdout(), nonNil(ws))
			}
			tw := tabwriter.NewWriter(c.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "name\turl\trecipient")
			for _, w := range ws {
				u := printable(w.URL)
				if w.PlainHTTP {
					u += " (plain http: not encrypted)"
				}
				rec := printable(w.Recipient)
				if w.RecipientRetired {
					rec += "  (a retired recipient: it hears only about the letters sent to them before)"
				}
				if w.OfficeNamedAsRecipient {
					rec = "(none: an office endpoint, it hears every event; remove it and add the recipient's own)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", printable(w.Name), u, rec)
			}
			return tw.Flush()
		}),
	}
	addJSONFlag(list, &listJSON)
	log := &cobra.Command{
		Use:   "log [--limit N] [--json]",
		Short: "Show the latest webhook deliveries: endpoint, event, status, attempts, reply",
		Example: `  chancery webhook log
  chancery webhook log --limit 1000 --json | jq '.[] | select(.status != "sent")'`,
		Args: cobra.NoArgs,
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			if logLimit < 1 || logLimit > 1000 {
				return withHint(fmt.Errorf("--limit %d: the log shows 1 to 1000 deliveries", logLimit), "the newest come first; give --limit 1000 for the most")
			}
			ds, err := cl.WebhookLog(ctx(c), logLimit)
			if err != nil {
				return err
			}
			if logJSON {
				return writeJSON(c.OutOrStdout(), nonNil(ds))
			}
			tw := tabwriter.NewWriter(c.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "time\tendpoint\tevent\tstatus\tattempts\treply")
			for _, d := range ds {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", d.CreatedAt.UTC().Format("2006-01-02 15:04:05 UTC"), printable(d.Endpoint), d.Event, d.Status, d.Attempts, printable(d.Reply))
			}
			return tw.Flush()
		}),
	}
	addJSONFlag(log, &logJSON)
	log.Flags().IntVar(&logLimit, "limit", 100, "how many of the latest deliveries to show (1 to 1000)")
	remove := &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove an endpoint and its deliveries: nothing is posted to it any more",
		Long: `Remove deletes the endpoint NAME, the office's or a recipient's ("recipient:NAME", as
'chancery webhook list' shows it), with its deliveries, sent or waiting. Remove an endpoint
whose domain lapsed or whose address leaked: it would otherwise hear every event, the names
of recipients included. The removal is in the audit trail.`,
		Example: `  chancery webhook remove records
  chancery webhook remove recipient:ministry`,
		Args: cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			if err := cl.RemoveWebhook(ctx(c), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "removed webhook %s\n", printable(args[0]))
			return nil
		}),
	}
	var overlap time.Duration
	rekey := &cobra.Command{
		Use:   "rekey NAME [--overlap DURATION]",
		Short: "Give an endpoint a new signing secret, shown once",
		Long: `Rekey replaces the signing secret of the endpoint NAME and prints the new one, once.
For --overlap (24h by default, at most 720h) the previous secret still signs the endpoint's
deliveries beside the new one (two signatures in webhook-signature, the new first, as
Standard Webhooks allows), so that its receiver, which accepts either, moves to the new
secret without refusing deliveries; then it signs nothing any more. For a secret that
leaked, give --overlap 0: the previous secret signs nothing from now on, and deliveries fail
at the receiver until it has the new one (then 'chancery webhook retry'). Deliveries still
waiting are signed with the new secret. The change is in the audit trail.`,
		Example: `  chancery webhook rekey records
  chancery webhook rekey records --overlap 0
  chancery webhook rekey recipient:ministry --overlap 72h`,
		Args: cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			if overlap < 0 || overlap > registry.MaxWebhookOverlap {
				return withHint(fmt.Errorf("--overlap %s: the previous secret may sign for 0 to 720h", overlap), "give a duration such as 24h, or 0 to replace the secret at once")
			}
			secret, until, err := cl.RekeyWebhook(ctx(c), args[0], overlap)
			if err != nil {
				return err
			}
			if _, err := fmt.Fprintf(c.OutOrStdout(), "webhook %s; new signing secret, shown once: %s\n", printable(args[0]), secret); err != nil {
				return unprintedSecret("webhook "+printable(args[0]), err)
			}
			if !until.IsZero() {
				fmt.Fprintf(c.OutOrStdout(), "the previous secret also signs its deliveries until %s\n", until.UTC().Format("2006-01-02 15:04:05 UTC"))
			}
			return nil
		}),
	}
	rekey.Flags().DurationVar(&overlap, "overlap", registry.DefaultWebhookOverlap, "how long the previous secret still signs beside the new one (0: not at all)")
	var retryJSON bool
	retry := &cobra.Command{
		Use:   "retry NAME [--json]",
		Short: "Post again the deliveries to an endpoint that failed",
		Long: `Retry queues again the deliveries to the endpoint NAME whose last attempt failed ('chancery
webhook log' shows them failed, with the endpoint's last answer): each is posted again from
its first attempt, with the same webhook-id, so that an endpoint that was down longer than
the server's attempts (serve --dispatch-attempts) still hears every event, withdrawals
included. Retry once the endpoint is mended. An endpoint with no failed delivery is refused
(exit status 2). The retry is in the audit trail.`,
		Example: `  chancery webhook retry records
  chancery webhook retry recipient:ministry --json`,
		Args: cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			n, err := cl.RetryWebhook(ctx(c), args[0])
			if err != nil {
				return err
			}
			if retryJSON {
				return writeJSON(c.OutOrStdout(), map[string]any{"name": args[0], "queued": n})
			}
			fmt.Fprintf(c.OutOrStdout(), "webhook %s: %d failed deliveries queued again\nfollow them with: chancery webhook log\n", printable(args[0]), n)
			return nil
		}),
	}
	addJSONFlag(retry, &retryJSON)
	c.AddCommand(add, list, log, remove, rekey, retry)
	return c
}

// warnPlainHTTPWebhook warns that the endpoint of what, just added, is plain http:// to a host
// not on this machine (registry.PlainHTTPWebhook): accepted, as offices have such endpoints,
// but what is posted to it crosses the network in clear.
func warnPlainHTTPWebhook(c *cobra.Command, what string) {
	fmt.Fprintf(warnings(c), "chancery: warning: %s is posted to over plain http://: its events (references, recipients' names, the reasons of withdrawals) cross the network unencrypted, readable by whoever sees it; give it an https:// address if the endpoint has one ('chancery webhook remove', then add it again)\n", what)
}

// unprintedSecret is the failure to print the signing secret of the webhook of what, just
// added: the registry shows it once, and deliveries to an endpoint whose secret nobody has
// cannot be checked.
func unprintedSecret(what string, err error) error {
	return withHint(fmt.Errorf("print the webhook signing secret: %w", err),
		"%s is added, but its webhook signing secret, shown once, was not printed: deliveries to it cannot be checked; add the endpoint again under another name, with standard output where it can be read", what)
}

// aLabels lists the A-labels of the domains of emails that are written in other letters
// than ASCII's (registry.ALabels), each once, in the addresses' order, joined by ", "; "" when
// none is. Text output shows them at the end of a line or as a last column, never beside the
// address: a script splitting a line on whitespace reads the same fields as before they were
// shown, and as in a line of addresses in ASCII (--json keeps the addresses as written).
func aLabels(emails ...string) string {
	var out []string
	for _, e := range emails {
		if a := registry.ALabels(e); a != "" && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return strings.Join(out, ", ")
}

// aLabelsNote is what ends a line naming the addresses emails: "  (A-LABELS)" when a domain of
// theirs is written in other letters than ASCII's (aLabels), so that a look-alike of a Latin
// domain is told from it; "" otherwise.
func aLabelsNote(emails ...string) string {
	if a := aLabels(emails...); a != "" {
		return "  (" + a + ")"
	}
	return ""
}
