package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func newLetterList(rm *remote) *cobra.Command {
	var q registry.LetterQuery
	var asJSON bool
	c := &cobra.Command{
		Use:   "list [--state S] [--class C] [--search TEXT] [--before REF] [--json]",
		Short: "List letters, newest first (members with a role)",
		Long: `List the office's letters, newest first, with their reference, state (draft, released,
retracted, superseded), class, subject and when each last changed. Letters are confidential:
only members with a role may list them.

--search finds words, one after the other, in the reference, subject, addressees, tags and the
text of each letter's latest version; case and punctuation do not matter.

--json prints {"letters": [...], "truncated": BOOL} for scripts; each letter has reference,
state, class, subject, addressees, tags, created_at, updated_at, released_at and log_index
(null for a draft), erased (when its content was erased) and, with --search, match (where
the words were found).

A list cut at --limit has "truncated": true and "next_before", its last reference: --before
with it lists the letters after it, and letters created in between neither shift nor repeat
them. A search that takes the registry more than a few seconds is answered in parts, which
this command puts together (a line on a terminal tells how far it has gone): its list is
whole, as without a search.`,
		Example: `  chancery letter list --state draft
  chancery letter list --class foreign-government --search "Ministry of Defence"
  chancery letter list --state released --json | jq -r '.letters[].reference'
  chancery letter list --state released --limit 1000 --before TFN-2026-001200 --json`,
		Args: cobra.NoArgs,
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			l, err := searchAll(c, cl, q)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(c.OutOrStdout(), l)
			}
			if len(l.Letters) == 0 {
				fmt.Fprintln(c.ErrOrStderr(), "no letters match")
				return nil
			}
			tw := tabwriter.NewWriter(c.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "reference\tstate\tclass\tsubject\tupdated")
			for _, s := range l.Letters {
				subject := clip(s.Subject, 60)
				if s.Erased {
					subject = "(content erased)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", printable(s.Reference), printable(s.State), clip(s.Class, 24), subject, humanTime(s.UpdatedAt))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if l.Truncated {
				fmt.Fprintf(c.ErrOrStderr(), "showing the newest %d: narrow the list with --state, --class or --search, raise --limit, or list the next ones with --before %s\n",
					len(l.Letters), printable(l.NextBefore))
			}
			return nil
		}),
	}
	c.Flags().StringVar(&q.State, "state", "", "only letters in this state: "+strings.Join(registry.States, ", "))
	c.Flags().StringVar(&q.Class, "class", "", "only letters of this class")
	c.Flags().StringVar(&q.Text, "search", "", "only letters with these words (reference, subject, addressees, tags, text)")
	c.Flags().IntVar(&q.Limit, "limit", registry.DefaultListed, fmt.Sprintf("at most this many letters (up to %d)", registry.MaxListed))
	c.Flags().StringVar(&q.Before, "before", "", "only letters created before the letter of this reference (the next page of a truncated list)")
	addJSONFlag(c, &asJSON)
	return c
}

// searchAll is cl.Letters(q), going on while the registry answers a partial search (one
// that spent its time budget, registry.SearchBudget) until the listing is whole or cut at
// its limit, as it was before searches had a budget; on a terminal, a line tells how far
// the search has gone.
func searchAll(c *cobra.Command, cl *client.Client, q registry.LetterQuery) (*registry.LetterList, error) {
	q.Partial = true
	l, err := cl.Letters(ctx(c), q)
	if err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit == 0 {
		limit = registry.DefaultListed
	}
	f, tty := terminal(c.ErrOrStderr())
	tty = tty && term.IsTerminal(int(f.Fd()))
	for l.Partial && len(l.Letters) < limit {
		if tty {
			// Through the escaper, as the registry's every other word: f is the terminal raw.
			fmt.Fprintf(c.ErrOrStderr(), "searched the letters down to %s, %d found so far…\n", printable(l.NextBefore), len(l.Letters))
		}
		rest := q
		rest.Before, rest.Limit = l.NextBefore, limit-len(l.Letters)
		m, err := cl.Letters(ctx(c), rest)
		if err != nil {
			return nil, err
		}
		l.Letters = append(l.Letters, m.Letters...)
		l.Truncated, l.NextBefore, l.Partial = m.Truncated, m.NextBefore, m.Partial
	}
	return l, nil
}

