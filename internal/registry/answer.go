package registry

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/chancery/chancery/internal/metrics"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"golang.org/x/mod/sumdb/tlog"
)

// Kept answers (issue 19 item 1). The public answer about a released letter that stands is
// the same bytes at every lookup until the letter is withdrawn or erased or a signer's key is
// revoked, so it is rendered once, when the letter's seal is kept, and kept in one row keyed by
// its file's digest (store, lookup_answers.go): a lookup of a known digest is one read of one
// row and a concatenation, where LookupRelease read six tables and the answer was decoded,
// checked and encoded at every lookup (docs/benchmarks.md).
//
// A row holds what is the letter's own, already in the answer's JSON, around two holes: the
// office's name (the configuration's, which may change between runs) and the kept seal's
// shared part (seal_parts: its checkpoint and its signer keys' inclusion proofs, read with the
// row), whose signer keys' entries, which never change, are kept in memory. Its layout:
//
//	version byte (the seal's) | uvarint len | head | uvarint len | middle | release
//	answer = head | office | middle | checkpoint | release | keys | "]}}\n"
//
// Since migration 21 all but the version byte are packed (answer_pack.go), and the version
// byte has packedBody set.
//
// head is the status's JSON up to `"office":`; middle the rest of it, without its closing
// brace, then `,"seal":{"chancery_seal":N,"checkpoint":`; release is `,"release":…,"keys":[`.
// The bytes are those the server wrote before (AppendStatusJSON): renderAnswer checks that
// the pieces make them, and lookup_test.go checks it for every state a letter can be in,
// against the reading of every table.
//
// When the row cannot be used (none kept, pending since migration 20, or a signer's key
// revoked in the snapshot the row was read in), the answer is computed as before
// (VerifyDigest).

// keptAnswers holds the signer keys' pieces of kept answers and, on SQLite, the answers
// asked more than once.
type keptAnswers struct {
	office atomic.Pointer[[]byte] // the office's name as JSON
	mu     sync.Mutex
	keys   map[keyFragKey]*keyFrag
	// bodies and asked work as publicCache does: an answer is kept at its second lookup, with
	// the publicCache generation it was read in, and is given only while that is current.
	bodies map[string]keptBody
	asked  map[string]struct{}
}

type keyFragKey struct {
	index int64 // the key-added entry's
	v2    bool  // written as a version 2 seal writes it
}

// keyFrag is a signer key's logged entry in a seal's JSON, around its inclusion proof (the
// seal part's): pre is `{"index":…,"entry":…,"proof":[`, post `]` and the opening. A logged
// entry and its opening never change.
type keyFrag struct {
	pre, post []byte
}

type keptBody struct {
	gen  uint64
	body []byte
}

// maxBodies bounds the answers kept in memory (about 5 KB each); when full they start afresh.
const maxBodies = 1 << 12

func (k *keptAnswers) keyFrag(key keyFragKey) *keyFrag {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.keys[key]
}

func (k *keptAnswers) putKeyFrag(key keyFragKey, f *keyFrag) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.keys == nil {
		k.keys = make(map[keyFragKey]*keyFrag)
	}
	k.keys[key] = f
}

func newKeyFrag(e *seal.LoggedEntry, v2 bool) *keyFrag {
	full := appendLogged(nil, &seal.LoggedEntry{Index: e.Index, Entry: e.Entry, Opening: e.Opening}, v2)
	cut := bytes.Index(full, []byte(`"proof":[`)) + len(`"proof":[`)
	return &keyFrag{pre: full[:cut:cut], post: full[cut:]}
}

func (k *keptAnswers) body(key string, gen uint64) []byte {
	k.mu.Lock()
	defer k.mu.Unlock()
	if b, ok := k.bodies[key]; ok && b.gen == gen {
		return b.body
	}
	return nil
}

// keep keeps a copy of body, read in generation gen, at key's second lookup, unless the
// generation is no longer current (what current returns): a body read before an erasure,
// kept after it had dropped the bodies (forget), would hold what it erased.
func (k *keptAnswers) keep(key string, gen uint64, body []byte, current func() uint64) {
	if !settled(gen) {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if gen != current() {
		return
	}
	if _, ok := k.asked[key]; !ok {
		if k.asked == nil || len(k.asked) >= maxBodies {
			k.asked = make(map[string]struct{})
		}
		k.asked[key] = struct{}{}
		return
	}
	delete(k.asked, key)
	if k.bodies == nil || len(k.bodies) >= maxBodies {
		k.bodies = make(map[string]keptBody)
	}
	k.bodies[key] = keptBody{gen: gen, body: bytes.Clone(body)}
}

// forget drops the answers kept, which hold letters' subjects, signers and seals, after an
// erasure (forgetContent): stale, they were given no more, but kept what it erased in memory
// until the map filled.
func (k *keptAnswers) forget() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.bodies, k.asked = nil, nil
}

