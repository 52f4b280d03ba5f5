package registry

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// Upload is a file given to the registry.
type Upload struct {
	Name      string // file name, for the reader's benefit
	MediaType string // empty: detected from the bytes and name
	Data      []byte
}

func (u *Upload) check() error {
	if len(u.Data) == 0 {
		return i18n.Errorf(ErrInvalid, "the file is empty")
	}
	u.Name = filepath.Base(u.Name)
	if u.Name == "." || u.Name == "/" || u.Name == "" {
		u.Name = "letter"
	}
	if err := checkChars("file name", u.Name, false); err != nil {
		return err
	}
	// The content decides the type: a PDF declared as anything else would skip the checks
	// and the marks of the PDF path.
	if err := u.classify(); err != nil {
		return err
	}
	// A PDF that the release could not stamp is refused now, before anything is stored.
	if fileKind(u.MediaType) == kindPDF {
		if _, err := pdf.Check(u.Data); err != nil {
			return i18n.Errorf(ErrInvalid, "%s: %v", u.Name, err)
		}
	}
	// So is an image the release could not place on pages (only its headers are read here).
	if mt := baseType(u.MediaType); pdf.ImageTypes[mt] {
		if err := pdf.CheckImage(mt, u.Data); errors.Is(err, pdf.ErrTooLarge) {
			return i18n.Errorf(ErrInvalid, "%s: %v", u.Name, err)
		} else if err != nil {
			// The bytes begin with a picture's signature (classify takes the type from them,
			// whatever was declared), so the picture's path is the only one open to them: a
			// file that merely begins so, such as one binary file in 65,536 beginning "BM",
			// needs the way round.
			return i18n.Errorf(ErrInvalid, "%s begins like a picture (%s) but cannot be read as one (%v): a file that is not a picture can be sent inside a ZIP archive, which the letter encloses as it is", u.Name, mt, err)
		}
	}
	// So is Markdown nested too deep to render (a linear scan; rendering checks again).
	if isMarkdown(u.MediaType) {
		if err := pdf.CheckMarkdown(u.Data); err != nil {
			return i18n.Errorf(ErrInvalid, "%s: %v", u.Name, err)
		}
	}
	// And text the fonts cannot draw: it would be lost from the released letter.
	if fileKind(u.MediaType) == kindText {
		if err := pdf.CheckText(u.Name, string(u.Data)); err != nil {
			return i18n.Errorf(ErrInvalid, "%v", err)
		}
	}
	// And a file of another type that the release could not enclose in its PDF.
	if isEnclosure(u.MediaType) {
		if err := pdf.CheckEnclosure(u.Name, len(u.Data)); err != nil {
			return i18n.Errorf(ErrInvalid, "%s: %v", u.Name, err)
		}
	}
	return nil
}

// checkPages refuses a text letter that lays out on more pages than a release may have
// (pdf.MaxPages): it would be stored, approved and signed, and refused only at its preview,
// copy or release. It is laid out on l's letterhead, undated and unsigned, so a letter within
// a few lines of the limit may still be refused at its release, whose signature block it
// lacks. Other failures to lay it out are left to the preview and the release, as before:
// the fonts it needs and Markdown's nesting are checked by Upload.check.
//
// A text of at most shortText bytes is not laid out: no byte of text or Markdown moves the
// page down by more than about 6 mm (the densest known, empty headings "#\n", 11.5 mm for
// two bytes), so such a text fills at most about a fifth of the limit's 500 pages (103 pages
// of headings, TestShortTextsStayFarBelowThePageLimit), and a busy office's letters do not
// pay a layout (0.4 ms of processor time for 300 bytes) at each upload.
func (r *Registry) checkPages(l *store.Letter, u Upload) error {
	if fileKind(u.MediaType) != kindText || len(u.Data) <= shortText {
		return nil
	}
	if _, err := pdf.Render(u.MediaType, u.Data, r.letterhead(l, time.Time{}, nil)); errors.Is(err, pdf.ErrTooLarge) {
		return i18n.Errorf(ErrInvalid, "%s: %v", u.Name, err)
	}
	return nil
}

// shortText is the longest text letter checkPages does not lay out.
const shortText = 4096

// NewLetter is what a drafter gives to create a letter.
type NewLetter struct {
	Subject    string
	Class      string
	Tags       []string
	Addressees []string
	File       Upload
}

