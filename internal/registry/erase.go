package registry

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/store"
	"golang.org/x/mod/sumdb/tlog"
)

// Erase honours an erasure request about a released letter without rewriting history: it
// deletes the openings of the letter's release and withdrawal entries, and the registry's own
// copies of what they said (subject, tags, addressees, the versions' and the released file's
// bytes and the versions' kept conversions, draft copies' recipients, review comments, the withdrawal's reason, text
// fingerprints and their index entries, and what the audit trail quoted of them). The log is untouched and still verifies; its entries
// for the letter commit to statements nobody can now recover, since the 256-bit salts are
// gone. The registry still answers, for the released file's digest, that a letter was
// released on that date. Holders' seals, which carry the openings, keep verifying offline.
// Admins only; the erasure is in the audit trail.
func (r *Registry) Erase(ctx context.Context, a Actor, ref, reason string) error {
	if err := a.require(RoleAdmin); err != nil {
		return err
	}
	if err := checkText("reason", reason, 1000); err != nil {
		return err
	}
	_, err := r.erase(ctx, a, func(tx *store.Tx) (*store.Letter, *store.Release, error) {
		l, err := tx.LetterByRef(ctx, ref)
		if err != nil {
			return nil, nil, err
		}
		rel, err := tx.ReleaseOf(ctx, l.ID)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: only a released letter is erased (a draft is never in the log)", err)
		}
		if !rel.ErasedAt.IsZero() {
			return nil, nil, i18n.Errorf(ErrConflict, "%s was already erased on %s", ref, r.day(rel.ErasedAt))
		}
		return l, rel, nil
	}, reason)
	if err != nil {
		return fmt.Errorf("erase %s: %w", ref, err)
	}
	if f := r.onErased.Load(); f != nil {
		if err := (*f)(); err != nil {
			return fmt.Errorf("erase %s: %w: %w", ref, ErrNotRecorded, err)
		}
	}
	return nil
}

// SetOnErased sets f, called once an erasure a member asked for has committed, before Erase
// returns: serve records the erasure in its data directory then, so that the admin is told
// "erased" only once the record outside the database names it; when f fails, Erase says
// that the erasure stands but is not recorded (nil: nothing is called).
func (r *Registry) SetOnErased(f func() error) {
	if f == nil {
		r.onErased.Store(nil)
		return
	}
	r.onErased.Store(&f)
}

// ErasedRelease is a release whose content was erased: its log index and the leaf hash of its
// entry, which tell it from another entry at the same index in a log replaced since.
type ErasedRelease struct {
	Index int64
	Leaf  tlog.Hash
}

// ErasedReleases returns the releases whose content was erased, by log index.
func (r *Registry) ErasedReleases(ctx context.Context) ([]ErasedRelease, error) {
	var out []ErasedRelease
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		rels, err := tx.ErasedReleases(ctx)
		for _, rel := range rels {
			out = append(out, ErasedRelease{Index: rel.LogIndex, Leaf: tlog.RecordHash(rel.Entry)})
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("erased releases: %w", err)
	}
	return out, nil
}

// EraseAgain erases again the content of the release e names, erased once in a database that
// was since replaced by a backup taken before the erasure (the server records erasures outside
// the database). It returns the letter's reference, or "" when there is nothing to erase: the
// release is erased already, or the log holds no such entry at that index (a log shorter than
// it, or another at that index, which an operator accepted in place of the one published). The
// audit trail records it as the registry's own act.
func (r *Registry) EraseAgain(ctx context.Context, e ErasedRelease) (string, error) {
	var ref string
	again, err := r.erase(ctx, Actor{}, func(tx *store.Tx) (*store.Letter, *store.Release, error) {
		rel, err := tx.ReleaseAt(ctx, e.Index)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil, nil
		}
		if err != nil {
			return nil, nil, err
		}
		if !rel.ErasedAt.IsZero() || tlog.RecordHash(rel.Entry) != e.Leaf {
			return nil, nil, nil
		}
		l, err := tx.LetterByID(ctx, rel.LetterID)
		if err != nil {
			return nil, nil, err
		}
		ref = l.Reference
		return l, rel, nil
	}, "erased before the database was restored from an older backup")
	if err != nil {
		return "", fmt.Errorf("erase log entry %d again: %w", e.Index, err)
	}
	if !again {
		return "", nil
	}
	return ref, nil
}

// ErasedLetter names a letter whose content was erased by what any database of the office
// holds of it, its release or not: its reference, its creation time and the digest of its
// first version. A backup taken while it was a draft holds those three and no release.
type ErasedLetter struct {
	Reference string
	Created   time.Time
	Digest    string
}

