package cli

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
)

// demoOffice is the demo's fictional office.
const demoOffice = "Task Force North (fictional)"

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
func seedDemo(ctx context.Context, reg *registry.Registry, adminTok, dir string, w io.Writer) error {
	admin, err := actorFor(ctx, reg, adminTok)
	if err != nil {
		return err
	}
	people := map[string][]string{
		"maj.dubois":    {registry.RoleDrafter},
		"col.renard":    {registry.RoleReviewer},
		"gen.marchetti": {registry.RoleSigner},
		"cpt.leroy":     {registry.RoleRelease},
	}
	actors := map[string]registry.Actor{}
	tokens := map[string]string{}
	for _, name := range []string{"maj.dubois", "col.renard", "gen.marchetti", "cpt.leroy"} {
		tok, err := reg.AddMember(ctx, admin, name, people[name])
		if err != nil {
			return err
		}
		tokens[name] = tok
		if actors[name], err = actorFor(ctx, reg, tok); err != nil {
			return err
		}
	}
	drafter, reviewer, signer, officer := actors["maj.dubois"], actors["col.renard"], actors["gen.marchetti"], actors["cpt.leroy"]
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	keyID, _, err := reg.RegisterKey(ctx, signer, key.Public().(ed25519.PublicKey))
	if err != nil {
		return err
	}
	sign := func(ref string) error {
		st, err := reg.SigningStatement(ctx, signer, ref)
		if err != nil {
			return err
		}
		return reg.Sign(ctx, signer, ref, keyID, st, ed25519.Sign(key, dsse.PAE(seal.SigningPayloadType, st)))
	}
	out := filepath.Join(dir, "demo")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	write := func(name string, data []byte) error { return os.WriteFile(filepath.Join(out, name), data, 0o644) }
	release := func(ref string) (*registry.Released, error) {
		if err := reg.Approve(ctx, reviewer, ref, "", "reviewed"); err != nil {
			return nil, err
		}
		if err := sign(ref); err != nil {
			return nil, err
		}
		rel, err := reg.Release(ctx, officer, ref)
		if err != nil {
			return nil, err
		}
		name := releasedName(ref, rel.FileName)
		if err := write(name, rel.File); err != nil {
			return nil, err
		}
		return rel, write(name+".seal", rel.Seal.Marshal())
	}

	// 1. The letter to the host nation: drafted, coordinated, revised, released.
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
	if err := write("coordination-draft.md", cp.Data); err != nil {
		return err
	}
	if _, err := reg.Revise(ctx, drafter, posture, registry.Upload{Name: "movements.md", MediaType: "text/markdown", Data: []byte(demoPostureV2)}); err != nil {
		return err
	}
	if _, err := release(posture); err != nil {
		return err
	}

	// 2. A press statement, released and then retracted with its reason.
	press, err := reg.CreateLetter(ctx, drafter, registry.NewLetter{Subject: "Press statement: winter training", Class: "press",
		Addressees: []string{"Press"}, File: registry.Upload{Name: "press.md", MediaType: "text/markdown", Data: []byte(demoPress)}})
	if err != nil {
		return err
	}
	if _, err := release(press); err != nil {
		return err
	}
	st, pt, err := reg.WithdrawalStatement(ctx, signer, press, "", "The training dates were wrong; a corrected statement follows.")
	if err != nil {
		return err
	}
	if _, err := reg.Withdraw(ctx, signer, press, "", keyID, st, ed25519.Sign(key, dsse.PAE(pt, st))); err != nil {
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
	if err := write("leaked-draft.md", lc.Data); err != nil {
		return err
	}
	trust, err := reg.TrustRoot().Marshal()
	if err != nil {
		return err
	}
	if err := write("trust.json", trust); err != nil {
		return err
	}
	env := fmt.Sprintf("CHANCERY_TOKEN_ADMIN=%s\n", adminTok)
	for name, tok := range tokens {
		env += fmt.Sprintf("# %s (%s)\nCHANCERY_TOKEN_%s=%s\n", name, people[name][0], envName(name), tok)
	}
	if err := os.WriteFile(filepath.Join(out, "tokens.env"), []byte(env), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(w, `chancery: demo office %q: released %s, retracted %s, leaked draft %s
chancery: files to check are in %s; for example:
  chancery verify --trust %s %s
  chancery verify --trust %s %s
chancery: the demo members' tokens are in %s
`, demoOffice, posture, press, leak, out,
		filepath.Join(out, "trust.json"), filepath.Join(out, releasedName(posture, "x.md")),
		filepath.Join(out, "trust.json"), filepath.Join(out, "leaked-draft.md"),
		filepath.Join(out, "tokens.env"))
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
