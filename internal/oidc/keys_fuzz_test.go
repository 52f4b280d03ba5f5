package oidc

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"io"
	"net/http"
	"slices"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// answerWith is a transport that answers every request 200 with body.
type answerWith []byte

func (b answerWith) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(b)), Request: r}, nil
}

// FuzzKeySet reads arbitrary answers of the provider's jwks_uri, as the key set fetches them:
// no answer makes it panic, and a set it accepts holds only keys of the algorithms
// go-oidc verifies (or of none named), among them the provider's key under the ID the token
// names whenever the answer carries it, which verifies the provider's token and no other. A
// key without an ID is not one a token naming its key asks for (verifyWith, as go-oidc).
func FuzzKeySet(f *testing.F) {
	pub, priv, _ := ed25519.GenerateKey(bytes.NewReader(make([]byte, 64)))
	_, otherPriv, _ := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{1}, 64)))
	x := base64.RawURLEncoding.EncodeToString(pub)
	for _, s := range []string{
		`{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","alg":"EdDSA","use":"sig","x":"` + x + `"}]}`,
		`{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"` + x + `"},{"kty":"oct","k":"c2VjcmV0"}]}`,
		`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + x + `"}]}`, // the key without its ID
		`{"keys":[{"kty":"RSA","kid":"r","alg":"RS256","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw","e":"AQAB"}]}`,
		`{"keys":[{"kty":"EC","crv":"P-256","alg":"ES256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}`,
		`{"keys":[{"kty":"oct","alg":"HS256","k":"c2VjcmV0"}]}`,
		`{"keys":[{"kty":"XYZ","alg":"EdDSA"}]}`,
		`{"keys":[{"kty":"OKP","crv":"Ed25519","alg":"none","x":"` + x + `"}]}`,
		`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"AAAA"}]}`,
		`{"keys":[null,1,"a"]}`,
		`{"keys":null}`,
		`{}`,
		`[]`,
		``,
	} {
		f.Add([]byte(s))
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: priv}, (&jose.SignerOptions{}).WithHeader("kid", "k1"))
	if err != nil {
		f.Fatal(err)
	}
	otherSigner, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: otherPriv}, (&jose.SignerOptions{}).WithHeader("kid", "k1"))
	if err != nil {
		f.Fatal(err)
	}
	sign := func(s jose.Signer) *jose.JSONWebSignature {
		tok, err := s.Sign([]byte(`{"sub":"olga-1"}`))
		if err != nil {
			f.Fatal(err)
		}
		compact, err := tok.CompactSerialize()
		if err != nil {
			f.Fatal(err)
		}
		jws, err := jose.ParseSigned(compact, signingAlgs)
		if err != nil {
			f.Fatal(err)
		}
		return jws
	}
	token, forged := sign(signer), sign(otherSigner)
	f.Fuzz(func(t *testing.T, body []byte) {
		k := &keySet{url: "https://provider.example/keys", client: &http.Client{Transport: answerWith(body)}}
		keys, err := k.get()
		if err != nil {
			if keys != nil {
				t.Fatalf("get failed (%v) with keys", err)
			}
			return
		}
		carries := false
		for _, key := range keys {
			if key.Algorithm != "" && !slices.Contains(signingAlgs, jose.SignatureAlgorithm(key.Algorithm)) {
				t.Fatalf("key set %q gave the key %+v", body, key)
			}
			if p, ok := key.Key.(ed25519.PublicKey); ok && p.Equal(pub) && key.KeyID == "k1" {
				carries = true
			}
		}
		if _, ok := verifyWith(forged, "k1", keys); ok {
			t.Fatalf("key set %q verifies a token signed by another key", body)
		}
		if _, ok := verifyWith(token, "k1", keys); ok != carries {
			t.Fatalf("key set %q: the provider's token verifies %v, the set carries its key %v", body, ok, carries)
		}
	})
}
