package cli

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/translog"
)

// seedDemo appends sample statements of a fictional office to the log, signed by a demo key
// made for the occasion. The statements' payloads are placeholders until the letters issue
// gives them their final shape; the entry format around them is the real one.
func seedDemo(ctx context.Context, lg *translog.Log) (int, error) {
	_, office, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return 0, err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	type stmt map[string]any
	samples := []struct {
		kind entry.Kind
		body stmt
	}{
		{entry.KeyAdded, stmt{"office": "Task Force North (fictional)", "key": dsse.KeyID(office.Public().(ed25519.PublicKey)), "role": "release", "time": now}},
		{entry.PolicyAdopted, stmt{"office": "Task Force North (fictional)", "policy": "built-in: one reviewer approval and one signer signature", "time": now}},
		{entry.Release, stmt{"reference": "TFN-2026-000117", "subject": "Rotation of liaison officers", "class": "internal", "time": now}},
		{entry.Release, stmt{"reference": "TFN-2026-000123", "subject": "Repositioning of forces: coordination with the host nation", "class": "foreign-government", "time": now}},
		{entry.Release, stmt{"reference": "TFN-2026-000124", "subject": "Press statement on training activities", "class": "press", "time": now}},
		{entry.Retraction, stmt{"reference": "TFN-2026-000124", "reason": "Issued with a wrong date; replaced by TFN-2026-000125.", "time": now}},
		{entry.Release, stmt{"reference": "TFN-2026-000125", "subject": "Press statement on training activities (corrected)", "class": "press", "time": now}},
		{entry.Supersession, stmt{"reference": "TFN-2026-000124", "by": "TFN-2026-000125", "time": now}},
	}
	for _, s := range samples {
		payload, err := json.Marshal(s.body)
		if err != nil {
			return 0, err
		}
		e := &entry.Entry{Kind: s.kind, Envelope: dsse.Sign(s.kind.PayloadType(), payload, office)}
		data, err := e.Encode()
		if err != nil {
			return 0, err
		}
		if _, err := lg.Append(ctx, data); err != nil {
			return 0, err
		}
	}
	return len(samples), nil
}
