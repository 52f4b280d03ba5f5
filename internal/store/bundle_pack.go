package store

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"time"
)

// An entry bundle's rows (log_tiles at EntriesLevel and log_entry_chunks) are stored packed
// (issue 19 item 5, migration 27): a bundle is its entries, each framed by its length (two
// bytes, big-endian), and a release entry of version 2 is about 600 bytes of which 134 are
// the envelope's text every one repeats, 64 a key ID in hex and the rest base64. A packed
// row keeps each release entry as its fields (below), about 140 bytes, or failing that as
// its key ID's 32 bytes and its payload's and signature's decoded bytes, and any other entry
// as it is. Reading gives back the exact bytes, which the log's hashes cover and its tiles
// serve.
//
// A stored row that starts with bundleMark is bundleMark, then bundlePacked and the packed
// entries, or bundleRaw and the data as it was; any other row is the data itself, as rows
// stored before migration 27 were written (which put the few of them that started with
// bundleMark behind bundleMark and bundleRaw).
//
// A packed entry is a tag byte, then for bundleEntryRaw the entry's length (uvarint) and its
// bytes, and for bundleEntryRelease its key ID (32 bytes), the decoded payload's length
// (uvarint), the decoded payload, the decoded signature's length (uvarint) and the decoded
// signature; for bundleEntryTemplate, see below. An entry is packed as a release entry only
// when writing it back gives exactly its bytes.
const (
	bundleMark   = 0xff
	bundleRaw    = 0x00
	bundlePacked = 0x01

	bundleEntryRaw      = 0x00
	bundleEntryRelease  = 0x01
	bundleEntryTemplate = 0x02
)

// A release entry's payload is JSON of one shape (seal.ReleaseRecord without a disclosure):
// the office's name, the commitment (base64 of 32 bytes), the signer keys' IDs (hex of 32
// bytes each) and the release time in seconds (UTC), between fixed texts. A payload that
// appendPayload writes back byte for byte from those is kept as them (bundleEntryTemplate):
// the key ID, 0 when it is the row's previous entry's and 1 before its 32 bytes otherwise;
// the office's name, its length plus one (uvarint) before its bytes, or 0 when it is the
// previous entry's; the commitment's 32 bytes; the number of signer keys (uvarint) and each
// one's 32 bytes; the release time as Unix seconds (uvarint); and the signature as for
// bundleEntryRelease.
const (
	payloadOffice     = `{"office":"`
	payloadCommitment = `","commitment":"`
	payloadKeys       = `","signer_keys":[`
	payloadTime       = `],"disclosed":null,"released_at":"`
	payloadEnd        = `"}`
	payloadTimeLayout = "2006-01-02T15:04:05Z"
)

// bundleState is what a packed entry may refer to: the previous release entry's in the row.
type bundleState struct {
	keyID, office []byte
}

// packBundle returns the stored form of framed entries data: packed when they parse as
// framed entries and packing is shorter.
func packBundle(data []byte) []byte {
	if !releaseFrames(data) {
		return rawBundle(data)
	}
	out := make([]byte, 0, len(data)/2+2)
	out = append(out, bundleMark, bundlePacked)
	var st bundleState
	for rest := data; len(rest) > 0; {
		if len(rest) < 2 || len(rest) < 2+int(binary.BigEndian.Uint16(rest)) {
			return rawBundle(data)
		}
		n := int(binary.BigEndian.Uint16(rest))
		out = st.packEntry(out, rest[2:2+n])
		rest = rest[2+n:]
	}
	if len(data) == 0 || len(out) >= len(data) {
		return rawBundle(data)
	}
	// The log's hashes cover these bytes: a packed form that would not give them back, were
	// there one, is never stored.
	if back, err := unpackBundle(out); err != nil || !bytes.Equal(back, data) {
		return rawBundle(data)
	}
	return out
}

// releaseFrames reports whether data is framed entries of which at least one is a release
// entry of version 2: a bundle without one is stored as it is without being copied (the log
// under appendbench appends such bundles, on the sequencer's path).
func releaseFrames(data []byte) bool {
	found := false
	for rest := data; len(rest) > 0; {
		if len(rest) < 2 || len(rest) < 2+int(binary.BigEndian.Uint16(rest)) {
			return false
		}
		n := int(binary.BigEndian.Uint16(rest))
		found = found || bytes.HasPrefix(rest[2:2+n], []byte(entryHead))
		rest = rest[2+n:]
	}
	return found
}

