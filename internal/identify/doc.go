// Package identify tells whether a text is one of the registry's letters: the same text
// (retyped, reformatted), an altered version of one (edited, OCR'd), an excerpt of one (a
// quoted paragraph), or none of them. It works on text only, so that a photo of a page, a
// retyped copy and a quotation can all be checked.
//
// [Normalize] puts a text in canonical form; [Compute] turns it into a [Fingerprint] (a
// SHA-256 of the normalized text, its three-word shingles, their winnowed marks and a MinHash
// signature), which the registry computes at every upload and stores encoded by
// MarshalBinary. An [Index] holds, for every letter, postings for its marks and for the bands
// of its signature, under a kilobyte per letter; [Index.Query] finds candidates there and
// scores them exactly on the fingerprints that a [Source] (the registry's store) returns.
// [Classify] turns the best match into a [Class].
//
// docs/design/identify.md explains the parameters and their limits;
// docs/benchmarks.md has the measurements.
package identify
