package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/textract"
	"github.com/spf13/cobra"
)

// VerifyResult is the stable JSON object `chancery verify --json` prints for each file.
type VerifyResult struct {
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
	Similarity float64           `json:"similarity,omitempty"`
	Diff       []registry.DiffOp `json:"diff,omitempty"`
	// Witnesses are the trust root's witnesses that cosigned the seal's checkpoint, with the
	// time of each cosignature.
	Witnesses []VerifyWitness `json:"witnesses,omitempty"`
	Message   string          `json:"message"`
	Error     string          `json:"error,omitempty"`
	// local is Message in the reader's language (--lang), for the human output only.
	local text
}

// VerifyWitness is a witness that cosigned the checkpoint a seal proves against.
type VerifyWitness struct {
	Name       string    `json:"name"`
	CosignedAt time.Time `json:"cosigned_at"`
}

func newVerify(rm *remote) *cobra.Command {
	var sealFile, trustFile string
	var offline, asJSON bool
	var maxAge time.Duration
	var lang string
	c := &cobra.Command{
		Use:   "verify FILE|DIR... [--seal SEAL] [--trust ROOT] [--offline] [--json] [--max-age D]",
		Short: "Tell whether a file is a released letter, a draft, a retracted letter or unknown",
		Long: `Verify checks files against the office's registry and its transparency log.

With a seal (FILE.seal beside the file, or --seal), the seal is checked against the pinned
trust root: the office's signature on the release statement, the signers' signatures, the
log checkpoint's signature and the inclusion proof. Online (the default), the registry is
then asked whether the letter was retracted or superseded since, and the logged withdrawal
is checked the same way. --offline needs only the seal and the trust root.

Without a seal, verify asks the registry by the file's SHA-256 (the file is not uploaded)
and checks the seal the registry returns: it never takes the registry's word for a valid,
retracted or superseded letter. When the bytes are unknown but the file has text (PDF, Word,
Markdown, plain text), verify asks the registry to identify the text (see 'chancery
identify'): a file whose text is close to a released letter's is "altered".

The trust root comes from --trust or CHANCERY_TRUST ('chancery trust export' writes it).

Online, verify keeps the newest log checkpoint it has seen (in CHANCERY_STATE_DIR, by default
chancery/checkpoints in the user's configuration directory). A registry answer proved against
an older tree, or against a newer one without a consistency proof from the kept one, is
invalid: it may be a replayed answer that hides a later retraction.
Directories are walked; .seal files are skipped as letters.

Outcomes: valid, retracted, superseded, draft ("not an official document"), altered, unknown,
invalid.
Exit status: 0 every file is valid; 1 some file is not; 2 verification could not be done
(usage, I/O, registry unreachable). --json prints one JSON object per file, one per line.

The lines, and the error and hint when verification cannot be done, are printed in English,
French or Arabic: --lang, else CHANCERY_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG, such
as fr_FR.UTF-8). --json (its lines and its error object) and the exit statuses are the same in
every language.`,
		Example: `  chancery verify --trust trust.json TFN-2026-000123.pdf
  chancery verify --offline --trust trust.json letters/
  chancery verify --json leaked.pdf
  chancery verify --lang ar --trust trust.json TFN-2026-000123.pdf`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) (err error) {
			if trustFile == "" {
				trustFile = os.Getenv("CHANCERY_TRUST")
			}
			p, err := outputLanguage(lang, os.Getenv)
			if err != nil {
				return err
			}
			// From here on, an error is said in the reader's language (--json keeps English).
			defer func() { err = inLanguage(p, err) }()
			if trustFile == "" {
				return withHintMsg(i18n.Errorf(nil, "no trust root"), i18n.Msg("pass --trust FILE or set CHANCERY_TRUST; 'chancery trust export --out trust.json' writes one"))
			}
			tb, err := os.ReadFile(trustFile)
			if err != nil {
				return err
			}
			root, err := seal.ParseTrustRoot(tb)
			if err != nil {
				return i18n.Errorf(nil, "trust root %s: %v", trustFile, err)
			}
			v, err := seal.NewVerifier(root)
			if err != nil {
				return i18n.Errorf(nil, "trust root %s: %v", trustFile, err)
			}
			files, err := collectFiles(args)
			if err != nil {
				return err
			}
			if sealFile != "" && len(files) != 1 {
				return withHintMsg(i18n.Errorf(nil, "--seal goes with exactly one file"), i18n.Msg("put each seal beside its file as FILE.seal to verify several"))
			}
			var cl *client.Client
			if !offline {
				if !c.Flags().Changed("url") && root.BaseURL != "" && os.Getenv("CHANCERY_URL") == "" {
					rm.url = root.BaseURL
				}
				if cl, err = rm.client(false); err != nil {
					return err
				}
			}
			var cps *checkpointState
			if cl != nil {
				if cps, err = loadCheckpointState(stateDir(), root.LogKey, c.ErrOrStderr()); err != nil {
					return err
				}
			}
			if maxAge > 0 && root.WitnessQuorum == 0 {
				return withHintMsg(i18n.Errorf(nil, "--max-age needs a trust root with witnesses"), i18n.Msg("the freshness bound is on the witnesses' cosignatures; this trust root requires none"))
			}
			vf := &verifier{v: v, cl: cl, c: c, seal: sealFile, cps: cps, maxAge: maxAge, quorum: root.WitnessQuorum, p: p}
			prog := newProgress(c.ErrOrStderr(), len(files))
			results := vf.verifyFiles(files, prog)
			if isTerminal(c.OutOrStdout()) {
				// On a terminal the lines follow the progress line, once it is cleared; elsewhere
				// each is printed as soon as it is known, and a folder of any size holds only a
				// few in memory.
				all := slices.Collect(results)
				prog.finish()
				return reportSeq(c, len(files), slices.Values(all), asJSON)
			}
			defer prog.finish()
			return reportSeq(c, len(files), results, asJSON)
		},
	}
	c.Flags().StringVar(&sealFile, "seal", "", "the seal of the (single) file (default FILE.seal)")
	c.Flags().StringVar(&trustFile, "trust", "", "the pinned trust root (env CHANCERY_TRUST)")
	c.Flags().BoolVar(&offline, "offline", false, "use only the seal and the trust root; do not ask the registry")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON object per file")
	c.Flags().StringVar(&lang, "lang", "", "language of the lines printed: en, fr or ar (default $CHANCERY_LANG, else the locale: LC_ALL, LC_MESSAGES, LANG); --json stays English")
	c.Flags().DurationVar(&maxAge, "max-age", 0, "refuse a seal whose checkpoint the witness quorum cosigned longer ago than this, e.g. 720h (trust roots with witnesses)")
	return c
}