func checkText(what, s string, max int) error {
	if strings.TrimSpace(s) == "" {
		return i18n.Errorf(ErrInvalid, "%s is empty", i18n.Msg(what))
	}
	if len(s) > max || !utf8.ValidString(s) || strings.ContainsAny(s, "\x00\r\n") {
		return i18n.Errorf(ErrInvalid, "%s must be one line of valid UTF-8 of at most %d bytes", i18n.Msg(what), max)
	}
	return checkChars(what, s, false)
}

// checkLabel is checkText for a field the policy's conditions compare (class, tag,
// addressee): a space at either end, of any kind, is refused, since nobody reading the letter
// sees it, while a condition such as `a.matches("@mod\\.example$")` or `"force-posture" in
// letter.tags` misses the field that has it, and the letter leaves under a lesser rule.
func checkLabel(what, s string, max int) error {
	if err := checkText(what, s, max); err != nil {
		return err
	}
	if strings.TrimFunc(s, unicode.IsSpace) != s {
		return i18n.Errorf(ErrInvalid, "%s %q begins or ends with a space: type it again without it", i18n.Msg(what), s)
	}
	return nil
}

// CreateLetter registers a letter with its first version and returns its reference.
func (r *Registry) CreateLetter(ctx context.Context, a Actor, nl NewLetter) (string, error) {
	if err := a.require(RoleDrafter); err != nil {
		return "", err
	}
	if err := checkLabelCounts(nl.Tags, nl.Addressees); err != nil {
		return "", err
	}
	defer r.public.changed() // after the commit, whatever the outcome; a refused caller changes nothing
	nl.Subject, nl.Class, nl.Tags, nl.Addressees = nfc(nl.Subject), nfc(nl.Class), nfcAll(nl.Tags), nfcAll(nl.Addressees)
	nl.Subject = oneSpace(nl.Subject)
	for i, s := range nl.Addressees {
		nl.Addressees[i] = oneSpace(s)
	}
	if err := checkText("subject", nl.Subject, 300); err != nil {
		return "", err
	}
	if err := checkOneScript("subject", nl.Subject); err != nil {
		return "", err
	}
	// The subject and addressees are printed on the letter: refuse now what the fonts
	// cannot draw, rather than at release.
	if err := pdf.CheckText("subject", nl.Subject); err != nil {
		return "", i18n.Errorf(ErrInvalid, "%v", err)
	}
	for _, s := range nl.Addressees {
		if err := pdf.CheckText("addressee", s); err != nil {
			return "", i18n.Errorf(ErrInvalid, "%v", err)
		}
	}
	if err := checkLabel("class", nl.Class, 64); err != nil {
		return "", err
	}
	if err := r.Policy().CheckLabels(nl.Class, nl.Tags); err != nil {
		return "", i18n.Errorf(ErrInvalid, "%v", err)
	}
	if len(nl.Addressees) == 0 {
		return "", i18n.Errorf(ErrInvalid, "a letter needs at least one addressee")
	}
	for i, s := range nl.Addressees {
		if err := checkLabel("addressee", s, 300); err != nil {
			return "", err
		}
		if err := checkOneScript("addressee", s); err != nil {
			return "", err
		}
		// As a tag: an addressee given twice is counted twice by
		// letter.addressees.exists_one(a, …), which then misses it. Capitals are folded as a
		// condition's "(?i)" folds them, and nobody writes to one addressee under two spellings.
		if j := slices.IndexFunc(nl.Addressees[:i], func(t string) bool { return strings.EqualFold(t, s) }); j >= 0 {
			if nl.Addressees[j] == s {
				return "", i18n.Errorf(ErrInvalid, "addressee %q is given twice", s)
			}
			return "", i18n.Errorf(ErrInvalid, "addressees %q and %q differ only in capitals: give the addressee once", nl.Addressees[j], s)
		}
	}
	for i, s := range nl.Tags {
		if err := checkLabel("tag", s, 64); err != nil {
			return "", err
		}
		// A tag given twice reads as once but is counted twice by a condition such as
		// letter.tags.exists_one(t, t == "force-posture"), which it would then miss.
		if slices.Contains(nl.Tags[:i], s) {
			return "", i18n.Errorf(ErrInvalid, "tag %q is given twice", s)
		}
	}
	if err := nl.File.check(); err != nil {
		return "", err
	}
	// The reference is not drawn yet: one of its length stands for it on the letterhead.
	draft := &store.Letter{Reference: fmt.Sprintf("%s-%s-%06d", r.cfg.Office.Prefix, r.local(r.now()).Format("2006"), 0),
		Subject: nl.Subject, Addressees: nl.Addressees}
	if err := r.checkPages(draft, nl.File); err != nil {
		return "", err
	}
	digest := string(seal.DigestOf(nl.File.Data))
	fp, enc, err := versionFingerprint(ctx, nl.File.MediaType, nl.File.Data)
	if err != nil {
		return "", fmt.Errorf("create letter: %w: %v", ErrInvalid, err)
	}
	var ref string
	var index func()
	err = r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		now := r.now()
		year := r.local(now).Format("2006")
		n, err := tx.NextCounter(ctx, "reference:"+r.cfg.Office.Prefix+":"+year)
		if err != nil {
			return err
		}
		ref = fmt.Sprintf("%s-%s-%06d", r.cfg.Office.Prefix, year, n)
		l := &store.Letter{Reference: ref, Subject: nl.Subject, Class: nl.Class, Tags: nl.Tags,
			Addressees: nl.Addressees, AuthorID: a.Member.ID, CreatedAt: now}
		if err := tx.AddLetter(ctx, l); err != nil {
			return err
		}
		if err := tx.PutBlob(ctx, digest, nl.File.Data); err != nil {
			return err
		}
		v := store.Version{LetterID: l.ID, N: 1, Digest: digest, MediaType: nl.File.MediaType, FileName: nl.File.Name,
			Size: int64(len(nl.File.Data)), CreatedBy: a.Member.ID, CreatedAt: now}
		if err := tx.AddVersion(ctx, v); err != nil {
			return err
		}
		if index, err = r.addFingerprint(ctx, tx, l.ID, 1, fp, enc); err != nil {
			return err
		}
		return r.audit(ctx, tx, a, "letter.create", ref, fmt.Sprintf("version 1 %s (%s, %d bytes)", digest, nl.File.MediaType, len(nl.File.Data)))
	})
	if err != nil {
		return "", fmt.Errorf("create letter: %w", err)
	}
	index()
	return ref, nil
}

