package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/chancery/chancery/internal/accesslog"
	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/metrics"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/web"
	"github.com/spf13/cobra"
)

func newServe(g *globals) *cobra.Command {
	var listen, base string
	var demo, secure bool
	var maxUpload, uploadMemory int64
	var tesseract string
	var rateLimit float64
	var proxies []string
	var ops serveOps
	var wit witnessOpts
	var disp dispatchOpts
	var oidcOpt oidcOpts
	c := &cobra.Command{
		Use:   "serve",
		Short: "Serve the registry: web pages, JSON API and the transparency log",
		Long: `Serve runs the registry's HTTP server. The transparency log is served per C2SP tlog-tiles
under /log/ (checkpoint, tiles, entry bundles), with JSON proofs under /log/proof/.
Health checks: /healthz (the process is up) and /readyz (the store answers).

If the data directory is not initialized yet, serve initializes it first (see 'chancery init'),
unless its output goes to the systemd journal, where the admin's token would be written. A
serve stopped before it printed the admin's token leaves the directory unfinished: the next
serve finishes it, with the settings recorded, and prints the admin's new token (it warns
when the registry's URL recorded is the address the earlier serve listened on, and it listens
on another).

With --demo and no --data, serve uses a fresh temporary directory, fills the log with
sample entries and deletes the directory on exit. The demo's members sign in with a public
password, so it is served on a loopback address only.

Operations: --metrics-listen serves Prometheus metrics at /metrics on a listener of its own.
Logs go to stderr, one line per request (method, route, status, bytes, duration, request ID;
check codes redacted), as text or, with --log-format json, as JSON lines. Each response
carries an X-Request-ID header (a sane incoming one is kept).

Serve records the log's published checkpoint in the data directory (published.checkpoint)
and refuses to start when the database's log is shorter than it, or inconsistent with it:
see 'chancery log accept-restore' and docs/operations.md.

Sign-in through the office's OpenID provider (Entra ID, Keycloak, Google…): --oidc-issuer,
--oidc-client-id, --oidc-client-secret-file and --oidc-role-map; members are created on
their first sign-in when the roles claim maps to a role, and lose a mapped role when the claim
no longer carries it. Local passwords keep working. See docs/identity.md.`,
		Example: `  chancery serve --demo
  chancery serve --data /var/lib/chancery --listen :8080
  chancery serve --data /var/lib/chancery --metrics-listen 127.0.0.1:9090 --log-format json
  chancery serve --oidc-issuer https://login.example/realms/office --oidc-client-id chancery \
    --oidc-client-secret-file /etc/chancery/oidc.secret --oidc-role-map 'chancery-signers=signer,chancery-admins=admin'`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			path := g.data
			if demo && !c.Flags().Changed("data") && os.Getenv("CHANCERY_DATA") == "" {
				tmp, err := os.MkdirTemp("", "chancery-demo-")
				if err != nil {
					return err
				}
				defer os.RemoveAll(tmp)
				path = tmp
			}
			if err := ops.bindDebug(); err != nil {
				return err
			}
			if ops.debugLn != nil {
				defer ops.debugLn.Close()
			}
			if err := ops.bindMetrics(); err != nil {
				return err
			}
			if ops.metricsLn != nil {
				defer ops.metricsLn.Close()
			}
			trusted, err := server.ParseTrustedProxies(proxies)
			if err != nil {
				return withHint(err, "pass --trusted-proxy the address of the reverse proxy in front of the server, e.g. 127.0.0.1, or a network such as 10.0.0.0/24")
			}
			sso, err := oidcOpt.provider(context.Background())
			if err != nil {
				return err
			}
			return serve(c, path, listen, base, demo, server.Config{MaxUpload: maxUpload, UploadMemory: uploadMemory, Tesseract: tesseract, Secure: secure, RateLimit: rateLimit, TrustedProxies: trusted, Web: web.Config{OIDC: sso}}, ops, wit, disp)
		},
	}
	c.Flags().StringVar(&listen, "listen", defaultListen(), "address to listen on (env CHANCERY_LISTEN)")
	c.Flags().StringVar(&base, "url", "", "public base URL, when serve initializes the data directory (default http:// and the address it listens on); refused for a directory initialized with another")
	c.Flags().Int64Var(&maxUpload, "max-upload", server.DefaultMaxUpload, "largest letter file accepted, in bytes")
	c.Flags().Int64Var(&uploadMemory, "upload-memory", server.DefaultUploadMemory, "bytes of uploads (API and web forms) held in memory at once, all requests together (at least one --max-upload), and as much again for identifying texts; past it uploads and texts are answered 503 with Retry-After; negative: unbounded")
	c.Flags().StringVar(&tesseract, "tesseract", "", "the Tesseract OCR program that reads scans sent to identify (default $CHANCERY_TESSERACT, else tesseract on the PATH)")
	c.Flags().BoolVar(&secure, "secure", false, "mark session cookies Secure and send HSTS (default: when the registry's URL is https://, as behind a TLS proxy)")
	c.Flags().Float64Var(&rateLimit, "rate-limit", server.DefaultRateLimit, "requests per second each client address may make to the public verify pages and API; negative disables the limit (load tests only)")
	c.Flags().StringSliceVar(&proxies, "trusted-proxy", defaultTrustedProxies(), "addresses or networks of reverse proxies whose X-Forwarded-For names the client, for rate limits and the audit trail (env CHANCERY_TRUSTED_PROXIES, comma-separated); the proxy must append the address it saw to the header. Without it the header is ignored")
	c.Flags().BoolVar(&demo, "demo", false, "fill the log with sample entries (in a temporary directory unless --data is given)")
	addServeOpsFlags(c, &ops)
	addDatabaseFlag(c.Flags())
	addWitnessFlags(c, &wit)
	addDispatchFlags(c, &disp)
	addOIDCFlags(c, &oidcOpt)
	return c
}

