package monitor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/chancery/chancery/internal/exclfile"
)

// ErrState is wrapped by the errors of a state file that cannot be read or does not hold
// what it should.
var ErrState = errors.New("state file")

// StateVersion is the version of the state file this package reads and writes.
const StateVersion = 1

// State is what a monitor remembers between runs, one LogState per log key (a new key is a
// new log). It is kept in one JSON file, replaced atomically.
type State struct {
	Version int                  `json:"version"`
	Logs    map[string]*LogState `json:"logs"`

	// read is the file as LoadState read it or Save last wrote it (nil: there was none).
	read []byte
}

// LogState is what the monitor holds of one log.
type LogState struct {
	URL string `json:"url"`
	// Checkpoint is the newest signed checkpoint whose tree the monitor has checked: consistent
	// with every earlier one, every entry hashed into it. Each pass starts from it.
	Checkpoint string `json:"checkpoint,omitempty"`
	// Pending is a newer signed checkpoint being checked: it verified, extends Checkpoint and
	// met the witnesses known then (it is held only once it meets those known now), and
	// Checked of its entries are checked and reported. A pass cut
	// short continues from there, and compares the log's next checkpoint with it.
	Pending string `json:"pending,omitempty"`
	Checked int64  `json:"checked,omitempty"`
	// Alerted lists the alerts already reported (see alertID), so that a monitor that keeps
	// running reports each finding once, not on every pass.
	Alerted []string `json:"alerted,omitempty"`
	// AlertedProven lists, apart, the alerts about what signatures alone prove (conflicts
	// and the findings isSigned names), so that findings anyone serving the log can make,
	// however many, do not push them out of Alerted and have them alerted again.
	AlertedProven []string `json:"alerted_proven,omitempty"`
	// KeylessKept: a finding that needs no key (see isKeyless) kept its evidence since the
	// monitor last held a checkpoint; later ones keep none until it holds the next.
	KeylessKept bool      `json:"keyless_kept,omitempty"`
	Updated     time.Time `json:"updated,omitzero"`
}

// Bounds on LogState.Alerted and AlertedProven: the oldest are forgotten first. As many
// proven findings are remembered as the evidence directory keeps.
const (
	maxAlerted       = 256
	maxAlertedProven = MaxEvidenceConflicts + MaxEvidenceSigned
)

// LoadState reads the state file at path. A missing file is an empty state; an unreadable or
// foreign one is an error, never silently replaced: it holds the checkpoint the monitor
// vouches for.
func LoadState(path string) (*State, error) {
	s := &State{Version: StateVersion, Logs: map[string]*LogState{}}
	if path == "" {
		return s, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("monitor: %w: read: %w", ErrState, err)
	}
	s.read = b
	if err := json.Unmarshal(b, s); err != nil {
		return nil, fmt.Errorf("monitor: %w %s: %w", ErrState, path, err)
	}
	if s.Version != StateVersion {
		return nil, fmt.Errorf("monitor: %w %s has version %d, want %d", ErrState, path, s.Version, StateVersion)
	}
	if s.Logs == nil {
		s.Logs = map[string]*LogState{}
	}
	return s, nil
}

// Save writes the state to path atomically: to a temporary file in the same directory,
// synced, renamed over path, and the directory synced, so that a crash leaves the old state
// or the new one, never a mixture. It refuses to replace a file that another process wrote
// since s was read from it or saved to it (another monitor given the same file, which
// would lose what it holds), checking under a lock on the directory.
func (s *State) Save(path string) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("monitor: save state: %w", err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("monitor: save state: %w", err)
	}
	defer d.Close()
	if err := syscall.Flock(int(d.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("monitor: save state: lock %s: %w", dir, err)
	}
	cur, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("monitor: save state: %w", err)
	}
	if !bytes.Equal(cur, s.read) {
		return fmt.Errorf("monitor: %w %s was written by another process since this monitor read it: give each monitor its own state file", ErrState, path)
	}
	if err := exclfile.Replace(path, b, 0o600); err != nil {
		if now, rerr := os.ReadFile(path); rerr == nil && bytes.Equal(now, b) {
			s.read = b // renamed into place, but not synced: the next save checks against it
		}
		return fmt.Errorf("monitor: save state: %w", err)
	}
	s.read = b
	return nil
}

// alerted reports whether the alert id was reported already.
func (l *LogState) alerted(id string) bool {
	return slices.Contains(l.Alerted, id) || slices.Contains(l.AlertedProven, id)
}

// unsignedPrefix begins the ids of alerts about checkpoints the log key did not sign.
const unsignedPrefix = "unsigned-"

// forgetUnsigned forgets the alerts about checkpoints the log key did not sign, once the log
// serves one it signed: the next such checkpoint is a new incident. It reports whether it
// forgot any.
func (l *LogState) forgetUnsigned() bool {
	n := len(l.Alerted)
	l.Alerted = slices.DeleteFunc(l.Alerted, func(id string) bool { return strings.HasPrefix(id, unsignedPrefix) })
	return len(l.Alerted) != n
}

// addAlerted remembers the alert id, among the proven ones if proven.
func (l *LogState) addAlerted(id string, proven bool) {
	list, most := &l.Alerted, maxAlerted
	if proven {
		list, most = &l.AlertedProven, maxAlertedProven
	}
	*list = append(*list, id)
	if len(*list) > most {
		*list = (*list)[len(*list)-most:]
	}
}
