// Package verify is `chancery verify`: the command, its offline checks of files against their
// seals and the pinned trust root, and its output and exit statuses. Both `chancery verify`
// (internal/cli, which adds the registry's answers online) and the small verifier
// cmd/chancery-verify (offline only) run this code, so that the two can never disagree.
//
// The package links no server, store, PDF or policy code: a fresh process of the small
// verifier starts with few package initialisers, which over a folder of a thousand letters is
// a large part of the run (issue 19 item 2).
package verify

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/seal"
	"golang.org/x/mod/sumdb/note"
)

// The outcomes of a file, as registry names them (registry.Valid and the rest; this package
// does not import the registry).
const (
	Valid      = "valid"
	Retracted  = "retracted"
	Superseded = "superseded"
	Draft      = "draft"
	Altered    = "altered"
	Unknown    = "unknown"
	Invalid    = "invalid"
)

// DiffOp is one step of the difference between a letter's text and an altered file's, as the
// registry answers it (registry.DiffOp has the same fields and JSON names).
type DiffOp struct {
	Op   string `json:"op"` // equal, delete, insert
	Text string `json:"text"`
}

// Result is the stable JSON object `chancery verify --json` prints for each file.
type Result struct {
	File         string     `json:"file"`
	Digest       string     `json:"digest,omitempty"`
	Outcome      string     `json:"outcome"` // valid, retracted, superseded, draft, altered, unknown, invalid, error
	Reference    string     `json:"reference,omitempty"`
	Office       string     `json:"office,omitempty"`
	Subject      string     `json:"subject,omitempty"`
	Signers      []string   `json:"signers,omitempty"`
	ReleasedAt   *time.Time `json:"released_at,omitempty"`
	LogIndex     *int64     `json:"log_index,omitempty"`
	Reason       string     `json:"reason,omitempty"`
	SupersededBy string     `json:"superseded_by,omitempty"`
	// Checked says what the answer rests on: "seal" (offline, the seal against the pinned
	// trust root), "seal+log" (the seal, and the registry's logged withdrawals), or
	// "registry" (the registry's answer, for drafts and unknown files, which have no proof),
	// or "text" (the bytes are unknown; the answer is the registry's identification of the
	// file's text).
	Checked string `json:"checked,omitempty"`
	// Similarity and Diff, for an altered file: how close its text is to the letter's, and
	// what differs from the letter's text to the file's.
	Similarity float64  `json:"similarity,omitempty"`
	Diff       []DiffOp `json:"diff,omitempty"`
	// DraftMark, for a file whose bytes are unknown, says that its text carries the banner
	// every page of a draft copy shows ("DRAFT — NOT AN OFFICIAL DOCUMENT"): the registry's
	// identification of its text (draft_mark) says so, whatever letter the text is close to.
	DraftMark bool `json:"draft_mark,omitempty"`
	// Witnesses are the trust root's witnesses that cosigned the seal's checkpoint, with the
	// time of each cosignature.
	Witnesses []Witness `json:"witnesses,omitempty"`
	Message   string    `json:"message"`
	Error     string    `json:"error,omitempty"`
	// Revised marks a result printed again for a file printed before in the same run: its
	// seal's checkpoint was found, after that, to be one of two trees of one size that the
	// log key signed (a split view, proved by another file's seal). It replaces the earlier.
	Revised bool `json:"revised,omitempty"`
	// SealsWithoutLetter, in the first object of a run only, are the seals of the folders
	// verified that have no letter beside them (X.seal without X: a letter renamed or moved).
	SealsWithoutLetter []string `json:"seals_without_letter,omitempty"`
	// noSeal marks the result of a file that could not be verified offline for want of a
	// seal beside it.
	noSeal bool
	// local is Message in the reader's language (--lang), for the human output only.
	local Text
	// tree is the tree the file's seal proves against, once the seal verified, or verified
	// but for the file's digest (a sound seal of another file: seal.DigestMismatchError).
	tree sealTree
	// was, for a revised result, is the outcome printed before for the file.
	was string
	// besideUnchecked marks a file asked about online beside a seal that was not checked as
	// its own (another log's, a damaged one, another file's): what the registry's answer
	// says of "a seal kept beside the letter" is not said of that one (SealBesideUnchecked).
	besideUnchecked bool
	// besideBelowQuorum, for a file asked about online beside its own seal sound but for the
	// witness quorum, which does not verify offline either (SealBesideBelowQuorum), is what
	// the 'chancery seal refresh' that mends that seal takes (refreshArgs); empty otherwise.
	besideBelowQuorum string
}

