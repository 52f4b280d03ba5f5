package hsm

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// SecretPaths returns the files and directories through which the key uri names can be used
// by whoever reads them: its PIN file (pin-source, or CHANCERY_HSM_PIN_FILE where the URI
// names none and CHANCERY_HSM_PIN is not set) and, for SoftHSM, the directory of its tokens,
// whose files with the PIN are the private key. The server hides them from the programs that
// read untrusted uploads (LibreOffice, Tesseract, pdftoppm), as it hides its data directory.
// It returns nothing for a string that is not a PKCS#11 URI; a path may not exist.
func SecretPaths(uri string) []string {
	if !IsURI(uri) {
		return nil
	}
	u, err := ParseURI(uri)
	if err != nil {
		return nil
	}
	var out []string
	src := u.PinSource
	if src == "" && u.PinValue == "" && os.Getenv("CHANCERY_HSM_PIN") == "" {
		src = os.Getenv("CHANCERY_HSM_PIN_FILE")
	}
	if src = strings.TrimPrefix(src, "file:"); src != "" {
		out = append(out, absolute(src))
	}
	if strings.Contains(strings.ToLower(filepath.Base(u.ModulePath)), "softhsm") {
		if dir := softHSMTokenDir(); dir != "" {
			out = append(out, dir)
		}
	}
	return out
}

// softHSMTokenDir returns the token directory SoftHSM 2 uses: directories.tokendir in the
// file SOFTHSM2_CONF names, else in /etc/softhsm/softhsm2.conf, else its default.
func softHSMTokenDir() string {
	conf := os.Getenv("SOFTHSM2_CONF")
	if conf == "" {
		conf = "/etc/softhsm/softhsm2.conf"
	}
	f, err := os.Open(conf)
	if err != nil {
		return "/var/lib/softhsm/tokens"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), "=")
		if ok && strings.TrimSpace(key) == "directories.tokendir" {
			if dir := strings.TrimSpace(value); dir != "" {
				return absolute(dir)
			}
		}
	}
	return "/var/lib/softhsm/tokens"
}

// absolute returns path made absolute against the working directory, as the process opens it.
func absolute(path string) string {
	if a, err := filepath.Abs(path); err == nil {
		return a
	}
	return path
}