// collectFiles expands directories, skipping seals.
func collectFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			out = append(out, a)
			continue
		}
		before := len(out)
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() && !strings.HasSuffix(p, ".seal") {
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		// A folder with nothing to check is a mistake (a wrong path, files not copied yet),
		// not a success: no letter in it was shown valid.
		if len(out) == before {
			return nil, withHintMsg(i18n.Errorf(nil, "%s holds no files to verify", a), i18n.Msg("pass the folder of the letters, or the files themselves; .seal files are read beside their letters, not verified alone"))
		}
	}
	return out, nil
}

type verifier struct {
	v    *seal.Verifier
	cl   *client.Client
	c    *cobra.Command
	seal string
	// cps is the newest checkpoint seen of the log (online only): a registry answer proved
	// against an older tree is refused.
	cps *checkpointState
	// maxAge, if set, bounds the age of the quorum's cosignatures of a seal's checkpoint.
	maxAge time.Duration
	quorum int
	// p is the language of the printed lines.
	p *i18n.Printer
}

// cosignedBy names the witnesses that cosigned, for the message: "; cosigned by a (time), b".
func (vf *verifier) cosignedBy(ws []seal.Cosigner) text {
	if len(ws) == 0 {
		return text{}
	}
	parts, local := make([]string, len(ws)), make([]string, len(ws))
	for i, w := range ws {
		parts[i] = fmt.Sprintf("%s (%s)", printable(w.Name), w.Time.Format("2 January 2006 15:04 UTC"))
		local[i] = parts[i]
		if vf.p != nil {
			local[i] = fmt.Sprintf("%s (%s)", printable(w.Name), vf.p.DayTime(w.Time))
		}
	}
	t := vf.T("; checkpoint cosigned by %s", strings.Join(parts, ", "))
	if vf.p != nil && vf.p.Lang() != "en" {
		t.local = vf.p.T("; checkpoint cosigned by %s", strings.Join(local, ", "))
	}
	return t
}

