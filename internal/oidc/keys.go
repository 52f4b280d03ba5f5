package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
)

// MinKeyRefresh is the least time between two fetches of the provider's key set. go-oidc
// fetched it again for every token naming a key it did not hold (or failing with one it did),
// so that anyone could have the server ask the provider once for each token sent to
// /api/v1/oidc/token, and a provider that limits its clients keep the server from fetching
// the keys it rotated to. A token naming a key not held waits for a fetch begun after it
// arrived: a rotated key is seen at most this much later, never refused.
const MinKeyRefresh = 10 * time.Second

// minKeyRefresh is MinKeyRefresh; tests shorten it.
var minKeyRefresh = MinKeyRefresh

// MaxKeyAge is how long the provider's key set is trusted after the fetch that gave it: a
// token that arrives later waits for a fetch begun less than MaxKeyAge before it arrived
// (the one under way, or a new one), so that a key the provider withdrew from its set (one
// that leaked) stops verifying tokens within this time.
// A set fetched only for a key not held kept a withdrawn key for as long as the server ran:
// the provider's own tokens name the keys it kept, which were held.
const MaxKeyAge = 10 * time.Minute

// maxKeyAge is MaxKeyAge; tests shorten it.
var maxKeyAge = MaxKeyAge

// signingAlgs are the signature algorithms go-oidc verifies ID tokens with.
var signingAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.ES256, jose.ES384,
	jose.ES512, jose.PS256, jose.PS384, jose.PS512, jose.EdDSA}

// keySet is the provider's key set (go-oidc's KeySet), fetched at most once every
// minKeyRefresh, and trusted for maxKeyAge after the fetch that gave it. It is safe for
// concurrent use.
type keySet struct {
	url    string
	client *http.Client

	mu   sync.Mutex
	keys []jose.JSONWebKey
	// fetched is when the fetch that ended last began (zero before the first), and err its
	// error; keys stay those of the last fetch that succeeded, which began at good.
	fetched, good time.Time
	err           error
	// next, if not nil, is closed when the fetch under way, or waiting its turn, ends.
	next chan struct{}
}

var _ gooidc.KeySet = (*keySet)(nil)

// VerifySignature returns the payload of jwt if a key of the set signed it. The verifier
// has already checked its algorithm.
func (k *keySet) VerifySignature(ctx context.Context, jwt string) ([]byte, error) {
	jws, err := jose.ParseSigned(jwt, signingAlgs)
	if err != nil {
		return nil, fmt.Errorf("oidc: malformed jwt: %w", err)
	}
	if len(jws.Signatures) != 1 {
		return nil, errors.New("oidc: a jwt must carry one signature")
	}
	kid := jws.Signatures[0].Header.KeyID
	arrived := time.Now()
	k.mu.Lock()
	keys, fresh := k.keys, arrived.Sub(k.good) < maxKeyAge
	k.mu.Unlock()
	if !fresh {
		// The provider may have withdrawn a key since the set held was fetched: a set whose
		// fetch began less than maxKeyAge before the token arrived will do, one under way
		// included, as it does for a token that found the set fresh. When that fetch failed,
		// the token waits for one begun after it arrived, below.
		keys = nil
		if ks, err := k.since(ctx, arrived.Add(-maxKeyAge)); err == nil {
			keys = ks
		}
	}
	if payload, ok := verifyWith(jws, kid, keys); ok {
		return payload, nil
	}
	// The provider may have rotated its keys (OpenID Connect Core 1.0, 10.1.1).
	keys, err = k.since(ctx, arrived)
	if err != nil {
		return nil, fmt.Errorf("oidc: fetch the provider's keys: %w", err)
	}
	if payload, ok := verifyWith(jws, kid, keys); ok {
		return payload, nil
	}
	return nil, errors.New("oidc: no key of the provider verifies the token's signature")
}

// verifyWith verifies jws with the keys named kid (every key if kid is empty).
func verifyWith(jws *jose.JSONWebSignature, kid string, keys []jose.JSONWebKey) ([]byte, bool) {
	for _, key := range keys {
		if kid == "" || key.KeyID == kid {
			if payload, err := jws.Verify(&key); err == nil {
				return payload, true
			}
		}
	}
	return nil, false
}

// since returns the key set as fetched by a fetch begun at t or later, starting one (or
// waiting for its turn, minKeyRefresh after the last began) if none has.
func (k *keySet) since(ctx context.Context, t time.Time) ([]jose.JSONWebKey, error) {
	for {
		k.mu.Lock()
		if !k.fetched.IsZero() && !k.fetched.Before(t) {
			keys, err := k.keys, k.err
			k.mu.Unlock()
			return keys, err
		}
		if k.next == nil {
			k.next = make(chan struct{})
			at := time.Now()
			if turn := k.fetched.Add(minKeyRefresh); !k.fetched.IsZero() && turn.After(at) {
				at = turn
			}
			go k.fetch(at, k.next)
		}
		next := k.next
		k.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-next:
		}
	}
}

// fetch fetches the key set at the time at, and closes done once it is stored. It runs
// without the context of the token that asked for it, which others may wait for too: the
// client's timeout bounds it.
func (k *keySet) fetch(at time.Time, done chan struct{}) {
	time.Sleep(time.Until(at))
	began := time.Now()
	keys, err := k.get()
	k.mu.Lock()
	defer k.mu.Unlock()
	if err == nil {
		k.keys, k.good = keys, began
	}
	k.fetched, k.err, k.next = began, err, nil
	close(done)
}

// get fetches and reads the key set. Keys of a type or algorithm go-jose does not know are
// passed over, as go-oidc does (RFC 7517, 5): a set need not hold only keys that sign ID
// tokens.
func (k *keySet) get() ([]jose.JSONWebKey, error) {
	req, err := http.NewRequest(http.MethodGet, k.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Cache-Control", "no-cache")
	resp, err := k.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", resp.Status, clip(string(body)))
	}
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("read the key set: %w", err)
	}
	var keys []jose.JSONWebKey
	for _, raw := range set.Keys {
		var meta struct {
			Alg string `json:"alg"`
		}
		if err := json.Unmarshal(raw, &meta); err != nil {
			return nil, fmt.Errorf("read the key set: %w", err)
		}
		if meta.Alg != "" && !slices.Contains(signingAlgs, jose.SignatureAlgorithm(meta.Alg)) {
			continue
		}
		var key jose.JSONWebKey
		if err := json.Unmarshal(raw, &key); errors.Is(err, jose.ErrUnsupportedKeyType) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("read the key set: %w", err)
		}
		keys = append(keys, key)
	}
	return keys, nil
}