// ErasedLetters returns the letters whose release's content was erased.
func (r *Registry) ErasedLetters(ctx context.Context) ([]ErasedLetter, error) {
	var out []ErasedLetter
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		rels, err := tx.ErasedReleases(ctx)
		if err != nil {
			return err
		}
		for _, rel := range rels {
			l, err := tx.LetterByID(ctx, rel.LetterID)
			if err != nil {
				return err
			}
			vs, err := tx.Versions(ctx, l.ID)
			if err != nil {
				return err
			}
			if len(vs) == 0 {
				return fmt.Errorf("letter %s has no version", l.Reference)
			}
			out = append(out, ErasedLetter{Reference: l.Reference, Created: l.CreatedAt, Digest: vs[0].Digest})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("erased letters: %w", err)
	}
	return out, nil
}

// EraseLetterAgain erases again the content of the letter e names, erased once in a database
// that was since replaced by a backup taken before the erasure: as a draft when the backup was
// taken before its release (restored with log accept-restore, the log holds no release of
// it), or released at another log index. It returns the letter's reference, or "" when there
// is nothing to erase: no letter has that reference, creation time and first version (another
// letter given the reference since is not this one), or its content is erased already. The
// audit trail records it as the registry's own act.
func (r *Registry) EraseLetterAgain(ctx context.Context, e ErasedLetter) (string, error) {
	again, err := r.erase(ctx, Actor{}, func(tx *store.Tx) (*store.Letter, *store.Release, error) {
		l, err := tx.LetterByRef(ctx, e.Reference)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil, nil
		}
		if err != nil {
			return nil, nil, err
		}
		if l.Subject == "" || !l.CreatedAt.Equal(e.Created) {
			return nil, nil, nil
		}
		vs, err := tx.Versions(ctx, l.ID)
		if err != nil {
			return nil, nil, err
		}
		if len(vs) == 0 || vs[0].Digest != e.Digest {
			return nil, nil, nil
		}
		rel, err := tx.ReleaseOf(ctx, l.ID)
		if errors.Is(err, store.ErrNotFound) {
			return l, nil, nil
		}
		if err != nil {
			return nil, nil, err
		}
		if !rel.ErasedAt.IsZero() {
			return nil, nil, nil
		}
		return l, rel, nil
	}, "erased before the database was restored from an older backup")
	if err != nil {
		return "", fmt.Errorf("erase %s again: %w", e.Reference, err)
	}
	if !again {
		return "", nil
	}
	return e.Reference, nil
}

// erase erases, in one transaction, the content of the letter and release find returns (a
// letter without a release: nil), or nothing (false) when find returns no letter.
func (r *Registry) erase(ctx context.Context, a Actor, find func(*store.Tx) (*store.Letter, *store.Release, error), reason string) (bool, error) {
	var ids []int64
	var ref string
	// No answer is kept from before the transaction until after it has ended (see
	// publicCache): its commit is seen before Update returns.
	ended := r.public.changing()
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) (err error) {
		if err := tx.SecureDelete(ctx, true); err != nil {
			return err
		}
		defer func() {
			if e := tx.SecureDelete(ctx, false); err == nil {
				err = e
			}
		}()
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		l, rel, err := find(tx)
		if err != nil || l == nil {
			return err
		}
		ref = l.Reference
		if ids, err = tx.FingerprintIDs(ctx, l.ID); err != nil {
			return err
		}
		if err := tx.EraseLetter(ctx, l.ID, r.now()); err != nil {
			return err
		}
		if err := tx.EraseWebhookReasons(ctx, ref); err != nil {
			return err
		}
		if err := eraseAuditTrail(ctx, tx, ref); err != nil {
			return err
		}
		detail := fmt.Sprintf("content erased (never released in this log): %s", reason)
		if rel != nil {
			// The kept seal holds the release's opening: it goes with it (a seal kept in the
			// letter's answer goes with the answer, which EraseLetter deletes).
			if err := tx.DeleteSeal(ctx, rel.LogIndex); err != nil {
				return err
			}
			detail = fmt.Sprintf("content erased (log entry %d kept): %s", rel.LogIndex, reason)
		}
		if a.Member == nil { // EraseAgain: the registry's own act
			err = tx.AddAuditEvent(ctx, store.AuditEvent{Time: r.cfg.Now().UTC(), Actor: "chancery", Action: "letter.erase", Reference: ref, Detail: detail})
		} else {
			err = r.audit(ctx, tx, a, "letter.erase", ref, detail)
		}
		if err != nil {
			return err
		}
		// secure_delete zeroed what this transaction deleted, not the copies that earlier
		// writes and rebalancings left in free space (store.ScrubFreeSpace).
		_, err = tx.ScrubFreeSpace(ctx)
		return err
	})
	// Once the transaction ends, whatever its outcome, and not when this returns: the answers
	// kept from before it (the subject, the seal with its opening) must not be given while
	// the WAL is scrubbed below, which takes the time the WAL takes.
	if txEnded != nil {
		txEnded()
	}
	ended()
	r.forgetContent()
	if err != nil || ref == "" {
		return false, err
	}
	for _, id := range ids {
		r.ident.Remove(uint64(id))
		r.released.Remove(uint64(id))
	}
	r.texts.clear() // the search's copy of the erased text, read again while it committed
	if eraseCommitted != nil {
		eraseCommitted()
	}
	// The WAL still holds the pages as they were. Committed, the erasure stands even if
	// readers keep the WAL a while: it is truncated at the next erasure or when the store closes.
	_, _ = r.cfg.DB.ScrubWAL(ctx)
	return true, nil
}

