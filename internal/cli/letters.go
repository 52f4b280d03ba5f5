package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/exclfile"
	"github.com/chancery/chancery/internal/keys"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/spf13/cobra"
)

func newMember(rm *remote) *cobra.Command {
	c := &cobra.Command{Use: "member", Short: "Manage the office's members (admin)"}
	var roleFlags []string
	var addJSON bool
	add := &cobra.Command{
		Use:   "add NAME --role ROLE[,ROLE]...",
		Short: "Add a member and print their token (last line, shown once)",
		Long: `Add a member with one or more roles: drafter, reviewer, signer, release, admin, and
the office's own roles that its policy names (such as legal). Only reviewers approve and only
signers sign: an office role counts beside one of them, so a legal adviser whose approval the
policy asks for is added with --role reviewer,legal (or --role reviewer --role legal).
The token is printed once, on the last line; the registry keeps only its hash.
Under a policy with 'two_admins: true' it proposes the change instead (exit status 4): a
second admin carries it out with 'chancery change approve', and
receives the token.`,
		Example: `  chancery member add rita --role reviewer
  chancery member add lea --role reviewer,legal`,
		Args: cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			// Every --role given: a string flag given twice kept its last value alone, and
			// added the member without the roles of the first.
			roles := splitList(strings.Join(roleFlags, ","))
			tok, err := cl.AddMember(ctx(c), args[0], roles)
			if err != nil {
				if conflictOver(err) {
					name := printable(args[0])
					return withHint(err, "a member named %s exists already ('chancery member show %s'); for a new token, 'chancery member token %s'", name, name, name)
				}
				// Under two_admins the member is proposed: the second admin who carries it out
				// is not warned, so the proposer is.
				if registry.Proposed(err) != nil {
					if w := idleOfficeRoles(args[0], roles); w != "" {
						fmt.Fprintf(warnings(c), "chancery: warning: %s\n", w)
					}
				}
				return memberErr(err, args[0])
			}
			if w := idleOfficeRoles(args[0], roles); w != "" {
				fmt.Fprintf(warnings(c), "chancery: warning: %s\n", w)
			}
			if addJSON {
				return writeJSON(c.OutOrStdout(), map[string]any{"name": args[0], "roles": roles, "token": tok})
			}
			fmt.Fprintf(c.ErrOrStderr(), "added %s (%s); their token, shown once:\n", args[0], strings.Join(roles, ","))
			if _, err := fmt.Fprintln(c.OutOrStdout(), tok); err != nil {
				return withHint(fmt.Errorf("print %s's token: %w", args[0], err),
					"%s is added, their token was not printed: give them a new one with 'chancery member token %s'", args[0], args[0])
			}
			return nil
		}),
	}
	addJSONFlag(add, &addJSON)
	add.Flags().StringSliceVar(&roleFlags, "role", nil, "roles (repeatable, or comma-separated)")
	add.MarkFlagRequired("role")
	c.AddCommand(add)
	c.AddCommand(newMemberPassword(rm))
	c.AddCommand(memberCommands(rm)...)
	return c
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func newKey(rm *remote) *cobra.Command {
	c := &cobra.Command{Use: "key", Short: "Signer keys: create, register, list, revoke"}
	var out, comment string
	var keyJSON bool
	newCmd := &cobra.Command{
		Use:   "new --out FILE",
		Short: "Create an encrypted Ed25519 signer key (FILE) and its public key (FILE.pub)",
		Long: `Create a signer key. FILE is encrypted with a passphrase (age, scrypt) and never leaves
your machine: 'chancery sign' signs locally and uploads only the signature. The passphrase
comes from CHANCERY_PASSPHRASE_FILE, CHANCERY_PASSPHRASE or a prompt.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := asksNoRegistry(c); err != nil {
				return err
			}
			if err := checkDirOf(out); err != nil {
				return err // before the passphrase is typed, twice, for nothing
			}
			pass, err := keys.NewPassphrase("passphrase for the new key: ", os.Stdin, c.ErrOrStderr())
			if err != nil {
				return newPassphraseHint(err)
			}
			if err := keys.CheckNewPassphrase(pass); err != nil {
				return withHint(err, "choose a longer, less predictable passphrase (a few words are easy to type): it is all that protects the key if the file is copied")
			}
			k, err := keys.Generate()
			if err != nil {
				return err
			}
			if err := keys.WriteNew(out, k, pass, keys.Comment(comment), keys.WorkFactor(keyWorkFactor)); err != nil {
				return newKeyFileHint(err, out)
			}
			return printNewKey(c, out, k, keyJSON)
		},
	}
	addJSONFlag(newCmd, &keyJSON)
	newCmd.Flags().StringVar(&out, "out", "", "key file to create")
	newCmd.Flags().StringVar(&comment, "comment", "", "comment for the public key")
	newCmd.MarkFlagRequired("out")
	register := &cobra.Command{
		Use:   "register FILE.pub",
		Short: "Register your public signer key (logged as a key-added entry)",
		Args:  cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			b, err := readLimited(args[0], maxKeyFile)
			if err != nil {
				return withHint(fmt.Errorf("public key file: %w", err), "pass the .pub file that 'chancery key new' wrote")
			}
			pub, _, err := keys.ParsePublic(b)
			if err != nil {
				return withHint(err, "pass the .pub file that 'chancery key new' wrote")
			}
			id, idx, err := cl.RegisterKey(ctx(c), pub)
			if err != nil {
				if conflictOver(err) && strings.Contains(err.Error(), "add signer key ") {
					return withHint(err, "this key is registered already, perhaps revoked since: a key is registered once ('chancery member show NAME' lists the keys); for a new key, 'chancery key new'")
				}
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "registered key %s (log entry %d)\n", id, idx)
			return nil
		}),
	}
	var reason string
	revoke := &cobra.Command{
		Use:   "revoke KEYID --reason R",
		Short: "Revoke a signer key (logged); its signatures stop counting",
		Args:  cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			idx, err := cl.RevokeKey(ctx(c), args[0], reason)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "revoked key %s (log entry %d)\n", args[0], idx)
			return nil
		}),
	}
	revoke.Flags().StringVar(&reason, "reason", "", "why the key is revoked")
	revoke.MarkFlagRequired("reason")
	var listJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List your signer keys, revoked ones included, with their log entries",
		Long: `List shows the signer keys registered in your name, in the order they were registered: each
key's ID, the log entry that added it and, if it is revoked, the one that revoked it. A key
stolen with your laptop is revoked by the ID shown here ('chancery key revoke'); a key in
force that you did not register was registered by whoever held your token: revoke it, and
ask an admin for a new token.`,
		Example: `  chancery key list
  chancery key list --json`,
		Args: cobra.NoArgs,
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			ks, err := cl.Keys(ctx(c))
			if err != nil {
				return err
			}
			if listJSON {
				return writeJSON(c.OutOrStdout(), ks)
			}
			if len(ks) == 0 {
				fmt.Fprintln(c.OutOrStdout(), "no signer key is registered in your name")
				return nil
			}
			for _, k := range ks {
				state := "in force"
				if k.RevokedIndex != nil {
					state = fmt.Sprintf("revoked (log entry %d)", *k.RevokedIndex)
				}
				fmt.Fprintf(c.OutOrStdout(), "%s  added (log entry %d)  %s\n", printable(k.KeyID), k.AddedIndex, state)
			}
			return nil
		}),
	}
	addJSONFlag(list, &listJSON)
	c.AddCommand(newCmd, register, revoke, list)
	return c
}

// newPassphraseHint adds advice to the failure to read a new key's passphrase.
func newPassphraseHint(err error) error {
	if errors.Is(err, keys.ErrPassphrasesDiffer) {
		return withHint(err, "nothing was written: run the command again and type the same passphrase twice")
	}
	return withHint(err, keys.PassphraseHint)
}

// readUpload reads a letter's file to upload, of at most client.MaxFileBytes: the registry
// refuses what is over its own limit (serve --max-upload), but a file is read whole before it
// is sent. A device (/dev/zero, a terminal) is refused unread, and a regular file by its
// size; a pipe is read to the bound.
func readUpload(path string) (client.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return client.File{}, fmt.Errorf("letter file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return client.File{}, err
	}
	switch {
	case !fi.Mode().IsRegular() && fi.Mode().Type() != fs.ModeNamedPipe:
		return client.File{}, fmt.Errorf("%s is not a file (%v)", path, fi.Mode().Type())
	case fi.Size() > client.MaxFileBytes:
		return client.File{}, fmt.Errorf("%s is larger than %d bytes", path, client.MaxFileBytes)
	}
	b, err := io.ReadAll(io.LimitReader(f, client.MaxFileBytes+1))
	if err != nil {
		return client.File{}, err
	}
	if int64(len(b)) > client.MaxFileBytes {
		return client.File{}, fmt.Errorf("%s is larger than %d bytes", path, client.MaxFileBytes)
	}
	return client.File{Name: filepath.Base(path), Data: b}, nil
}

func newLetter(rm *remote) *cobra.Command {
	c := &cobra.Command{Use: "letter", Short: "Letters: create, revise, show, list, fetch"}
	var subject, class, file string
	var tags, to []string
	newCmd := &cobra.Command{
		Use:   "new --subject S --class C --to A --file F",
		Short: "Create a letter with its first version; prints the reference (last line)",
		Long: `New registers a letter and its first version, the file as given. The file is a PDF, Markdown
or plain text (laid out on the letterhead), Word (DOCX) or OpenDocument (ODT) (converted to
PDF by the server's LibreOffice), or an image or scan: PNG, JPEG, TIFF (every page), GIF,
BMP or WebP (placed on A4 pages). A file of any other type (ZIP, CSV, a spreadsheet, data) is
enclosed: attached to a cover letter on the letterhead that states its name, type, size and
SHA-256, and a draft copy is that cover letter without the file. Its type is read from its
content. Whatever the file, draft copies, the preview and the release are PDFs; the file
stays the letter's version.`,
		Example: `  chancery letter new --subject "Repositioning of forces" --class foreign-government \
    --tag force-posture --to "Ministry of Defence" --file letter.md`,
		Args: cobra.NoArgs,
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			f, err := readUpload(file)
			if err != nil {
				return err
			}
			cr, err := cl.CreateLetter(ctx(c), subject, class, tags, to, f)
			if err != nil {
				return labelHint(err)
			}
			fmt.Fprintf(c.ErrOrStderr(), "created version 1 (%s)\n", cr.Digest)
			fmt.Fprintln(c.OutOrStdout(), cr.Reference)
			return nil
		}),
	}
	newCmd.Flags().StringVar(&subject, "subject", "", "subject line")
	newCmd.Flags().StringVar(&class, "class", "", "class, e.g. foreign-government, press, internal")
	newCmd.Flags().StringArrayVar(&tags, "tag", nil, "tag (repeatable)")
	newCmd.Flags().StringArrayVar(&to, "to", nil, "addressee (repeatable)")
	newCmd.Flags().StringVar(&file, "file", "", "the letter's file")
	for _, f := range []string{"subject", "class", "to", "file"} {
		newCmd.MarkFlagRequired(f)
	}
	var rfile string
	revise := &cobra.Command{
		Use:   "revise REF --file F",
		Short: "Add a new version (voids earlier approvals and signatures)",
		Args:  cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			f, err := readUpload(rfile)
			if err != nil {
				return err
			}
			cr, err := cl.Revise(ctx(c), args[0], f)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "%s version %d (%s)\n", cr.Reference, cr.Version, cr.Digest)
			return nil
		}),
	}
	revise.Flags().StringVar(&rfile, "file", "", "the new version's file")
	revise.MarkFlagRequired("file")
	var asJSON bool
	show := &cobra.Command{
		Use:   "show REF",
		Short: "Show a letter: versions, approvals, signatures and what the release still needs",
		Args:  cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			v, err := cl.Letter(ctx(c), args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return json.NewEncoder(c.OutOrStdout()).Encode(v)
			}
			w := c.OutOrStdout()
			fmt.Fprintf(w, "%s  %s\n", v.Reference, v.Subject)
			fmt.Fprintf(w, "state: %s   class: %s   tags: %s\nto: %s\nauthor: %s\n", v.State, v.Class, strings.Join(v.Tags, ", "), strings.Join(v.Addressees, "; "), v.Author)
			tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "\nversion\tdigest\tfile\tby\twhen")
			for _, x := range v.Versions {
				fmt.Fprintf(tw, "%d\t%s\t%s (%s, %d bytes)\t%s\t%s\n", x.N, x.Digest, x.FileName, x.MediaType, x.Size, x.By, humanTime(x.At))
			}
			tw.Flush()
			for _, a := range v.Approvals {
				fmt.Fprintf(w, "%s by %s on %s: %s\n", a.Decision, a.Member, short(a.Version), a.Comment)
			}
			for _, s := range v.Signatures {
				fmt.Fprintf(w, "signed by %s (key %s) on %s\n", s.Member, short(s.KeyID), short(s.Version))
			}
			if v.Decision != nil {
				fmt.Fprintln(w)
				printDecision(w, v.Decision)
			}
			if v.DraftErased {
				fmt.Fprintln(w, "\ncontent erased: a draft restored from a backup taken before its release and erasure, erased again; it can be neither revised nor released")
			}
			if v.Release != nil {
				fmt.Fprintf(w, "\nreleased version %d by %s on %s, log entry %d, file %s\n", v.Release.Version, v.Release.By, humanTime(v.Release.At), v.Release.LogIndex, v.Release.FileDigest)
				if v.Release.ErasedAt != nil {
					fmt.Fprintf(w, "content erased on %s\n", humanTime(*v.Release.ErasedAt))
				}
			}
			if v.Withdrawal != nil {
				fmt.Fprintf(w, "%s by %s on %s (log entry %d): %s %s\n", v.Withdrawal.Kind, v.Withdrawal.Member, humanTime(v.Withdrawal.At), v.Withdrawal.LogIndex, v.Withdrawal.Reason, v.Withdrawal.By)
			}
			return nil
		}),
	}
	show.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	var eraseReason string
	var yes bool
	erase := &cobra.Command{
		Use:   "erase REF --reason R --yes",
		Short: "Erase a released letter's content for good (admin): the log keeps its entries, nobody can read them again",
		Long: `Erase honours an erasure request about personal data in a released letter without
rewriting history. It deletes the openings of the letter's release and withdrawal entries and
the registry's copies of what the letter said: subject, tags, addressees, the versions' and
the released file's bytes, review comments, the withdrawal's reason, and its text
fingerprints. The public log is untouched and still verifies; its entries for the letter now
commit to statements nobody can recover, except the fields its class logged in the clear
(a policy's disclose: a press release's subject, say), which the log keeps for good. The
registry still answers, for the released file's
digest, that a letter was released on its date; seals already handed to holders keep
verifying offline. It cannot be undone.

On SQLite the erasure also overwrites with zeros every byte of the database file that holds
no live data, where earlier writes leave old copies: it reads the whole file, a few seconds
per gigabyte, and other writes wait meanwhile. On PostgreSQL run VACUUM FULL afterwards
(docs/design/confidentiality.md).`,
		Example: `  chancery letter erase TFN-2026-000042 --reason "erasure request of 3 March (GDPR art. 17)" --yes`,
		Args:    cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			if !yes {
				return withHint(errors.New("erase cannot be undone"), "add --yes to erase the content of %s for good", args[0])
			}
			if err := cl.Erase(ctx(c), args[0], eraseReason); err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "erased the content of %s; its log entries stay\n", args[0])
			return nil
		}),
	}
	erase.Flags().StringVar(&eraseReason, "reason", "", "why (kept in the audit trail)")
	erase.Flags().BoolVar(&yes, "yes", false, "confirm: the content cannot be recovered")
	erase.MarkFlagRequired("reason")
	c.AddCommand(newCmd, revise, show, newLetterList(rm), newLetterFetch(rm), erase, newLetterPreview(rm))
	return c
}

