package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/chancery/chancery/internal/monitor"
	"github.com/chancery/chancery/internal/monitor/public"
	"github.com/chancery/chancery/internal/seal"
	"github.com/spf13/cobra"
	"golang.org/x/mod/sumdb/note"
)

// ExitConflict is the exit status of 'monitor --once' when a log signed two checkpoints that
// cannot both be honest (split view, rewritten history, rollback).
const ExitConflict = 3

type monitorOpts struct {
	urls, keys, trusts     []string
	maxEntries             int64
	state, evidence        string
	once, asJSON           bool
	interval               time.Duration
	offices, keyIDs, kinds []string
	webhook                string
	webhookTimeout         time.Duration
}

func newMonitor() *cobra.Command {
	o := &monitorOpts{}
	c := &cobra.Command{
		Use:   "monitor (--url LOG_URL --key VKEY | --trust FILE) [--state FILE] [--once] [--json]",
		Short: "Follow transparency logs: check every checkpoint and entry, report entries of interest",
		Long: `Monitor follows one or more Chancery logs from what they serve to anyone (C2SP tlog-tiles),
so that an office, another agency or a journalist need not take the office's word for its log.

Each pass, for each log: it fetches the latest checkpoint and checks its signature with the
pinned log key; checks, from the log's tiles, that the new tree extends the last one it
checked (a consistency proof recomputed with golang.org/x/mod/sumdb/tlog); fetches every new
entry and checks that it hashes into the tree; and reports the entries you asked for. Only
then does it hold the new checkpoint as checked. Its progress is kept in --state, replaced
atomically as the pass goes (the checkpoint being checked and the entries checked so far),
so a restarted monitor continues where it stopped. Without --state, every run starts from
the empty log. A pass checks at most --max-entries entries of a log (default 1048576) and
gives a log at most 10 minutes; a log with more new entries, or a slower one, is checked over
several passes, each continuing from the last.

--url is the log's URL: a registry's address (https://registry.example, whose log is at /log)
or the log's own prefix (https://registry.example/log). --key is the log's verifier key, as
'chancery log key' prints it or GET /log/key serves it, or a file holding it; pin it from a
source you trust, not from the log. Repeat --url and --key, in pairs, to follow several logs.

--trust FILE is a trust root, as 'chancery verify --trust' takes it ('chancery trust export'
writes one): the monitor then knows the log's witnesses too, and alerts when a checkpoint
carries a cosignature line of one of their keys that does not verify (bad-cosignature) or
fewer valid cosignatures than the trust root's quorum (quorum-not-met), or a cosignature of
theirs dated more than 10 minutes ahead of this computer's clock (future-cosignature). A
checkpoint saved before --trust was given is held only once the log serves it, or a larger
one, with the witnesses' cosignatures. It applies to the
log whose --key is the trust root's log key; without one, it adds that log, at the trust
root's base URL. Repeatable, one per log.

Reported entries show only what the log shows anyone: the index, kind and version, the
office, the time, the key IDs, the log index of a withdrawn release, and a reference only
where the log holds it in the clear. Subjects, addressees, names and reasons never appear.
Filters: --kind (release, retraction, supersession, key, policy), --office and --keyid (a
key ID or a prefix of it, matching the keys that signed an entry, a release's signers and a
registered or revoked key); each repeatable, all that are given must match. Key revocations
and policy adoptions are always reported.

When the log signed two checkpoints that cannot both be honest (another root at a size
already seen, a tree that does not extend the one seen, or a smaller tree that its tiles do
not show to be a part of the one seen), the monitor
keeps both signed checkpoints as evidence files in --evidence (default: FILE.evidence beside
the state, or ./chancery-evidence), never overwriting earlier evidence, and raises an alert:
on stderr (with --json, as the report's JSON), as a report, and to --webhook. The log stays
at the last checkpoint checked. Each finding is alerted once; it still fails every pass.

Output is one line per report; with --json, one JSON object per line:
  {"type":"entry","log":ORIGIN,"url":...,"size":N,"root":...,"observed":...,"index":...,
   "kind":...,"version":...,"office":...,"time":...,"entry_keys":[...],...}
  {"type":"checkpoint",...,"previous_size":N}
  {"type":"alert",...,"problem":"fork|inconsistent|rollback|bad-signature|bad-tiles|
   bad-entry|malformed-entry|bad-empty-tree|bad-cosignature|quorum-not-met|
   future-cosignature","message":...,
   "seen_size":N,"seen_root":...,"evidence":[...]}
--webhook POSTs each entry and alert report as that JSON object (timeout --webhook-timeout,
4 attempts with backoff on errors, 408, 429 and 5xx). Reports are delivered at least once:
a pass whose reports could not all be delivered is made again, so tell them apart by log
and index.

Without --once the monitor runs until interrupted, a pass every --interval; a pass that did
not finish (see --max-entries) is followed by the next at once, up to 16 in a row for one log,
then one a --interval; a log that cannot be reached
is tried again at the next pass.

Exit status with --once: 0 every log checked; 1 a log serves data that does not match its
own signed checkpoint (or a checkpoint that does not verify, lacks its witnesses'
cosignatures or carries one dated ahead, or an invalid entry); 2 the pass could not be made (a log unreachable, a state
file unreadable, a bad flag) or not finished (more new entries than --max-entries: run it
again); 3 conflicting signed checkpoints, kept as evidence. The highest finding wins: 3, then
1, then 2.`,
		Example: `  chancery monitor --url https://registry.example --key "$(cat log.vkey)" --state monitor.json --once
  chancery monitor --url https://registry.example --key log.vkey --state monitor.json \
      --kind release --keyid 56fae12f7716 --webhook https://alerts.example/hook --json
  chancery monitor --url https://a.example --key a.vkey --url https://b.example --key b.vkey \
      --state monitor.json --interval 5m`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error { return o.run(c) },
	}
	f := c.Flags()
	f.StringArrayVar(&o.urls, "url", nil, "log URL (repeatable, paired with --key)")
	f.StringArrayVar(&o.keys, "key", nil, "log verifier key, or a file holding it (repeatable, paired with --url)")
	f.StringArrayVar(&o.trusts, "trust", nil, "trust root of a log: its witnesses and quorum are checked too (repeatable)")
	f.Int64Var(&o.maxEntries, "max-entries", monitor.DefaultMaxEntries, "entries of a log a pass checks at most; the next pass continues")
	f.StringVar(&o.state, "state", "", "state file: the last checked checkpoint of each log")
	f.StringVar(&o.evidence, "evidence", "", "directory for evidence of conflicts (default FILE.evidence beside --state)")
	f.BoolVar(&o.once, "once", false, "make one pass and exit (see exit status)")
	f.DurationVar(&o.interval, "interval", time.Minute, "time between passes, without --once")
	f.StringArrayVar(&o.offices, "office", nil, "report entries of this office only (repeatable)")
	f.StringArrayVar(&o.keyIDs, "keyid", nil, "report entries involving this key ID or prefix only (repeatable)")
	f.StringArrayVar(&o.kinds, "kind", nil, "report entries of this kind only: "+strings.Join(public.FilterKinds, ", ")+" (repeatable)")
	f.StringVar(&o.webhook, "webhook", "", "POST each entry and alert report, as JSON, to this URL")
	f.DurationVar(&o.webhookTimeout, "webhook-timeout", 10*time.Second, "timeout of each webhook attempt")
	addJSONFlag(c, &o.asJSON)
	return c
}

