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

// keep writes the evidence of report r into dir, fills r.Evidence with the paths, and
// writes the alert record.
func keep(dir string, r *Report, ev evidence) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("monitor: keep evidence: %w", err)
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
