package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/textract"
	"github.com/chancery/chancery/internal/verify"
	"github.com/spf13/cobra"
)

// VerifyResult is the stable JSON object `chancery verify --json` prints for each file.
type VerifyResult = verify.Result

// VerifyWitness is a witness that cosigned the checkpoint a seal proves against.
type VerifyWitness = verify.Witness

// newVerify is `chancery verify`: internal/verify's command, which cmd/chancery-verify runs
// too, with the registry's answers online.
func newVerify(rm *remote) *cobra.Command {
	// The seal refresh a line suggests asks the registry the holder named with --url, as
	// this run does; CHANCERY_URL carries over by itself.
	refreshURL := func(c *cobra.Command, v *verify.Verifier) {
		if c.Flags().Changed("url") {
			v.RefreshURL = redacted(rm.url)
		}
	}
	c := verify.CommandKeeping("verify", func(c *cobra.Command, root *seal.TrustRoot, v *verify.Verifier) (verify.Online, error) {
		refreshURL(c, v)
		rm.useTrustRootURL(c, root)
		cl, err := rm.client(false)
		if err != nil {
			return nil, err
		}
		cps, err := loadCheckpointState(stateDir(), root.LogKey, warnings(c))
		if err != nil {
			return nil, err
		}
		return &verifier{Verifier: v, cl: cl, c: c, cps: cps, root: root}, nil
	}, func(c *cobra.Command, root *seal.TrustRoot, v *verify.Verifier) (verify.Kept, error) {
		refreshURL(c, v)
		cps, err := loadCheckpointState(stateDir(), root.LogKey, warnings(c))
		if err != nil {
			// Offline verified seals without it before it was read: a kept checkpoint that
			// does not verify is said, and the seals are checked as before.
			fmt.Fprintf(warnings(c), "chancery: warning: %v; --offline does not compare the seals' checkpoints with it\n", err)
			return nil, nil
		}
		return keptOffline{v: v, cps: cps}, nil
	})
	c.Long += `

Offline, verify reads the checkpoint it keeps of the log (never writing it: it checks no
consistency offline). A seal whose checkpoint has the kept one's tree size but another root,
both signed by the log key, is invalid, as online: the log showed two histories (a split
view), which the two signed checkpoints prove, and the line names them (this seal's and the
one kept in FILE). A kept checkpoint of another size says nothing
offline: only a consistency proof, online, relates two trees of different sizes.`
	return c
}

// verifier is verify online: the registry's answers, checked against the seals they carry.
type verifier struct {
	*verify.Verifier
	cl *client.Client
	c  *cobra.Command
	// cps is the newest checkpoint seen of the log: a registry answer proved against an older
	// tree is refused.
	cps *checkpointState
	// root is the trust root: its office is the one whose registry must answer.
	root *seal.TrustRoot
	// warnMu orders the workers' warnings (warn).
	warnMu sync.Mutex
}

// unreachable is the client's transport failure (client.ErrUnreachable), said in the
// reader's language on verify's lines: "registry unreachable" is the catalogue's, the
// transport's reason after it stays as Go gives it. Its text and chain are err's.
type unreachable struct{ err error }

func (u unreachable) Error() string { return u.err.Error() }
func (u unreachable) Unwrap() error { return u.err }

func (u unreachable) Translate(p *i18n.Printer) string {
	return i18n.Msg("registry unreachable: %s", strings.TrimPrefix(u.err.Error(), client.ErrUnreachable.Error()+": ")).Translate(p)
}

// Ask checks the registry's answer for the file whose digest res holds; with a seal already
// verified offline, the registry's answer must not be older than the seal's checkpoint.
func (vf *verifier) Ask(res VerifyResult, sealCheckpoint []byte) VerifyResult {
	if sealCheckpoint != nil {
		if err := vf.seeSeal(sealCheckpoint, vf.cps.sealCheckpoint); err != nil {
			return vf.logProblem(res, err)
		}
	}
	for try := 0; ; try++ {
		st, err := vf.cl.VerifyDigest(vf.c.Context(), res.Digest)
		if errors.Is(err, client.ErrUnreachable) {
			err = unreachable{err}
		}
		if err != nil {
			return vf.Fail(res, err)
		}
		// CHANCERY_URL, set for a member's own office, takes precedence over the trust root's
		// base_url: another office's registry knows nothing of this letter, and its "unknown"
		// would make a genuine letter invalid, or send its text there to be identified.
		if st.Office != vf.root.Office {
			res.Outcome, res.Error = "error", "the registry answers for another office than the trust root's"
			res.Say("error", vf.T("could not verify: the registry at %s answers for office %q, not %q, which the trust root names (CHANCERY_URL or --url names another office's registry); verify with --url %s",
				vf.cl.Base, st.Office, vf.root.Office, vf.root.BaseURL))
			return res
		}
		older := false
		out := vf.online(res, st, &older)
		// An answer on an older tree than one seen is a replay, or a server of the office a
		// moment behind another (olderTree): asked again, a lagging server has caught up.
		if !older || try == len(olderRetries) {
			return out
		}
		select {
		case <-vf.c.Context().Done():
			return out
		case <-time.After(olderRetries[try]):
		}
	}
}

