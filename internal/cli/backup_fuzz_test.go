package cli

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzBackup is a backup tar: the manifest as given, then one regular file per name, with
// its content.
func fuzzBackup(t testing.TB, manifest []byte, names []string, contents [][]byte) []byte {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	add := func(name string, data []byte) {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			t.Skip(err)
		}
		tw.Write(data)
	}
	add(backupManifestName, manifest)
	for i, n := range names {
		add(n, contents[i%len(contents)])
	}
	if err := tw.Close(); err != nil {
		t.Skip(err)
	}
	return b.Bytes()
}

// FuzzUnpackBackup feeds restore's first step hostile backups: a backup file comes from
// wherever the operator kept it, so its manifest and entries are untrusted. The fuzzer mutates
// the manifest, the entries' names (one per line) and their content. A backup that unpacks
// left in the stage exactly the files its manifest lists, each with its SHA-256, and nothing
// beside the stage; one that does not is refused without a panic.
func FuzzUnpackBackup(f *testing.F) {
	seed := func(names []string, content []byte) {
		m := backupManifest{Format: backupFormat, Office: "Test Office", Origin: "test.example/log", LogSize: 1}
		sum := sha256.Sum256(content)
		for _, n := range names {
			m.Files = append(m.Files, backupFile{Name: n, Size: int64(len(content)), Mode: 0o600, SHA256: hex.EncodeToString(sum[:])})
		}
		js, _ := json.Marshal(m)
		f.Add(js, strings.Join(names, "\n"), content)
	}
	seed([]string{"chancery.db", "chancery.json"}, []byte("{}"))
	seed([]string{"chancery.db", "chancery.json", "keys/office.key", "policy.yaml"}, []byte("x"))
	seed([]string{"chancery.db", "chancery.json", "../outside"}, nil)
	seed([]string{"chancery.db", "chancery.json", "keys", "keys/a"}, []byte("y"))
	seed([]string{"chancery.db", "chancery.json", "chancery.json"}, []byte("z"))
	f.Add([]byte(`{"format":"chancery-backup/1","files":[{"name":"chancery.db"},{"name":"chancery.json"}]}`), "chancery.db\nchancery.json\nchancery.db", []byte{})
	f.Fuzz(func(t *testing.T, manifest []byte, names string, content []byte) {
		var list []string
		if names != "" {
			list = strings.Split(names, "\n")
		}
		if len(list) > 16 {
			return
		}
		dir := t.TempDir()
		file := filepath.Join(dir, "backup.tar")
		if err := os.WriteFile(file, fuzzBackup(t, manifest, list, [][]byte{content}), 0o600); err != nil {
			t.Fatal(err)
		}
		stage := filepath.Join(dir, "stage")
		if err := os.Mkdir(stage, 0o700); err != nil {
			t.Fatal(err)
		}
		m, err := unpackBackup(context.Background(), file, stage)
		if top, _ := os.ReadDir(dir); len(top) != 2 {
			t.Fatalf("unpacking %q wrote beside the stage: %v", names, top)
		}
		if err != nil {
			return
		}
		want := map[string]backupFile{}
		for _, bf := range m.Files {
			want[bf.Name] = bf
		}
		err = filepath.WalkDir(stage, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(stage, p)
			bf, ok := want[filepath.ToSlash(rel)]
			if !ok || !d.Type().IsRegular() {
				t.Fatalf("unpacked %s, not a file of the manifest", rel)
			}
			delete(want, bf.Name)
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != bf.SHA256 {
				t.Fatalf("unpacked %s with another SHA-256 than the manifest's", rel)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(want) != 0 {
			t.Fatalf("accepted a backup whose stage lacks %v", want)
		}
	})
}