// readLogKey returns a note verifier key given as itself or as a file holding it.
func readLogKey(s string) (string, error) {
	if _, err := note.NewVerifier(s); err == nil {
		return s, nil
	}
	b, err := readLimited(s, 64<<10)
	if err != nil {
		return "", withHint(fmt.Errorf("--key %q is neither a log verifier key nor a readable file of one: %w", s, err),
			"give the key as 'chancery log key' prints it (ORIGIN+HASH+KEY), or a file holding it")
	}
	k := strings.TrimSpace(string(b))
	if _, err := note.NewVerifier(k); err != nil {
		return "", withHint(fmt.Errorf("%s does not hold a log verifier key: %w", s, err),
			"the file should hold one line, ORIGIN+HASH+KEY, as 'chancery log key' prints it")
	}
	return k, nil
}

func (o *monitorOpts) config(c *cobra.Command) (monitor.Config, error) {
	cfg := monitor.Config{StatePath: o.state, EvidenceDir: o.evidence, MaxEntries: o.maxEntries,
		Filter: public.Filter{Offices: o.offices, KeyIDs: o.keyIDs, Kinds: o.kinds}}
	if len(o.urls) == 0 && len(o.trusts) == 0 {
		return cfg, withHint(errors.New("no log to follow"), "give --url LOG_URL --key VKEY, or --trust FILE, for each log")
	}
	if o.maxEntries <= 0 {
		return cfg, withHint(fmt.Errorf("--max-entries %d is not positive", o.maxEntries), "for example --max-entries %d", monitor.DefaultMaxEntries)
	}
	if len(o.urls) != len(o.keys) {
		return cfg, withHint(fmt.Errorf("%d --url but %d --key", len(o.urls), len(o.keys)), "give one --key after each --url, for each log")
	}
	for _, k := range o.kinds {
		if !slices.Contains(public.FilterKinds, k) {
			return cfg, withHint(fmt.Errorf("unknown --kind %q", k), "kinds are %s", strings.Join(public.FilterKinds, ", "))
		}
	}
	if o.interval <= 0 {
		return cfg, withHint(fmt.Errorf("--interval %s is not positive", o.interval), "for example --interval 5m")
	}
	for i, u := range o.urls {
		if _, err := monitor.NormalizeURL(u); err != nil {
			return cfg, withHint(err, "give the registry's address, for example --url https://registry.example")
		}
		k, err := readLogKey(o.keys[i])
		if err != nil {
			return cfg, err
		}
		cfg.Logs = append(cfg.Logs, monitor.Log{URL: u, Key: k})
	}
	if err := o.addTrust(&cfg); err != nil {
		return cfg, err
	}
	var wh *monitor.Webhook
	if o.webhook != "" {
		if err := monitor.CheckWebhookURL(o.webhook); err != nil {
			return cfg, withHint(err, "for example --webhook https://alerts.example/hook")
		}
		wh = &monitor.Webhook{URL: o.webhook, Timeout: o.webhookTimeout}
	}
	out, errw := c.OutOrStdout(), c.ErrOrStderr()
	cfg.Report = func(ctx context.Context, r monitor.Report) error {
		// Alerts are said on stderr too, where whoever runs the monitor looks for trouble.
		switch {
		case r.Type != monitor.TypeAlert:
		case o.asJSON:
			writeJSON(errw, r)
		default:
			fmt.Fprintf(errw, "chancery: ALERT: %s: %s: %s\n", r.Log, r.Problem, printable(r.Message))
			if len(r.Evidence) > 0 {
				fmt.Fprintf(errw, "chancery: evidence kept: %s\n", strings.Join(r.Evidence, " "))
			}
		}
		if o.asJSON {
			if err := writeJSON(out, r); err != nil {
				return err
			}
		} else {
			printMonitorReport(out, r)
		}
		if wh != nil && r.Type != monitor.TypeCheckpoint {
			return wh.Send(ctx, r)
		}
		return nil
	}
	return cfg, nil
}

