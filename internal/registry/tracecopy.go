package registry

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/store"
)

// tracedCopy is a draft copy whose line a text carries.
type tracedCopy struct {
	reference string
	version   int
	exports   []ExportInfo
}

// traceCopy finds the draft copies of the letters letterIDs (best match first) whose line, as
// each page of the copy prints it ("Coordination copy for …", "Preview of …"), the text
// carries word for word: a copy's text, pasted, read from a scan or from a file whose bytes
// were changed, names its copy there. Only members are answered with it: whether a line
// names a recorded copy is the office's record, which the public never reads. It returns nil
// when no copy's line is in the text.
func (r *Registry) traceCopy(ctx context.Context, text string, letterIDs []int64) (*tracedCopy, error) {
	words := " " + identify.Normalize(text) + " "
	var found *tracedCopy
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		names := map[int64]string{}
		for _, id := range letterIDs {
			l, err := tx.LetterByID(ctx, id)
			if err != nil {
				return err
			}
			// Every copy's line, in every language, names the letter's reference: a text
			// without it is no copy's, and the exports are not read.
			if !strings.Contains(words, " "+identify.Normalize(l.Reference)+" ") {
				continue
			}
			exps, err := tx.DraftExportsOf(ctx, id)
			if err != nil {
				return err
			}
			for _, e := range exps {
				if e.Recipient == "" { // erased
					continue
				}
				name, ok := names[e.MemberID]
				if !ok {
					m, err := tx.MemberByID(ctx, e.MemberID)
					if err != nil {
						return err
					}
					name, names[e.MemberID] = m.Name, m.Name
				}
				lines, err := r.copyLines(l.Reference, e, name)
				if err != nil {
					return err
				}
				if !slices.ContainsFunc(lines, func(line string) bool {
					w := identify.Normalize(line)
					return w != "" && strings.Contains(words, " "+w+" ")
				}) {
					continue
				}
				if found == nil {
					found = &tracedCopy{reference: l.Reference, version: e.VersionN}
				}
				if found.reference == l.Reference && found.version == e.VersionN {
					found.exports = append(found.exports, ExportInfo{Recipient: e.Recipient, By: name, At: e.CreatedAt})
				}
			}
			if found != nil {
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("trace draft copy: %w", err)
	}
	return found, nil
}

// copyLines returns the lines the copy e of letter ref, made by the member named by, prints
// on its pages: in the office's stamp languages and in English (the office may have changed
// its languages since). A preview is recorded with the recipient PreviewRecipient, which a
// coordination copy may also have been made for: both lines are tried.
func (r *Registry) copyLines(ref string, e store.DraftExport, by string) ([]string, error) {
	langs := r.cfg.Office.StampLanguages
	dm := pdf.DraftMark{Recipient: e.Recipient, Reference: ref, Version: e.VersionN, Exported: e.CreatedAt, Member: by, Languages: langs}
	lines, err := dm.Lines()
	if err != nil {
		return nil, err
	}
	lines = append(lines, dm.Line())
	if e.Recipient == PreviewRecipient {
		pm := pdf.PreviewMark{Reference: ref, Version: e.VersionN, Member: by, At: e.CreatedAt, Languages: langs}
		more, err := pm.Lines()
		if err != nil {
			return nil, err
		}
		lines = append(append(lines, more...), pm.Line())
	}
	return lines, nil
}
