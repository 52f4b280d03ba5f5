package registry

import (
	"context"
	"fmt"
	"slices"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// PreviewCode stands where a released letter's check code does in the verification address
// printed on previews (/v/REF/PREVIEW): it is no check code (ValidCheckCodeForm), and the
// verify page answers it, for any reference, that the paper is a draft preview.
const PreviewCode = "PREVIEW"

// Preview returns the letter a release of ref would publish now, so that what reviewers and
// signers approve is what leaves: the latest version laid out (or converted) with the names of
// those who have signed, dated now, with the verification footer, and marked DRAFT PREVIEW
// across every page with a line naming who asked and when. It carries no embedded signature
// and no check code. It is a copy of an unreleased version leaving the registry, so it is
// recorded as a draft copy taken by the member (recipient "preview"), like ExportDraft's:
// verification answers `draft`, and members learn who took it. A file of another type is
// previewed as the release encloses it, its cover letter, but without the file attached: a
// copy never carries the version's own bytes, unmarked (see draftFile).
func (r *Registry) Preview(ctx context.Context, a Actor, ref string) ([]byte, error) {
	if err := a.require(RoleDrafter, RoleReviewer, RoleSigner, RoleRelease); err != nil {
		return nil, err
	}
	defer r.public.changed() // the preview's bytes now answer draft; a refused caller changes nothing
	var (
		l       *store.Letter
		v       store.Version
		data    []byte
		signers []string
	)
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var vs []store.Version
		var err error
		if l, vs, err = r.draftLetter(ctx, tx, ref); err != nil {
			return err
		}
		ev, err := r.gather(ctx, tx, l, vs)
		if err != nil {
			return err
		}
		v = ev.version
		for _, s := range ev.signatures {
			if m := ev.members[s.MemberID]; m != nil && !slices.Contains(signers, m.Name) {
				signers = append(signers, m.Name)
			}
		}
		data, err = tx.Blob(ctx, v.Digest)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("preview %s: %w", ref, err)
	}
	now := r.now()
	mark := pdf.PreviewMark{Reference: ref, Version: v.N, Member: a.Member.Name, At: now, Languages: r.cfg.Office.StampLanguages}
	doc, err := r.stampedPDF(l, v, data, now, signers, r.footer(l, now, r.VerifyURL(l.Reference, PreviewCode)), nil)
	if err != nil {
		return nil, fmt.Errorf("preview %s: %w", ref, err)
	}
	doc, err = pdf.Preview(doc, mark)
	if err != nil {
		return nil, fmt.Errorf("preview %s: %w", ref, unmarkable(v.N, err))
	}
	if err := oneEnd(v.N, doc); err != nil {
		return nil, fmt.Errorf("preview %s: %w", ref, err)
	}
	digest := string(seal.DigestOf(doc))
	err = r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := r.copyStillLatest(ctx, tx, a, ref, v.N); err != nil {
			return err
		}
		if err := tx.AddDraftExport(ctx, store.DraftExport{LetterID: l.ID, VersionN: v.N, Recipient: PreviewRecipient, Digest: digest, MemberID: a.Member.ID, CreatedAt: now}); err != nil {
			return err
		}
		return r.audit(ctx, tx, a, "draft.preview", ref, fmt.Sprintf("version %d %s", v.N, digest))
	})
	if err != nil {
		return nil, fmt.Errorf("preview %s: %w", ref, err)
	}
	return doc, nil
}

// PreviewRecipient is the recipient recorded for a preview among a letter's draft copies.
const PreviewRecipient = "preview"
