package web

import (
	"html/template"
	"reflect"

	"github.com/chancery/chancery/internal/i18n"
)

// markup is the template function th: it translates a message whose text holds markup around
// some of its words (a link, an emphasis), so that a translation can move the markup with the
// words it belongs to, as word order requires. The catalogue's texts are the application's
// own and trusted; every argument is escaped before it is formatted into them, except
// numbers (which the printer writes in the page's digits) and template.HTML.
func markup(pr *i18n.Printer) func(key string, args ...any) template.HTML {
	return func(key string, args ...any) template.HTML {
		safe := make([]any, len(args))
		for i, a := range args {
			switch v := a.(type) {
			case template.HTML:
				safe[i] = string(v)
			case string:
				safe[i] = template.HTMLEscapeString(v)
			default:
				switch reflect.ValueOf(a).Kind() {
				case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
					reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
					reflect.Float32, reflect.Float64:
					safe[i] = a
				default:
					safe[i] = template.HTMLEscaper(a)
				}
			}
		}
		return template.HTML(pr.T(key, safe...))
	}
}
