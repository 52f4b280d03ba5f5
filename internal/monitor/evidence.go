package monitor

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/exclfile"
)

// An evidence file is never overwritten. Signed checkpoints and fetched bundles are kept
// under names derived from their contents (so the same checkpoint seen twice is one file,
// and a different one is always a new file); each alert adds a record naming the files it
// rests on, under a name with its time and a counter for alerts in the same second.

// roomName is the part that begins the names of the evidence files of the log with origin
// and verifier key: the origin made safe for a file name, then "+" and 16 hex digits of a
// digest of the exact origin and key. The evidence kept is counted by this part (keptOf), so
// it must be one log's alone: safeName maps several origins to one name ("a.example/log",
// "a.example_log"), and two logs may claim the same origin, each with its key. A hostile log
// followed beside another would otherwise fill the other's rooms with forks of its own.
func roomName(origin, key string) string {
	h := sha256.Sum256([]byte(origin + "\n" + key))
	return safeName(origin) + "+" + hex.EncodeToString(h[:8])
}

// safeName turns a log origin into a file name part, without "+".
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, s)
}

// keepFile writes data to dir under prefix and a digest of data, unless that file exists
// with these bytes already, and returns its path. The digest is 8 bytes of SHA-256, or all 32
// when a file of that name holds other bytes: whoever serves a log chooses the bytes of what
// is kept, and can find two that share 8 bytes of digest.
func keepFile(dir, prefix, ext string, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	var path string
	for _, n := range []int{8, len(sum)} {
		path = filepath.Join(dir, prefix+"."+hex.EncodeToString(sum[:n])+ext)
		err := exclfile.Write(path, data, 0o600)
		if !errors.Is(err, fs.ErrExist) {
			return path, err
		}
		old, err := os.ReadFile(path)
		if err == nil && bytes.Equal(old, data) {
			return path, nil
		}
	}
	return "", fmt.Errorf("evidence file %s exists with other contents", path)
}

// evidence is what an alert keeps: signed checkpoints and other fetched bytes, by name.
type evidence struct {
	checkpoints [][]byte
	files       map[string][]byte // name part (e.g. "bundle-3") to bytes
	// unsigned: the checkpoint is not signed by the log key, so anyone could have written it.
	unsigned bool
	// what, if not "", tells the finding apart from others in place of its message, which
	// quotes what was served (see Monitor.alert).
	what string
	// key is the verifier key of the log the evidence is of (with the report's origin, it
	// names the log's files: roomName).
	key string
	// unshown: a conflict that nothing signed shows (a rollback whose only sign is that the
	// tiles of the tree seen are answered as gone), which whoever serves the log can make by
	// replaying an older checkpoint of the log. Its evidence is counted with the findings
	// that need no key, and its record named so (unshownRecord), not in the conflicts' room.
	unshown bool
}

// unshownRecord ends the problem in the name of an unshown conflict's record, so that keptOf
// counts it with the findings that need no key.
const unshownRecord = "-unshown"

// Bounds on the evidence kept of one log, so that neither whoever serves a log nor the holder
// of its key, signing checkpoint after checkpoint, can fill the disk. The oldest evidence is
// kept and the newest refused: the first proof of a misbehaviour is what matters, and a
// deleted file would be a proof lost. The bounds count what the directory holds (moving files
// away makes room), and conflicts apart from other findings, so that a flood of the latter,
// which need no key (data served against a genuine checkpoint), does not take the room of
// the former, the signed proofs. For the same reason the findings that rest on signatures
// alone (see isSigned) have a room of their own, with their own bytes.
const (
	// MaxEvidenceConflicts bounds the conflicts (fork, inconsistent, rollback) whose
	// evidence, their two signed checkpoints, is kept per log.
	MaxEvidenceConflicts = 256
	// MaxEvidenceFindings bounds the other findings whose evidence is kept per log.
	MaxEvidenceFindings = 256
	// MaxEvidenceSigned bounds the findings resting on signatures alone (malformed-entry,
	// bad-empty-tree, future-cosignature) whose evidence is kept per log.
	MaxEvidenceSigned = 256
	// MaxEvidenceBytes bounds the fetched bytes (entry bundles) kept per log, for the
	// findings that rest on signatures alone and, apart, for the others; a finding past it
	// keeps its signed checkpoint and record only.
	MaxEvidenceBytes = 64 << 20
)

// signedFiles begins the name part of the bytes kept by findings resting on signatures alone.
const signedFiles = "signed-"

// evidenceBounds are the bounds in force (variables for tests).
var evidenceBounds = struct {
	conflicts, findings, signed int
	bytes                       int64
}{MaxEvidenceConflicts, MaxEvidenceFindings, MaxEvidenceSigned, MaxEvidenceBytes}

// isConflict reports whether problem is a conflict between two signed checkpoints.
func isConflict(problem string) bool {
	return problem == ProblemFork || problem == ProblemInconsistent || problem == ProblemRollback
}

// isSigned reports whether problem is a finding other than a conflict that rests on
// signatures alone, which whoever serves the log cannot make without the log's or a
// witness's key: an entry in the signed tree that is not a Chancery entry, a signed empty
// tree with another root, a witness's cosignature dated ahead.
func isSigned(problem string) bool {
	return problem == ProblemMalformedEntry || problem == ProblemBadEmptyTree || problem == ProblemFutureCosignature
}