// addTrust gives each log its trust root's witnesses and quorum, adding the log of a trust
// root that no --key names.
func (o *monitorOpts) addTrust(cfg *monitor.Config) error {
	given := map[string]string{}
	for _, path := range o.trusts {
		b, err := readLimited(path, seal.MaxTrustRootSize)
		if err != nil {
			return withHint(fmt.Errorf("--trust: %w", err), "give a trust root file, as 'chancery trust export' writes it")
		}
		root, err := seal.ParseTrustRoot(b)
		if err != nil {
			return withHint(fmt.Errorf("--trust %s: %w", path, err), "give a trust root file, as 'chancery trust export' writes it")
		}
		if other, ok := given[root.LogKey]; ok {
			return withHint(fmt.Errorf("--trust %s and %s are trust roots of the same log", other, path), "give one trust root per log")
		}
		given[root.LogKey] = path
		i := slices.IndexFunc(cfg.Logs, func(l monitor.Log) bool { return l.Key == root.LogKey })
		if i < 0 {
			if _, err := monitor.NormalizeURL(root.BaseURL); err != nil {
				return withHint(fmt.Errorf("--trust %s: %w", path, err), "give the log's --url and --key with the trust root")
			}
			cfg.Logs = append(cfg.Logs, monitor.Log{URL: root.BaseURL, Key: root.LogKey})
			i = len(cfg.Logs) - 1
		}
		cfg.Logs[i].Witnesses, cfg.Logs[i].Quorum = root.Witnesses, root.WitnessQuorum
	}
	return nil
}