func (r *Registry) officeJSON() []byte {
	if o := r.answers.office.Load(); o != nil {
		return *o
	}
	o, _ := json.Marshal(r.cfg.Office.Name)
	r.answers.office.Store(&o)
	return o
}

// PublicVerify answers the public about the file with this digest, as VerifyDigest answers an
// actor who is not a member: either as the answer's JSON (what AppendStatusJSON writes),
// appended to buf and ready to send, or, when the answer is not kept, as the Status
// VerifyDigest returns (body nil). The body is the caller's until it calls again with buf.
func (r *Registry) PublicVerify(ctx context.Context, digest seal.Digest, buf []byte) (_ *Status, _ []byte, err error) {
	defer catchingUp(&err)
	cache := r.cachesAnswers()
	key := "digest " + string(digest)
	gen := r.public.generation()
	if cache {
		if b := r.answers.body(key, gen); b != nil {
			metrics.VerifyAnswer(Valid)
			return nil, b, nil
		}
		if st := r.public.get(key); st != nil {
			st, err := answered(st, nil)
			return st, nil, err
		}
	}
	a, err := r.cfg.DB.Answer(ctx, string(digest))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, nil, fmt.Errorf("verify %s: %w", digest, err)
	}
	if err == nil && a.Part != 0 && a.Checkpoint != nil && r.keptSealCosigned(a.Checkpoint) {
		if keys := r.keysAt(ctx, a.RevokedKeys); keys != nil {
			out, err := r.appendAnswer(ctx, buf, a.Body, r.officeJSON(), a.Checkpoint, a.KeyProofs, keys.added)
			switch {
			case err == nil:
				metrics.VerifyAnswer(Valid)
				if cache {
					r.answers.keep(key, gen, out, r.public.generation)
				}
				return nil, out, nil
			case !errors.Is(err, errNotKept):
				return nil, nil, fmt.Errorf("verify %s: %w", digest, err)
			}
		}
	}
	st, err := r.VerifyDigest(ctx, Actor{}, digest)
	return st, nil, err
}

// keysAt returns the revoked keys at count, reading them when the set kept is not that count's
// (the first lookup, or a key revoked since); nil if they are no longer at count (a key was
// revoked meanwhile: the answer is then computed, in one snapshot).
func (r *Registry) keysAt(ctx context.Context, count int64) *revokedKeys {
	if keys := r.keyStates.at(count); keys != nil {
		return keys
	}
	var revoked []store.RevokedKey
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		revoked, err = tx.RevokedKeys(ctx)
		return err
	})
	// The set only grows: read at the same count, it is the one counted.
	if err != nil || int64(len(revoked)) != count {
		return nil
	}
	return r.keyStates.put(count, revoked)
}

// packedBody marks the version byte of a row whose pieces are packed (answer_pack.go); rows
// written before it (migration 20's, until migration 21 has them built again) are not.
const packedBody = 0x80

// unpackBuffers hold the unpacked pieces of a row during a lookup.
var unpackBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

// errNotKept says that a kept answer is not the answer: a signer's key is revoked, or the row
// is malformed (then the answer is computed, as if none were kept).
var errNotKept = errors.New("the kept answer does not stand")

// answerWithRow answers for the released letter lk, whose signers' key states are keys, as
// verifyDigest does, and, when the answer is one that is kept (the letter stands with its
// kept seal, signed by keys in force), renders the row's body.
func (r *Registry) answerWithRow(ctx context.Context, lk *store.ReleaseLookup, keys *revokedKeys) (*Status, []byte, error) {
	st := &Status{Office: r.cfg.Office.Name, Holder: true}
	if err := r.answerRelease(ctx, lk, keys, st); err != nil {
		return nil, nil, err
	}
	if st.Outcome != Valid || st.Erased || st.SealJSON == nil || st.Seal == nil || lk.Seal == nil {
		return st, nil, nil
	}
	body, err := r.renderAnswer(ctx, st, lk.Seal, keys.added)
	if err != nil {
		return nil, nil, err
	}
	return st, body, nil
}