// Revise adds a new version to a letter that is not released, and returns its number. The new
// version voids every approval and signature of earlier versions, since those are bound to a
// version's digest.
func (r *Registry) Revise(ctx context.Context, a Actor, ref string, file Upload) (int, error) {
	if err := a.require(RoleDrafter); err != nil {
		return 0, err
	}
	defer r.public.changed() // after the commit, whatever the outcome; a refused caller changes nothing
	if err := file.check(); err != nil {
		return 0, err
	}
	if fileKind(file.MediaType) == kindText {
		var l *store.Letter
		err := r.cfg.DB.View(ctx, func(tx *store.Tx) (err error) {
			l, _, err = r.draftLetter(ctx, tx, ref)
			return err
		})
		if err != nil {
			return 0, fmt.Errorf("revise %s: %w", ref, err)
		}
		if err := r.checkPages(l, file); err != nil {
			return 0, err
		}
	}
	digest := string(seal.DigestOf(file.Data))
	fp, enc, err := versionFingerprint(ctx, file.MediaType, file.Data)
	if err != nil {
		return 0, fmt.Errorf("revise %s: %w: %v", ref, ErrInvalid, err)
	}
	var n int
	var index func()
	err = r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		l, vs, err := r.draftLetter(ctx, tx, ref)
		if err != nil {
			return err
		}
		// Approvals and signatures are bound to a version's digest: a revision that brought
		// back an earlier version's bytes would bring back that version's approvals too.
		for _, v := range vs {
			if v.Digest == digest {
				return i18n.Errorf(ErrInvalid, "the file is identical to version %d: a revision must change the letter", v.N)
			}
		}
		n = vs[len(vs)-1].N + 1
		if err := tx.PutBlob(ctx, digest, file.Data); err != nil {
			return err
		}
		v := store.Version{LetterID: l.ID, N: n, Digest: digest, MediaType: file.MediaType, FileName: file.Name,
			Size: int64(len(file.Data)), CreatedBy: a.Member.ID, CreatedAt: r.now()}
		if err := tx.AddVersion(ctx, v); err != nil {
			return err
		}
		if index, err = r.addFingerprint(ctx, tx, l.ID, n, fp, enc); err != nil {
			return err
		}
		return r.audit(ctx, tx, a, "letter.revise", ref, fmt.Sprintf("version %d %s (%s, %d bytes)", n, digest, file.MediaType, len(file.Data)))
	})
	if err != nil {
		return 0, fmt.Errorf("revise %s: %w", ref, err)
	}
	index()
	return n, nil
}

