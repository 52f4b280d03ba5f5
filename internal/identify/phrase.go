package identify

import "unicode/utf8"

// HasPhrase reports whether the words of text hold, one after the other, the words of one of
// phrases. Words are compared as fingerprints compare them: normalized (Normalize: case,
// punctuation and dashes do not count) and folded as OCR confuses letters (accents, "0" and
// "o", "1" and "l", "rn" and "m"); a word of four letters or more also matches with one letter
// misread, added or lost, as OCR reads a stamp on a scan. Every word of the phrase must be
// there, in its order and with nothing between: a text that has the words apart, or a part of
// the phrase, does not hold it.
func HasPhrase(text string, phrases ...string) bool {
	var want [][]string
	for _, p := range phrases {
		var ws []string
		eachWord(p, func(w string) { ws = append(ws, skeleton(w)) })
		if len(ws) > 0 {
			want = append(want, ws)
		}
	}
	if len(want) == 0 {
		return false
	}
	// The last words of the text, as many as the longest phrase has, in a ring.
	longest := 0
	for _, ws := range want {
		longest = max(longest, len(ws))
	}
	ring, n, found := make([]string, longest), 0, false
	eachWord(text, func(w string) {
		if found {
			return
		}
		ring[n%longest] = skeleton(w)
		n++
		for _, ws := range want {
			if n >= len(ws) && endsWith(ring, n, ws) {
				found = true
				return
			}
		}
	})
	return found
}

// endsWith reports whether the last len(ws) of the n words written to ring are ws.
func endsWith(ring []string, n int, ws []string) bool {
	for i := len(ws) - 1; i >= 0; i-- { // the word just read first
		if !closeWord(ring[(n-len(ws)+i)%len(ring)], ws[i]) {
			return false
		}
	}
	return true
}

// closeWord reports whether the text's word got reads as the phrase's word want: the same,
// or, for a word of four letters or more, one letter misread, added or lost. It allocates
// nothing: it is asked of every word of the text.
func closeWord(got, want string) bool {
	if got == want {
		return true
	}
	n, m := utf8.RuneCountInString(got), utf8.RuneCountInString(want)
	if m < 4 || n < m-1 || n > m+1 {
		return false
	}
	a, b := got, want // from their first letter that differs
	for a != "" && b != "" {
		ra, sa := utf8.DecodeRuneInString(a)
		rb, sb := utf8.DecodeRuneInString(b)
		if ra != rb {
			break
		}
		a, b = a[sa:], b[sb:]
	}
	_, sa := utf8.DecodeRuneInString(a)
	_, sb := utf8.DecodeRuneInString(b)
	switch {
	case n == m:
		return a[sa:] == b[sb:] // one letter misread
	case n > m:
		return a[sa:] == b // one letter added
	}
	return a == b[sb:] // one letter lost
}
