package i18n

// Messages shared by every interface.
var _ = table(func() Translations {
	return Translations{
		"Language": {"Langue", "اللغة"},
	}
})