// seeSeal compares the checkpoint of a seal with the one kept (checkpointState.sealCheckpoint),
// adopting it when the registry proves it extends the kept one. A seal released through one
// server of the office is newer, for a moment, than the log of another behind the same
// address, which cannot prove it extends the tree this client holds yet (olderTree): asked
// again, it has caught up. see is the checkpointState's method that compares it.
func (vf *verifier) seeSeal(sealCheckpoint []byte, see func(context.Context, *client.Client, []byte) error) error {
	for try := 0; ; try++ {
		err := see(vf.c.Context(), vf.cl, sealCheckpoint)
		if err == nil || !isOlderTree(err) || try == len(olderRetries) || vf.c.Context().Err() != nil {
			return err
		}
		select {
		case <-vf.c.Context().Done():
			return err
		case <-time.After(olderRetries[try]):
		}
	}
}

// Compare compares, online, the checkpoint of a seal sound but for the file beside it with
// the one kept, as Ask compares a valid seal's: it is signed by the log key and verified
// under the trust root whatever file lies beside it. Two trees of one size are the split
// view offline says (the same line, naming the kept file); a newer tree the registry's proof
// does not extend the kept one to is a fork too, said as a valid seal's is, and so is an
// older one the proof does not extend to the kept one (a valid seal's is related to it
// through the answer about its letter, which an answer about another file is not). A proof that
// could not be fetched (the registry unreachable, or answering 404 or 5xx) judges neither
// the seal nor the file: the registry's answer for the file stands, as it did before its
// checkpoint was compared, and a warning says the comparison was not made. (Fifty-ninth
// session's not-fixed list, the lead's decision, sixtieth session.)
func (vf *verifier) Compare(res VerifyResult, sealCheckpoint []byte, sealPath string) (VerifyResult, bool) {
	err := vf.seeSeal(sealCheckpoint, vf.cps.sealOfAnotherFile)
	var split *splitError
	switch {
	case err == nil:
		return res, false
	case errors.As(err, &split):
		where := vf.T("the one kept in %s", split.file)
		if split.file == "" {
			where = vf.T("the one this run was shown before")
		}
		res.Error = ""
		res.Say(registry.Invalid, vf.SplitViewLine(split.size, split.shown, split.kept, where))
		return res, true
	case errors.Is(err, errForked):
		return logProblem(vf.Verifier, res, err), true
	}
	vf.warn(vf.T("%s: the checkpoint of the seal %s, which is not this file's, could not be compared with the newest one kept of the log: %s; the result printed for this file does not rest on that comparison",
		res.File, sealPath, err.Error()))
	return res, false
}

// warn prints a warning of the run, for one file: on stderr as "chancery: warning:" in the
// reader's language, or with --json in English among the run's warnings (heldWarnings, safe
// for the workers' writes at once). Called from several workers at once: each line is
// written whole.
func (vf *verifier) warn(t verify.Text) {
	vf.warnMu.Lock()
	defer vf.warnMu.Unlock()
	w := warnings(vf.c)
	if wantsJSON(vf.c) || vf.P == nil || vf.P.Lang() == "en" {
		fmt.Fprintf(w, "chancery: warning: %s\n", verify.Printable(t.En))
		return
	}
	fmt.Fprintln(w, verify.Printable(vf.P.T("chancery: warning: %s", t.Local)))
}

// olderRetries are the waits before verify asks the registry again for an answer that rests
// on an older tree than one already seen: a server behind another of the same office follows
// the stored log within 100 ms, and witnesses asked at once cosign within a second. A replay
// costs the reader 1.25 s more before it is called one.
var olderRetries = []time.Duration{250 * time.Millisecond, time.Second}

