package verify

import (
	"strconv"

	"golang.org/x/mod/sumdb/tlog"
)

// Split views within one run. The seals a run reads (a folder, several files) each carry a
// checkpoint that the log key signed; two of one tree size with different roots prove that
// the log showed two histories, whatever the registry or the kept checkpoint say: the
// holder's own files are the evidence. Each run keeps, for one run only (the small verifier
// stays stateless across runs), the roots it has met at each tree size with the first file
// of each; the printer, which sees the results in the order of the files, answers every file
// of a size with two roots invalid with the split-view line, and prints a line again for
// each file of that size it had already printed (--json: an object with "revised": true):
// which of two files meets the other first depends on the workers, not on the files.

// sealTree is the tree a file's seal proves against: set on a result once its seal verified
// under the trust root, or verified in every respect but the file's digest (a seal beside the
// wrong file, or the file edited, still carries a checkpoint the log key signed); size 0, no
// tree, otherwise: a tree that holds a release is not empty.
type sealTree struct {
	size int64
	root tlog.Hash
}

// splitViews is what one run has met of the log's trees, in the printer's order.
type splitViews struct {
	sizes map[int64]*sizeMet
}

// sizeMet is what a run has met at one tree size.
type sizeMet struct {
	roots []rootMet
	// printed are the files of this size printed while the size had one root: each is
	// printed again, with the split-view line, once a second root is met.
	printed []printedFile
}

// rootMet is a root met at a tree size and the first file whose seal carries it.
type rootMet struct {
	root tlog.Hash
	file string
}

// printedFile is a file printed at a tree size: its index among the run's files and the
// index of its root in sizeMet.roots. Its result is not kept: a folder of any size keeps no
// more than a window of results (verifyFiles), and a split view is rare. When one is met, the
// file is verified again, so that the object printed again keeps the fields of the one it
// replaces (digest, reference, office, log index, a retraction's reason…): a script reading
// the last object of each file still learns which letter the file is, and only its outcome
// and message change.
type printedFile struct {
	index, root int32
	was         string // the outcome printed
}

// other is the first root met at this size other than root, with its file.
func (s *sizeMet) other(root tlog.Hash) rootMet {
	for _, r := range s.roots {
		if r.root != root {
			return r
		}
	}
	return rootMet{}
}

// see takes note of r, the result of files[i], before it is printed, and returns it (invalid
// if its tree size has two roots) and the results to print after it: the files printed
// before at that size, when r's root is the second met there.
func (sv *splitViews) see(vf *Verifier, files []string, i int, r Result) (Result, []Result) {
	t := r.tree
	if t.size == 0 {
		return r, nil
	}
	if sv.sizes == nil {
		sv.sizes = map[int64]*sizeMet{}
	}
	s := sv.sizes[t.size]
	if s == nil {
		s = &sizeMet{}
		sv.sizes[t.size] = s
	}
	at := -1
	for k, m := range s.roots {
		if m.root == t.root {
			at = k
			break
		}
	}
	if at < 0 {
		at = len(s.roots)
		s.roots = append(s.roots, rootMet{root: t.root, file: r.File})
	}
	if len(s.roots) == 1 {
		s.printed = append(s.printed, printedFile{index: int32(i), root: int32(at), was: r.Outcome})
		return r, nil
	}
	// The split view is said whatever else the file was found to be (a registry's answer,
	// another reason to be invalid): the two signed checkpoints prove the log forked.
	o := s.other(t.root)
	r.Error = ""
	r.Say(Invalid, vf.SplitViewLine(t.size, t.root, o.root, vf.T("the seal of %s", o.file)))
	var late []Result
	sc := newScratch()
	for _, p := range s.printed {
		root := s.roots[p.root].root
		o := s.other(root)
		l := vf.verify(files[p.index], sc)
		l.Error = ""
		l.File, l.Revised, l.was = files[p.index], true, p.was
		l.Say(Invalid, vf.SplitViewLine(t.size, root, o.root, vf.T("the seal of %s", o.file)).
			Plus(vf.T(" (this replaces the line printed above for this file)")))
		late = append(late, l)
	}
	s.printed = nil
	return r, late
}

// SplitViewLine is the line of a seal whose checkpoint of tree size size and root root the
// log key signed, beside another of that size and root other, found in where (another seal of
// the run, or offline the checkpoint kept on this computer): the two signed checkpoints are
// the evidence, and verify needs no registry answer to call it a fork.
func (vf *Verifier) SplitViewLine(size int64, root, other tlog.Hash, where Text) Text {
	const key = "invalid: two checkpoints of size %s signed by the log key have different roots (this seal's, %s, and %s, %s): the log was forked; report this to the office"
	n := strconv.FormatInt(size, 10)
	t := vf.T(key, n, root.String(), where.En, other.String())
	if !vf.english() {
		t.Local = vf.P.T(key, n, root.String(), where.Local, other.String())
	}
	return t
}
