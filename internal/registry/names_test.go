package registry

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// postgresOffice is newOffice on a fresh PostgreSQL database.
func postgresOffice(t *testing.T) *office {
	t.Helper()
	db, err := store.OpenPostgres(context.Background(), storetest.PostgresSchemas(t)())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return officeOn(t, db)
}

// invalidUTF8NamesRefused checks that names that are not valid UTF-8 are refused as invalid
// before they reach the store: SQLite stored them, PostgreSQL refused them with an internal
// error, so the same request had two outcomes and an office on SQLite could not be migrated.
func invalidUTF8NamesRefused(t *testing.T, o *office) {
	ctx := context.Background()
	_, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning of forces", Class: "internal",
		Addressees: []string{"Ministry"}, File: Upload{Name: "letter\xff.txt", Data: []byte("Dear Minister.")}})
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("file name with invalid UTF-8: %v, want ErrInvalid", err)
	}
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "embassy\xff", Emails: []string{"registry@embassy.example"}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("recipient name with invalid UTF-8: %v, want ErrInvalid", err)
	}
	if _, err := o.r.AddWebhook(ctx, o.admin, "hook\xff", "https://hooks.example/in"); !errors.Is(err, ErrInvalid) {
		t.Errorf("webhook name with invalid UTF-8: %v, want ErrInvalid", err)
	}
	if _, err := o.r.AddMember(ctx, o.admin, "ri\xffta", []string{RoleReviewer}); !errors.Is(err, ErrInvalid) {
		t.Errorf("member name with invalid UTF-8: %v, want ErrInvalid", err)
	}
}

func TestInvalidUTF8NamesRefused(t *testing.T) { invalidUTF8NamesRefused(t, newOffice(t)) }

func TestInvalidUTF8NamesRefusedPostgres(t *testing.T) { invalidUTF8NamesRefused(t, postgresOffice(t)) }

// lookAlikeNamesRefused checks that a member or recipient cannot be added under a name a
// reader could take for an existing one's: release statements, key entries, the audit trail
// and the pages show members by name alone, and letters are dispatched to recipients chosen
// by name. The newOffice has a reviewer named rita.
func lookAlikeNamesRefused(t *testing.T, o *office) {
	ctx := context.Background()
	for _, name := range []string{
		"Rita",                     // case
		"r\u0456ta",                // Cyrillic і
		"rit\u0430",                // Cyrillic а
		"\uff52\uff49\uff54\uff41", // full width
	} {
		if _, err := o.r.AddMember(ctx, o.admin, name, []string{RoleSigner}); !errors.Is(err, ErrConflict) {
			t.Errorf("member %+q beside rita: %v, want ErrConflict", name, err)
		}
	}
	// Characters drawn as nothing are refused in any name, before any comparison.
	for _, name := range []string{"rita\ufe00", "rita\u034f"} {
		if _, err := o.r.AddMember(ctx, o.admin, name, []string{RoleSigner}); !errors.Is(err, ErrInvalid) {
			t.Errorf("member %+q beside rita: %v, want ErrInvalid", name, err)
		}
	}
	// A provider user cannot choose such a name either.
	if _, err := o.r.SignInExternal(ctx, ExternalSignIn{Source: "https://idp.example", Subject: "u1", Name: "r\u0456t\u0430",
		Roles: []string{RoleSigner}, Managed: []string{RoleSigner}}); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("provider user named r\\u0456t\\u0430 beside rita: %v, want ErrUnauthenticated", err)
	}
	// One name typed precomposed and decomposed is one name.
	if _, err := o.r.AddMember(ctx, o.admin, "jos\u00e9", []string{RoleReviewer}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AddMember(ctx, o.admin, "jose\u0301", []string{RoleReviewer}); !errors.Is(err, ErrConflict) {
		t.Errorf("member jose\\u0301 beside jos\\u00e9: %v, want ErrConflict", err)
	}
	// Names that differ to the eye are still accepted.
	for _, name := range []string{"rina", "anita", "\u0440\u0438\u0442\u0430"} {
		if _, err := o.r.AddMember(ctx, o.admin, name, []string{RoleReviewer}); err != nil {
			t.Errorf("member %+q: %v", name, err)
		}
	}
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "embassy", Emails: []string{"registry@embassy.example"}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "\u0435mbassy", Emails: []string{"mallory@evil.example"}}); !errors.Is(err, ErrConflict) {
		t.Errorf("recipient \\u0435mbassy beside embassy: %v, want ErrConflict", err)
	}
}

func TestLookAlikeNamesRefused(t *testing.T) { lookAlikeNamesRefused(t, newOffice(t)) }