// SealBesideBelowQuorum reports whether r is a file asked about online beside a seal sound
// but for the trust root's witness quorum (a seal made before the office had its witnesses):
// offline it does not verify either, until 'chancery seal refresh' proves it again.
func (r *Result) SealBesideBelowQuorum() bool { return r.besideBelowQuorum != "" }

// SealBesideRefreshArgs is, for a file beside a seal sound but for the witness quorum
// (SealBesideBelowQuorum), what the 'chancery seal refresh' that proves that seal against a
// checkpoint the witnesses cosigned takes: the seal, and the --trust and --url this run was
// given, each one word of a command line. Empty for any other file.
func (r *Result) SealBesideRefreshArgs() string { return r.besideBelowQuorum }

// SealBesideUnchecked reports whether r is a file asked about online as one without a seal
// although a seal lies beside it that was not checked as its own: a seal of another log, a
// damaged seal, or a seal of another file. A line that tells the holder a seal kept beside
// the letter still verifies offline would speak of that seal, which does not.
func (r *Result) SealBesideUnchecked() bool { return r.besideUnchecked }

// Witness is a witness that cosigned the checkpoint a seal proves against.
type Witness struct {
	Name       string    `json:"name"`
	CosignedAt time.Time `json:"cosigned_at"`
}

// Online is what verify asks of the registry once a file's digest, and its seal if it has
// one, are checked: `chancery verify` without --offline. Ask is called from several
// workers at once.
type Online interface {
	// Ask completes res for the file whose digest res holds. sealCheckpoint is the signed
	// checkpoint of the file's seal, already verified offline (res says valid), or nil when
	// the file has no seal.
	Ask(res Result, sealCheckpoint []byte) Result
	// Compare compares the signed checkpoint of a seal sound in every respect but the file
	// beside it (seal.DigestMismatchError: verified under the trust root) with the newest
	// checkpoint kept of the log, as Ask does a valid seal's, before the registry is asked
	// about the file as one without a seal: a fork the two prove makes res invalid, with the
	// split view's line, and forked true. A comparison that could not be made (a consistency
	// proof not fetched) leaves the answer for the file to the registry: it is warned of, and
	// res comes back unchanged.
	Compare(res Result, sealCheckpoint []byte, sealPath string) (out Result, forked bool)
}

// Kept is what verify --offline reads of the log's checkpoint kept on this computer, which it
// never writes: offline means no network, not no local state. Only a kept checkpoint of the
// size of a seal's with another root, both signed by the log key (a split view), can be judged
// without a consistency proof.
type Kept interface {
	// Check completes res, valid by its seal at sealPath, whose signed checkpoint (verified
	// under the trust root) has tree size size: it is invalid when the log key signed another
	// tree of that size that this computer keeps. Called from several workers at once.
	Check(res Result, sealCheckpoint []byte, size int64, sealPath string) Result
}

// Verifier verifies files against their seals and the pinned trust root, and asks Online,
// if set, for the rest.
type Verifier struct {
	V *seal.Verifier
	// Seal is the seal file of a single file (--seal); empty, each file's is FILE.seal.
	Seal string
	// MaxAge, if set, bounds the age of the quorum's cosignatures of a seal's checkpoint.
	MaxAge time.Duration
	Quorum int
	// Unwitnessed verifies against the trust root without its witness quorum: online, a seal
	// refused for its quorum alone is one made before the office had its witnesses (see
	// belowQuorum). Nil for a trust root without a quorum.
	Unwitnessed *seal.Verifier
	// P is the language of the printed lines.
	P *i18n.Printer
	// Online asks the registry; nil is --offline.
	Online Online
	// Kept, offline, checks a seal's checkpoint against what this computer keeps of the log
	// (chancery verify's state); nil keeps nothing (the small verifier) or is online, where
	// Online checks it.
	Kept Kept
	// TrustFile is the trust root's file, which the 'chancery seal refresh' the lines
	// suggest is given with --trust: without it, the command copied as printed fails "no
	// trust root" unless CHANCERY_TRUST is set.
	TrustFile string
	// RefreshURL is the registry's URL the holder gave verify on its command line (--url),
	// which the suggested 'chancery seal refresh' is given too: without it, the command asks
	// the trust root's URL, which may not be the address the holder reaches the registry by
	// (a proxy, an internal name). CHANCERY_URL carries over by itself. Empty for none.
	RefreshURL string
	// away are the files that are links leading out of their folder, with the file each
	// leads to: online, the registry is not asked about them (see linkAway).
	away map[string]string
	// orphans are the seals of the folders verified that have no letter beside them (see
	// collectFiles): warned of, listed in the run's first JSON object, and named in the line
	// of a letter of their folder offline without a seal.
	orphans []string
}

