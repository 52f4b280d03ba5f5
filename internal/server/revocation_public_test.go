package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestPendingRevocationTellsThePublicNothing: a signer key's revocation that waits for the
// witness quorum (a witness down) changes nothing of what the public is told by reference,
// which is read from the stored state: the letters that key signed answer at once, as every
// other letter does. (They answered 503, and only they, until the revocation was cosigned,
// telling anyone who asked by reference which letters the revoked key signed.) The holder's
// answer, which proves the revocation, still waits for it.
func TestPendingRevocationTellsThePublicNothing(t *testing.T) {
	o := newCosignedOffice(t, "sam", "sue")
	text := "Dear Minister, the office confirms that the joint exercise planned for the spring will take place " +
		"in the northern district, with two companies and their support, from the first to the twelfth of April, about "
	refSam, refSue := o.release(t, "sam", "alpha", text+"alpha").Reference, o.release(t, "sue", "bravo", text+"bravo").Reference
	o.witnessDown(t)
	if _, err := o.reg.RevokeKey(context.Background(), o.actors["sam"], o.keyIDs["sam"], "laptop lost"); err != nil {
		t.Fatal(err)
	}
	answers := map[string]string{}
	for _, ref := range []string{refSam, refSue} {
		// A wait for the witnesses, who are down, would end in 503.
		s, b := o.do(t, "GET", "/api/v1/letters/"+ref+"/status", "", "", nil)
		if s != http.StatusOK {
			t.Errorf("%s, by reference, after a revocation of a key that signed it, waiting for the witnesses: %d %s", ref, s, b)
		}
		answers[ref] = strings.ReplaceAll(string(b), ref, "REF")
		if s, b := o.do(t, "GET", "/v/"+ref, "", "", nil); s != http.StatusOK {
			t.Errorf("%s, its web page by reference: %d %.200s", ref, s, b)
		}
	}
	if answers[refSam] != answers[refSue] {
		t.Errorf("the public answers differ:\n%s\n%s", answers[refSam], answers[refSue])
	}
	// The holder of sam's letter is shown the revocation, once cosigned: meanwhile it waits.
	if s, _ := o.do(t, "GET", "/api/v1/letters/"+refSam+"/status", o.tokens["otto"], "", nil); s != http.StatusServiceUnavailable {
		t.Errorf("a member's answer for sam's letter while the revocation waits: %d, want 503", s)
	}
}
