package registry

import (
	"context"
	"fmt"
	"slices"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/store"
)

// Preview returns the letter a release of ref would publish now, so that what reviewers and
// signers approve is what leaves: the latest version laid out (or converted) with the names of
// those who have signed, dated now, with the verification footer, and marked PREVIEW across
// every page with a line naming who asked and when. It carries no embedded signature and no
// check code, and it is recorded nowhere: verification answers that it is not an official
// letter. A file of another type is previewed as the release encloses it: the cover letter
// with the file attached, which the member asking may read as the version anyway.
func (r *Registry) Preview(ctx context.Context, a Actor, ref string) ([]byte, error) {
	if err := a.require(RoleDrafter, RoleReviewer, RoleSigner, RoleRelease); err != nil {
		return nil, err
	}
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
	doc, err := r.stampedPDF(l, v, data, now, signers, pdf.Footer{Office: r.cfg.Office.Name, Reference: l.Reference, Released: now, VerifyURL: r.VerifyURL(l.Reference, "PREVIEW"),
		Languages: r.cfg.Office.StampLanguages}, nil)
	if err != nil {
		return nil, fmt.Errorf("preview %s: %w", ref, err)
	}
	doc, err = pdf.Preview(doc, pdf.PreviewMark{Reference: ref, Version: v.N, Member: a.Member.Name, At: now, Languages: r.cfg.Office.StampLanguages})
	if err != nil {
		return nil, fmt.Errorf("preview %s: %w", ref, err)
	}
	return doc, nil
}
