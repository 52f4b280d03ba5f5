package store

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// A release log entry is kept in releases.entry without what every release entry of version 2
// repeats (issue 19 item 5, migration 24): its header line and the DSSE envelope's keys and
// payload type, 134 bytes, and with its key ID (64 hex digits) as its 32 bytes. What is kept
// is packedEntry, the key ID, the payload's length (2 bytes, big-endian), the payload's
// base64 and the signature's base64, as they were: the entry is the log's, so it must come
// back byte for byte. An entry of any other form (version 1, another kind) is kept as it is:
// such entries start with their header's "chancery-entry"; any bytes that start with
// packedEntry, templateEntry or rawEntry (no entry does) are kept behind rawEntry.
//
// Since migration 27, an entry whose payload is of the shape bundle_pack.go describes is
// kept as templateEntry instead: the payload's fields as a bundle's first entry of that
// form keeps them (the key ID, the office's name, the commitment, the signer keys' IDs and
// the release time), then the signature's decoded bytes, about 170 bytes in all instead of
// 410.
const (
	rawEntry      = 0x00
	packedEntry   = 0x01
	templateEntry = bundleEntryTemplate
	entryHead     = "chancery-entry v2 release\n{\"payload\":\""
	entryMid      = "\",\"payloadType\":\"application/vnd.chancery.release.v2+json\",\"signatures\":[{\"keyid\":\""
	entrySig      = "\",\"sig\":\""
	entryTail     = "\"}]}"
)

// packEntry returns the stored form of a release entry.
func packEntry(e []byte) []byte {
	if len(e) > 0 && (e[0] == rawEntry || e[0] == packedEntry || e[0] == templateEntry) {
		return append([]byte{rawEntry}, e...)
	}
	payload, keyID, sig, ok := splitEntry(e)
	if !ok {
		return e
	}
	if p, ok := decodeBase64(payload); ok {
		if s, ok := decodeBase64(sig); ok {
			var st bundleState
			if out, ok := st.packPayload(nil, keyID, p); ok {
				// As for bundles: only a form that gives the entry back is stored.
				out = append(out, s...)
				if back, err := unpackEntry(out); err == nil && bytes.Equal(back, e) {
					return out
				}
			}
		}
	}
	out := make([]byte, 0, 1+32+2+len(payload)+len(sig))
	out = append(out, packedEntry)
	out = append(out, keyID...)
	out = binary.BigEndian.AppendUint16(out, uint16(len(payload)))
	out = append(append(out, payload...), sig...)
	return out
}

// splitEntry returns the payload's base64, the key ID (its 32 bytes) and the signature's
// base64 of a release entry of version 2 with one signature, whose text appendEntry writes
// back from them byte for byte; ok is false for an entry of any other form.
func splitEntry(e []byte) (payload, keyID, sig []byte, ok bool) {
	rest, ok := bytes.CutPrefix(e, []byte(entryHead))
	if !ok {
		return nil, nil, nil, false
	}
	payload, rest, ok = bytes.Cut(rest, []byte(entryMid))
	if !ok || len(rest) < 64+len(entrySig) || !base64Chars(payload) || len(payload) > 0xffff {
		return nil, nil, nil, false
	}
	hexID, rest := rest[:64], rest[64:]
	sig, ok = bytes.CutPrefix(rest, []byte(entrySig))
	if !ok {
		return nil, nil, nil, false
	}
	sig, ok = bytes.CutSuffix(sig, []byte(entryTail))
	if !ok || !base64Chars(sig) || !lowerHex(hexID) {
		return nil, nil, nil, false
	}
	keyID, _ = hex.AppendDecode(nil, hexID)
	return payload, keyID, sig, true
}

// appendEntry appends the release entry whose payload's base64, key ID and signature's base64
// these are.
func appendEntry(out, payload, keyID, sig []byte) []byte {
	out = append(append(append(out, entryHead...), payload...), entryMid...)
	out = hex.AppendEncode(out, keyID)
	return append(append(append(out, entrySig...), sig...), entryTail...)
}

// decodedEntryLen is the length of the release entry appendDecodedEntry writes for a payload
// of p bytes and a signature of sig bytes.
func decodedEntryLen(p, sig int) int {
	return len(entryHead) + base64.StdEncoding.EncodedLen(p) + len(entryMid) + 64 +
		len(entrySig) + base64.StdEncoding.EncodedLen(sig) + len(entryTail)
}

// appendDecodedEntry appends the release entry whose payload, key ID and signature are these
// decoded bytes.
func appendDecodedEntry(out, payload, keyID, sig []byte) []byte {
	out = append(out, entryHead...)
	out = base64.StdEncoding.AppendEncode(out, payload)
	out = append(out, entryMid...)
	out = hex.AppendEncode(out, keyID)
	out = append(out, entrySig...)
	out = base64.StdEncoding.AppendEncode(out, sig)
	return append(out, entryTail...)
}