func short(s string) string {
	s = strings.TrimPrefix(s, "sha256:")
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

func newApprove(rm *remote, reject bool) *cobra.Command {
	var comment, version string
	use, short := "approve REF", "Approve the latest version of a letter (reviewer)"
	if reject {
		use, short = "reject REF --comment C", "Reject the latest version of a letter, with a comment (reviewer)"
	}
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			decided, err := decideVersion(c, cl, args[0], version)
			if err != nil {
				return err
			}
			if err := cl.Approve(ctx(c), args[0], decided, comment, reject); err != nil {
				return err
			}
			verb := "approved"
			if reject {
				verb = "rejected"
			}
			fmt.Fprintf(c.OutOrStdout(), "%s %s %s\n", verb, args[0], decided)
			return nil
		}),
	}
	c.Flags().StringVar(&comment, "comment", "", "comment")
	c.Flags().StringVar(&version, "version", "", "digest of the version you read (refused if it is not the latest); without it, the latest version is shown and its digest sent")
	if reject {
		c.MarkFlagRequired("comment")
	}
	return c
}

func newSign(rm *remote) *cobra.Command {
	var keyFile, version string
	c := &cobra.Command{
		Use:   "sign REF --key FILE [--version DIGEST]",
		Short: "Sign the latest version of a letter with your key, locally (signer)",
		Long: `Sign fetches the exact statement for the letter's latest version (reference, digest,
metadata, policy), shows what you are signing (before the passphrase is asked: stop there
with Ctrl-C if it is not what you read), signs it locally with your key file and uploads only
the signature. The private key never leaves this machine.

With --version, the digest of the version you read ('chancery letter show'), nothing is
signed unless the statement is for that version: a revision uploaded since is refused.`,
		Args: cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			if err := checkKeyFile(keyFile); err != nil {
				return err
			}
			var read seal.Digest
			if version != "" {
				d, err := seal.ParseDigest(version)
				if err != nil {
					return withHint(err, "pass the digest of the version you read, as 'chancery letter show' prints it")
				}
				read = d
			}
			st, err := cl.SigningStatementOf(ctx(c), args[0], string(read))
			if err != nil {
				return err
			}
			id, sig, err := signStatement(c, args[0], read, keyFile, st)
			if err != nil {
				return err
			}
			if err := cl.Sign(ctx(c), args[0], id, st.Statement, sig); err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "signed %s with key %s\n", args[0], short(id))
			return nil
		}),
	}
	c.Flags().StringVar(&keyFile, "key", "", "your encrypted key file")
	c.Flags().StringVar(&version, "version", "", "digest of the version you read (nothing is signed if it is not the latest); without it, the latest version is signed and shown")
	c.MarkFlagRequired("key")
	return c
}