// refreshArgs is what the suggested 'chancery seal refresh' takes: the seal, the trust root
// this run verified against, and the registry's URL the holder gave, each one word of the
// command line (shellWord).
func (vf *Verifier) refreshArgs(sealPath string) string {
	args := shellWord(sealPath)
	if vf.TrustFile != "" {
		args += " --trust " + shellWord(Printable(vf.TrustFile))
	}
	if vf.RefreshURL != "" {
		args += " --url " + shellWord(Printable(vf.RefreshURL))
	}
	return args
}

// shellWord is s as one word of a command line the reader copies into a shell: as it is when
// nothing in it is split or expanded there, else in single quotes, each quote in it closing
// them, escaped, and opening them again. Names of folders and files with spaces ("Letters
// 2026/…") are common on the holders' machines, and split there the printed command failed.
// Double quotes would not do: an interactive bash or zsh expands a ! in them from its
// history ("Urgent!! letters" takes in the command run before), which single quotes keep.
// A path that begins with "-" (a file of the folder verify was given as ".") gets "./"
// before it, or the command would read it as an option.
func shellWord(s string) string {
	if strings.HasPrefix(s, "-") {
		s = "./" + s
	}
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return r < 0x80 && !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("_-./:@%+=,", r))
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// cosignedBy names the witnesses that cosigned, for the message: "; cosigned by a (time), b".
func (vf *Verifier) cosignedBy(ws []seal.Cosigner) Text {
	if len(ws) == 0 {
		return Text{}
	}
	parts, local := make([]string, len(ws)), make([]string, len(ws))
	for i, w := range ws {
		parts[i] = fmt.Sprintf("%s (%s)", Printable(w.Name), w.Time.Format("2 January 2006 15:04 UTC"))
		local[i] = parts[i]
		if vf.P != nil {
			local[i] = fmt.Sprintf("%s (%s)", Printable(w.Name), vf.P.DayTime(w.Time))
		}
	}
	t := vf.T("; checkpoint cosigned by %s", strings.Join(parts, ", "))
	if vf.P != nil && vf.P.Lang() != "en" {
		t.Local = vf.P.T("; checkpoint cosigned by %s", strings.Join(local, ", "))
	}
	return t
}

// Fail makes res the result of a file that could not be verified because of err.
func (vf *Verifier) Fail(res Result, err error) Result {
	res.Error = err.Error()
	t := vf.T("could not verify: %s", err.Error())
	if vf.P != nil && vf.P.Lang() != "en" {
		t.Local = vf.P.T("could not verify: %s", localError(vf.P, err))
	}
	res.Say("error", t)
	return res
}

