package verify

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

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
