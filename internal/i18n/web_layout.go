package i18n

// The frame of every web page: navigation and the skip link.
var _ = table(func() Translations {
	return Translations{
		"Skip to the content": {"Aller au contenu", "انتقل إلى المحتوى"},
		"Main":                {"Principal", "الرئيسية"},
		"Check a letter":      {"Vérifier une lettre", "التحقق من رسالة"},
		"Log":                 {"Journal", "السجل"},
		"Inbox":               {"À traiter", "الوارد"},
		"Members":             {"Membres", "الأعضاء"},
		"Letters":             {"Lettres", "الرسائل"},
		"Sign out %s":         {"Déconnecter %s", "تسجيل خروج %s"},
		"Sign in":             {"Se connecter", "تسجيل الدخول"},
	}
})