// check verifies a file whose digest is known: against its seal if there is one, then (online)
// against the registry.
func (vf *verifier) check(res VerifyResult, digest seal.Digest, sc *scratch) VerifyResult {
	file := res.File
	fail := func(err error) VerifyResult {
		res.Error = err.Error()
		t := vf.T("could not verify: %s", err.Error())
		if vf.p != nil && vf.p.Lang() != "en" {
			t.local = vf.p.T("could not verify: %s", localError(vf.p, err))
		}
		res.say("error", t)
		return res
	}

	sealPath := vf.seal
	if sealPath == "" {
		sealPath = file + ".seal"
	}
	sb, err := sc.readSeal(sealPath)
	switch {
	case err == nil:
		// The seal is valid until this worker's next one; nothing below keeps its parts.
		s, err := sc.dec.Parse(sb)
		if err != nil {
			res.say(registry.Invalid, vf.damagedSeal(sealPath, err))
			return res
		}
		r, err := vf.v.Verify(s, digest)
		if err != nil {
			res.say(registry.Invalid, vf.T("invalid: %s", err.Error()))
			switch {
			case errors.Is(err, seal.ErrOutdatedTrustRoot):
				// Not a judgement of the seal: the office rotated its key since this trust root.
				res.Outcome, res.Error = "error", err.Error()
				res.Message = "could not verify: the trust root is out of date: the seal is in the office's log but signed by a newer office key (a key rotation); refresh the trust root with 'chancery trust export --out FILE' against the registry (or fetch it from the office), then verify again"
			case errors.Is(err, seal.ErrDigestMismatch):
				res.say(registry.Invalid, vf.T("invalid: this file is not the sealed letter: it was altered, or the seal belongs to another file"))
			case errors.Is(err, seal.ErrMalformed):
				res.say(registry.Invalid, vf.damagedSeal(sealPath, err))
			}
			return res
		}
		fromRelease(&res, r.Statement, r.Index)
		res.Checked = "seal"
		for _, w := range r.Cosigners {
			res.Witnesses = append(res.Witnesses, VerifyWitness{Name: w.Name, CosignedAt: w.Time})
		}
		if vf.maxAge > 0 {
			if at := r.MinCosignatureTime(vf.quorum); time.Since(at) > vf.maxAge {
				res.say(registry.Invalid, vf.T("invalid: the witnesses' cosignatures of the seal's checkpoint date from %s, older than --max-age %s: 'chancery seal refresh %s' proves the seal against a newer checkpoint",
					at.Format(time.RFC3339), vf.maxAge.String(), sealPath))
				return res
			}
		}
		if vf.cl == nil && vf.english() {
			m := vf.validOffline(r)
			res.say(registry.Valid, text{m, m})
			return res
		}
		res.say(registry.Valid, vf.validMessage(r.Statement, r.Index).plus(vf.cosignedBy(r.Cosigners)))
		if vf.cl == nil {
			res.say(registry.Valid, res.local.plus(vf.T(" (offline: as of checkpoint %s; retractions since are not known)", strconv.FormatInt(r.TreeSize, 10))))
			return res
		}
		// The seal's checkpoint is one the registry's answer must not be older than.
		if err := vf.cps.sealCheckpoint(vf.c.Context(), vf.cl, s.Checkpoint); err != nil {
			return vf.logProblem(res, err)
		}
	case errors.Is(err, fs.ErrNotExist) && vf.seal == "":
		if vf.cl == nil {
			return fail(i18n.Errorf(nil, "no seal %s: offline verification needs the letter's seal", sealPath))
		}
	default:
		return fail(err)
	}

	st, err := vf.cl.VerifyDigest(vf.c.Context(), string(digest))
	if err != nil {
		return fail(err)
	}
	return vf.online(res, st)
}