// identify answers for a file whose bytes the registry does not know, from its text: a text
// close to a released letter's makes the file "altered", one close to a draft's (which only
// members learn) a draft. A file without text, or a text the registry does not know, stays
// unknown.
func (vf *verifier) identify(res VerifyResult) VerifyResult {
	data, err := readBounded(res.File)
	if err != nil {
		return res
	}
	// A draft copy with changes appended (an incremental update, which can hide its marks)
	// still holds the copy's bytes up to its own end-of-file marker, the file's first: the
	// first two ends (with and without its end of line) and two more are asked about, each a
	// request the registry's rate limit counts.
	ends := pdf.RevisionEnds(data)
	ends = ends[:min(len(ends), 4)]
	for _, d := range seal.PrefixDigests(data, ends) {
		if st, err := vf.cl.VerifyDigest(vf.c.Context(), string(d)); err == nil && st.Outcome == registry.Draft {
			res.Checked = "registry"
			res.Say(registry.Draft, vf.T("draft: not an official document: this file is a draft of %s with changes appended to it, which may hide its marks", st.Office))
			if st.Draft != nil {
				res.Reference = st.Draft.Reference
			}
			return res
		}
	}
	text, err := textract.Text(mediaTypeOf(res.File, data), data)
	if kind := ocr.Kind(data); kind != "" && (err != nil || kind == ocr.PDF && !identify.ReadsAsText(text)) {
		// A scan, a photograph, or a PDF whose text layer is not what its pages show (one
		// printed again, whose layer is its fonts' glyph codes): verify compares bytes, and
		// only OCR reads such pages.
		res.Add(vf.T("; it may be a scan or a copy printed again: chancery identify reads its pages by OCR"))
		return res
	}
	if err != nil {
		return res
	}
	if ocr.Kind(data) == ocr.PDF {
		// As identify sends a PDF's text: pdftotext, when installed, reads what the pages
		// show, a draft copy's marks and the line naming the copy among it, which the text
		// layer leaves out; a member is then told which copy it is.
		if shown, err := ocr.VisibleText(vf.c.Context(), data); err == nil {
			text = shown
		}
	}
	id, err := vf.cl.Identify(vf.c.Context(), text)
	if err != nil {
		return res
	}
	if id.Outcome == registry.Unknown {
		return vf.draftMark(res, id)
	}
	res.Checked, res.Reference, res.Similarity = "text", id.Reference, id.Similarity
	for _, op := range id.Diff {
		res.Diff = append(res.Diff, verify.DiffOp(op))
	}
	if id.Outcome == registry.Draft {
		// The registry's message says it of a text that carries the DRAFT mark.
		res.Say(registry.Draft, vf.T("draft: not an official document: %s", id.Message))
		res.DraftMark = id.DraftMark
		return res
	}
	state := id.Outcome
	if id.Status != nil {
		state = id.Status.Outcome
	}
	name := vf.stateName(state)
	// An altered text, whole or quoted, is close to the letter: it is neither its text nor
	// an excerpt of it.
	verbatim := id.Outcome != registry.Altered
	switch {
	case verbatim && id.Match == "excerpt":
		res.Say(registry.Altered, vf.withState("altered: these bytes are not a released letter, but the text is an excerpt of %s (%s): compare with the original before relying on it", id.Reference, name))
	case verbatim && id.Match == "exact":
		res.Say(registry.Altered, vf.withState("altered: these bytes are not a released letter, but the text is that of %s (%s): compare with the original before relying on it", id.Reference, name))
	default:
		res.Say(registry.Altered, vf.withState("altered: these bytes are not a released letter, but the text is close to %s (%s): compare with the original before relying on it", id.Reference, name))
	}
	return vf.draftMark(res, id)
}

// draftMark adds to res, when the text of its file carries the banner every page of a draft
// copy shows (id.DraftMark), that it does and what that means.
func (vf *verifier) draftMark(res VerifyResult, id *registry.Identification) VerifyResult {
	if id.DraftMark {
		res.DraftMark = true
		res.Add(vf.T("; its text carries the office's DRAFT mark, which every page of a draft copy shows: a draft is not an official document, whatever letter its text is close to"))
	}
	return res
}