// renderAnswer returns the row's body for st, a letter's answer with its kept seal k, which
// the keys revoked (by key-added index) do not touch.
func (r *Registry) renderAnswer(ctx context.Context, st *Status, k *store.KeptSeal, revoked map[int64]bool) ([]byte, error) {
	j, err := AppendStatusJSON(nil, st)
	if err != nil {
		return nil, err
	}
	office, err := json.Marshal(st.Office)
	if err != nil {
		return nil, err
	}
	s := st.Seal
	v := s.Version()
	v2 := v == seal.SealVersion2
	for i := range s.Keys {
		r.answers.putKeyFrag(keyFragKey{s.Keys[i].Index, v2}, newKeyFrag(&s.Keys[i], v2))
	}
	// The office's key is the first of its name after outcome and reference, whose strings
	// escape their quotes: its first occurrence is the key.
	const officeKey = `,"office":`
	i := bytes.Index(j, []byte(officeKey))
	if i < 0 || !bytes.HasPrefix(j[i+len(officeKey):], office) {
		return nil, errors.New("answer: no office in the status")
	}
	head := j[:i+len(officeKey)]
	rest := j[i+len(officeKey)+len(office):]
	cp := appendJSONString(nil, s.Checkpoint)
	mark := []byte(`,"seal":{"chancery_seal":` + strconv.Itoa(v) + `,"checkpoint":`)
	m := bytes.Index(rest, mark)
	if m < 0 || !bytes.HasPrefix(rest[m+len(mark):], cp) {
		return nil, errors.New("answer: no seal in the status")
	}
	middle := rest[:m+len(mark)]
	release := rest[m+len(mark)+len(cp):]
	const keysMark = `,"keys":[`
	n := bytes.LastIndex(release, []byte(keysMark))
	if n < 0 {
		return nil, errors.New("answer: no keys in the seal")
	}
	release = release[:n+len(keysMark)]
	body := make([]byte, 0, 1+2*binary.MaxVarintLen32+len(head)+len(middle)+len(release))
	body = append(body, byte(v))
	body = binary.AppendUvarint(body, uint64(len(head)))
	body = append(body, head...)
	body = binary.AppendUvarint(body, uint64(len(middle)))
	body = append(body, middle...)
	body = append(body, release...)
	body = packAnswer([]byte{byte(v) | packedBody}, body[1:])
	// The pieces put back together must be the answer: a check that costs nothing at lookups.
	got, err := r.appendAnswer(ctx, nil, body, office, k.Checkpoint, k.SignerProofs, revoked)
	if err != nil {
		return nil, fmt.Errorf("answer: %w", err)
	}
	if !bytes.Equal(got, j) {
		return nil, errors.New("answer: the kept pieces do not make the answer")
	}
	return body, nil
}

// appendAnswer appends to b the answer kept as body, with the office's name (as JSON) and the
// kept seal's part (its checkpoint and its signer keys' proofs, keptseals.go); errNotKept if
// one of those keys is among the revoked (by key-added index) or body is malformed.
func (r *Registry) appendAnswer(ctx context.Context, b, body, office, checkpoint, keyProofs []byte, revoked map[int64]bool) ([]byte, error) {
	if len(body) < 1 {
		return b, errNotKept
	}
	v2 := body[0]&^packedBody == seal.SealVersion2
	rest := body[1:]
	if body[0]&packedBody != 0 {
		sp := unpackBuffers.Get().(*[]byte)
		defer unpackBuffers.Put(sp)
		var err error
		if *sp, err = unpackAnswer((*sp)[:0], rest); err != nil {
			return b, errNotKept
		}
		rest = *sp
	}
	piece := func() ([]byte, bool) {
		n, w := binary.Uvarint(rest)
		if w <= 0 || n > uint64(len(rest)-w) {
			return nil, false
		}
		out := rest[w : w+int(n)]
		rest = rest[w+int(n):]
		return out, true
	}
	head, ok := piece()
	if !ok {
		return b, errNotKept
	}
	middle, ok := piece()
	if !ok {
		return b, errNotKept
	}
	if b == nil {
		b = make([]byte, 0, len(rest)+len(office)+2*len(checkpoint)+4<<10)
	}
	b = append(b, head...)
	b = append(b, office...)
	b = append(b, middle...)
	b = appendJSONString(b, checkpoint)
	b = append(b, rest...)
	// The keys: uvarint count | (uvarint key-added index | uvarint hashes | hashes)...
	p := keyProofs
	uvarint := func() (uint64, bool) {
		v, n := binary.Uvarint(p)
		if n <= 0 {
			return 0, false
		}
		p = p[n:]
		return v, true
	}
	count, ok := uvarint()
	if !ok {
		return b, errNotKept
	}
	for i := range count {
		idx, ok := uvarint()
		if !ok || revoked[int64(idx)] {
			return b, errNotKept
		}
		hashes, ok := uvarint()
		if !ok || hashes > uint64(len(p))/tlog.HashSize {
			return b, errNotKept
		}
		f, err := r.keyFragment(ctx, int64(idx), v2)
		if err != nil {
			return b, err
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, f.pre...)
		for h := range hashes {
			if h > 0 {
				b = append(b, ',')
			}
			b = appendBase64(b, p[:tlog.HashSize])
			p = p[tlog.HashSize:]
		}
		b = append(b, f.post...)
	}
	if len(p) != 0 {
		return b, errNotKept
	}
	return append(b, "]}}\n"...), nil
}

