package cli_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/seal"
)

// tornEnv holds, for TestReleasedFileNeverTornChild, the registry's URL and the directory.
const tornEnv = "CHANCERY_CLI_TORN_FETCH"

// TestReleasedFileNeverTorn: 'letter fetch' and 'release' wrote the released file straight
// under its name, so that a command killed while it wrote (kill -9, a power loss) left a
// torn letter under the released letter's name, which the next fetch then refused to
// replace ("already exists"). Here the command is killed as soon as its file's name
// appears: whatever is under the name must be the whole file.
func TestReleasedFileNeverTorn(t *testing.T) {
	const ref = "TFN-2026-000009"
	file := bytes.Repeat([]byte("%PDF released letter\n"), 64<<20/21)
	digest := string(seal.DigestOf(file))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/letters/"+ref, func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"reference": ref, "state": "released",
			"release": map[string]any{"version": 1, "file_digest": digest, "file_name": "letter.pdf", "log_index": 3}})
	})
	mux.HandleFunc("GET /api/v1/letters/"+ref+"/file", func(w http.ResponseWriter, r *http.Request) { w.Write(file) })
	mux.HandleFunc("GET /api/v1/letters/"+ref+"/seal", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("{}")) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	dir := t.TempDir()
	name := filepath.Join(dir, ref+".pdf")

	cmd := exec.Command(os.Args[0], "-test.run=^TestReleasedFileNeverTornChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir(), tornEnv+"="+srv.URL+"\n"+dir+"\n"+ref, "CHANCERY_TOKEN=token")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var exited bool
	for !exited {
		if _, err := os.Lstat(name); err == nil {
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			break
		}
		select {
		case <-done:
			exited = true
		default:
		}
	}
	fi, err := os.Lstat(name)
	if err != nil {
		if exited {
			t.Fatalf("the command ended without writing %s:\n%s", name, out.String())
		}
		return
	}
	if fi.Size() != int64(len(file)) {
		t.Errorf("killed while it wrote, the command left %d of the released file's %d bytes under its name", fi.Size(), len(file))
	}
}

// TestReleasedFileNeverTornChild is the command TestReleasedFileNeverTorn kills.
func TestReleasedFileNeverTornChild(t *testing.T) {
	v := os.Getenv(tornEnv)
	if v == "" {
		t.Skip("run as a child process by TestReleasedFileNeverTorn")
	}
	a := strings.Split(v, "\n")
	var stdout, stderr bytes.Buffer
	if code := cli.Main([]string{"letter", "fetch", a[2], "--out", a[1], "--url", a[0]}, &stdout, &stderr); code != cli.ExitOK {
		t.Fatalf("status %d\n%s", code, stderr.String())
	}
}
