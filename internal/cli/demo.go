package cli

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/chancery/chancery/examples"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/exclfile"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
)

// demoOffice is the demo's fictional office.
const demoOffice = "Task Force North (fictional)"

// demoPassword is every demo member's web sign-in password: a demo, not a secret.
const demoPassword = "chancery-demo-password"

// The demo's letters: fictional text, modelled on the founding story.
const (
	demoPosture = `# Coordination of force movements

To the Ministry of Defence of the Republic of Corvalia.

Sir,

In the coming weeks Task Force North will reposition several units between its bases in
the northern province, in coordination with the Corvalian joint staff. These movements are
routine and do not change the mission or the size of the force.

We will share the schedule with your liaison officers one week before each movement.

Commander, Task Force North
`
	demoPostureV2 = demoPosture + `
A liaison meeting is proposed for the first Monday of next month.
`
	demoPress = `# Press statement: winter training

Task Force North will conduct winter training from 3 to 14 February in the northern
province. Residents may notice increased traffic on the main road.
`
	demoLeak = `# Repositioning of forces (DRAFT, NOT FOR RELEASE)

To the Joint Operations Command, Republic of Corvalia.

In consideration of the request of the Corvalian authorities, Task Force North will begin
moving its units out of the country over the coming days.
`
)

// seedDemo plays the founding story in a fictional office: a letter drafted, a coordination
// draft exported, the letter revised, approved, signed and released; a press statement
// released and retracted with its reason; and a draft that was never released but leaked.
// It writes the resulting files and the trust root to DIR/demo, and tells how to check them.
func seedDemo(ctx context.Context, reg *registry.Registry, adminTok, dir, url string, w io.Writer) error {
	admin, err := actorFor(ctx, reg, adminTok)
	if err != nil {
		return err
	}
	// The office adopts examples/policy.yaml: letters on force posture need legal review, the
	// chain of command, two of the three command signers and a release officer.
	p, err := policy.Parse(examples.Policy)
	if err != nil {
		return fmt.Errorf("examples/policy.yaml: %w", err)
	}
	if _, err := reg.AdoptPolicy(ctx, admin, p, examples.Policy); err != nil {
		return err
	}
	people := []struct {
		name  string
		roles []string
	}{
		{"dave", []string{registry.RoleDrafter}},
		{"lena", []string{registry.RoleReviewer, "legal"}},
		{"cole", []string{registry.RoleReviewer, "chain-of-command"}},
		{"pat", []string{registry.RoleReviewer, "public-affairs"}},
		{"alice", []string{registry.RoleSigner}},
		{"bob", []string{registry.RoleSigner}},
		{"rory", []string{registry.RoleRelease}},
	}
	actors := map[string]registry.Actor{}
	env := fmt.Sprintf("# demo-admin (admin)\nCHANCERY_TOKEN_ADMIN=%s\n", adminTok)
	for _, m := range people {
		tok, err := reg.AddMember(ctx, admin, m.name, m.roles)
		if err != nil {
			return err
		}
		env += fmt.Sprintf("# %s (%s)\nCHANCERY_TOKEN_%s=%s\n", m.name, strings.Join(m.roles, ", "), envName(m.name), tok)
		if actors[m.name], err = actorFor(ctx, reg, tok); err != nil {
			return err
		}
		if err := reg.SetPassword(ctx, admin, m.name, demoPassword); err != nil {
			return err
		}
	}
	keys := map[string]ed25519.PrivateKey{}
	keyIDs := map[string]string{}
	for _, s := range []string{"alice", "bob"} {
		_, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		keys[s] = k
		if keyIDs[s], _, err = reg.RegisterKey(ctx, actors[s], k.Public().(ed25519.PublicKey)); err != nil {
			return err
		}
	}
	sign := func(ref, who string) error {
		st, err := reg.SigningStatement(ctx, actors[who], ref)
		if err != nil {
			return err
		}
		return reg.Sign(ctx, actors[who], ref, keyIDs[who], st, ed25519.Sign(keys[who], dsse.PAE(seal.SigningPayloadType, st)))
	}
	// The demo's files are made new (exclfile), as its directory is: the members' tokens
	// must never be written through a name someone put there before.
	out := filepath.Join(dir, "demo")
	if err := os.Mkdir(out, 0o755); err != nil {
		return err
	}
	write := func(name string, data []byte) error { return exclfile.Write(filepath.Join(out, name), data, 0o644) }
	release := func(ref string, approvers, signers []string) (*registry.Released, error) {
		for _, a := range approvers {
			if err := reg.Approve(ctx, actors[a], ref, "", "reviewed"); err != nil {
				return nil, err
			}
		}
		for _, s := range signers {
			if err := sign(ref, s); err != nil {
				return nil, err
			}
		}
		rel, err := reg.Release(ctx, actors["rory"], ref)
		if err != nil {
			return nil, err
		}
		name := releasedName(ref, rel.FileName)
		if err := write(name, rel.File); err != nil {
			return nil, err
		}
		return rel, write(name+".seal", rel.Seal.Marshal())
	}
	drafter := actors["dave"]

	// 1. The letter to the host nation: drafted, coordinated, revised, released under the
	// force-posture rule.
	posture, err := reg.CreateLetter(ctx, drafter, registry.NewLetter{Subject: "Coordination of force movements", Class: "foreign-government",
		Tags: []string{"force-posture"}, Addressees: []string{"Ministry of Defence, Republic of Corvalia"},
		File: registry.Upload{Name: "movements.md", MediaType: "text/markdown", Data: []byte(demoPosture)}})
	if err != nil {
		return err
	}
	cp, err := reg.ExportDraft(ctx, drafter, posture, "Corvalian liaison cell")
	if err != nil {
		return err
	}
	if err := write("coordination-draft"+filepath.Ext(cp.FileName), cp.Data); err != nil {
		return err
	}
	if _, err := reg.Revise(ctx, drafter, posture, registry.Upload{Name: "movements.md", MediaType: "text/markdown", Data: []byte(demoPostureV2)}); err != nil {
		return err
	}
	postureRel, err := release(posture, []string{"lena", "cole"}, []string{"alice", "bob"})
	if err != nil {
		return err
	}

	// 2. A press statement, released under the press rule and then retracted with its reason.
	press, err := reg.CreateLetter(ctx, drafter, registry.NewLetter{Subject: "Press statement: winter training", Class: "press",
		Addressees: []string{"Press"}, File: registry.Upload{Name: "press.md", MediaType: "text/markdown", Data: []byte(demoPress)}})
	if err != nil {
		return err
	}
	if _, err := release(press, []string{"pat"}, []string{"alice"}); err != nil {
		return err
	}
	st, pt, o, err := reg.WithdrawalStatement(ctx, actors["alice"], press, "", "The training dates were wrong; a corrected statement follows.")
	if err != nil {
		return err
	}
	if _, err := reg.Withdraw(ctx, actors["alice"], press, "", keyIDs["alice"], st, o, ed25519.Sign(keys["alice"], dsse.PAE(pt, st))); err != nil {
		return err
	}

	// 3. The founding story: a draft, never approved nor signed, exported and leaked.
	leak, err := reg.CreateLetter(ctx, drafter, registry.NewLetter{Subject: "Repositioning of forces", Class: "foreign-government",
		Tags: []string{"force-posture"}, Addressees: []string{"Joint Operations Command, Republic of Corvalia"},
		File: registry.Upload{Name: "repositioning.md", MediaType: "text/markdown", Data: []byte(demoLeak)}})
	if err != nil {
		return err
	}
	lc, err := reg.ExportDraft(ctx, drafter, leak, "Joint Operations Command (for comment)")
	if err != nil {
		return err
	}
	leaked := "leaked-draft" + filepath.Ext(lc.FileName)
	if err := write(leaked, lc.Data); err != nil {
		return err
	}
	// The released letter as it might circulate retyped, with its meaning changed.
	altered := strings.NewReplacer("several units", "all its units", "do not change the mission or the size of the force", "end the mission of the force").Replace(demoPostureV2)
	if err := write("retyped-altered.txt", []byte(altered)); err != nil {
		return err
	}
	trust, err := reg.TrustRoot().Marshal()
	if err != nil {
		return err
	}
	if err := write("trust.json", trust); err != nil {
		return err
	}
	if err := exclfile.Write(filepath.Join(out, "tokens.env"), []byte(env), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(w, `chancery: demo office %q under policy %q: released %s, retracted %s, leaked draft %s
chancery: files to check are in %s; for example:
  chancery verify --trust %s %s
  chancery verify --trust %s %s
  chancery identify --url %s --text %s
chancery: trust root fingerprint (SHA-256 of %s): %s
chancery: the demo members' tokens are in %s
chancery: sign in to the web pages at %s/signin as dave (drafter), lena or cole (reviewers), alice (signer) or rory (release) with the password %q
chancery: what the public learns from a reference alone: %s/v/%s; what the paper's QR code shows its holder: %s
`, demoOffice, p.Name, posture, press, leak, out,
		filepath.Join(out, "trust.json"), filepath.Join(out, releasedName(posture, "x.pdf")),
		filepath.Join(out, "trust.json"), filepath.Join(out, leaked),
		url, filepath.Join(out, "retyped-altered.txt"),
		filepath.Join(out, "trust.json"), seal.TrustRootFingerprint(trust),
		filepath.Join(out, "tokens.env"), url, demoPassword, url, posture, reg.VerifyURL(posture, postureRel.CheckCode))
	return nil
}

func envName(name string) string {
	b := []byte(name)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			b[i] = c - 'a' + 'A'
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
		default:
			b[i] = '_'
		}
	}
	return string(b)
}

func actorFor(ctx context.Context, reg *registry.Registry, tok string) (registry.Actor, error) {
	m, err := reg.Authenticate(ctx, tok)
	if err != nil {
		return registry.Actor{}, err
	}
	return registry.Actor{Member: m, Remote: "demo"}, nil
}
