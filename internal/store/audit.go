package store

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strings"
	"time"
)

// Audit events are stored compact from migration 18 (issue 19 item 5): four a released
// letter, they were its largest record after the file. The time is an integer of Unix
// nanoseconds (30 bytes of RFC 3339 text before), and the detail is packed: the registry's
// details quote digests and key IDs, 64 lowercase hex digits each, which are stored as their
// 32 bytes. Every field reads back exactly as it was written.

// A stored detail that starts with detailPacked is text in which detailHex and the 32 bytes
// after it stand for those bytes in 64 lowercase hex digits; one that starts with detailText is
// the rest of its bytes; any other is the detail itself, as migration 18 stores most details
// that quote no digest.
const (
	detailText   = 0x00
	detailPacked = 0x01
	detailHex    = 0x02
	detailWords  = 0x03
)

// packDetail returns the stored form of an audit event's detail.
func packDetail(s string) []byte {
	var b []byte
	if strings.IndexByte(s, detailHex) < 0 {
		last := 0
		for i := 0; i+64 <= len(s); {
			j := i
			for j < len(s) && j-i < 64 && isLowerHex(s[j:j+1]) {
				j++
			}
			if j-i < 64 {
				i = j + 1
				continue
			}
			if b == nil {
				b = append(make([]byte, 0, len(s)), detailPacked)
			}
			b = append(b, s[last:i]...)
			b = append(b, detailHex)
			b, _ = hex.AppendDecode(b, []byte(s[i:j]))
			last, i = j, j
		}
		if b != nil {
			return append(b, s[last:]...)
		}
	}
	if len(s) > 0 && (s[0] == detailText || s[0] == detailPacked || s[0] == detailWords) {
		return append([]byte{detailText}, s...)
	}
	return []byte(s)
}

// unpackDetail returns the detail stored as b.
func unpackDetail(b []byte) (string, error) {
	if len(b) == 0 || b[0] > detailPacked {
		return string(b), nil
	}
	if b[0] == detailText {
		return string(b[1:]), nil
	}
	var s strings.Builder
	s.Grow(2 * len(b))
	for i := 1; i < len(b); i++ {
		if b[i] != detailHex {
			s.WriteByte(b[i])
			continue
		}
		if i+32 >= len(b) {
			return "", errors.New("audit detail: packed digits cut short")
		}
		s.WriteString(hex.EncodeToString(b[i+1 : i+33]))
		i += 32
	}
	return s.String(), nil
}

// auditTime is an event's time as stored: Unix nanoseconds, which hold the years 1678 to 2262.
func auditTime(t time.Time) (int64, error) {
	if t.Before(time.Unix(0, math.MinInt64)) || t.After(time.Unix(0, math.MaxInt64)) {
		return 0, fmt.Errorf("audit: time %s out of the stored range", t.Format(time.RFC3339))
	}
	return t.UnixNano(), nil
}

// Migration 18: the audit trail in its compact form. The times were written by ts (RFC 3339
// in UTC, "Z", up to nine digits of fraction); a detail is packed when it quotes a "sha256:"
// digest (its first), as unpackDetail reads it. SQLite copies the table, since a column's
// type cannot change there (its append-only triggers go with the old table and are made
// again); PostgreSQL changes the columns' types in place.

const auditTimeSQLite = `CAST(strftime('%s', substr(time, 1, 19)) AS INTEGER) * 1000000000 +
	CASE WHEN substr(time, 20, 1) = '.' THEN CAST(substr(substr(time, 21, length(time) - 21) || '000000000', 1, 9) AS INTEGER) ELSE 0 END`

const auditDetailSQLite = `unhex(CASE
	WHEN instr(detail, 'sha256:') > 0 AND instr(detail, char(2)) = 0
		AND length(substr(detail, instr(detail, 'sha256:') + 7, 64)) = 64
		AND substr(detail, instr(detail, 'sha256:') + 7, 64) NOT GLOB '*[^0-9a-f]*'
	THEN '01' || hex(substr(detail, 1, instr(detail, 'sha256:') + 6)) || '02' || substr(detail, instr(detail, 'sha256:') + 7, 64)
		|| hex(substr(detail, instr(detail, 'sha256:') + 71))
	WHEN hex(substr(detail, 1, 1)) IN ('00', '01') THEN '00' || hex(detail)
	ELSE hex(detail) END)`