// stateName is a released letter's state (valid, retracted, superseded) in English and in
// the reader's language; any other word as it is.
func (vf *verifier) stateName(state string) verify.Text {
	switch state {
	case registry.Valid:
		return vf.T("valid")
	case registry.Retracted:
		return vf.T("retracted")
	case registry.Superseded:
		return vf.T("superseded")
	}
	return verify.Text{En: state, Local: state}
}

// withState formats the message key about the letter ref in state, each language's text
// naming the state in that language (the JSON message stays English).
func (vf *verifier) withState(key, ref string, state verify.Text) verify.Text {
	t := vf.T(key, ref, state.En)
	t.Local = vf.T(key, ref, state.Local).Local
	return t
}

// online checks the registry's answer: valid, retracted and superseded come with a seal (and a
// logged withdrawal) that are verified here; draft and unknown are the registry's word.
//
// older is set when the answer was refused for resting on an older tree than one this
// client has seen (olderTree), which asking again may cure.
func (vf *verifier) online(res VerifyResult, st *client.Status, older *bool) VerifyResult {
	switch st.Outcome {
	case registry.Draft, registry.Unknown:
		if res.Checked == "seal" {
			// A verified seal but a registry that does not know the letter: the registry
			// forgot a logged release, which is itself a finding.
			res.Say(registry.Invalid, vf.T("invalid: the seal verifies but the registry does not know the letter: report this to the office"))
			return res
		}
		res.Checked = "registry"
		if e := st.EnclosedBy; st.Outcome == registry.Unknown && e != nil {
			// The file a released letter encloses: the letter's PDF and seal vouch for it.
			res.Reference = e.Reference
			switch e.State {
			case registry.Retracted:
				res.Say(registry.Unknown, vf.T("unknown: this file is what released letter %s of %s encloses (the letter is retracted): the letter's PDF, verified with its seal, is what vouches for it", e.Reference, st.Office))
			case registry.Superseded:
				res.Say(registry.Unknown, vf.T("unknown: this file is what released letter %s of %s encloses (the letter is superseded): the letter's PDF, verified with its seal, is what vouches for it", e.Reference, st.Office))
			default:
				res.Say(registry.Unknown, vf.T("unknown: this file is what released letter %s of %s encloses (the letter is in force): the letter's PDF, verified with its seal, is what vouches for it", e.Reference, st.Office))
			}
			return res
		}
		res.Say(st.Outcome, vf.RegistryText(st.Message))
		if st.Outcome == registry.Unknown {
			return vf.identify(res)
		}
		if st.Outcome == registry.Draft {
			m := vf.T("draft: not an official document: this file is not a released letter of %s", st.Office)
			if st.Draft != nil {
				res.Reference = st.Draft.Reference
				m = m.Plus(vf.T(" (it is %s version %s", st.Draft.Reference, strconv.Itoa(st.Draft.Version)))
				for _, e := range st.Draft.Exports {
					if e.Recipient == "" { // erased with the letter's content
						m = m.Plus(vf.T("; exported by %s on %s for a recipient erased since", e.By, e.At.Format("2006-01-02")))
						continue
					}
					m = m.Plus(vf.T("; exported for %s by %s on %s", e.Recipient, e.By, e.At.Format("2006-01-02")))
				}
				m = m.Plus(verify.Plain(")"))
			}
			res.Say(registry.Draft, m)
		}
		return res
	case registry.Valid, registry.Retracted, registry.Superseded:
	default:
		res.Say(registry.Invalid, vf.T("invalid: the registry answered an unknown outcome %q", st.Outcome))
		return res
	}
	if st.Erased && noSeal(st.Seal) {
		// The office erased the letter's content: its release entry's opening is gone, so the
		// registry has no seal to give and signs no status. Its answer cannot be checked, but
		// the missing seal is no sign of forgery: the letter's own seal still verifies
		// offline, and the API and the verify page answer "valid, content erased".
		res.Outcome, res.Error = "error", "the letter's content was erased: the registry's answer comes without a seal"
		// The state named in the reader's language, as the other lines name it.
		key := "could not verify: the office erased this letter's content; the registry answers %s but has no seal left to prove it (a seal kept beside the letter still verifies with --offline, which does not check retractions)"
		if res.SealBesideUnchecked() {
			// The seal beside this file is another log's, damaged or another file's, and does
			// not verify offline: the line does not send the holder to it (the lead's decision,
			// sixty-second session); its own line follows.
			key = "could not verify: the office erased this letter's content; the registry answers %s but has no seal left to prove it (the letter's own seal, where one was kept, still verifies with --offline, which does not check retractions)"
		}
		if res.SealBesideBelowQuorum() {
			// The letter's own seal, made before the office's witness quorum: offline it is
			// invalid too (found by audit, sixty-second session).
			key = "could not verify: the office erased this letter's content; the registry answers %s but has no seal left to prove it (the seal beside it was made before the office had its witnesses, so it does not verify with --offline either)"
			if st.Outcome == registry.Valid {
				// Erased but not withdrawn: 'chancery seal refresh' proves that seal against a
				// checkpoint the witnesses cosigned (it refuses only a withdrawn letter's), and
				// offline it verifies then; for an erased letter that seal is the one proof left
				// (found by review of 4a1e9ed, sixty-second session).
				const refresh = "could not verify: the office erased this letter's content; the registry answers %s but has no seal left to prove it (the seal beside it was made before the office had its witnesses, so it does not verify with --offline until 'chancery seal refresh %s' proves it against a checkpoint they cosigned)"
				m := vf.T(refresh, st.Outcome, res.SealBesideRefreshArgs())
				m.Local = vf.T(refresh, vf.stateName(st.Outcome).Local, res.SealBesideRefreshArgs()).Local
				res.Say("error", m)
				return res
			}
		}
		m := vf.T(key, st.Outcome)
		m.Local = vf.T(key, vf.stateName(st.Outcome).Local).Local
		res.Say("error", m)
		return res
	}
	s, err := seal.Parse(st.Seal)
	if err != nil {
		res.Say(registry.Invalid, vf.T("invalid: the registry's seal is malformed: %s", err.Error()))
		return res
	}
	r, err := vf.V.Verify(s, seal.Digest(res.Digest))
	if err != nil {
		res.Say(registry.Invalid, vf.T("invalid: the registry's seal does not verify: %s", err.Error()))
		if errors.Is(err, seal.ErrOutdatedTrustRoot) {
			// As for a seal beside the file: the office rotated its key since this trust root,
			// which says nothing of the letter (docs/seal-format.md, error classes).
			return vf.Outdated(res, err)
		}
		return res
	}
	verify.FromRelease(&res, r.Statement, r.Index)
	res.Checked = "seal+log"
	// An answer proved against an older tree than one already seen may be a replay that hides
	// a withdrawal logged since (issue 12 item 4), and one without the log's signed status
	// may carry a seal proved by anyone against a tree that holds a withdrawal (extends).
	if st.Latest == nil {
		return vf.logProblem(res, fmt.Errorf("%w: the answer comes without the log's signed status of the letter", errRolledBack))
	}
	// The latest checkpoint must be one the trust root accepts, witness quorum included, as a
	// seal's is: it becomes the tree this answer, and every later one, is judged against, and
	// one signed by the log key alone may be a tree shown to this client only (a fork that
	// leaves out a withdrawal), which no witness cosigned.
	_, cosigners, err := vf.V.VerifyCheckpoint([]byte(st.Latest.Checkpoint))
	if err != nil {
		res.Say(registry.Invalid, vf.T("invalid: the registry's latest checkpoint does not verify: %s", err.Error()))
		return res
	}
	// --max-age bounds how old a view of the log the answer may rest on: online that is the
	// latest checkpoint, not the seal's. One the witnesses cosigned long ago may be an old
	// answer replayed to a client that has seen nothing newer, or a log whose witnesses
	// stopped: either may hide a withdrawal since.
	at, why, ok := vf.QuorumAge(cosigners)
	if vf.MaxAge > 0 && !ok {
		res.Say(registry.Invalid, why)
		return res
	}
	if vf.MaxAge > 0 && time.Since(at) > vf.MaxAge {
		res.Say(registry.Invalid, vf.T("invalid: the witnesses' cosignatures of the registry's latest checkpoint date from %s, older than --max-age %s: the answer may be replayed, or the witnesses no longer cosign the log; report this to the office",
			at.Format(time.RFC3339), vf.MaxAge.String()))
		return res
	}
	// The registry's seal may be the one kept from the release, against an older checkpoint:
	// the answer is as current as the latest checkpoint that extends it.
	answerCP, err := vf.cps.extends(s.Checkpoint, st.Latest, r.Index, st.Outcome, len(st.Revocations))
	if err == nil {
		err = vf.cps.answer(vf.c.Context(), vf.cl, answerCP)
	}
	if err != nil {
		*older = isOlderTree(err)
		return vf.logProblem(res, err)
	}
	revoked, err := vf.revocations(st.Revocations, s.Checkpoint, r)
	if err != nil {
		res.Say(registry.Invalid, vf.T("invalid: %s", err.Error()))
		if errors.Is(err, seal.ErrOutdatedTrustRoot) {
			return vf.Outdated(res, err)
		}
		return res
	}
	if st.Outcome == registry.Valid {
		res.Say(registry.Valid, vf.ValidMessage(r.Statement, r.Index).Plus(revoked))
		return res
	}
	if st.Withdrawal == nil {
		res.Say(registry.Invalid, vf.T("invalid: the registry says %s but gives no logged withdrawal", st.Outcome))
		return res
	}
	ve, err := vf.V.VerifyLogged(*st.Withdrawal, s.Checkpoint)
	if err != nil {
		res.Say(registry.Invalid, vf.T("invalid: the withdrawal does not verify: %s", err.Error()))
		if errors.Is(err, seal.ErrOutdatedTrustRoot) {
			return vf.Outdated(res, err)
		}
		return res
	}
	// A confidential withdrawal names the release it withdraws by its log index.
	switch rec := ve.Record.(type) {
	case *seal.RetractionRecord:
		if rec.Release != r.Index {
			res.Say(registry.Invalid, vf.T("invalid: the retraction is for another letter"))
			return res
		}
	case *seal.SupersessionRecord:
		if rec.Release != r.Index {
			res.Say(registry.Invalid, vf.T("invalid: the supersession is for another letter"))
			return res
		}
	}
	switch w := ve.Statement.(type) {
	case *seal.RetractionStatement:
		if w.FileDigest != r.Statement.FileDigest || w.Reference != r.Statement.Reference {
			res.Say(registry.Invalid, vf.T("invalid: the retraction is for another letter"))
			return res
		}
		if err := vf.withdrawalSigner(st, ve, s.Checkpoint, w.RetractedBy); err != nil {
			return vf.badWithdrawalSigner(res, err)
		}
		res.Reason = w.Reason
		res.Say(registry.Retracted, vf.T("retracted: %s was retracted on %s by %s: %s", w.Reference, w.Time.Format("2006-01-02"), w.RetractedBy, w.Reason))
	case *seal.SupersessionStatement:
		if w.FileDigest != r.Statement.FileDigest || w.Reference != r.Statement.Reference {
			res.Say(registry.Invalid, vf.T("invalid: the supersession is for another letter"))
			return res
		}
		if err := vf.withdrawalSigner(st, ve, s.Checkpoint, w.SupersededBy); err != nil {
			return vf.badWithdrawalSigner(res, err)
		}
		res.Reason, res.SupersededBy = w.Reason, w.By
		res.Say(registry.Superseded, vf.T("superseded: %s was superseded by %s on %s: %s", w.Reference, w.By, w.Time.Format("2006-01-02"), w.Reason))
	default:
		res.Say(registry.Invalid, vf.T("invalid: the logged withdrawal is not a retraction or supersession"))
	}
	return res
}

