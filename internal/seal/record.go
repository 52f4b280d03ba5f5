package seal

import "bytes"

// decodeReleaseRecord decodes the public record of a version 2 release entry as Unmarshal
// does, with the canonical parser of decodeRelease: every seal verified holds one, and
// encoding/json's decoding and the re-encoding that checks the form cost more than the rest
// of the entry's parsing (issue 19). A record with a disclosure, or anything unusual, is left
// to Unmarshal, which gives the answer for every input.
//
// With a Decoder d, its strings are shared as decodeRelease shares them, and its commitment is
// in d's buffers: the record is for the verification of a seal that d parsed, and is valid
// until d's next Parse.
func decodeReleaseRecord(data []byte, d *Decoder) (*ReleaseRecord, error) {
	p := &parser{data: data, html: true, d: d}
	rec := new(ReleaseRecord)
	p.lit(`{"office":`)
	rec.Office = p.shared()
	p.lit(`,"commitment":`)
	if !p.null() {
		p.reuse = d != nil
		rec.Commitment = p.bytes()
		p.reuse = false
	}
	p.lit(`,"signer_keys":`)
	rec.SignerKeys = p.strs()
	p.lit(`,"disclosed":null,"released_at":`)
	rec.ReleasedAt = p.time()
	p.lit("}")
	if p.err != nil || len(p.data) > 0 || (p.general && !bytes.Equal(Marshal(rec), data)) {
		rec = new(ReleaseRecord)
		if err := Unmarshal(data, rec); err != nil {
			return nil, err
		}
	}
	return rec, nil
}
