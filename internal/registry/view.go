package registry

import (
	"context"
	"errors"
	"fmt"
	"github.com/chancery/chancery/internal/cosigned"
	"github.com/chancery/chancery/internal/i18n"
	"time"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// LetterView is everything a member sees of a letter.
type LetterView struct {
	Reference  string           `json:"reference"`
	Subject    string           `json:"subject"`
	Class      string           `json:"class"`
	Tags       []string         `json:"tags"`
	Addressees []string         `json:"addressees"`
	Author     string           `json:"author"`
	CreatedAt  time.Time        `json:"created_at"`
	State      string           `json:"state"` // draft, released, retracted, superseded
	Versions   []VersionView    `json:"versions"`
	Approvals  []DecisionView   `json:"approvals"`
	Signatures []SignatureView  `json:"signatures"`
	Decision   *policy.Decision `json:"decision,omitempty"` // for a draft: what the release needs
	Release    *ReleaseView     `json:"release,omitempty"`
	Withdrawal *WithdrawalView  `json:"withdrawal,omitempty"`
	// DraftErased says the letter is a draft whose content was erased: a database restored
	// from a backup taken before its release held it as a draft, and the server erased it
	// again (EraseLetterAgain). It has no decision: it can no longer be released. A
	// released letter's erasure is Release.ErasedAt.
	DraftErased bool `json:"draft_erased,omitempty"`
}

// VersionView is one version.
type VersionView struct {
	N         int       `json:"n"`
	Digest    string    `json:"digest"`
	MediaType string    `json:"media_type"`
	FileName  string    `json:"file_name"`
	Size      int64     `json:"size"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
}

// DecisionView is an approval or rejection.
type DecisionView struct {
	Member   string    `json:"member"`
	Decision string    `json:"decision"`
	Version  string    `json:"version_digest"`
	Policy   string    `json:"policy_digest"`
	Comment  string    `json:"comment"`
	At       time.Time `json:"at"`
}

// SignatureView is a signature.
type SignatureView struct {
	Member  string    `json:"member"`
	KeyID   string    `json:"keyid"`
	Version string    `json:"version_digest"`
	At      time.Time `json:"at"`
}

// ReleaseView is a release.
type ReleaseView struct {
	Version    int       `json:"version"`
	FileDigest string    `json:"file_digest"`
	FileName   string    `json:"file_name"`
	LogIndex   int64     `json:"log_index"`
	By         string    `json:"by"`
	At         time.Time `json:"at"`
	// ErasedAt is when the letter's content was erased (Erase), nil if it was not: its
	// subject, addressees, tags, files and reasons are empty, its file and seal gone.
	ErasedAt *time.Time `json:"erased_at,omitempty"`
}

// WithdrawalView is a retraction or supersession.
type WithdrawalView struct {
	Kind     string    `json:"kind"`
	By       string    `json:"superseded_by,omitempty"`
	Reason   string    `json:"reason"`
	LogIndex int64     `json:"log_index"`
	Member   string    `json:"member"`
	At       time.Time `json:"at"`
}

// Letter returns a member's view of ref.
func (r *Registry) Letter(ctx context.Context, a Actor, ref string) (*LetterView, error) {
	if err := a.requireSomeRole(); err != nil {
		return nil, err
	}
	var v *LetterView
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		v, err = r.letterView(ctx, tx, ref)
		return err
	})
	if err != nil {
		return nil, wrapOnce("letter "+ref, err)
	}
	return v, nil
}

func (r *Registry) letterView(ctx context.Context, tx *store.Tx, ref string) (*LetterView, error) {
	l, err := tx.LetterByRef(ctx, ref)
	if err != nil {
		return nil, err
	}
	return r.viewOf(ctx, tx, l, nil)
}

// viewOf is the view of letter l in tx. vs, if not nil, are its versions read in tx by
// draftLetter, which also found it unreleased; nil, they and its release are read here.
func (r *Registry) viewOf(ctx context.Context, tx *store.Tx, l *store.Letter, vs []store.Version) (*LetterView, error) {
	draft := vs != nil
	rows, err := loadRows(ctx, tx, l)
	if err != nil {
		return nil, err
	}
	name := func(id int64) string {
		if m := rows.members[id]; m != nil {
			return m.Name
		}
		return fmt.Sprintf("member %d", id)
	}
	v := &LetterView{Reference: l.Reference, Subject: l.Subject, Class: l.Class, Tags: nonNil(l.Tags),
		Addressees: nonNil(l.Addressees), Author: name(l.AuthorID), CreatedAt: l.CreatedAt, State: "draft"}
	if !draft {
		if vs, err = tx.Versions(ctx, l.ID); err != nil {
			return nil, err
		}
	}
	for _, x := range vs {
		v.Versions = append(v.Versions, VersionView{N: x.N, Digest: x.Digest, MediaType: x.MediaType, FileName: x.FileName, Size: x.Size, By: name(x.CreatedBy), At: x.CreatedAt})
	}
	// An approval voided when its giver was disabled or lost the reviewer role (voidApprovals:
	// the member's decision just before the void on that version) is shown with neither itself nor
	// the void: it counts for nothing, and the void is not the member's rejection. The
	// decision's notes and the audit trail say what happened.
	hidden := map[int]bool{}
	for i, ap := range rows.approvals {
		if !voided(ap.Role) {
			continue
		}
		hidden[i] = true
		for j := i - 1; j >= 0; j-- {
			if p := rows.approvals[j]; p.MemberID == ap.MemberID && p.VersionDigest == ap.VersionDigest {
				hidden[j] = true
				break
			}
		}
	}
	for i, ap := range rows.approvals {
		if hidden[i] {
			continue
		}
		v.Approvals = append(v.Approvals, DecisionView{Member: name(ap.MemberID), Decision: ap.Decision, Version: ap.VersionDigest, Policy: ap.PolicyDigest, Comment: ap.Comment, At: ap.CreatedAt})
	}
	for _, s := range rows.signatures {
		v.Signatures = append(v.Signatures, SignatureView{Member: name(s.MemberID), KeyID: s.KeyID, Version: s.VersionDigest, At: s.CreatedAt})
	}
	var rel *store.Release
	err = store.ErrNotFound // a draft's, as draftLetter found
	if !draft {
		rel, err = tx.ReleaseOf(ctx, l.ID)
	}
	switch {
	case err == nil:
		v.State = "released"
		v.Release = &ReleaseView{Version: rel.VersionN, FileDigest: rel.FileDigest, FileName: rel.FileName, LogIndex: rel.LogIndex, By: name(rel.ReleasedBy), At: rel.ReleasedAt}
		if !rel.ErasedAt.IsZero() {
			at := rel.ErasedAt
			v.Release.ErasedAt = &at
		}
		w, err := tx.WithdrawalOf(ctx, l.ID)
		if err == nil {
			v.State = w.Kind
			if w.Kind == Retraction {
				v.State = "retracted"
			} else {
				v.State = "superseded"
			}
			wv := &WithdrawalView{Kind: w.Kind, Reason: w.Reason, LogIndex: w.LogIndex, Member: name(w.MemberID), At: w.CreatedAt}
			if w.ByLetter != 0 {
				bl, err := tx.LetterByID(ctx, w.ByLetter)
				if err != nil {
					return nil, err
				}
				wv.By = bl.Reference
			}
			v.Withdrawal = wv
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	case errors.Is(err, store.ErrNotFound) && l.Subject == "":
		v.DraftErased = true
	case errors.Is(err, store.ErrNotFound):
		ev, err := r.gatherRows(ctx, tx, l, vs, rows)
		if err != nil {
			return nil, err
		}
		v.Decision = r.decision(ev)
	default:
		return nil, err
	}
	return v, nil
}

// ReleasedFile returns the released bytes of ref to a member with a role, or to whoever
// presents the letter's check code. Released letters are not public: to anyone else the
// letter is not found, whether or not it exists. An erased letter's file is gone. Requests
// for one file at once get the same bytes (sharedFiles): callers must not change them.
func (r *Registry) ReleasedFile(ctx context.Context, a Actor, ref, code string) ([]byte, *store.Release, error) {
	var data []byte
	var rel *store.Release
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if rel, err = r.heldRelease(ctx, tx, a, ref, code); err != nil {
			return err
		}
		if data = r.files.get(rel.FileDigest); data != nil {
			return nil
		}
		if data, err = tx.Blob(ctx, rel.FileDigest); err == nil {
			r.files.put(rel.FileDigest, data)
		}
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("released file of %s: %w", ref, err)
	}
	return data, rel, nil
}

// heldRelease returns the release of ref if a is a member with a role or code is its check
// code, ErrNotFound otherwise, and ErrGone for an erased letter.
func (r *Registry) heldRelease(ctx context.Context, tx *store.Tx, a Actor, ref, code string) (*store.Release, error) {
	// One answer for a reference never used, a draft's, and a released letter's without its
	// code: the public must not learn which references are drafts.
	notHeld := fmt.Errorf("%w: no released letter of this office that you hold has this reference (give the check code printed on the letter)", store.ErrNotFound)
	l, err := tx.LetterByRef(ctx, canonicalReference(ref))
	if errors.Is(err, store.ErrNotFound) {
		return nil, notHeld
	}
	if err != nil {
		return nil, err
	}
	rel, err := tx.ReleaseOf(ctx, l.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notHeld
	}
	if err != nil {
		return nil, err
	}
	member := a.Member != nil && len(a.Member.Roles) > 0
	if !member && !checkCodeMatches(rel.CheckCodeHash, code) {
		return nil, notHeld
	}
	if !rel.ErasedAt.IsZero() {
		return nil, i18n.Errorf(ErrGone, "the content of %s was erased on %s", ref, r.day(rel.ErasedAt))
	}
	return rel, nil
}

// Seal returns a fresh seal for the released letter ref, against the latest checkpoint, to a
// member with a role or to whoever presents its check code.
func (r *Registry) Seal(ctx context.Context, a Actor, ref, code string) (*seal.Seal, error) {
	var rel *store.Release
	var stmt *seal.ReleaseStatement
	var o *seal.Opening
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if rel, err = r.heldRelease(ctx, tx, a, ref, code); err != nil {
			return err
		}
		stmt, o, err = releaseStatement(ctx, tx, rel)
		if err == nil && stmt == nil {
			err = i18n.Errorf(ErrGone, "the content of %s was erased", ref)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("seal of %s: %w", ref, err)
	}
	return r.sealFor(ctx, rel.LogIndex, rel.Entry, o, stmt)
}

// DraftCopy is a draft handed out for coordination.
type DraftCopy struct {
	Reference string
	Version   int
	Recipient string
	FileName  string
	MediaType string
	Digest    string
	Data      []byte
}

// ExportDraft hands out the latest version of an unreleased letter for coordination with
// recipient, and records who exported which version, for whom, when and with what digest, so
// that the copy verifies as a draft.
func (r *Registry) ExportDraft(ctx context.Context, a Actor, ref, recipient string) (*DraftCopy, error) {
	return r.exportCopy(ctx, a, ref, 0, "", recipient)
}

// ExportDraftVersion is ExportDraft for the version with digest version, the one the member
// read (empty: the latest). A version that is no longer the latest is refused, so that a
// coordination copy never carries text added after the member last looked.
func (r *Registry) ExportDraftVersion(ctx context.Context, a Actor, ref, version, recipient string) (*DraftCopy, error) {
	return r.exportCopy(ctx, a, ref, 0, version, recipient)
}

// ExportVersion is ExportDraft for version n of an unreleased letter (0: the latest): a member
// reading an earlier version gets a marked, recorded copy of it too. No version leaves the
// registry unmarked.
func (r *Registry) ExportVersion(ctx context.Context, a Actor, ref string, n int, recipient string) (*DraftCopy, error) {
	return r.exportCopy(ctx, a, ref, n, "", recipient)
}

// exportCopy is ExportVersion; with n 0 and a digest in shown, that digest must be the
// latest version's (latestShown).
func (r *Registry) exportCopy(ctx context.Context, a Actor, ref string, n int, shown, recipient string) (*DraftCopy, error) {
	if err := a.require(RoleDrafter, RoleReviewer, RoleSigner); err != nil {
		return nil, err
	}
	defer r.public.changed() // after the commit, whatever the outcome; a refused caller changes nothing
	if err := checkText("recipient", recipient, 300); err != nil {
		return nil, err
	}
	// Printed on the copy's line: refused here rather than failing the watermark.
	if err := pdf.CheckText("recipient", recipient); err != nil {
		return nil, i18n.Errorf(ErrInvalid, "%v", err)
	}
	// The copy is made outside the write transaction (watermarking takes milliseconds); the
	// transaction then checks that the version is still the latest before recording it.
	var (
		l    *store.Letter
		v    store.Version
		data []byte
	)
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var vs []store.Version
		var err error
		if l, vs, err = r.draftLetter(ctx, tx, ref); err != nil {
			return err
		}
		if n < 0 || n > len(vs) {
			return i18n.Errorf(ErrNotFound, "%s has no version %d", ref, n)
		}
		v = vs[len(vs)-1]
		if n > 0 {
			v = vs[n-1]
		} else if err := latestShown(ref, v, shown); err != nil {
			return err
		}
		data, err = tx.Blob(ctx, v.Digest)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("export draft of %s: %w", ref, err)
	}
	now := r.now()
	file, name, mediaType, err := r.draftFile(l, v, data, pdf.DraftMark{Recipient: recipient, Reference: ref,
		Version: v.N, Exported: now, Member: a.Member.Name})
	if err != nil {
		return nil, fmt.Errorf("export draft of %s: %w", ref, err)
	}
	digest := string(seal.DigestOf(file))
	err = r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		// The copy leaves only once this commits: whoever asked must still be allowed to.
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		_, vs, err := r.draftLetter(ctx, tx, ref)
		if err != nil {
			return err
		}
		if latest := vs[len(vs)-1]; n == 0 && latest.N != v.N {
			return i18n.Errorf(ErrConflict, "version %d was added while the copy was being made: try again", latest.N)
		}
		if err := tx.AddDraftExport(ctx, store.DraftExport{LetterID: l.ID, VersionN: v.N, Recipient: recipient, Digest: digest, MemberID: a.Member.ID, CreatedAt: now}); err != nil {
			return err
		}
		return r.audit(ctx, tx, a, "draft.export", ref, fmt.Sprintf("version %d %s for %s", v.N, digest, recipient))
	})
	if err != nil {
		return nil, fmt.Errorf("export draft of %s: %w", ref, err)
	}
	return &DraftCopy{Reference: ref, Version: v.N, Recipient: recipient, FileName: name, MediaType: mediaType, Digest: digest, Data: file}, nil
}

// Audit returns the audit trail of ref.
func (r *Registry) Audit(ctx context.Context, a Actor, ref string) ([]store.AuditEvent, error) {
	if err := a.requireSomeRole(); err != nil {
		return nil, err
	}
	var out []store.AuditEvent
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		if _, err := tx.LetterByRef(ctx, ref); err != nil {
			return err
		}
		var err error
		out, err = tx.AuditEvents(ctx, ref)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("audit of %s: %w", ref, err)
	}
	return out, nil
}

// OfficeAudit returns the office's audit events that name no letter (admins): changes of
// members, tokens, policy, witnesses, recipients and webhook endpoints, newest first, at most
// limit (1 to 1000) of those before the event ID before (0: from the newest).
func (r *Registry) OfficeAudit(ctx context.Context, a Actor, before int64, limit int) ([]store.AuditEvent, error) {
	if err := a.require(RoleAdmin); err != nil {
		return nil, err
	}
	if limit < 1 || limit > 1000 || before < 0 {
		return nil, i18n.Errorf(ErrInvalid, "the office's audit trail is read 1 to 1000 events at a time, before an event's ID")
	}
	var out []store.AuditEvent
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.OfficeAuditEvents(ctx, before, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("the office's audit trail: %w", err)
	}
	return out, nil
}

// TrustRoot returns the trust root verifiers pin for this office.
func (r *Registry) TrustRoot() *seal.TrustRoot {
	return r.trustRootOf(r.history.Load(), r.witnessConfig())
}

// witnessConfig is the witnesses and quorum in force, nil without witnesses.
func (r *Registry) witnessConfig() *cosigned.Config {
	if r.cfg.Heads == nil {
		return nil
	}
	return r.cfg.Heads.Config()
}

// trustRootOf is the trust root of the office key history h (as LoadOfficeKeys read it, nil
// for none) and the witnesses' configuration wc (nil for none).
func (r *Registry) trustRootOf(h *[]seal.OfficeKey, wc *cosigned.Config) *seal.TrustRoot {
	t := &seal.TrustRoot{
		Office:     r.cfg.Office.Name,
		BaseURL:    r.cfg.Office.URL,
		LogOrigin:  r.cfg.LogOrigin,
		LogKey:     r.cfg.LogKey,
		OfficeKeys: r.officeKeysOf(h),
		Witnesses:  []string{},
	}
	if wc != nil {
		for _, w := range wc.Witnesses {
			t.Witnesses = append(t.Witnesses, w.VKey)
		}
		t.WitnessQuorum = wc.Quorum
	}
	return t
}

// trustFile is the trust root's file and fingerprint, made of the office key history and the
// witnesses' configuration it names: each is replaced, never changed in place, when the office
// rotates its key (LoadOfficeKeys) or changes its witnesses (cosigned.Heads), so that the same
// two pointers mean the same file.
type trustFile struct {
	history     *[]seal.OfficeKey
	witnesses   *cosigned.Config
	b           []byte
	fingerprint string
}

// TrustRootFile returns the trust root's file, the bytes /api/v1/trust serves
// (TrustRoot().Marshal()), and its fingerprint (seal.TrustRootFingerprint), which the verify
// result pages and the letters' mails show. Both are made again only when the office keys or
// the witnesses changed: marshalling checks every key, a third of a result page's time. The
// bytes are shared, and must not be changed.
func (r *Registry) TrustRootFile() ([]byte, string, error) {
	h, wc := r.history.Load(), r.witnessConfig()
	if f := r.trust.Load(); f != nil && f.history == h && f.witnesses == wc {
		return f.b, f.fingerprint, nil
	}
	b, err := r.trustRootOf(h, wc).Marshal()
	if err != nil {
		return nil, "", fmt.Errorf("trust root: %w", err)
	}
	f := &trustFile{history: h, witnesses: wc, b: b, fingerprint: seal.TrustRootFingerprint(b)}
	// A file made of an older history or configuration, stored after this one, is made again
	// at the next call: its pointers are not those in force.
	r.trust.Store(f)
	return f.b, f.fingerprint, nil
}

// Heads returns the office's cosigned heads, nil when the registry runs without witnesses.
func (r *Registry) Heads() *cosigned.Heads { return r.cfg.Heads }

// latestShown refuses a copy of the latest version when the member asked for the version with
// digest shown and that is not it (a revision came since the page was shown); an empty shown
// asks for the latest, whatever it is. The write transaction then checks that latest is still
// the latest (copyStillLatest), so the copy is of the version shown or nothing.
func latestShown(ref string, latest store.Version, shown string) error {
	if shown == "" {
		return nil
	}
	d, err := seal.ParseDigest(shown)
	if err != nil {
		return i18n.Errorf(ErrInvalid, "%v", err)
	}
	if string(d) != latest.Digest {
		return i18n.Errorf(ErrConflict, "%s is not the latest version of %s (version %d is %s): read the latest version first",
			d, ref, latest.N, latest.Digest)
	}
	return nil
}
