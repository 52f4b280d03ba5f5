package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/chancery/chancery/internal/witness"
	"github.com/spf13/cobra"
)

// newWitness is the witness command: Chancery as a witness of other logs (serve, add-log,
// key). The commands that configure the office's own witnesses are added beside them.
func newWitness(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "witness",
		Short: "Run a C2SP tlog-witness for other logs, and configure this office's witnesses",
		Long: `A witness cosigns a log's checkpoints after checking that the log only grew since the last
checkpoint it cosigned (C2SP tlog-witness). Verifiers that require cosignatures from a quorum
of witnesses cannot be shown a forked history unless the witnesses collude.

'chancery witness serve' runs Chancery as a witness for other offices' logs, with its own key
and its own database in --data (witness.key, witness.db), apart from any registry.
See docs/witnesses.md.`,
	}
	c.AddCommand(newWitnessServe(g), newWitnessAddLog(g), newWitnessKey(g))
	return c
}

func newWitnessServe(g *globals) *cobra.Command {
	var listen, name string
	c := &cobra.Command{
		Use:   "serve --name NAME",
		Short: "Serve a C2SP tlog-witness for the logs added with add-log",
		Long: `Serve runs a witness: it answers POST /add-checkpoint (C2SP tlog-witness) for the logs added
with 'chancery witness add-log', cosigning each checkpoint that is signed by the log's key and
proved consistent with the last one it cosigned for that log. It records the new size and root
in its database (synced to disk) before it answers, so a cosignature never outlives a crash.

On first start it creates the witness key in --data (witness.key, mode 0600) under --name, a
URL-like name such as witness.justice.example; the name is bound to the key from then on. It
prints the verifier key, which the logs' operators configure ('chancery witness add' for a
Chancery office). SIGINT or SIGTERM stops it gracefully.`,
		Example: `  chancery witness serve --data /var/lib/chancery-witness --listen 127.0.0.1:7380 --name witness.justice.example`,
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return serveWitness(c, g.data, listen, name)
		},
	}
	c.Flags().StringVar(&listen, "listen", "127.0.0.1:7380", "address to listen on")
	c.Flags().StringVar(&name, "name", "", "the witness's name, on its cosignature lines (fixed by the first start)")
	c.MarkFlagRequired("name")
	return c
}

func serveWitness(c *cobra.Command, dir, listen, name string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(c.ErrOrStderr(), nil))
	key, err := witness.LoadKey(dir, name)
	if err != nil {
		// The witness's directory, new, in a parent this user cannot write.
		if h := unmadeDirHint(err, dir); h != nil {
			return h
		}
		// A key file root left in the witness's directory: the owned file's hint, as the
		// office's data directory's keys get it.
		if h := otherUsersReadFile(err, dir); h != nil {
			return h
		}
		if h := unwritableWitnessDir(err, dir); h != nil && writeRefused(err) {
			return h // the key, made at the first start
		}
		if _, rerr := witness.ReadVerifierKey(dir); rerr == nil {
			return withHint(err, "a witness key is bound to its name: pass the name it was created with, or use another --data")
		}
		return err
	}
	st, err := openWitnessStore(ctx, dir)
	if err != nil {
		return err
	}
	defer st.Close()
	logs, err := st.Logs(ctx)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return withHint(err, "another process may be using %s; pass --listen 127.0.0.1:PORT", listen)
	}
	defer ln.Close()
	srv := &http.Server{
		Handler:           witness.NewServer(st, key, logger),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	out := c.OutOrStdout()
	fmt.Fprintf(out, "chancery: witness %s serving http://%s (%d logs, data %s)\n", key.Name(), ln.Addr(), len(logs), dir)
	fmt.Fprintf(out, "chancery: verifier key %s\n", key.VerifierKey())
	if len(logs) == 0 {
		fmt.Fprintf(c.ErrOrStderr(), "chancery: hint: no logs yet: add one with 'chancery witness add-log --data %s --origin ORIGIN --key VKEY'\n", shellArg(dir))
	}
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

// openWitnessStore opens the witness's database in dir, with a hint when it was lost, or when
// it is another user's.
func openWitnessStore(ctx context.Context, dir string) (*witness.Store, error) {
	st, err := witness.OpenStore(ctx, dir)
	if errors.Is(err, witness.ErrStateLost) {
		return nil, withHint(err, "put back %s as it was (with %s-wal), never an older copy; or, to start this witness over, move %s away too: a new key is a new witness, which the logs' operators configure again (docs/witnesses.md)",
			witness.DBFile, witness.DBFile, witness.KeyFile)
	}
	if err != nil {
		return nil, witnessStoreHint(err, dir)
	}
	return st, nil
}

// witnessStoreHint is the owned file's hint for err, the refusal of the witness's database in
// dir left there by another user (root, running 'witness add-log' by hand in the service's
// directory), as the office's chancery.db gets it (storeHint): witness.db, its -wal, -shm or
// -journal file, or the witness's directory itself, another user's, which this one cannot
// enter. Err as it is otherwise.
func witnessStoreHint(err error, dir string) error {
	if h := unmadeDirHint(err, dir); h != nil {
		return h
	}
	if h := otherUsersFile(err, dir); h != nil {
		return h
	}
	if h := otherUsersReadFile(err, dir); h != nil {
		return h
	}
	if h := otherUsersSQLiteFiles(err, dir, witness.DBFile); h != nil {
		return h
	}
	// SQLite makes the database's write-ahead log beside it, and the first opening the
	// database itself: a directory this user cannot write fails them ("attempt to write a
	// readonly database", "permission denied").
	if h := unwritableWitnessDir(err, dir); h != nil {
		return h
	}
	return err
}

// unwritableWitnessDir is the hint for err when the witness's directory dir is one this user
// cannot write (its mode, a read-only mount, an immutable flag), where the witness makes its
// key, its database and the database's write-ahead log. Nil otherwise.
func unwritableWitnessDir(err error, dir string) error {
	if !unwritableDir(dir) {
		return nil
	}
	return withHint(err, "%s is not writable by the user running chancery (uid %d), and the witness makes its key, its database and the database's write-ahead log in it: check its owner and mode ('ls -ld %s'), whether its file system is mounted read-only, and whether it is immutable ('lsattr -d %s')", dir, os.Geteuid(), shellArg(dir), shellArg(dir))
}

// writeRefused reports whether err is a write the system refused for want of rights (EACCES,
// EPERM: the directory's mode or owner, an immutable flag) or because the file system is
// mounted read-only (EROFS, which is not fs.ErrPermission): the cases unwritableWitnessDir's
// hint names.
func writeRefused(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)
}

