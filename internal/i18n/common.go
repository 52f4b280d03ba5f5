package i18n

// Messages shared by every interface.
func init() {
	add(Translations{
		"Language": {"Langue", "اللغة"},
	})
}
