package store

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math"
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
	if len(s) > 0 && (s[0] == detailText || s[0] == detailPacked) {
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
