// Package convert turns Word (DOCX) and OpenDocument (ODT) letters into PDF with LibreOffice
// running headless, so that they keep their layout, tables, letterhead and signature block and
// can be stamped and signed like any PDF.
//
// Uploads are untrusted, so every conversion is bounded: it runs in a directory of its own
// with a LibreOffice profile of its own (no state shared between conversions, no lock on a
// user's profile) that fetches nothing a document links to and runs none of its macros, in a
// network namespace of its own where the system allows one (package nonet), seeing neither the
// paths given to Hide nor a writable file system but its directory where the system allows
// that (nonet.IsolateFiles), with a timeout
// after which the whole process group is killed, in a PID namespace of its own where the system
// allows one, so that none of its processes outlives the conversion or the server (contain), a
// cap on concurrent conversions, limits on the size of each file LibreOffice writes, and a cap
// on the size of what comes out, which must pass pdf.Check.
package convert

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/chancery/chancery/internal/nonet"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/stage"
	"github.com/chancery/chancery/internal/textract"
)

// ErrNoConverter is wrapped by errors about a missing LibreOffice.
var ErrNoConverter = errors.New("no document converter")

// ErrConvert is wrapped by errors about a document LibreOffice could not convert in time.
var ErrConvert = errors.New("conversion failed")

// Hint tells an operator how to install a converter.
const Hint = "install LibreOffice (Debian: apt-get install libreoffice-writer-nogui) so that soffice is on the PATH, or give its path in the converter setting"

// Types are the media types Convert accepts, with the file extension LibreOffice reads them by.
var Types = map[string]string{
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
	"application/vnd.oasis.opendocument.text":                                 ".odt",
}

// DefaultTimeout bounds one conversion; DefaultParallel bounds concurrent conversions (each
// LibreOffice takes a few hundred megabytes).
const (
	DefaultTimeout  = 60 * time.Second
	DefaultParallel = 2
)

// fileSizeLimit bounds each file a conversion writes (RLIMIT_FSIZE): LibreOffice is killed by
// SIGXFSZ past it, rather than filling the disk with a PDF or temporary file that a small
// upload unfolds into. It is four times the largest PDF kept (pdf.MaxBytes), which a
// conversion past it could not give anyway, leaving room for LibreOffice's temporary copies of
// a letter's images. Its memory is not limited so: LibreOffice 7.4 crashes (SIGSEGV) at its
// start under any RLIMIT_AS or RLIMIT_DATA, 128 GiB too; the timeout and DefaultParallel bound it.
var fileSizeLimit int64 = 4 * pdf.MaxBytes

