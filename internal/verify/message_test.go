package verify

import (
	"strconv"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/seal"
	"golang.org/x/text/language"
)

// TestValidOfflineSameAsT checks the message of a seal valid offline, written in one buffer,
// against the messages it stands for, made with T as before: the same bytes for subjects that
// %q escapes, several and repeated signers, cosigners, and times in other zones.
func TestValidOfflineSameAsT(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	at := time.Date(2026, 3, 1, 9, 5, 0, 0, time.UTC)
	sig := func(names ...string) []seal.Signature {
		var out []seal.Signature
		for _, n := range names {
			out = append(out, seal.Signature{Signer: n, KeyID: "k-" + n})
		}
		return out
	}
	cases := []seal.Result{
		{Statement: &seal.ReleaseStatement{Office: "Task Force North", ReleasedAt: at, Signatures: sig("alice")}, Index: 3, TreeSize: 1001},
		{Statement: &seal.ReleaseStatement{Office: "Bureau du Préfet", ReleasedAt: at.In(paris), Signatures: sig("bob", "alice", "bob")}, Index: 123456, TreeSize: 1 << 40,
			Cosigners: []seal.Cosigner{{Name: "witness.example/w1", Time: at}, {Name: "w2\x1b[31m", Time: at.Add(time.Hour)}}},
		{Statement: &seal.ReleaseStatement{Office: "مكتب", ReleasedAt: at, Signatures: nil}, Index: 0, TreeSize: 1},
	}
	subjects := []string{"Berths 3 & 4", `"quoted" \ <b>`, "Fermeture\u2028des quais\n", "a\xffb", "مرسوم", ""}
	for _, p := range []*i18n.Printer{nil, i18n.For(language.English)} {
		vf := &Verifier{P: p}
		if !vf.english() {
			t.Fatal("an English printer is not English")
		}
		for _, r := range cases {
			for _, subject := range subjects {
				r.Statement.Subject, r.Statement.Reference = subject, "TFN-2026-"+subject
				want := vf.ValidMessage(r.Statement, r.Index).Plus(vf.cosignedBy(r.Cosigners)).
					Plus(vf.T(" (offline: in the log at checkpoint %s; retractions and supersessions are not checked offline)", strconv.FormatInt(r.TreeSize, 10)))
				if got := vf.validOffline(&r); got != want.En || got != want.Local {
					t.Errorf("validOffline:\n%q\nT:\n%q", got, want.En)
				}
			}
		}
	}
	if (&Verifier{P: i18n.For(language.French)}).english() {
		t.Error("a French printer is English")
	}
}
