package registry

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/cosigned"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/chancery/chancery/internal/witness"
	"golang.org/x/mod/sumdb/note"
)

// witnessed is an office whose checkpoints go to Chancery witnesses run in the test.
type witnessed struct {
	*office
	db    *store.DB
	log   *translog.Log
	heads *cosigned.Heads
	cfg   Config
	keys  *officeKeys
	close func()
}

// officeKeys are what a reopened office keeps: its directory and keys, and members' tokens.
type officeKeys struct {
	dir       string
	logSkey   string
	officeKey ed25519.PrivateKey
	signerKey ed25519.PrivateKey
	keyID     string
	tokens    map[string]string // member name -> bearer token
}

func newWitnessedOffice(t *testing.T, sealWait time.Duration) *witnessed {
	t.Helper()
	skey, _, _ := note.GenerateKey(rand.Reader, "test.example/log")
	return newWitnessedOfficeLogKey(t, sealWait, skey)
}

// newWitnessedOfficeLogKey is newWitnessedOffice with the log's note signer key skey.
func newWitnessedOfficeLogKey(t *testing.T, sealWait time.Duration, skey string) *witnessed {
	t.Helper()
	ctx := context.Background()
	_, officeKey, _ := ed25519.GenerateKey(rand.Reader)
	k := &officeKeys{dir: t.TempDir(), logSkey: skey, officeKey: officeKey, tokens: map[string]string{}}
	w := openWitnessed(t, k, sealWait)
	tok, err := w.r.Bootstrap(ctx, "root")
	if err != nil {
		t.Fatal(err)
	}
	k.tokens["root"] = tok
	for _, m := range []struct{ name, role string }{{"dana", RoleDrafter}, {"rita", RoleReviewer}, {"sam", RoleSigner}, {"otto", RoleRelease}} {
		tok, err := w.r.AddMember(ctx, w.actor(t, k.tokens["root"]), m.name, []string{m.role})
		if err != nil {
			t.Fatal(err)
		}
		k.tokens[m.name] = tok
	}
	w.setActors(t, k)
	_, k.signerKey, _ = ed25519.GenerateKey(rand.Reader)
	if k.keyID, _, err = w.r.RegisterKey(ctx, w.signer, k.signerKey.Public().(ed25519.PublicKey)); err != nil {
		t.Fatal(err)
	}
	w.signerKey, w.keyID = k.signerKey, k.keyID
	return w
}

