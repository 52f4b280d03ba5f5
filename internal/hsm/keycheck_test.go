//go:build cgo

package hsm

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/miekg/pkcs11"
)

// withToken runs f in a session logged in to the token "chancery" that token made.
func withToken(t *testing.T, f func(ctx *pkcs11.Ctx, sh pkcs11.SessionHandle)) {
	t.Helper()
	m, err := loadModule(softhsm)
	if err != nil {
		t.Fatal(err)
	}
	defer unloadModule(m)
	ctx := m.ctx
	k := &Key{uri: &URI{Token: "chancery"}, mod: m, ctx: ctx}
	tok, err := k.token()
	if err != nil {
		t.Fatal(err)
	}
	sh, err := ctx.OpenSession(tok.slot, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION)
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.CloseSession(sh)
	if err := ctx.Login(sh, pkcs11.CKU_USER, "123456"); err != nil {
		t.Fatal(err)
	}
	f(ctx, sh)
}

// genPair makes an Ed25519 key pair labelled label with the one-byte ID id in the session,
// its private key with the attributes priv besides the usual ones.
func genPair(t *testing.T, ctx *pkcs11.Ctx, sh pkcs11.SessionHandle, label string, id byte, priv ...*pkcs11.Attribute) (pub, prv pkcs11.ObjectHandle) {
	t.Helper()
	common := func() []*pkcs11.Attribute {
		return []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
			pkcs11.NewAttribute(pkcs11.CKA_LABEL, label), pkcs11.NewAttribute(pkcs11.CKA_ID, []byte{id})}
	}
	pubT := append(common(), pkcs11.NewAttribute(pkcs11.CKA_VERIFY, true),
		pkcs11.NewAttribute(pkcs11.CKA_EC_PARAMS, []byte{0x06, 0x03, 0x2b, 0x65, 0x70})) // id-Ed25519
	privT := append(append(common(), pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, true)), priv...)
	pub, prv, err := ctx.GenerateKeyPair(sh, []*pkcs11.Mechanism{pkcs11.NewMechanism(0x1055, nil)}, pubT, privT) // CKM_EC_EDWARDS_KEY_PAIR_GEN
	if err != nil {
		t.Fatalf("generate %s: %v", label, err)
	}
	return pub, prv
}

// TestOpenRefusesAKeyThatCanLeaveTheToken: a token holds the office key so that it cannot be
// copied, and a private key that can be exported (CKA_EXTRACTABLE) or read (CKA_SENSITIVE
// false) from it can be; one that may not sign (CKA_SIGN false) fails every signature. Each
// was opened, and the last failed at the first release: each is refused at open, with a
// message that says which, and a key generated as docs/keys.md says opens.
func TestOpenRefusesAKeyThatCanLeaveTheToken(t *testing.T) {
	pin := token(t)
	withToken(t, func(ctx *pkcs11.Ctx, sh pkcs11.SessionHandle) {
		genPair(t, ctx, sh, "good", 0x10, pkcs11.NewAttribute(pkcs11.CKA_SIGN, true),
			pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true), pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, false))
		genPair(t, ctx, sh, "extractable", 0x11, pkcs11.NewAttribute(pkcs11.CKA_SIGN, true),
			pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true), pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, true))
		genPair(t, ctx, sh, "readable", 0x12, pkcs11.NewAttribute(pkcs11.CKA_SIGN, true),
			pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, false), pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, false))
		genPair(t, ctx, sh, "nosign", 0x13, pkcs11.NewAttribute(pkcs11.CKA_SIGN, false),
			pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true), pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, false))
	})
	// As an office could make one by mistake, with OpenSC.
	if out, err := exec.Command("pkcs11-tool", "--module", softhsm, "--token-label", "chancery", "--login", "--pin", "123456",
		"--keypairgen", "--key-type", "EC:edwards25519", "--label", "tool-extractable", "--id", "14", "--extractable").CombinedOutput(); err != nil {
		t.Fatalf("pkcs11-tool: %v\n%s", err, out)
	}
	uri := func(label string) string {
		return "pkcs11:token=chancery;object=" + label + "?module-path=" + softhsm + "&pin-source=" + pin
	}
	for _, label := range []string{"good", "office"} {
		k, err := Open(uri(label))
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		k.Close()
	}
	for label, want := range map[string]string{
		"extractable":      "can be exported from the token",
		"tool-extractable": "can be exported from the token",
		"readable":         "can be read from the token",
		"nosign":           "may not sign",
	} {
		k, err := Open(uri(label))
		if err == nil {
			k.Close()
			t.Errorf("%s: opened", label)
			continue
		}
		if !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "123456") {
			t.Errorf("%s: %v, want an error saying %q", label, err, want)
		}
	}
}

// TestOpenRefusesObjectsOfTwoKeyPairs: Open finds the private and the public key by two
// searches, and a URI under which they are of two pairs (a public key deleted, another
// relabelled) opened: every signature then failed Sign's check, and the server learnt it at
// its first release. Open signs a test message and refuses such a URI.
func TestOpenRefusesObjectsOfTwoKeyPairs(t *testing.T) {
	pin := token(t)
	withToken(t, func(ctx *pkcs11.Ctx, sh pkcs11.SessionHandle) {
		attrs := []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_SIGN, true),
			pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true), pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, false)}
		xpub, _ := genPair(t, ctx, sh, "mixed", 0x20, attrs...)
		ypub, _ := genPair(t, ctx, sh, "other", 0x21, attrs...)
		if err := ctx.DestroyObject(sh, xpub); err != nil {
			t.Fatal(err)
		}
		if err := ctx.SetAttributeValue(sh, ypub, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_LABEL, "mixed"),
			pkcs11.NewAttribute(pkcs11.CKA_ID, []byte{0x20})}); err != nil {
			t.Fatal(err)
		}
	})
	k, err := Open("pkcs11:token=chancery;object=mixed?module-path=" + softhsm + "&pin-source=" + pin)
	if err == nil {
		k.Close()
		t.Fatal("a private key and the public key of another pair under one URI: opened")
	}
	if !strings.Contains(err.Error(), "not one pair") {
		t.Errorf("%v, want an error saying the keys are not one pair", err)
	}
}