func newRelease(rm *remote) *cobra.Command {
	var dir, version string
	var asJSON bool
	c := &cobra.Command{
		Use:   "release REF --out DIR",
		Short: "Release a letter through the policy gate; writes the file and FILE.seal (release officer)",
		Args:  cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			return releaseTo(c, cl, args[0], version, dir, asJSON)
		}),
	}
	c.Flags().StringVar(&dir, "out", ".", "directory for the released file and its seal")
	c.Flags().StringVar(&version, "version", "", "digest of the version you read (refused if it is not the latest); without it, the latest version is shown and its digest sent")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON: reference, log_index, file, seal, file_digest, media_type, check_code, verify_url")
	return c
}

// checkWithdrawal checks, before the signer signs, that the record the registry asks them to
// sign commits to a withdrawal of ref (by by) for reason, and returns that statement.
func checkWithdrawal(st *client.Statement, ref, by, reason string) ([]byte, error) {
	if st.Opening == nil {
		return nil, errors.New("the registry sent a withdrawal record without its opening: is it older than this chancery?")
	}
	kind := entry.Retraction
	if by != "" {
		kind = entry.Supersession
	}
	if want := kind.PayloadTypeV(entry.V2); st.PayloadType != want {
		return nil, fmt.Errorf("the registry asks to sign the withdrawal record as %q, not %q: nothing was signed", st.PayloadType, want)
	}
	var err error
	if by == "" {
		rec := new(seal.RetractionRecord)
		if err = seal.Unmarshal(st.Statement, rec); err == nil {
			var w *seal.RetractionStatement
			if w, err = seal.OpenRetraction(rec, st.Opening); err == nil && (w.Reference != ref || w.Reason != reason) {
				err = errors.New("it is not the retraction asked for")
			}
		}
	} else {
		rec := new(seal.SupersessionRecord)
		if err = seal.Unmarshal(st.Statement, rec); err == nil {
			var w *seal.SupersessionStatement
			if w, err = seal.OpenSupersession(rec, st.Opening); err == nil && (w.Reference != ref || w.By != by || w.Reason != reason) {
				err = errors.New("it is not the supersession asked for")
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("the registry's withdrawal record does not check out, nothing was signed: %w", err)
	}
	return st.Opening.Statement, nil
}

// releasedName names a released file after its reference, keeping the extension. Both come
// from the registry's answer, which someone on the way may have written (a registry reached
// over plain HTTP): any character but a letter, a digit, '.', '-' and '_' becomes '_', so the
// name is a file in the directory asked for, never a path elsewhere.
func releasedName(ref, fileName string) string {
	name := strings.Map(func(c rune) rune {
		if unicode.IsLetter(c) || unicode.IsDigit(c) || c == '.' || c == '-' || c == '_' {
			return c
		}
		return '_'
	}, ref+filepath.Ext(filepath.Base(fileName)))
	// Nor a hidden file: in a home directory, ".bash_login" or ".profile" is run by the shell.
	if strings.HasPrefix(name, ".") {
		return "_" + name
	}
	return name
}

// writeNew writes a file that must not exist yet, readable by its owner alone: a letter, a
// draft copy or a seal is confidential, and on a shared machine a umask lets every account
// read what os.Create makes. Whoever should have it is handed it. It is created whole
// (exclfile.Create): a command killed while it writes leaves no torn file under the name,
// but on a file system without hard links (a FAT stick), where it is written in place.
func writeNew(name string, data []byte) error {
	return writeError(name, exclfile.CreateAnywhere(name, data, 0o600))
}

// writePublic writes a file that must not exist yet and that anyone may read: a trust root.
func writePublic(name string, data []byte) error {
	return writeError(name, exclfile.CreateAnywhere(name, data, 0o644))
}

// writeError says why the new file name could not be written in the user's terms: the
// temporary file beside it that exclfile links into place is no name they gave.
func writeError(name string, err error) error {
	switch {
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%s already exists: nothing was written", name)
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: the directory %s does not exist: nothing was written", name, filepath.Dir(name))
	case err != nil:
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

func newWithdraw(rm *remote, supersede bool) *cobra.Command {
	var reason, keyFile, by string
	use, short := "retract REF --reason R --key FILE", "Retract a released letter, with a signed reason every verifier shows (signer)"
	if supersede {
		use, short = "supersede REF --by REF2 --key FILE [--reason R]", "Mark a released letter superseded by another released letter (signer)"
	}
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			if err := checkKeyFile(keyFile); err != nil {
				return err
			}
			if supersede && reason == "" {
				reason = "superseded by " + by
			}
			st, err := cl.WithdrawalStatement(ctx(c), args[0], by, reason)
			if err != nil {
				return err
			}
			opened, err := checkWithdrawal(st, args[0], by, reason)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.ErrOrStderr(), "signing the logged record of %s\n", printable(string(opened)))
			id, sig, err := signRecord(c, keyFile, st)
			if err != nil {
				return err
			}
			res, err := cl.Withdraw(ctx(c), args[0], by, id, st, sig)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "%s %s\n", res.Outcome, args[0])
			return nil
		}),
	}
	reasonUsage := "the reason every verifier will show"
	if supersede {
		reasonUsage += " (default \"superseded by REF2\")"
	}
	c.Flags().StringVar(&reason, "reason", "", reasonUsage)
	c.Flags().StringVar(&keyFile, "key", "", "your encrypted key file")
	c.MarkFlagRequired("key")
	if supersede {
		c.Flags().StringVar(&by, "by", "", "reference of the released letter that replaces this one")
		c.MarkFlagRequired("by")
	} else {
		c.MarkFlagRequired("reason")
	}
	return c
}

