package web

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/ocr"
)

// TestPagesReaderLogsNoDigest: a version whose pages could not be read is logged without its
// file's digest, which the server's log keeps out as it does references and names (a draft's
// digest answers "draft" to anyone who presents it, a released file's opens the letter).
func TestPagesReaderLogsNoDigest(t *testing.T) {
	var log bytes.Buffer
	p := newPagesReader(func(ctx context.Context, pdf []byte) (ocr.Reading, error) {
		return ocr.Reading{}, errors.New("ocr: reading the scan took too long")
	}, slog.New(slog.NewTextHandler(&log, nil)))
	const digest = "sha256:1c13e07f62443f3ff54aaf55ec9d3ad6e99343beed758bceabb0030ab3f1a44a"
	p.shown(0, digest, []byte("%PDF-1.7"), "The Ministry will pay.")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if s := p.shown(0, digest, []byte("%PDF-1.7"), "The Ministry will pay."); s != nil && s.Unread {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the reading did not fail within 10 seconds")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(log.String(), "could not be read") {
		t.Fatalf("nothing logged: %q", log.String())
	}
	if strings.Contains(log.String(), strings.TrimPrefix(digest, "sha256:")) {
		t.Errorf("the log holds the version's digest: %s", log.String())
	}
}
