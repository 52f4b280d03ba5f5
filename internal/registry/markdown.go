package registry

import "mime"

// isMarkdown reports whether a version of this media type is rendered from Markdown.
func isMarkdown(mediaType string) bool {
	mt, _, _ := mime.ParseMediaType(mediaType)
	return mt == "text/markdown" || mt == "text/x-markdown"
}