func newDraft(rm *remote) *cobra.Command {
	c := &cobra.Command{Use: "draft", Short: "Draft copies for coordination"}
	var recipient, out, version string
	export := &cobra.Command{
		Use:   "export REF --for RECIPIENT --out FILE [--version DIGEST]",
		Short: "Export the latest version as a recorded coordination draft (it verifies as a draft)",
		Args:  cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			if err := checkOutFile(out); err != nil {
				return err
			}
			d, err := cl.ExportDraft(ctx(c), args[0], recipient, version)
			if err != nil {
				return converterHint(err)
			}
			if err := writeNew(out, d.Data); err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "exported %s version %s for %s to %s (%s)\n", args[0], d.Version, recipient, out, d.Digest)
			return nil
		}),
	}
	export.Flags().StringVar(&recipient, "for", "", "who receives the copy")
	export.Flags().StringVar(&out, "out", "", "file to write")
	export.Flags().StringVar(&version, "version", "", "digest of the version you read (refused if it is not the latest); without it, the latest version")
	export.MarkFlagRequired("for")
	export.MarkFlagRequired("out")
	c.AddCommand(export, newDraftSend(rm))
	return c
}

func newAudit(rm *remote) *cobra.Command {
	var asJSON, office bool
	var before int64
	var limit int
	c := &cobra.Command{
		Use:   "audit REF | audit --office [--before ID] [--limit N]",
		Short: "Print a letter's audit timeline, or the office's (admins)",
		Long: `Audit REF prints the audit timeline of the letter REF.

Audit --office prints the office's own audit trail (admins): the events that name no letter,
changes of members, tokens, policy, witnesses, recipients and webhook endpoints
(webhook.add, webhook.remove, webhook.rekey, webhook.retry, recipient.add,
recipient.retire...), newest first, --limit of them (100 by default, at most 1000); the
first column is each event's ID, and --before ID shows the page after it.`,
		Example: `  chancery audit TFN-2026-000007
  chancery audit --office
  chancery audit --office --before 1234 --limit 500 --json`,
		Args: func(c *cobra.Command, args []string) error {
			if office {
				return cobra.NoArgs(c, args)
			}
			return cobra.ExactArgs(1)(c, args)
		},
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			if office {
				if limit < 1 || limit > 1000 || before < 0 {
					return withHint(fmt.Errorf("--limit %d --before %d: the office's trail is shown 1 to 1000 events at a time, before an event's ID", limit, before),
						"the newest come first; give --before the last ID shown for the next page")
				}
				evs, err := cl.OfficeAudit(ctx(c), before, limit)
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(c.OutOrStdout(), nonNil(evs))
				}
				tw := tabwriter.NewWriter(c.OutOrStdout(), 2, 4, 2, ' ', 0)
				for _, e := range evs {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", e.ID, e.Time, printable(e.Actor), e.Action, printable(e.Detail))
				}
				return tw.Flush()
			}
			if c.Flags().Changed("before") || c.Flags().Changed("limit") {
				return withHint(errors.New("--before and --limit page the office's trail"), "give --office, or leave them out for a letter's timeline")
			}
			evs, err := cl.Audit(ctx(c), args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(c.OutOrStdout(), nonNil(evs))
			}
			tw := tabwriter.NewWriter(c.OutOrStdout(), 2, 4, 2, ' ', 0)
			for _, e := range evs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Time, e.Actor, e.Action, e.Detail)
			}
			return tw.Flush()
		}),
	}
	addJSONFlag(c, &asJSON)
	c.Flags().BoolVar(&office, "office", false, "the office's audit trail, the events that name no letter (admins)")
	c.Flags().Int64Var(&before, "before", 0, "with --office: the events before this event ID (the next page)")
	c.Flags().IntVar(&limit, "limit", 100, "with --office: how many events (1 to 1000)")
	return c
}