func newWitnessAddLog(g *globals) *cobra.Command {
	var origin, key string
	c := &cobra.Command{
		Use:   "add-log --origin ORIGIN --key VKEY",
		Short: "Let the witness cosign a log's checkpoints",
		Long: `Add-log makes the witness in --data accept checkpoints of the log ORIGIN signed by VKEY, the
log's note verifier key (for a Chancery office, what 'chancery log key' prints; its name is
the origin). The witness cosigns the log's first checkpoint as it comes, and every later one
only with a consistency proof from the last it cosigned.

Adding a second key to a known log keeps the log's state: that is how a log's key is rotated.
It may run while 'chancery witness serve' is running.`,
		Example: `  chancery witness add-log --data /var/lib/chancery-witness --origin letters.interior.example/log \
    --key letters.interior.example/log+5f6b1a2c+AUm3...`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			st, err := openWitnessStore(c.Context(), g.data)
			if err != nil {
				return err
			}
			defer st.Close()
			created, err := st.AddLog(c.Context(), origin, key)
			if err != nil {
				return withHint(err, "--key is the log's note verifier key, ORIGIN+HASH+KEY, as 'chancery log key' prints it; its name must be --origin")
			}
			if created {
				fmt.Fprintf(c.OutOrStdout(), "chancery: added log %s\n", origin)
			} else {
				fmt.Fprintf(c.OutOrStdout(), "chancery: log %s accepts key %s\n", origin, key)
			}
			return nil
		},
	}
	c.Flags().StringVar(&origin, "origin", "", "the log's origin, the first line of its checkpoints")
	c.Flags().StringVar(&key, "key", "", "the log's note verifier key")
	c.MarkFlagRequired("origin")
	c.MarkFlagRequired("key")
	return c
}

func newWitnessKey(g *globals) *cobra.Command {
	var name string
	c := &cobra.Command{
		Use:   "key",
		Short: "Print the witness's verifier key",
		Long: `Key prints the verifier key of the witness in --data, an Ed25519 cosignature/v1 key (C2SP
tlog-cosignature), for logs' operators to configure. With --name, it creates the key if
there is none yet, so that the key can be published before the witness first runs.`,
		Example: `  chancery witness key --data /var/lib/chancery-witness
  chancery witness key --data /var/lib/chancery-witness --name witness.justice.example`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if name != "" {
				k, err := witness.LoadKey(g.data, name)
				if err != nil {
					if h := unmadeDirHint(err, g.data); h != nil {
						return h
					}
					if h := otherUsersReadFile(err, g.data); h != nil {
						return h
					}
					if h := unwritableWitnessDir(err, g.data); h != nil && writeRefused(err) {
						return h // the key, made here
					}
					return err
				}
				fmt.Fprintln(c.OutOrStdout(), k.VerifierKey())
				return nil
			}
			vkey, err := witness.ReadVerifierKey(g.data)
			if h := notDirHint(err, g.data); h != nil {
				return h
			}
			if h := otherUsersReadFile(err, g.data); h != nil {
				return h
			}
			if errors.Is(err, fs.ErrNotExist) {
				return withHint(err, "no witness key in %s yet: pass --name NAME to create it, or start 'chancery witness serve --name NAME'", g.data)
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(c.OutOrStdout(), vkey)
			return nil
		},
	}
	c.Flags().StringVar(&name, "name", "", "create the key under this name if there is none")
	return c
}