// unpackEntry returns the entry whose stored form is b.
func unpackEntry(b []byte) ([]byte, error) {
	if len(b) == 0 || b[0] != packedEntry && b[0] != rawEntry && b[0] != templateEntry {
		return b, nil
	}
	if b[0] == rawEntry {
		return b[1:], nil
	}
	if b[0] == templateEntry {
		var st bundleState
		keyID, payload, sig, err := st.unpackPayload(nil, b[1:])
		if err != nil {
			return nil, fmt.Errorf("packed entry: %w", err)
		}
		return appendDecodedEntry(make([]byte, 0, decodedEntryLen(len(payload), len(sig))), payload, keyID, sig), nil
	}
	if len(b) < 1+32+2 {
		return nil, errors.New("packed entry: too short")
	}
	n := int(binary.BigEndian.Uint16(b[33:35]))
	if len(b) < 35+n {
		return nil, errors.New("packed entry: payload beyond its end")
	}
	payload, sig := b[35:35+n], b[35+n:]
	out := make([]byte, 0, len(entryHead)+n+len(entryMid)+64+len(entrySig)+len(sig)+len(entryTail))
	return appendEntry(out, payload, b[1:33], sig), nil
}

// base64Chars reports whether b holds only characters of standard base64, padding included:
// none needs escaping in JSON, so the envelope's text around them is fixed.
func base64Chars(b []byte) bool {
	for _, c := range b {
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return true
}

// lowerHex reports whether b is lowercase hex digits, which decoding and encoding again gives
// back.
func lowerHex(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// packEntriesSQLite and packEntriesPostgres are migration 24: the release entries already
// stored are packed in SQL as packEntry packs them, under the same conditions (an entry that
// does not meet them stays as it is), after the bytes that start as a stored form would are
// put behind rawEntry. t is the entry as text (on PostgreSQL with its bytes
// outside printable ASCII, and backslashes, escaped, which the conditions then refuse) and i
// where entryMid starts in it; h, m, g and l are the lengths of entryHead, entryMid, entrySig
// and entryTail.
var (
	packEntriesSQLite = packEntriesSQL(`UPDATE releases SET entry = CAST(x'00' || entry AS BLOB) WHERE substr(CAST(entry AS BLOB), 1, 1) IN (x'00', x'01');
UPDATE releases SET entry = CAST(x'01' || unhex(y.k) || unhex(printf('%04x', length(y.p))) || y.p || y.s AS BLOB)
FROM (SELECT id, t, i, substr(t, {h} + 1, i - {h} - 1) AS p, substr(t, i + {m}, 64) AS k,
		substr(t, i + {m} + 64 + {g}, length(t) - (i + {m} + 64 + {g}) + 1 - {l}) AS s
	FROM (SELECT letter_id AS id, CAST(entry AS TEXT) AS t, instr(CAST(entry AS TEXT), {mid}) AS i FROM releases)) AS y
WHERE releases.letter_id = y.id AND length(y.t) = length(CAST(y.t AS BLOB))
	AND y.i > {h} AND substr(y.t, 1, {h}) = {head} AND substr(y.t, y.i + {m} + 64, {g}) = {sig} AND substr(y.t, -{l}) = {tail}
	AND length(y.t) >= y.i + {m} + 64 + {g} + {l} - 1 AND length(y.p) <= 65535
	AND y.p NOT GLOB '*[^A-Za-z0-9+/=]*' AND length(y.k) = 64 AND y.k NOT GLOB '*[^0-9a-f]*' AND y.s NOT GLOB '*[^A-Za-z0-9+/=]*';
`)
	packEntriesPostgres = packEntriesSQL(`UPDATE releases SET entry = '\x00'::bytea || entry WHERE substring(entry FROM 1 FOR 1) IN ('\x00'::bytea, '\x01'::bytea);
UPDATE releases SET entry = '\x01'::bytea || decode(y.k, 'hex') || decode(lpad(to_hex(length(y.p)), 4, '0'), 'hex')
		|| convert_to(y.p, 'UTF8') || convert_to(y.s, 'UTF8')
FROM (SELECT id, t, i, substr(t, {h} + 1, i - {h} - 1) AS p, substr(t, i + {m}, 64) AS k,
		substr(t, i + {m} + 64 + {g}, length(t) - (i + {m} + 64 + {g}) + 1 - {l}) AS s
	FROM (SELECT letter_id AS id, encode(entry, 'escape') AS t, strpos(encode(entry, 'escape'), {mid}) AS i FROM releases) AS x) AS y
WHERE releases.letter_id = y.id
	AND y.i > {h} AND substr(y.t, 1, {h}) = {head} AND substr(y.t, y.i + {m} + 64, {g}) = {sig} AND right(y.t, {l}) = {tail}
	AND length(y.t) >= y.i + {m} + 64 + {g} + {l} - 1 AND length(y.p) <= 65535
	AND y.p ~ '^[A-Za-z0-9+/=]*$' AND y.k ~ '^[0-9a-f]{64}$' AND y.s ~ '^[A-Za-z0-9+/=]*$';
`)
)

// packEntriesSQL fills in the lengths and texts of the envelope's fixed parts.
func packEntriesSQL(q string) string {
	quote := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	return strings.NewReplacer("{h}", strconv.Itoa(len(entryHead)), "{m}", strconv.Itoa(len(entryMid)),
		"{g}", strconv.Itoa(len(entrySig)), "{l}", strconv.Itoa(len(entryTail)),
		"{head}", quote(entryHead), "{mid}", quote(entryMid), "{sig}", quote(entrySig), "{tail}", quote(entryTail)).Replace(q)
}