// printTrustFingerprint prints on stderr the fingerprint of the trust root file b, for a
// person to compare with the one the office publishes.
func printTrustFingerprint(c *cobra.Command, b []byte) {
	fmt.Fprintf(c.ErrOrStderr(), "trust root fingerprint (SHA-256 of the file): %s\n", seal.TrustRootFingerprint(b))
}

func newTrust(rm *remote) *cobra.Command {
	c := &cobra.Command{Use: "trust", Short: "The trust root verifiers pin"}
	var out string
	export := &cobra.Command{
		Use:   "export --out FILE",
		Short: "Write the registry's trust root (log key, office keys) for verifiers to pin",
		Long: `Export writes the trust root: the log's origin and key, the office's keys and the witness
quorum. Verifiers pin it ('chancery verify --trust FILE', or CHANCERY_TRUST). Hand it out
through a channel people already trust (the office's website, a printed notice).

Export prints the trust root's fingerprint on stderr (standard output stays the file with
--out -): the SHA-256 of the file's exact bytes, in groups of four hexadecimal digits, what
sha256sum prints for the file. Publish it with the trust root, on the letterhead or the web
site, for holders to compare by hand with the file they pin ('chancery verify --verbose'
prints the fingerprint of the one it reads; the registry's verify pages show it).`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			cl, err := rm.client(false)
			if err != nil {
				return err
			}
			b, err := cl.TrustRoot(ctx(c))
			if err != nil {
				return apiErr(err)
			}
			// Only a trust root is written: any other bytes of the registry's choosing would
			// reach the terminal (--out -) or a file verifiers are told to pin.
			if _, err := seal.ParseTrustRoot(b); err != nil {
				return fmt.Errorf("the registry's answer is not a trust root, nothing was written: %w", err)
			}
			if out == "-" {
				if _, err := c.OutOrStdout().Write(b); err != nil {
					return err
				}
				printTrustFingerprint(c, b)
				return nil
			}
			if err := checkOutFile(out); err != nil {
				return err
			}
			if err := writePublic(out, b); err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "wrote %s\n", out)
			printTrustFingerprint(c, b)
			return nil
		},
	}
	export.Flags().StringVar(&out, "out", "", "file to write, - for standard output")
	export.MarkFlagRequired("out")
	c.AddCommand(export)
	return c
}
