package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/server"
	"github.com/spf13/cobra"
)

func newServe(g *globals) *cobra.Command {
	var listen, base string
	var demo, secure bool
	var maxUpload int64
	var rateLimit float64
	var debugAddr string
	c := &cobra.Command{
		Use:   "serve",
		Short: "Serve the registry: web pages, JSON API and the transparency log",
		Long: `Serve runs the registry's HTTP server. The transparency log is served per C2SP tlog-tiles
under /log/ (checkpoint, tiles, entry bundles), with JSON proofs under /log/proof/.
Health checks: /healthz (the process is up) and /readyz (the store answers).

If the data directory is not initialized yet, serve initializes it first (see 'chancery init').

With --demo and no --data, serve uses a fresh temporary directory, fills the log with
sample entries and deletes the directory on exit.`,
		Example: `  chancery serve --demo
  chancery serve --data /var/lib/chancery --listen :8080`,
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
			if debugAddr != "" {
				if err := serveDebug(debugAddr); err != nil {
					return err
				}
			}
			return serve(c, path, listen, base, demo, server.Config{MaxUpload: maxUpload, Secure: secure, RateLimit: rateLimit})
		},
	}
	c.Flags().StringVar(&listen, "listen", defaultListen(), "address to listen on (env CHANCERY_LISTEN)")
	c.Flags().StringVar(&base, "url", "", "public base URL, when serve initializes the data directory (default http:// and the address it listens on)")
	c.Flags().Int64Var(&maxUpload, "max-upload", server.DefaultMaxUpload, "largest letter file accepted, in bytes")
	c.Flags().BoolVar(&secure, "secure", false, "mark session cookies Secure and send HSTS: set it when a TLS proxy fronts the server")
	c.Flags().Float64Var(&rateLimit, "rate-limit", server.DefaultRateLimit, "requests per second each client address may make to the public verify pages and API; negative disables the limit (load tests only)")
	c.Flags().StringVar(&debugAddr, "debug-listen", "", "serve Go's profiler (net/http/pprof) on this address, e.g. 127.0.0.1:6060; keep it off public interfaces")
	c.Flags().BoolVar(&demo, "demo", false, "fill the log with sample entries (in a temporary directory unless --data is given)")
	return c
}

// serve runs the server; opts carries the command line's server settings. It binds the
// listen address first, so that a busy port fails at once, before a demo is built, and so that
// a registry it initializes (and the demo's commands) name the port it got (--listen :0).
// Without base, that base URL is http:// and the bound address.
func serve(c *cobra.Command, path, listen, base string, demo bool, opts server.Config) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(c.ErrOrStderr(), nil))

	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return withHint(err, "another process may be using %s; pass --listen 127.0.0.1:PORT", listen)
	}
	defer ln.Close()
	d, err := datadir.Open(path)
	fresh := false
	var tok string
	if errors.Is(err, datadir.ErrNotInitialized) {
		if base == "" {
			var lerr error
			if base, lerr = listenURL(ln.Addr().String()); lerr != nil {
				return lerr
			}
		}
		s := datadir.Settings{Office: "Chancery office", Prefix: "CHY", URL: base}
		if demo {
			s.Office, s.Prefix = demoOffice, "TFN"
		}
		pdfCert, _ := pdfCertSetup(s.Office, "", "", false)
		d, tok, err = initRegistry(ctx, path, s, "admin", pdfCert)
		if err == nil {
			fresh = true
			fmt.Fprintf(c.ErrOrStderr(), "chancery: initialized %s; admin token, shown once: %s\n", path, tok)
		}
	}
	if err != nil {
		return err
	}
	unlock, err := d.Lock()
	if err != nil {
		return withHint(err, "stop the other server, or pass another --data")
	}
	defer unlock()
	st, err := office.Open(ctx, d)
	if err != nil {
		return err
	}
	defer st.Close()
	if demo && fresh {
		if err := seedDemo(ctx, st.Registry, tok, d.Path, d.Settings.URL, c.ErrOrStderr()); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	db, lg := st.DB, st.Log

	srv := &http.Server{
		Handler: server.New(server.Config{
			Log: lg, DB: db, VerifierKey: d.VerifierKey(), Origin: d.Settings.Origin, Logger: logger, Registry: st.Registry,
			BaseURL: d.Settings.URL, MaxUpload: opts.MaxUpload, Secure: opts.Secure, RateLimit: opts.RateLimit,
		}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	fmt.Fprintf(c.OutOrStdout(), "chancery: serving http://%s (log %s, %d entries, data %s)\n",
		ln.Addr(), d.Settings.Origin, lg.Head().Size, d.Path)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// serveDebug serves the Go profiler on its own listener, apart from the public handler.
func serveDebug(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return withHint(err, "pass another --debug-listen address")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go http.Serve(ln, mux)
	return nil
}
