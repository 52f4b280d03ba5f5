package verify

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// TestSplitViewsOfARun: the printer answers every file of a tree size with two roots invalid
// with the split-view line, whichever root its seal has, whenever it comes and whatever else
// it was found to be, prints again each file of that size it printed before, whatever it was
// printed as (which of two files meets the other first depends on the workers), leaves other
// sizes alone, and a file printed as could not be verified, then invalid, no longer counts as
// such for the exit status.
func TestSplitViewsOfARun(t *testing.T) {
	vf := &Verifier{}
	r1, r2, r9 := tlog.Hash{1}, tlog.Hash{2}, tlog.Hash{9}
	res := func(file, outcome string, size int64, root tlog.Hash) Result {
		r := Result{File: file, tree: sealTree{size, root}}
		r.Say(outcome, Plain(outcome+": as it was"))
		return r
	}
	in := []Result{
		res("a", Valid, 5, r1),
		res("c", "error", 5, r1),
		res("x", Invalid, 5, r1),
		res("b", Valid, 5, r2),
		res("d", Valid, 5, r1),
		res("y", Invalid, 5, r2),
		res("e", Valid, 6, r9),
		{File: "f", Outcome: Valid, Message: "valid: no seal"},
	}
	files := make([]string, len(in))
	for i, r := range in {
		files[i] = r.File
	}
	var sv splitViews
	var out []Result
	for i, r := range in {
		r, late := sv.see(vf, files, i, r)
		out = append(out, r)
		out = append(out, late...)
	}
	var got []string
	for _, r := range out {
		got = append(got, r.File+" "+r.Outcome+" "+strings.TrimPrefix(r.Message, "invalid: two checkpoints of size 5 signed by the log key have different roots")+" "+map[bool]string{true: "revised"}[r.Revised])
	}
	want := []string{
		"a valid valid: as it was ",
		"c error error: as it was ",
		"x invalid invalid: as it was ",
		"b invalid  (this seal's, " + r2.String() + ", and the seal of a, " + r1.String() + "): the log was forked; report this to the office ",
		"a invalid  (this seal's, " + r1.String() + ", and the seal of b, " + r2.String() + "): the log was forked; report this to the office (this replaces the line printed above for this file) revised",
		"c invalid  (this seal's, " + r1.String() + ", and the seal of b, " + r2.String() + "): the log was forked; report this to the office (this replaces the line printed above for this file) revised",
		"x invalid  (this seal's, " + r1.String() + ", and the seal of b, " + r2.String() + "): the log was forked; report this to the office (this replaces the line printed above for this file) revised",
		"d invalid  (this seal's, " + r1.String() + ", and the seal of b, " + r2.String() + "): the log was forked; report this to the office ",
		"y invalid  (this seal's, " + r2.String() + ", and the seal of a, " + r1.String() + "): the log was forked; report this to the office ",
		"e valid valid: as it was ",
		"f valid valid: no seal ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("the run's results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var w bytes.Buffer
	err := Report(&w, len(in), slices.Values(out), false)
	var e *Exit
	if !errors.As(err, &e) || e.Code != ExitFailed {
		t.Errorf("Report: %v, want exit status %d (the file that could not be verified is invalid now)", err, ExitFailed)
	}
}

// TestRevisedObjectKeepsTheFilesFields: the object printed again for a file, which replaces
// the one printed before (--json, "revised": true), says which letter the file is as that
// one did (digest, reference, office, subject, signers, log index, what the answer rested
// on, a retraction's reason); only its outcome and message are the split view's. It had
// the file's name alone, so that a script keeping the last object of each file lost them.
func TestRevisedObjectKeepsTheFilesFields(t *testing.T) {
	vf := &Verifier{}
	at := time.Date(2026, 12, 7, 14, 37, 0, 0, time.UTC)
	idx := int64(3)
	first := Result{File: "a.pdf", Digest: "sha256:aa", Reference: "TFN-2026-000002", Office: "Task Force North",
		Subject: "A letter", Signers: []string{"sam"}, ReleasedAt: &at, LogIndex: &idx, Checked: "seal+log",
		Reason: "sent too early", Witnesses: []Witness{{Name: "w1", CosignedAt: at}}, tree: sealTree{5, tlog.Hash{1}}}
	first.Say(Retracted, Plain("retracted: as it was"))
	second := Result{File: "b.pdf", Digest: "sha256:bb", Reference: "TFN-2026-000002", tree: sealTree{5, tlog.Hash{2}}}
	second.Say(Valid, Plain("valid: as it was"))
	files := []string{"a.pdf", "b.pdf"}
	var sv splitViews
	if _, late := sv.see(vf, files, 0, first); late != nil {
		t.Fatalf("the first file: %+v printed again", late)
	}
	_, late := sv.see(vf, files, 1, second)
	if len(late) != 1 {
		t.Fatalf("printed again: %+v, want the first file", late)
	}
	got := late[0]
	if !got.Revised || got.Outcome != Invalid || !strings.Contains(got.Message, "the seal of b.pdf") || got.Error != "" {
		t.Errorf("the object printed again: %+v, want invalid with the split view, revised", got)
	}
	want := first
	want.Outcome, want.Message = got.Outcome, got.Message
	want.Revised = true
	wb, _ := json.Marshal(want)
	gb, _ := json.Marshal(got)
	if !bytes.Equal(gb, wb) {
		t.Errorf("the object printed again:\n%s\nwant the first's fields:\n%s", gb, wb)
	}
}