// check verifies a file whose digest is known: against its seal if there is one, then (online)
// against the registry.
func (vf *Verifier) check(res Result, digest seal.Digest, sc *scratch) Result {
	file := res.File
	sealPath := vf.Seal
	if sealPath == "" {
		sealPath = file + ".seal"
	}
	sb, err := sc.readSeal(sealPath, vf.Seal == "")
	if err != nil && vf.Seal == "" {
		// A seal beside the letter that is there but is no file to read (a link to nothing, a
		// directory, a pipe, a seal the user may not read) is a damaged seal, not "no seal"
		// (the lead's decision, sixty-first session).
		if what, ok := vf.notASeal(sealPath, err); ok {
			return vf.damagedAs(res, sealPath, err, what)
		}
	}
	switch {
	case err == nil:
		// The seal is valid until this worker's next one; nothing below keeps its parts.
		s, err := sc.dec.Parse(sb)
		if err != nil {
			return vf.damaged(res, sealPath, err)
		}
		r, err := sc.dec.Verify(vf.V, s, digest)
		if errors.Is(err, seal.ErrWitnessQuorum) && vf.Unwitnessed != nil {
			_, uerr := vf.Unwitnessed.Verify(s, digest)
			if uerr == nil {
				return vf.belowQuorum(res, sealPath, err)
			}
			// Sound but for its quorum, and another file's: online, as a sound seal of
			// another file is (notItsSeal).
			if errors.Is(uerr, seal.ErrDigestMismatch) && vf.Online != nil {
				res.Say(Invalid, vf.T("invalid: this file is not the sealed letter: it was altered, or the seal belongs to another file"))
				return vf.notItsSeal(res, sealPath)
			}
		}
		if err != nil {
			res.Say(Invalid, vf.T("invalid: %s", err.Error()))
			switch {
			case errors.Is(err, seal.ErrOutdatedTrustRoot):
				return vf.Outdated(res, err)
			case errors.Is(err, seal.ErrDigestMismatch):
				// The seal is sound but for the file beside it: its checkpoint is a tree the log
				// key signed all the same, entered into the run's comparison (splitViews), the
				// file's outcome staying its own.
				var dm *seal.DigestMismatchError
				if errors.As(err, &dm) {
					res.tree = sealTree{dm.TreeSize, dm.Root}
				}
				res.Say(Invalid, vf.T("invalid: this file is not the sealed letter: it was altered, or the seal belongs to another file"))
				if vf.Online != nil {
					// Online too its checkpoint is compared with the one kept, as a valid
					// seal's: a fork it proves is the finding, whatever the file is.
					if dm != nil {
						if out, forked := vf.Online.Compare(res, s.Checkpoint, sealPath); forked {
							return out
						}
					}
					return vf.notItsSeal(res, sealPath)
				}
				// Offline, its checkpoint is compared with the one kept, as a valid seal's.
				if dm != nil {
					return vf.kept(res, s.Checkpoint, dm.TreeSize, sealPath)
				}
			case errors.Is(err, seal.ErrMalformed):
				return vf.damaged(res, sealPath, err)
			case errors.Is(err, seal.ErrNotSignedByLog):
				return vf.otherLog(res, sealPath, err, s.Checkpoint)
			}
			return res
		}
		FromRelease(&res, r.Statement, r.Index)
		res.Checked = "seal"
		res.tree = sealTree{r.TreeSize, r.Root}
		for _, w := range r.Cosigners {
			res.Witnesses = append(res.Witnesses, Witness{Name: w.Name, CosignedAt: w.Time})
		}
		// Online, the answer is judged against the registry's latest checkpoint, whatever
		// this seal's age: the bound is on that checkpoint (internal/cli's online).
		if vf.MaxAge > 0 && vf.Online == nil {
			at, why, ok := vf.QuorumAge(r.Cosigners)
			if !ok {
				res.Say(Invalid, why)
				return res
			}
			if time.Since(at) > vf.MaxAge {
				res.Say(Invalid, vf.T("invalid: the witnesses' cosignatures of the seal's checkpoint date from %s, older than --max-age %s: 'chancery seal refresh %s' proves the seal against a newer checkpoint",
					at.Format(time.RFC3339), vf.MaxAge.String(), vf.refreshArgs(sealPath)))
				return res
			}
		}
		if vf.Online == nil && vf.english() {
			m := vf.validOffline(r)
			res.Say(Valid, Text{m, m})
			return vf.kept(res, s.Checkpoint, r.TreeSize, sealPath)
		}
		res.Say(Valid, vf.ValidMessage(r.Statement, r.Index).Plus(vf.cosignedBy(r.Cosigners)))
		if vf.Online == nil {
			res.Say(Valid, res.local.Plus(vf.T(" (offline: in the log at checkpoint %s; retractions and supersessions are not checked offline)", strconv.FormatInt(r.TreeSize, 10))))
			return vf.kept(res, s.Checkpoint, r.TreeSize, sealPath)
		}
		return vf.Online.Ask(res, s.Checkpoint)
	case errors.Is(err, fs.ErrNotExist) && vf.Seal == "" && strings.HasSuffix(file, ".seal"):
		// A seal named as the letter: its digest is no letter's, and the registry would
		// answer unknown ("it may be forged") of a genuine seal.
		return vf.Fail(res, i18n.Errorf(nil, "%s is a seal, not a letter: verify the letter's own file, with this seal beside it (FILE.seal) or named with --seal", file))
	case errors.Is(err, fs.ErrNotExist) && vf.Seal == "":
		if vf.Online == nil {
			res = vf.Fail(res, i18n.Errorf(nil, "no seal %s: offline verification needs the letter's seal", sealPath))
			res.noSeal = true
			return res
		}
		return vf.Online.Ask(res, nil)
	default:
		return vf.Fail(res, err)
	}
}

// kept checks, offline, a valid seal's checkpoint against the one kept on this computer, if
// Kept is set.
func (vf *Verifier) kept(res Result, sealCheckpoint []byte, size int64, sealPath string) Result {
	if vf.Kept == nil {
		return res
	}
	return vf.Kept.Check(res, sealCheckpoint, size, sealPath)
}