// profileSettings are the settings of each conversion's fresh LibreOffice profile. Uploads are
// untrusted: LibreOffice loads a document's linked images as it converts it, so a letter with
// an image linked to a URL had the server fetch it, from inside the office's network (SSRF);
// BlockUntrustedRefererLinks stops that. No macro of a document runs either.
//
// version, when not empty, is the installed LibreOffice's own (productVersion), recorded as
// the version that last used the profile: a profile that no version has used is one just
// upgraded to this version, for which LibreOffice runs its drawing self-tests before it does
// anything else (GraphicsRenderTests, 4 of the 5 seconds of a one-line letter's conversion
// on the test machine).
func profileSettings(version string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
`)
	if version != "" {
		b.WriteString(`<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse"><value>` + version + `</value></prop></item>
`)
	}
	b.WriteString("</oor:items>\n")
	return b.String()
}

// setupVersion finds the product version (major.minor) in an installation's main.xcd.
var setupVersion = regexp.MustCompile(`<prop oor:name="ooSetupVersion">\s*<value>([0-9]{1,4}\.[0-9]{1,4})</value>`)

// productVersion returns the major and minor version of the LibreOffice whose soffice is at
// path, as its installation's settings give it (share/registry/main.xcd beside program/), or
// "" where they cannot be read: conversions are then slower, not different.
func productVersion(path string) string {
	if p, err := exec.LookPath(path); err == nil {
		path = p
	}
	resolved, err := filepath.EvalSymlinks(path)
	if err != nil {
		return ""
	}
	data, err := os.ReadFile(filepath.Join(filepath.Dir(resolved), "..", "share", "registry", "main.xcd"))
	if err != nil {
		return ""
	}
	if m := setupVersion.FindSubmatch(data); m != nil {
		return string(m[1])
	}
	return ""
}

// Converter runs LibreOffice.
type Converter struct {
	path     string
	settings string // the profile's, profileSettings
	prlimit  string
	timeout  time.Duration
	slots    chan struct{}
	hide     []string
}

// Find returns a converter running the soffice program at path, or, with an empty path, the
// first soffice or libreoffice on the PATH. timeout zero means DefaultTimeout. The converter
// runs it under prlimit(1) (util-linux, on every Debian system) with fileSizeLimit; without
// prlimit on the PATH, without it (Limited reports which).
func Find(path string, timeout time.Duration) (*Converter, error) {
	if path == "" {
		for _, name := range []string{"soffice", "libreoffice"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
		if path == "" {
			return nil, fmt.Errorf("convert: %w: soffice is not on the PATH", ErrNoConverter)
		}
	} else if _, err := exec.LookPath(path); err != nil {
		return nil, fmt.Errorf("convert: %w: %v", ErrNoConverter, err)
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	prlimit, _ := exec.LookPath("prlimit")
	return &Converter{path: path, settings: profileSettings(productVersion(path)), prlimit: prlimit, timeout: timeout, slots: make(chan struct{}, DefaultParallel)}, nil
}

// Path is the program the converter runs.
func (c *Converter) Path() string { return c.path }

// Limited reports whether conversions run under a limit on the size of the files they write.
func (c *Converter) Limited() bool { return c.prlimit != "" }

// Isolated reports whether conversions run without a network (nonet.Available).
func (c *Converter) Isolated() bool { return nonet.Available() }

// Hide makes conversions unable to read the files and directories at paths (the office's
// data directory, with its keys, tokens and database): a LibreOffice that a hostile letter
// takes over could read whatever the server can, and write it into the PDF that members are
// shown. It is to be called before the first conversion. Where the system allows it
// (Confined), each conversion also runs with the rest of the file system read-only, but for
// its own directory.
func (c *Converter) Hide(paths ...string) { c.hide = append(c.hide, paths...) }

// Confined reports whether conversions run with the paths given to Hide hidden and a
// read-only file system (nonet.Confined).
func (c *Converter) Confined() bool { return nonet.Confined() }

// dirPrefix starts the names of the conversions' directories in the temporary directory
// ($TMPDIR, else /tmp), each held by its conversion (stage.New).
const dirPrefix = "chancery-convert-"

// RemoveStale removes the conversions' directories that no conversion holds, from the
// temporary directory: those of conversions killed with their server (kill -9, a power
// loss), with the letter and LibreOffice's temporary files in them. The directories of
// conversions running in other processes are held, and other users' are left alone. The
// server calls it at its start; under the shipped systemd unit (PrivateTmp=yes) systemd
// removes them too, with the service's private /tmp.
func (c *Converter) RemoveStale() error {
	if err := stage.RemoveStale(os.TempDir(), dirPrefix); err != nil {
		return fmt.Errorf("convert: remove the directories of killed conversions: %w", err)
	}
	return nil
}

// ToPDF converts data, a document of the given media type (one of Types), to PDF.
func (c *Converter) ToPDF(ctx context.Context, mediaType string, data []byte) ([]byte, error) {
	ext, ok := Types[mediaType]
	if !ok {
		return nil, fmt.Errorf("convert: unsupported media type %q", mediaType)
	}
	select {
	case c.slots <- struct{}{}:
		defer func() { <-c.slots }()
	case <-ctx.Done():
		return nil, fmt.Errorf("convert: %w", ctx.Err())
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	dir, release, err := stage.New(os.TempDir(), dirPrefix)
	if err != nil {
		return nil, fmt.Errorf("convert: %w", err)
	}
	defer release()
	in := filepath.Join(dir, textract.ConvertedName+ext)
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, fmt.Errorf("convert: %w", err)
	}
	outDir, profile := filepath.Join(dir, "out"), filepath.Join(dir, "profile")
	if err := os.MkdirAll(filepath.Join(profile, "user"), 0o700); err != nil {
		return nil, fmt.Errorf("convert: %w", err)
	}
	if err := os.WriteFile(filepath.Join(profile, "user", "registrymodifications.xcu"), []byte(c.settings), 0o600); err != nil {
		return nil, fmt.Errorf("convert: %w", err)
	}
	// The letter is opened through /proc/self/cwd, LibreOffice's working directory, the
	// conversion's: a field showing the file's name or path (ODT text:file-name, Word FILENAME)
	// shows textract.ConvertedDir and ConvertedName, which textract reads too, rather than the
	// server's temporary directory, different for each conversion.
	if runtime.GOOS == "linux" {
		in = textract.ConvertedDir + "/" + filepath.Base(in)
	}
	args := []string{c.path,
		"-env:UserInstallation=" + (&url.URL{Scheme: "file", Path: profile}).String(),
		"--headless", "--invisible", "--nologo", "--norestore", "--nolockcheck", "--nodefault",
		"--convert-to", "pdf:writer_pdf_Export", "--outdir", outDir, in}
	if c.prlimit != "" {
		args = append([]string{c.prlimit, "--fsize=" + strconv.FormatInt(fileSizeLimit, 10), "--"}, args...)
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = dir
	// LibreOffice starts helper processes: its own process group is killed as a whole.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// And without a network: the profile's settings forbid what LibreOffice is known to
	// fetch, the namespace whatever else an untrusted document makes it try. And, where the
	// system allows it, with the paths given to Hide hidden, and nowhere to write but dir.
	nonet.IsolateFiles(cmd, nonet.Files{Hide: c.hide, Writable: []string{dir}, Keep: nonet.ProgramDirs(c.path)})
	// And none of its processes outlives it, or the server.
	contain(cmd)
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	// LibreOffice's temporary files (parts of the letter among them) go in dir too: in the
	// shared /tmp, a conversion killed at its time limit left them there.
	cmd.Env = []string{"HOME=" + dir, "TMPDIR=" + dir, "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8", "SAL_USE_VCLPLUGIN=svp"}
	// The thread that starts LibreOffice is the parent its Pdeathsig watches (contain): it is
	// kept for the conversion, so that the runtime never ends it while LibreOffice runs.
	runtime.LockOSThread()
	out, err := cmd.CombinedOutput()
	runtime.UnlockOSThread()
	// Whatever happened, no helper outlives the conversion.
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("convert: %w: took more than %s", ErrConvert, c.timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("convert: %w: %v: %s", ErrConvert, err, strings.TrimSpace(string(out)))
	}
	// What LibreOffice left is read in the server's file system: not through a link it made
	// to a file it could not see itself, nor from a pipe or a device.
	if err := nonet.RemoveLinks(dir); err != nil {
		return nil, fmt.Errorf("convert: %w", err)
	}
	res := filepath.Join(outDir, "letter.pdf")
	st, err := os.Stat(res)
	if err != nil {
		return nil, fmt.Errorf("convert: %w: no PDF produced: %s", ErrConvert, strings.TrimSpace(string(out)))
	}
	if st.Size() > pdf.MaxBytes {
		return nil, fmt.Errorf("convert: %w: %w: %d bytes", ErrConvert, pdf.ErrTooLarge, st.Size())
	}
	doc, err := os.ReadFile(res)
	if err != nil {
		return nil, fmt.Errorf("convert: %w", err)
	}
	if _, err := pdf.Check(doc); err != nil {
		return nil, fmt.Errorf("convert: %w: %w", ErrConvert, err)
	}
	return doc, nil
}
