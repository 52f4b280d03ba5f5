package cli_test

import (
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store/storetest"
)

// pgServer finds a program of the PostgreSQL server (pg_ctl, postgres) in Debian's versioned
// directory, failing under CHANCERY_REQUIRE_TOOLS=1 and skipping otherwise.
func pgServer(t *testing.T, name string) string {
	t.Helper()
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(found) == 0 {
		if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s (Debian package postgresql) is required", name)
		}
		t.Skipf("no %s: skipping", name)
	}
	return found[len(found)-1]
}

// asPostgresUser runs a server program as the user the test cluster runs as: PostgreSQL
// refuses to run as root, so under root (as in scripts/test) it runs as "postgres".
func asPostgresUser(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	if os.Geteuid() != 0 {
		return exec.Command(args[0], args[1:]...)
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		t.Fatalf("running as root needs the postgres user: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	}); err != nil {
		t.Fatal(err)
	}
	return exec.Command("runuser", append([]string{"-u", "postgres", "--"}, args...)...)
}

// A PostgreSQL office copied with pg_basebackup (a physical backup of the whole cluster, the
// way point-in-time recovery starts) and started as a cluster of its own verifies; since the
// office released more after the copy, serving the copy is refused until an operator accepts
// the shorter log.
func TestPostgresBaseBackupRestore(t *testing.T) {
	src := storetest.PostgresURL(t)
	basebackup := pgTool(t, "pg_basebackup")
	pgctl := pgServer(t, "pg_ctl")
	dir := filepath.Join(t.TempDir(), "node")
	o := openReleasingOffice(t, dir, src)
	for range 2 {
		if _, err := o.release(); err != nil {
			t.Fatal(err)
		}
	}
	copied := o.st.Log.Head()

	// The cluster directory must be reachable by the postgres user: not under t.TempDir (0700).
	root, err := os.MkdirTemp("", "chancery-basebackup-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(root, "data")
	if out, err := exec.Command(basebackup, "--dbname", os.Getenv(storetest.PostgresEnv), "--pgdata", data,
		"--wal-method=stream", "--checkpoint=fast").CombinedOutput(); err != nil {
		t.Fatalf("pg_basebackup: %v\n%s", err, out)
	}

	// The office goes on after the copy, and the server records what it published.
	if _, err := o.release(); err != nil {
		t.Fatal(err)
	}
	published := o.st.Log.Head()
	if err := o.st.Dir.SetPublished(published.Checkpoint); err != nil {
		t.Fatal(err)
	}
	if copied.Size >= published.Size {
		t.Fatalf("the copy has %d entries, the published log %d", copied.Size, published.Size)
	}

	// Start the copy as a cluster of its own on a free loopback port.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	start := asPostgresUser(t, root, pgctl, "-D", data, "-l", filepath.Join(root, "log"), "-w", "-o",
		"-c listen_addresses=127.0.0.1 -p "+strconv.Itoa(port)+" -k "+root, "start")
	if out, err := start.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(root, "log"))
		t.Fatalf("start the restored cluster: %v\n%s\n%s", err, out, log)
	}
	t.Cleanup(func() {
		asPostgresUser(t, root, pgctl, "-D", data, "-m", "immediate", "stop").Run()
	})
	u, err := url.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = "127.0.0.1:" + strconv.Itoa(port)
	dst := u.String()

	code, stdout, stderr := run("log", "verify", "--data", dir, "--database", dst)
	if code != 0 || !strings.Contains(stdout, "is sound") || !strings.Contains(stdout, strconv.FormatInt(copied.Size, 10)) {
		t.Fatalf("log verify of the restored cluster: status %d\n%s%s", code, stdout, stderr)
	}
	code, _, stderr = run("serve", "--data", dir, "--database", dst, "--listen", "127.0.0.1:0")
	if code != 2 || !strings.Contains(stderr, "refusing to serve: the stored log has") || !strings.Contains(stderr, "accept-restore") {
		t.Fatalf("serve on the older copy: status %d\n%s", code, stderr)
	}
	code, stdout, stderr = run("log", "accept-restore", "--data", dir, "--database", dst)
	if code != 0 || !strings.Contains(stdout, "accepted") {
		t.Fatalf("accept-restore: status %d\n%s%s", code, stdout, stderr)
	}
}