// draftLetter loads a letter that has not been released, with its versions.
func (r *Registry) draftLetter(ctx context.Context, tx *store.Tx, ref string) (*store.Letter, []store.Version, error) {
	l, released, err := tx.LetterReleased(ctx, ref)
	if err != nil {
		return nil, nil, err
	}
	if released {
		return nil, nil, i18n.Errorf(ErrConflict, "%s is already released", ref)
	}
	// A draft erased again at a server's start (EraseLetterAgain): what it said is gone.
	if l.Subject == "" {
		return nil, nil, i18n.Errorf(ErrConflict, "the content of %s was erased", ref)
	}
	vs, err := tx.Versions(ctx, l.ID)
	if err != nil {
		return nil, nil, err
	}
	if len(vs) == 0 {
		return nil, nil, fmt.Errorf("letter %s has no version", ref)
	}
	return l, vs, nil
}

// copyStillLatest checks, in the transaction that records a draft copy made of version n, the
// latest when the copy was asked for, that the letter is still a draft and n its latest
// version: a copy is recorded as a copy of the text it shows. It also checks that a, who
// asked for it, still may (stillActs): the copy leaves only once this transaction commits.
func (r *Registry) copyStillLatest(ctx context.Context, tx *store.Tx, a Actor, ref string, n int) error {
	if err := stillActs(ctx, tx, a); err != nil {
		return err
	}
	_, vs, err := r.draftLetter(ctx, tx, ref)
	if err != nil {
		return err
	}
	if latest := vs[len(vs)-1]; latest.N != n {
		return i18n.Errorf(ErrConflict, "version %d was added while the copy was being made: try again", latest.N)
	}
	return nil
}

// Approve records a reviewer's approval of a version (by default the latest) under the policy
// in force. version, if not empty, is the digest the reviewer read: approving anything but the
// latest version is refused, so an approval can never be carried over to text the reviewer did
// not see.
func (r *Registry) Approve(ctx context.Context, a Actor, ref, version, comment string) error {
	_, err := r.decide(ctx, a, ref, version, "approve", comment, false)
	return err
}

// Reject records a reviewer's rejection, with a comment.
func (r *Registry) Reject(ctx context.Context, a Actor, ref, version, comment string) error {
	// The caller first: an anonymous or wrong-role caller is told so, not that the comment is
	// missing.
	if err := a.require(RoleReviewer); err != nil {
		return err
	}
	if strings.TrimSpace(comment) == "" {
		return i18n.Errorf(ErrInvalid, "a rejection needs a comment")
	}
	_, err := r.decide(ctx, a, ref, version, "reject", comment, false)
	return err
}

// decide records a reviewer's decision; withView, it also returns the letter's view as of the
// decision (actionview.go).
func (r *Registry) decide(ctx context.Context, a Actor, ref, version, decision, comment string, withView bool) (*LetterView, error) {
	if err := a.require(RoleReviewer); err != nil {
		return nil, err
	}
	if len(comment) > 4000 || !utf8.ValidString(comment) {
		return nil, i18n.Errorf(ErrInvalid, "the comment must be valid UTF-8 of at most 4000 bytes")
	}
	if err := checkChars("the comment", comment, true); err != nil {
		return nil, err
	}
	var view actionView
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		// The reviewer as stored now, not as the request was authenticated: a member disabled
		// meanwhile decides nothing (their approvals were voided with the disablement), nor
		// one whose reviewer role was taken.
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		l, vs, err := r.draftLetter(ctx, tx, ref)
		if err != nil {
			return err
		}
		latest := vs[len(vs)-1]
		if version != "" {
			d, err := seal.ParseDigest(version)
			if err != nil {
				return i18n.Errorf(ErrInvalid, "%v", err)
			}
			if string(d) != latest.Digest {
				return i18n.Errorf(ErrConflict, "%s is not the latest version of %s (version %d is %s): read the latest version first",
					d, ref, latest.N, latest.Digest)
			}
		}
		if drafted(l, vs, a.Member.ID) && decision == "approve" {
			return i18n.Errorf(ErrForbidden, "%s drafted %s and cannot approve it", a.Member.Name, ref)
		}
		if decision == "approve" {
			// An approval under a policy that does not compile could never count: the next
			// adoption sets it aside. A rejection is recorded: it withdraws an approval.
			if err := gateClosed(r.Policy()); err != nil {
				return err
			}
			if err := r.notApprovedYet(ctx, tx, l, vs, r.inForce.Load(), a.Member); err != nil {
				return err
			}
		}
		err = tx.AddApproval(ctx, store.Approval{LetterID: l.ID, VersionDigest: latest.Digest, PolicyDigest: string(r.Policy().Digest),
			MemberID: a.Member.ID, Role: RoleReviewer, Decision: decision, Comment: comment, CreatedAt: r.now()})
		if err != nil {
			return err
		}
		detail := fmt.Sprintf("version %d %s", latest.N, latest.Digest)
		if comment != "" {
			detail += ": " + comment
		}
		if err := r.audit(ctx, tx, a, "letter."+decision, ref, detail); err != nil {
			return err
		}
		view.read(ctx, r, tx, l, vs, withView)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", decision, ref, err)
	}
	return view.get(ctx, r, a, ref, withView)
}

