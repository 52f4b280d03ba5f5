package translog

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/rogpeppe/go-internal/txtar"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

var update = flag.Bool("update", false, "rewrite testdata/log-vectors.txtar")

const vectorsFile = "../../testdata/log-vectors.txtar"

// vectorKeys returns the fixed keys of the test vectors: an Ed25519 statement key from the seed
// 32×0x01 and a note key for origin "example.org/log" from the seed 32×0x02.
func vectorKeys(t *testing.T) (ed25519.PrivateKey, note.Signer, string) {
	stmt := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32))
	seed := bytes.Repeat([]byte{2}, 32)
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	const name = "example.org/log"
	h := sha256.Sum256(append([]byte(name+"\n\x01"), pub...))
	skey := fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", name, binary.BigEndian.Uint32(h[:4]),
		base64.StdEncoding.EncodeToString(append([]byte{1}, seed...)))
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	vkey, err := note.NewEd25519VerifierKey(name, pub)
	if err != nil {
		t.Fatal(err)
	}
	return stmt, s, vkey
}

// TestLogVectors checks the format vectors of docs/log-format.md: entry encodings, their leaf
// hashes, the tree root and the signed checkpoint, and the entries that must be refused.
func TestLogVectors(t *testing.T) {
	stmt, signer, vkey := vectorKeys(t)
	a := &txtar.Archive{Comment: []byte("Test vectors for docs/log-format.md. Regenerate with\n" +
		"go test ./internal/translog -run TestLogVectors -update (only when the format changes).\n" +
		"Statement key: Ed25519 seed 32 bytes of 0x01. Log key: seed 32 bytes of 0x02.\n" +
		"In each .entry file the last newline is the file's, not the entry's. Spec: docs/log-format.md.\n")}
	a.Files = append(a.Files, txtar.File{Name: "log-key.vkey", Data: []byte(vkey + "\n")})
	m := &memTree{}
	for i, k := range entry.Kinds {
		payload := fmt.Sprintf(`{"example":%d,"kind":%q}`, i, k)
		e := &entry.Entry{Kind: k, Envelope: dsse.Sign(k.PayloadType(), []byte(payload), stmt)}
		data, err := e.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := entry.Decode(data); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		m.add(t, int64(i), data)
		leaf := tlog.RecordHash(data)
		a.Files = append(a.Files,
			txtar.File{Name: fmt.Sprintf("valid/%d-%s.entry", i, k), Data: append(data, '\n')},
			txtar.File{Name: fmt.Sprintf("valid/%d-%s.leafhash", i, k), Data: []byte(hex.EncodeToString(leaf[:]) + "\n")})
	}
	size := int64(len(entry.Kinds))
	root, _ := tlog.TreeHash(size, m)
	signed, err := note.Sign(&note.Note{Text: string(checkpoint.Checkpoint{Origin: "example.org/log", Size: size, Root: root}.Marshal())}, signer)
	if err != nil {
		t.Fatal(err)
	}
	a.Files = append(a.Files, txtar.File{Name: "checkpoint", Data: signed})

	valid, _ := (&entry.Entry{Kind: entry.Release, Envelope: dsse.Sign(entry.Release.PayloadType(), []byte("{}"), stmt)}).Encode()
	body := valid[bytes.IndexByte(valid, '\n')+1:]
	for name, bad := range map[string][]byte{
		"unknown-version": append([]byte("chancery-entry v2 release\n"), body...),
		"unknown-kind":    append([]byte("chancery-entry v1 promotion\n"), body...),
		"kind-mismatch":   append([]byte("chancery-entry v1 retraction\n"), body...),
		"no-header":       body,
		"non-canonical":   append([]byte("chancery-entry v1 release\n"), bytes.Replace(body, []byte(`,"payloadType"`), []byte(`, "payloadType"`), 1)...),
		"trailing-space":  append(append([]byte(nil), valid...), ' '),
	} {
		a.Files = append(a.Files, txtar.File{Name: "invalid/" + name + ".entry", Data: append(bad, '\n')})
	}
	slices.SortFunc(a.Files, func(x, y txtar.File) int { return strings.Compare(x.Name, y.Name) })
	got := txtar.Format(a)
	if *update {
		if err := os.WriteFile(vectorsFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(vectorsFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is out of date or the format changed; see the file's comment", vectorsFile)
	}

	// Read the vectors back as an outside implementer would.
	ar := txtar.Parse(want)
	var leaves int
	var cpData []byte
	for _, f := range ar.Files {
		data := bytes.TrimSuffix(f.Data, []byte("\n"))
		switch {
		case strings.HasPrefix(f.Name, "valid/") && strings.HasSuffix(f.Name, ".entry"):
			if _, err := entry.Decode(data); err != nil {
				t.Errorf("%s: %v", f.Name, err)
			}
			leaves++
		case strings.HasPrefix(f.Name, "invalid/"):
			if _, err := entry.Decode(data); err == nil {
				t.Errorf("%s decoded", f.Name)
			}
		case f.Name == "checkpoint":
			cpData = f.Data
		}
	}
	v, _ := note.NewVerifier(vkey)
	c, _, err := checkpoint.Open(cpData, v)
	if err != nil || c.Size != int64(leaves) || c.Root != root {
		t.Errorf("checkpoint: %+v, %v", c, err)
	}
}
