package registry

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/store"
)

// Inbox actions: what a letter waits for from the member looking.
const (
	ActApprove = "approve" // a reviewer's approval
	ActSign    = "sign"    // a signer's signature
	ActRelease = "release" // everything else is there: a release officer's release
	ActFollow  = "follow"  // the member drafted it and it waits for others
)

// InboxItem is an unreleased letter and what it waits for.
type InboxItem struct {
	Reference string
	Subject   string
	Class     string
	Author    string
	Version   int
	UpdatedAt time.Time
	// Actions are what the member can do for it now (ActApprove, ActSign, ActRelease), or
	// ActFollow for the member's own letter.
	Actions []string
	// Missing lists what the release policy still needs; Notes explain evidence that did not
	// count.
	Missing []string
	Notes   []string
	// MissingMessages and NoteMessages are Missing and Notes as messages, for the member pages.
	MissingMessages []i18n.Message `json:"-"`
	NoteMessages    []i18n.Message `json:"-"`
	// Rejected is set when a reviewer rejected the latest version.
	Rejected bool
	// Withdrawn is, for a released letter since withdrawn, how ("retracted" or "superseded"),
	// and Reason the reason signed with the withdrawal (empty when erased with the content).
	Withdrawn, Reason string
}

// Inbox is a member's work list.
type Inbox struct {
	Waiting  []InboxItem // letters waiting for this member, or the member's own drafts
	Others   []InboxItem // other letters in progress
	Released []InboxItem // the latest released letters
}

// inboxLimit bounds how many letters an inbox looks at.
const inboxLimit = 200

// Inbox returns the letters waiting for a's approval, signature or release, with what the
// policy still needs, then the other drafts and the latest releases.
func (r *Registry) Inbox(ctx context.Context, a Actor) (*Inbox, error) {
	if err := a.requireSomeRole(); err != nil {
		return nil, err
	}
	in := &Inbox{}
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		drafts, err := tx.UnreleasedLetters(ctx, inboxLimit)
		if err != nil {
			return err
		}
		for _, l := range drafts {
			v, err := r.letterView(ctx, tx, l.Reference)
			if err != nil {
				return err
			}
			// A draft erased again at a server's start waits for nothing: every action is refused.
			if v.DraftErased {
				continue
			}
			it := inboxItem(v, a.Member, r.now())
			if len(it.Actions) > 0 {
				in.Waiting = append(in.Waiting, it)
			} else {
				in.Others = append(in.Others, it)
			}
		}
		rels, err := tx.RecentReleases(ctx, 20)
		if err != nil {
			return err
		}
		for _, l := range rels {
			v, err := r.letterView(ctx, tx, l.Reference)
			if err != nil {
				return err
			}
			it := InboxItem{Reference: v.Reference, Subject: v.Subject, Class: v.Class, Author: v.Author}
			if v.Release != nil {
				it.Version, it.UpdatedAt = v.Release.Version, v.Release.At
			}
			if v.Withdrawal != nil {
				it.Withdrawn, it.Reason = v.State, v.Withdrawal.Reason
			}
			in.Released = append(in.Released, it)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("inbox of %s: %w", a.Member.Name, err)
	}
	return in, nil
}