// rawBundle returns data stored as it is.
func rawBundle(data []byte) []byte {
	if len(data) > 0 && data[0] == bundleMark {
		return append([]byte{bundleMark, bundleRaw}, data...)
	}
	return data
}

// packEntry appends the packed form of entry e to out.
func (st *bundleState) packEntry(out, e []byte) []byte {
	payload, keyID, sig, ok := splitEntry(e)
	if ok {
		p, pok := decodeBase64(payload)
		s, sok := decodeBase64(sig)
		if pok && sok {
			if t, ok := st.packPayload(out, keyID, p); ok {
				out = binary.AppendUvarint(t, uint64(len(s)))
				return append(out, s...)
			}
			out = append(out, bundleEntryRelease)
			out = append(out, keyID...)
			out = binary.AppendUvarint(out, uint64(len(p)))
			out = append(out, p...)
			out = binary.AppendUvarint(out, uint64(len(s)))
			return append(out, s...)
		}
	}
	out = append(out, bundleEntryRaw)
	out = binary.AppendUvarint(out, uint64(len(e)))
	return append(out, e...)
}

// decodeBase64 returns the bytes whose standard base64 is exactly b.
func decodeBase64(b []byte) ([]byte, bool) {
	d, err := base64.StdEncoding.AppendDecode(nil, b)
	return d, err == nil && base64.StdEncoding.EncodedLen(len(d)) == len(b) &&
		string(base64.StdEncoding.AppendEncode(nil, d)) == string(b)
}

// packPayload appends to out entry's tag, key ID and payload p in the form of
// bundleEntryTemplate, if p is of its shape.
func (st *bundleState) packPayload(out, keyID, p []byte) ([]byte, bool) {
	rest, ok := bytes.CutPrefix(p, []byte(payloadOffice))
	if !ok {
		return nil, false
	}
	office, rest, ok := bytes.Cut(rest, []byte(payloadCommitment))
	if !ok || len(rest) < 44 {
		return nil, false
	}
	commitment, ok := decodeBase64(rest[:44])
	if !ok || len(commitment) != 32 {
		return nil, false
	}
	rest, ok = bytes.CutPrefix(rest[44:], []byte(payloadKeys))
	if !ok {
		return nil, false
	}
	var keys []byte
	for n := 0; len(rest) > 0 && rest[0] != ']'; n++ {
		if n > 0 {
			if rest, ok = bytes.CutPrefix(rest, []byte(",")); !ok {
				return nil, false
			}
		}
		if len(rest) < 66 || rest[0] != '"' || rest[65] != '"' || !lowerHex(rest[1:65]) {
			return nil, false
		}
		keys, _ = hex.AppendDecode(keys, rest[1:65])
		rest = rest[66:]
	}
	rest, ok = bytes.CutPrefix(rest, []byte(payloadTime))
	if !ok {
		return nil, false
	}
	at, rest, ok := bytes.Cut(rest, []byte(payloadEnd))
	if !ok || len(rest) != 0 {
		return nil, false
	}
	t, err := time.Parse(payloadTimeLayout, string(at))
	if err != nil || t.Unix() < 0 {
		return nil, false
	}
	if string(appendPayload(nil, office, commitment, keys, uint64(t.Unix()))) != string(p) {
		return nil, false
	}
	out = append(out, bundleEntryTemplate)
	if st.keyID != nil && bytes.Equal(keyID, st.keyID) {
		out = append(out, 0)
	} else {
		out = append(append(out, 1), keyID...)
	}
	if st.office != nil && bytes.Equal(office, st.office) {
		out = append(out, 0)
	} else {
		out = binary.AppendUvarint(out, uint64(len(office))+1)
		out = append(out, office...)
	}
	st.keyID, st.office = keyID, office
	out = append(out, commitment...)
	out = binary.AppendUvarint(out, uint64(len(keys)/32))
	out = append(out, keys...)
	return binary.AppendUvarint(out, uint64(t.Unix())), true
}

// appendPayload appends the payload of the shape of bundleEntryTemplate with these fields
// (keys the signer keys' IDs, 32 bytes each).
func appendPayload(out, office, commitment, keys []byte, at uint64) []byte {
	out = append(append(out, payloadOffice...), office...)
	out = append(out, payloadCommitment...)
	out = base64.StdEncoding.AppendEncode(out, commitment)
	out = append(out, payloadKeys...)
	for i := 0; i+32 <= len(keys); i += 32 {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, '"')
		out = hex.AppendEncode(out, keys[i:i+32])
		out = append(out, '"')
	}
	out = append(out, payloadTime...)
	out = time.Unix(int64(at), 0).UTC().AppendFormat(out, payloadTimeLayout)
	return append(out, payloadEnd...)
}