// clip shortens s to at most n runes for a table column, on one line.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func newLetterFetch(rm *remote) *cobra.Command {
	var dir string
	var asJSON bool
	c := &cobra.Command{
		Use:   "fetch REF --out DIR",
		Short: "Write a released letter's file and a fresh seal into DIR (members with a role)",
		Long: `Fetch writes the released file of REF as DIR/REF.EXT and its seal, against the latest
checkpoint, as DIR/REF.EXT.seal: the files 'chancery release' writes, for a letter released
elsewhere or when release could not write them. It never overwrites a file. A draft has no
released file: a draft leaves the registry only as a recorded coordination copy ('chancery
draft export').

--json prints {"reference", "state", "file", "seal"}: the letter's state and the paths written.`,
		Example: `  chancery letter fetch TFN-2026-000042 --out released`,
		Args:    cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			ref := args[0]
			v, err := cl.Letter(ctx(c), ref)
			if err != nil {
				return err
			}
			if v.Reference != ref {
				return fmt.Errorf("the registry answered about %.80q, not %s: nothing was written", v.Reference, ref)
			}
			if v.Release == nil {
				return withHint(fmt.Errorf("%s is not released: it is a draft, and a draft has no released file", ref),
					"to hand a draft out for coordination, record a copy: chancery draft export %s --for RECIPIENT --out FILE", ref)
			}
			if err := checkOutDir(dir); err != nil {
				return err
			}
			name := filepath.Join(dir, releasedName(ref, v.Release.FileName))
			if err := checkFree(name, name+".seal"); err != nil {
				return err
			}
			data, err := cl.ReleasedFile(ctx(c), ref)
			if err != nil {
				return err
			}
			if got := string(seal.DigestOf(data)); got != v.Release.FileDigest {
				return fmt.Errorf("the registry sent a file with digest %s, not the released file's %s: nothing was written", got, v.Release.FileDigest)
			}
			sl, err := cl.Seal(ctx(c), ref)
			if err != nil {
				return err
			}
			if err := writePair(name, data, sl); err != nil {
				return err
			}
			if asJSON {
				return writeJSON(c.OutOrStdout(), map[string]string{"reference": v.Reference, "state": v.State, "file": name, "seal": name + ".seal"})
			}
			fmt.Fprintf(c.OutOrStdout(), "wrote %s\nwrote %s.seal\n", name, name)
			if v.Withdrawal != nil {
				fmt.Fprintf(c.ErrOrStderr(), "note: %s is %s: %s\n", v.Reference, v.State, v.Withdrawal.Reason)
			}
			return nil
		}),
	}
	c.Flags().StringVar(&dir, "out", ".", "directory for the released file and its seal")
	addJSONFlag(c, &asJSON)
	return c
}

// checkOutDir makes sure that dir is a directory this process can write into, creating it if
// needed (for its owner alone, as the letters it will hold): release checks it before
// releasing, which cannot be undone.
func checkOutDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return withHint(fmt.Errorf("output directory: %w", err), "pass --out a directory, or a path where one can be created")
	}
	f, err := os.CreateTemp(dir, ".chancery-write-check-*")
	if err != nil {
		return withHint(fmt.Errorf("output directory %s is not writable: %w", dir, err), "pass --out a directory you can write to")
	}
	f.Close()
	return os.Remove(f.Name())
}

// checkOutFile makes sure, before a command asks the registry for the file it writes as name
// (a draft copy, a preview, a trust root), that name is free and that its directory is one
// this process can write into: the registry records a draft copy or a preview as it makes
// it, and a copy recorded but never written would stand in the audit trail as handed out.
func checkOutFile(name string) error {
	if _, err := os.Lstat(name); err == nil {
		return withHint(fmt.Errorf("%s already exists: nothing was written", name), "choose another --out: a file is never overwritten")
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("--out %s: %w", name, err)
	}
	return checkDirOf(name)
}

// checkDirOf makes sure that the directory of the file name exists and that this process can
// write into it, before anything is asked or recorded.
func checkDirOf(name string) error {
	dir := filepath.Dir(name)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return withHint(fmt.Errorf("%s: the directory %s does not exist: nothing was written", name, dir),
			"create it first (mkdir -p %s), or pass --out a file in an existing directory", dir)
	case err != nil:
		return fmt.Errorf("%s: %w", name, err)
	case !fi.IsDir():
		return withHint(fmt.Errorf("%s: %s is not a directory: nothing was written", name, dir), "pass --out a file in a directory")
	}
	f, err := os.CreateTemp(dir, ".chancery-write-check-*")
	if err != nil {
		return withHint(fmt.Errorf("%s: the directory %s is not writable: %w", name, dir, err), "pass --out a file in a directory you can write to")
	}
	f.Close()
	return os.Remove(f.Name())
}