var compactAuditSQLite = `
CREATE TABLE audit_events_v18 (
	id        INTEGER PRIMARY KEY,
	time      INTEGER NOT NULL,           -- Unix nanoseconds
	actor     TEXT    NOT NULL,
	action    TEXT    NOT NULL,
	reference TEXT    NOT NULL,
	detail    BLOB    NOT NULL,           -- packed (store, audit.go)
	remote    TEXT    NOT NULL
);
INSERT INTO audit_events_v18 (id, time, actor, action, reference, detail, remote)
SELECT id, ` + auditTimeSQLite + `, actor, action, reference, ` + auditDetailSQLite + `, remote FROM audit_events;
DROP TABLE audit_events;
ALTER TABLE audit_events_v18 RENAME TO audit_events;
CREATE INDEX audit_by_reference ON audit_events (reference, id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
`

const auditTimePostgres = `(extract(epoch FROM (substr("time", 1, 19) || 'Z')::timestamptz))::bigint * 1000000000 +
	CASE WHEN substr("time", 20, 1) = '.' THEN rpad(substr("time", 21, length("time") - 21), 9, '0')::bigint ELSE 0 END`

const auditDetailPostgres = `CASE
	WHEN strpos(detail, 'sha256:') > 0 AND strpos(detail, chr(2)) = 0
		AND substr(detail, strpos(detail, 'sha256:') + 7, 64) ~ '^[0-9a-f]{64}$'
	THEN '\x01'::bytea || convert_to(substr(detail, 1, strpos(detail, 'sha256:') + 6), 'UTF8') || '\x02'::bytea
		|| decode(substr(detail, strpos(detail, 'sha256:') + 7, 64), 'hex')
		|| convert_to(substr(detail, strpos(detail, 'sha256:') + 71), 'UTF8')
	WHEN left(detail, 1) = chr(1) THEN '\x00'::bytea || convert_to(detail, 'UTF8')
	ELSE convert_to(detail, 'UTF8') END`

var compactAuditPostgres = `
ALTER TABLE audit_events
	ALTER COLUMN "time" TYPE BIGINT USING ` + auditTimePostgres + `,
	ALTER COLUMN detail TYPE BYTEA USING ` + auditDetailPostgres + `;
`

// From migration 28 (issue 19 item 5) an event is stored in a third form as well, in which its
// stored detail starts with detailWords: the next byte is the event's action, as its place in
// auditActions plus one, the action column then empty (0: the action is in its column); the
// next is its remote address: remoteIPv4 or remoteIPv6 and the address's bytes and its port's
// two (big-endian), the remote column then empty (0: the address is in its column); the rest
// is the detail's text, in which detailHex and 32 bytes stand for those bytes in 64 lowercase
// hex digits and a byte from wordBase on for auditPhrases[byte-wordBase]. A letter's life
// writes four events or more, whose actions and the phrases of whose details are the same in
// every letter. A detail with a byte below 0x20 is stored in the forms above.

// wordBase is the first byte that stands for a phrase in the detailWords form.
const wordBase = 0x04

// The remote address's forms in the detailWords form, when it is an address and a port as
// net/http gives them (Request.RemoteAddr).
const (
	remoteIPv4 = 4
	remoteIPv6 = 6
)

// auditActions are the actions a letter's life writes, in their stored order. Part of the
// stored format: never change it; a new list needs a new leading byte.
var auditActions = [...]string{
	"letter.create", "letter.revise", "letter.approve", "letter.reject", "letter.sign",
	"letter.release", "letter.dispatch", "letter.received", "letter.retraction",
	"letter.supersession", "letter.erase", "draft.export", "dispatch.sent", "dispatch.failed",
}

// auditPhrases are the phrases of the registry's details (registry: letters.go, release.go,
// dispatch.go, erase.go, view.go), each stored as one byte. Part of the stored format: never
// change it; a new list needs a new leading byte.
var auditPhrases = [...]string{
	"version ", " sha256:", "sha256:", ", log entry ", "log entry ", ", signed by ", " with key ",
	" bytes)", " (application/", " (text/", " for ", ", by mail to ", "queued to ", " received by ",
	"content erased (", " kept): ", " after ", " attempts: ",
}