// keyFragment returns the signer key's entry at index as a seal writes it, read once.
func (r *Registry) keyFragment(ctx context.Context, index int64, v2 bool) (*keyFrag, error) {
	key := keyFragKey{index, v2}
	if f := r.answers.keyFrag(key); f != nil {
		return f, nil
	}
	var o *seal.Opening
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		o, err = opening(ctx, tx, index)
		return err
	})
	if err != nil {
		return nil, err
	}
	e, err := r.cfg.Log.Entry(ctx, index)
	if err != nil {
		return nil, err
	}
	f := newKeyFrag(&seal.LoggedEntry{Index: index, Entry: e, Opening: o}, v2)
	r.answers.putKeyFrag(key, f)
	return f, nil
}

// AppendStatusJSON appends to b the JSON of a status answer (the verify and status endpoints'
// answer without "latest"): the status, with its seal's JSON spliced in as it is, and a
// newline. encoding/json would validate and re-compact the seal's kilobytes at every encoding.
func AppendStatusJSON(b []byte, st *Status) ([]byte, error) {
	j, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	if st.Seal == nil {
		return append(append(b, j...), '\n'), nil
	}
	sl := st.SealJSON
	if sl == nil {
		sl = st.Seal.Marshal()
	}
	sl = bytes.TrimRight(sl, "\n")
	if b == nil {
		b = make([]byte, 0, len(j)+len(`,"seal":`)+len(sl)+len("}\n"))
	}
	b = append(b, j[:len(j)-1]...)
	b = append(b, `,"seal":`...)
	b = append(b, sl...)
	return append(b, "}\n"...), nil
}

// txKeyStates returns the signer keys' states that lk's count of revoked keys was read with,
// reading them in tx when they are not the ones kept.
func (r *Registry) txKeyStates(ctx context.Context, tx *store.Tx, lk *store.ReleaseLookup) (*revokedKeys, error) {
	if keys := r.keyStates.at(lk.RevokedKeys); keys != nil {
		return keys, nil
	}
	revoked, err := tx.RevokedKeys(ctx)
	if err != nil {
		return nil, err
	}
	return r.keyStates.put(lk.RevokedKeys, revoked), nil
}

// keepAnswerOf keeps, in tx, the answer about the released letter lk, when it is one that is
// kept (answerWithRow) with a seal kept in seals; otherwise it forgets any row kept for it.
func (r *Registry) keepAnswerOf(ctx context.Context, tx *store.Tx, lk *store.ReleaseLookup) error {
	digest := lk.Release.FileDigest
	// Without a kept seal, the answer would build and keep one (attachEvidence), a write of its
	// own inside this one.
	if lk.Seal == nil {
		return tx.DropAnswer(ctx, digest)
	}
	keys, err := r.txKeyStates(ctx, tx, lk)
	if err != nil {
		return err
	}
	// An answer that cannot be rendered is not kept: lookups compute it, as before.
	_, body, err := r.answerWithRow(ctx, lk, keys)
	if err != nil || body == nil {
		return tx.DropAnswer(ctx, digest)
	}
	return tx.PutAnswer(ctx, digest, lk.Release.LogIndex, body)
}

// BuildAnswers builds the answers that migration 20 left pending (one for each letter that
// stood with a kept seal), in transactions of a few hundred, and returns how many it built
// (or dropped: their letters no longer stand).
// Until it has, those letters are answered as before, from their tables.
func (r *Registry) BuildAnswers(ctx context.Context) (int, error) {
	n := 0
	for {
		// Looked for in a read first: every start does it, and the writer is not taken for
		// nothing (another process may hold it).
		var digests []string
		err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
			var err error
			digests, err = tx.PendingAnswers(ctx, 500)
			return err
		})
		if err != nil {
			return n, fmt.Errorf("build kept answers: %w", err)
		}
		if len(digests) == 0 {
			return n, nil
		}
		batch := len(digests)
		err = r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
			for _, d := range digests {
				lk, err := tx.LookupRelease(ctx, d)
				if errors.Is(err, store.ErrNotFound) {
					if err := tx.DropAnswer(ctx, d); err != nil {
						return err
					}
					continue
				}
				if err != nil {
					return err
				}
				if err := r.keepAnswerOf(ctx, tx, lk); err != nil {
					return fmt.Errorf("answer %s: %w", d, err)
				}
			}
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("build kept answers: %w", err)
		}
		n += batch
	}
}
