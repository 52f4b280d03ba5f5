package cli

import (
	"slices"

	"github.com/chancery/chancery/internal/seal"
)

// signerNames returns the names of a release statement's signers in order, each once: a
// member who signed with two keys is one signer.
func signerNames(s *seal.ReleaseStatement) []string {
	var out []string
	for _, sg := range s.Signatures {
		if !slices.Contains(out, sg.Signer) {
			out = append(out, sg.Signer)
		}
	}
	return out
}