// belowQuorum answers for a file whose seal is sound under the trust root but for its witness
// quorum (err wraps seal.ErrWitnessQuorum): it proves the letter against a checkpoint that
// fewer of the trust root's witnesses cosigned than its quorum, as a seal made before the
// office had its witnesses, or raised their quorum, does ('chancery release' wrote it,
// dispatch mailed it). Offline the seal alone vouches for the letter, and the quorum did not
// cosign it: the file is invalid, and the line says how the seal is mended. Online that is no
// judgement of the letter: the registry is asked as for a file without a seal, and its answer
// carries a seal proved against a checkpoint the quorum cosigned, verified as any answer is.
// For a letter in force the line names 'chancery seal refresh', which mends the seal beside
// the file.
func (vf *Verifier) belowQuorum(res Result, sealPath string, err error) Result {
	if vf.Online == nil {
		res.Say(Invalid, vf.T("invalid: %s", err.Error()).Plus(vf.T(" (a seal made before the office had its witnesses: online, 'chancery seal refresh %s' proves it against a checkpoint they cosigned)", vf.refreshArgs(sealPath))))
		return res
	}
	res.besideBelowQuorum = vf.refreshArgs(sealPath)
	res = vf.Online.Ask(res, nil)
	if res.Outcome == Valid { // a withdrawn letter's seal is not refreshed
		res.Say(res.Outcome, res.local.Plus(vf.T(" (the seal beside it predates the witness quorum: 'chancery seal refresh %s' proves it against a checkpoint the witnesses cosigned)", vf.refreshArgs(sealPath))))
	}
	return res
}

// notItsSeal answers, online, for a file whose seal is sound but seals another file (the seal
// verified up to its last step, seal.ErrDigestMismatch): that is a finding about the seal, not
// yet about the file. A genuine letter beside a seal left from the letter it corrects, or
// copied beside it by mistake, is no forgery, and an edited copy of a letter is "altered",
// with where it differs, as it is without the seal (docs/security.md, the threats of the
// design): so the registry is asked as for a file without a seal, and its answer is verified
// as any is. Only when the registry knows neither the file nor a letter close to its text is
// the file invalid, as offline. When the registry cannot be asked, verification could not be
// done, as for the file without its seal (exit 2), and the line says the seal is not the
// file's: an "invalid" would again judge the file by a file beside it, and hide that the
// registry, which may know it, was not reached.
func (vf *Verifier) notItsSeal(mismatch Result, sealPath string) Result {
	mismatch.besideUnchecked = true
	res := vf.Online.Ask(mismatch, nil)
	switch res.Outcome {
	case Unknown:
		return mismatch
	case Invalid:
		return res
	}
	res.Add(vf.T(" (the seal %s is not this file's: it seals another letter, or this file before it was changed)", sealPath))
	return res
}

// otherLog answers for a file whose seal's checkpoint no log key of the trust root signed (err
// wraps seal.ErrNotSignedByLog): a seal of another office's log (a folder mixing two offices'
// files of one name, a seal copied beside the wrong letter), a forged one, or a trust root
// not this office's. Offline the seal is all there is: the file is invalid, and the line says
// what the seal likely is. Online such a seal tells nothing about the file, as a damaged seal
// does not (the lead's decision, sixty-first session): the registry is asked as for a file
// without a seal, its answer verified as any is and printed with the line that the seal is
// not signed by this office's log key, and the advice a damaged seal's answer gets. The
// seal's checkpoint is not this log's: it enters no comparison of the run (no tree is kept
// for it, and the registry is asked without it). (Until the sixty-first session it was
// "invalid" online, exit 1, without the registry being asked, which answered valid for the
// same file alone.)
//
// A checkpoint whose origin is this office's log that a witness the trust root lists
// cosigned, but not signed by the log key (a forged one, or one of a log key the trust root
// does not list), is no other office's: its line says so, not that it is likely
// another office's (found by review of 8936ed8, sixty-first session).
func (vf *Verifier) otherLog(res Result, sealPath string, err error, checkpoint []byte) Result {
	res.Say(Invalid, vf.T("invalid: the seal's checkpoint is not signed by the log key of the trust root in use, so the seal is likely another office's (or forged), or the trust root is not this office's: check --trust %s (%s)",
		shellWord(Printable(vf.TrustFile)), err.Error()))
	if vf.Online == nil {
		return res
	}
	res.besideUnchecked = true
	out := vf.Online.Ask(res, nil)
	// Cosigned by a witness of the trust root (not a note none of its keys signed), with this
	// log's origin: not another office's.
	origin, _, _ := strings.Cut(string(checkpoint), "\n")
	own := origin != "" && origin == vf.V.LogOrigin() && !errors.As(err, new(*note.UnverifiedNoteError))
	switch {
	case out.Outcome == Invalid && own:
		return out
	case own && inForce(out.Outcome):
		out.Add(vf.T(" (the seal %s names this office's log but is not signed by its log key, so it is forged, or the trust root out of date, and was not checked: ask the office for the letter's seal again)", sealPath))
	case own:
		out.Add(vf.T(" (the seal %s names this office's log but is not signed by its log key, so it is forged, or the trust root out of date, and was not checked)", sealPath))
	case inForce(out.Outcome):
		out.Add(vf.T(" (the seal %s is not signed by this office's log key, so it is likely another office's and was not checked: ask the office for the letter's seal again)", sealPath))
	default:
		// Not a letter in force, or an invalid answer (the registry's seal not signed by the
		// trust root's log key either, when --url names the letter's registry): the trust root
		// given may be the one that is not this office's, which the line says, as offline.
		out.Add(vf.T(" (the seal %s is not signed by the log key of the trust root in use, so it is likely another office's, or the trust root is not this office's: check --trust %s; the seal was not checked)", sealPath, shellWord(Printable(vf.TrustFile))))
	}
	return out
}

