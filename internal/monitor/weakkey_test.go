package monitor_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/keys"
	"github.com/chancery/chancery/internal/monitor"
)

// TestSmallOrderLogKeyRefused: under a log key of small order one signature verifies for every
// checkpoint, and a monitor given one would take forged checkpoints for the log's and raise
// alarms of forks it never made (suspected by audit, forty-eighth session). New refuses it.
func TestSmallOrderLogKeyRefused(t *testing.T) {
	const origin = "weak.example/log"
	typed := append([]byte{1, 1}, make([]byte, 31)...) // an Ed25519 key: the identity point, of order 1
	h := sha256.Sum256(append([]byte(origin+"\n"), typed...))
	vkey := fmt.Sprintf("%s+%08x+%s", origin, binary.BigEndian.Uint32(h[:4]), base64.StdEncoding.EncodeToString(typed))
	_, err := monitor.New(monitor.Config{Logs: []monitor.Log{{URL: "https://registry.example/log", Key: vkey}},
		Report: func(context.Context, monitor.Report) error { return nil }})
	if !errors.Is(err, keys.ErrWeakKey) {
		t.Fatalf("a monitor of a log whose key has small order: %v, want it refused as weak", err)
	}
}
