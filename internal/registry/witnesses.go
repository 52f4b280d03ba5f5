package registry

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/chancery/chancery/internal/cosigned"
	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/keys"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"golang.org/x/mod/sumdb/note"
)

// WitnessView is a configured witness as admins see it.
type WitnessView struct {
	Name    string    `json:"name"`
	URL     string    `json:"url"`
	Key     string    `json:"key"`
	AddedAt time.Time `json:"added_at"`
	// Cosigned is the size of the newest checkpoint this witness cosigned, and when.
	CosignedSize int64      `json:"cosigned_size"`
	CosignedAt   *time.Time `json:"cosigned_at"`
}

// WitnessConfig is the office's witnesses and quorum.
type WitnessConfig struct {
	Witnesses []WitnessView `json:"witnesses"`
	Quorum    int           `json:"quorum"`
	// Head is the size of the checkpoint served (the newest the quorum cosigned, or the log's
	// own with quorum 0); Behind says why witnesses refuse to cosign, if they do.
	Head   int64  `json:"head"`
	Behind string `json:"behind,omitempty"`
}

// witnessName is what a witness's name may be; compiled on first use, not in every run of the
// command line (its bounded repetition makes a large program).
var witnessName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{0,62}$`) })

// Witnesses returns the witness configuration (admins only).
func (r *Registry) Witnesses(ctx context.Context, a Actor) (*WitnessConfig, error) {
	if err := a.require(RoleAdmin); err != nil {
		return nil, err
	}
	if r.cfg.Heads == nil {
		return nil, fmt.Errorf("witnesses: %w: this registry runs without witness support", ErrInvalid)
	}
	out := &WitnessConfig{Witnesses: []WitnessView{}}
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		cfg, err := cosigned.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		out.Quorum = cfg.Quorum
		for _, w := range cfg.Witnesses {
			v := WitnessView{Name: w.Name, URL: w.URL, Key: w.VKey, AddedAt: w.AddedAt}
			c, err := tx.LatestCosignatureBy(ctx, w.VKey)
			if err == nil {
				at := c.At
				v.CosignedSize, v.CosignedAt = c.Size, &at
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			out.Witnesses = append(out.Witnesses, v)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("witnesses: %w", err)
	}
	if h := r.cfg.Heads.Head(); h != nil {
		out.Head = h.Size
	}
	out.Behind = r.cfg.Heads.Behind()
	return out, nil
}

// AddWitness adds a witness the office's checkpoints are sent to (admins only). It does not
// change the quorum.
func (r *Registry) AddWitness(ctx context.Context, a Actor, name, rawURL, vkey string) error {
	if err := a.require(RoleAdmin); err != nil {
		return err
	}
	if r.cfg.Heads == nil {
		return fmt.Errorf("add witness: %w: this registry runs without witness support", ErrInvalid)
	}
	if !witnessName().MatchString(name) {
		return fmt.Errorf("add witness: %w: name %q: use 1 to 63 lowercase letters, digits, dots and dashes", ErrInvalid, name)
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("add witness %s: %w: %q is not an http(s) URL without query", name, ErrInvalid, rawURL)
	}
	v, err := seal.WitnessVerifier(vkey)
	if err != nil {
		return fmt.Errorf("add witness %s: %w: %v", name, ErrInvalid, err)
	}
	// A cosignature/v1 does not sign the witness's name: one key under two names would count
	// twice toward the quorum, and must not be used by more than one cosigner (C2SP
	// tlog-cosignature). Nor may a witness hold the log's or the office's key.
	pub, err := seal.PublicKeyOf(vkey)
	if err != nil {
		return fmt.Errorf("add witness %s: %w: %v", name, ErrInvalid, err)
	}
	if err := keys.CheckPublicKey(pub); err != nil {
		return fmt.Errorf("add witness %s: %w: %v", name, ErrInvalid, err)
	}
	if logPub, err := seal.PublicKeyOf(r.cfg.LogKey); err == nil && pub.Equal(logPub) {
		return fmt.Errorf("add witness %s: %w: its key is the log's key", name, ErrInvalid)
	}
	// A signature line names its key by name and a 4-byte key hash only, which someone can
	// match with another key by trying about 2^32 of them: verifiers would check such a
	// key's lines with the other key (and refuse a checkpoint where its line comes first),
	// and trust roots refuse two keys they cannot tell apart.
	if lv, err := note.NewVerifier(r.cfg.LogKey); err == nil && lv.Name() == v.Name() && lv.KeyHash() == v.KeyHash() {
		return fmt.Errorf("add witness %s: %w: its key has the log key's name and key hash %08x, so their signatures could not be told apart", name, ErrInvalid, v.KeyHash())
	}
	for _, k := range r.officeKeys() {
		if pub.Equal(ed25519.PublicKey(k.PublicKey)) {
			return fmt.Errorf("add witness %s: %w: its key is the office key %s", name, ErrInvalid, k.KeyID)
		}
	}
	d := changeDetail{URL: rawURL, VKey: vkey}
	if r.twoAdmins(ctx, a) {
		return r.propose(ctx, a, ChangeWitnessAdd, name, d)
	}
	err = r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		if err := r.takeChange(ctx, tx, a, ChangeWitnessAdd, name, d); err != nil {
			return err
		}
		ws, err := tx.Witnesses(ctx)
		if err != nil {
			return err
		}
		for _, w := range ws {
			if p, err := seal.PublicKeyOf(w.VKey); err == nil && p.Equal(pub) {
				return fmt.Errorf("%w: witness %s has the same key", ErrConflict, w.Name)
			}
			if wv, err := seal.WitnessVerifier(w.VKey); err == nil && wv.Name() == v.Name() && wv.KeyHash() == v.KeyHash() {
				return fmt.Errorf("%w: witness %s's key has the same name and key hash %08x, so their cosignatures could not be told apart", ErrConflict, w.Name, v.KeyHash())
			}
		}
		if err := tx.AddWitness(ctx, store.Witness{Name: name, URL: rawURL, VKey: vkey, AddedAt: r.now()}); err != nil {
			return err
		}
		return r.audit(ctx, tx, a, "witness.add", "", fmt.Sprintf("%s %s %s", name, rawURL, vkey))
	})
	if err != nil {
		return wrapOnce("add witness "+name, err)
	}
	return r.reloadWitnesses(ctx)
}

// RemoveWitness stops sending checkpoints to a witness (admins only). It is refused when
// the quorum would exceed the witnesses left: lower the quorum first.
func (r *Registry) RemoveWitness(ctx context.Context, a Actor, name string) error {
	if err := a.require(RoleAdmin); err != nil {
		return err
	}
	if r.cfg.Heads == nil {
		return fmt.Errorf("remove witness: %w: this registry runs without witness support", ErrInvalid)
	}
	if r.twoAdmins(ctx, a) {
		return r.propose(ctx, a, ChangeWitnessRemove, name, changeDetail{})
	}
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		if err := r.takeChange(ctx, tx, a, ChangeWitnessRemove, name, changeDetail{}); err != nil {
			return err
		}
		cfg, err := cosigned.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		if err := witnessExists(cfg.Witnesses, name); err != nil {
			return err
		}
		if cfg.Quorum > len(cfg.Witnesses)-1 {
			return fmt.Errorf("%w: the quorum is %d and would exceed the %d witnesses left; lower it first", ErrConflict, cfg.Quorum, len(cfg.Witnesses)-1)
		}
		if err := tx.RemoveWitness(ctx, name); err != nil {
			return err
		}
		return r.audit(ctx, tx, a, "witness.remove", "", name)
	})
	if err != nil {
		return fmt.Errorf("remove witness %s: %w", name, err)
	}
	return r.reloadWitnesses(ctx)
}

// witnessExists refuses, with ErrNotFound, a name that is none of the witnesses ws: before
// the quorum is weighed against the witnesses left, which a name of no witness does not
// change.
func witnessExists(ws []store.Witness, name string) error {
	if !slices.ContainsFunc(ws, func(w store.Witness) bool { return w.Name == name }) {
		return ErrNotFound // the caller names the witness
	}
	return nil
}

// SetWitnessQuorum sets how many witnesses must cosign a checkpoint before seals and proofs
// are built against it (admins only). Raising it takes effect at once: until a checkpoint meets
// the new quorum, seals wait for it.
func (r *Registry) SetWitnessQuorum(ctx context.Context, a Actor, n int) error {
	if err := a.require(RoleAdmin); err != nil {
		return err
	}
	if r.cfg.Heads == nil {
		return fmt.Errorf("set quorum: %w: this registry runs without witness support", ErrInvalid)
	}
	// Refused before it is proposed: no second admin could carry it out. (One above the
	// number of witnesses may be proposed before the witnesses it counts are added.)
	if n < 0 {
		return i18n.Errorf(ErrInvalid, "a quorum is a number of witnesses, not %d", n)
	}
	if r.twoAdmins(ctx, a) {
		return r.propose(ctx, a, ChangeWitnessQuorum, quorumSubject, changeDetail{Quorum: n})
	}
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		if err := r.takeChange(ctx, tx, a, ChangeWitnessQuorum, quorumSubject, changeDetail{Quorum: n}); err != nil {
			return err
		}
		if err := cosigned.SetQuorum(ctx, tx, n); err != nil {
			return fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		return r.audit(ctx, tx, a, "witness.quorum", "", fmt.Sprint(n))
	})
	if err != nil {
		return fmt.Errorf("set quorum: %w", err)
	}
	return r.reloadWitnesses(ctx)
}

// reloadWitnesses puts the witness configuration just changed in force, and voids the public
// answers kept in memory: one with a seal below a quorum set or raised, or cosigned by a
// witness removed, is no longer given (keptSealCosigned).
func (r *Registry) reloadWitnesses(ctx context.Context) error {
	defer r.public.changed()
	return r.cfg.Heads.Reload(ctx)
}