// identify answers for a file whose bytes the registry does not know, from its text: a text
// close to a released letter's makes the file "altered", one close to a draft's (which only
// members learn) a draft. A file without text, or a text the registry does not know, stays
// unknown.
func (vf *verifier) identify(res VerifyResult) VerifyResult {
	data, err := readBounded(res.File)
	if err != nil {
		return res
	}
	text, err := textract.Text(mediaTypeOf(res.File, data), data)
	if err != nil {
		return res
	}
	id, err := vf.cl.Identify(vf.c.Context(), text)
	if err != nil || id.Outcome == registry.Unknown {
		return res
	}
	res.Checked, res.Reference, res.Similarity, res.Diff = "text", id.Reference, id.Similarity, id.Diff
	if id.Outcome == registry.Draft {
		res.say(registry.Draft, vf.T("draft: not an official document: %s", id.Message))
		return res
	}
	state := id.Outcome
	if id.Status != nil {
		state = id.Status.Outcome
	}
	switch id.Match {
	case "excerpt":
		res.say(registry.Altered, vf.T("altered: these bytes are not a released letter, but the text is an excerpt of %s (%s; similarity %.2f): compare with the original before relying on it", id.Reference, state, id.Similarity))
	case "exact":
		res.say(registry.Altered, vf.T("altered: these bytes are not a released letter, but the text is that of %s (%s; similarity %.2f): compare with the original before relying on it", id.Reference, state, id.Similarity))
	default:
		res.say(registry.Altered, vf.T("altered: these bytes are not a released letter, but the text is close to %s (%s; similarity %.2f): compare with the original before relying on it", id.Reference, state, id.Similarity))
	}
	return res
}

