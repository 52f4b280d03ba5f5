package server

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestLogPageShowsTheCosignedCheckpoint: with a witness quorum, the public log page shows the
// checkpoint /log/checkpoint serves, the newest the quorum cosigned, with its cosignature
// lines, and the entries it covers: not the log's own latest checkpoint, which no witness may
// have seen (a split view the quorum exists to stop). Before any checkpoint is cosigned it
// shows none.
func TestLogPageShowsTheCosignedCheckpoint(t *testing.T) {
	ctx := context.Background()
	o := newCosignedOffice(t, "sam")
	o.witnessDown(t) // quorum 1 of a witness that never answers
	_, page := o.do(t, "GET", "/log", "", "", nil)
	_, vkey := o.do(t, "GET", "/log/key", "", "", nil)
	origin, _, _ := strings.Cut(strings.TrimSpace(string(vkey)), "+")
	if strings.Contains(string(page), "— "+origin+" ") {
		t.Errorf("nothing cosigned yet, the log page shows a checkpoint:\n%s", page)
	}

	o2 := newCosignedOffice(t, "sam")
	justice := o2.startOfficeWitness(t, "justice")
	if err := o2.reg.SetWitnessQuorum(ctx, o2.actors["root"], 1); err != nil {
		t.Fatal(err)
	}
	hs := o2.reg.Heads()
	for deadline := time.Now().Add(30 * time.Second); hs.Head() == nil; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no cosigned head")
		}
	}
	cosigned := hs.Head()
	justice.Close() // the witness goes down: what is logged from now on is not cosigned
	if rel := o2.release(t, "sam", "Joint exercise", "Dear Minister, the exercise takes place in April."); rel.Seal != nil {
		t.Fatal("a seal without the witness")
	} else if rel.LogIndex < cosigned.Size {
		t.Fatalf("release at %d, inside the cosigned tree of size %d", rel.LogIndex, cosigned.Size)
	}
	_, page = o2.do(t, "GET", "/log", "", "", nil)
	status, served := o2.do(t, "GET", "/log/checkpoint", "", "", nil)
	if status != 200 || string(served) != string(cosigned.Checkpoint) {
		t.Fatalf("/log/checkpoint: %d %q, want the cosigned %q", status, served, cosigned.Checkpoint)
	}
	escaped := strings.NewReplacer("+", "&#43;").Replace(string(cosigned.Checkpoint))
	if !strings.Contains(string(page), escaped) {
		t.Errorf("the log page does not show the cosigned checkpoint %q:\n%s", cosigned.Checkpoint, page)
	}
	if !strings.Contains(string(page), fmt.Sprintf("<dd>%d</dd>", cosigned.Size)) {
		t.Errorf("the log page does not give the cosigned tree's size %d:\n%s", cosigned.Size, page)
	}
}