// packEvent returns the stored action, remote address and detail of an event: the detailWords
// form when it takes fewer bytes than packDetail's form and the two columns as they are, and
// reads back as the event.
func packEvent(action, remote, detail string) (string, string, []byte) {
	old := packDetail(detail)
	for i := 0; i < len(detail); i++ {
		if detail[i] < 0x20 {
			return action, remote, old
		}
	}
	var code byte
	storedAction := action
	for i, a := range auditActions {
		if a == action {
			code, storedAction = byte(i+1), ""
			break
		}
	}
	b := append(make([]byte, 0, len(detail)+21), detailWords, code)
	storedRemote := remote
	if r, ok := packRemote(b, remote); ok {
		b, storedRemote = r, ""
	} else {
		b = append(b, 0)
	}
next:
	for i := 0; i < len(detail); {
		if i+64 <= len(detail) && isLowerHex(detail[i:i+64]) {
			b = append(b, detailHex)
			b, _ = hex.AppendDecode(b, []byte(detail[i:i+64]))
			i += 64
			continue
		}
		for k, p := range auditPhrases {
			if strings.HasPrefix(detail[i:], p) {
				b = append(b, wordBase+byte(k))
				i += len(p)
				continue next
			}
		}
		b = append(b, detail[i])
		i++
	}
	if len(b)+len(storedAction)+len(storedRemote) >= len(old)+len(action)+len(remote) {
		return action, remote, old
	}
	// Stored only if it reads back exactly: a packing bug must cost bytes, never an event.
	if a, r, d, err := unpackEvent(storedAction, storedRemote, b); err != nil || a != action || r != remote || d != detail {
		return action, remote, old
	}
	return storedAction, storedRemote, b
}

// packRemote appends remote's form to b, if remote is an address and a port that it gives
// back exactly.
func packRemote(b []byte, remote string) ([]byte, bool) {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		return b, false
	}
	n, form := len(b), byte(remoteIPv6)
	if ap.Addr().Is4() {
		form = remoteIPv4
	}
	b = append(append(b, form), ap.Addr().AsSlice()...)
	b = binary.BigEndian.AppendUint16(b, ap.Port())
	// Only the canonical form reads back as it was: not "127.000.0.1:80", nor a zone.
	if r, _, err := unpackRemote(b[n:]); err != nil || r != remote {
		return b[:n], false
	}
	return b, true
}

// unpackRemote returns the remote address whose form starts b, and the rest of b.
func unpackRemote(b []byte) (string, []byte, error) {
	var n int
	switch {
	case len(b) > 0 && b[0] == remoteIPv4:
		n = 4
	case len(b) > 0 && b[0] == remoteIPv6:
		n = 16
	default:
		return "", nil, errors.New("audit detail: remote address of no known form")
	}
	if len(b) < 1+n+2 {
		return "", nil, errors.New("audit detail: remote address cut short")
	}
	a, _ := netip.AddrFromSlice(b[1 : 1+n])
	return netip.AddrPortFrom(a, binary.BigEndian.Uint16(b[1+n:])).String(), b[1+n+2:], nil
}

// unpackEvent returns the action, remote address and detail of an event stored as action,
// remote and b.
func unpackEvent(action, remote string, b []byte) (string, string, string, error) {
	if len(b) == 0 || b[0] != detailWords {
		d, err := unpackDetail(b)
		return action, remote, d, err
	}
	if len(b) < 3 {
		return "", "", "", errors.New("audit detail: cut short")
	}
	if c := b[1]; c != 0 {
		if int(c) > len(auditActions) || action != "" {
			return "", "", "", fmt.Errorf("audit detail: action %d beside %q", c, action)
		}
		action = auditActions[c-1]
	}
	b = b[2:]
	if b[0] == 0 {
		b = b[1:]
	} else {
		if remote != "" {
			return "", "", "", fmt.Errorf("audit detail: a remote address beside %q", remote)
		}
		var err error
		if remote, b, err = unpackRemote(b); err != nil {
			return "", "", "", err
		}
	}
	var s strings.Builder
	s.Grow(2 * len(b))
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == detailHex:
			if i+32 >= len(b) {
				return "", "", "", errors.New("audit detail: packed digits cut short")
			}
			s.WriteString(hex.EncodeToString(b[i+1 : i+33]))
			i += 32
		case c >= wordBase && int(c-wordBase) < len(auditPhrases):
			s.WriteString(auditPhrases[c-wordBase])
		case c < 0x20:
			return "", "", "", fmt.Errorf("audit detail: unknown byte %#x", c)
		default:
			s.WriteByte(c)
		}
	}
	return action, remote, s.String(), nil
}

// Migration 28: details stored before it that start with detailWords are put behind detailText,
// so that they are not read as the new form. The table's append-only trigger is set aside for
// the update, in the migration's transaction, and put back.