// forgetContent drops what the registry holds in memory of letters' content, after an
// erasure by this server or another: what released PDFs show and their codes and links, the
// texts of released files and versions, the search's words, and the public answers kept
// rendered (their subjects, signers and seals). Each is read again from the
// store when next asked. The identification indexes hold hashes of words only, and drop an
// erased letter's when a question reads its emptied fingerprint.
func (r *Registry) forgetContent() {
	r.shown.reset()
	r.codes.reset()
	r.relTexts.reset()
	r.links.reset()
	r.texts.clear()
	r.answers.forget()
	r.forgetting.Lock()
	fs := r.forgetting.fs
	r.forgetting.Unlock()
	for _, f := range fs {
		f()
	}
}

// OnForgetContent has f called each time the registry forgets what it holds in memory of
// letters' content (after an erasure by this server or another, forgetContent), so that
// what the server keeps beside it (the letter page's readings of PDF pages) goes too.
func (r *Registry) OnForgetContent(f func()) {
	r.forgetting.Lock()
	defer r.forgetting.Unlock()
	r.forgetting.fs = append(r.forgetting.fs, f)
}

// txEnded, set only by tests, is called once a release's, a withdrawal's or an erasure's
// transaction has ended, before the answers it changed are kept again: as a lookup made
// after the commit and before the transaction returns would be.
var txEnded func()

// eraseCommitted, set only by tests, is called once an erasure has committed, before the WAL
// is scrubbed: crash tests kill the process there.
var eraseCommitted func()

// eraseAuditTrail rewrites the letter's audit events that quote its content (a review's
// comment, a draft copy's recipient, the recipients of its dispatch and their receipts, its
// withdrawal's reason) to what they say of the letter's life without it: the events stay, in
// their order, with their actors, times, versions, digests and log entries. Run after
// EraseLetter: the store lets only an erased letter's events be rewritten.
func eraseAuditTrail(ctx context.Context, tx *store.Tx, ref string) error {
	return eraseAuditTrailKeeping(ctx, tx, ref, false)
}

// eraseAuditTrailKeeping is eraseAuditTrail, keeping the withdrawal's events as they are when
// withdrawal is set: a retraction made after the letter's erasure, whose reason is no content
// of the letter (EraseLeftovers).
func eraseAuditTrailKeeping(ctx context.Context, tx *store.Tx, ref string, withdrawal bool) error {
	events, err := tx.AuditEvents(ctx, ref)
	if err != nil {
		return err
	}
	for _, e := range events {
		if withdrawal && (e.Action == "letter.retraction" || e.Action == "letter.supersession") {
			continue
		}
		erased, ok := erasedEvent(e)
		if !ok {
			continue
		}
		if err := tx.EraseAuditEvent(ctx, erased); err != nil {
			return err
		}
	}
	return nil
}

// The parts of the registry's details (letters.go, release.go, dispatch.go, view.go) that
// say nothing of a letter's content: what erasure keeps of an event.
var (
	versionDigest = regexp.MustCompile(`^version [0-9]+ sha256:[0-9a-f]{64}`)
	withdrawnBy   = regexp.MustCompile(`^(by [^ ,]+, )?log entry [0-9]+`)
	messageKind   = regexp.MustCompile(`^[a-z-]+`)
)

// erasedMark stands, in an erased event, for what it quoted of the letter.
const erasedMark = "(erased)"

// erasedEvent returns e without what it quotes of its letter's content, and whether it quoted
// any.
func erasedEvent(e store.AuditEvent) (store.AuditEvent, bool) {
	keep := func(re *regexp.Regexp, rest string) string {
		return re.FindString(e.Detail) + rest
	}
	var d string
	actor := e.Actor
	switch e.Action {
	case "letter.approve", "letter.reject":
		// A decision without a comment quotes nothing.
		if d = keep(versionDigest, ""); d != e.Detail {
			d = keep(versionDigest, ": "+erasedMark)
		}
	case "draft.export":
		d = keep(versionDigest, " for "+erasedMark)
	case "letter.retraction", "letter.supersession":
		d = keep(withdrawnBy, ": "+erasedMark)
	case "letter.dispatch":
		d = "queued to " + erasedMark
	case "letter.dispatch-retry":
		d = "queued again to " + erasedMark
	case "dispatch.sent", "dispatch.failed":
		d = keep(messageKind, " to "+erasedMark)
	case "letter.received":
		d = keep(messageKind, " received by "+erasedMark)
		actor = "recipient"
	default:
		return e, false
	}
	if d == e.Detail && actor == e.Actor {
		return e, false
	}
	e.Detail, e.Actor = d, actor
	return e, true
}