// withdrawalSigner checks the member's signature on a withdrawal, beside the office's that
// VerifyLogged checked, when the answer carries the signer key's logged entry (registries
// before it do not): a key-added entry signed by the office and in the seal's checkpoint's
// tree, logged before the withdrawal, for the member the statement names, whose key signed
// the withdrawal's envelope.
func (vf *verifier) withdrawalSigner(st *client.Status, ve *seal.VerifiedEntry, checkpoint []byte, by string) error {
	if st.WithdrawalKey == nil {
		return nil
	}
	kv, err := vf.V.VerifyLogged(*st.WithdrawalKey, checkpoint)
	if err != nil {
		return fmt.Errorf("the key entry of its signer does not verify: %w", err)
	}
	ks, ok := kv.Statement.(*seal.KeyStatement)
	if !ok || kv.Entry.Kind != entry.KeyAdded {
		return errors.New("the registry gave, as the key of its signer, another kind of entry")
	}
	if st.WithdrawalKey.Index >= st.Withdrawal.Index {
		return fmt.Errorf("the key of its signer, %s, was added at log entry %d, not before it", ks.KeyID, st.WithdrawalKey.Index)
	}
	if ks.Member != by {
		return fmt.Errorf("the key given as its signer's, %s, is %s's, not %s's", ks.KeyID, ks.Member, by)
	}
	if ve.Entry.Envelope.Verify(ks.PublicKey) != nil {
		return fmt.Errorf("%s's key %s did not sign it", by, ks.KeyID)
	}
	return nil
}

