package cli

import (
	"crypto/ed25519"
	"fmt"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/spf13/cobra"
)

// newKeyResult is what 'chancery key new --json' prints.
type newKeyResult struct {
	Key       string `json:"key"`        // the encrypted key file
	PublicKey string `json:"public_key"` // the public key file, to register
	KeyID     string `json:"keyid"`      // the key ID signatures name
}

// maxKeyFile bounds the key files the commands read (a signer's public key, a PDF signing
// key, the office CA's key): each is a few hundred bytes, and a large file or /dev/zero named
// by mistake is refused without being held whole in memory (readLimited).
const maxKeyFile = 64 << 10

// maxCertFile bounds a PEM certificate file with its chain, a few KiB each.
const maxCertFile = 1 << 20

// printNewKey tells where key new wrote the key pair, and the key's ID.
func printNewKey(c *cobra.Command, out string, k ed25519.PrivateKey, asJSON bool) error {
	r := newKeyResult{Key: out, PublicKey: out + ".pub", KeyID: dsse.KeyID(k.Public().(ed25519.PublicKey))}
	if asJSON {
		return writeJSON(c.OutOrStdout(), r)
	}
	fmt.Fprintf(c.OutOrStdout(), "wrote %s and %s (key %s)\n", r.Key, r.PublicKey, short(r.KeyID))
	return nil
}