// inForce reports whether outcome is the registry's answer for a letter it released and
// keeps (valid, retracted or superseded): the one for which the office can give its seal again.
func inForce(outcome string) bool {
	return outcome == Valid || outcome == Retracted || outcome == Superseded
}

// Outdated makes res the result of a file whose seal, or an entry the registry gave about it,
// is in the office's log but signed by an office key the trust root does not list (err wraps
// seal.ErrOutdatedTrustRoot): not a judgement of the letter, the office rotated its key since
// this trust root, so verification could not be done, and the message names the remedy.
// The line is said in the reader's language, as every other is (until the fifty-sixth
// session it was set in English whatever --lang said).
func (vf *Verifier) Outdated(res Result, err error) Result {
	res.Say("error", vf.T("could not verify: the trust root is out of date: the seal is in the office's log but signed by a newer office key (a key rotation); refresh the trust root with 'chancery trust export --out FILE' against the registry (or fetch it from the office), then verify again"))
	res.Error = err.Error()
	return res
}

// damaged answers for a file whose seal cannot be read as one (err wraps seal.ErrMalformed:
// cut short by a download or a copy, emptied by a sync tool, another file saved under its
// name; or seal.ErrUnsupportedVersion, a seal of a newer format than this verifier reads).
// Offline the seal is all there is, and the file is invalid. Online a damaged seal
// proves nothing, for the file or against it, as a sound seal of another file does not
// (notItsSeal): the registry is asked as for a file without a seal, and its answer is
// verified as any is, the line saying the seal is damaged; a file the registry does not know
// stays invalid, and one it cannot be asked about could not be verified. (Found by audit,
// sixtieth session: a released letter beside a seal cut short was "invalid" online without
// the registry being asked, where the same bytes without the seal were valid.)
//
// The advice about the seal follows the answer (the lead's decision, sixtieth session): a
// seal of a newer format is checked by a newer chancery, whatever the answer; another seal
// can be asked of the office only for a letter it released and keeps (valid, retracted or
// superseded); after any other answer (a draft, an altered copy, an erased letter, a file the
// registry does not know, a registry not reached) no seal of this file is to be had, and the
// line only says the seal was not checked.
func (vf *Verifier) damaged(res Result, sealPath string, err error) Result {
	return vf.damagedAs(res, sealPath, err, Text{})
}