// notApprovedYet refuses a second approval of the latest version of l by a member whose last
// decision on it, since the policy in force was adopted, was an approval: it would count for
// nothing, and says so. An approval from before the adoption does not count (see evidence):
// the member approves again. So does one too old to count (max_approval_age), which the gate
// tells them to renew.
func (r *Registry) notApprovedYet(ctx context.Context, tx *store.Tx, l *store.Letter, vs []store.Version, epoch *inForce, m *store.Member) error {
	v := vs[len(vs)-1]
	aps, err := tx.Approvals(ctx, l.ID)
	if err != nil {
		return err
	}
	// The member's latest decision on the version, as gather weighs it: a later rejection of
	// any policy withdraws an approval, which may then be given again.
	var last *store.Approval
	for i, ap := range aps {
		if ap.MemberID == m.ID && ap.VersionDigest == v.Digest {
			last = &aps[i]
		}
	}
	if last == nil || last.Decision != "approve" || last.PolicyDigest != string(epoch.pol.Digest) || last.ID <= epoch.approvalsAfter {
		return nil
	}
	stale, err := r.tooOld(ctx, tx, l, vs, last)
	if err != nil || stale {
		return err
	}
	return i18n.Errorf(ErrConflict, "%s already approved version %d", m.Name, v.N)
}

// tooOld reports whether the approval ap of the latest version of l no longer counts for its
// age under the rules that apply to l, at the time the gate measures it (gatherRows): older
// than their max_approval_age, or dated beyond policy.MaxClockSkew after that time.
func (r *Registry) tooOld(ctx context.Context, tx *store.Tx, l *store.Letter, vs []store.Version, ap *store.Approval) (bool, error) {
	ev, err := r.gather(ctx, tx, l, vs)
	if err != nil {
		return false, err
	}
	d := ev.pol.Decide(ev.facts, policy.Evidence{Now: ev.policy.Now})
	if d.MaxApprovalAge == "" {
		return false, nil
	}
	limit, err := time.ParseDuration(d.MaxApprovalAge)
	if err != nil {
		return false, fmt.Errorf("the policy's max_approval_age %q: %w", d.MaxApprovalAge, err)
	}
	now := ev.policy.Now
	return now.Sub(ap.CreatedAt) > limit || ap.CreatedAt.Sub(now) > policy.MaxClockSkew, nil
}

// signingStatement builds the statement signers sign for the latest version of l.
func (r *Registry) signingStatement(l *store.Letter, v store.Version, pol seal.Digest) seal.SigningStatement {
	return seal.SigningStatement{
		Office:    r.cfg.Office.Name,
		Letter:    letterMeta(l),
		Version:   v.N,
		Digest:    seal.Digest(v.Digest),
		MediaType: v.MediaType,
		Policy:    pol,
	}
}

func letterMeta(l *store.Letter) seal.Letter {
	return seal.Letter{Reference: l.Reference, Subject: l.Subject, Class: l.Class,
		Tags: nonNil(l.Tags), Addressees: nonNil(l.Addressees)}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// SigningStatement returns the exact bytes a signer signs for the latest version of ref, with
// their payload type: the DSSE PAE of these is what `chancery sign` signs locally.
func (r *Registry) SigningStatement(ctx context.Context, a Actor, ref string) ([]byte, error) {
	return r.SigningStatementOf(ctx, a, ref, "")
}

// SigningStatementOf is SigningStatement for the version with digest version, the one the
// signer is shown (empty: the latest): a version that is no longer the latest is refused
// (ErrConflict), so that a page never offers to sign text it does not show.
func (r *Registry) SigningStatementOf(ctx context.Context, a Actor, ref, version string) ([]byte, error) {
	if err := a.require(RoleSigner); err != nil {
		return nil, err
	}
	var out []byte
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		l, vs, err := r.draftLetter(ctx, tx, ref)
		if err != nil {
			return err
		}
		latest := vs[len(vs)-1]
		if err := latestShown(ref, latest, version); err != nil {
			return err
		}
		if err := gateClosed(r.Policy()); err != nil {
			return err
		}
		out = seal.Marshal(r.signingStatement(l, latest, r.Policy().Digest))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("signing statement for %s: %w", ref, err)
	}
	return out, nil
}