// unpackBundle returns the framed entries stored as b.
func unpackBundle(b []byte) ([]byte, error) {
	if len(b) == 0 || b[0] != bundleMark {
		return b, nil
	}
	if len(b) < 2 {
		return nil, errors.New("packed bundle: too short")
	}
	switch b[1] {
	case bundleRaw:
		return b[2:], nil
	case bundlePacked:
	default:
		return nil, errors.New("packed bundle: unknown form")
	}
	out := make([]byte, 0, 4*len(b))
	var st bundleState
	var payload []byte
	for rest := b[2:]; len(rest) > 0; {
		tag := rest[0]
		rest = rest[1:]
		switch tag {
		case bundleEntryRaw:
			e, r, err := uvarintBytes(rest)
			if err != nil {
				return nil, err
			}
			if len(e) > 0xffff {
				return nil, errors.New("packed bundle: entry too long")
			}
			out = appendFrame(out, len(e))
			out = append(out, e...)
			rest = r
		case bundleEntryRelease, bundleEntryTemplate:
			var keyID, p, r []byte
			var err error
			if tag == bundleEntryRelease {
				if len(rest) < 32 {
					return nil, errors.New("packed bundle: key ID beyond its end")
				}
				keyID = rest[:32]
				if p, r, err = uvarintBytes(rest[32:]); err != nil {
					return nil, err
				}
			} else {
				if keyID, payload, r, err = st.unpackPayload(payload[:0], rest); err != nil {
					return nil, err
				}
				p = payload
			}
			s, r, err := uvarintBytes(r)
			if err != nil {
				return nil, err
			}
			n := decodedEntryLen(len(p), len(s))
			if n > 0xffff {
				return nil, errors.New("packed bundle: entry too long")
			}
			out = appendDecodedEntry(appendFrame(out, n), p, keyID, s)
			rest = r
		default:
			return nil, errors.New("packed bundle: unknown entry form")
		}
	}
	return out, nil
}

// unpackPayload appends to out the payload of the entry packed as bundleEntryTemplate at the
// start of b (after its tag), and returns it, the entry's key ID and what follows.
func (st *bundleState) unpackPayload(out, b []byte) (keyID, payload, rest []byte, err error) {
	short := errors.New("packed bundle: payload beyond its end")
	if len(b) < 1 {
		return nil, nil, nil, short
	}
	switch b[0] {
	case 0:
		if st.keyID == nil {
			return nil, nil, nil, errors.New("packed bundle: no previous key ID")
		}
		keyID, b = st.keyID, b[1:]
	case 1:
		if len(b) < 33 {
			return nil, nil, nil, short
		}
		keyID, b = b[1:33], b[33:]
	default:
		return nil, nil, nil, errors.New("packed bundle: unknown key ID form")
	}
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k)+1 {
		return nil, nil, nil, short
	}
	b = b[k:]
	office := st.office
	if n == 0 {
		if office == nil {
			return nil, nil, nil, errors.New("packed bundle: no previous office")
		}
	} else {
		office, b = b[:n-1], b[n-1:]
	}
	st.keyID, st.office = keyID, office
	if len(b) < 32 {
		return nil, nil, nil, short
	}
	commitment, b := b[:32], b[32:]
	keys, k := binary.Uvarint(b)
	if k <= 0 || keys > uint64(len(b)-k)/32 {
		return nil, nil, nil, short
	}
	b = b[k:]
	keyIDs, b := b[:32*keys], b[32*keys:]
	at, k := binary.Uvarint(b)
	if k <= 0 || at > 1<<40 {
		return nil, nil, nil, errors.New("packed bundle: bad release time")
	}
	return keyID, appendPayload(out, office, commitment, keyIDs, at), b[k:], nil
}

// appendFrame appends an entry's frame, its length n.
func appendFrame(out []byte, n int) []byte {
	return binary.BigEndian.AppendUint16(out, uint16(n))
}

// uvarintBytes reads a uvarint length and that many bytes from b, and returns them and what
// follows.
func uvarintBytes(b []byte) (v, rest []byte, err error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return nil, nil, errors.New("packed bundle: entry beyond its end")
	}
	return b[k : k+int(n)], b[k+int(n):], nil
}