// online checks the registry's answer: valid, retracted and superseded come with a seal (and a
// logged withdrawal) that are verified here; draft and unknown are the registry's word.
func (vf *verifier) online(res VerifyResult, st *client.Status) VerifyResult {
	switch st.Outcome {
	case registry.Draft, registry.Unknown:
		if res.Checked == "seal" {
			// A verified seal but a registry that does not know the letter: the registry
			// forgot a logged release, which is itself a finding.
			res.say(registry.Invalid, vf.T("invalid: the seal verifies but the registry does not know the letter: report this to the office"))
			return res
		}
		res.Checked = "registry"
		res.say(st.Outcome, vf.registryText(st.Message))
		if st.Outcome == registry.Unknown {
			return vf.identify(res)
		}
		if st.Outcome == registry.Draft {
			m := vf.T("draft: not an official document: this file is not a released letter of %s", st.Office)
			if st.Draft != nil {
				res.Reference = st.Draft.Reference
				m = m.plus(vf.T(" (it is %s version %s", st.Draft.Reference, strconv.Itoa(st.Draft.Version)))
				for _, e := range st.Draft.Exports {
					m = m.plus(vf.T("; exported for %s by %s on %s", e.Recipient, e.By, e.At.Format("2006-01-02")))
				}
				m = m.plus(text{")", ")"})
			}
			res.say(registry.Draft, m)
		}
		return res
	case registry.Valid, registry.Retracted, registry.Superseded:
	default:
		res.say(registry.Invalid, vf.T("invalid: the registry answered an unknown outcome %q", st.Outcome))
		return res
	}
	s, err := seal.Parse(st.Seal)
	if err != nil {
		res.say(registry.Invalid, vf.T("invalid: the registry's seal is malformed: %s", err.Error()))
		return res
	}
	r, err := vf.v.Verify(s, seal.Digest(res.Digest))
	if err != nil {
		res.say(registry.Invalid, vf.T("invalid: the registry's seal does not verify: %s", err.Error()))
		return res
	}
	fromRelease(&res, r.Statement, r.Index)
	res.Checked = "seal+log"
	// An answer proved against an older tree than one already seen may be a replay that hides
	// a withdrawal logged since (issue 12 item 4).
	answerCP := s.Checkpoint
	if st.Latest != nil {
		// The registry's seal may be the one kept from the release, against an older
		// checkpoint: the answer is as current as the latest checkpoint that extends it.
		if answerCP, err = vf.cps.extends(s.Checkpoint, st.Latest); err != nil {
			return vf.logProblem(res, err)
		}
	}
	if err := vf.cps.answer(vf.c.Context(), vf.cl, answerCP); err != nil {
		return vf.logProblem(res, err)
	}
	revoked, err := vf.revocations(st.Revocations, s.Checkpoint, r)
	if err != nil {
		res.say(registry.Invalid, vf.T("invalid: %s", err.Error()))
		return res
	}
	if st.Outcome == registry.Valid {
		res.say(registry.Valid, vf.validMessage(r.Statement, r.Index).plus(revoked))
		return res
	}
	if st.Withdrawal == nil {
		res.say(registry.Invalid, vf.T("invalid: the registry says %s but gives no logged withdrawal", st.Outcome))
		return res
	}
	ve, err := vf.v.VerifyLogged(*st.Withdrawal, s.Checkpoint)
	if err != nil {
		res.say(registry.Invalid, vf.T("invalid: the withdrawal does not verify: %s", err.Error()))
		return res
	}
	// A confidential withdrawal names the release it withdraws by its log index.
	switch rec := ve.Record.(type) {
	case *seal.RetractionRecord:
		if rec.Release != r.Index {
			res.say(registry.Invalid, vf.T("invalid: the retraction is for another letter"))
			return res
		}
	case *seal.SupersessionRecord:
		if rec.Release != r.Index {
			res.say(registry.Invalid, vf.T("invalid: the supersession is for another letter"))
			return res
		}
	}
	switch w := ve.Statement.(type) {
	case *seal.RetractionStatement:
		if w.FileDigest != r.Statement.FileDigest || w.Reference != r.Statement.Reference {
			res.say(registry.Invalid, vf.T("invalid: the retraction is for another letter"))
			return res
		}
		res.Reason = w.Reason
		res.say(registry.Retracted, vf.T("retracted: %s was retracted on %s by %s: %s", w.Reference, w.Time.Format("2006-01-02"), w.RetractedBy, w.Reason))
	case *seal.SupersessionStatement:
		if w.FileDigest != r.Statement.FileDigest || w.Reference != r.Statement.Reference {
			res.say(registry.Invalid, vf.T("invalid: the supersession is for another letter"))
			return res
		}
		res.Reason, res.SupersededBy = w.Reason, w.By
		res.say(registry.Superseded, vf.T("superseded: %s was superseded by %s on %s: %s", w.Reference, w.By, w.Time.Format("2006-01-02"), w.Reason))
	default:
		res.say(registry.Invalid, vf.T("invalid: the logged withdrawal is not a retraction or supersession"))
	}
	return res
}

// damagedSeal says in plain words that a seal file cannot be read, with the parser's detail
// last, for whoever investigates.
func (vf *verifier) damagedSeal(path string, err error) text {
	return vf.T("invalid: the seal is damaged: %s is not a seal that can be checked (it was cut short or edited); ask the office for the letter's seal again (%s)", path, err.Error())
}

// revocations checks the key-revoked entries the registry gave for the keys that signed the
// letter, each signed by the office and in the seal's checkpoint's tree: a key revoked before
// the release makes the letter invalid (the gate must have refused it); a key revoked after
// it leaves the letter valid, and the message says so.
func (vf *verifier) revocations(revs []seal.LoggedEntry, checkpoint []byte, r *seal.Result) (text, error) {
	signed := map[string]string{}
	for _, sg := range r.Statement.Signatures {
		signed[sg.KeyID] = sg.Signer
	}
	var notes []text
	for _, le := range revs {
		ve, err := vf.v.VerifyLogged(le, checkpoint)
		if err != nil {
			return text{}, fmt.Errorf("a key revocation the registry gave does not verify: %w", err)
		}
		ks, ok := ve.Statement.(*seal.KeyStatement)
		if !ok || ve.Entry.Kind != entry.KeyRevoked {
			return text{}, errors.New("the registry gave, as a key revocation, another kind of entry")
		}
		who, ok := signed[ks.KeyID]
		if !ok || ks.Member != who {
			return text{}, fmt.Errorf("the registry gave the revocation of key %s, which did not sign this letter", ks.KeyID)
		}
		if le.Index < r.Index {
			return text{}, fmt.Errorf("%s signed with key %s, revoked at log entry %d, before the release at %d", who, ks.KeyID, le.Index, r.Index)
		}
		notes = append(notes, vf.T("%s's key was revoked on %s, after the release", who, ks.Time.Format("2006-01-02")))
	}
	if len(notes) == 0 {
		return text{}, nil
	}
	out := text{" (", " ("}
	for i, n := range notes {
		if i > 0 {
			out = out.plus(text{"; ", "; "})
		}
		out = out.plus(n)
	}
	return out.plus(text{")", ")"}), nil
}