func TestLookAlikeNamesRefusedPostgres(t *testing.T) { lookAlikeNamesRefused(t, postgresOffice(t)) }

// TestUndrawableNamesRefused checks that names printed on letters and copies are refused
// when the fonts cannot draw them, as subjects are: a signer named so made every letter they
// signed fail at release, after its approvals and signatures ("render release: letterhead:
// character the fonts cannot draw"), and a copy for such a recipient, or exported by such a
// member, failed its watermark.
func TestUndrawableNamesRefused(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	const name = "sig\U0001F600"
	if _, err := o.r.AddMember(ctx, o.admin, name, []string{RoleSigner}); !errors.Is(err, ErrInvalid) {
		t.Errorf("member %+q: %v, want ErrInvalid", name, err)
	}
	if _, err := o.r.SignInExternal(ctx, ExternalSignIn{Source: "https://idp.example", Subject: "u2", Name: "idp\ue000",
		Roles: []string{RoleSigner}, Managed: []string{RoleSigner}}); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("provider user named idp\\ue000: %v, want ErrUnauthenticated", err)
	}
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "embassy", Organization: "Embassy \U0001F600",
		Emails: []string{"registry@embassy.example"}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("recipient's organization with an emoji: %v, want ErrInvalid", err)
	}
	ref := o.letter(t, "Dear Minister.")
	if _, err := o.r.ExportDraft(ctx, o.drafter, ref, "Embassy \U0001F600"); !errors.Is(err, ErrInvalid) {
		t.Errorf("copy for a recipient with an emoji: %v, want ErrInvalid", err)
	}
}

// TestLetterMetadataReadsAsStored checks that a letter's subject and addressees are stored as
// they read, so that a policy naming them matches: a word mixing Latin with Cyrillic letters
// ("D\u0435fence") is refused, and spaces of any kind, around or between words, are stored as
// single ASCII spaces. Either kept a letter addressed, to the eye and on paper, to the
// ministry a rule names (`"Ministry of Defence of Freedonia" in letter.addressees`) out of
// that rule.
func TestLetterMetadataReadsAsStored(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	create := func(subject string, addressees ...string) (string, error) {
		return o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: subject, Class: "foreign-government", Addressees: addressees,
			File: Upload{Name: "letter.txt", Data: []byte("Dear Minister.")}})
	}
	if _, err := create("Repositioning of forces", "Ministry of D\u0435fence of Freedonia"); !errors.Is(err, ErrInvalid) {
		t.Errorf("addressee with a Cyrillic е: %v, want ErrInvalid", err)
	}
	if _, err := create("Rep\u043esitioning of forces", "Ministry of Defence of Freedonia"); !errors.Is(err, ErrInvalid) {
		t.Errorf("subject with a Cyrillic о: %v, want ErrInvalid", err)
	}
	ref, err := create("Repositioning  of\u2009forces ", "Ministry of Defence\u00a0of Freedonia ", "\u041c\u0438\u043d\u0438\u0441\u0442\u0435\u0440\u0441\u0442\u0432\u043e")
	if err != nil {
		t.Fatal(err)
	}
	v, err := o.r.Letter(ctx, o.drafter, ref)
	if err != nil {
		t.Fatal(err)
	}
	if v.Subject != "Repositioning of forces" || len(v.Addressees) != 2 || v.Addressees[0] != "Ministry of Defence of Freedonia" {
		t.Errorf("stored subject %+q, addressees %+q; want them as they read", v.Subject, v.Addressees)
	}
}