// checkFree fails if any of names exists: released files and seals are never overwritten.
func checkFree(names ...string) error {
	for _, n := range names {
		_, err := os.Lstat(n)
		if err == nil {
			return withHint(fmt.Errorf("%s already exists: nothing was written", n), "remove it, or pass --out another directory")
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// writePair writes a released file and its seal, both new; if the seal cannot be written the
// file is removed, so that trying again starts from nothing.
func writePair(name string, data, sl []byte) error {
	if err := writeNew(name, data); err != nil {
		return err
	}
	if err := writeNew(name+".seal", sl); err != nil {
		return errors.Join(err, os.Remove(name))
	}
	return nil
}

// releaseTo releases ref and writes its file and seal into dir. A release cannot be undone,
// so whatever can be checked about dir is checked first: that it is a writable directory,
// and that neither name the released file can take (the reference with the latest
// version's extension, or .pdf for a letter laid out from text) is taken. version is the
// digest of the version the release officer read; without it, the latest version is shown
// and its digest sent. Either way the registry refuses the release if another version has
// become the latest (see decideVersion).
func releaseTo(c *cobra.Command, cl *client.Client, ref, version, dir string, asJSON bool) error {
	if err := checkOutDir(dir); err != nil {
		return err
	}
	v, err := cl.Letter(ctx(c), ref)
	if err != nil {
		return err
	}
	if version == "" {
		if version, err = shownVersion(c, ref, v); err != nil {
			return err
		}
	}
	if n := len(v.Versions); n > 0 {
		var names []string
		for _, f := range []string{releasedName(v.Reference, v.Versions[n-1].FileName), v.Reference + ".pdf"} {
			names = append(names, filepath.Join(dir, f), filepath.Join(dir, f)+".seal")
		}
		if err := checkFree(names...); err != nil {
			return err
		}
	}
	rel, err := cl.ReleaseVersion(ctx(c), ref, version)
	if err != nil {
		return converterHint(err)
	}
	fetch := fmt.Sprintf("the letter is released; fetch it with chancery letter fetch %s --out %s", ref, dir)
	// The file is written under the reference asked for, and only if it is the file the answer
	// says was released: the answer names the file, someone on the way may have written it.
	if rel.Reference != ref {
		return withHint(fmt.Errorf("the registry answered the release of %s about %.80q: nothing was written", ref, rel.Reference), "%s", fetch)
	}
	data, err := cl.ReleasedFile(ctx(c), ref)
	if err != nil {
		return withHint(err, "%s", fetch)
	}
	if got := string(seal.DigestOf(data)); got != rel.FileDigest {
		return withHint(fmt.Errorf("the registry sent a file with digest %s, not the released file's %.80q: nothing was written", got, rel.FileDigest), "%s", fetch)
	}
	name := filepath.Join(dir, releasedName(ref, rel.FileName))
	if rel.SealPending != "" || len(rel.Seal) == 0 || string(rel.Seal) == "null" {
		// Released and logged; its seal waits for the witnesses. The file is written alone.
		if err := writeNew(name, data); err != nil {
			return withHint(err, "%s", fetch)
		}
		if asJSON {
			// What was released, without the seal not written; the error follows on stderr.
			writeJSON(c.OutOrStdout(), releaseJSON(rel, name))
		} else {
			fmt.Fprintf(c.OutOrStdout(), "released %s (log entry %d)\nwrote %s\ncheck code %s: its holder sees the letter at %s\n",
				rel.Reference, rel.LogIndex, name, rel.CheckCode, rel.VerifyURL)
		}
		return withHint(fmt.Errorf("released, but no seal yet: %s", rel.SealPending),
			"fetch the seal once the witnesses cosign: chancery letter fetch %s --out %s (the file is already written; move it away first), and see 'chancery witness list'", rel.Reference, dir)
	}
	if err := writePair(name, data, rel.Seal); err != nil {
		return withHint(err, "%s", fetch)
	}
	if asJSON {
		res := releaseJSON(rel, name)
		res["seal"] = name + ".seal"
		return json.NewEncoder(c.OutOrStdout()).Encode(res)
	}
	fmt.Fprintf(c.OutOrStdout(), "released %s (log entry %d)\nwrote %s\nwrote %s.seal\ncheck code %s: its holder sees the letter at %s\n",
		rel.Reference, rel.LogIndex, name, name, rel.CheckCode, rel.VerifyURL)
	return nil
}

// releaseJSON is what 'release --json' prints of a release whose file was written as name;
// "seal" is added when its seal was written too.
func releaseJSON(rel *client.ReleaseResult, name string) map[string]any {
	return map[string]any{"reference": rel.Reference, "log_index": rel.LogIndex, "file": name,
		"file_digest": rel.FileDigest, "media_type": rel.MediaType, "check_code": rel.CheckCode, "verify_url": rel.VerifyURL}
}
