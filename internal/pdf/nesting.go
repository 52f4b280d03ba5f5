package pdf

import "bytes"

// maxNesting is the deepest nesting of arrays and dictionaries Check accepts. Real documents
// stay under ten; hostile ones nest thousands deep to exhaust recursive parsers.
const maxNesting = 32

// nestingDepth returns the deepest nesting of arrays and dictionaries in the uncompressed
// object syntax of data, skipping stream data, strings and comments. It stops counting once
// past limit. (Objects inside compressed object streams are parsed by pdfcpu under its own
// recursion limit.)
func nestingDepth(data []byte, limit int) int {
	depth, deepest := 0, 0
	open := func() {
		depth++
		deepest = max(deepest, depth)
	}
	for i := 0; i < len(data) && deepest <= limit; i++ {
		switch c := data[i]; c {
		case '%':
			for i < len(data) && data[i] != '\n' && data[i] != '\r' {
				i++
			}
		case '(':
			i = skipString(data, i)
		case '[':
			open()
		case ']':
			depth = max(0, depth-1)
		case '<':
			if i+1 < len(data) && data[i+1] == '<' {
				open()
				i++
				continue
			}
			for i < len(data) && data[i] != '>' {
				i++
			}
		case '>':
			if i+1 < len(data) && data[i+1] == '>' {
				depth = max(0, depth-1)
				i++
			}
		case 's':
			if bytes.HasPrefix(data[i:], []byte("stream")) && (i == 0 || !isRegular(data[i-1])) &&
				(i+6 == len(data) || data[i+6] == '\r' || data[i+6] == '\n') {
				end := bytes.Index(data[i+6:], []byte("endstream"))
				if end < 0 {
					return deepest
				}
				i += 6 + end + len("endstream") - 1
			}
		}
	}
	return deepest
}

// skipString returns the index of the parenthesis closing the literal string opened at i.
func skipString(data []byte, i int) int {
	level := 0
	for ; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '(':
			level++
		case ')':
			level--
			if level == 0 {
				return i
			}
		}
	}
	return i
}

// isRegular reports whether c is neither white space nor a delimiter in PDF syntax.
func isRegular(c byte) bool {
	return !bytes.ContainsRune([]byte("\x00\t\n\f\r ()<>[]{}/%"), rune(c))
}