func (o *monitorOpts) run(c *cobra.Command) error {
	cfg, err := o.config(c)
	if err != nil {
		return err
	}
	m, err := monitor.New(cfg)
	if err != nil {
		if errors.Is(err, monitor.ErrState) {
			return withHint(err, "the state file %s holds what the monitor has checked; if it is damaged, keep it aside and start a new one", o.state)
		}
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if o.once {
		return monitorExit(m.Pass(ctx), m.EvidenceDir())
	}
	return m.Run(ctx, o.interval, func(err error) { o.warn(c.ErrOrStderr(), err) })
}

func (o *monitorOpts) warn(w io.Writer, err error) {
	if o.asJSON {
		writeJSON(w, jsonError{Error: err.Error()})
		return
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(w, "chancery: warning: %s\n", printable(line))
	}
}

// monitorExit turns the error of a pass into the exit status of 'monitor --once'. The
// messages quote what logs served: they are made printable.
func monitorExit(err error, evidence string) error {
	if err == nil {
		return nil
	}
	lines := strings.Split(err.Error(), "\n") // one per log that failed
	for i, l := range lines {
		lines[i] = printable(l)
	}
	msg := "monitor: " + strings.Join(lines, "; ")
	full := strings.Contains(msg, "evidence not kept")
	switch {
	case errors.Is(err, monitor.ErrConflict) && full:
		return withHint(&verifyExit{code: ExitConflict, msg: msg},
			"%s holds as many conflicts of this log as it keeps, the first ones: they prove the log showed two histories; send them to the office and its witnesses, and move them elsewhere to keep the next", evidence)
	case errors.Is(err, monitor.ErrConflict):
		return withHint(&verifyExit{code: ExitConflict, msg: msg},
			"both signed checkpoints are kept in %s: they prove the log showed two histories; send them to the office and its witnesses", evidence)
	case errors.Is(err, monitor.ErrUnsound) && full:
		return withHint(&failed{errors.New(msg)}, "%s holds as much evidence of this log as it keeps, the first findings': move it elsewhere to keep the next", evidence)
	case errors.Is(err, monitor.ErrUnsound) && strings.Contains(msg, "its evidence is not kept"):
		return withHint(&failed{errors.New(msg)}, "a finding that needs no key (bytes served against the log's checkpoint) keeps its evidence once until the log is checked again; the first is in %s", evidence)
	case errors.Is(err, monitor.ErrUnsound):
		return withHint(&failed{errors.New(msg)}, "what was fetched is kept in %s", evidence)
	case errors.Is(err, monitor.ErrUnfinished):
		return withHint(errors.New(msg), "run again: the monitor continues from its state (a pass checks at most --max-entries entries of a log, in at most 10 minutes)")
	}
	return withHint(errors.New(msg), "check the URL and the network, then run again: the monitor continues from its state")
}

// printMonitorReport prints a report as one readable line.
func printMonitorReport(w io.Writer, r monitor.Report) {
	switch r.Type {
	case monitor.TypeCheckpoint:
		from := "the empty log"
		if r.PreviousSize != nil {
			from = fmt.Sprintf("size %d", *r.PreviousSize)
		}
		fmt.Fprintf(w, "%s: checkpoint of size %d checked (from %s), root %s\n", r.Log, r.Size, from, r.Root)
	case monitor.TypeAlert:
		fmt.Fprintf(w, "%s: ALERT %s: %s\n", r.Log, r.Problem, printable(r.Message))
	case monitor.TypeEntry:
		e := r.Entry
		var b strings.Builder
		fmt.Fprintf(&b, "%s: #%d %s (v%d)", r.Log, e.Index, e.Kind, e.Version)
		if e.Office != "" {
			fmt.Fprintf(&b, " office %q", e.Office)
		}
		if !e.Time.IsZero() {
			fmt.Fprintf(&b, " at %s", e.Time.UTC().Format(time.RFC3339))
		}
		if e.Reference != "" {
			fmt.Fprintf(&b, " ref %s", e.Reference)
		}
		if e.ByReference != "" {
			fmt.Fprintf(&b, " by %s", e.ByReference)
		}
		if e.Release != nil {
			fmt.Fprintf(&b, " withdraws #%d", *e.Release)
		}
		if e.ByRelease != nil {
			fmt.Fprintf(&b, " replaced by #%d", *e.ByRelease)
		}
		if e.KeyID != "" {
			fmt.Fprintf(&b, " key %s", shortKeyID(e.KeyID))
		}
		if len(e.SignerKeys) > 0 {
			fmt.Fprintf(&b, " signers %s", shortKeyIDs(e.SignerKeys))
		}
		if e.Policy != "" {
			fmt.Fprintf(&b, " policy %s", e.Policy)
		}
		fmt.Fprintf(&b, " signed by %s", shortKeyIDs(e.EntryKeys))
		if e.PayloadError != "" {
			fmt.Fprintf(&b, " (unreadable payload: %s)", e.PayloadError)
		}
		// Everything but the index comes from the log: shown, never acted on by the terminal.
		fmt.Fprintln(w, printable(b.String()))
	}
}

// shortKeyID abbreviates a key ID as the other commands show it.
func shortKeyID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

func shortKeyIDs(ids []string) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = shortKeyID(id)
	}
	return strings.Join(s, ",")
}