// damagedAs is damaged for a seal beside the letter that is there but cannot be read as a
// file, what saying what it is (notASeal); an empty what is a seal that does not parse.
func (vf *Verifier) damagedAs(res Result, sealPath string, err error, what Text) Result {
	newer := errors.Is(err, seal.ErrUnsupportedVersion)
	if what.En != "" {
		key := "invalid: the seal is damaged: %s"
		if vf.Online == nil {
			key = "invalid: the seal is damaged: %s; ask the office for the letter's seal again"
		}
		res.Say(Invalid, vf.tWith(key, what))
	} else {
		res.Say(Invalid, vf.damagedSeal(sealPath, err, vf.Online == nil))
	}
	if vf.Online == nil {
		return res
	}
	res.besideUnchecked = true
	out := vf.Online.Ask(res, nil)
	switch out.Outcome {
	case Unknown:
		return res
	case Invalid:
		return out
	}
	switch {
	case what.En != "" && inForce(out.Outcome):
		out.Add(vf.tWith(" (%s, so no seal was checked: ask the office for the letter's seal again)", what))
	case what.En != "":
		out.Add(vf.tWith(" (%s, so no seal was checked)", what))
	case newer:
		out.Add(vf.T(" (the seal %s is of a newer format than this chancery reads, so it was not checked: a newer version of chancery checks it)", sealPath))
	case inForce(out.Outcome):
		out.Add(vf.T(" (the seal %s is damaged, so it was not checked: ask the office for the letter's seal again)", sealPath))
	default:
		out.Add(vf.T(" (the seal %s is damaged, so it was not checked)", sealPath))
	}
	return out
}

// notASeal reports whether err, the failure to read the seal sealPath beside its letter, is
// that of a seal that is there but is no file to read, and says what it is: a link to
// nothing (or to itself), a directory, a named pipe or a device, or a file this user may not
// read. A seal that is not there at all is not one: the letter has no seal. Only a seal that
// could not be opened is looked at again (an lstat), never a letter's valid path.
func (vf *Verifier) notASeal(sealPath string, err error) (Text, bool) {
	var nf notFileError
	name := Printable(sealPath)
	switch {
	case errors.As(err, &nf):
		switch nf.kind {
		case kindDirectory:
			return vf.T("%s is a directory, not a seal", name), true
		case kindPipe:
			return vf.T("%s is a named pipe, not a seal", name), true
		case kindDevice:
			return vf.T("%s is a device, not a seal", name), true
		}
		return vf.T("%s is not a file, so not a seal", name), true
	case noDevice(err):
		// A socket, or a device with nothing behind it, is refused by open(2) itself (ENXIO),
		// before any fstat could tell what it is: stat it to say so.
		if fi, serr := os.Stat(sealPath); serr == nil {
			switch {
			case fi.Mode()&fs.ModeSocket != 0:
				return vf.T("%s is not a file, so not a seal", name), true
			case fi.Mode()&fs.ModeDevice != 0:
				return vf.T("%s is a device, not a seal", name), true
			}
		}
	case errors.Is(err, fs.ErrNotExist), linkLoop(err), notDir(err):
		// Not opened: a link whose file is not there (or a loop of links, or a path through a
		// file, ENOTDIR) is still a name beside the letter, which the holder sees; nothing at
		// all there is no seal.
		if fi, lerr := os.Lstat(sealPath); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return vf.T("%s is a link to nothing", name), true
		}
	case errors.Is(err, fs.ErrPermission):
		reason := systemReason(err).Error()
		t := vf.T("%s cannot be read: %s", name, reason)
		if !vf.english() {
			t.Local = vf.P.T("%s cannot be read: %s", name, vf.P.Text(reason))
		}
		return t, true
	}
	return Text{}, false
}

// tWith is T of a key whose one argument is a message of its own, said in each language.
func (vf *Verifier) tWith(key string, arg Text) Text {
	en := fmt.Sprintf(key, arg.En)
	if vf.english() {
		return Text{en, en}
	}
	return Text{en, vf.P.T(key, arg.Local)}
}

// damagedSeal says in plain words that a seal file cannot be read, with the parser's detail
// last, for whoever investigates; advise adds the remedy: a newer chancery for a seal of a
// newer format, else the letter's seal asked of the office again (offline, where the seal is
// all there is).
func (vf *Verifier) damagedSeal(path string, err error, advise bool) Text {
	switch {
	case errors.Is(err, seal.ErrUnsupportedVersion):
		return vf.T("invalid: the seal %s is of a newer format than this chancery reads, so it was not checked: a newer version of chancery checks it (%s)", path, err.Error())
	case advise:
		return vf.T("invalid: the seal is damaged: %s is not a seal that can be checked (it was cut short or edited); ask the office for the letter's seal again (%s)", path, err.Error())
	}
	return vf.T("invalid: the seal is damaged: %s is not a seal that can be checked, as it was cut short or edited (%s)", path, err.Error())
}

// FromRelease fills res with what a verified release statement says.
func FromRelease(res *Result, s *seal.ReleaseStatement, index int64) {
	res.Reference, res.Office, res.Subject = s.Reference, s.Office, s.Subject
	res.Signers = SignerNames(s)
	at, idx := s.ReleasedAt, index
	res.ReleasedAt, res.LogIndex = &at, &idx
}

