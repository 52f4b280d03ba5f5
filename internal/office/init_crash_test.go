package office_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/officeca"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store/storetest"
)

// initCrashEnv holds the data directory, the database and the step after which
// TestInitCrashChild is killed, separated by newlines.
const initCrashEnv = "CHANCERY_INIT_CRASH"

var initCrashSettings = datadir.Settings{Office: "Crash Init Office", Prefix: "CRI", Origin: "crash-init.example/log", URL: "https://crash-init.example"}

// TestInitKilledMidwayIsFinishedByInitAgain: an init SIGKILLed after writing the data
// directory, or after making the log too, left a directory that said it was initialized and
// an office without an admin: 'chancery init' again refused ("already initialized"), serve
// refused a directory without a log, or served an office nobody could act for, and on
// PostgreSQL the log stayed in the database. Killed while it wrote the PDF signing
// material, it left files init again refused to overwrite. Killed after making the admin, before their
// token was printed, it lost the token, and init again refused. Run again with the same
// settings, init finishes it, giving the admin a token that works; with other settings, or
// once finished, it still refuses.
func TestInitKilledMidwayIsFinishedByInitAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process")
	}
	for _, backend := range []string{"sqlite", "postgres"} {
		for _, step := range []string{"directory", "pdf", "log", "admin"} {
			t.Run(backend+"/"+step, func(t *testing.T) {
				ctx := context.Background()
				var database string
				if backend == "postgres" {
					database = storetest.PostgresURL(t)
				}
				dir := filepath.Join(t.TempDir(), "office")
				cmd := exec.Command(os.Args[0], "-test.run=^TestInitCrashChild$", "-test.count=1")
				cmd.Env = append(os.Environ(), initCrashEnv+"="+strings.Join([]string{dir, database, step}, "\n"))
				var out bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &out
				err := cmd.Run()
				var exit *exec.ExitError
				if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
					t.Fatalf("init was not killed after its %s: %v\n%s", step, err, out.String())
				}

				opts := office.Options{Database: database}
				other := initCrashSettings
				other.Prefix = "OTH"
				if _, _, err := office.Init(ctx, dir, other, "admin", nil, opts); !errors.Is(err, datadir.ErrInitialized) {
					t.Fatalf("init again with other settings: %v, want already initialized", err)
				}
				if step == "admin" {
					// Only the admin it made gets a new token.
					if _, _, err := office.Init(ctx, dir, initCrashSettings, "someone", nil, opts); !errors.Is(err, registry.ErrConflict) {
						t.Fatalf("init again naming another admin: %v, want a conflict", err)
					}
				}
				var pdfCert func(string) error
				if step == "pdf" {
					pdfCert = createPDFCA
				}
				d, tok, err := office.Init(ctx, dir, initCrashSettings, "admin", pdfCert, opts)
				if err != nil {
					t.Fatalf("init again with the same settings: %v", err)
				}
				if err := d.Finish(); err != nil {
					t.Fatal(err)
				}
				d.Close()
				if _, err := officeca.Load(dir); step == "pdf" && err != nil {
					t.Fatalf("the pdf signing certificate of the finished office: %v", err)
				}
				for _, o := range []office.Options{opts, {}} {
					if _, _, err := office.Init(ctx, dir, initCrashSettings, "admin", nil, o); !errors.Is(err, datadir.ErrInitialized) {
						t.Fatalf("init of the finished office (database %q): %v, want already initialized", o.Database, err)
					}
				}
				if _, err := os.Stat(filepath.Join(dir, "chancery.db")); database != "" && err == nil {
					t.Fatal("init of the finished PostgreSQL office without --database made a SQLite database")
				}
				d, err = datadir.Open(dir)
				if err != nil {
					t.Fatal(err)
				}
				defer d.Close()
				st, err := office.Open(ctx, d, opts)
				if err != nil {
					t.Fatalf("open the finished office: %v", err)
				}
				defer st.Close()
				m, err := st.Registry.Authenticate(ctx, tok)
				if err != nil || m.Name != "admin" {
					t.Fatalf("the token init gave: %v, %v; want the admin", m, err)
				}
			})
		}
	}
}

// An admin's name no member can have is refused before anything is written: it left an
// office with a log and no admin.
func TestInitRefusesABadAdminNameBeforeWriting(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "office")
	if _, _, err := office.Init(context.Background(), dir, initCrashSettings, "two words", nil); err == nil {
		t.Fatal("init with the admin name \"two words\" succeeded")
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the refused init left %s behind (%v)", dir, err)
	}
}

// TestInitCrashChild is the child of TestInitKilledMidwayIsFinishedByInitAgain: it runs Init
// and kills itself after the step initCrashEnv names.
func TestInitCrashChild(t *testing.T) {
	v := os.Getenv(initCrashEnv)
	if v == "" {
		t.Skip("run as a child process by TestInitKilledMidwayIsFinishedByInitAgain")
	}
	f := strings.Split(v, "\n")
	office.SetInitStep(func(step string) {
		if step == f[2] {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	})
	var pdfCert func(string) error
	if f[2] == "pdf" {
		// Killed while it creates the PDF signing material: what officeca's crash test shows
		// a Create killed before its last file leaves, files without the signing certificate.
		pdfCert = func(dir string) error {
			if err := createPDFCA(dir); err != nil {
				return err
			}
			os.Remove(filepath.Join(dir, officeca.SigningCertFile))
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			return nil
		}
	}
	_, _, err := office.Init(context.Background(), f[0], initCrashSettings, "admin", pdfCert, office.Options{Database: f[1]})
	t.Fatalf("init ran to its end without its %s step: %v", f[2], err)
}

func createPDFCA(dir string) error { return officeca.Create(dir, initCrashSettings.Office, time.Now()) }

// An office name that reads as another's (here with a right-to-left override) is refused
// before anything is written, and one typed with combining accents is kept in NFC: serve's
// init and other callers of Init pass through here, not through the command's check.
func TestInitChecksTheOfficeName(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "office")
	s := initCrashSettings
	s.Office = "Task Force \u202eNorth"
	if _, _, err := office.Init(context.Background(), dir, s, "admin", nil); !errors.Is(err, registry.ErrInvalid) {
		t.Fatalf("init with the office name %q: %v, want ErrInvalid", s.Office, err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the refused init left %s behind (%v)", dir, err)
	}
	s.Office = "Ministe\u0300re"
	d, _, err := office.Init(context.Background(), dir, s, "admin", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.Settings.Office != "Minist\u00e8re" {
		t.Errorf("office name stored as %q, want it in NFC", d.Settings.Office)
	}
}
