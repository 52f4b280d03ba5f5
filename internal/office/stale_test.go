package office_test

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/policy"
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

// TestAdminDisabledMeanwhileActsNoMore: a request is authenticated when it arrives and acts
// when its body has been read and its transaction runs, up to serve's 30-second read timeout
// later (a client sends the body as slowly as it likes). An admin disabled through another
// server meanwhile, or whose admin role was taken away, must not act: before, such a request
// still added an admin member (and handed its token to whoever held the lost one), set
// another member's password, adopted a policy, changed the witness quorum and added a
// webhook recipient.
func TestAdminDisabledMeanwhileActsNoMore(t *testing.T) {
	ctx := context.Background()
	a, b, rootTok := twoServers(t)
	m, err := a.Registry.Authenticate(ctx, rootTok)
	if err != nil {
		t.Fatal(err)
	}
	root := registry.Actor{Member: m}
	// Each act is new, so that only the actor's state can refuse it.
	n := 0
	acts := map[string]func(registry.Actor) error{
		"add an admin": func(x registry.Actor) error {
			n++
			_, err := b.Registry.AddMember(ctx, x, fmt.Sprintf("mallory%d", n), []string{registry.RoleAdmin})
			return err
		},
		"set another member's password": func(x registry.Actor) error {
			return b.Registry.SetPassword(ctx, x, root.Member.Name, "correct horse battery staple")
		},
		"adopt a policy": func(x registry.Actor) error {
			n++
			src := fmt.Appendf(nil, "version: 1\nname: stale-admin-%d\nrules:\n  - name: default\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n", n)
			pol, err := policy.Parse(src)
			if err != nil {
				t.Fatal(err)
			}
			_, err = b.Registry.AdoptPolicy(ctx, x, pol, src)
			return err
		},
		"add a witness": func(x registry.Actor) error {
			n++
			k, err := witness.LoadKey(t.TempDir(), fmt.Sprintf("w%d.example", n))
			if err != nil {
				t.Fatal(err)
			}
			return b.Registry.AddWitness(ctx, x, fmt.Sprintf("w%d", n), "http://127.0.0.1:9/w", k.VerifierKey())
		},
		"issue a token": func(x registry.Actor) error {
			_, err := b.Registry.IssueToken(ctx, x, root.Member.Name)
			return err
		},
	}
	for _, how := range []string{"disabled", "admin role taken"} {
		for what, act := range acts {
			t.Run(how+"/"+what, func(t *testing.T) {
				n++
				name := fmt.Sprintf("ada%d", n)
				tok, err := a.Registry.AddMember(ctx, root, name, []string{registry.RoleAdmin, registry.RoleDrafter})
				if err != nil {
					t.Fatal(err)
				}
				// Authenticated by the other server as the request arrives.
				am, err := b.Registry.Authenticate(ctx, tok)
				if err != nil {
					t.Fatal(err)
				}
				if how == "disabled" {
					_, err = a.Registry.DisableMember(ctx, root, name)
				} else {
					_, err = a.Registry.SetRoles(ctx, root, name, nil, []string{registry.RoleAdmin})
				}
				if err != nil {
					t.Fatal(err)
				}
				if err := act(registry.Actor{Member: am}); !errors.Is(err, registry.ErrForbidden) {
					t.Errorf("%s by an admin %s meanwhile: %v, want forbidden", what, how, err)
				}
			})
		}
	}
}