const wordsAuditSQLite = `DROP TRIGGER audit_events_no_update;
UPDATE audit_events SET detail = CAST(x'00' || detail AS BLOB) WHERE substr(CAST(detail AS BLOB), 1, 1) = x'03';
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
`

const wordsAuditPostgres = `ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;
UPDATE audit_events SET detail = '\x00'::bytea || detail WHERE substring(detail FROM 1 FOR 1) = '\x03'::bytea;
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update;
`

// Migration 31: erasing a letter (Tx.EraseAuditEvent) rewrites what its audit events quote of
// its content: a review's comment, a draft copy's and a dispatch's recipients, a withdrawal's
// reason. The append-only triggers let through an update that keeps an event's ID, time and
// reference, of an event about a letter whose release is erased; every other update, and every
// delete, is still refused. The action and the remote address may move between their columns
// and the packed detail (packEvent), so they are not compared.
const (
	eraseAuditSQLite = `DROP TRIGGER audit_events_no_update;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN NOT (NEW.id = OLD.id AND NEW.time = OLD.time AND NEW.reference = OLD.reference AND OLD.reference <> ''
	AND EXISTS (SELECT 1 FROM letters l JOIN releases r ON r.letter_id = l.id WHERE l.reference = OLD.reference AND r.erased_at IS NOT NULL))
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
`
	eraseAuditPostgres = `CREATE FUNCTION audit_events_erase_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.id = OLD.id AND NEW."time" = OLD."time" AND NEW.reference = OLD.reference AND OLD.reference <> ''
		AND EXISTS (SELECT 1 FROM letters l JOIN releases r ON r.letter_id = l.id WHERE l.reference = OLD.reference AND r.erased_at IS NOT NULL) THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'audit events are append-only';
END $$;
DROP TRIGGER audit_events_no_update ON audit_events;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_erase_only();
`
)

// Migration 41: a letter erased while a draft (EraseLetter without a release: a database
// restored from a backup taken before the letter was released and erased, erased again at a
// server's start) has its audit events rewritten as a released one's are. The append-only
// triggers of migration 31 let through the same update of an event about such a letter: no
// release, and the empty subject that erasure leaves and a letter is never created with.
const (
	eraseDraftAuditSQLite = `DROP TRIGGER audit_events_no_update;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN NOT (NEW.id = OLD.id AND NEW.time = OLD.time AND NEW.reference = OLD.reference AND OLD.reference <> ''
	AND EXISTS (SELECT 1 FROM letters l LEFT JOIN releases r ON r.letter_id = l.id WHERE l.reference = OLD.reference
		AND (r.erased_at IS NOT NULL OR (r.letter_id IS NULL AND l.subject = ''))))
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
`
	eraseDraftAuditPostgres = `CREATE OR REPLACE FUNCTION audit_events_erase_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.id = OLD.id AND NEW."time" = OLD."time" AND NEW.reference = OLD.reference AND OLD.reference <> ''
		AND EXISTS (SELECT 1 FROM letters l LEFT JOIN releases r ON r.letter_id = l.id WHERE l.reference = OLD.reference
			AND (r.erased_at IS NOT NULL OR (r.letter_id IS NULL AND l.subject = ''))) THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'audit events are append-only';
END $$;
`
)

// Migration 32: the statements that remove or overwrite audit events without the row
// triggers of migrations 2 and 31 are refused too. On PostgreSQL, TRUNCATE, by a statement
// trigger. On SQLite, INSERT OR REPLACE (and REPLACE), whose conflict resolution deletes the
// event it replaces without firing delete triggers: an insert of an ID already taken is
// refused before it (SQLite has no TRUNCATE; its delete trigger refuses a DELETE of every row).
const (
	auditNoRemoveSQLite = `CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events
WHEN EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
`
	auditNoRemovePostgres = `CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
`
)

// EraseAuditEvent writes e, an audit event already stored, over the stored one with the same
// ID: its actor, action, detail and remote address. Only an event about an erased letter can
// be rewritten so (migrations 31 and 41), and only by erasure.
func (t *Tx) EraseAuditEvent(ctx context.Context, e AuditEvent) error {
	action, remote, detail := packEvent(e.Action, e.Remote, e.Detail)
	_, err := t.exec(ctx, `UPDATE audit_events SET actor = $1, action = $2, detail = $3, remote = $4 WHERE id = $5`,
		e.Actor, action, detail, remote, e.ID)
	if err != nil {
		return fmt.Errorf("erase audit event %d: %w", e.ID, err)
	}
	return nil
}