// badWithdrawalSigner makes res the result of a withdrawal whose member's signature does not
// verify (withdrawalSigner's err).
func (vf *verifier) badWithdrawalSigner(res VerifyResult, err error) VerifyResult {
	res.Say(registry.Invalid, vf.T("invalid: the withdrawal does not verify: %s", err.Error()))
	if errors.Is(err, seal.ErrOutdatedTrustRoot) {
		return vf.Outdated(res, err)
	}
	return res
}

// noSeal reports whether an answer's seal field is absent or null.
func noSeal(raw []byte) bool {
	t := strings.TrimSpace(string(raw))
	return t == "" || t == "null"
}

// revocations checks the key-revoked entries the registry gave for the keys that signed the
// letter, each signed by the office and in the seal's checkpoint's tree: a key revoked before
// the release makes the letter invalid (the gate must have refused it); a key revoked after
// it leaves the letter valid, and the message says so.
func (vf *verifier) revocations(revs []seal.LoggedEntry, checkpoint []byte, r *seal.Result) (verify.Text, error) {
	signed := map[string]string{}
	for _, sg := range r.Statement.Signatures {
		signed[sg.KeyID] = sg.Signer
	}
	var notes []verify.Text
	// The log's signed status counts the revocations: each must be of another key, or one
	// given twice would stand for another left out.
	seen := map[string]bool{}
	for _, le := range revs {
		ve, err := vf.V.VerifyLogged(le, checkpoint)
		if err != nil {
			return verify.Text{}, fmt.Errorf("a key revocation the registry gave does not verify: %w", err)
		}
		if ve.Entry.Kind != entry.KeyRevoked {
			return verify.Text{}, errors.New("the registry gave, as a key revocation, another kind of entry")
		}
		keyID, member, when, err := revoked(ve)
		if err != nil {
			return verify.Text{}, err
		}
		who, ok := signed[keyID]
		if !ok || member != "" && member != who {
			return verify.Text{}, fmt.Errorf("the registry gave the revocation of key %s, which did not sign this letter", keyID)
		}
		if seen[keyID] {
			return verify.Text{}, fmt.Errorf("the registry gave the revocation of key %s twice", keyID)
		}
		seen[keyID] = true
		if le.Index < r.Index {
			return verify.Text{}, fmt.Errorf("%s signed with key %s, revoked at log entry %d, before the release at %d", who, keyID, le.Index, r.Index)
		}
		notes = append(notes, vf.T("%s's key was revoked on %s, after the release", who, when.Format("2006-01-02")))
	}
	if len(notes) == 0 {
		return verify.Text{}, nil
	}
	out := verify.Plain(" (")
	for i, n := range notes {
		if i > 0 {
			out = out.Plus(verify.Plain("; "))
		}
		out = out.Plus(n)
	}
	return out.Plus(verify.Plain(")")), nil
}

// revoked returns the key a verified key-revoked entry revokes, the member it names ("" when
// it names none) and its time: from its statement (a version 1 entry, or a version 2 entry
// given with its opening, as registries before the fiftieth session gave them), else from its
// public record, which carries the key ID and the time in the clear. The statement's member is
// not needed: the key ID is the key's, and the letter's statement names who signed with it.
func revoked(ve *seal.VerifiedEntry) (keyID, member string, when time.Time, err error) {
	switch st := ve.Statement.(type) {
	case *seal.KeyStatement:
		return st.KeyID, st.Member, st.Time, nil
	case nil:
		if rec, ok := ve.Record.(*seal.KeyRecord); ok {
			return rec.KeyID, "", rec.Time, nil
		}
	}
	return "", "", time.Time{}, errors.New("the registry gave, as a key revocation, another kind of entry")
}

// verifyExit carries an exit status of identify and monitor (verify's is verify.Exit); with an
// empty message nothing more is printed.
type verifyExit struct {
	code int
	msg  string
}

func (e *verifyExit) Error() string { return e.msg }