// CosignatureSkew is how far ahead of this computer's clock the witnesses' cosignatures may
// be dated and still have a known age for --max-age: the bound the registry's witness client
// puts on them (witness.MaxClockSkew).
const CosignatureSkew = 10 * time.Minute

// QuorumAge returns the time from which the witness quorum vouches for a checkpoint its
// cosigners cosigned, for --max-age: the quorum-th newest time among the cosignatures whose
// age is known, those dated no more than CosignatureSkew ahead of this computer's clock. A
// cosignature dated later has no known age: counted, it would stand for a witness who vouched
// just now, and a witness whose clock runs ahead would make a stale checkpoint pass with one
// fresh cosignature fewer than the quorum (and, sorted first, would push a fresh one out of a
// quorum of one). When fewer than the quorum have a known age, it says why --max-age cannot be
// checked (ok false).
func (vf *Verifier) QuorumAge(cosigners []seal.Cosigner) (at time.Time, why Text, ok bool) {
	now := time.Now()
	known := make([]seal.Cosigner, 0, len(cosigners))
	var ahead time.Time
	for _, c := range cosigners {
		if c.Time.Sub(now) <= CosignatureSkew {
			known = append(known, c)
		} else if ahead.IsZero() || c.Time.Before(ahead) {
			ahead = c.Time
		}
	}
	if ahead.IsZero() || len(known) >= vf.Quorum {
		return seal.QuorumTime(known, vf.Quorum), Text{}, true
	}
	return time.Time{}, vf.T("invalid: the witnesses' cosignatures date from %s, %s ahead of this computer's clock: their age is not known (a witness's clock, or this computer's, is wrong), so --max-age %s cannot be checked",
		ahead.UTC().Format(time.RFC3339), time.Until(ahead).Round(time.Minute).String(), vf.MaxAge.String()), false
}

// ValidMessage is the message of a valid letter. A letter released under a rule that asks
// for no signature names no signers.
func (vf *Verifier) ValidMessage(s *seal.ReleaseStatement, index int64) Text {
	at, idx := s.ReleasedAt.Format("2006-01-02 15:04 MST"), strconv.FormatInt(index, 10)
	signers := SignerNames(s)
	if len(signers) == 0 {
		return vf.T("valid: %s %q, released by %s on %s (log entry %s)", s.Reference, s.Subject, s.Office, at, idx)
	}
	return vf.T("valid: %s %q, released by %s on %s, signed by %s (log entry %s)",
		s.Reference, s.Subject, s.Office, at, strings.Join(signers, ", "), idx)
}

// SignerNames returns the names of a release statement's signers in order, each once: a
// member who signed with two keys is one signer.
func SignerNames(s *seal.ReleaseStatement) []string {
	var out []string
	for _, sg := range s.Signatures {
		if !slices.Contains(out, sg.Signer) {
			out = append(out, sg.Signer)
		}
	}
	return out
}

// english reports whether the lines are printed in English, where a message is its key
// formatted (see T).
func (vf *Verifier) english() bool {
	return vf.P == nil || vf.P.Lang() == "en"
}

// validOffline is the English message of a seal valid offline: ValidMessage, cosignedBy
// and the offline note, written in one buffer rather than through fmt and three joins. It is
// the line of nearly every file of a folder; TestValidOfflineSameAsT checks it against
// those three.
func (vf *Verifier) validOffline(r *seal.Result) string {
	s := r.Statement
	var buf [512]byte
	b := append(buf[:0], "valid: "...)
	b = append(b, s.Reference...)
	b = append(b, ' ')
	b = strconv.AppendQuote(b, s.Subject) // what %q writes for a string
	b = append(b, ", released by "...)
	b = append(b, s.Office...)
	b = append(b, " on "...)
	b = s.ReleasedAt.AppendFormat(b, "2006-01-02 15:04 MST")
	for i, name := range SignerNames(s) {
		if i == 0 {
			b = append(b, ", signed by "...)
		} else {
			b = append(b, ", "...)
		}
		b = append(b, name...)
	}
	b = append(b, " (log entry "...)
	b = strconv.AppendInt(b, r.Index, 10)
	b = append(b, ')')
	b = append(b, vf.cosignedBy(r.Cosigners).En...)
	b = append(b, " (offline: in the log at checkpoint "...)
	b = strconv.AppendInt(b, r.TreeSize, 10)
	b = append(b, "; retractions and supersessions are not checked offline)"...)
	return string(b)
}
