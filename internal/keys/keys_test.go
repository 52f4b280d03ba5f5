package keys

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/ed25519"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age/armor"
)

// fast keeps the tests' scrypt cheap; WorkFactor(18), age's default, takes about a second.
var fast = WorkFactor(10)

func TestWriteLoad(t *testing.T) {
	priv, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "alice.key")
	if err := WriteNew(path, priv, "correct horse", Comment("alice@tfn"), fast); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", fi.Mode(), err)
	}
	data, _ := os.ReadFile(path)
	if !bytes.HasPrefix(data, []byte("-----BEGIN AGE ENCRYPTED FILE-----\n")) || bytes.Contains(data, priv.Seed()) {
		t.Fatalf("key file is not armored age:\n%s", data)
	}
	got, err := Load(path, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(priv) {
		t.Fatal("loaded another key")
	}
	pubLine, err := os.ReadFile(path + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	pub, comment, err := ParsePublic(pubLine)
	if err != nil || !pub.Equal(priv.Public()) || comment != "alice@tfn" {
		t.Fatalf("public key %q: %v %q %v", pubLine, pub, comment, err)
	}

	// The loaded key is the signing seam: a crypto.Signer that signs messages, not digests.
	var s crypto.Signer = got
	msg := []byte("DSSEv1 4 type 7 payload")
	sig, err := s.Sign(nil, msg, crypto.Hash(0))
	if err != nil || !ed25519.Verify(pub, msg, sig) {
		t.Fatalf("sign: %v", err)
	}

	if _, err := Load(path, "wrong horse"); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, err := Load(path+".pub", "correct horse"); err == nil || errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("public key as key file: %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none"), "x"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestWriteNewExclusive(t *testing.T) {
	dir := t.TempDir()
	priv, _ := Generate()
	path := filepath.Join(dir, "k")
	if err := os.WriteFile(path, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteNew(path, priv, "a passphrase", fast); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("over an existing key: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "precious" {
		t.Fatal("existing key file overwritten")
	}
	if _, err := os.Stat(path + ".pub"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("public key written beside a refused key: %v", err)
	}

	// An existing public key file: nothing is left behind, not even the new key file.
	path2 := filepath.Join(dir, "k2")
	os.WriteFile(path2+".pub", []byte("other"), 0o644)
	if err := WriteNew(path2, priv, "a passphrase", fast); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("over an existing public key: %v", err)
	}
	if _, err := os.Stat(path2); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("key file left behind: %v", err)
	}

	if err := WriteNew(filepath.Join(dir, "k3"), priv, "", fast); err == nil {
		t.Fatal("empty passphrase accepted")
	}
	if err := WriteNew(filepath.Join(dir, "k6"), priv, "eleven char", fast); !errors.Is(err, ErrShortPassphrase) {
		t.Fatalf("a passphrase of %d characters: %v", len("eleven char"), err)
	}
	if err := WriteNew(filepath.Join(dir, "k4"), priv, "a passphrase", Comment("two\nlines"), fast); err == nil {
		t.Fatal("comment with a newline accepted")
	}
	if err := WriteNew(filepath.Join(dir, "k5"), priv[:32], "a passphrase", fast); err == nil {
		t.Fatal("short key accepted")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Fatalf("directory holds %d files, want the 2 the test wrote", len(entries))
	}
}

// TestDefaultWorkFactor checks that without WorkFactor the key file uses age's default scrypt
// work factor, 18, by reading the file's header.
func TestDefaultWorkFactor(t *testing.T) {
	if testing.Short() {
		t.Skip("scrypt at work factor 18 takes a second")
	}
	priv, _ := Generate()
	path := filepath.Join(t.TempDir(), "k")
	if err := WriteNew(path, priv, "a passphrase"); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	hdr := bufio.NewReader(armor.NewReader(f))
	version, _ := hdr.ReadString('\n')
	stanza, err := hdr.ReadString('\n')
	if err != nil || version != "age-encryption.org/v1\n" || !strings.HasPrefix(stanza, "-> scrypt ") || !strings.HasSuffix(stanza, " 18\n") {
		t.Fatalf("header %q %q, %v", version, stanza, err)
	}
}

func TestDecryptNotAKey(t *testing.T) {
	if _, err := Decrypt([]byte("not age"), "p"); err == nil || errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("garbage: %v", err)
	}
}

