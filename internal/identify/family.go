package identify

// A FamilySource is a Source that also knows which letter each document belongs to: the
// versions of one letter, and the file its release published, are one family. Specificity
// is computed against competitors from other families only, so that a revision of a letter
// (which shares almost every word with it) never makes an altered copy of the letter look
// like another letter's text.
type FamilySource interface {
	Source
	// Family returns the family of document id, for an id whose fingerprint the last call
	// to Fingerprints returned; any value for another id.
	Family(id uint64) uint64
}
