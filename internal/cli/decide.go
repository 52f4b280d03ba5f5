package cli

import (
	"fmt"

	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/registry"
	"github.com/spf13/cobra"
)

// decideVersion returns the digest of the version an approval or rejection of ref is for:
// version when given, otherwise the latest version as the registry shows it now, which is
// printed before the decision is sent. Either way the registry receives a digest and refuses
// the decision if another version has become the latest meanwhile, so a decision never lands
// on text the reviewer was not shown.
func decideVersion(c *cobra.Command, cl *client.Client, ref, version string) (string, error) {
	if version != "" {
		return version, nil
	}
	v, err := cl.Letter(ctx(c), ref)
	if err != nil {
		return "", err
	}
	return shownVersion(c, ref, v)
}

// shownVersion prints the latest version of v, the letter ref, and returns its digest: the version an
// approval, a rejection or a release without --version is for (see decideVersion); with
// --json it prints nothing.
func shownVersion(c *cobra.Command, ref string, v *registry.LetterView) (string, error) {
	if len(v.Versions) == 0 {
		return "", fmt.Errorf("%s has no versions", ref)
	}
	latest := v.Versions[len(v.Versions)-1]
	if wantsJSON(c) {
		// 'release --json': stderr is the JSON error alone when it fails, and the result
		// carries the released file's digest when it succeeds.
		return latest.Digest, nil
	}
	fmt.Fprintf(c.ErrOrStderr(), "%s version %d: %s (%s, by %s on %s)\n", ref, latest.N, latest.Digest,
		printable(latest.FileName), printable(latest.By), humanTime(latest.At))
	return latest.Digest, nil
}