func TestPublicKeyFormat(t *testing.T) {
	pub := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32)).Public().(ed25519.PublicKey)
	line, err := FormatPublic(pub, "Alice Martin (TFN)")
	if err != nil {
		t.Fatal(err)
	}
	const want = "chancery-ed25519 iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w= Alice Martin (TFN)\n"
	if string(line) != want {
		t.Fatalf("got %q, want %q", line, want)
	}
	for _, ok := range []string{want, strings.TrimSuffix(want, "\n"), "chancery-ed25519 iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=\n"} {
		if p, _, err := ParsePublic([]byte(ok)); err != nil || !p.Equal(pub) {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{
		"",
		"\n",
		"ssh-ed25519 iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w= x\n",
		"chancery-ed25519 iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w\n",  // unpadded
		"chancery-ed25519 iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1x=\n", // non-canonical last character
		"chancery-ed25519 AAAA\n",
		"chancery-ed25519  iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=\n",
		"chancery-ed25519 iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w= \n",
		"chancery-ed25519 iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w= a\tb\n",
		"chancery-ed25519 iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w= a\n\n",
		"chancery-ed25519 iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w= a\r\n",
		"chancery-ed25519 iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w= a\nchancery-ed25519 x\n",
		want[:len(want)-1] + strings.Repeat("x", maxPublicKeySize),
	} {
		if _, _, err := ParsePublic([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for _, bad := range []string{" a", "a ", "a\tb", "a\nb"} {
		if _, err := FormatPublic(pub, bad); err == nil {
			t.Errorf("comment %q accepted", bad)
		}
	}
}

func FuzzParsePublicKey(f *testing.F) {
	pub := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32)).Public().(ed25519.PublicKey)
	for _, c := range []string{"", "alice", "Alice Martin (TFN) — signing key", "a  b"} {
		line, _ := FormatPublic(pub, c)
		f.Add(line)
	}
	f.Add([]byte("chancery-ed25519 iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1x=\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, comment, err := ParsePublic(data)
		if err != nil {
			return
		}
		line, err := FormatPublic(p, comment)
		if err != nil {
			t.Fatalf("parsed comment %q does not format: %v", comment, err)
		}
		if string(line) != string(data) && string(line) != string(data)+"\n" {
			t.Fatalf("%q parses but formats as %q", data, line)
		}
	})
}

func TestPassphrase(t *testing.T) {
	dir := t.TempDir()
	file := func(content string) string {
		p := filepath.Join(dir, "pass")
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A pipe is not a terminal.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()

	t.Setenv(PassphraseEnv, "from env")
	t.Setenv(PassphraseFileEnv, file("from file\n"))
	if p, err := Passphrase("? ", r, io.Discard); err != nil || p != "from env" {
		t.Fatalf("env: %q %v", p, err)
	}
	t.Setenv(PassphraseEnv, "")
	for content, want := range map[string]string{
		"from file\n":    "from file",
		"from file\r\n":  "from file",
		"from file":      "from file",
		"from file\n\n":  "from file\n",
		" spaced out \n": " spaced out ",
	} {
		t.Setenv(PassphraseFileEnv, file(content))
		if p, err := Passphrase("? ", r, io.Discard); err != nil || p != want {
			t.Errorf("file %q: %q %v, want %q", content, p, err, want)
		}
	}
	t.Setenv(PassphraseFileEnv, file("\n"))
	if _, err := Passphrase("? ", r, io.Discard); err == nil {
		t.Error("empty passphrase file accepted")
	}
	t.Setenv(PassphraseFileEnv, filepath.Join(dir, "missing"))
	if _, err := Passphrase("? ", r, io.Discard); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	t.Setenv(PassphraseFileEnv, "")
	var prompt bytes.Buffer
	if _, err := Passphrase("? ", r, &prompt); !errors.Is(err, ErrNoPassphrase) || prompt.Len() != 0 {
		t.Errorf("no terminal: %v, prompt %q", err, prompt.String())
	}
	if _, err := Passphrase("? ", nil, &prompt); !errors.Is(err, ErrNoPassphrase) {
		t.Errorf("no input: %v", err)
	}
	if !strings.Contains(PassphraseHint, PassphraseFileEnv) {
		t.Error("the hint does not name the variable")
	}
}

// TestPassphraseFileReadableByOthersRefused: a passphrase file its group or others can read
// gives the encrypted key file to all of them, so it is refused, as the data directory's key
// files are; a private one is read.
func TestPassphraseFileReadableByOthersRefused(t *testing.T) {
	t.Setenv(PassphraseEnv, "")
	path := filepath.Join(t.TempDir(), "sam.pass")
	if err := os.WriteFile(path, []byte("a long enough passphrase\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(PassphraseFileEnv, path)
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		p, err := Passphrase("? ", nil, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("mode %v: read %q, err %v; want a refusal", mode, p, err)
		}
	}
	for _, mode := range []os.FileMode{0o600, 0o400} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		if p, err := Passphrase("? ", nil, io.Discard); err != nil || p != "a long enough passphrase" {
			t.Errorf("mode %v: %q %v", mode, p, err)
		}
	}
}

// TestWriteNewAfterAKill: what a run killed inside WriteNew can leave does not stand in the
// way of the next run, or says what it is. A temporary file of a killed write (perhaps a
// whole private key) is removed by the next WriteNew of the same file, and a public key file
// left without its key (killed between the two files) is refused as existing, with no key
// file written beside it.
func TestWriteNewAfterAKill(t *testing.T) {
	dir := t.TempDir()
	priv, _ := Generate()
	path := filepath.Join(dir, "k")
	for _, n := range []string{"k.mz1x2y3.create.tmp", "k.pub.mz1x2y4.create.tmp"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("-----BEGIN AGE ENC"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteNew(path, priv, "a passphrase", fast); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Fatalf("the directory holds %d files, want the key and its public key", len(ents))
	}
	if _, err := Load(path, "a passphrase"); err != nil {
		t.Fatal(err)
	}

	path2 := filepath.Join(dir, "k2")
	if err := os.WriteFile(path2+".pub", []byte("chancery-ed25519 left\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteNew(path2, priv, "a passphrase", fast); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("beside a public key left alone: %v, want ErrExist", err)
	}
	if _, err := os.Stat(path2); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("key file written beside a public key left alone: %v", err)
	}
}
