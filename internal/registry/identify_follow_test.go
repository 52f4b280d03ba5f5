package registry

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// sharedOffices returns two registries on one PostgreSQL database, each with its own store
// connections and log, as two servers of one office have, and the same members.
func sharedOffices(t *testing.T) (a, b *office) {
	t.Helper()
	ctx := context.Background()
	url := storetest.PostgresURL(t)
	const origin = "test.example/log"
	skey, vkey, _ := note.GenerateKey(rand.Reader, origin)
	signer, _ := note.NewSigner(skey)
	_, officeKey, _ := ed25519.GenerateKey(rand.Reader)
	var regs []*Registry
	for range 2 {
		db, err := store.OpenPostgres(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		lg, err := translog.Open(ctx, db, translog.Config{Origin: origin, Signer: signer, Create: true})
		if err != nil {
			db.Close()
			t.Fatal(err)
		}
		t.Cleanup(func() { lg.Close(); db.Close() })
		regs = append(regs, New(Config{DB: db, Log: lg, Office: Office{Name: "Task Force North", Prefix: "TFN", URL: "https://tfn.example"},
			OfficeKey: officeKey, LogKey: vkey, LogOrigin: origin}))
	}
	a = &office{r: regs[0]}
	tok, err := a.r.Bootstrap(ctx, "root")
	if err != nil {
		t.Fatal(err)
	}
	a.admin = a.actor(t, tok)
	for _, m := range []struct {
		name string
		role string
		to   *Actor
	}{{"dana", RoleDrafter, &a.drafter}, {"rita", RoleReviewer, &a.reviewer}, {"sam", RoleSigner, &a.signer}, {"otto", RoleRelease, &a.officer}} {
		tok, err := a.r.AddMember(ctx, a.admin, m.name, []string{m.role})
		if err != nil {
			t.Fatal(err)
		}
		*m.to = a.actor(t, tok)
	}
	_, a.signerKey, _ = ed25519.GenerateKey(rand.Reader)
	if a.keyID, _, err = a.r.RegisterKey(ctx, a.signer, a.signerKey.Public().(ed25519.PublicKey)); err != nil {
		t.Fatal(err)
	}
	if a.verifier, err = seal.NewVerifier(a.r.TrustRoot()); err != nil {
		t.Fatal(err)
	}
	b = &office{r: regs[1], admin: a.admin, drafter: a.drafter, reviewer: a.reviewer, signer: a.signer, officer: a.officer,
		signerKey: a.signerKey, keyID: a.keyID, verifier: a.verifier}
	for _, o := range []*office{a, b} {
		if err := o.r.LoadIdentification(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return a, b
}

// TestIdentificationFollowsOtherServers: two servers on one database each identify, once
// they refresh, the letters the other released and (for members) the drafts it took in; a
// draft the other server releases moves to the public answers; and a server's own releases
// are identified at once, before any refresh.
func TestIdentificationFollowsOtherServers(t *testing.T) {
	ctx := context.Background()
	a, b := sharedOffices(t)
	corpus := synth.Corpus{Seed: 11, FamilySize: 1}
	relText, draftText, ownText := corpus.Letter(0).Text(), corpus.Letter(1).Text(), corpus.Letter(2).Text()

	relRef, _ := a.released(t, relText)
	draftRef := a.letter(t, draftText)
	ownRef, _ := b.released(t, ownText)
	check := func(when string, o *office, who Actor, text, outcome, ref string) {
		t.Helper()
		got, err := o.r.Identify(ctx, who, text)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if got.Outcome != outcome || got.Reference != ref {
			t.Errorf("%s: %s %s, want %s %s", when, got.Outcome, got.Reference, outcome, ref)
		}
	}
	check("b's own release, before a refresh", b, Actor{}, ownText, Valid, ownRef)
	// The public's "not an official letter" waits for what the other servers released: b
	// reads a's release when the text matches nothing it indexed (followReleases).
	check("a's release on b, before a refresh", b, Actor{}, relText, Valid, relRef)

	for _, o := range []*office{a, b} {
		if err := o.r.RefreshIdentification(ctx); err != nil {
			t.Fatal(err)
		}
	}
	check("a's release on b", b, Actor{}, relText, Valid, relRef)
	check("a's draft on b, for a member", b, b.reviewer, draftText, Draft, draftRef)
	check("a's draft on b, for the public", b, Actor{}, draftText, Unknown, "")
	check("b's release on a", a, Actor{}, ownText, Valid, ownRef)
	check("b's own release on b, after a refresh", b, Actor{}, ownText, Valid, ownRef)

	// a releases the draft b indexed as one: after a refresh b answers for it publicly.
	a.approve(t, draftRef)
	if err := a.sign(t, draftRef); err != nil {
		t.Fatal(err)
	}
	if _, err := a.r.Release(ctx, a.officer, draftRef); err != nil {
		t.Fatal(err)
	}
	if err := b.r.RefreshIdentification(ctx); err != nil {
		t.Fatal(err)
	}
	check("the draft a released, on b", b, Actor{}, draftText, Valid, draftRef)
	if n := b.r.ident.Len(); n != 0 {
		t.Errorf("b's drafts' index holds %d letters after every draft was released", n)
	}

	// a erases a letter b indexed: b no longer identifies its text, and drops the erased
	// letter's entries from its index when a query meets them.
	before := b.r.released.Len()
	if err := a.r.Erase(ctx, a.admin, relRef, "court order"); err != nil {
		t.Fatal(err)
	}
	if err := b.r.RefreshIdentification(ctx); err != nil {
		t.Fatal(err)
	}
	check("a's erased letter, on b", b, Actor{}, relText, Unknown, "")
	if n := b.r.released.Len(); n >= before {
		t.Errorf("b's public index holds %d letters after another server erased one, %d before", n, before)
	}
}

// TestOtherServersForgetErasedContent: a letter erased through one server leaves nothing of
// its words in another server's memory once that server refreshes: its search found the
// letter by a word of its text, which the search's cache then held, and the erasure (of
// which the search cache heard nothing before) empties it; what released files show goes
// too. A refresh without an erasure keeps the cache.
func TestOtherServersForgetErasedContent(t *testing.T) {
	ctx := context.Background()
	a, b := sharedOffices(t)
	corpus := synth.Corpus{Seed: 12, FamilySize: 1}
	text := corpus.Letter(0).Text()
	ref, _ := a.released(t, text)
	word := strings.Fields(text)[len(strings.Fields(text))/2]
	search := func() {
		t.Helper()
		list, err := b.r.ListLetters(ctx, b.reviewer, LetterQuery{Text: word})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Letters) == 0 {
			t.Fatalf("b's search for %q found nothing", word)
		}
	}
	search()
	cached := func() int {
		b.r.texts.mu.Lock()
		defer b.r.texts.mu.Unlock()
		return b.r.texts.size
	}
	if cached() == 0 {
		t.Fatal("b's search kept no text: the test would prove nothing")
	}
	if err := b.r.RefreshIdentification(ctx); err != nil {
		t.Fatal(err)
	}
	if cached() == 0 {
		t.Fatal("a refresh without an erasure emptied b's search cache")
	}
	if err := a.r.Erase(ctx, a.admin, ref, "court order"); err != nil {
		t.Fatal(err)
	}
	if err := b.r.RefreshIdentification(ctx); err != nil {
		t.Fatal(err)
	}
	if n := cached(); n != 0 {
		t.Errorf("b's search cache holds %d bytes of text after a erased the letter", n)
	}
	list, err := b.r.ListLetters(ctx, b.reviewer, LetterQuery{Text: word})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range list.Letters {
		if l.Reference == ref {
			t.Errorf("b's search still finds the erased letter %s by %q", ref, word)
		}
	}
}

// seenThrough returns the last fingerprint row the registry's indexes read.
func (o *office) seenThrough() int64 {
	o.r.seen.mu.Lock()
	defer o.r.seen.mu.Unlock()
	return o.r.seen.through
}

// TestPublicNoMatchFollowsOtherServers: a text (or a file's text) that matches nothing a
// server indexed is looked up again once that server has read the releases stored through the
// others since its last refresh, so a letter released through one server is identified on
// every other from its release on (before, the public was told "not an official letter of
// this office" for up to a quarter of a second). A server does not refresh for drafts, nor for
// its own releases; a letter erased before the server read its release does not come back;
// and two questions at once are both answered.
func TestPublicNoMatchFollowsOtherServers(t *testing.T) {
	ctx := context.Background()
	a, b := sharedOffices(t)
	corpus := synth.Corpus{Seed: 13, FamilySize: 1}
	text := func(i int) string { return corpus.Letter(i).Text() }
	check := func(when string, got *Identification, err error, outcome, ref string) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if got.Outcome != outcome || got.Reference != ref {
			t.Errorf("%s: %s %s (%s), want %s %s", when, got.Outcome, got.Reference, got.Message, outcome, ref)
		}
	}

	a.letter(t, text(0))
	b.released(t, text(1))
	through := b.seenThrough()
	got, err := b.r.Identify(ctx, Actor{}, text(0))
	check("a's draft on b, for the public", got, err, Unknown, "")
	got, err = b.r.Identify(ctx, Actor{}, text(2))
	check("a text of no letter", got, err, Unknown, "")
	if n := b.seenThrough(); n != through {
		t.Errorf("b refreshed its indexes (through %d, then %d) with only a draft and its own release stored since", through, n)
	}

	ref, _ := a.released(t, text(3))
	got, err = b.r.IdentifyFile(ctx, Actor{}, text(3), "", nil)
	check("a file with the text of a's release, on b", got, err, Valid, ref)

	erased, _ := a.released(t, text(4))
	if err := a.r.Erase(ctx, a.admin, erased, "court order"); err != nil {
		t.Fatal(err)
	}
	before := b.r.released.Len()
	got, err = b.r.Identify(ctx, Actor{}, text(4))
	check("a letter a released and erased, on b", got, err, Unknown, "")
	if n := b.r.released.Len(); n != before {
		t.Errorf("b's public index holds %d letters after reading a's erased release, %d before", n, before)
	}

	// A refresh made while a question was looked up (the periodic one, or another
	// request's) read the release it missed: it is looked up again.
	from := b.seenThrough()
	missed, _ := a.released(t, text(7))
	if err := b.r.RefreshIdentification(ctx); err != nil {
		t.Fatal(err)
	}
	if found, err := b.r.followReleases(ctx, from); err != nil || !found {
		t.Errorf("a release read by a refresh during the look: followReleases %v, %v; want true", found, err)
	}
	got, err = b.r.Identify(ctx, Actor{}, text(7))
	check("a's release read by a refresh, on b", got, err, Valid, missed)

	refs := make([]string, 2)
	for i := range refs {
		refs[i], _ = a.released(t, text(5+i))
	}
	type answer struct {
		id  *Identification
		err error
	}
	answers := make(chan answer, len(refs))
	for i := range refs {
		go func() {
			id, err := b.r.Identify(ctx, Actor{}, text(5+i))
			answers <- answer{id, err}
		}()
	}
	found := map[string]bool{}
	for range refs {
		ans := <-answers
		if ans.err != nil {
			t.Fatalf("two questions at once: %v", ans.err)
		}
		check("two questions at once", ans.id, nil, Valid, ans.id.Reference)
		found[ans.id.Reference] = true
	}
	for _, ref := range refs {
		if !found[ref] {
			t.Errorf("two questions at once: %s not identified (%v)", ref, found)
		}
	}
}

// TestPublicAnswerOfAnOlderLetterFollowsOtherServers: the text of a letter just released
// through another server that is close to, or the same as, an older letter this server
// indexed is answered as the new letter, not as the older one: a correction that supersedes
// a letter (one figure changed) was "altered: close to" the superseded letter, and a text
// issued again after a retraction "retracted", for up to a quarter of a second after the
// release, on every server but the one that released it.
func TestPublicAnswerOfAnOlderLetterFollowsOtherServers(t *testing.T) {
	ctx := context.Background()
	a, b := sharedOffices(t)
	corpus := synth.Corpus{Seed: 14, FamilySize: 1}
	text := corpus.Letter(0).Text()
	words := strings.Fields(text)
	words[len(words)/2] = "seventeen"
	corrected := strings.Join(words, " ")
	old, _ := a.released(t, text)
	retracted, _ := a.released(t, corpus.Letter(1).Text())
	st, pt, err := a.withdrawalStatementOf(ctx, a.signer, retracted, "", "sent to the wrong ministry")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.withdraw(ctx, a.signer, retracted, "", a.keyID, st, signPAE(a.signerKey, pt, st)); err != nil {
		t.Fatal(err)
	}
	if err := b.r.RefreshIdentification(ctx); err != nil {
		t.Fatal(err)
	}

	correction, _ := a.released(t, corrected)
	if err := a.supersede(old, correction); err != nil {
		t.Fatal(err)
	}
	again, _ := a.released(t, corpus.Letter(1).Text())
	for _, c := range []struct {
		what, text, ref string
	}{
		{"the correction of a letter, on another server", corrected, correction},
		{"a retracted letter's text issued again, on another server", corpus.Letter(1).Text(), again},
	} {
		got, err := b.r.Identify(ctx, Actor{}, c.text)
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != Valid || got.Reference != c.ref {
			t.Errorf("%s: %s %s (%s), want valid %s", c.what, got.Outcome, got.Reference, got.Message, c.ref)
		}
	}
}

// TestMemberAnswerFollowsOtherServers: a member who asks a server about the text of a letter
// another server just released is told it is that released letter, not "draft: … which is not
// released" (the draft this server indexed before the release) nor that it matches no letter:
// for up to a quarter of a second after the release, a member was told either.
func TestMemberAnswerFollowsOtherServers(t *testing.T) {
	ctx := context.Background()
	a, b := sharedOffices(t)
	corpus := synth.Corpus{Seed: 15, FamilySize: 1}
	drafted, fresh := corpus.Letter(0).Text(), corpus.Letter(1).Text()
	draftRef := a.letter(t, drafted)
	if err := b.r.RefreshIdentification(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := b.r.Identify(ctx, b.reviewer, drafted)
	if err != nil {
		t.Fatal(err)
	}
	if got.Outcome != Draft || got.Reference != draftRef {
		t.Fatalf("a's draft on b, for a member: %s %s, want draft %s", got.Outcome, got.Reference, draftRef)
	}
	a.approvedAndReleased(t, draftRef)
	freshRef, _ := a.released(t, fresh)
	for _, c := range []struct{ what, text, ref string }{
		{"a draft b indexed, since released by a", drafted, draftRef},
		{"a letter a took in and released since b's refresh", fresh, freshRef},
	} {
		got, err := b.r.Identify(ctx, b.reviewer, c.text)
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != Valid || got.Reference != c.ref {
			t.Errorf("%s, for a member: %s %s (%s), want valid %s", c.what, got.Outcome, got.Reference, got.Message, c.ref)
		}
	}
}
