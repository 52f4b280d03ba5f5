package cli

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/exclfile"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/spf13/cobra"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func newSealCmd(rm *remote) *cobra.Command {
	c := &cobra.Command{Use: "seal", Short: "Work with seal files"}
	var trustFile string
	refresh := &cobra.Command{
		Use:   "refresh FILE.seal [--trust ROOT]",
		Short: "Prove a seal again against the newest checkpoint the witnesses cosigned",
		Long: `Refresh re-proves a seal against the newest checkpoint the registry serves: the checkpoint
its witness quorum cosigned. The release entry and the signers' key entries stay as they are;
their inclusion proofs and the checkpoint are replaced.

Use it for a seal issued before the office had witnesses (which a trust root with a quorum
refuses), or for a seal whose cosignatures are older than a verifier's --max-age.

Nothing is taken on the registry's word: the new checkpoint must be signed by the log key of
the trust root and extend the old one (a consistency proof is checked), and the refreshed seal
must verify under the trust root before it replaces the file. The file is replaced atomically:
a crash leaves the old seal or the new one. No token is needed: proofs are public.

The seal of a retracted or superseded letter is not refreshed: offline, a seal says nothing of
a withdrawal, and a refreshed one would meet --max-age against a checkpoint that holds it.`,
		Example: `  chancery seal refresh letter.pdf.seal --trust tfn-trust.json
  CHANCERY_TRUST=tfn-trust.json chancery seal refresh *.seal`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if trustFile == "" {
				trustFile = os.Getenv("CHANCERY_TRUST")
			}
			if trustFile == "" {
				return withHint(errors.New("no trust root"), "pass --trust FILE or set CHANCERY_TRUST; 'chancery trust export --out trust.json' writes one")
			}
			tb, err := readLimited(trustFile, seal.MaxTrustRootSize)
			if err != nil {
				return err
			}
			root, err := seal.ParseTrustRoot(tb)
			if err != nil {
				return fmt.Errorf("trust root %s: %w", trustFile, err)
			}
			rm.useTrustRootURL(c, root)
			cl, err := rm.client(false)
			if err != nil {
				return err
			}
			for _, f := range args {
				size, err := refreshSealAskingAgain(c, cl, root, f)
				if err != nil {
					return fmt.Errorf("refresh %s: %w", f, err)
				}
				fmt.Fprintf(c.OutOrStdout(), "%s: proved against checkpoint %d\n", f, size)
			}
			return nil
		},
	}
	refresh.Flags().StringVar(&trustFile, "trust", "", "the pinned trust root (env CHANCERY_TRUST)")
	c.AddCommand(refresh)
	return c
}

// refreshSealAskingAgain is refreshSeal, asked again after 0.25 s and 1 s (olderRetries) when
// the registry's answers rest on a tree that one of its servers has not read yet (olderTree):
// with several servers behind one address, the checkpoint may come from one server and the
// proofs from another a moment behind it, which answers 404, or the checkpoint from a server
// behind the one that gave the seal. Nothing is written before a refresh has succeeded.
func refreshSealAskingAgain(c *cobra.Command, cl *client.Client, root *seal.TrustRoot, file string) (int64, error) {
	for try := 0; ; try++ {
		size, err := refreshSeal(c, cl, root, file)
		if err == nil || !isOlderTree(err) || try == len(olderRetries) {
			return size, err
		}
		select {
		case <-ctx(c).Done():
			return size, err
		case <-time.After(olderRetries[try]):
		}
	}
}

// behind marks err as olderTree when it is a log's 404 for a tree beyond its latest
// checkpoint (logBehind).
func behind(err error) error {
	if logBehind(err) {
		return olderTree{err}
	}
	return err
}

