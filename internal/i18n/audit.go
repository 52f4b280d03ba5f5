package i18n

import "sync"

// auditActions say what the action of an audit event did, as a letter's audit trail shows
// it after the member's name ("alice approved the version"). The events keep their codes
// (letter.approve …), which the command line and the API print. The table is made on first
// use, not when the package is initialised (see messages).
var auditActions = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"letter.create":         "created the letter",
		"letter.revise":         "uploaded a new version",
		"letter.approve":        "approved the version",
		"letter.reject":         "rejected the version",
		"letter.sign":           "signed the version",
		"letter.release":        "released the letter",
		"letter.retraction":     "retracted the letter",
		"letter.supersession":   "superseded the letter",
		"letter.dispatch":       "dispatched the letter",
		"letter.dispatch-retry": "queued failed messages again",
		"letter.received":       "acknowledged receipt",
		"letter.erase":          "erased the content",
		"draft.export":          "sent a coordination copy",
		"dispatch.sent":         "delivered",
		"dispatch.failed":       "could not deliver",
	}
})

// Action says what the audit action code did, in p's language; an action the table does not
// know is shown as its code.
func (p *Printer) Action(code string) string {
	if en, ok := auditActions()[code]; ok {
		return p.Text(en)
	}
	return code
}

// The audit trail's actions.
var _ = table(func() Translations {
	return Translations{
		"created the letter":           {"a créé la lettre", "أنشأ الرسالة"},
		"uploaded a new version":       {"a déposé une nouvelle version", "رفع نسخة جديدة"},
		"approved the version":         {"a approuvé la version", "وافق على النسخة"},
		"rejected the version":         {"a rejeté la version", "رفض النسخة"},
		"signed the version":           {"a signé la version", "وقّع النسخة"},
		"released the letter":          {"a émis la lettre", "أصدر الرسالة"},
		"retracted the letter":         {"a annulé la lettre", "ألغى الرسالة"},
		"superseded the letter":        {"a remplacé la lettre", "استبدل الرسالة"},
		"dispatched the letter":        {"a expédié la lettre", "أرسل الرسالة"},
		"queued failed messages again": {"a remis en file les messages en échec", "أعاد إلى قائمة الإرسال الرسائل التي فشلت"},
		"acknowledged receipt":         {"a accusé réception", "أقرّ بالاستلام"},
		"erased the content":           {"a effacé le contenu", "محا المحتوى"},
		"sent a coordination copy":     {"a envoyé une copie de coordination", "أرسل نسخة تنسيق"},
		"delivered":                    {"a remis la lettre", "سلّم الرسالة"},
		"could not deliver":            {"n'a pas pu remettre la lettre", "تعذّر عليه تسليم الرسالة"},
	}
})