// Sign records a signer's signature over the signing statement of the latest version. The
// statement is the one the signer signed: if the letter changed since they fetched it, the
// signature no longer verifies against the current statement and is refused.
func (r *Registry) Sign(ctx context.Context, a Actor, ref, keyID string, statement, sig []byte) error {
	_, err := r.sign(ctx, a, ref, keyID, statement, sig, false)
	return err
}

// sign records a signature; withView, it also returns the letter's view as of the signature
// (actionview.go).
func (r *Registry) sign(ctx context.Context, a Actor, ref, keyID string, statement, sig []byte, withView bool) (*LetterView, error) {
	if err := a.require(RoleSigner); err != nil {
		return nil, err
	}
	var view actionView
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		// As for a withdrawal: the signer's keys are revoked only after the commit that
		// disabled them or took their role.
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		l, vs, err := r.draftLetter(ctx, tx, ref)
		if err != nil {
			return err
		}
		latest := vs[len(vs)-1]
		epoch := r.inForce.Load()
		if err := gateClosed(epoch.pol); err != nil {
			return err
		}
		pol := epoch.pol.Digest
		want := seal.Marshal(r.signingStatement(l, latest, pol))
		if string(statement) != string(want) {
			return i18n.Errorf(ErrConflict, "the signed statement is not the current one for %s (it changed, or was made for another letter or version): fetch it again", ref)
		}
		if drafted(l, vs, a.Member.ID) {
			return i18n.Errorf(ErrForbidden, "%s drafted %s and cannot sign it", a.Member.Name, ref)
		}
		if _, err := checkSignature(ctx, tx, a, keyID, seal.SigningPayloadType, statement, sig); err != nil {
			return err
		}
		sigs, err := tx.Signatures(ctx, l.ID)
		if err != nil {
			return err
		}
		// As gather weighs them: a signature bound to another policy's digest (recorded by a
		// server that had not loaded the policy in force yet) counts for nothing, and the gate
		// says to sign again.
		for _, s := range sigs {
			if s.VersionDigest == latest.Digest && s.KeyID == keyID && s.PolicyDigest == string(pol) && s.ID > epoch.signaturesAfter {
				return i18n.Errorf(ErrConflict, "key %s has already signed version %d under this policy", keyID, latest.N)
			}
		}
		err = tx.AddSignature(ctx, store.SignatureRow{LetterID: l.ID, VersionDigest: latest.Digest, PolicyDigest: string(pol),
			MemberID: a.Member.ID, KeyID: keyID, Sig: sig, CreatedAt: r.now()})
		if err != nil {
			return err
		}
		if err := r.audit(ctx, tx, a, "letter.sign", ref, fmt.Sprintf("version %d %s with key %s", latest.N, latest.Digest, keyID)); err != nil {
			return err
		}
		view.read(ctx, r, tx, l, vs, withView)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sign %s: %w", ref, err)
	}
	return view.get(ctx, r, a, ref, withView)
}

// authors returns the members who drafted a letter: its creator and every version's author.
func authors(l *store.Letter, vs []store.Version) []int64 {
	out := []int64{l.AuthorID}
	for _, v := range vs {
		if !slices.Contains(out, v.CreatedBy) {
			out = append(out, v.CreatedBy)
		}
	}
	return out
}

// drafted reports whether member id drafted the letter or any of its versions: they may not
// approve or sign it.
func drafted(l *store.Letter, vs []store.Version, id int64) bool {
	return slices.Contains(authors(l, vs), id)
}

// checkSignature checks that sig is the actor's signature over the DSSE PAE of statement with
// their registered, unrevoked key keyID, and returns the key.
func checkSignature(ctx context.Context, tx *store.Tx, a Actor, keyID, payloadType string, statement, sig []byte) ([]byte, error) {
	k, err := tx.SignerKey(ctx, keyID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, i18n.Errorf(ErrInvalid, "key %s is not registered", keyID)
	}
	if err != nil {
		return nil, err
	}
	if k.MemberID != a.Member.ID {
		return nil, i18n.Errorf(ErrForbidden, "key %s belongs to another member", keyID)
	}
	if k.Revoked() {
		return nil, i18n.Errorf(ErrForbidden, "key %s was revoked (log entry %d)", keyID, k.RevokedIndex)
	}
	if !verifyPAE(k.PublicKey, payloadType, statement, sig) {
		return nil, i18n.Errorf(ErrInvalid, "the signature does not verify with key %s", keyID)
	}
	return k.PublicKey, nil
}

