package store

import "testing"

// The fifty-first session's build, of schema version 38, reads zero-width characters as
// breaks between words; a store a later build opened must be refused by it, or its servers
// would go on storing fingerprints that registry.RereadFingerprints never reads again.
func TestSchemaRefusedByTheFiftyFirstBuild(t *testing.T) {
	if SchemaVersion <= 38 {
		t.Errorf("schema version %d: the fifty-first session's build (38) would serve this build's store", SchemaVersion)
	}
}

// The fifty-second session's build, of schema version 39, reads Arabic presentation forms
// that draw letters apart as those letters joined; a store a later build opened must be
// refused by it, for the same reason.
func TestSchemaRefusedByTheFiftySecondBuild(t *testing.T) {
	if SchemaVersion <= 39 {
		t.Errorf("schema version %d: the fifty-second session's build (39) would serve this build's store", SchemaVersion)
	}
}

// The fifty-third session's build, of schema version 41, folds Cherokee's capitals to its
// small letters, reads U+0149 as a modifier letter and n, and Arabic mathematical letters as
// letters joined; a store a later build opened must be refused by it, for the same reason.
func TestSchemaRefusedByTheFiftyThirdBuild(t *testing.T) {
	if SchemaVersion <= 41 {
		t.Errorf("schema version %d: the fifty-third session's build (41) would serve this build's store", SchemaVersion)
	}
}
