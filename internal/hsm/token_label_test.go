//go:build cgo

package hsm

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// slotToken is a slot with an initialised token, as pkcs11-tool --list-token-slots prints it.
type slotToken struct{ id, hex, label, serial string }

// tokenSlots lists the module's slots that hold an initialised token.
func tokenSlots(t *testing.T) []slotToken {
	t.Helper()
	out, err := exec.Command("pkcs11-tool", "--module", softhsm, "--list-token-slots").CombinedOutput()
	if err != nil {
		t.Fatalf("list slots: %v\n%s", err, out)
	}
	var slots []slotToken
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) >= 3 && f[0] == "Slot":
			hex := strings.Trim(f[2], "():")
			id, err := strconv.ParseUint(strings.TrimPrefix(hex, "0x"), 16, 64)
			if err != nil {
				t.Fatalf("slot ID in %q: %v", l, err)
			}
			slots = append(slots, slotToken{id: strconv.FormatUint(id, 10), hex: hex})
		case len(slots) > 0 && strings.HasPrefix(strings.TrimSpace(l), "token label"):
			slots[len(slots)-1].label = strings.TrimSpace(l[strings.Index(l, ":")+1:])
		case len(slots) > 0 && strings.HasPrefix(strings.TrimSpace(l), "serial num"):
			slots[len(slots)-1].serial = strings.TrimSpace(l[strings.Index(l, ":")+1:])
		}
	}
	var tokens []slotToken
	for _, s := range slots {
		if s.label != "" {
			tokens = append(tokens, s)
		}
	}
	return tokens
}

// TestOpenRefusesTwoTokensOfOneLabel: a URI's token= was matched against every slot, and the
// first token of that label was taken without a word, though find refuses two keys under one
// label; slot-id= (and manufacturer=, model=) was accepted and ignored (found by audit,
// forty-ninth session). A second token with the office token's label (made by anyone who may
// initialise a token in the module: a SoftHSM token directory, a partition of a shared HSM, a
// smart card plugged in) decided, by slot order, which key the office opened. Now Open
// refuses two matching tokens and says to add serial=, and serial=, slot-id=, manufacturer=
// and model= each select the token or leave none.
func TestOpenRefusesTwoTokensOfOneLabel(t *testing.T) {
	pin := token(t)
	uri := "pkcs11:token=chancery;object=office?module-path=" + softhsm + "&pin-source=file:" + pin
	first, err := Open(uri)
	if err != nil {
		t.Fatal(err)
	}
	firstPub := first.pub
	first.Close()
	before := tokenSlots(t)
	if len(before) != 1 {
		t.Fatalf("tokens before: %+v", before)
	}
	if out, err := exec.Command("softhsm2-util", "--init-token", "--free", "--label", "chancery", "--pin", "123456", "--so-pin", "654321").CombinedOutput(); err != nil {
		t.Fatalf("init a second token: %v\n%s", err, out)
	}
	tokens := tokenSlots(t)
	if len(tokens) != 2 {
		t.Fatalf("tokens after: %+v", tokens)
	}
	other := tokens[0]
	if other.serial == before[0].serial {
		other = tokens[1]
	}
	if out, err := exec.Command("pkcs11-tool", "--module", softhsm, "--slot", other.hex, "--login", "--pin", "123456",
		"--keypairgen", "--key-type", "EC:edwards25519", "--label", "office", "--id", "01").CombinedOutput(); err != nil {
		t.Fatalf("make an office key in the second token: %v\n%s", err, out)
	}

	k, err := Open(uri)
	if err == nil {
		defer k.Close()
		t.Fatalf("Open took one of two tokens labelled chancery without a word; the key opened is the one opened before: %v", k.pub.Equal(firstPub))
	}
	if msg := err.Error(); !strings.Contains(msg, `more than one token is labelled "chancery"`) || !strings.Contains(msg, "add serial=") ||
		!strings.Contains(msg, before[0].serial) || !strings.Contains(msg, other.serial) {
		t.Errorf("Open with two tokens labelled chancery: %v", err)
	}

	// Each attribute that tells the tokens apart selects one; one that matches neither
	// selects none.
	open := func(path string) (*Key, error) {
		return Open("pkcs11:token=chancery;" + path + ";object=office?module-path=" + softhsm + "&pin-source=file:" + pin)
	}
	for _, c := range []struct {
		path  string
		first bool
	}{
		{"serial=" + before[0].serial, true},
		{"serial=" + other.serial, false},
		{"slot-id=" + before[0].id, true},
		{"slot-id=" + other.id, false},
		{"serial=" + before[0].serial + ";manufacturer=SoftHSM%20project;model=SoftHSM%20v2", true},
	} {
		k, err := open(c.path)
		if err != nil {
			t.Errorf("%s: %v", c.path, err)
			continue
		}
		if k.pub.Equal(firstPub) != c.first {
			t.Errorf("%s opened the other token's key", c.path)
		}
		if !strings.Contains(k.uri.Recorded(), c.path) {
			t.Errorf("%s: recorded as %s", c.path, k.uri.Recorded())
		}
		k.Close()
	}
	for _, path := range []string{"slot-id=" + before[0].id + "0", "serial=" + before[0].serial + ";slot-id=" + other.id,
		"serial=" + before[0].serial + ";manufacturer=Other", "serial=" + before[0].serial + ";model=Other"} {
		if k, err := open(path); err == nil {
			k.Close()
			t.Errorf("%s: opened", path)
		} else if !strings.Contains(err.Error(), "no such token") {
			t.Errorf("%s: %v", path, err)
		}
	}
	if k, err := open("manufacturer=SoftHSM%20project"); err == nil || !strings.Contains(err.Error(), "more than one token") {
		if k != nil {
			k.Close()
		}
		t.Errorf("manufacturer= that both tokens match: %v", err)
	}
}