// erasedAgainSetting records that the releases erased in this database had their erasure
// done again by a build that erases what EraseLetter, EraseWebhookReasons and
// eraseAuditTrail erase now (EraseLeftovers). Builds before migration 31 erased less: they
// left the audit trail's quotes of the letter (draft copies' and dispatch recipients with
// their addresses, review comments, the withdrawal's reason), the withdrawal's reason in the
// webhook events, the names of the uploaded and released files, and the erased rows' bytes
// in the SQLite file's free space. A build that erases more again names a new setting.
const erasedAgainSetting = "erasures_done_again_1"

// EraseLeftovers erases again, once per database, the content of the letters whose release
// was erased, as Erase erases it now: what an earlier build's erasure left is gone after the
// upgrade, as it would be had the letter been erased by this build. The erasure's time, its
// audit event and the letter's log entries stay as they were; nothing is added to the audit
// trail. It returns how many letters it erased again (0 once done, and on a database of
// this build whose erasures left nothing). Serve calls it before it serves. starting, if not
// nil, is called with the number of erased letters before they are erased again, when there
// are any: the pass takes the time of that many erasures, during which the server is not
// serving yet.
func (r *Registry) EraseLeftovers(ctx context.Context, starting func(letters int)) (int, error) {
	n := 0
	ended := r.public.changing()
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) (err error) {
		n = 0
		_, err = tx.Setting(ctx, erasedAgainSetting)
		if err == nil {
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		rels, err := tx.ErasedReleases(ctx)
		if err != nil {
			return err
		}
		if len(rels) > 0 {
			if starting != nil {
				starting(len(rels))
			}
			if err := tx.SecureDelete(ctx, true); err != nil {
				return err
			}
			defer func() {
				if e := tx.SecureDelete(ctx, false); err == nil {
					err = e
				}
			}()
		}
		for _, rel := range rels {
			l, err := tx.LetterByID(ctx, rel.LetterID)
			if err != nil {
				return err
			}
			// A retraction made after the erasure is no content of the letter: its holders
			// are given its signed reason (its opening), which the erasure done again keeps,
			// with the reason in the audit trail and in the webhook events. Every build's
			// erasure emptied the withdrawal's reason and deleted its opening: an erased
			// letter's withdrawal that has either was made after the erasure (its time is
			// its statement's, which may be older). A letter is withdrawn once: every
			// withdrawal event of the letter is then that retraction's.
			later, err := tx.WithdrawalOf(ctx, l.ID)
			if errors.Is(err, store.ErrNotFound) {
				later = nil
			} else if err != nil {
				return err
			}
			var salt, statement []byte
			if later != nil {
				salt, statement, err = tx.Opening(ctx, later.LogIndex)
				if err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
				if salt == nil && later.Reason == "" {
					later = nil
				}
			}
			// At the erasure's own time: EraseLetter sets it again.
			if err := tx.EraseLetter(ctx, l.ID, rel.ErasedAt); err != nil {
				return err
			}
			if later == nil {
				if err := tx.EraseWebhookReasons(ctx, l.Reference); err != nil {
					return err
				}
			}
			if err := eraseAuditTrailKeeping(ctx, tx, l.Reference, later != nil); err != nil {
				return err
			}
			if err := tx.DeleteSeal(ctx, rel.LogIndex); err != nil {
				return err
			}
			if later != nil {
				if err := tx.RestoreWithdrawalReason(ctx, l.ID, later.Reason); err != nil {
					return err
				}
				if salt != nil {
					if err := tx.PutOpening(ctx, later.LogIndex, salt, statement); err != nil {
						return err
					}
				}
			}
			n++
		}
		if len(rels) > 0 {
			if _, err := tx.ScrubFreeSpace(ctx); err != nil {
				return err
			}
		}
		return tx.SetSetting(ctx, erasedAgainSetting, r.now().UTC().Format(time.RFC3339))
	})
	ended()
	if err != nil {
		return 0, fmt.Errorf("erase again what earlier builds' erasures left: %w", err)
	}
	if n > 0 {
		r.forgetContent()
		_, _ = r.cfg.DB.ScrubWAL(ctx)
	}
	return n, nil
}
