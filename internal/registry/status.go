package registry

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// Verification outcomes, as the CLI's exit status and the API's outcome field name them.
const (
	Valid      = "valid"
	Retracted  = "retracted"
	Superseded = "superseded"
	Draft      = "draft"
	Unknown    = "unknown"
	Invalid    = "invalid"
)

// Status is the public answer about a letter or a file. Seal and Withdrawal carry the signed,
// logged evidence, so a client need not take the registry's word for valid, retracted or
// superseded.
type Status struct {
	Outcome      string     `json:"outcome"`
	Reference    string     `json:"reference,omitempty"`
	Office       string     `json:"office"`
	Subject      string     `json:"subject,omitempty"`
	Class        string     `json:"class,omitempty"`
	Signers      []string   `json:"signers,omitempty"`
	ReleasedAt   *time.Time `json:"released_at,omitempty"`
	LogIndex     *int64     `json:"log_index,omitempty"`
	FileDigest   string     `json:"file_digest,omitempty"`
	Reason       string     `json:"reason,omitempty"`
	SupersededBy string     `json:"superseded_by,omitempty"`
	Message      string     `json:"message"`
	// Seal proves the release (for valid, retracted and superseded).
	Seal *seal.Seal `json:"-"`
	// Withdrawal is the logged retraction or supersession entry, with its inclusion proof in the
	// seal's checkpoint.
	Withdrawal *seal.LoggedEntry `json:"withdrawal,omitempty"`
	// Draft tells members with a role which draft, version and export the file is.
	Draft *DraftInfo `json:"draft,omitempty"`
}

// DraftInfo identifies a draft for members.
type DraftInfo struct {
	Reference string       `json:"reference"`
	Version   int          `json:"version"`
	Exports   []ExportInfo `json:"exports"`
}

