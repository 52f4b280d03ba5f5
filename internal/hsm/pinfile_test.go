package hsm

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPINFileIsOnePINInARegularFile: a pin-source may come from a URI recorded in the
// database, and PIN read any file of mode 0600 (0400) and sent its content to the module: a
// private key (~/.ssh/id_ed25519), /proc/self/environ, a device, or a FIFO that hung the
// server's start. PIN reads a regular file only (links followed: a Kubernetes secret's link
// is fine), of one line of text, owned by root or this user unless this user is root, and
// never says what the file holds.
func TestPINFileIsOnePINInARegularFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const secret = "AAAAC3NzaC1lZDI1NTE5AAAAIPrivateKeyMaterial"
	refused := func(what, src, want string) {
		t.Helper()
		pin, err := (&URI{PinSource: src}).PIN()
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), secret) {
			t.Errorf("%s: PIN() = %q, %v; want an error saying %q, without the file's content", what, pin, err, want)
		}
	}
	refused("a private key file", write("id_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----\n"+secret+"\n-----END OPENSSH PRIVATE KEY-----\n"), "not a PIN")
	refused("NUL-separated variables", write("environ", "HOME=/root\x00TOKEN="+secret+"\x00"), "not a PIN")
	refused("a file larger than a PIN", write("big", strings.Repeat("1", maxPINFileSize+1)), "larger than")

	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Lets an open that blocked (before the fix) return.
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	done := make(chan error, 1)
	go func() {
		_, err := (&URI{PinSource: "file:" + fifo}).PIN()
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("a FIFO: %v, want an error saying it is not a regular file", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("a FIFO as the PIN file: PIN still waits for a writer after 5s")
	}

	good := write("pin", "123456\n")
	link := filepath.Join(dir, "link")
	if err := os.Symlink(good, link); err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{good, "file:" + good, link} {
		if pin, err := (&URI{PinSource: src}).PIN(); err != nil || pin != "123456" {
			t.Errorf("%s: PIN() = %q, %v", src, pin, err)
		}
	}

	// Another user's PIN file: they can read it. Root's is fine; root reads anyone's.
	if os.Getuid() != 0 {
		return
	}
	theirs := write("theirs", "123456\n")
	if err := os.Chown(theirs, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	if pin, err := (&URI{PinSource: theirs}).PIN(); err != nil || pin != "123456" {
		t.Errorf("root reading another user's PIN file: %q, %v", pin, err)
	}
	defer func(f func() int) { euid = f }(euid)
	euid = func() int { return 1000 }
	refused("another user's PIN file", theirs, "belongs to another user")
	if pin, err := (&URI{PinSource: good}).PIN(); err != nil || pin != "123456" {
		t.Errorf("root's PIN file, read by a service user: %q, %v", pin, err)
	}
	euid = func() int { return 65534 }
	if pin, err := (&URI{PinSource: theirs}).PIN(); err != nil || pin != "123456" {
		t.Errorf("the user's own PIN file: %q, %v", pin, err)
	}
}

// TestParseURISchemeIsCaseInsensitive: a URI scheme is case-insensitive (RFC 3986, section
// 3.1), and "PKCS11:…" was refused as not a pkcs11: URI. It parses as "pkcs11:…" does, and
// String gives the scheme in its canonical lower case.
func TestParseURISchemeIsCaseInsensitive(t *testing.T) {
	for _, s := range []string{"PKCS11:token=a;object=b?pin-value=1", "Pkcs11:token=a;object=b?pin-value=1"} {
		u, err := ParseURI(s)
		if err != nil {
			t.Errorf("ParseURI(%q): %v", s, err)
			continue
		}
		if u.Token != "a" || u.Object != "b" || u.PinValue != "1" || u.String() != "pkcs11:token=a;object=b" {
			t.Errorf("ParseURI(%q) = %+v, String() = %s", s, u, u)
		}
		if !IsURI(s) {
			t.Errorf("IsURI(%q) = false", s)
		}
	}
	for _, s := range []string{"", "pkcs11", "pkcs12:token=a;object=b", "/etc/office.key"} {
		if IsURI(s) {
			t.Errorf("IsURI(%q) = true", s)
		}
	}
}