// inboxItem says what the draft v waits for from m, at the time now.
func inboxItem(v *LetterView, m *store.Member, now time.Time) InboxItem {
	latest := v.Versions[len(v.Versions)-1]
	it := InboxItem{Reference: v.Reference, Subject: v.Subject, Class: v.Class, Author: v.Author, Version: latest.N, UpdatedAt: latest.At}
	drafted := v.Author == m.Name
	for _, x := range v.Versions {
		drafted = drafted || x.By == m.Name
	}
	// The member's latest decision on the version decides, as the gate weighs it: one that
	// no longer counts (given under another policy, or too old) is to be given again, as
	// Approve allows (notApprovedYet).
	var last *DecisionView
	for i, ap := range v.Approvals {
		if ap.Version != latest.Digest {
			continue
		}
		if ap.Member == m.Name {
			last = &v.Approvals[i]
		}
		it.Rejected = it.Rejected || ap.Decision == "reject"
	}
	decided, signed := last != nil && !lapsed(v.Decision, last, now), false
	for _, s := range v.Signatures {
		signed = signed || (s.Version == latest.Digest && s.Member == m.Name)
	}
	var needApproval, needSignature, onlyRelease bool
	if d := v.Decision; d != nil {
		it.Missing, it.Notes = d.Missing(), d.Notes
		it.MissingMessages, it.NoteMessages = d.MissingMessages(), d.NoteMessages()
		onlyRelease = true
		for _, s := range d.Requirements {
			if s.Missing == 0 {
				continue
			}
			switch s.Kind {
			case policy.KindApproval:
				needApproval = needApproval || s.Role == "" || s.Role == RoleReviewer || m.HasRole(s.Role)
				onlyRelease = false
			case policy.KindSignature:
				needSignature = true
				onlyRelease = false
			}
		}
	}
	if m.HasRole(RoleReviewer) && !drafted && !decided && needApproval {
		it.Actions = append(it.Actions, ActApprove)
	}
	if m.HasRole(RoleSigner) && !drafted && !signed && needSignature {
		it.Actions = append(it.Actions, ActSign)
	}
	if m.HasRole(RoleRelease) && onlyRelease {
		it.Actions = append(it.Actions, ActRelease)
	}
	if drafted && len(it.Actions) == 0 {
		it.Actions = append(it.Actions, ActFollow)
	}
	return it
}

// lapsed reports whether ap, an approval of the latest version, no longer counts under the
// decision d, taken at the time now: it was given under another policy than d's, or is older
// than d's max_approval_age.
func lapsed(d *policy.Decision, ap *DecisionView, now time.Time) bool {
	if d == nil || ap.Decision != "approve" {
		return false
	}
	if ap.Policy != d.Policy {
		return true
	}
	limit, err := time.ParseDuration(d.MaxApprovalAge)
	return d.MaxApprovalAge != "" && err == nil && now.Sub(ap.At) > limit
}

// VersionFile is one version's bytes, for a member reading or comparing versions.
type VersionFile struct {
	N         int
	MediaType string
	FileName  string
	Data      []byte
	// Converted is the PDF kept as a Word or OpenDocument version's conversion, the pages
	// its previews, copies and release show, once one of them made it; nil before.
	Converted []byte
}

// conversionKept returns the conversion kept of a Word or OpenDocument version, or nil.
func conversionKept(ctx context.Context, tx *store.Tx, v store.Version) ([]byte, error) {
	if !isDocument(v.MediaType) {
		return nil, nil
	}
	digest, err := tx.Conversion(ctx, v.Digest, baseType(v.MediaType))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return tx.Blob(ctx, digest)
}

// VersionFiles returns every version of ref with its bytes, for members to read on screen and
// to compare versions. A copy that leaves the registry goes through ExportDraft instead, which
// records it.
func (r *Registry) VersionFiles(ctx context.Context, a Actor, ref string) ([]VersionFile, error) {
	if err := a.requireSomeRole(); err != nil {
		return nil, err
	}
	var out []VersionFile
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		l, err := tx.LetterByRef(ctx, ref)
		if err != nil {
			return err
		}
		vs, err := tx.Versions(ctx, l.ID)
		if err != nil {
			return err
		}
		// An erased letter's files are empty, unless another letter has the same file: that
		// is the other letter's, and must not show what the erased one said.
		rel, err := tx.ReleaseOf(ctx, l.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		// A draft erased again at a server's start (EraseLetterAgain) has no release and an
		// empty subject.
		erased := rel != nil && !rel.ErasedAt.IsZero() || rel == nil && l.Subject == ""
		for _, v := range vs {
			var data, converted []byte
			if !erased {
				if data, err = tx.Blob(ctx, v.Digest); err != nil {
					return err
				}
				if converted, err = conversionKept(ctx, tx, v); err != nil {
					return err
				}
			}
			out = append(out, VersionFile{N: v.N, MediaType: v.MediaType, FileName: v.FileName, Data: data, Converted: converted})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("versions of %s: %w", ref, err)
	}
	return out, nil
}
