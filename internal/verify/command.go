package verify

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/seal"
	"github.com/spf13/cobra"
)

// Connect sets up the registry's side of verify, run without --offline, once the trust root
// is read and the files are known: c is the command being run, vf the verifier it will use.
type Connect func(c *cobra.Command, root *seal.TrustRoot, vf *Verifier) (Online, error)

// Keep sets up, for verify --offline, what this computer keeps of the log, which is read and
// never written (see Kept): c is the command being run, vf the verifier it will use.
type Keep func(c *cobra.Command, root *seal.TrustRoot, vf *Verifier) (Kept, error)

// Command is the verify command. use names it ("verify" under chancery, "chancery-verify"
// alone); connect sets up the online checks, and nil makes a verifier of seals only, which
// refuses to run without --offline rather than leave out the registry's answers silently.
func Command(use string, connect Connect) *cobra.Command {
	return CommandKeeping(use, connect, nil)
}

// CommandKeeping is Command whose --offline also reads what keep sets up (chancery verify's
// kept checkpoint); nil keeps nothing, as the small verifier does.
func CommandKeeping(use string, connect Connect, keep Keep) *cobra.Command {
	var sealFile, trustFile string
	var offline, asJSON, verbose bool
	var maxAge time.Duration
	var lang string
	c := &cobra.Command{
		Use:   use + " FILE|DIR... [--seal SEAL] [--trust ROOT] [--offline] [--json] [--max-age D]",
		Short: "Tell whether a file is a released letter, a draft, a retracted letter or unknown",
		Long: `Verify checks files against the office's registry and its transparency log.

With a seal (FILE.seal beside the file, or --seal), the seal is checked against the pinned
trust root: the office's signature on the release statement, the signers' signatures, the
log checkpoint's signature and the inclusion proof. Online (the default), the registry is
then asked whether the letter was retracted or superseded since, and the logged withdrawal
is checked the same way. --offline needs only the seal and the trust root. Online, a file
whose seal is sound but seals another file (a seal left from the letter it corrects, or an
edited copy beside its letter's seal) is then asked about as a file without a seal, once its
seal's checkpoint is compared with the one kept, as a valid seal's is: a fork they prove
makes the file invalid; a consistency proof that cannot be fetched leaves the registry's
answer for the file, and a warning on stderr says the checkpoint was not compared. A file
beside a damaged seal (one that cannot be read as a seal) is asked about online as a file
without a seal too, its line saying the seal is damaged (and, for a released letter, to ask
the office for its seal again); a seal of a newer format than this verifier reads is said to
be one, online and offline. A name FILE.seal beside the file that is no seal to read (a link
to nothing, a directory, a pipe, a seal you may not read) is a damaged seal, its line saying
what it is. A seal whose checkpoint the trust root's log key did not sign is said to be likely
another office's: offline the file is invalid (or the trust root is not this office's: check
--trust); online the registry is asked about the file, as beside a damaged seal.

Without a seal, verify asks the registry by the file's SHA-256 (the file is not uploaded)
and checks the seal the registry returns: it never takes the registry's word for a valid,
retracted or superseded letter. When the bytes are unknown but the file has text (PDF, Word,
Markdown, plain text), verify asks the registry to identify the text (see 'chancery
identify'): a file whose text is close to a released letter's is "altered".

The trust root comes from --trust or CHANCERY_TRUST ('chancery trust export' writes it).
--verbose prints its fingerprint (the SHA-256 of the file, as 'chancery trust export' prints
it) on stderr: compare it with the one the office publishes (its letterhead, its web site).

Online, verify keeps the newest log checkpoint it has seen (in CHANCERY_STATE_DIR, by default
chancery/checkpoints in the user's configuration directory). A registry answer proved against
an older tree, or against a newer one without a consistency proof from the kept one, is
invalid: it may be a replayed answer that hides a later retraction. An answer on an older
tree is asked for again twice, over a second and a quarter, before it is called so: a server of
the office may be a moment behind another.
Directories are walked; .seal files are skipped as letters, and one without its letter
beside it (X.seal and no X: the letter renamed or moved) gets a warning line on stderr (with
--json, the run's first object lists them in "seals_without_letter"); offline, the first
letter of that folder without a seal names them, to give with --seal. A link in a directory is
verified as the file it names; a link to anything but a file is refused. Online, a link to a
file outside its folder is not verified (the registry would be sent that file's digest and
text): verify what it names by its own path.

The seals of one run are compared with each other: two whose checkpoints have one tree size
and different roots, both signed by the log key, prove that the log showed two histories (a
split view); a seal beside a file it does not seal (the file edited) is compared too. Every
file whose seal has that size is invalid, online and offline, and a file
already printed before the second root was met is printed again, with the split view (with --json, an
object with "revised": true, which replaces the one before: the same fields, another outcome
and message). Nothing is kept of this between
runs.

Outcomes: valid, retracted, superseded, draft ("not an official document"), altered, unknown,
invalid.
Exit status: 0 every file is valid; 1 some file is not; 2 verification could not be done
(usage, I/O, registry unreachable). --json prints one JSON object per file, one per line, and
another for a file printed again.

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
			// A bound of 0 is none; a negative one, were it taken as none too, would let every
			// seal pass its freshness check silently.
			if maxAge < 0 {
				return withHintMsg(i18n.Errorf(nil, "--max-age %s is negative", maxAge.String()), i18n.Msg("give how old the witnesses' cosignatures may be, such as 720h, or leave --max-age out for no bound"))
			}
			if trustFile == "" {
				return withHintMsg(i18n.Errorf(nil, "no trust root"), i18n.Msg("pass --trust FILE or set CHANCERY_TRUST; 'chancery trust export --out trust.json' writes one"))
			}
			// Read no further than a trust root can go (one byte past it, which
			// ParseTrustRoot refuses as too large): a large file, or /dev/zero, named by
			// mistake or by whoever set CHANCERY_TRUST, was read whole first.
			tb, err := readUpTo(trustFile, make([]byte, 4<<10), seal.MaxTrustRootSize+1, false)
			if err != nil {
				return withHintMsg(i18n.Errorf(nil, "cannot read the trust root %s: %v", Printable(trustFile), systemReason(err)),
					i18n.Msg("--trust (or CHANCERY_TRUST) names the trust root the office publishes; 'chancery trust export --out trust.json' writes one"))
			}
			root, err := seal.ParseTrustRoot(tb)
			if err != nil {
				return notTrustRoot(trustFile, err)
			}
			v, err := seal.NewVerifier(root)
			if err != nil {
				return notTrustRoot(trustFile, err)
			}
			if verbose {
				// For the holder to compare with the fingerprint the office publishes: a trust
				// root fetched from a registry is that registry's word (--json keeps English).
				const key = "trust root of %s: fingerprint %s (SHA-256 of the file %s); compare it with the one the office publishes"
				args := []any{Printable(root.Office), seal.TrustRootFingerprint(tb), Printable(trustFile)}
				line := fmt.Sprintf(key, args...)
				if !asJSON {
					line = p.T(key, args...)
				}
				fmt.Fprintln(c.ErrOrStderr(), line)
			}
			files, away, orphans, err := collectFiles(args)
			if err != nil {
				return err
			}
			if sealFile != "" && len(files) != 1 {
				return withHintMsg(i18n.Errorf(nil, "--seal goes with exactly one file"), i18n.Msg("put each seal beside its file as FILE.seal to verify several"))
			}
			// The seal named with --seal is the letter's, wherever it lies and however its path
			// is spelt (absolute, through a link): not one without it.
			if sealFile != "" {
				orphans = slices.DeleteFunc(orphans, func(o string) bool { return sameFile(o, sealFile) })
			}
			vf := &Verifier{V: v, Seal: sealFile, MaxAge: maxAge, Quorum: root.WitnessQuorum, P: p, TrustFile: trustFile, away: away, orphans: orphans}
			// Every warning of the run (a seal's checkpoint not compared, the kept checkpoint
			// not saved) goes to stderr through the progress line's writer, which clears that
			// line first: written straight after it, a warning shared its line ("verified 2 of
			// 7 files" and "chancery: warning: …"). Set before connect and keep, which hand
			// the writer they warn on to what they set up.
			// With --json, stderr is the run's one JSON error object or nothing, on a terminal
			// too (as for the other commands, item 842): no progress line there.
			var prog *progress
			if !asJSON {
				prog = newProgress(c.ErrOrStderr(), len(files), p)
			}
			c.SetErr(prog.lines(c.ErrOrStderr()))
			if root.WitnessQuorum > 0 {
				unwitnessed := *root
				unwitnessed.WitnessQuorum = 0
				if vf.Unwitnessed, err = seal.NewVerifier(&unwitnessed); err != nil {
					return notTrustRoot(trustFile, err)
				}
			}
			if !offline {
				if connect == nil {
					return withHintMsg(i18n.Errorf(nil, "%s checks seals offline only: it does not ask the registry whether a letter was retracted or superseded since its seal", c.CommandPath()),
						i18n.Msg("add --offline to check the seals against the trust root, or run 'chancery verify' to ask the registry too"))
				}
				if vf.Online, err = connect(c, root, vf); err != nil {
					return err
				}
			} else if keep != nil {
				if vf.Kept, err = keep(c, root, vf); err != nil {
					return err
				}
			}
			if maxAge > 0 && root.WitnessQuorum == 0 {
				return withHintMsg(i18n.Errorf(nil, "--max-age needs a trust root with witnesses"), i18n.Msg("the freshness bound is on the witnesses' cosignatures; this trust root requires none"))
			}
			// The seals of the folders left without their letter (a letter renamed or moved):
			// a warning each, or with --json the run's first object lists them.
			if !asJSON {
				for _, o := range orphans {
					letter := strings.TrimSuffix(filepath.Base(o), ".seal")
					line := p.T("%s: no letter named %s beside it (renamed or moved?)", Printable(o), Printable(letter))
					if letter == "" {
						// A file named only ".seal" names no letter: "no letter named  beside
						// it" read oddly (review of 77b0f2a; the lead's decision, sixty-second
						// session).
						line = p.T("%s: a seal file with no letter name", Printable(o))
					}
					fmt.Fprintln(c.ErrOrStderr(), p.T("chancery: warning: %s", line))
				}
			}
			results := vf.verifyFiles(files, prog)
			// Each line is printed as soon as it is known, and a folder of any size holds only
			// a few in memory; on the terminal of the progress line, it clears that line first.
			defer prog.finish()
			return Report(prog.lines(c.OutOrStdout()), len(files), results, asJSON)
		},
	}
	c.Flags().StringVar(&sealFile, "seal", "", "the seal of the (single) file (default FILE.seal)")
	c.Flags().StringVar(&trustFile, "trust", "", "the pinned trust root (env CHANCERY_TRUST)")
	c.Flags().BoolVar(&offline, "offline", false, "use only the seal and the trust root; do not ask the registry")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON object per file, and another (\"revised\": true) for a file printed before that a split view makes invalid")
	c.Flags().BoolVar(&verbose, "verbose", false, "also print the trust root's office and fingerprint (SHA-256 of its file) on stderr, to compare with the one the office publishes")
	c.Flags().StringVar(&lang, "lang", "", "language of the lines printed: en, fr or ar (default $CHANCERY_LANG, else the locale: LC_ALL, LC_MESSAGES, LANG); --json stays English")
	c.Flags().DurationVar(&maxAge, "max-age", 0, "refuse a seal whose checkpoint the witness quorum cosigned longer ago than this, e.g. 720h (trust roots with witnesses); online, the registry's latest checkpoint its answer is judged against")
	return c
}

// collectFiles expands directories, skipping seals. It also returns the files that are links
// leading out of their folder (see linkAway), with the file each leads to, and the seals of
// the folders that have no letter beside them (X.seal without X: the letter renamed or
// moved), found from the folders' listings alone: a seal read in a folder's listing just
// after its letter, as sorted names put them, is matched at once; any other is looked for
// among the folder's files once the folder is walked.
func collectFiles(args []string) ([]string, map[string]string, []string, error) {
	var out, orphans []string
	away := map[string]string{}
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			return nil, nil, nil, withHintMsg(i18n.Errorf(nil, "cannot read the file to verify %s: %v", Printable(a), systemReason(err)),
				i18n.Msg("check the path: pass the letters to verify, or the folder that holds them"))
		}
		if !fi.IsDir() {
			if t, ok := linkAway(a, filepath.Dir(a)); ok {
				away[a] = t
			}
			out = append(out, a)
			continue
		}
		before := len(out)
		var unmatched []string // seals not read just after their letter
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return printablePath(err)
			}
			if d.IsDir() {
				return nil
			}
			if letter, ok := strings.CutSuffix(p, ".seal"); ok {
				if len(out) == before || out[len(out)-1] != letter {
					unmatched = append(unmatched, p)
				}
				return nil
			}
			// A link to a file is verified as that file, as a link named alone is: skipped, a
			// forged letter behind one left a folder "all valid". Anything else that is not a
			// file (a link to a folder, which may be the folder itself, a dangling link, a pipe
			// or a device, which may never end) is not read, nor passed over in silence.
			if d.Type()&fs.ModeSymlink != 0 {
				if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
					if t, ok := linkAway(p, a); ok {
						away[p] = t
					}
					out = append(out, p)
					return nil
				}
			} else if d.Type().IsRegular() {
				out = append(out, p)
				return nil
			}
			return withHintMsg(i18n.Errorf(nil, "%s is not a file, nor a link to one, so the folder cannot be verified whole", Printable(p)),
				i18n.Msg("verify what it names by its own path, or take it out of the folder"))
		})
		if err != nil {
			return nil, nil, nil, err
		}
		if len(unmatched) > 0 {
			letters := slices.Clone(out[before:])
			slices.Sort(letters)
			var folded map[string]bool // the letters' names in lower case, made once needed
			for _, s := range unmatched {
				letter := strings.TrimSuffix(s, ".seal")
				if _, found := slices.BinarySearch(letters, letter); found {
					continue
				}
				if folded == nil {
					folded = make(map[string]bool, len(letters))
					for _, l := range letters {
						folded[strings.ToLower(l)] = true
					}
				}
				if !folded[strings.ToLower(letter)] || !underAnotherCase(letter) {
					orphans = append(orphans, s)
				}
			}
		}
		// A folder with nothing to check is a mistake (a wrong path, files not copied yet),
		// not a success: no letter in it was shown valid.
		if len(out) == before {
			return nil, nil, nil, withHintMsg(i18n.Errorf(nil, "%s holds no files to verify", Printable(a)), i18n.Msg("pass the folder of the letters, or the files themselves; .seal files are read beside their letters, not verified alone"))
		}
	}
	return out, away, orphans, nil
}

// underAnotherCase reports whether the file system has the letter of a seal the folder's
// listing shows without it, under a name that differs from letter in case only: on a
// case-insensitive file system (macOS's default, Windows) Letter.pdf beside letter.pdf.seal
// is verified with that seal, which open finds by the other case, and was yet warned of as a
// seal without its letter, the listing's names being matched byte for byte (review of
// 77b0f2a; the lead's decision, sixty-second session). It is asked only of a seal whose
// letter's name is, in another case, one of the folder's letters (collectFiles), never on a
// valid letter's path: one lstat tells whether the file system finds that letter by the
// seal's name. Only a letter of the listing counts: the name may lead, on such a file
// system, to a seal (X.Seal.seal beside the seal X.seal, kept warned of as X.seal.seal is) or
// to a directory, which are no letters (found by review of 42c226b, sixty-second session).
func underAnotherCase(letter string) bool {
	fi, err := os.Lstat(letter)
	return err == nil && !fi.IsDir()
}

// sameFile reports whether the paths a and b name one file: spelt alike once cleaned, or
// the same file found by both (an absolute path and a relative one, a path through a link).
func sameFile(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

// linkAway reports whether p is a link to a file outside the folder dir (both resolved), and
// returns that file. Online, verify asks the registry about a file by its digest and, when
// the registry does not know it, sends it the file's text: a folder of leaked files holding
// a link to ../../.ssh/id_ed25519 or /proc/self/environ, as an archive can, made verify send
// the office's registry the text of a file of this computer. A link to something other than
// a file (a shell's <(…) names a pipe through one) is not away.
func linkAway(p, dir string) (string, bool) {
	if fi, err := os.Lstat(p); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return "", false
	}
	if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
		return "", false
	}
	target, err := resolve(p)
	if err != nil {
		// A file that cannot be named (deleted, or behind /proc's links) is away.
		t, _ := os.Readlink(p)
		return t, true
	}
	root, err := resolve(dir)
	if err != nil {
		return target, true
	}
	rel, err := filepath.Rel(root, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return target, true
	}
	return "", false
}

// resolve returns the absolute path of p with every link in it followed: a link may name its
// file by an absolute path, its folder be given by a relative one.
func resolve(p string) (string, error) {
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	return filepath.Abs(r)
}

// printablePath is err with the path of a *fs.PathError escaped (Printable). The error line
// keeps the line breaks of a message of several lines (ErrorLines), so a file of a leaked
// folder named "x\nvalid: TFN-2026-000123 …" printed a line of its own choosing, a forged
// verdict, under "chancery: error:".
func printablePath(err error) error {
	pe, ok := err.(*fs.PathError)
	if !ok || Printable(pe.Path) == pe.Path {
		return err
	}
	c := *pe
	c.Path = Printable(pe.Path)
	return &c
}

// Report prints the n results that results yields to w and turns them into the exit status:
// nil when every file is valid, else an *Exit.
func Report(w io.Writer, n int, results iter.Seq[Result], asJSON bool) error {
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	enc := json.NewEncoder(bw)
	color := !asJSON && useColor(w)
	// A terminal shows each line as it comes, rather than a buffer's worth at a time.
	eachLine := isTerminal(w)
	notValid, errs := 0, 0
	for r := range results {
		msg := Printable(r.line()) // the registry's and the seal's text, escaped before colour
		if color {
			msg = colorOutcome(r.Outcome, msg)
		}
		// Written piece by piece rather than through fmt, which would allocate for each line.
		switch {
		case asJSON:
			enc.Encode(r)
		case n == 1:
			bw.WriteString(msg)
			bw.WriteByte('\n')
		default:
			bw.WriteString(Printable(r.File))
			bw.WriteString(": ")
			bw.WriteString(msg)
			bw.WriteByte('\n')
		}
		if eachLine {
			bw.Flush()
		}
		if r.Revised && r.was == "error" {
			errs-- // the file is now invalid, no longer a file that could not be verified
		}
		switch r.Outcome {
		case Valid:
		case "error":
			errs++
		default:
			notValid++
		}
	}
	switch {
	case errs > 0:
		m := i18n.Msg("%d of %d files could not be verified", errs, n)
		return &Exit{Code: ExitError, msg: m.String(), local: m}
	case notValid > 0:
		return &Exit{Code: ExitFailed}
	}
	return nil
}

// Exit carries verify's exit status; with an empty message nothing more is printed.
type Exit struct {
	Code int
	msg  string
	// local is msg as a message, said in the reader's language.
	local i18n.Message
}

func (e *Exit) Error() string { return e.msg }

// Translate says the message in p's language.
func (e *Exit) Translate(p *i18n.Printer) string { return e.local.Translate(p) }

// Main runs the small verifier, cmd/chancery-verify, with args (without the program name) and
// returns its exit status. Its errors are printed as `chancery verify` prints them (see
// internal/cli's run), so that a script gets the same lines and statuses from either.
func Main(args []string, stdout, stderr io.Writer) int {
	defer RoomierCollector()()
	c := Command("chancery-verify", nil)
	// Its own help, offline only: verify's speaks of the registry's answers online, which this
	// program refuses to ask for (the lead's decision, sixty-second session).
	c.Short = "Check letters against their seals and the office's trust root, offline"
	c.Long = smallVerifierHelp
	c.Use = "chancery-verify --offline FILE|DIR... [--seal SEAL] [--trust ROOT] [--json] [--max-age D]"
	c.Flags().Lookup("offline").Usage = "required: check the seals against the trust root only (this program asks no registry)"
	c.Flags().Lookup("max-age").Usage = "refuse a seal whose checkpoint the witness quorum cosigned longer ago than this, e.g. 720h (trust roots with witnesses)"
	// Its own examples: every one with --offline, which it requires, and the trust root.
	c.Example = `  chancery-verify --offline --trust trust.json TFN-2026-000123.pdf
  chancery-verify --offline --trust trust.json letters/
  chancery-verify --offline --json --trust trust.json leaked.pdf
  chancery-verify --offline --lang ar --trust trust.json TFN-2026-000123.pdf`
	c.SilenceErrors, c.SilenceUsage = true, true
	c.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return withHint(err, fmt.Sprintf("see '%s --help'", c.CommandPath()))
	})
	c.SetArgs(args)
	c.SetOut(stdout)
	c.SetErr(stderr)
	err := c.Execute()
	if err == nil {
		return ExitOK
	}
	code, hint := ExitError, ""
	var e *Exit
	if errors.As(err, &e) {
		code = e.Code
	}
	var h *Hinted
	if errors.As(err, &h) {
		hint = h.HintText()
	} else if strings.HasPrefix(err.Error(), "requires at least ") {
		hint = fmt.Sprintf("see '%s --help'", c.CommandPath())
	}
	switch msg := err.Error(); {
	case msg == "": // the answers are printed; the status says the rest
	case wantsJSON(c):
		json.NewEncoder(stderr).Encode(struct {
			Error string `json:"error"`
			Hint  string `json:"hint,omitempty"`
		}{msg, hint})
	default:
		ErrorLines(stderr, err, msg, hint)
	}
	return code
}

// smallVerifierHelp is chancery-verify's description: the checks of 'chancery verify
// --offline', which are all it does.
const smallVerifierHelp = `chancery-verify checks letters against their seals and the office's pinned trust root, on
this computer alone. It asks no registry, and --offline, which says so, is required.
It is the small verifier: the same checks, lines and exit statuses as 'chancery verify
--offline', in a program that does not contain the registry's server, except one: 'chancery
verify --offline' also reads the log checkpoint 'chancery verify' keeps on this computer
(CHANCERY_STATE_DIR) and finds a seal of a split view it proves; chancery-verify neither keeps
nor reads one.

Each file is checked against its seal: FILE.seal beside it, or the one named with --seal (for
a single file). The seal is checked against the trust root: the office's signature on the
release statement, the signers' signatures, the log checkpoint's signature (and the witnesses'
cosignatures the trust root requires) and the inclusion proof of the letter in that log. A
valid letter is the one the office released, as it was released: whether it was retracted or
superseded since is not checked, and the line says so; 'chancery verify', which asks the
office's registry, checks it. A file without its seal could not be verified: it needs one.
A file that is not its seal's letter (altered, or a seal of another file beside it), a seal
that cannot be read as one (cut short, edited, a name FILE.seal that is no file to read), and
a seal whose checkpoint the trust root's log key did not sign (likely another office's, or the
trust root is not this office's: check --trust) make the file invalid.

The trust root comes from --trust or CHANCERY_TRUST: the file the office publishes ('chancery
trust export' writes it). --verbose prints its fingerprint (the SHA-256 of the file) on stderr:
compare it with the one the office publishes (its letterhead, its web site). --max-age bounds
how long ago the witnesses cosigned a seal's checkpoint (trust roots with witnesses).

Folders are walked; .seal files are read beside their letters, not verified alone. A seal
without its letter beside it (X.seal and no X: the letter renamed or moved) gets a warning line
on stderr (with --json, the run's first object lists them in "seals_without_letter"), and the
first letter of that folder without a seal names them, to give with --seal. A link in a folder
is verified as the file it names; a link to anything but a file is refused.

The seals of one run are compared with each other: two whose checkpoints have one tree size
and different roots, both signed by the log key, prove that the log showed two histories (a
split view). Every file whose seal has that size is invalid, and a file already printed before
the second root was met is printed again, with the split view (with --json, an object with
"revised": true, which replaces the one before). Nothing is kept between runs.

Outcomes: valid, invalid; a file that could not be verified says why.
Exit status: 0 every file is valid; 1 some file is not; 2 verification could not be done
(usage, a file without its seal, I/O, a trust root older than the office's key). --json prints
one JSON object per file, one per line, and another for a file printed again.

The lines, and the error and hint when verification cannot be done, are printed in English,
French or Arabic: --lang, else CHANCERY_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG, such
as fr_FR.UTF-8). --json (its lines and its error object) and the exit statuses are the same in
every language.`

// wantsJSON reports whether c ran with --json.
func wantsJSON(c *cobra.Command) bool {
	f := c.Flags().Lookup("json")
	return f != nil && f.Value.String() == "true"
}
