package cli

import (
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestPsqlURLHintNamesTheRefusedParameters: the parameters of the database URL that psql
// refuses and pgx takes are named, as the URL writes them, once each; the run-time ones are
// told apart (they go in libpq's options); a URL psql takes gets no hint; and no value of the
// URL is printed, a password's least of all.
func TestPsqlURLHintNamesTheRefusedParameters(t *testing.T) {
	for _, c := range []struct {
		url, refused, runtime string
	}{
		{"postgres://chancery:s3cret@db.example/office?sslmode=verify-full&application_name=node-a&options=-csearch_path%3Doffice", "", ""},
		{"postgres://chancery@db.example/office", "", ""},
		{"postgresql://db.example/office?ssl=true", "", ""},
		{"postgres://chancery:s3cret@db.example/office?sslmode=disable&search_path=ofc9&password=hunter2&default_query_exec_mode=simple_protocol&search_path=ofc9",
			"search_path, default_query_exec_mode", "search_path"},
		{"postgres://db.example/?database=ofc9&statement_timeout=5000&ssl=1&statement%5Fcache%5Fcapacity=0", "database, statement_timeout, ssl, statement%5Fcache%5Fcapacity", "statement_timeout, ssl"},
		// A password holding a '?', which libpq and pgx take as the password's: net/url read
		// the rest of it as the query's first parameter, named in the hint (found by review of
		// e00af67, sixtieth session).
		{"postgres://chancery:?s3cret@db.example/office?search_path=ofc9", "search_path", "search_path"},
		{"postgres://chancery:12?s3cret@db.example:5432,db2.example/office?search_path=ofc9&sslmode=disable", "search_path", "search_path"},
		{"postgres://chancery:#s3cret@db.example/office?sslmode=disable", "", ""},
	} {
		refused, runtime := psqlRefusedParams(c.url)
		if strings.Join(refused, ", ") != c.refused || strings.Join(runtime, ", ") != c.runtime {
			t.Errorf("%s: refused %q, run-time %q; want %q, %q", c.url, refused, runtime, c.refused, c.runtime)
		}
		h := psqlURLHint(c.url)
		if (h == "") != (c.refused == "") || !strings.Contains(h, c.refused) {
			t.Errorf("%s: hint %q, want one naming %q", c.url, h, c.refused)
		}
		if c.runtime != "" && !strings.Contains(h, "("+c.runtime+") as libpq's options instead, options=-cNAME%3DVALUE") {
			t.Errorf("%s: hint %q, want the run-time parameters %s written as options", c.url, h, c.runtime)
		}
		if strings.Contains(c.refused, "database") != strings.Contains(h, "database= as dbname=") {
			t.Errorf("%s: hint %q: database= to be written dbname= only when it is there", c.url, h)
		}
		for _, secret := range []string{"s3cret", "hunter2", "ofc9", "simple_protocol", "5000"} {
			if strings.Contains(h, secret) {
				t.Errorf("%s: hint %q shows a value of the URL (%s)", c.url, h, secret)
			}
		}
	}
}

// TestLibpqParamsAreWhatPsqlTakes: the parameters libpqParams lists are those psql takes, and
// pgx's own are refused, as the psql installed here says ("invalid URI query parameter", which
// it answers before it connects). The parameters of versions after psql's are not checked.
func TestLibpqParamsAreWhatPsqlTakes(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Skip("no psql: skipping")
	}
	out, err := exec.Command(psql, "--version").Output()
	major := regexp.MustCompile(`\(PostgreSQL\) (\d+)`).FindSubmatch(out)
	if err != nil || major == nil {
		t.Fatalf("psql --version: %v %s", err, out)
	}
	version, _ := strconv.Atoi(string(major[1]))
	since := map[string]int{"require_auth": 16, "sslcertmode": 16, "load_balance_hosts": 16, "gssdelegation": 17,
		"sslnegotiation": 17, "min_protocol_version": 18, "max_protocol_version": 18, "servicefile": 18, "sslkeylogfile": 18}
	refuses := func(name, value string) bool {
		// Port 1 of the loopback: nothing listens, and nothing is sent anywhere.
		out, _ := exec.Command(psql, "-w", "postgres://127.0.0.1:1/none?"+name+"="+value, "-c", "select 1").CombinedOutput()
		return strings.Contains(string(out), "invalid URI query parameter")
	}
	var names []string
	for name := range libpqParams {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if since[name] > version {
			continue
		}
		value := "x"
		switch name {
		case "host", "hostaddr":
			value = "127.0.0.1"
		case "port":
			value = "1"
		case "service", "servicefile", "passfile", "sslkeylogfile":
			value = "/nonexistent"
		}
		if refuses(name, value) {
			t.Errorf("psql %d refuses %s, which libpqParams lists", version, name)
		}
	}
	for name := range pgxOwnParams {
		if !refuses(name, "1") {
			t.Errorf("psql %d takes %s, which pgxOwnParams lists as pgx's alone", version, name)
		}
	}
	if refuses("ssl", "true") || !refuses("ssl", "1") || !refuses("search_path", "office") {
		t.Errorf("psql %d: ssl=true, ssl=1 or search_path not as psqlRefusedParams reads them", version)
	}
}