// serve runs the server; opts carries the command line's server settings. It binds the
// listen address first, so that a busy port fails at once, before a demo is built, and so that
// a registry it initializes (and the demo's commands) name the port it got (--listen :0).
// Without base, that base URL is http:// and the bound address.
// serveOpening, when set (by tests), is called once serve answers on its listener and before
// it opens the data directory, with the listener's address and the function that stops serve:
// a test holds the start there.
var serveOpening func(addr string, stop func())

func serve(c *cobra.Command, path, listen, base string, demo bool, opts server.Config, ops serveOps, wit witnessOpts, disp dispatchOpts) (err error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	serving := false
	defer func() {
		// A stop asked for (SIGTERM, SIGINT) while the office opens ends the start with the
		// error of whatever it interrupted ("store: connect to …: context canceled"): it is
		// a stop, not a failure, and a service manager must not record the unit failed.
		if err != nil && !serving && ctx.Err() != nil {
			fmt.Fprintln(c.ErrOrStderr(), "chancery: stopped while starting")
			err = nil
		}
	}()
	logger, err := ops.logger(c.ErrOrStderr())
	if err != nil {
		return err
	}
	defer accesslog.Flush(logger) // last: the access lines of the requests served until the end
	for _, w := range ops.reachable {
		logger.Warn(w)
	}
	ops.serveDebug(logger) // from the start: a slow start can be profiled

	ln, err := net.Listen("tcp", listen)
	if errors.Is(err, syscall.EADDRINUSE) {
		return withHint(err, "another process is using %s; pass --listen 127.0.0.1:PORT", listen)
	}
	if err != nil {
		return withHint(err, "pass --listen HOST:PORT with an address of this machine, e.g. 127.0.0.1:8080 (or set CHANCERY_LISTEN)")
	}
	defer ln.Close()
	// The demo's members sign in with a password printed in its source and its output, and
	// one of them releases: on an address others can reach, anyone could act as them.
	if a, ok := ln.Addr().(*net.TCPAddr); demo && (!ok || !a.IP.IsLoopback()) {
		return withHint(fmt.Errorf("refusing to serve the demo on %s: its members' password is public", ln.Addr()),
			"serve the demo on a loopback address (--listen 127.0.0.1:8080, the default), and reach it from elsewhere through an SSH tunnel")
	}
	// The listener answers from now on: the office takes seconds to open (its identification
	// index), and a load balancer's or an operator's /readyz was accepted and left unanswered
	// meanwhile. Until the office's handler takes over, /healthz answers as it does, /readyz
	// and everything else 503 (server.NewStarting).
	startingConfig := func() server.Config {
		return server.Config{Logger: logger, TrustedProxies: opts.TrustedProxies, Secure: opts.Secure, AccessLog: true}
	}
	handoff := server.NewHandoff(server.NewStarting(startingConfig()))
	srv := &http.Server{
		Handler:           handoff,
		ConnContext:       server.ConnContext, // with server.Listener: verify answers in one write
		ErrorLog:          errorLog(logger),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(server.Listener(ln)) }()
	defer func() {
		if !serving { // a start that fails closes the connections the starting handler kept
			srv.Close()
		}
	}()
	if serveOpening != nil {
		serveOpening(ln.Addr().String(), stop)
	}
	fontsLoaded := loadFonts(logger)
	defer fontsLoaded() // serve never returns while it may still log
	d, err := datadir.Open(path)
	fresh := false
	var tok string
	if errors.Is(err, datadir.ErrNotInitialized) && !demo && writesToJournal(c.ErrOrStderr()) {
		// The journal is read by others than the operator (groups adm, systemd-journal) and
		// copied by log shippers: the admin's token printed there would be theirs, and an
		// office made here would keep the default URL and log origin for good.
		return withHint(err,
			"serve does not initialize a data directory when its output goes to the journal: run 'chancery init --data %s --office NAME --prefix PREFIX --url https://…' before starting the service: it prints the admin's token on your terminal", shellArg(path))
	}
	if errors.Is(err, datadir.ErrNotInitialized) {
		fromListen := base == ""
		if fromListen {
			var lerr error
			if base, lerr = listenURL(ln.Addr().String()); lerr != nil {
				return lerr
			}
		}
		s := datadir.Settings{Office: "Chancery office", Prefix: "CHY", URL: base, BegunBy: datadir.BegunByServe}
		if demo {
			s.Office, s.Prefix = demoOffice, "TFN"
		}
		pdfCert, _ := pdfCertSetup(s.Office, "", "", false)
		d, tok, err = initRegistry(ctx, path, database(c), s, "admin", pdfCert)
		if err == nil {
			fresh = true
			fmt.Fprintf(c.ErrOrStderr(), "chancery: initialized %s; admin token, shown once: %s\n", path, tok)
			err = finishInit(d)
		}
		if err == nil && fromListen && !demo && loopbackURL(s.URL) {
			// As init's: the office's URL, for good, is an address of this machine alone.
			warnLoopbackURL(c.ErrOrStderr(), s.URL)
		}
	} else if r, begun := begunByServe(path, d, err); begun {
		// An earlier serve began initializing the directory and was stopped (killed, or
		// SIGTERM) before it printed the admin's token: its settings are recorded, and no
		// operator ran an init to run again. This serve finishes it, as that init would.
		if d != nil {
			d.Close()
		}
		if writesToJournal(c.ErrOrStderr()) {
			return withHint(fmt.Errorf("serve %s: %w (an earlier serve began it)", path, datadir.ErrUnfinished),
				"serve does not print the admin's token to the journal: run 'chancery serve --data %s' once on a terminal, with the service's other settings (--database), and stop it once it serves; it finishes the office and prints the admin's token", shellArg(path))
		}
		if base != "" && strings.TrimSuffix(base, "/") != strings.TrimSuffix(r.URL, "/") {
			return withHint(fmt.Errorf("--url %s is not the registry's URL, %s, which an earlier serve recorded in %s when it began initializing it", printable(redacted(base)), r.URL, path),
				"leave out --url: serve finishes the initialization with the settings recorded")
		}
		fmt.Fprintf(c.ErrOrStderr(), "chancery: finishing the initialisation an earlier serve began in %s\n", path)
		if base == "" && listenURLDiffers(r.URL, ln.Addr().String()) {
			// The earlier serve, without --url, took the registry's URL from its listen
			// address: this one, listening elsewhere, makes an office whose letters lead
			// to an address it does not serve.
			fmt.Fprintf(c.ErrOrStderr(), "chancery: warning: the registry's URL, which the earlier serve recorded from the address it listened on, is %s, not this serve's address (%s): every released letter's footer and QR code lead there, and the log origin cannot change\n", r.URL, ln.Addr())
			fmt.Fprintf(c.ErrOrStderr(), "chancery: hint: serve it with --listen %s; for an office reached at another address, init another data directory with --url and the registry's public address (such as https://letters.example.org)\n", shellArg(listenAddrOf(r.URL)))
		}
		pdfCert, _ := pdfCertSetup(r.Office, "", "", false)
		d, tok, err = initRegistry(ctx, path, database(c), r, "admin", pdfCert)
		if err == nil {
			fresh = true
			fmt.Fprintf(c.ErrOrStderr(), "chancery: initialized %s; admin token, shown once: %s\n", path, tok)
			err = finishInit(d)
		}
		if err == nil && base == "" && !demo && listenAddrOf(r.URL) != "" && !listenURLDiffers(r.URL, ln.Addr().String()) && loopbackURL(r.URL) {
			// The warning the earlier serve, stopped before it finished, did not give.
			warnLoopbackURL(c.ErrOrStderr(), r.URL)
		}
	}
	if err != nil {
		// A key in a token that does not open (a wrong PIN, the token absent), or a key or
		// settings file of another user's, gets the hint every other command that opens the
		// directory gives (openDir).
		if h := notDirHint(err, path); h != nil {
			return h
		}
		if h := otherUsersReadFile(err, path); h != nil {
			return h
		}
		return keyHint(err)
	}
	defer d.Close()
	if !fresh && base != "" && strings.TrimSuffix(base, "/") != strings.TrimSuffix(d.Settings.URL, "/") {
		// --url names the URL of a registry serve makes; served as if taken, it would not be
		// the one released letters and their QR codes carry, nor what --secure follows.
		return withHint(fmt.Errorf("--url %s is not the registry's URL, %s, which init recorded in %s: serve takes --url only when it initializes a data directory", printable(redacted(base)), d.Settings.URL, path),
			"leave out --url: the registry's URL was set by init and is printed in its released letters")
	}
	if d.Settings.Unfinished {
		// Its office may lack its log's first checkpoint, its admin, or its admin's token,
		// which only that init printed.
		return withHint(fmt.Errorf("serve %s: %w", path, datadir.ErrUnfinished),
			"run the same 'chancery init' again: it finishes the office and gives its admin a token; then serve")
	}
	ops.serveMetrics(d.Settings.URL, logger)
	// A registry whose public URL is https:// is reached over TLS, if only through a proxy
	// that terminates it: its session cookies must never travel in the clear, and browsers
	// should not try plain HTTP again. --secure=false still turns it off.
	if !c.Flags().Changed("secure") && strings.HasPrefix(d.Settings.URL, "https://") {
		opts.Secure = true
		// The answers given while the office opens, for seconds yet, send HSTS as its own do.
		handoff.Set(server.NewStarting(startingConfig()))
	}
	// One server per data directory on SQLite; on PostgreSQL, any number share the database.
	if database(c) == "" {
		unlock, err := d.Lock()
		if err != nil {
			return lockHint(err, d.Path, "stop the other server, or pass another --data")
		}
		defer unlock()
		defer keepLock(d, logger)()
	}
	st, err := office.Open(ctx, d, office.Options{SealWait: wit.sealWait, Database: database(c), AnswerMemory: ops.answerMemory, Logger: logger})
	if err != nil {
		return storeHint(err, d.Path)
	}
	defer st.Close()
	// Before anything is appended or handed to witnesses: a log shorter than the one already
	// published is not served.
	if err := checkPublished(ctx, d, st.DB); err != nil {
		return err
	}
	// Nor is anything appended to a log shorter than, or inconsistent with, what the office's
	// witnesses cosigned: the record above is this data directory's only.
	checkWitnesses(ctx, st, logger)
	// Before anything is served: what an earlier build's erasures left is erased (once per
	// database), and a letter erased before the database was restored from an older backup
	// is erased again.
	// Nothing is served during the pass, which takes the longer the more letters were erased:
	// said before it starts.
	starting := func(letters int) {
		logger.Info("erasing again what an earlier build's erasures left of erased letters, once, before the server starts", "letters", letters)
	}
	if n, err := st.Registry.EraseLeftovers(ctx, starting); err != nil {
		return withHint(fmt.Errorf("refusing to serve: %w", err), "the letters erased by an earlier build keep what it did not erase (file names, recipients and reasons in the audit trail); start the server again, or report this error")
	} else if n > 0 {
		logger.Info("erased again what an earlier build's erasures left of erased letters (file names, recipients and reasons in the audit trail)", "letters", n)
	}
	erasing, err := keepErased(ctx, d, st.Registry, logger)
	if err != nil {
		return err
	}
	defer erasing()
	// Beside the server: fingerprints of right-to-left letters stored by older builds.
	defer rereadFingerprints(ctx, st.Registry, logger)()
	// The witness client outlives the stop signal: the requests under way when it comes may
	// wait for a cosignature (a release's seal, --seal-wait), which the client must still
	// ask for. It stops once the server has answered them (witnessing, deferred).
	witnessing := wit.run(context.WithoutCancel(ctx), st, logger)
	defer witnessing()
	if st.DB.Dialect() == store.SQLite {
		metrics.SetLeader(true) // one server per data directory: it sequences
	}
	defer keepPublished(d, st.Log, logger)()
	if demo && fresh {
		if err := seedDemo(ctx, st.Registry, tok, d.Path, d.Settings.URL, c.ErrOrStderr()); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	dispatching, err := disp.start(ctx, st.Registry, logger)
	if err != nil {
		return err
	}
	defer dispatching()
	db, lg := st.DB, st.Log
	if err := checkRoleMap(opts.Web.OIDC, st.Registry); err != nil {
		return err
	}
	warnLookAlikes(ctx, st.Registry, logger)
	warnOfficeName(d.Settings, logger)
	defer warnOperator(ctx, st.Registry, logger, 24*time.Hour)()
	if st.Converter != nil {
		if err := st.Converter.RemoveStale(); err != nil {
			logger.Warn("conversions killed with an earlier server may have left files in the temporary directory", "err", err)
		}
	}
	if err := ocr.RemoveStale(); err != nil {
		logger.Warn("scans and PDFs read by an earlier server killed while it read them may be left in the temporary directory", "err", err)
	}
	if st.Converter != nil && !st.Converter.Isolated() {
		logger.Warn("LibreOffice converts uploads with this server's network, or with the Unix sockets of its file system: the system refuses it " +
			"a network namespace of its own or the filter of its system calls (unprivileged user namespaces and seccomp; under systemd, " +
			"RestrictNamespaces= must allow user and net, and SystemCallFilter= prctl)")
	} else if st.Converter != nil && !st.Converter.Confined() {
		logger.Warn("LibreOffice converts uploads able to read this server's files, the data directory among them: the system refuses it " +
			"a mount namespace of its own in which the data directory is hidden (under systemd, RestrictNamespaces= must allow mnt and pid too)")
	}

	handler := server.New(server.Config{
		Log: lg, DB: db, VerifierKey: d.VerifierKey(), Origin: d.Settings.Origin, Logger: logger, Registry: st.Registry,
		BaseURL: d.Settings.URL, MaxUpload: opts.MaxUpload, UploadMemory: opts.UploadMemory, Tesseract: opts.Tesseract, Secure: opts.Secure, RateLimit: opts.RateLimit,
		TrustedProxies: opts.TrustedProxies, AccessLog: true, Web: opts.Web,
	})
	// After the server's shutdown: what it reads in the background (a PDF's pages, by OCR,
	// with a copy of the PDF in the temporary directory) is stopped and removed.
	defer handler.Close()
	fontsLoaded()
	handoff.Set(handler)
	serving = true
	fmt.Fprintf(c.OutOrStdout(), "chancery: serving http://%s (log %s, %d entries, data %s)\n",
		ln.Addr(), d.Settings.Origin, lg.Head().Size, d.Path)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// The requests under way are finished: a release or a withdrawal that committed waits up
	// to --seal-wait for its seal before it answers.
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second+wit.sealWait)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// listenAddrOf returns HOST:PORT of u, a URL serve made from a listen address (listenURL,
// "http://HOST:PORT"), or "" for any other URL.
func listenAddrOf(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "http" || p.User != nil || (p.Path != "" && p.Path != "/") || p.RawQuery != "" || p.Fragment != "" || p.Port() == "" {
		return ""
	}
	if net.ParseIP(p.Hostname()) == nil && !loopbackURL(u) {
		return "" // a name: given with --url, not taken from a listen address
	}
	return p.Host
}

// listenURLDiffers reports whether recorded, the registry's URL an earlier serve recorded, is
// a URL made from a listen address (listenAddrOf) that addr, where this serve listens, does
// not answer: another port, or another address than addr's (an address this serve does not
// listen on). A listen address on every address of the machine (0.0.0.0, ::) answers the
// recorded one on its port.
func listenURLDiffers(recorded, addr string) bool {
	was := listenAddrOf(recorded)
	if was == "" {
		return false
	}
	rhost, rport, err := net.SplitHostPort(was)
	if err != nil {
		return false
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if port != rport {
		return true
	}
	ip, rip := net.ParseIP(host), net.ParseIP(rhost)
	switch {
	case ip == nil:
		return host != rhost
	case ip.IsUnspecified():
		return false
	case rip == nil: // localhost
		return !ip.IsLoopback()
	}
	return !ip.Equal(rip)
}

// begunByServe reports whether the data directory at path is one whose init an earlier serve
// began and did not finish (datadir.Settings.BegunBy), and returns its recorded settings; d and
// err are what datadir.Open answered for it (an init stopped before its keys were moved in
// does not open: datadir.ErrUnfinished).
func begunByServe(path string, d *datadir.Dir, err error) (datadir.Settings, bool) {
	switch {
	case err == nil && d.Settings.Unfinished && d.Settings.BegunBy == datadir.BegunByServe:
		return d.Settings, true
	case errors.Is(err, datadir.ErrUnfinished):
		s, rerr := datadir.ReadSettings(path)
		return s, rerr == nil && s.Unfinished && s.BegunBy == datadir.BegunByServe
	}
	return datadir.Settings{}, false
}

// warnOperator logs, at once and then every period, a warning when the office's PDF signing
// certificate has ended or ends within a month, and when the policy in force does not compile
// with this build (the gate is closed): releases are refused meanwhile, and a server runs for
// longer than anyone reads its start. It returns a function that stops
// it and waits, so that nothing logs after serve returns.
func warnOperator(ctx context.Context, reg *registry.Registry, logger *slog.Logger, period time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			for _, warn := range []string{reg.PDFCertificateWarning(), reg.PolicyClosed()} {
				if warn != "" {
					logger.Warn(warn)
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}

// appendReachable appends to warnings the warning that an operator's listener ln is bound to
// an address other machines may reach: such listeners are meant for the machine itself, or a
// private network behind a firewall, and carry no authentication. serve logs the warnings
// once its logger exists (--log-format json: a JSON line as every other).
func appendReachable(warnings []string, ln net.Listener, what, risk string) []string {
	if a, ok := ln.Addr().(*net.TCPAddr); ok && a.IP.IsLoopback() {
		return warnings
	}
	return append(warnings, fmt.Sprintf("%s listens on %s, which other machines may reach, without authentication: %s; bind it to 127.0.0.1 or keep it behind a firewall", what, ln.Addr(), risk))
}

// warnOfficeName logs the office's name when init would refuse it today
// (registry.CheckOfficeName: a bidirectional control, an invisible character, a space at an
// end, too long for the footer…), for an office made before it did. Such an office is served
// as it was: no command renames an office, whose name its seals, log entries and trust root
// already carry, so the operator only hears of it.
func warnOfficeName(s datadir.Settings, logger *slog.Logger) {
	if _, err := registry.CheckOfficeName(s.Office, s.Prefix); err != nil && !errors.Is(err, pdf.ErrNoFonts) {
		logger.Warn("the office's name would be refused by init today, made before such names were; released letters print it as it is", "office", s.Office, "err", err)
	}
}

// warnLookAlikes logs that member or recipient names read as one another's: names added
// before such names were refused stay, and only the operator can tell their holders apart.
// It says how many, not which: the server's log is shipped and read beyond the office, and
// keeps out members' and recipients' names as the access log does; the members page shows
// them to admins.
func warnLookAlikes(ctx context.Context, reg *registry.Registry, logger *slog.Logger) {
	sets, err := reg.LookAlikes(ctx)
	if err != nil {
		logger.Warn("look-alike names: not checked", "err", err)
		return
	}
	for _, s := range sets {
		logger.Warn("some "+s.Kind+" names read alike, added before such names were refused: the pages, statements, "+
			"the log and the audit trail tell them apart by name alone; an admin sees them on the members page (/admin/members) and checks who holds each",
			"kind", s.Kind, "names", len(s.Names))
	}
}

// loadFonts starts loading the letter fonts every letter uses (pdf.LoadFonts; another
// script's are parsed when a letter first has one of its characters) while the server opens
// its office, and returns a function that waits for them. serve calls it before it answers its
// first request, since the first letter created or released after a start would otherwise
// wait for them, and before it returns, so that nothing logs after it.
// Missing fonts are said in the log at the start rather than at the first letter; the server
// still serves (lookups and verification need no fonts).
func loadFonts(logger *slog.Logger) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		start := time.Now()
		if err := pdf.LoadFonts(); err != nil {
			logger.Warn("letter fonts: letters cannot be checked or laid out until they are installed", "err", err)
			return
		}
		logger.Info("letter fonts loaded", "took", time.Since(start).Round(time.Millisecond))
	}()
	return func() { <-done }
}