// refreshSeal re-proves the seal in file against the registry's served checkpoint and
// replaces the file; it returns the new checkpoint's size.
func refreshSeal(c *cobra.Command, cl *client.Client, root *seal.TrustRoot, file string) (int64, error) {
	data, err := readLimited(file, seal.MaxSealSize)
	if err != nil {
		return 0, err
	}
	old, err := seal.Parse(data)
	if err != nil {
		if _, serr := os.Stat(file + ".seal"); serr == nil {
			return 0, withHint(err, "%s is the letter: pass its seal, %s.seal", file, file)
		}
		return 0, withHint(err, "pass the seal file, FILE.seal beside the letter, that 'chancery release' or 'chancery letter fetch' wrote")
	}
	logV, err := note.NewVerifier(root.LogKey)
	if err != nil {
		return 0, fmt.Errorf("trust root: %w", err)
	}
	oldCP, _, err := checkpoint.Open(old.Checkpoint, logV)
	if err != nil {
		return 0, fmt.Errorf("the seal's checkpoint: %w", err)
	}
	signed, err := cl.Checkpoint(ctx(c))
	if err != nil {
		return 0, err
	}
	newCP, _, err := checkpoint.Open(signed, logV)
	if err != nil {
		return 0, fmt.Errorf("the registry's checkpoint: %w", err)
	}
	switch {
	case newCP.Size < oldCP.Size:
		return 0, olderTree{fmt.Errorf("the registry serves checkpoint %d, older than the seal's %d", newCP.Size, oldCP.Size)}
	case newCP.Size == oldCP.Size && newCP.Root != oldCP.Root:
		return 0, fmt.Errorf("%w: two checkpoints of size %d with different roots", errForked, newCP.Size)
	case newCP.Size > oldCP.Size:
		p, err := cl.ConsistencyProof(ctx(c), oldCP.Size, newCP.Size)
		if err != nil {
			return 0, behind(err)
		}
		if err := tlog.CheckTree(p, newCP.Size, newCP.Root, oldCP.Size, oldCP.Root); err != nil {
			return 0, fmt.Errorf("%w: checkpoint %d does not extend the seal's %d: %v", errForked, newCP.Size, oldCP.Size, err)
		}
	}
	fresh := &seal.Seal{Checkpoint: signed, Release: old.Release}
	if fresh.Release.Proof, err = cl.InclusionProof(ctx(c), old.Release.Index, newCP.Size); err != nil {
		return 0, behind(err)
	}
	for _, k := range old.Keys {
		if k.Proof, err = cl.InclusionProof(ctx(c), k.Index, newCP.Size); err != nil {
			return 0, behind(err)
		}
		fresh.Keys = append(fresh.Keys, k)
	}
	digest, err := sealedDigest(old)
	if err != nil {
		return 0, err
	}
	v, err := seal.NewVerifier(root)
	if err != nil {
		return 0, err
	}
	if _, err := v.Verify(fresh, digest); err != nil {
		return 0, fmt.Errorf("the refreshed seal does not verify: %w", err)
	}
	// Offline, a seal says nothing of a withdrawal, but a refreshed one meets --max-age again
	// against a checkpoint that may hold the letter's: handed on, it would pass for a letter
	// known to stand as of that checkpoint. A withdrawn letter's seal is not refreshed.
	ans, err := cl.VerifyDigest(ctx(c), string(digest))
	if err != nil {
		return 0, fmt.Errorf("ask the registry whether the letter stands: %w", err)
	}
	if ans.Outcome == registry.Retracted || ans.Outcome == registry.Superseded {
		return 0, withHint(fmt.Errorf("the letter was %s: its seal is not refreshed", ans.Outcome),
			"'chancery verify' on the letter says when and why; a refreshed seal would pass an offline --max-age check against a checkpoint that holds the withdrawal")
	}
	return newCP.Size, replaceFile(file, fresh.Marshal())
}

// sealedDigest returns the file digest the seal's release statement names. The statement is
// checked when the refreshed seal is verified.
func sealedDigest(s *seal.Seal) (seal.Digest, error) {
	e, err := entry.Decode(s.Release.Entry)
	if err != nil {
		return "", fmt.Errorf("release entry: %w", err)
	}
	st, err := seal.Open(e, s.Release.Opening)
	if err != nil {
		return "", fmt.Errorf("release entry: %w", err)
	}
	rs, ok := st.(*seal.ReleaseStatement)
	if !ok {
		return "", fmt.Errorf("release entry: a %s entry", e.Kind)
	}
	return rs.FileDigest, nil
}

// replaceFile writes data to name atomically and durably, keeping its mode
// (exclfile.Replace).
func replaceFile(name string, data []byte) error {
	fi, err := os.Stat(name)
	if err != nil {
		return err
	}
	return exclfile.Replace(name, data, fi.Mode().Perm())
}