// ExportInfo is one recorded export.
type ExportInfo struct {
	Recipient string    `json:"recipient"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
}

const notOfficial = "not an official document: this file is not a released letter of this office"

// VerifyDigest answers what the file with this digest is. The public learns only that a draft
// is not a released letter; members see which draft and export it is. Public answers are
// cached (see publicCache) and shared: callers must not modify the Status.
func (r *Registry) VerifyDigest(ctx context.Context, a Actor, digest seal.Digest) (*Status, error) {
	public := a.Member == nil || len(a.Member.Roles) == 0
	if !public {
		return r.verifyDigest(ctx, a, digest)
	}
	key := "digest " + string(digest)
	if st := r.public.get(key); st != nil {
		return st, nil
	}
	gen := r.public.generation()
	st, err := r.verifyDigest(ctx, a, digest)
	if err == nil {
		r.public.put(key, gen, st)
	}
	return st, err
}

func (r *Registry) verifyDigest(ctx context.Context, a Actor, digest seal.Digest) (*Status, error) {
	st := &Status{Office: r.cfg.Office.Name}
	var rel *store.Release
	var stmt *seal.ReleaseStatement
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		rel, err = tx.ReleaseByDigest(ctx, string(digest))
		if err == nil {
			stmt, err = r.releasedStatus(ctx, tx, rel, st)
			return err
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		vs, err := tx.VersionsByDigest(ctx, string(digest))
		if err != nil {
			return err
		}
		exps, err := tx.DraftExportsByDigest(ctx, string(digest))
		if err != nil {
			return err
		}
		if len(vs) == 0 && len(exps) == 0 {
			st.Outcome, st.Message = Unknown, "unknown: no letter of this office has these exact bytes"
			return nil
		}
		st.Outcome, st.Message = Draft, notOfficial
		if a.Member == nil || len(a.Member.Roles) == 0 {
			return nil
		}
		info := &DraftInfo{}
		if len(vs) > 0 {
			l, err := tx.LetterByID(ctx, vs[0].LetterID)
			if err != nil {
				return err
			}
			info.Reference, info.Version = l.Reference, vs[0].N
		}
		for _, e := range exps {
			m, err := tx.MemberByID(ctx, e.MemberID)
			if err != nil {
				return err
			}
			if info.Reference == "" {
				l, err := tx.LetterByID(ctx, e.LetterID)
				if err != nil {
					return err
				}
				info.Reference, info.Version = l.Reference, e.VersionN
			}
			info.Exports = append(info.Exports, ExportInfo{Recipient: e.Recipient, By: m.Name, At: e.CreatedAt})
		}
		st.Draft = info
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("verify %s: %w", digest, err)
	}
	if rel != nil {
		if err := r.attachEvidence(ctx, rel, stmt, st); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// StatusOf answers for a reference (the QR code and /v/{ref} path). Answers are cached and
// shared: callers must not modify the Status.
func (r *Registry) StatusOf(ctx context.Context, ref string) (*Status, error) {
	key := "reference " + ref
	if st := r.public.get(key); st != nil {
		return st, nil
	}
	gen := r.public.generation()
	st, err := r.statusOf(ctx, ref)
	if err == nil {
		r.public.put(key, gen, st)
	}
	return st, err
}

func (r *Registry) statusOf(ctx context.Context, ref string) (*Status, error) {
	st := &Status{Office: r.cfg.Office.Name, Reference: ref}
	var rel *store.Release
	var stmt *seal.ReleaseStatement
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		// The public must not learn what drafts exist: an unreleased reference and one never
		// used get the same answer.
		const unknown = "unknown: no released letter of this office has this reference"
		l, err := tx.LetterByRef(ctx, ref)
		if errors.Is(err, store.ErrNotFound) {
			st.Outcome, st.Message = Unknown, unknown
			return nil
		}
		if err != nil {
			return err
		}
		rel, err = tx.ReleaseOf(ctx, l.ID)
		if errors.Is(err, store.ErrNotFound) {
			st.Outcome, st.Message = Unknown, unknown
			return nil
		}
		if err != nil {
			return err
		}
		stmt, err = r.releasedStatus(ctx, tx, rel, st)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("status of %s: %w", ref, err)
	}
	if rel != nil {
		if err := r.attachEvidence(ctx, rel, stmt, st); err != nil {
			return nil, err
		}
	}
	return st, nil
}

func releaseStatement(e []byte) (*seal.ReleaseStatement, error) {
	d, err := entry.Decode(e)
	if err != nil {
		return nil, err
	}
	var stmt seal.ReleaseStatement
	if err := seal.Unmarshal(d.Envelope.Payload, &stmt); err != nil {
		return nil, err
	}
	return &stmt, nil
}

// releasedStatus fills st for a released letter and returns its release statement.
func (r *Registry) releasedStatus(ctx context.Context, tx *store.Tx, rel *store.Release, st *Status) (*seal.ReleaseStatement, error) {
	stmt, err := releaseStatement(rel.Entry)
	if err != nil {
		return nil, err
	}
	st.Reference, st.Subject, st.Class = stmt.Reference, stmt.Subject, stmt.Class
	st.Signers = signerNames(stmt)
	at, idx := stmt.ReleasedAt, rel.LogIndex
	st.ReleasedAt, st.LogIndex, st.FileDigest = &at, &idx, string(stmt.FileDigest)
	st.Outcome, st.Message = Valid, fmt.Sprintf("valid: released by %s on %s, signed by %v", stmt.Office, at.Format("2 January 2006"), st.Signers)
	w, err := tx.WithdrawalOf(ctx, rel.LetterID)
	if errors.Is(err, store.ErrNotFound) {
		return stmt, nil
	}
	if err != nil {
		return nil, err
	}
	st.Reason = w.Reason
	st.Withdrawal = &seal.LoggedEntry{Index: w.LogIndex, Entry: w.Entry}
	if w.Kind == Retraction {
		st.Outcome, st.Message = Retracted, "retracted: "+w.Reason
		return stmt, nil
	}
	bl, err := tx.LetterByID(ctx, w.ByLetter)
	if err != nil {
		return nil, err
	}
	st.SupersededBy = bl.Reference
	st.Outcome, st.Message = Superseded, fmt.Sprintf("superseded by %s: %s", bl.Reference, w.Reason)
	return stmt, nil
}

// attachEvidence adds the seal and the withdrawal's inclusion proof, against one checkpoint.
func (r *Registry) attachEvidence(ctx context.Context, rel *store.Release, stmt *seal.ReleaseStatement, st *Status) error {
	if st.Withdrawal != nil {
		// Wait until the checkpoint covers the withdrawal too, so both prove against it.
		if _, err := r.headCovering(ctx, st.Withdrawal.Index); err != nil {
			return err
		}
	}
	s, err := r.sealFor(ctx, rel.LogIndex, rel.Entry, stmt)
	if err != nil {
		return err
	}
	st.Seal = s
	if st.Withdrawal != nil {
		c, err := checkpoint.Size(s.Checkpoint)
		if err != nil {
			return err
		}
		p, err := r.cfg.Log.InclusionProof(ctx, st.Withdrawal.Index, c)
		if err != nil {
			return err
		}
		st.Withdrawal.Proof = p
	}
	return nil
}