// TestDrafterDisabledMeanwhileGetsNoCopy: a drafter disabled through another server while
// their request was under way gets no draft copy, and adds no letter and no version. Before,
// the copy was made and handed over: a confidential draft left with a member the office had
// just shut out.
func TestDrafterDisabledMeanwhileGetsNoCopy(t *testing.T) {
	ctx := context.Background()
	a, b, rootTok := twoServers(t)
	m, err := a.Registry.Authenticate(ctx, rootTok)
	if err != nil {
		t.Fatal(err)
	}
	root := registry.Actor{Member: m}
	upload := func(s string) registry.Upload {
		return registry.Upload{Name: "letter.txt", MediaType: "text/plain", Data: []byte(s)}
	}
	acts := map[string]func(x registry.Actor, ref string) error{
		"export a draft copy": func(x registry.Actor, ref string) error {
			_, err := b.Registry.ExportDraft(ctx, x, ref, "Counsel")
			return err
		},
		"preview": func(x registry.Actor, ref string) error {
			_, err := b.Registry.Preview(ctx, x, ref)
			return err
		},
		"revise": func(x registry.Actor, ref string) error {
			_, err := b.Registry.Revise(ctx, x, ref, upload("Dear Minister,\nrevised by whoever holds the token.\n"))
			return err
		},
		"create a letter": func(x registry.Actor, _ string) error {
			_, err := b.Registry.CreateLetter(ctx, x, registry.NewLetter{Subject: "Another", Class: "internal",
				Addressees: []string{"Addressee"}, File: upload("Dear Minister,\nanother letter.\n")})
			return err
		},
	}
	n := 0
	for what, act := range acts {
		t.Run(what, func(t *testing.T) {
			n++
			name := fmt.Sprintf("dave%d", n)
			tok, err := a.Registry.AddMember(ctx, root, name, []string{registry.RoleDrafter})
			if err != nil {
				t.Fatal(err)
			}
			dm, err := b.Registry.Authenticate(ctx, tok)
			if err != nil {
				t.Fatal(err)
			}
			dave := registry.Actor{Member: dm}
			ref, err := a.Registry.CreateLetter(ctx, dave, registry.NewLetter{Subject: "Posture", Class: "internal",
				Addressees: []string{"Addressee"}, File: upload(fmt.Sprintf("Dear Minister,\nletter %d.\n", n))})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Registry.DisableMember(ctx, root, name); err != nil {
				t.Fatal(err)
			}
			if err := act(dave, ref); !errors.Is(err, registry.ErrForbidden) {
				t.Errorf("%s by a drafter disabled meanwhile: %v, want forbidden", what, err)
			}
		})
	}
}

// TestPolicyAdoptedWhileTheServerStartsIsPutInForce: a server starting beside another one of
// the same PostgreSQL database reads the policy in force, then the identification (longer the
// larger the office), and only then starts following the policies the others adopt. A policy
// adopted through the other server in between, whose log entry the starting server's log
// had already read when the follower started, must still be put in force. Before, the
// follower took the log's size at its start as already read, and the server kept the policy
// it had read until the log grew again: its gate and its /api/v1/policy showed the old
// policy, approvals and signatures given through it were recorded under the old policy and
// counted for nothing, and every release through it was refused "the release policy changed
// while … was being released: try again".
func TestPolicyAdoptedWhileTheServerStartsIsPutInForce(t *testing.T) {
	ctx := context.Background()
	a, b, rootTok := twoServers(t)
	m, err := a.Registry.Authenticate(ctx, rootTok)
	if err != nil {
		t.Fatal(err)
	}
	// b as it is between reading the policy and starting its follower.
	office.StopFollowing(b)
	src := []byte("version: 1\nname: adopted-meanwhile\nrules:\n  - name: default\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n")
	pol, err := policy.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := a.Registry.AdoptPolicy(ctx, registry.Actor{Member: m}, pol, src)
	if err != nil {
		t.Fatal(err)
	}
	if !within(3*time.Second, func() bool { return b.Log.Head().Size > idx }) {
		t.Fatalf("the other server's log does not read entry %d: size %d", idx, b.Log.Head().Size)
	}
	office.StartFollowingPolicy(b)
	if !within(3*time.Second, func() bool { return string(b.Registry.Policy().Digest) == string(pol.Digest) }) {
		t.Errorf("the starting server's policy in force: %q (%s), want %q adopted through the other server", b.Registry.Policy().Name, b.Registry.Policy().Digest, pol.Name)
	}
}