// isKeyless reports whether a finding other than a conflict is one that whoever serves the
// log can make without any key: bytes served against a genuine checkpoint (tiles, bundles,
// cosignature lines of a witness's name) or a checkpoint the log key did not sign. A
// bad-signature whose log key line verifies is the log's own (its key signed text that is
// not a checkpoint).
func isKeyless(problem string, ev evidence) bool {
	if ev.unshown {
		return true
	}
	return !isConflict(problem) && !isSigned(problem) && (problem != ProblemBadSignature || ev.unsigned)
}

// room counts a log's evidence of one kind: its findings and the bytes fetched they keep.
type room struct {
	findings int
	fetched  int64
}

// keptOf counts the evidence dir holds of the log whose file names begin with origin, in
// three rooms: conflicts, findings resting on signatures alone, and other findings.
func keptOf(dir, origin string) (conflicts, signed, other room, err error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return room{}, room{}, room{}, err
	}
	for _, de := range des {
		rest, ok := strings.CutPrefix(de.Name(), origin+".")
		if !ok {
			continue
		}
		if rec, ok := strings.CutPrefix(rest, "alert-"); ok && strings.HasSuffix(rec, ".json") {
			// alert-TIME-PROBLEM[-N].json, TIME 20060102T150405Z; no problem ends in -N.
			problem := strings.TrimSuffix(rec[min(len(rec), len("20060102T150405Z-")):], ".json")
			if i := strings.LastIndex(problem, "-"); i >= 0 && strings.Trim(problem[i+1:], "0123456789") == "" {
				problem = problem[:i]
			}
			switch {
			case isConflict(problem):
				conflicts.findings++
			case isSigned(problem):
				signed.findings++
			default:
				other.findings++
			}
			continue
		}
		if strings.HasSuffix(rest, ".bin") {
			info, err := de.Info()
			if err != nil {
				return room{}, room{}, room{}, err
			}
			if strings.HasPrefix(rest, signedFiles) {
				signed.fetched += info.Size()
			} else {
				other.fetched += info.Size()
			}
		}
	}
	return conflicts, signed, other, nil
}

// bound cuts ev to what the bounds on the evidence of r's log leave room for, and returns
// what it cut and why ("" if nothing).
func bound(dir string, r *Report, ev *evidence) (string, error) {
	conflicts, signed, other, err := keptOf(dir, roomName(r.Log, ev.key))
	if err != nil {
		return "", err
	}
	in, most := other, evidenceBounds.findings
	switch {
	case ev.unshown:
	case isConflict(r.Problem):
		in, most = conflicts, evidenceBounds.conflicts
	case isSigned(r.Problem):
		in, most = signed, evidenceBounds.signed
	}
	if in.findings >= most {
		*ev = evidence{}
		kind := "findings"
		if isConflict(r.Problem) && !ev.unshown {
			kind = "conflicts"
		}
		return fmt.Sprintf("evidence not kept: the evidence directory holds the evidence of %d %s of this log already, as many as it keeps", in.findings, kind), nil
	}
	n := int64(0)
	for _, b := range ev.files {
		n += int64(len(b))
	}
	if n > 0 && in.fetched+n > evidenceBounds.bytes {
		ev.files = nil
		return fmt.Sprintf("bytes fetched not kept: the evidence directory holds %d bytes fetched from this log already, and keeps at most %d", in.fetched, evidenceBounds.bytes), nil
	}
	return "", nil
}

// keep writes the evidence of report r into dir, fills r.Evidence with the paths, and
// writes the alert record. What the bounds on a log's evidence leave no room for is not
// kept, and the report's message says so.
func keep(dir string, r *Report, ev evidence) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("monitor: keep evidence: %w", err)
	}
	cut, err := bound(dir, r, &ev)
	if err != nil {
		return fmt.Errorf("monitor: keep evidence: %w", err)
	}
	if cut != "" {
		r.Message += "; " + cut + " (move its files elsewhere to make room)"
		if ev.checkpoints == nil {
			return nil
		}
	}
	origin := roomName(r.Log, ev.key)
	for _, c := range ev.checkpoints {
		size, _ := checkpoint.Size(c)
		p, err := keepFile(dir, fmt.Sprintf("%s.checkpoint-%d", origin, size), ".txt", c)
		if err != nil {
			return fmt.Errorf("monitor: keep evidence: %w", err)
		}
		r.Evidence = append(r.Evidence, p)
	}
	for _, name := range slices.Sorted(maps.Keys(ev.files)) {
		p, err := keepFile(dir, origin+"."+name, ".bin", ev.files[name])
		if err != nil {
			return fmt.Errorf("monitor: keep evidence: %w", err)
		}
		r.Evidence = append(r.Evidence, p)
	}
	rec, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	problem := r.Problem
	if ev.unshown {
		problem += unshownRecord
	}
	base := fmt.Sprintf("%s.alert-%s-%s", origin, r.Observed.UTC().Format("20060102T150405Z"), problem)
	for n := 0; ; n++ {
		name := base + ".json"
		if n > 0 {
			name = fmt.Sprintf("%s-%d.json", base, n)
		}
		err = exclfile.Write(filepath.Join(dir, name), append(rec, '\n'), 0o600)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("monitor: keep evidence: %w", err)
	}
	return exclfile.SyncDir(dir)
}