// TestDecomposedNamesFindTheirHolder checks that a name typed with a combining accent
// ("Rene\u0301e", as some keyboards and pasted text give it) finds the member or recipient
// stored precomposed: names are stored in NFC, and the sign-in, the members commands and the
// dispatch looked them up as typed, so Renée could not sign in with her password, and an
// admin could not give her a role, disable her or issue her a token.
func TestDecomposedNamesFindTheirHolder(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	const typed, stored = "Rene\u0301e", "Ren\u00e9e"
	if _, err := o.r.AddMember(ctx, o.admin, typed, []string{RoleReviewer}); err != nil {
		t.Fatal(err)
	}
	const pw = "correct horse battery"
	if err := o.r.SetPassword(ctx, o.admin, typed, pw); err != nil {
		t.Fatalf("admin sets the password of %+q: %v", typed, err)
	}
	if m, err := o.r.CheckPassword(ctx, typed, pw); err != nil || m.Name != stored {
		t.Errorf("sign-in as %+q: %v, %v; want the member %+q", typed, m, err, stored)
	}
	if v, err := o.r.Member(ctx, o.admin, typed); err != nil || v.Name != stored {
		t.Errorf("member %+q: %v, %v", typed, v, err)
	}
	if _, err := o.r.SetRoles(ctx, o.admin, typed, []string{RoleDrafter}, nil); err != nil {
		t.Errorf("set roles of %+q: %v", typed, err)
	}
	if _, err := o.r.IssueToken(ctx, o.admin, typed); err != nil {
		t.Errorf("issue a token for %+q: %v", typed, err)
	}
	if _, err := o.r.DisableMember(ctx, o.admin, typed); err != nil {
		t.Errorf("disable %+q: %v", typed, err)
	}
	if _, err := o.r.EnableMember(ctx, o.admin, typed); err != nil {
		t.Errorf("enable %+q: %v", typed, err)
	}
	// An admin typing their own name decomposed is still themselves.
	zoe := o.member(t, "Zoe\u0308", RoleAdmin)
	if _, err := o.r.DisableMember(ctx, zoe, "Zoe\u0308"); !errors.Is(err, ErrInvalid) {
		t.Errorf("an admin disabling themselves, typed decomposed: %v, want ErrInvalid", err)
	}
	// A recipient chosen by a decomposed name is the one stored precomposed.
	o.r.SetDispatch(DispatchSettings{Mail: true})
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "Zu\u0308rich", Emails: []string{"registry@zurich.example"}}); err != nil {
		t.Fatal(err)
	}
	ref, _ := o.released(t, "Dear Minister.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"Zu\u0308rich"}); err != nil {
		t.Errorf("dispatch to Zu\\u0308rich: %v", err)
	}
}

// TestPolicyGroupNamesReadAsMembers checks the names a policy's groups list: one written with
// a combining accent is the member stored precomposed, and one that reads as a member's
// without being it ("Sam" for sam, "s\u0430m" with a Cyrillic а) is refused at adoption,
// since no member can ever hold it and the group would never count the person meant.
func TestPolicyGroupNamesReadAsMembers(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	adopt := func(member string) error {
		src := "version: 1\nname: groups\ngroups:\n  command: [" + member + ", nobody-yet]\nrules:\n  - name: d\n    default: true\n" +
			"    require:\n      approvals: [{role: reviewer}]\n      signatures: [{group: command}]\n"
		p, err := policy.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		_, err = o.r.AdoptPolicy(ctx, o.admin, p, []byte(src))
		return err
	}
	for _, name := range []string{"Sam", "s\u0430m", "\uff53am"} {
		if err := adopt(name); !errors.Is(err, ErrInvalid) {
			t.Errorf("a group listing %+q beside the member sam: %v, want ErrInvalid", name, err)
		}
	}
	sigrun := o.member(t, "Sigr\u00fan", RoleSigner)
	if err := adopt("Sigru\u0301n"); err != nil {
		t.Fatal(err)
	}
	ref := o.letter(t, "Signed by the group.")
	o.approve(t, ref)
	key, id := o.newKey(t, sigrun)
	if err := o.signAs(t, sigrun, key, id, ref); err != nil {
		t.Fatal(err)
	}
	if err := tryRelease(o, ref); err != nil {
		t.Errorf("release signed by Sigr\\u00fan for the group [Sigru\\u0301n]: %v", err)
	}
}

// TestLookAlikeNamesAlreadyStoredAreListed checks that member and recipient names that read
// as one another's, stored before such names were refused (written here straight into the
// store), are listed for the operator, and names that merely resemble are not.
func TestLookAlikeNamesAlreadyStoredAreListed(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	if sets, err := o.r.LookAlikes(ctx); err != nil || len(sets) != 0 {
		t.Fatalf("look-alikes of a fresh office: %+v, %v", sets, err)
	}
	err := o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		for _, name := range []string{"Rita", "r\u0456ta", "rina"} {
			_, hash := NewToken()
			if _, err := tx.AddMember(ctx, name, []string{RoleReviewer}, hash, o.r.now()); err != nil {
				return err
			}
		}
		for _, name := range []string{"embassy", "\u0435mbassy", "ministry"} {
			if err := tx.AddRecipient(ctx, &store.Recipient{Name: name, Emails: []string{"r@example.org"}, CreatedAt: o.r.now()}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sets, err := o.r.LookAlikes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []LookAlikeNames{{Kind: "member", Names: []string{"Rita", "rita", "r\u0456ta"}}, {Kind: "recipient", Names: []string{"embassy", "\u0435mbassy"}}}
	if len(sets) != len(want) {
		t.Fatalf("look-alikes %+q, want %+q", sets, want)
	}
	for i := range want {
		if sets[i].Kind != want[i].Kind || !slices.Equal(sets[i].Names, want[i].Names) {
			t.Errorf("look-alikes %+q, want %+q", sets, want)
		}
	}
}
