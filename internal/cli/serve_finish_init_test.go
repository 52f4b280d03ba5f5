package cli_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/syncbuf"
	"github.com/chancery/chancery/internal/testbin"
)

// TestServeFinishesTheInitAnEarlierServeBegan: a serve stopped while it initialized a new
// data directory left it unfinished, and the next serve refused it, saying to "run the same
// 'chancery init' again", an init the operator never ran (fifty-ninth session's not-fixed
// list, the lead's decision). The next serve now finishes it with the settings the first
// recorded, says so, and gives the admin a new token; a directory whose unfinished init is an
// operator's 'chancery init' keeps the refusal.
func TestServeFinishesTheInitAnEarlierServeBegan(t *testing.T) {
	bin := testbin.Shared(t, "./cmd/chancery")
	dir := filepath.Join(t.TempDir(), "reg")
	// Killed once the admin's token is printed, before the directory says init finished.
	killedAt(t, "init", "printed", "serve", "--data", dir, "--listen", "127.0.0.1:0")
	recorded, err := datadir.ReadSettings(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !recorded.Unfinished || recorded.BegunBy != datadir.BegunByServe {
		t.Fatalf("the serve killed while it initialized recorded %+v, want unfinished and begun by serve", recorded)
	}

	cmd := exec.Command(bin, "serve", "--data", dir, "--listen", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncbuf.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "chancery: serving "); ok {
				found <- strings.Fields(rest)[0]
				return
			}
		}
		close(found)
	}()
	var base string
	select {
	case u, ok := <-found:
		if !ok {
			cmd.Wait()
			t.Fatalf("serve of a directory an earlier serve began exited before serving:\n%s", stderr.String())
		}
		base = u
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not start within 60s:\n%s", stderr.String())
	}
	errs := stderr.String()
	if !strings.Contains(errs, "chancery: finishing the initialisation an earlier serve began in "+dir+"\n") {
		t.Errorf("serve did not say it finishes the earlier serve's initialisation:\n%s", errs)
	}
	m := regexp.MustCompile(`chancery: initialized .*; admin token, shown once: (\S+)\n`).FindStringSubmatch(errs)
	if m == nil {
		t.Fatalf("serve printed no admin token:\n%s", errs)
	}
	finished, err := datadir.ReadSettings(dir)
	if err != nil {
		t.Fatal(err)
	}
	if finished.Unfinished || finished.BegunBy != "" {
		t.Errorf("the finished directory records %+v, want neither unfinished nor begun by", finished)
	}
	if finished.Office != recorded.Office || finished.URL != recorded.URL || finished.Origin != recorded.Origin {
		t.Errorf("finished with %+v, want the settings recorded, %+v", finished, recorded)
	}
	// The admin's new token is the admin's.
	req, err := http.NewRequest("GET", base+"/api/v1/members", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+m[1])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var members []struct {
		Name string `json:"name"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&members); err != nil || resp.StatusCode != 200 || len(members) != 1 || members[0].Name != "admin" {
		t.Errorf("the members, with the printed token: %d %v %+v, want admin alone", resp.StatusCode, err, members)
	}
	// The earlier serve took the registry's URL from its listen address (127.0.0.1:0, a port
	// of its own): this one, listening on another, said nothing of it (fifty-ninth session's
	// not-fixed list, the lead's decision). It warns, and says how to serve it there. (Read
	// once the process has ended: all it wrote is copied then.)
	cmd.Process.Kill()
	cmd.Wait()
	errs = stderr.String()
	listened := strings.TrimPrefix(recorded.URL, "http://")
	warning := "chancery: warning: the registry's URL, which the earlier serve recorded from the address it listened on, is " + recorded.URL + ", not this serve's address (" + strings.TrimPrefix(base, "http://") + ")"
	if !strings.Contains(errs, warning) || !strings.Contains(errs, "chancery: hint: serve it with --listen "+listened+";") {
		t.Errorf("serve finishing the init on another address than the recorded URL's:\n%s\nwant the warning %q… and the hint to listen on %s", errs, warning, listened)
	}

	// An operator's init stopped the same way keeps its refusal: that init is the one to run.
	other := filepath.Join(t.TempDir(), "reg")
	killedAt(t, "init", "printed", "init", "--data", other, "--office", "Init Office", "--prefix", "INI")
	if u, errs := tryServe(t, bin, "--data", other, "--listen", "127.0.0.1:0"); u != "" ||
		!strings.Contains(errs, "chancery: hint: run the same 'chancery init' again") || strings.Contains(errs, "finishing") {
		t.Errorf("serve of a directory whose init stopped: served %q\n%s\nwant the refusal saying to run the same init again", u, errs)
	}
	if s, err := datadir.ReadSettings(other); err != nil || !s.Unfinished {
		t.Errorf("the directory of the stopped init: %+v %v, want it left unfinished", s, err)
	}
}

// TestServeFinishingTheInitOnTheRecordedAddressDoesNotWarn: the warning of a serve finishing
// an earlier serve's init is for a listen address other than the one the registry's URL was
// taken from: started on that address, it serves the office at its URL, and says nothing of
// it. It gives the warning the earlier serve, stopped, did not: a loopback URL is this
// machine's alone.
func TestServeFinishingTheInitOnTheRecordedAddressDoesNotWarn(t *testing.T) {
	bin := testbin.Shared(t, "./cmd/chancery")
	dir := filepath.Join(t.TempDir(), "reg")
	killedAt(t, "init", "printed", "serve", "--data", dir, "--listen", "127.0.0.1:0")
	recorded, err := datadir.ReadSettings(dir)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--data", dir, "--listen", strings.TrimPrefix(recorded.URL, "http://"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncbuf.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	sc := bufio.NewScanner(stdout)
	served := ""
	for served == "" && sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "chancery: serving "); ok {
			served = strings.Fields(rest)[0]
		}
	}
	if served != recorded.URL {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("serve on the recorded address %s: served %q\n%s", recorded.URL, served, stderr.String())
	}
	cmd.Process.Kill()
	cmd.Wait() // all it wrote is copied
	loopback := "chancery: warning: the registry's URL is " + recorded.URL + ", an address of this machine alone"
	if errs := stderr.String(); !strings.Contains(errs, "chancery: finishing the initialisation") || strings.Contains(errs, "not this serve's address") || !strings.Contains(errs, loopback) {
		t.Errorf("serve finishing the init on the recorded address:\n%s\nwant no warning of another address, and %q…", errs, loopback)
	}
}
