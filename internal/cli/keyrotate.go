package cli

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/hsm"
	"github.com/chancery/chancery/internal/keys"
	"github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/spf13/cobra"
)

// keyWorkFactor is the scrypt work factor of the key files the commands write: 0, age's
// default (about a second), but in this package's tests (SetKeyWorkFactor).
var keyWorkFactor int

// rotateResult is what 'chancery key rotate office --json' prints.
type rotateResult struct {
	OldKeyID string `json:"old_keyid"`
	NewKeyID string `json:"new_keyid"`
	Index    int64  `json:"index"` // the office-key-rotated entry: the new key signs from here
	Key      string `json:"key"`   // where the new private key is: a file in the data directory, or a pkcs11: URI
}

// newKeyRotate is 'chancery key rotate', run on the registry's machine with its data directory.
func newKeyRotate(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "rotate", Short: "Rotate the office's release key or PDF signing certificate, or your signer key"}
	var to, reason string
	var asJSON bool
	officeCmd := &cobra.Command{
		Use:   "office [--to pkcs11:URI] [--reason TEXT]",
		Short: "Move the office to a new release key, keeping every seal valid",
		Long: `Rotate office moves the office to a new release key. The new key is a new key file in the
data directory (office-<id>.key, mode 0600), or with --to a key already in a PKCS#11 token
(its URI is recorded without any pin-value; the PIN comes from pin-source,
CHANCERY_HSM_PIN or CHANCERY_HSM_PIN_FILE, as for init).

It logs an office-key-rotated entry signed by both the old key and the new one, and records
the office key history in the same transaction: the old key signs the log's entries before
that entry, the new one that entry and every one after. Trust roots ('chancery trust
export') then list both keys with those windows, so that every seal issued before the
rotation stays valid, and an entry the old key signs after it is refused. Export the trust
root again and hand it out: verifiers with the old one are told that it is out of date.

Rotate runs with the server stopped (it takes the data directory's lock): an entry signed by
the old key but logged after the rotation would be refused. With PostgreSQL and several
servers, stop them all, and copy a new key file to each server's data directory. After a
compromise, rotate at once, then remove the old key (see docs/keys.md).

A rotation to a token's key records the key's URI in chancery.json before it logs the
rotation, so that the directory trusts its module: stopped after that, the office still
starts, and the same command run again names the new key in chancery.json. A rotation
stopped before it was logged leaves its new key file, which never signed anything logged:
the next rotation removes every office-<id>.key that the office's key history does not name.`,
		Example: `  chancery key rotate office --reason "yearly rotation"
  chancery key rotate office --to 'pkcs11:token=chancery;object=office-2027?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=/etc/chancery/pin'
  chancery trust export --out trust.json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			d, done, err := stoppedDir(c, g.data, "stop the server first: a rotation runs while no server signs with the old key", func(err error) error {
				if msg := err.Error(); strings.HasPrefix(msg, "office key: ") && strings.Contains(msg, "no Ed25519 private key") {
					return withHint(err, "a rotation is signed by the key it retires: if the token lost the office key, it cannot be rotated (docs/keys.md: start a new log with a new trust root, or restore the token from its backup); if the URI is wrong, list the token's keys with 'pkcs11-tool --module MODULE --login --list-objects' and fix object= or id= in chancery.json")
				}
				return err
			})
			if err != nil {
				return err
			}
			defer done()
			st, err := office.Open(c.Context(), d, office.Options{Database: database(c), Migrated: func(v int) { warnMigrated(c, v) }})
			if err != nil {
				return keyHint(storeHint(err, d.Path))
			}
			defer st.Close()
			// The rotation is logged: not on a log shorter than, or other than, the one this
			// directory's server published (a database set back from an older backup), nor on
			// the SQLite copy of an office that moved to PostgreSQL.
			if err := checkPublished(c.Context(), d, st.DB); err != nil {
				return err
			}
			h, err := registry.OfficeKeyHistory(c.Context(), st.DB)
			if err != nil {
				return err
			}
			oldRef := d.OfficeKeyRef()
			if len(h) > 0 {
				oldRef = h[len(h)-1].Ref
			}
			// A rotation killed before it was logged left its new key file: the store's key
			// history, read under the lock, names every key file in use.
			used := make([]string, len(h))
			for i, k := range h {
				used[i] = k.Ref
			}
			if err := d.RemoveUnusedKeyFiles(used); err != nil {
				return err
			}
			var next crypto.Signer
			var ref, newFile string
			if to != "" {
				u, err := hsm.ParseURI(to)
				if err != nil {
					return withHint(err, "--to takes a pkcs11: URI, e.g. 'pkcs11:token=chancery;object=office-2?module-path=/usr/lib/softhsm/libsofthsm2.so'")
				}
				k, err := hsm.Open(to)
				if err != nil {
					return keyHint(fmt.Errorf("new office key: %w", err))
				}
				defer k.Close()
				next, ref = k, u.Recorded()
				if len(h) > 1 && h[len(h)-1].Ref == ref {
					// The rotation to this key was logged, and stopped before chancery.json
					// named it: finish it.
					if err := d.SetOfficeKey(ref); err != nil {
						return err
					}
					r := rotateResult{OldKeyID: h[len(h)-2].KeyID, NewKeyID: h[len(h)-1].KeyID, Index: h[len(h)-1].FromIndex, Key: ref}
					if asJSON {
						return writeJSON(c.OutOrStdout(), r)
					}
					fmt.Fprintf(c.OutOrStdout(), "office key %s retired; %s signs from log entry %d (%s), as logged before: chancery.json now names it\n", short(r.OldKeyID), short(r.NewKeyID), r.Index, strings.SplitN(ref, "?", 2)[0])
					return nil
				}
				// Trusted before the store names it: killed after the commit, the rotation
				// leaves a store whose current key only a trusted module may open. It stays
				// trusted if the rotation fails: a failure reported after a commit (a
				// connection lost) leaves the same store.
				if err := d.SetNextOfficeKey(ref); err != nil {
					return err
				}
			} else {
				k, name, err := d.NewKeyFile()
				if err != nil {
					return err
				}
				next, ref, newFile = k, name, name
				rotateStep("key written")
			}
			// The dispatch secret of an office made before dispatch.key derives from the first
			// key file: record it before that file may be retired and removed.
			if err := d.WriteDispatchSecret(); err != nil {
				return err
			}
			old := st.Registry.TrustRoot().OfficeKeys
			r := rotateResult{OldKeyID: old[len(old)-1].KeyID, NewKeyID: dsse.KeyID(next.Public().(ed25519.PublicKey)), Key: ref}
			actor := registry.Actor{Member: &store.Member{Name: "operator (chancery key rotate)"}, Remote: "local"}
			r.Index, err = st.Registry.RotateOfficeKey(c.Context(), actor, next, oldRef, ref, reason)
			if err != nil {
				if newFile == "" {
					return err
				}
				// A commit whose outcome is unknown (the database unreachable after COMMIT)
				// may have made the new file the office's current key, which nothing can
				// replace: it goes only once the store, read again, does not name it.
				if historyMayName(c.Context(), st.DB, newFile) {
					return withHint(err, "the rotation may have been logged: %s is kept, the office's key if it was; the server's next start opens the key the store names", newFile)
				}
				os.Remove(filepath.Join(d.Path, newFile))
				return err
			}
			rotateStep("committed")
			// The store decides which key is current (office.Open); the settings follow so that
			// the data directory names it too.
			if err := d.SetOfficeKey(ref); err != nil {
				return withHint(err, "the rotation is logged; the next start opens the new key from the store's history all the same")
			}
			if asJSON {
				return writeJSON(c.OutOrStdout(), r)
			}
			fmt.Fprintf(c.OutOrStdout(), "office key %s retired; %s signs from log entry %d (%s)\n", short(r.OldKeyID), short(r.NewKeyID), r.Index, strings.SplitN(ref, "?", 2)[0])
			fmt.Fprintln(c.ErrOrStderr(), "export the trust root again and hand it out: chancery trust export --out trust.json")
			return nil
		},
	}
	officeCmd.Flags().StringVar(&to, "to", "", "PKCS#11 URI of the new key, already in a token (default: a new key file)")
	officeCmd.Flags().StringVar(&reason, "reason", "", "why, recorded in the log entry (public: no names)")
	addDatabaseFlag(officeCmd.Flags())
	addJSONFlag(officeCmd, &asJSON)
	c.AddCommand(officeCmd, newPDFCertRotate(g))
	return c
}

// historyMayName reports whether the office key history in db names ref, or cannot be read.
func historyMayName(ctx context.Context, db *store.DB, ref string) bool {
	h, err := registry.OfficeKeyHistory(ctx, db)
	if err != nil {
		return true
	}
	for _, k := range h {
		if k.Ref == ref {
			return true
		}
	}
	return false
}

// rotateStep, set only by tests, is called with the name of each step of 'key rotate office'
// once it is done: crash tests kill the process there.
var rotateStep = func(string) {}

// addKeyRotate adds 'rotate' to root's key command. 'rotate office' and 'rotate pdf-cert'
// work on the data directory; 'rotate signer' is a client of the server, as the key
// command's others are.
// localOnly refuses --url, which c, a command of the data directory under 'chancery key'
// (whose other commands ask a registry), takes from its parent but does not use: given, it
// would rotate the keys of whatever office --data names, ./chancery-data by default, rather
// than the registry's at that address.
func localOnly(c *cobra.Command) error {
	if !c.Flags().Changed("url") {
		return nil
	}
	return withHint(fmt.Errorf("%s works on the data directory (--data), with its server stopped: it takes no --url", c.CommandPath()),
		"run it on the registry's machine: %s --data DIR", c.CommandPath())
}

func addKeyRotate(root *cobra.Command, g *globals, rm *remote) {
	for _, c := range root.Commands() {
		if c.Name() == "key" {
			r := newKeyRotate(g)
			r.AddCommand(newSignerRotate(rm))
			c.AddCommand(r)
		}
	}
}

// signerRotateResult is what 'chancery key rotate signer --json' prints.
type signerRotateResult struct {
	Key          string `json:"key"`        // the new encrypted key file
	PublicKey    string `json:"public_key"` // its public key file
	KeyID        string `json:"keyid"`
	AddedIndex   int64  `json:"added_index"`   // the new key's key-added entry
	RevokedKeyID string `json:"revoked_keyid"` // the old key
	RevokedIndex int64  `json:"revoked_index"` // its key-revoked entry
}

// newSignerRotate is 'chancery key rotate signer': a new signer key, registered, and the old
// one revoked, both logged in one transaction of the registry.
func newSignerRotate(rm *remote) *cobra.Command {
	var from, out, comment string
	var asJSON bool
	c := &cobra.Command{
		Use:   "signer --from OLD.key.pub --out NEW.key",
		Short: "Replace your signer key: create a new one, register it, revoke the old one",
		Long: `Rotate signer creates a new encrypted signer key (NEW.key and NEW.key.pub, as 'chancery key
new' does, with the passphrase from CHANCERY_PASSPHRASE_FILE, CHANCERY_PASSPHRASE or a
prompt), then asks the registry to register it (a key-added entry) and to revoke the key whose
public key file --from names (a key-revoked entry, reason "rotated to <new key ID>"). The
registry logs both entries in one transaction, one after the other, or neither: the two keys
are never both in force, nor is the old one revoked without the new one registered.
Signatures by the old key keep counting for releases made before the revocation, and for none
after it. Sign letters still awaiting your signature again with the new key.

If the command stops, or its answer is lost, after it wrote NEW.key, run it again: it uses
NEW.key (its passphrase opens it), and answers as the rotation did if the registry had done
it. If the registry refuses the rotation, NEW.key stays, registered nowhere.`,
		Example: `  chancery key rotate signer --from sam.key.pub --out sam-2027.key`,
		Args:    cobra.NoArgs,
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			b, err := readLimited(from, maxKeyFile)
			if err != nil {
				return err
			}
			oldPub, _, err := keys.ParsePublic(b)
			if err != nil {
				return withHint(err, "--from takes the .pub file of the key to retire, as 'chancery key new' wrote it")
			}
			pub, err := rotationKey(c, out, comment, oldPub)
			if err != nil {
				return err
			}
			r := signerRotateResult{Key: out, PublicKey: out + ".pub", RevokedKeyID: dsse.KeyID(oldPub)}
			if r.KeyID, r.AddedIndex, r.RevokedIndex, err = cl.RotateKey(ctx(c), r.RevokedKeyID, pub); err != nil {
				if _, ok := errors.AsType[*client.APIError](err); ok {
					return withHint(err, "the registry registered nothing and revoked nothing; %[1]s stays, registered nowhere: run the command again once the cause is fixed (it uses %[1]s), register it with 'chancery key register %[1]s.pub' if the old key is revoked already, or delete it and %[1]s.pub", out)
				}
				return withHint(err, "the registry registers the new key and revokes the old one together, or does neither: run the same command again, it uses %s and says which", out)
			}
			if asJSON {
				return writeJSON(c.OutOrStdout(), r)
			}
			fmt.Fprintf(c.OutOrStdout(), "wrote %s and %s; registered key %s (log entry %d); revoked key %s (log entry %d)\n",
				r.Key, r.PublicKey, short(r.KeyID), r.AddedIndex, short(r.RevokedKeyID), r.RevokedIndex)
			return nil
		}),
	}
	c.Flags().StringVar(&from, "from", "", "public key file (.pub) of the key to retire")
	c.Flags().StringVar(&out, "out", "", "new key file to create")
	c.Flags().StringVar(&comment, "comment", "", "comment for the new public key")
	c.MarkFlagRequired("from")
	c.MarkFlagRequired("out")
	addJSONFlag(c, &asJSON)
	return c
}

// rotationKey returns the public key of the new key of 'key rotate signer': that of the key
// file out, written now (with its public key file), or, if an earlier run wrote it and was
// stopped before it had the answer, that of the key out already holds, which the passphrase
// must open, and which must not be old, the key retired.
func rotationKey(c *cobra.Command, out, comment string, old ed25519.PublicKey) (ed25519.PublicKey, error) {
	if _, err := os.Lstat(out); err == nil {
		if err := checkKeyFile(out); err != nil {
			return nil, err
		}
		// The key to retire is no earlier run's new key: the registry would refuse it as
		// registered already, and the hint would call the key in force registered nowhere.
		if b, err := readLimited(out+".pub", maxKeyFile); err == nil {
			if p, _, err := keys.ParsePublic(b); err == nil && p.Equal(old) {
				return nil, withHint(fmt.Errorf("%s is the key to retire, the one --from names: --out names the new key's file", out),
					"choose another --out, a file that does not exist yet: the command writes the new key there")
			}
		}
		pass, err := keys.Passphrase("passphrase for "+filepath.Base(out)+": ", os.Stdin, c.ErrOrStderr())
		if err != nil {
			return nil, withHint(err, keys.PassphraseHint)
		}
		k, err := keys.Load(out, pass)
		if errors.Is(err, keys.ErrWrongPassphrase) {
			return nil, withHint(fmt.Errorf("%s exists, and the passphrase does not open it", out),
				"a key file is never overwritten: run again with the passphrase an earlier run gave %s, or choose another --out", out)
		}
		if err != nil {
			return nil, err
		}
		pub := k.Public().(ed25519.PublicKey)
		b, err := readLimited(out+".pub", maxKeyFile)
		if err == nil {
			var p ed25519.PublicKey
			if p, _, err = keys.ParsePublic(b); err == nil && !p.Equal(pub) {
				err = errors.New("another key's")
			}
		}
		if err != nil {
			return nil, withHint(fmt.Errorf("%s exists, but %s.pub is not its public key: %w", out, out, err), "choose another --out")
		}
		// With --json, stderr is the error object alone (a script parses it): the result
		// names the key anyway.
		if !wantsJSON(c) {
			fmt.Fprintf(c.ErrOrStderr(), "%s exists: rotating to it, the key an earlier run wrote\n", out)
		}
		return pub, nil
	}
	pass, err := keys.NewPassphrase("passphrase for the new key: ", os.Stdin, c.ErrOrStderr())
	if err != nil {
		return nil, newPassphraseHint(err)
	}
	if err := keys.CheckNewPassphrase(pass); err != nil {
		return nil, withHint(err, "choose a longer, less predictable passphrase (a few words are easy to type): it is all that protects the key if the file is copied")
	}
	k, err := keys.Generate()
	if err != nil {
		return nil, err
	}
	if err := keys.WriteNew(out, k, pass, keys.Comment(comment), keys.WorkFactor(keyWorkFactor)); err != nil {
		return nil, newKeyFileHint(err, out)
	}
	return k.Public().(ed25519.PublicKey), nil
}
