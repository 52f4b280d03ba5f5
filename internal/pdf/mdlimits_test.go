package pdf_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
)

// markdownBombs are Markdown sources nested far beyond any letter (issue 12, item 10: the
// first took 8.4 s to render, mostly in goldmark's parser, whose time grows with the square
// of the depth).
func markdownBombs() map[string][]byte {
	var indented bytes.Buffer
	for i := 0; i < 300; i++ { // 90 KB: nesting by indentation, one item a line
		indented.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	return map[string][]byte{
		"list":      append(bytes.Repeat([]byte("- "), 50000), 'a'),
		"ordered":   append(bytes.Repeat([]byte("1. "), 33000), 'a'),
		"quote":     append(bytes.Repeat([]byte("> "), 50000), 'a'),
		"mixed":     append(bytes.Repeat([]byte("> + "), 25000), 'a'),
		"indented":  indented.Bytes(),
		"tabs":      []byte(strings.Repeat("\t", 20) + "- x\n"),
		"in a list": []byte("- a\n\n  " + strings.Repeat("> ", 40) + "b\n"),
	}
}

func TestRenderRefusesDeepMarkdown(t *testing.T) {
	for name, src := range markdownBombs() {
		if err := pdf.CheckMarkdown(src); !errors.Is(err, pdf.ErrTooComplex) {
			t.Errorf("%s: CheckMarkdown = %v, want ErrTooComplex", name, err)
		}
		out, err := pdf.Render("text/markdown", src, head)
		if !errors.Is(err, pdf.ErrTooComplex) || out != nil {
			t.Errorf("%s: Render = %d bytes, %v; want ErrTooComplex", name, len(out), err)
		}
	}
}

// TestRenderRefusesDeepInlines covers nesting the line scan cannot see: emphasis inside
// emphasis, which only the parsed tree shows.
func TestRenderRefusesDeepInlines(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 100; i++ {
		b.WriteString("*a _b ")
	}
	b.WriteString("x")
	for i := 0; i < 100; i++ {
		b.WriteString(" c_ d*")
	}
	src := []byte(b.String())
	if err := pdf.CheckMarkdown(src); err != nil {
		t.Fatalf("the line scan refused inline nesting: %v", err)
	}
	if _, err := pdf.Render("text/markdown", src, head); !errors.Is(err, pdf.ErrTooComplex) {
		t.Errorf("Render = %v, want ErrTooComplex", err)
	}
}

// TestRenderAcceptsNestedLetters: what real letters do (nested lists and quotes a few levels
// deep, rules of many dashes, deeply indented code in a fence) still renders.
func TestRenderAcceptsNestedLetters(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Orders\n\n")
	for i := 0; i < 10; i++ {
		b.WriteString(strings.Repeat("  ", i) + "- level " + string(rune('0'+i)) + "\n")
	}
	b.WriteString("\n> > > > quoted four deep\n\n")
	b.WriteString(strings.Repeat("- ", 60) + "\n\n")
	b.WriteString(strings.Repeat("* ", 60) + "\n\n")
	b.WriteString("```\n" + strings.Repeat(" ", 120) + "- deep code\n```\n\n")
	b.WriteString("1. one\n2. two\n   1. two a\n      > note\n")
	src := []byte(b.String())
	if err := pdf.CheckMarkdown(src); err != nil {
		t.Fatal(err)
	}
	out, err := pdf.Render("text/markdown", src, head)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if err := pdf.CheckMarkdown(body(3)); err != nil {
		t.Errorf("the test letter: %v", err)
	}
}

func FuzzRenderMarkdown(f *testing.F) {
	for _, src := range markdownBombs() {
		f.Add(src)
	}
	f.Add(body(1))
	f.Add([]byte("- a\n  - b\n    > c\n"))
	f.Add([]byte("# مرحبا\n\nنص **عربي** مع English و 123.\n\n- 中文 *斜体*\n- नमस्ते `कोड`\r\n> שלום\r"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 && pdf.CheckMarkdown(src) == nil {
			return // keep each run small; big inputs are the seeds' business
		}
		_, err := pdf.Render("text/markdown", src, head)
		// A character the fonts cannot draw is refused; anything else must render.
		if err != nil && !errors.Is(err, pdf.ErrTooComplex) && !errors.Is(err, pdf.ErrUnsupportedChar) {
			t.Fatalf("Render: %v", err)
		}
	})
}
