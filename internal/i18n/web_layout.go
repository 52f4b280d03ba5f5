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

		// The title of a page that shows an error, which a screen reader reads first.
		"Error: %s": {"Erreur : %s", "خطأ: %s"},

		// The admins' banner when the PDF signing certificate ends within 30 days, or has.
		"The office's PDF signing certificate ends on %s: from then, releases are refused until it is renewed.": {
			"Le certificat de signature PDF du bureau expire le %s : dès lors, les émissions sont refusées jusqu'à son renouvellement.",
			"تنتهي صلاحية شهادة توقيع PDF الخاصة بالمكتب في %s: ومن ذلك الحين يُرفض الإصدار إلى أن تُجدَّد."},
		"The office's PDF signing certificate is not valid now (valid until %s): releases are refused until it is renewed.": {
			"Le certificat de signature PDF du bureau n'est pas valide à présent (valable jusqu'au %s) : les émissions sont refusées jusqu'à son renouvellement.",
			"شهادة توقيع PDF الخاصة بالمكتب غير صالحة الآن (صالحة حتى %s): يُرفض الإصدار إلى أن تُجدَّد."},
		"To renew it, run <code class=\"cmd\" dir=\"ltr\">%s</code> on the server's machine, then restart the server.": {
			"Pour le renouveler, exécutez <code class=\"cmd\" dir=\"ltr\">%s</code> sur la machine du serveur, puis redémarrez le serveur.",
			"لتجديدها، نفّذ <code class=\"cmd\" dir=\"ltr\">%s</code> على جهاز الخادم، ثم أعد تشغيل الخادم."},
	}
})