func verifyPAE(pub []byte, payloadType string, payload, sig []byte) bool {
	e := &dsse.Envelope{PayloadType: payloadType, Payload: payload, Signatures: []dsse.Signature{{Sig: sig}}}
	return len(pub) == 32 && e.Verify(pub) == nil
}

// Evidence gathers, for the latest version of a letter, the approvals and signatures that are
// bound to that version and to the policy in force, and whose signer keys are not revoked.
type evidence struct {
	letter     *store.Letter
	version    store.Version
	approvals  []store.Approval
	signatures []store.SignatureRow
	members    map[int64]*store.Member
	notes      []i18n.Message
	policy     policy.Evidence
	facts      policy.Facts
	pol        *policy.Policy // the policy in force when the evidence was gathered
	epoch      *inForce       // and its adoption
}

func (r *Registry) gather(ctx context.Context, tx *store.Tx, l *store.Letter, vs []store.Version) (*evidence, error) {
	rows, err := loadRows(ctx, tx, l)
	if err != nil {
		return nil, err
	}
	return r.gatherRows(ctx, tx, l, vs, rows)
}

// letterRows are a letter's approvals, signatures and the members it names, read once in a
// transaction for both its view and its evidence.
type letterRows struct {
	approvals  []store.Approval
	signatures []store.SignatureRow
	members    map[int64]*store.Member
}

func loadRows(ctx context.Context, tx *store.Tx, l *store.Letter) (*letterRows, error) {
	var rows letterRows
	var err error
	if rows.members, err = tx.LetterMembers(ctx, l.ID); err != nil {
		return nil, err
	}
	if rows.approvals, err = tx.Approvals(ctx, l.ID); err != nil {
		return nil, err
	}
	if rows.signatures, err = tx.Signatures(ctx, l.ID); err != nil {
		return nil, err
	}
	return &rows, nil
}

