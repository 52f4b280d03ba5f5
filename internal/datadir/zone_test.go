package datadir

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestLoadZoneTakesOnlyZoneNames: the zone database's directory holds more than zones, and
// the system's lookup takes paths: "localtime" is the machine's own zone (what "Local" is,
// refused for that), "posixrules" a template (New York here), "right/…" zones counted with
// leap seconds, which Go reads an hour off (Paris in December at +02:00), and "posix/…",
// "Europe//Paris" or "./UTC" spellings that the zone database built into chancery does not
// know, so that a server on a machine without a system database refused to start. Only IANA
// names are taken, the legacy ones included.
func TestLoadZoneTakesOnlyZoneNames(t *testing.T) {
	for _, name := range []string{"localtime", "posixrules", "right/Europe/Paris", "posix/Europe/Paris", "right/UTC",
		"Europe//Paris", "./UTC", "Europe/./Paris", "/Europe/Paris", "Europe/Paris/", "Local", " Asia/Tokyo", "Etc/../UTC", "zone.tab"} {
		if z, err := LoadZone(name); err == nil {
			t.Errorf("LoadZone(%q) = %v, want an error", name, z)
		}
	}
	at := time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC)
	for name, want := range map[string]string{
		"": "2026-12-31T20:00:00Z", "UTC": "2026-12-31T20:00:00Z", "Europe/Paris": "2026-12-31T21:00:00+01:00",
		"Pacific/Kiritimati": "2027-01-01T10:00:00+14:00", "Etc/GMT+12": "2026-12-31T08:00:00-12:00",
		"America/Argentina/Buenos_Aires": "2026-12-31T17:00:00-03:00", "America/Port-au-Prince": "2026-12-31T15:00:00-05:00",
		"EST5EDT": "2026-12-31T15:00:00-05:00", "GMT-0": "2026-12-31T20:00:00Z", "US/Pacific": "2026-12-31T12:00:00-08:00",
	} {
		z, err := LoadZone(name)
		if err != nil {
			t.Errorf("LoadZone(%q): %v", name, err)
			continue
		}
		if got := at.In(z).Format(time.RFC3339); got != want {
			t.Errorf("LoadZone(%q): 20:00 UTC is %s there, want %s", name, got, want)
		}
	}
}

// TestSettingsChangedByRootStayTheServicesOwn: under the shipped unit the data directory is
// the service's user's (systemd hands it over, DynamicUser=), and an operator runs
// 'chancery time-zone' or 'stamp-languages' as root: the new chancery.json, mode 0600, was
// root's, and the service could not read its settings at the restart those commands ask for.
// It keeps the owner and group of the file it replaces. (Run as root only.)
func TestSettingsChangedByRootStayTheServicesOwn(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("changes owners: run as root")
	}
	dir := filepath.Join(t.TempDir(), "d")
	d, err := Init(dir, Settings{Office: "X", Prefix: "X", Origin: "x.example/log"})
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	const service = 65534 // nobody, as systemd's dynamic user would be
	err = filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, service, service)
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, set := range []func() error{
		func() error { return d.SetTimeZone("Europe/Paris") },
		func() error { return d.SetStampLanguages([]string{"en", "ar"}) },
	} {
		if err := set(); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(filepath.Join(dir, settingsFile))
		if err != nil {
			t.Fatal(err)
		}
		if st := fi.Sys().(*syscall.Stat_t); st.Uid != service || st.Gid != service || fi.Mode().Perm() != 0o600 {
			t.Errorf("chancery.json is now %d:%d, mode %v; want the service's %d:%d, 0600", st.Uid, st.Gid, fi.Mode().Perm(), service, service)
		}
	}
}

// TestSettingsChangesDoNotUndoEachOther: two commands on one data directory, each with the
// settings it read when it opened it (time-zone beside stamp-languages or key rotate office):
// each rewrote the whole chancery.json from what it had read, and the second undid the
// first's change. A change is applied to the file as it is when written.
func TestSettingsChangesDoNotUndoEachOther(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	d, err := Init(dir, Settings{Office: "X", Prefix: "X", Origin: "x.example/log"})
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	a, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := a.SetTimeZone("Europe/Paris"); err != nil {
		t.Fatal(err)
	}
	if err := b.SetStampLanguages([]string{"en", "fr"}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetNextOfficeKey("office-next.key"); err != nil {
		t.Fatal(err)
	}
	got, err := readSettings(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.TimeZone != "Europe/Paris" || len(got.StampLanguages) != 2 || got.OfficeKeyNext != "office-next.key" {
		t.Errorf("settings after three changes by two commands: zone %q, stamp languages %v, next key %q; want all three",
			got.TimeZone, got.StampLanguages, got.OfficeKeyNext)
	}
	if b.Settings.TimeZone != "Europe/Paris" {
		t.Errorf("the second command's settings after its change: zone %q, want the first's", b.Settings.TimeZone)
	}
}
