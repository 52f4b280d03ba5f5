package office_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store/storetest"
	"github.com/chancery/chancery/internal/witness"
)

// twoServers opens the office twice on one PostgreSQL database, each from its own copy of the
// data directory, as two `chancery serve` processes run it, and returns both stacks and the
// admin's token.
func twoServers(t *testing.T) (a, b *office.Stack, adminTok string) {
	t.Helper()
	dbURL := storetest.PostgresURL(t)
	tmp := t.TempDir()
	dirA, dirB := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	adminTok = initOffice(t, dirA, "--database", dbURL)
	if out, err := exec.Command("cp", "-a", dirA, dirB).CombinedOutput(); err != nil {
		t.Fatalf("copy the data directory: %v\n%s", err, out)
	}
	a, closeA := openDatabase(t, dirA, dbURL)
	t.Cleanup(closeA)
	b, closeB := openDatabase(t, dirB, dbURL)
	t.Cleanup(closeB)
	return a, b, adminTok
}

// within waits up to d for ok, and reports whether it held.
func within(d time.Duration, ok func() bool) bool {
	for end := time.Now().Add(d); ; time.Sleep(20 * time.Millisecond) {
		if ok() {
			return true
		}
		if time.Now().After(end) {
			return false
		}
	}
}

// TestWitnessChangeReachesTheOtherServer: witnesses and the quorum set through one server are
// in force on another server of the same database within a second: its trust root names
// them, and it serves no checkpoint the quorum did not cosign; a witness removed through the
// first server stops counting on the second. Before, the second server kept until its restart
// the witnesses and quorum it had read at its start: it handed out checkpoints no witness
// cosigned, and a trust root without the quorum, after `witness quorum 1`, and kept counting
// a removed witness's cosignatures.
func TestWitnessChangeReachesTheOtherServer(t *testing.T) {
	ctx := context.Background()
	a, b, adminTok := twoServers(t)
	// The other server runs its witness client, as serve does: it picks up the cosignatures
	// stored by the first.
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); b.Heads.Run(runCtx, nil, nil) }()
	defer func() { stop(); <-done }()
	m, err := a.Registry.Authenticate(ctx, adminTok)
	if err != nil {
		t.Fatal(err)
	}
	admin := registry.Actor{Member: m}
	var vkeys []string
	for _, name := range []string{"w1.example", "w2.example"} {
		k, err := witness.LoadKey(t.TempDir(), name)
		if err != nil {
			t.Fatal(err)
		}
		vkeys = append(vkeys, k.VerifierKey())
		if err := a.Registry.AddWitness(ctx, admin, strings.TrimSuffix(name, ".example"), "http://127.0.0.1:9/"+name, k.VerifierKey()); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Registry.SetWitnessQuorum(ctx, admin, 1); err != nil {
		t.Fatal(err)
	}
	const bound = 2 * time.Second
	if !within(bound, func() bool {
		tr := b.Registry.TrustRoot()
		return tr.WitnessQuorum == 1 && slices.Equal(tr.Witnesses, vkeys)
	}) {
		tr := b.Registry.TrustRoot()
		t.Fatalf("the other server's trust root after `witness quorum 1`: witnesses %q, quorum %d", tr.Witnesses, tr.WitnessQuorum)
	}
	if h := b.Heads.Head(); h != nil {
		t.Errorf("the other server serves checkpoint %d that no witness cosigned", h.Size)
	}

	// w1 cosigns the log's checkpoint: both servers serve it.
	head := a.Log.Head()
	text, sigs, _ := strings.Cut(string(head.Checkpoint), "\n\n")
	logSig, _, _ := strings.Cut(sigs, "\n")
	if err := a.Heads.Record(ctx, []byte(text+"\n\n"+logSig+"\n"), head.Size, vkeys[0], []byte("— w1.example AAAAAAAA\n"), time.Now()); err != nil {
		t.Fatal(err)
	}
	if !within(bound, func() bool { h := b.Heads.Head(); return h != nil && h.Size == head.Size }) {
		t.Fatalf("the other server does not serve the checkpoint the quorum cosigned: %+v", b.Heads.Head())
	}

	// w1 is removed (its key is lost, say): its cosignature counts on neither server.
	if err := a.Registry.RemoveWitness(ctx, admin, "w1"); err != nil {
		t.Fatal(err)
	}
	if !within(bound, func() bool {
		tr := b.Registry.TrustRoot()
		return b.Heads.Head() == nil && slices.Equal(tr.Witnesses, vkeys[1:])
	}) {
		t.Errorf("the other server after w1's removal: serves %+v, trust root names %q", b.Heads.Head(), b.Registry.TrustRoot().Witnesses)
	}
}

// TestOfficeKeyRotationReachesTheOtherServer: a server left running through an office-key
// rotation made through another data directory (`chancery key rotate office`, which locks only
// its own) serves, within a second, the trust root with the new key and the retired key's
// window closed. Before, it served the trust root it had read at its start until restarted:
// without the new key, and with the retired key in force without end, so a verifier pinning it
// would take entries signed by the retired (perhaps stolen) key after the rotation.
func TestOfficeKeyRotationReachesTheOtherServer(t *testing.T) {
	dbURL := storetest.PostgresURL(t)
	tmp := t.TempDir()
	dir, other := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	initOffice(t, dir, "--database", dbURL)
	if out, err := exec.Command("cp", "-a", dir, other).CombinedOutput(); err != nil {
		t.Fatalf("copy the data directory: %v\n%s", err, out)
	}
	st, closeOffice := openDatabase(t, dir, dbURL)
	defer closeOffice()
	before := st.Registry.TrustRoot().OfficeKeys
	if len(before) != 1 {
		t.Fatalf("office keys before the rotation: %+v", before)
	}
	if code, _, errs := chancery(t, "key", "rotate", "office", "--data", other, "--database", dbURL); code != 0 {
		t.Fatalf("key rotate on the other server's directory: exit %d\n%s", code, errs)
	}
	if !within(3*time.Second, func() bool {
		ks := st.Registry.TrustRoot().OfficeKeys
		return len(ks) == 2 && ks[0].KeyID == before[0].KeyID && ks[0].UntilIndex != nil && ks[1].UntilIndex == nil
	}) {
		t.Errorf("the running server's trust root after the rotation: %+v", st.Registry.TrustRoot().OfficeKeys)
	}
}