func fromRelease(res *VerifyResult, s *seal.ReleaseStatement, index int64) {
	res.Reference, res.Office, res.Subject = s.Reference, s.Office, s.Subject
	res.Signers = signerNames(s)
	at, idx := s.ReleasedAt, index
	res.ReleasedAt, res.LogIndex = &at, &idx
}

func (vf *verifier) validMessage(s *seal.ReleaseStatement, index int64) text {
	return vf.T("valid: %s %q, released by %s on %s, signed by %s (log entry %s)",
		s.Reference, s.Subject, s.Office, s.ReleasedAt.Format("2006-01-02 15:04 MST"), strings.Join(signerNames(s), ", "), strconv.FormatInt(index, 10))
}

// english reports whether the lines are printed in English, where a message is its key
// formatted (see T).
func (vf *verifier) english() bool {
	return vf.p == nil || vf.p.Lang() == "en"
}

// validOffline is the English message of a seal valid offline: validMessage, cosignedBy
// and the offline note, written in one buffer rather than through fmt and three joins. It is
// the line of nearly every file of a folder; TestValidOfflineSameAsT checks it against
// those three.
func (vf *verifier) validOffline(r *seal.Result) string {
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
	b = append(b, ", signed by "...)
	for i, name := range signerNames(s) {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, name...)
	}
	b = append(b, " (log entry "...)
	b = strconv.AppendInt(b, r.Index, 10)
	b = append(b, ')')
	b = append(b, vf.cosignedBy(r.Cosigners).en...)
	b = append(b, " (offline: as of checkpoint "...)
	b = strconv.AppendInt(b, r.TreeSize, 10)
	b = append(b, "; retractions since are not known)"...)
	return string(b)
}

// report prints the results and turns them into the exit status.
func report(c *cobra.Command, results []VerifyResult, asJSON bool) error {
	return reportSeq(c, len(results), slices.Values(results), asJSON)
}

// reportSeq is report for the n results that results yields.
func reportSeq(c *cobra.Command, n int, results iter.Seq[VerifyResult], asJSON bool) error {
	w := bufio.NewWriter(c.OutOrStdout())
	defer w.Flush()
	enc := json.NewEncoder(w)
	color := !asJSON && useColor(c.OutOrStdout())
	notValid, errs := 0, 0
	for r := range results {
		msg := printable(r.line()) // the registry's and the seal's text, escaped before colour
		if color {
			msg = colorOutcome(r.Outcome, msg)
		}
		// Written piece by piece rather than through fmt, which would allocate for each line.
		switch {
		case asJSON:
			enc.Encode(r)
		case n == 1:
			w.WriteString(msg)
			w.WriteByte('\n')
		default:
			w.WriteString(printable(r.File))
			w.WriteString(": ")
			w.WriteString(msg)
			w.WriteByte('\n')
		}
		switch r.Outcome {
		case registry.Valid:
		case "error":
			errs++
		default:
			notValid++
		}
	}
	switch {
	case errs > 0:
		m := i18n.Msg("%d of %d files could not be verified", errs, n)
		return &verifyExit{code: ExitError, msg: m.String(), local: m}
	case notValid > 0:
		return &verifyExit{code: ExitFailed}
	}
	return nil
}

// verifyExit carries verify's exit status; with an empty message nothing more is printed.
type verifyExit struct {
	code int
	msg  string
	// local is msg as a message, said in the reader's language.
	local i18n.Message
}

func (e *verifyExit) Error() string { return e.msg }

// Translate says the message in p's language.
func (e *verifyExit) Translate(p *i18n.Printer) string { return e.local.Translate(p) }