// gatherRows is gather with the letter's rows already read in tx. It adds to rows.members
// any member it has to read.
func (r *Registry) gatherRows(ctx context.Context, tx *store.Tx, l *store.Letter, vs []store.Version, rows *letterRows) (*evidence, error) {
	epoch := r.inForce.Load()
	ev := &evidence{letter: l, version: vs[len(vs)-1], members: rows.members, pol: epoch.pol, epoch: epoch}
	// Approvals' ages are measured from a time the witnesses vouch for, when this clock
	// reads earlier: stepped back, it would make them look younger than they are.
	ev.policy.Now = r.witnessedNow()
	member := func(id int64) (*store.Member, error) {
		if m, ok := ev.members[id]; ok {
			return m, nil
		}
		m, err := tx.MemberByID(ctx, id)
		if err != nil {
			return nil, err
		}
		ev.members[id] = m
		return m, nil
	}
	var err error
	if ev.facts, err = r.letterFacts(l, ev.version, vs, member); err != nil {
		return nil, err
	}
	// A reviewer's latest decision on the version is the one that counts, whatever policy the
	// server that recorded it had in memory: a rejection recorded by a server that had not yet
	// loaded the policy in force still withdraws the reviewer's earlier approval. Only then
	// does an approval from before the adoption stop counting.
	last := map[int64]store.Approval{}
	var order []int64
	for _, ap := range rows.approvals {
		if ap.VersionDigest != ev.version.Digest {
			continue
		}
		if _, ok := last[ap.MemberID]; !ok {
			order = append(order, ap.MemberID)
		}
		last[ap.MemberID] = ap
	}
	for _, id := range order {
		ap := last[id]
		if voided(ap.Role) {
			m, err := member(id)
			if err != nil {
				return nil, err
			}
			switch {
			case ap.Role == rolesTakenRole:
				ev.notes = append(ev.notes, i18n.Msg("the approval by %s does not count: %s's roles were taken away since; %s approves again to count", m.Name, m.Name, m.Name))
			case ap.Role == newTokenRole:
				ev.notes = append(ev.notes, i18n.Msg("the approval by %s does not count: %s was given a new token since; %s approves again to count", m.Name, m.Name, m.Name))
			case m.Disabled():
				ev.notes = append(ev.notes, i18n.Msg("the approval by %s does not count: %s is disabled", m.Name, m.Name))
			default:
				ev.notes = append(ev.notes, i18n.Msg("the approval by %s does not count: %s was disabled since; %s approves again to count", m.Name, m.Name, m.Name))
			}
			continue
		}
		if ap.Decision != "approve" {
			continue
		}
		m, err := member(id)
		if err != nil {
			return nil, err
		}
		// Each note names whose evidence must be given again, and why.
		if ap.ID <= epoch.approvalsAfter {
			ev.notes = append(ev.notes, i18n.Msg("the approval by %s was given before the policy in force was adopted and does not count: %s approves again", m.Name, m.Name))
			continue
		}
		if ap.PolicyDigest != string(ev.pol.Digest) {
			ev.notes = append(ev.notes, i18n.Msg("the approval by %s was recorded under another policy than the one in force (by a server that had not loaded it yet) and does not count: %s approves again", m.Name, m.Name))
			continue
		}
		if m.Disabled() {
			ev.notes = append(ev.notes, i18n.Msg("the approval by %s does not count: %s is disabled", m.Name, m.Name))
			continue
		}
		// Only reviewers approve, and an approval counts while its giver still is one: a
		// requirement on a group, or on another role they keep, does not look at the role.
		if !m.HasRole(RoleReviewer) {
			ev.notes = append(ev.notes, i18n.Msg("the approval by %s does not count: %s no longer holds the %s role", m.Name, m.Name, RoleReviewer))
			continue
		}
		ev.approvals = append(ev.approvals, ap)
		ev.policy.Approvals = append(ev.policy.Approvals, policy.Actor{Name: m.Name, Roles: m.Roles, At: ap.CreatedAt})
	}
	seen := map[int64]bool{}
	for _, s := range rows.signatures {
		if s.VersionDigest != ev.version.Digest {
			continue
		}
		m, err := member(s.MemberID)
		if err != nil {
			return nil, err
		}
		if s.ID <= epoch.signaturesAfter {
			ev.notes = append(ev.notes, i18n.Msg("the signature by %s was given before the policy in force was adopted and does not count: %s signs again", m.Name, m.Name))
			continue
		}
		if s.PolicyDigest != string(ev.pol.Digest) {
			ev.notes = append(ev.notes, i18n.Msg("the signature by %s was recorded under another policy than the one in force (by a server that had not loaded it yet) and does not count: %s signs again", m.Name, m.Name))
			continue
		}
		k, err := tx.SignerKey(ctx, s.KeyID)
		if err != nil {
			return nil, err
		}
		if m.Disabled() {
			ev.notes = append(ev.notes, i18n.Msg("the signature by %s does not count: %s is disabled", m.Name, m.Name))
			continue
		}
		// As for approvals: a signature counts while its signer holds the signer role, also
		// toward a signer group, which names people whatever their roles.
		if !m.HasRole(RoleSigner) {
			ev.notes = append(ev.notes, i18n.Msg("the signature by %s does not count: %s no longer holds the %s role", m.Name, m.Name, RoleSigner))
			continue
		}
		if k.Revoked() {
			ev.notes = append(ev.notes, i18n.Msg("the signature by %s does not count: key %s was revoked", m.Name, s.KeyID))
			continue
		}
		ev.signatures = append(ev.signatures, s)
		if !seen[m.ID] {
			seen[m.ID] = true
			ev.policy.Signatures = append(ev.policy.Signatures, policy.Actor{Name: m.Name, Roles: m.Roles, At: s.CreatedAt})
		}
	}
	return ev, nil
}

// letterFacts returns what the policy's conditions see of the letter l at its version v,
// where vs are its versions up to v (their authors drafted it); member reads a member.
func (r *Registry) letterFacts(l *store.Letter, v store.Version, vs []store.Version, member func(int64) (*store.Member, error)) (policy.Facts, error) {
	creator, err := member(l.AuthorID)
	if err != nil {
		return policy.Facts{}, err
	}
	f := policy.Facts{Reference: l.Reference, Class: l.Class, Tags: l.Tags, Addressees: l.Addressees,
		Subject: l.Subject, Office: r.cfg.Office.Name, MediaType: v.MediaType, Size: v.Size, Author: creator.Name}
	for _, id := range authors(l, vs) {
		m, err := member(id)
		if err != nil {
			return policy.Facts{}, err
		}
		f.Authors = append(f.Authors, m.Name)
	}
	return f, nil
}

// decision evaluates the policy for the letter's latest version.
func (r *Registry) decision(ev *evidence) *policy.Decision {
	d := ev.pol.Decide(ev.facts, ev.policy)
	for _, n := range ev.notes {
		d.AddNote(n)
	}
	for _, n := range storedLabelProblems(ev.facts.Subject, ev.facts.Tags, ev.facts.Addressees) {
		d.Allowed = false
		d.AddNote(n)
	}
	return d
}
