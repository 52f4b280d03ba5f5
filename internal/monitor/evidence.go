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

// safeName turns a log origin into a file name part.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, s)
}

// keepFile writes data to dir under prefix and a digest of data, unless that file exists
// with these bytes already, and returns its path.
func keepFile(dir, prefix, ext string, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	path := filepath.Join(dir, prefix+"."+hex.EncodeToString(sum[:8])+ext)
	err := exclfile.Write(path, data, 0o600)
	if errors.Is(err, fs.ErrExist) {
		old, rerr := os.ReadFile(path)
		if rerr == nil && bytes.Equal(old, data) {
			return path, nil
		}
		return "", fmt.Errorf("evidence file %s exists with other contents", path)
	}
	return path, err
}

// evidence is what an alert keeps: signed checkpoints and other fetched bytes, by name.
type evidence struct {
	checkpoints [][]byte
	files       map[string][]byte // name part (e.g. "bundle-3") to bytes
	// unsigned: the checkpoint is not signed by the log key, so anyone could have written it.
	unsigned bool
}

// Bounds on the evidence kept of one log, so that neither whoever serves a log nor the holder
// of its key, signing checkpoint after checkpoint, can fill the disk. The oldest evidence is
// kept and the newest refused: the first proof of a misbehaviour is what matters, and a
// deleted file would be a proof lost. The bounds count what the directory holds (moving files
// away makes room), and conflicts apart from other findings, so that a flood of the latter,
// which need no key (data served against a genuine checkpoint), does not take the room of
// the former, the signed proofs.
const (
	// MaxEvidenceConflicts bounds the conflicts (fork, inconsistent, rollback) whose
	// evidence, their two signed checkpoints, is kept per log.
	MaxEvidenceConflicts = 256
	// MaxEvidenceFindings bounds the other findings whose evidence is kept per log.
	MaxEvidenceFindings = 256
	// MaxEvidenceBytes bounds the fetched bytes (entry bundles) kept per log; a finding
	// past it keeps its signed checkpoint and record only.
	MaxEvidenceBytes = 64 << 20
)

// evidenceBounds are the bounds in force (variables for tests).
var evidenceBounds = struct {
	conflicts, findings int
	bytes               int64
}{MaxEvidenceConflicts, MaxEvidenceFindings, MaxEvidenceBytes}

// isConflict reports whether problem is a conflict between two signed checkpoints.
func isConflict(problem string) bool {
	return problem == ProblemFork || problem == ProblemInconsistent || problem == ProblemRollback
}

// keptOf counts the evidence dir holds of the log whose file names begin with origin: the
// alert records of conflicts and of other findings, and the bytes of fetched files.
func keptOf(dir, origin string) (conflicts, findings int, fetched int64, err error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return 0, 0, 0, err
	}
	for _, de := range des {
		rest, ok := strings.CutPrefix(de.Name(), origin+".")
		if !ok {
			continue
		}
		if rec, ok := strings.CutPrefix(rest, "alert-"); ok && strings.HasSuffix(rec, ".json") {
			// alert-TIME-PROBLEM[-N].json, TIME 20060102T150405Z
			// (the conflicts' problems hold no "-").
			problem, _, _ := strings.Cut(strings.TrimSuffix(rec[min(len(rec), len("20060102T150405Z-")):], ".json"), "-")
			if isConflict(problem) {
				conflicts++
			} else {
				findings++
			}
			continue
		}
		if strings.HasSuffix(rest, ".bin") {
			info, err := de.Info()
			if err != nil {
				return 0, 0, 0, err
			}
			fetched += info.Size()
		}
	}
	return conflicts, findings, fetched, nil
}

// bound cuts ev to what the bounds on the evidence of r's log leave room for, and returns
// what it cut and why ("" if nothing).
func bound(dir string, r *Report, ev *evidence) (string, error) {
	conflicts, findings, fetched, err := keptOf(dir, safeName(r.Log))
	if err != nil {
		return "", err
	}
	switch {
	case isConflict(r.Problem) && conflicts >= evidenceBounds.conflicts:
		*ev = evidence{}
		return fmt.Sprintf("evidence not kept: the evidence directory holds the evidence of %d conflicts of this log already, as many as it keeps", conflicts), nil
	case !isConflict(r.Problem) && findings >= evidenceBounds.findings:
		*ev = evidence{}
		return fmt.Sprintf("evidence not kept: the evidence directory holds the evidence of %d findings of this log already, as many as it keeps", findings), nil
	}
	n := int64(0)
	for _, b := range ev.files {
		n += int64(len(b))
	}
	if n > 0 && fetched+n > evidenceBounds.bytes {
		ev.files = nil
		return fmt.Sprintf("bytes fetched not kept: the evidence directory holds %d bytes fetched from this log already, and keeps at most %d", fetched, evidenceBounds.bytes), nil
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
	origin := safeName(r.Log)
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
	base := fmt.Sprintf("%s.alert-%s-%s", origin, r.Observed.UTC().Format("20060102T150405Z"), r.Problem)
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