// openWitnessed opens the office in k.dir and runs its witness client until close.
func openWitnessed(t *testing.T, k *officeKeys, sealWait time.Duration) *witnessed {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, k.dir)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(k.logSkey)
	if err != nil {
		t.Fatal(err)
	}
	lg, err := translog.Open(ctx, db, translog.Config{Origin: signer.Name(), Signer: signer, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	heads, err := cosigned.Open(ctx, db, lg)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	// The witness client logs to the test's output: shown when a test fails, it says what
	// each witness answered while a seal waited.
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	go func() { defer close(done); heads.Run(runCtx, logger, nil) }()
	w := &witnessed{db: db, log: lg, heads: heads, keys: k}
	w.close = func() {
		stop()
		<-done
		lg.Close()
		db.Close()
	}
	t.Cleanup(w.close)
	vkey := verifierOf(t, k.logSkey)
	w.cfg = Config{DB: db, Log: lg, Office: Office{Name: "Task Force North", Prefix: "TFN", URL: "https://tfn.example"},
		OfficeKey: k.officeKey, LogKey: vkey, LogOrigin: signer.Name(), Heads: heads, SealWait: sealWait}
	w.office = &office{r: New(w.cfg), signerKey: k.signerKey, keyID: k.keyID}
	if len(k.tokens) > 0 {
		w.setActors(t, k)
	}
	return w
}

func (w *witnessed) setActors(t *testing.T, k *officeKeys) {
	w.admin, w.drafter, w.reviewer = w.actor(t, k.tokens["root"]), w.actor(t, k.tokens["dana"]), w.actor(t, k.tokens["rita"])
	w.signer, w.officer = w.actor(t, k.tokens["sam"]), w.actor(t, k.tokens["otto"])
}

// verifierOf returns the verifier key of a note signer key.
func verifierOf(t *testing.T, skey string) string {
	t.Helper()
	// PRIVATE+KEY+<name>+<hash>+<base64(alg || seed)>
	parts := strings.SplitN(skey, "+", 5)
	seed, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(seed) != 1+ed25519.SeedSize {
		t.Fatalf("signer key: %v", err)
	}
	pub := ed25519.NewKeyFromSeed(seed[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(parts[2], pub)
	if err != nil {
		t.Fatal(err)
	}
	return vkey
}

// startWitness runs a Chancery witness named name that knows the office's log, on ln.
func startWitness(t *testing.T, name string, w *witnessed, ln net.Listener) (vkey string, srv *httptest.Server) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := witness.OpenStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	key, err := witness.LoadKey(dir, name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddLog(ctx, w.cfg.LogOrigin, w.cfg.LogKey); err != nil {
		t.Fatal(err)
	}
	srv = httptest.NewUnstartedServer(witness.NewServer(st, key, slog.New(slog.NewTextHandler(t.Output(), nil))))
	if ln != nil {
		srv.Listener.Close()
		srv.Listener = ln
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return key.VerifierKey(), srv
}

func (w *witnessed) releaseOne(t *testing.T, body string) *Released {
	t.Helper()
	ctx := context.Background()
	ref := w.letter(t, body)
	if err := w.r.Approve(ctx, w.reviewer, ref, "", "ok"); err != nil {
		t.Fatal(err)
	}
	if err := w.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	rel, err := w.r.Release(ctx, w.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

// TestWitnessQuorum: with a quorum of one Chancery witness, seals carry its cosignature and
// verify under a trust root that requires it; a trust root that requires another witness
// refuses them; the trust root the registry exports names the witness and the quorum.
func TestWitnessQuorum(t *testing.T) {
	ctx := context.Background()
	w := newWitnessedOffice(t, time.Minute)
	vkey, srv := startWitness(t, "witness.justice.example", w, nil)
	if err := w.r.AddWitness(ctx, w.admin, "justice", srv.URL, vkey); err != nil {
		t.Fatal(err)
	}
	if err := w.r.SetWitnessQuorum(ctx, w.admin, 2); err == nil {
		t.Fatal("a quorum larger than the witnesses was accepted")
	}
	if err := w.r.SetWitnessQuorum(ctx, w.admin, 1); err != nil {
		t.Fatal(err)
	}
	if err := w.r.SetWitnessQuorum(ctx, w.reviewer, 0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a reviewer set the quorum: %v", err)
	}

	rel := w.releaseOne(t, "Dear Minister, the units move on Monday.")
	if rel.Seal == nil {
		t.Fatalf("no seal: %s", rel.SealPending)
	}
	trust := w.r.TrustRoot()
	if trust.WitnessQuorum != 1 || len(trust.Witnesses) != 1 || trust.Witnesses[0] != vkey {
		t.Fatalf("exported trust root: quorum %d, witnesses %v", trust.WitnessQuorum, trust.Witnesses)
	}
	v, err := seal.NewVerifier(trust)
	if err != nil {
		t.Fatal(err)
	}
	res, err := v.VerifyBytes(rel.Seal, rel.File)
	if err != nil {
		t.Fatalf("seal under a quorum-1 trust root: %v", err)
	}
	if len(res.Cosigners) != 1 || res.Cosigners[0].Name != "witness.justice.example" || time.Since(res.Cosigners[0].Time) > time.Hour {
		t.Fatalf("cosigners %+v", res.Cosigners)
	}

	// A trust root that requires another witness refuses the seal.
	otherKey, _ := witnessKey(t, "witness.other.example")
	other := *trust
	other.Witnesses = []string{otherKey}
	ov, err := seal.NewVerifier(&other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ov.VerifyBytes(rel.Seal, rel.File); !errors.Is(err, seal.ErrWitnessQuorum) {
		t.Fatalf("seal under a trust root of another witness: %v", err)
	}

	// Split view: a checkpoint of the same size with another root, signed with the real log
	// key. The witness refuses it, and a seal built on it fails under the trust root.
	fork := forkedCheckpoint(t, w.keys.logSkey, rel.Seal.Checkpoint)
	wc, err := witness.NewClient("justice", srv.URL, vkey, nil)
	if err != nil {
		t.Fatal(err)
	}
	size := res.TreeSize
	if _, err := wc.AddCheckpoint(ctx, size, nil, fork); !errors.Is(err, witness.ErrRejected) {
		t.Fatalf("the witness was offered a fork: %v", err)
	}
	forged := *rel.Seal
	forged.Checkpoint = fork
	if _, err := v.VerifyBytes(&forged, rel.File); !errors.Is(err, seal.ErrWitnessQuorum) {
		t.Fatalf("a seal on the fork: %v", err)
	}

	// The public answer is built against the cosigned checkpoint too.
	st, err := w.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(rel.File))
	if err != nil || st.Outcome != Valid {
		t.Fatalf("verify: %+v %v", st, err)
	}

	// The configuration as admins see it.
	cfg, err := w.r.Witnesses(ctx, w.admin)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Quorum != 1 || len(cfg.Witnesses) != 1 || cfg.Witnesses[0].CosignedSize < rel.LogIndex+1 || cfg.Head < rel.LogIndex+1 {
		t.Fatalf("witness configuration %+v", cfg)
	}
	// Removing the only witness would leave the quorum unmet: refused.
	if err := w.r.RemoveWitness(ctx, w.admin, "justice"); !errors.Is(err, ErrConflict) {
		t.Fatalf("remove the quorum's witness: %v", err)
	}
	// A name of no witness is not found, before the quorum is weighed: it said the quorum
	// would exceed the witnesses left, as if the name were one of them.
	if err := w.r.RemoveWitness(ctx, w.admin, "nobody"); !errors.Is(err, ErrNotFound) || err.Error() != "remove witness nobody: not found" {
		t.Fatalf("remove a witness that does not exist: %v, want not found", err)
	}
}

// TestWitnessDown: a witness that is down does not stop releases; their seals wait up to the
// bound and then say they are not cosigned yet; once the witness is back, the client catches
// up and the seal can be had.
func TestWitnessDown(t *testing.T) {
	ctx := context.Background()
	w := newWitnessedOffice(t, 300*time.Millisecond)
	// Reserve an address, and close it: the witness is down.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	st, err := witness.OpenStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	key, err := witness.LoadKey(dir, "witness.slow.example")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddLog(ctx, w.cfg.LogOrigin, w.cfg.LogKey); err != nil {
		t.Fatal(err)
	}
	if err := w.r.AddWitness(ctx, w.admin, "slow", "http://"+addr, key.VerifierKey()); err != nil {
		t.Fatal(err)
	}
	if err := w.r.SetWitnessQuorum(ctx, w.admin, 1); err != nil {
		t.Fatal(err)
	}
	rel := w.releaseOne(t, "Dear Minister, this waits for the witness.")
	if rel.Seal != nil || !strings.Contains(rel.SealPending, "not yet cosigned") {
		t.Fatalf("release with the witness down: seal %v, pending %q", rel.Seal != nil, rel.SealPending)
	}
	// The release is committed; what cannot be proved yet is not answered: a holder's status
	// says the proof waits for the witnesses. The public, told only that a letter with the
	// reference was released, is told so from the stored state.
	if v, err := w.r.Letter(ctx, w.officer, rel.Reference); err != nil || v.State != "released" {
		t.Fatalf("letter after release with the witness down: %+v %v", v, err)
	}
	if _, err := w.r.MemberStatus(ctx, w.officer, rel.Reference); !errors.Is(err, ErrNotCosigned) {
		t.Fatalf("a member's status after release with the witness down: %v", err)
	}
	if st, err := w.r.StatusOf(ctx, rel.Reference); err != nil || st.Outcome != Valid {
		t.Fatalf("the public status after release with the witness down: %+v %v", st, err)
	}
	if _, err := w.r.Seal(ctx, w.officer, rel.Reference, ""); !errors.Is(err, ErrNotCosigned) {
		t.Fatalf("seal while the witness is down: %v", err)
	}

	// The witness comes back on the same address; the client catches up.
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("the witness's address was taken meanwhile: %v", err)
	}
	srv := httptest.NewUnstartedServer(witness.NewServer(st, key, nil))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	defer srv.Close()
	var sl *seal.Seal
	deadline := time.Now().Add(2 * time.Minute) // the client's backoff is capped at a minute
	for sl == nil {
		sl, err = w.r.Seal(ctx, w.officer, rel.Reference, "")
		if err != nil && !errors.Is(err, ErrNotCosigned) {
			t.Fatal(err)
		}
		if sl == nil && time.Now().After(deadline) {
			t.Fatalf("the client did not catch up: %v", err)
		}
	}
	v, err := seal.NewVerifier(w.r.TrustRoot())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyBytes(sl, rel.File); err != nil {
		t.Fatalf("seal after the witness came back: %v", err)
	}
}

// witnessKey returns a fresh cosignature/v1 verifier key named name.
func witnessKey(t *testing.T, name string) (string, *witness.Key) {
	t.Helper()
	k, err := witness.LoadKey(t.TempDir(), name)
	if err != nil {
		t.Fatal(err)
	}
	return k.VerifierKey(), k
}

// TestWitnessRestoredBackup: a database restored from an old backup holds a shorter log than
// the witness has cosigned. The witness will never cosign it; the registry says why (in
// seals that cannot be had, and to operators) rather than wait in silence.
func TestWitnessRestoredBackup(t *testing.T) {
	w := newQuorumOffice(t)
	if rel := w.releaseOne(t, "Dear Minister, first letter."); rel.Seal == nil {
		t.Fatalf("no seal: %s", rel.SealPending)
	}
	k := w.keys
	w.close()
	backup := t.TempDir()
	copyDir(t, k.dir, backup)

	w = openWitnessed(t, k, time.Minute)
	for range 3 {
		if rel := w.releaseOne(t, "Dear Minister, a later letter "+time.Now().String()); rel.Seal == nil {
			t.Fatalf("no seal: %s", rel.SealPending)
		}
	}
	w.close()

	// The operator restores the old backup.
	restored := t.TempDir()
	copyDir(t, backup, restored)
	k.dir = restored
	w = openWitnessed(t, k, 500*time.Millisecond)
	// The witness client learns the witness's size at its first request.
	for deadline := time.Now().Add(time.Minute); w.heads.Behind() == ""; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the witness client never noticed that the witness is ahead")
		}
	}
	// Nothing is appended while the witness holds a larger tree: each entry would take the
	// index of one it cosigned, under another root (a fork). The release says why.
	ctx := context.Background()
	size := w.log.Head().Size
	ref := w.letter(t, "Dear Minister, after the restore.")
	if err := w.r.Approve(ctx, w.reviewer, ref, "", "ok"); err != nil {
		t.Fatal(err)
	}
	if err := w.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	var halted *translog.HaltedError
	if _, err := w.r.Release(ctx, w.officer, ref); !errors.As(err, &halted) || !strings.Contains(err.Error(), "old backup") {
		t.Fatalf("release on a log the witness outgrew: %v, want it halted, saying why", err)
	}
	if got := w.log.Head().Size; got != size {
		t.Fatalf("the log grew from %d to %d while the witness held a larger tree", size, got)
	}
	// The operator takes the witness out. Its "ahead" stayed until a restart, and /readyz
	// answered 503 for a witness no longer configured (found by audit, forty-eighth session).
	if err := w.r.SetWitnessQuorum(ctx, w.admin, 0); err != nil {
		t.Fatal(err)
	}
	if err := w.r.RemoveWitness(ctx, w.admin, "justice"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); w.heads.Behind() != ""; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the removed witness is still behind: %q", w.heads.Behind())
		}
	}
	// The operator decided: releases are appended again.
	if _, err := w.r.Release(ctx, w.officer, ref); err != nil {
		t.Fatalf("release once the witness is removed: %v", err)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	ents, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// forkedCheckpoint signs, with the log's own key, a checkpoint of the same size as signed
// but another root: what a log that shows two histories would sign.
func forkedCheckpoint(t *testing.T, logSkey string, signed []byte) []byte {
	t.Helper()
	body, _, _ := strings.Cut(string(signed), "\n\n")
	lines := strings.Split(body, "\n")
	var other [32]byte
	rand.Read(other[:])
	lines[2] = base64.StdEncoding.EncodeToString(other[:])
	signer, err := note.NewSigner(logSkey)
	if err != nil {
		t.Fatal(err)
	}
	fork, err := note.Sign(&note.Note{Text: strings.Join(lines, "\n") + "\n"}, signer)
	if err != nil {
		t.Fatal(err)
	}
	return fork
}

// TestWitnessKeyUnique guards the witness quorum against one key counted twice (audit,
// twenty-second session): a cosignature/v1 does not sign the witness's name, so one Ed25519
// key configured under two names would let one witness's cosignature, relabelled, count for
// both. AddWitness refuses a key already configured under another name, and the log's or
// the office's key; and a database configured before the rule, holding one key under two
// names, does not have the checkpoint that key cosigned meet a quorum of 2.
func TestWitnessKeyUnique(t *testing.T) {
	ctx := context.Background()
	w := newWitnessedOffice(t, time.Minute)
	vkey, srv := startWitness(t, "witness.justice.example", w, nil)
	if err := w.r.AddWitness(ctx, w.admin, "justice", srv.URL, vkey); err != nil {
		t.Fatal(err)
	}
	if err := w.r.SetWitnessQuorum(ctx, w.admin, 1); err != nil {
		t.Fatal(err)
	}
	justicePub, err := seal.PublicKeyOf(vkey)
	if err != nil {
		t.Fatal(err)
	}
	logPub, err := seal.PublicKeyOf(w.cfg.LogKey)
	if err != nil {
		t.Fatal(err)
	}
	alias := cosignatureVKey(t, "witness.alias.example", justicePub)
	for name, c := range map[string]struct {
		vkey string
		err  error
	}{
		"alias":  {alias, ErrConflict}, // the key of witness justice
		"log":    {cosignatureVKey(t, "witness.log.example", logPub), ErrInvalid},
		"office": {cosignatureVKey(t, "witness.office.example", w.cfg.OfficeKey.Public().(ed25519.PublicKey)), ErrInvalid},
		// Under a key of small order anyone can make the witness's cosignature.
		"small-order": {cosignatureVKey(t, "witness.weak.example", append(ed25519.PublicKey{1}, make([]byte, 31)...)), ErrInvalid},
	} {
		if err := w.r.AddWitness(ctx, w.admin, name, srv.URL, c.vkey); !errors.Is(err, c.err) {
			t.Errorf("witness %s (%s): %v, want %v", name, c.vkey, err, c.err)
		} else {
			t.Log(err)
		}
	}
	rel := w.releaseOne(t, "Dear Minister, one witness, one key.")
	if rel.Seal == nil {
		t.Fatalf("no seal: %s", rel.SealPending)
	}

	// A database configured before the rule: the same key under a second name, and its
	// cosignature relabelled. Two names, one key: a quorum of 2 is not met.
	head := w.heads.Head()
	legacy := cosignatureVKey(t, "witness.legacy.example", justicePub)
	err = w.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.AddWitness(ctx, store.Witness{Name: "legacy", URL: srv.URL, VKey: legacy, AddedAt: time.Now()}); err != nil {
			return err
		}
		return cosigned.SetQuorum(ctx, tx, 2)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.heads.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	// The checkpoint as the log signed it (its text and first signature line), and the
	// witness's cosignature line after it.
	text, sigs, _ := strings.Cut(string(head.Checkpoint), "\n\n")
	logSig, line, _ := strings.Cut(sigs, "\n")
	logNote := text + "\n\n" + logSig + "\n"
	if err := w.heads.Record(ctx, []byte(logNote), head.Size, legacy, []byte(line), time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := w.heads.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if h := w.heads.Head(); h != nil {
		t.Errorf("quorum 2 met by one witness key under two names: checkpoint %d cosigned by %+v", h.Size, h.Cosignatures)
	}
}

// cosignatureVKey returns the Ed25519 cosignature/v1 verifier key of pub named name.
func cosignatureVKey(t *testing.T, name string, pub ed25519.PublicKey) string {
	t.Helper()
	key := append([]byte{0x04}, pub...)
	h := sha256.Sum256(append([]byte(name+"\n"), key...))
	vkey := fmt.Sprintf("%s+%08x+%s", name, binary.BigEndian.Uint32(h[:4]), base64.StdEncoding.EncodeToString(key))
	if _, err := seal.WitnessVerifier(vkey); err != nil {
		t.Fatal(err)
	}
	return vkey
}

// noteKeyFromSeed returns the note signer key and verifier key of the Ed25519 key with seed
// (hex), named name, of signed-note key type typ (0x01: a log's key; 0x04: a witness's
// cosignature/v1 key).
func noteKeyFromSeed(t *testing.T, name string, typ byte, seed string) (skey, vkey string) {
	t.Helper()
	raw, err := hex.DecodeString(seed)
	if err != nil {
		t.Fatal(err)
	}
	pub := append([]byte{typ}, ed25519.NewKeyFromSeed(raw).Public().(ed25519.PublicKey)...)
	h := sha256.Sum256(append([]byte(name+"\n"), pub...))
	hash := binary.BigEndian.Uint32(h[:4])
	skey = fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", name, hash, base64.StdEncoding.EncodeToString(append([]byte{typ}, raw...)))
	vkey = fmt.Sprintf("%s+%08x+%s", name, hash, base64.StdEncoding.EncodeToString(pub))
	return skey, vkey
}

// TestAddWitnessRefusesAKeyOnlyItsHashTellsApart: a signature line names its key by name and
// a 4-byte key hash only, so a second witness key with another witness's name and key hash
// (2^32 keys to try, found here by a birthday search) or the log's would have its lines
// verified with that other key: the office could no longer export a trust root, and
// verifiers would refuse every checkpoint where its line comes first. The office refuses it.
func TestAddWitnessRefusesAKeyOnlyItsHashTellsApart(t *testing.T) {
	ctx := context.Background()
	// A log key and a witness key under the log's origin with the same key hash, 86bd66ac.
	logSkey, logVKey := noteKeyFromSeed(t, "test.example/log", 0x01, "a824d5641290c924ea12abd66e94f24021afa6d4d2a82dedaac378224ac06ed2")
	_, mirror := noteKeyFromSeed(t, "test.example/log", 0x04, "d92e3af8f2679044f64f9b7c89088537e5db0e79a48c9a16980676645a14148c")
	// Two witness keys under one name with the same key hash, 429e2d06.
	_, justice := noteKeyFromSeed(t, "witness.justice.example", 0x04, "b80a97abaf08e883237ba3816cb8c2f53635a05b0a26bc69842dc220b389b2ee")
	_, mallory := noteKeyFromSeed(t, "witness.justice.example", 0x04, "f55e82f3b55358a8ee3f421b1c283b834e72ff2a9b8bb04bb123213afde0756c")
	for _, pair := range [][2]string{{logVKey, mirror}, {justice, mallory}} {
		a, b := strings.Split(pair[0], "+"), strings.Split(pair[1], "+")
		if a[0] != b[0] || a[1] != b[1] || a[2] == b[2] {
			t.Fatalf("%s and %s: not two keys under one name and key hash", pair[0], pair[1])
		}
	}
	o := newWitnessedOfficeLogKey(t, time.Minute, logSkey)
	if o.cfg.LogKey != logVKey {
		t.Fatalf("log key %s, want %s", o.cfg.LogKey, logVKey)
	}
	if err := o.r.AddWitness(ctx, o.admin, "justice", "https://witness.justice.example", justice); err != nil {
		t.Fatal(err)
	}
	if err := o.r.AddWitness(ctx, o.admin, "mallory", "https://witness.mallory.example", mallory); !errors.Is(err, ErrConflict) {
		t.Errorf("a witness key with witness justice's name and key hash: %v, want %v", err, ErrConflict)
	} else {
		t.Log(err)
	}
	if err := o.r.AddWitness(ctx, o.admin, "mirror", "https://witness.mirror.example", mirror); !errors.Is(err, ErrInvalid) {
		t.Errorf("a witness key with the log key's name and key hash: %v, want %v", err, ErrInvalid)
	} else {
		t.Log(err)
	}
	if _, err := o.r.TrustRoot().Marshal(); err != nil {
		t.Errorf("the office's trust root: %v", err)
	}
}

// publicOnly is a crypto.Signer that only has a public key, as a token's key looks to the
// rotation before it signs: the checks on the key must refuse it before anything is signed.
type publicOnly ed25519.PublicKey

func (p publicOnly) Public() crypto.PublicKey { return ed25519.PublicKey(p) }
func (p publicOnly) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errors.New("this test key does not sign")
}

// TestRotateRefusesAKeyVerifiersWouldNotTakeAsTheOffices: the office does not rotate to a key
// of small order (every trust root exported after it would be refused), nor to the log's key
// or a witness's, whose signatures verifiers must tell from the office's; nothing is logged.
func TestRotateRefusesAKeyVerifiersWouldNotTakeAsTheOffices(t *testing.T) {
	ctx := context.Background()
	o := newWitnessedOffice(t, time.Minute)
	key, err := witness.LoadKey(t.TempDir(), "witness.justice.example")
	if err != nil {
		t.Fatal(err)
	}
	if err := o.r.AddWitness(ctx, o.admin, "justice", "https://witness.justice.example", key.VerifierKey()); err != nil {
		t.Fatal(err)
	}
	witnessPub, err := seal.PublicKeyOf(key.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	logPub, err := seal.PublicKeyOf(o.r.cfg.LogKey)
	if err != nil {
		t.Fatal(err)
	}
	identity := make(ed25519.PublicKey, ed25519.PublicKeySize)
	identity[0] = 1 // the identity point: small order
	size := o.r.cfg.Log.Head().Size
	for name, pub := range map[string]ed25519.PublicKey{"small order": identity, "the log's key": logPub, "a witness's key": witnessPub} {
		if _, err := o.r.RotateOfficeKey(ctx, o.admin, publicOnly(pub), "office.key", "office-next.key", "test"); !errors.Is(err, ErrInvalid) {
			t.Errorf("rotate to %s: %v, want ErrInvalid", name, err)
		}
	}
	if got := o.r.cfg.Log.Head().Size; got != size {
		t.Errorf("the log grew from %d to %d entries", size, got)
	}
}
