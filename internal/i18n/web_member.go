package i18n

// The members' pages: the inbox, a letter's page (its release, decision, actions, versions,
// reviews, audit trail and dispatch), the search of letters, the members' administration and
// the recipients and webhooks, with the notices and errors their handlers show.
//
// The vocabulary is that of the public pages (web_public.go): a letter is émise / صادرة,
// annulée / ملغاة, remplacée / مستبدلة; a draft is a projet / مسودة; a version is a version /
// نسخة (never إصدار, which is also a release); the office is the service / الجهة. Members'
// words: approve approuver / الموافقة, sign signer / التوقيع, release émettre / إصدار, a
// coordination copy copie de coordination / نسخة تنسيق, addressees destinataires / المرسَل
// إليهم, a dispatch recipient destinataire / المستلِم, a token jeton / رمز الدخول.
var _ = table(func() Translations {
	return Translations{
		// The inbox.
		"Waiting for you":                          {"En attente de votre part", "بانتظارك"},
		"Nothing waits for you.":                   {"Rien n'attend votre intervention.", "لا شيء بانتظارك."},
		"Other letters in progress":                {"Autres lettres en cours", "رسائل أخرى قيد الإعداد"},
		"New letter":                               {"Nouvelle lettre", "رسالة جديدة"},
		"Class":                                    {"Catégorie", "التصنيف"},
		"Addressees":                               {"Destinataires", "المرسَل إليهم"},
		"(one a line)":                             {"(un par ligne)", "(واحد في كل سطر)"},
		"Tags":                                     {"Étiquettes", "الوسوم"},
		"(optional, comma-separated)":              {"(facultatif, séparées par des virgules)", "(اختياري، مفصولة بفواصل)"},
		"File":                                     {"Fichier", "الملف"},
		"Create the letter":                        {"Créer la lettre", "إنشاء الرسالة"},
		"Recently released":                        {"Émises récemment", "صدرت مؤخرًا"},
		"released %s":                              {"émise le %s", "صدرت في %s"},
		"%s · by %s · version %s, %s":              {"%s · par %s · version %s, %s", "%s · بواسطة %s · النسخة %s، %s"},
		"your approval":                            {"votre approbation", "موافقتك"},
		"your signature":                           {"votre signature", "توقيعك"},
		"ready for your release":                   {"prête pour votre émission", "جاهزة لإصدارك"},
		"yours, waiting for others":                {"la vôtre, en attente des autres", "رسالتك، بانتظار الآخرين"},
		"rejected":                                 {"rejetée", "مرفوضة"},
		"Still needs: %s":                          {"Il manque encore : %s", "لا يزال ينقصها: %s"},
		"The letter is created.":                   {"La lettre est créée.", "أُنشئت الرسالة."},
		"Your approval is recorded.":               {"Votre approbation est enregistrée.", "سُجّلت موافقتك."},
		"Your rejection is recorded.":              {"Votre rejet est enregistré.", "سُجّل رفضك."},
		"The letter is released and logged.":       {"La lettre est émise et inscrite au journal.", "صدرت الرسالة وقُيّدت في السجل."},
		"Your signature is recorded.":              {"Votre signature est enregistrée.", "سُجّل توقيعك."},
		"The recipient is added to the directory.": {"Le destinataire est ajouté à l'annuaire.", "أُضيف المستلِم إلى الدليل."},
		"The new version is uploaded. Earlier approvals and signatures no longer count.": {
			"La nouvelle version est déposée. Les approbations et signatures antérieures ne comptent plus.",
			"رُفعت النسخة الجديدة. لم تعد الموافقات والتوقيعات السابقة معتدًّا بها."},
		"The letter is queued for the recipients: the status below follows its delivery.": {
			"La lettre est en file d'attente pour les destinataires : l'état ci-dessous suit son acheminement.",
			"أُدرجت الرسالة في قائمة الإرسال إلى المستلِمين: تتابع الحالة أدناه تسليمها."},
		"The coordination copy is recorded and queued for the recipient.": {
			"La copie de coordination est enregistrée et en file d'attente pour le destinataire.",
			"سُجّلت نسخة التنسيق وأُدرجت في قائمة الإرسال إلى المستلِم."},

		// A letter's page.
		"Draft: not released":       {"Projet : non émis", "مسودة: لم تصدر"},
		"Released":                  {"Émise", "صادرة"},
		"Released, then retracted":  {"Émise, puis annulée", "صدرت ثم أُلغيت"},
		"Released, then superseded": {"Émise, puis remplacée", "صدرت ثم استُبدلت"},
		"Drafted by":                {"Rédigée par", "صاغها"},
		"Release":                   {"Émission", "الإصدار"},
		"Version %[1]s released by %[2]s on %[3]s, log entry <a href=\"/log/proof/inclusion?index=%[4]s\">%[4]s</a>.": {
			"Version %[1]s émise par %[2]s le %[3]s, inscription au journal <a href=\"/log/proof/inclusion?index=%[4]s\">%[4]s</a>.",
			"أصدر %[2]s النسخة %[1]s في %[3]s، القيد <a href=\"/log/proof/inclusion?index=%[4]s\">%[4]s</a> في السجل."},
		"Content erased at the office's request: this draft was restored from a backup taken before the letter was released and erased, and erased again; it can be neither revised nor released.": {
			"Contenu effacé à la demande du bureau : ce brouillon a été restauré d'une sauvegarde antérieure à l'émission et à l'effacement de la lettre, puis effacé de nouveau ; il ne peut plus être révisé ni émis.",
			"مُحي المحتوى بطلب من المكتب: استُعيدت هذه المسودة من نسخة احتياطية سابقة لإصدار الرسالة ومحوها، ثم مُحيت من جديد؛ فلا يمكن تنقيحها ولا إصدارها."},
		"Content erased at the office's request on %s: the subject, addressees, tags, files and reasons are gone; the log keeps the release's entry.": {
			"Contenu effacé à la demande du bureau le %s : l'objet, les destinataires, les étiquettes, les fichiers et les motifs ont disparu ; le journal garde l'inscription de l'émission.",
			"مُحي المحتوى بطلب من المكتب في %s: زال الموضوع والمرسل إليهم والوسوم والملفات والأسباب، ويحتفظ السجل بقيد الإصدار."},
		"Released file":                     {"Fichier émis", "الملف الصادر"},
		"seal":                              {"sceau", "الختم"},
		"what the public sees by reference": {"ce que le public voit par la référence", "ما يراه الجمهور بالرقم المرجعي"},
		"The released letter is confidential: the public page says only that it exists and stands. Its holders see it through the check code printed in its footer and QR code.": {
			"La lettre émise est confidentielle : la page publique dit seulement qu'elle existe et qu'elle est en vigueur. Ses détenteurs la voient grâce au code de vérification imprimé en pied de page et au code QR.",
			"الرسالة الصادرة سرّية: لا تذكر الصفحة العامة إلا أنها موجودة وسارية. ويطّلع عليها حائزوها برمز التحقق المطبوع في تذييلها وبرمز QR."},
		"Superseded by":               {"Remplacée par", "استُبدلت بالرسالة"},
		"By %s on %s (log entry %s):": {"Par %s le %s (inscription au journal %s) :", "بواسطة %s في %s (القيد %s في السجل):"},
		"Release decision":            {"Décision d'émission", "قرار الإصدار"},
		"Every requirement of the policy is met: a release officer can release it.": {
			"Toutes les exigences des règles sont remplies : un responsable de l'émission peut l'émettre.",
			"استُوفيت جميع متطلبات الضوابط: يمكن لمسؤول الإصدار إصدارها."},
		"Missing:":           {"Manquant :", "ناقص:"},
		"Met:":               {"Rempli :", "مستوفى:"},
		"by %s":              {"par %s", "بواسطة %s"},
		"Rules applied: %s":  {"Règles appliquées : %s", "الضوابط المطبّقة: %s"},
		"What you can do":    {"Ce que vous pouvez faire", "ما يمكنك فعله"},
		"Comment":            {"Commentaire", "تعليق"},
		"(optional)":         {"(facultatif)", "(اختياري)"},
		"Approve version %s": {"Approuver la version %s", "الموافقة على النسخة %s"},
		"Why reject?":        {"Pourquoi rejeter ?", "سبب الرفض؟"},
		"(required)":         {"(obligatoire)", "(إلزامي)"},
		"Reject version %s":  {"Rejeter la version %s", "رفض النسخة %s"},
		"Release version %s": {"Émettre la version %s", "إصدار النسخة %s"},
		"The gate checks the policy again; nothing is released unless every requirement is met.": {
			"Le contrôle vérifie à nouveau les règles ; rien n'est émis tant que toutes les exigences ne sont pas remplies.",
			"تُعاد مطابقة الضوابط عند الإصدار، ولا يصدر شيء ما لم تُستوفَ جميع المتطلبات."},
		"Create a signing key on this device": {"Créer une clé de signature sur cet appareil", "إنشاء مفتاح توقيع على هذا الجهاز"},
		"Sign version %s in this browser":     {"Signer la version %s dans ce navigateur", "توقيع النسخة %s في هذا المتصفح"},
		"To sign version %s, on your own computer with your key (it never reaches the server):": {
			"Pour signer la version %s, sur votre propre ordinateur avec votre clé (elle ne parvient jamais au serveur) :",
			"لتوقيع النسخة %s على حاسوبك بمفتاحك (لا يصل المفتاح إلى الخادم أبدًا):"},
		"To retract it, or to supersede it by a released letter, with your key:": {
			"Pour l'annuler, ou la remplacer par une lettre émise, avec votre clé :",
			"لإلغائها، أو لاستبدالها برسالة صادرة، بمفتاحك:"},
		"Upload a revision":               {"Déposer une révision", "رفع نسخة معدّلة"},
		"Upload version %s":               {"Déposer la version %s", "رفع النسخة %s"},
		"Export a coordination draft for": {"Exporter une copie de coordination pour", "تصدير نسخة تنسيق إلى"},
		"Liaison cell":                    {"Cellule de liaison", "خلية الاتصال"},
		"Download the draft":              {"Télécharger le projet", "تنزيل المسودة"},
		"The export is recorded; the copy will verify as a draft, never as a letter.": {
			"L'export est enregistré ; la copie sera vérifiée comme un projet, jamais comme une lettre.",
			"يُسجَّل التصدير، وتظهر النسخة عند التحقق مسودةً، لا رسالةً أبدًا."},
		"Preview the letter as it would be released": {"Aperçu de la lettre telle qu'elle serait émise", "معاينة الرسالة كما ستصدر"},
		"the exact PDF a release would publish now, marked DRAFT PREVIEW and recorded as a draft copy you took: it verifies as a draft": {
			"le PDF exact qu'une émission publierait maintenant, marqué APERÇU DE PROJET et enregistré comme une copie de projet prise par vous : il est vérifié comme un projet",
			"ملف PDF نفسه الذي سيُنشر لو صدرت الآن، موسوم بعبارة «معاينة مسودة» ومسجّل نسخةَ مسودة أخذتها أنت: يظهر عند التحقق مسودةً"},
		"Versions":                {"Versions", "النسخ"},
		"Digest":                  {"Empreinte", "البصمة"},
		"By":                      {"Par", "بواسطة"},
		"At":                      {"Le", "التاريخ"},
		"Copy":                    {"Copie", "نسخة"},
		"%d bytes":                {"%d octets", "%d بايت"},
		"download (marked DRAFT)": {"télécharger (marquée PROJET)", "تنزيل (موسومة بعبارة «مسودة»)"},
		"Each download is a copy marked DRAFT for you, recorded like any export: no version leaves unmarked.": {
			"Chaque téléchargement est une copie marquée PROJET à votre nom, enregistrée comme tout export : aucune version ne sort sans marque.",
			"كل تنزيل نسخة موسومة بعبارة «مسودة» باسمك، تُسجَّل كأي تصدير: لا تخرج أي نسخة دون وسم."},
		"Changes in version %s": {"Modifications de la version %s", "التغييرات في النسخة %s"},
		// Said by screen readers before a change of the difference between two versions,
		// which the eye tells by colour and line: the version that has the words, then the
		// one that has not.
		"[in version %s, not in version %s:": {"[dans la version %s, pas dans la version %s :", "[في النسخة %s، وليس في النسخة %s:"},
		"No text to compare: the text of one of these versions could not be read (for example, text shown or hidden by a condition); compare their previews.": {
			"Aucun texte à comparer : le texte de l'une de ces versions n'a pas pu être lu (par exemple, un texte affiché ou masqué selon une condition) ; comparez leurs aperçus.",
			"لا نص للمقارنة: تعذّرت قراءة نص إحدى هذه النسخ (مثلًا نص يظهر أو يُخفى بشرط)؛ قارن معاينتيهما."},
		"A PDF of these versions draws part of its text invisibly: the changes below may hold words its pages do not show, and miss words they show. Compare the versions' previews or copies before you decide.": {
			"Un PDF de ces versions dessine une partie de son texte de façon invisible : les modifications ci-dessous peuvent contenir des mots que ses pages ne montrent pas, et omettre des mots qu'elles montrent. Comparez les aperçus ou les copies des versions avant de décider.",
			"يرسم ملف PDF لإحدى هاتين النسختين جزءًا من نصه بشكل غير مرئي: قد تتضمن التغييرات أدناه كلمات لا تظهرها صفحاته، وقد تغفل كلمات تظهرها. قارن معاينات النسختين أو نسخهما قبل أن تقرر."},
		"This PDF draws part of its text invisibly: the text below may hold words its pages do not show, and miss words they show. Read the preview before you decide.": {
			"Ce PDF dessine une partie de son texte de façon invisible : le texte ci-dessous peut contenir des mots que ses pages ne montrent pas, et omettre des mots qu'elles montrent. Lisez l'aperçu avant de décider.",
			"يرسم ملف PDF هذا جزءًا من نصه بشكل غير مرئي: قد يتضمن النص أدناه كلمات لا تظهرها صفحاته، وقد يغفل كلمات تظهرها. اقرأ المعاينة قبل أن تقرر."},
		"A PDF of these versions draws part of its pages in forms or annotations, whose text the changes below do not hold. Compare the versions' previews or copies before you decide.": {
			"Un PDF de ces versions dessine une partie de ses pages dans des formulaires ou des annotations, dont les modifications ci-dessous ne contiennent pas le texte. Comparez les aperçus ou les copies des versions avant de décider.",
			"يرسم ملف PDF لإحدى هاتين النسختين جزءًا من صفحاته في نماذج أو تعليقات توضيحية، لا تتضمن التغييرات أدناه نصها. قارن معاينات النسختين أو نسخهما قبل أن تقرر."},
		"This PDF draws part of its pages in forms or annotations, whose text the text below does not hold. Read the preview before you decide.": {
			"Ce PDF dessine une partie de ses pages dans des formulaires ou des annotations, dont le texte ci-dessous ne contient pas le texte. Lisez l'aperçu avant de décider.",
			"يرسم ملف PDF هذا جزءًا من صفحاته في نماذج أو تعليقات توضيحية، لا يتضمن النص أدناه نصها. اقرأ المعاينة قبل أن تقرر."},
		"A PDF of these versions draws part of its text where it cannot be seen (in the colour of what lies under it, too small to read, or outside the page): the changes below may hold words its pages do not show. Compare the versions' previews or copies before you decide.": {
			"Un PDF de ces versions dessine une partie de son texte là où on ne peut pas la voir (dans la couleur de ce qui se trouve dessous, trop petite pour être lue, ou hors de la page) : les modifications ci-dessous peuvent contenir des mots que ses pages ne montrent pas. Comparez les aperçus ou les copies des versions avant de décider.",
			"يرسم ملف PDF لإحدى هاتين النسختين جزءًا من نصه حيث لا يمكن رؤيته (بلون ما تحته، أو بحجم أصغر من أن يُقرأ، أو خارج الصفحة): قد تتضمن التغييرات أدناه كلمات لا تظهرها صفحاته. قارن معاينات النسختين أو نسخهما قبل أن تقرر."},
		"The pages of this PDF are being read (OCR) to check that they show the text below: load this page again in a moment.": {
			"Les pages de ce PDF sont en cours de lecture (OCR) pour vérifier qu'elles montrent le texte ci-dessous : rechargez cette page dans un instant.",
			"تجري قراءة صفحات ملف PDF هذا (بالتعرّف الضوئي على الحروف) للتحقق من أنها تُظهر النص أدناه: أعد تحميل هذه الصفحة بعد لحظات.",
		},
		"The pages of this PDF could not be read (OCR) to check that they show the text below. Read the preview before you decide.": {
			"Les pages de ce PDF n'ont pas pu être lues (OCR) pour vérifier qu'elles montrent le texte ci-dessous. Lisez l'aperçu avant de décider.",
			"تعذّرت قراءة صفحات ملف PDF هذا (بالتعرّف الضوئي على الحروف) للتحقق من أنها تُظهر النص أدناه. اقرأ المعاينة قبل أن تقرّر.",
		},
		"The pages of this PDF are in letters this server's OCR does not read: they were not compared with the text below. Read the preview before you decide.": {
			"Les pages de ce PDF sont écrites dans des lettres que l'OCR de ce serveur ne lit pas : elles n'ont pas été comparées au texte ci-dessous. Lisez l'aperçu avant de décider.",
			"صفحات ملف PDF هذا مكتوبة بحروف لا يقرؤها التعرّف الضوئي على الحروف في هذا الخادم: لم تُقارَن بالنص أدناه. اقرأ المعاينة قبل أن تقرّر.",
		},
		"Read by OCR, the pages of this PDF do not show the text below: the words that differ are listed here. Read the preview before you decide.": {
			"Lues par OCR, les pages de ce PDF ne montrent pas le texte ci-dessous : les mots qui diffèrent sont listés ici. Lisez l'aperçu avant de décider.",
			"عند قراءتها بالتعرّف الضوئي على الحروف، لا تُظهر صفحات ملف PDF هذا النص أدناه: الكلمات المختلفة مدرجة هنا. اقرأ المعاينة قبل أن تقرّر.",
		},
		"In the text": {
			"Dans le texte",
			"في النص",
		},
		"On the pages": {
			"Sur les pages",
			"على الصفحات",
		},
		"Only the first %s pages of this PDF were read and compared with their text.": {
			"Seules les %s premières pages de ce PDF ont été lues et comparées à leur texte.",
			"لم تُقرأ من ملف PDF هذا وتُقارَن بنصها إلا الصفحات الـ%s الأولى.",
		},
		"More words differ than are listed.": {
			"D'autres mots diffèrent encore que ceux listés.",
			"تختلف كلمات أخرى غير المدرجة.",
		},
		"The letter converted from this file draws part of its text where it cannot be seen (in the colour of what lies under it, or too small to read): the text below may hold words the letter does not show. Read the preview before you decide.": {
			"La lettre convertie à partir de ce fichier dessine une partie de son texte là où on ne peut pas la voir (dans la couleur de ce qui se trouve dessous, ou trop petite pour être lue) : le texte ci-dessous peut contenir des mots que la lettre ne montre pas. Lisez l'aperçu avant de décider.",
			"ترسم الرسالة المحوَّلة من هذا الملف جزءًا من نصها حيث لا يمكن رؤيته (بلون ما تحته، أو بحجم أصغر من أن يُقرأ): قد يتضمن النص أدناه كلمات لا تظهرها الرسالة. اقرأ المعاينة قبل أن تقرر."},
		"The letter converted from one of these versions draws part of its text where it cannot be seen (in the colour of what lies under it, or too small to read): the changes below may hold words the letter does not show. Compare the versions' previews or copies before you decide.": {
			"La lettre convertie à partir de l'une de ces versions dessine une partie de son texte là où on ne peut pas la voir (dans la couleur de ce qui se trouve dessous, ou trop petite pour être lue) : les modifications ci-dessous peuvent contenir des mots que la lettre ne montre pas. Comparez les aperçus ou les copies des versions avant de décider.",
			"ترسم الرسالة المحوَّلة من إحدى هاتين النسختين جزءًا من نصها حيث لا يمكن رؤيته (بلون ما تحته، أو بحجم أصغر من أن يُقرأ): قد تتضمن التغييرات أدناه كلمات لا تظهرها الرسالة. قارن معاينات النسختين أو نسخهما قبل أن تقرر."},
		"This PDF draws part of its text where it cannot be seen (in the colour of what lies under it, too small to read, or outside the page): the text below may hold words its pages do not show. Read the preview before you decide.": {
			"Ce PDF dessine une partie de son texte là où on ne peut pas la voir (dans la couleur de ce qui se trouve dessous, trop petite pour être lue, ou hors de la page) : le texte ci-dessous peut contenir des mots que ses pages ne montrent pas. Lisez l'aperçu avant de décider.",
			"يرسم ملف PDF هذا جزءًا من نصه حيث لا يمكن رؤيته (بلون ما تحته، أو بحجم أصغر من أن يُقرأ، أو خارج الصفحة): قد يتضمن النص أدناه كلمات لا تظهرها صفحاته. اقرأ المعاينة قبل أن تقرر."},
		"No text to compare: these versions are not plain text or Markdown.": {
			"Aucun texte à comparer : ces versions ne sont ni du texte brut ni du Markdown.",
			"لا نص للمقارنة: هذه النسخ ليست نصًا عاديًا ولا Markdown."},
		"Text of version %s":                       {"Texte de la version %s", "نص النسخة %s"},
		"Approvals and signatures":                 {"Approbations et signatures", "الموافقات والتوقيعات"},
		"Approved by %s on %s":                     {"Approuvée par %s le %s", "وافق عليها %s في %s"},
		"Rejected by %s on %s":                     {"Rejetée par %s le %s", "رفضها %s في %s"},
		"Signed by %s (key <code>%s</code>) on %s": {"Signée par %s (clé <code>%s</code>) le %s", "وقّعها %s (المفتاح <code>%s</code>) في %s"},
		"an earlier version":                       {"une version antérieure", "نسخة سابقة"},
		"None yet.":                                {"Aucune pour l'instant.", "لا شيء بعد."},
		"Audit trail":                              {"Piste d'audit", "سجل التدقيق"},
		"Office audit trail":                       {"Piste d'audit de l'office", "سجل تدقيق المكتب"},
		"Changes to members, tokens, the policy, witnesses, recipients and webhook endpoints, newest first. A letter's own events are on its page.": {
			"Modifications des membres, des jetons, de la politique, des témoins, des destinataires et des webhooks, des plus récentes aux plus anciennes. Les événements d'une lettre sont sur sa page.",
			"التغييرات على الأعضاء والرموز والسياسة والشهود والمرسَل إليهم ونقاط الويب هوك، الأحدث أولًا. أحداث كل رسالة في صفحتها."},
		"Action":        {"Action", "الإجراء"},
		"Details":       {"Détails", "التفاصيل"},
		"Older events":  {"Événements plus anciens", "أحداث أقدم"},
		"No event yet.": {"Aucun événement pour l'instant.", "لا أحداث بعد."},

		// The browser's signing (sign.js), given to the script in data attributes.
		"This browser holds your signing key %s…; it never leaves this device.": {
			"Ce navigateur détient votre clé de signature %s… ; elle ne quitte jamais cet appareil.",
			"يحتفظ هذا المتصفح بمفتاح توقيعك %s…، ولا يغادر هذا الجهاز أبدًا."},
		"Creating a signing key on this device…": {"Création d'une clé de signature sur cet appareil…", "جارٍ إنشاء مفتاح توقيع على هذا الجهاز…"},
		"The key could not be created: %s":       {"La clé n'a pas pu être créée : %s", "تعذّر إنشاء المفتاح: %s"},
		"Not signed: %s":                         {"Non signée : %s", "لم يتم التوقيع: %s"},
		"this browser holds no key for you":      {"ce navigateur ne détient aucune clé à votre nom", "لا يحتفظ هذا المتصفح بأي مفتاح لك"},
		"The signing key this browser holds, %s…, is no longer in force: create a new one to sign here.": {
			"La clé de signature que détient ce navigateur, %s…, n'est plus en vigueur : créez-en une nouvelle pour signer ici.",
			"مفتاح التوقيع الذي يحتفظ به هذا المتصفح، %s…، لم يعد ساريًا: أنشئ مفتاحًا جديدًا للتوقيع هنا."},
		"To sign here, create a signing key on this device; it is registered with the office and logged.": {
			"Pour signer ici, créez une clé de signature sur cet appareil ; elle est enregistrée auprès du service et inscrite au journal.",
			"للتوقيع هنا، أنشئ مفتاح توقيع على هذا الجهاز، فيُسجَّل لدى الجهة ويُقيَّد في السجل."},

		// Dispatch, on a letter's page.
		"Dispatch and receipts": {"Envoi et accusés de réception", "الإرسال وإشعارات الاستلام"},
		"Recipient":             {"Destinataire", "المستلِم"},
		"Address":               {"Adresse", "العنوان"},
		"Status":                {"État", "الحالة"},
		"Attempts":              {"Tentatives", "المحاولات"},
		"Received":              {"Reçue", "الاستلام"},
		"Server's reply":        {"Réponse du serveur", "ردّ الخادم"},
		"version %s":            {"version %s", "النسخة %s"},
		"next try %s":           {"prochain essai le %s", "المحاولة التالية في %s"},
		"not yet":               {"pas encore", "ليس بعد"},
		"Nothing was sent about this letter yet.": {"Rien n'a encore été envoyé au sujet de cette lettre.", "لم يُرسَل شيء بشأن هذه الرسالة بعد."},
		"may have been delivered: its recipient is told of a withdrawal": {
			"a pu être remis : son destinataire est averti d'un retrait",
			"ربما سُلِّم: يُبلَّغ المرسَل إليه بأي سحب"},
		"Send the released letter, with its seal and a receipt link, to": {
			"Envoyer la lettre émise, avec son sceau et un lien d'accusé de réception, à",
			"إرسال الرسالة الصادرة، مع ختمها ورابط لإشعار الاستلام، إلى"},
		"Send": {"Envoyer", "إرسال"},
		"The recipients directory is empty: an admin adds recipients on the <a href=\"/admin/recipients\">recipients page</a>.": {
			"L'annuaire des destinataires est vide : un administrateur ajoute des destinataires sur la <a href=\"/admin/recipients\">page des destinataires</a>.",
			"دليل المستلِمين فارغ: يضيف المسؤول المستلِمين في <a href=\"/admin/recipients\">صفحة المستلِمين</a>."},
		"Mail a coordination copy (marked DRAFT for them, recorded) to": {
			"Envoyer par courriel une copie de coordination (marquée PROJET à son nom, enregistrée) à",
			"إرسال نسخة تنسيق بالبريد الإلكتروني (موسومة بعبارة «مسودة» باسمه، ومسجّلة) إلى"},
		"Mail the draft copy":    {"Envoyer la copie de projet", "إرسال نسخة المسودة"},
		"Send again what failed": {"Renvoyer ce qui a échoué", "إعادة إرسال ما فشل"},
		"Failed after the last attempt: send it again once the cause in the server's reply is mended, so that no one who holds the letter misses its withdrawal.": {
			"Échec après la dernière tentative : renvoyez-le une fois réparée la cause que donne la réponse du serveur, pour que personne qui détient la lettre ne manque son retrait.",
			"فشل بعد المحاولة الأخيرة: أعد إرساله بعد إصلاح السبب الوارد في ردّ الخادم، كي لا يفوت أحدًا ممّن يحوزون الرسالة خبرُ سحبها."},
		"What failed is queued again: the status below follows its delivery.": {
			"Ce qui avait échoué est de nouveau en file d'attente : l'état ci-dessous suit son acheminement.",
			"أُعيد إدراج ما فشل في قائمة الإرسال: تتابع الحالة أدناه تسليمه."},
		"letter":     {"lettre", "رسالة"},
		"draft copy": {"copie de projet", "نسخة مسودة"},
		"notice":     {"avis", "إشعار"},
		"queued":     {"en attente", "في قائمة الانتظار"},
		"sent":       {"envoyé", "أُرسل"},
		"deferred":   {"différé", "مؤجَّل"},
		"failed":     {"échec", "فشل"},

		// The search of letters.
		"Search": {"Rechercher", "بحث"},
		"(reference, subject, addressee, tag, or words of the letter)": {
			"(référence, objet, destinataire, étiquette ou mots de la lettre)",
			"(الرقم المرجعي أو الموضوع أو المرسَل إليه أو الوسم أو كلمات من الرسالة)"},
		"any":                        {"tous", "الكل"},
		"Letters found":              {"Lettres trouvées", "الرسائل التي عُثر عليها"},
		"Every letter, newest first": {"Toutes les lettres, des plus récentes aux plus anciennes", "جميع الرسائل، الأحدث أولًا"},
		"To":                         {"À", "إلى"},
		"Updated":                    {"Mise à jour", "آخر تحديث"},
		"content erased":             {"contenu effacé", "مُحي المضمون"},
		"Only the newest %d are shown: narrow the search.": {
			"Seules les %d plus récentes sont affichées : affinez la recherche.",
			"لا تُعرض إلا أحدث %d رسالة: ضيّق نطاق البحث."},
		"Older letters": {"Lettres plus anciennes", "رسائل أقدم"},
		"The search stopped after letter <bdi>%s</bdi> to answer in time: older letters have not been searched yet.": {
			"La recherche s’est arrêtée après la lettre <bdi>%s</bdi> pour répondre à temps : les lettres plus anciennes n’ont pas encore été examinées.",
			"توقّف البحث بعد الرسالة <bdi>%s</bdi> ليجيب في الوقت المناسب: لم تُفحص الرسائل الأقدم بعد."},
		"Search older letters":      {"Chercher dans les lettres plus anciennes", "ابحث في الرسائل الأقدم"},
		"No letter matches.":        {"Aucune lettre ne correspond.", "لا توجد رسالة مطابقة."},
		"draft":                     {"projet", "مسودة"},
		"released":                  {"émise", "صادرة"},
		"retracted":                 {"annulée", "ملغاة"},
		"superseded":                {"remplacée", "مستبدلة"},
		": “<bdi>%s</bdi>”":         {" : « <bdi>%s</bdi> »", ": «<bdi>%s</bdi>»"},
		"retracted: <bdi>%s</bdi>":  {"annulée : <bdi>%s</bdi>", "ملغاة: <bdi>%s</bdi>"},
		"superseded: <bdi>%s</bdi>": {"remplacée : <bdi>%s</bdi>", "مستبدلة: <bdi>%s</bdi>"},
		"found in the reference":    {"trouvé dans la référence", "وُجد في الرقم المرجعي"},
		"found in the subject":      {"trouvé dans l'objet", "وُجد في الموضوع"},
		"found in the addressee":    {"trouvé dans le destinataire", "وُجد في المرسَل إليه"},
		"found in the tag":          {"trouvé dans l'étiquette", "وُجد في الوسم"},
		"found in the text":         {"trouvé dans le texte", "وُجد في النص"},

		// The members' administration.
		"Token for %s": {"Jeton de %s", "رمز الدخول الخاص بـ %s"},
		"It is shown only this once: copy it now and hand it to %s, who sets it as <code>CHANCERY_TOKEN</code>. The registry keeps only its hash.": {
			"Il n'est affiché que cette fois : copiez-le maintenant et remettez-le à %s, qui le définit comme <code>CHANCERY_TOKEN</code>. Le registre n'en conserve que l'empreinte.",
			"لا يُعرض إلا هذه المرة: انسخه الآن وسلّمه إلى %s ليضبطه في <code>CHANCERY_TOKEN</code>. لا يحتفظ السجل إلا ببصمته."},
		"%s holds %s without reviewer or signer: only reviewers approve and only signers sign, so no approval or signature the policy asks of that role can be theirs. Give them reviewer (or signer) too.": {
			"%s a le rôle %s sans le rôle reviewer ni le rôle signer : seuls les membres ayant reviewer approuvent et seuls ceux ayant signer signent, si bien qu'aucune approbation ni signature que la politique demande à ce rôle ne peut venir de lui. Donnez-lui aussi reviewer (ou signer).",
			"يحمل %s الدور %s دون الدور reviewer أو الدور signer: فلا يوافق إلا من يحمل reviewer ولا يوقّع إلا من يحمل signer، فلا يمكن أن تُحتسب له موافقة أو توقيع تطلبه السياسة من هذا الدور. امنحه reviewer (أو signer) أيضًا."},
		"Roles are checked on every action. A member who loses a role loses the approvals they gave under it on letters not yet released. Disabling a member ends their token and sessions at once and revokes their signer keys in the log; what they did before stays valid.": {
			"Les rôles sont contrôlés à chaque action. Un membre qui perd un rôle perd les approbations qu'il a données à ce titre sur les lettres non encore émises. Désactiver un membre met fin immédiatement à son jeton et à ses sessions et révoque ses clés de signature dans le journal ; ce qu'il a fait auparavant reste valide.",
			"تُراجَع الأدوار عند كل إجراء. ومن يفقد دورًا من الأعضاء يفقد الموافقات التي منحها بموجبه على الرسائل التي لم تصدر بعد. ويؤدي تعطيل العضو إلى إنهاء رمز دخوله وجلساته فورًا وإلغاء مفاتيح توقيعه في السجل، ويبقى ما قام به سابقًا صحيحًا."},
		"These member names read alike: %s. They were added before such names were refused; pages, release statements, the log and the audit trail tell them apart by name alone: check who holds each.": {
			"Ces noms de membres se lisent de la même façon : %s. Ils ont été ajoutés avant que de tels noms soient refusés ; les pages, les déclarations d'émission, le journal et la piste d'audit ne les distinguent que par leur nom : vérifiez qui détient chacun.",
			"أسماء الأعضاء هذه تُقرأ متشابهة: %s. أُضيفت قبل أن تُرفض مثل هذه الأسماء، ولا تميّز بينها الصفحات وبيانات الإصدار والسجل وسجل التدقيق إلا بالاسم: تحقّق ممن يحمل كلًّا منها."},
		"These recipient names read alike: %s. They were added before such names were refused; letters are dispatched to recipients chosen by name: check each one's addresses before dispatching.": {
			"Ces noms de destinataires se lisent de la même façon : %s. Ils ont été ajoutés avant que de tels noms soient refusés ; les lettres sont expédiées aux destinataires choisis par leur nom : vérifiez les adresses de chacun avant d'expédier.",
			"أسماء المرسَل إليهم هذه تُقرأ متشابهة: %s. أُضيفت قبل أن تُرفض مثل هذه الأسماء، والرسائل تُرسَل إلى من يُختار باسمه: تحقّق من عناوين كلٍّ منهم قبل الإرسال."},
		"Member":                   {"Membre", "العضو"},
		"Roles":                    {"Rôles", "الأدوار"},
		"Signer keys":              {"Clés de signature", "مفاتيح التوقيع"},
		"Access":                   {"Accès", "الوصول"},
		"(you)":                    {"(vous)", "(أنت)"},
		"Roles of %s":              {"Rôles de %s", "أدوار %s"},
		"Save roles":               {"Enregistrer les rôles", "حفظ الأدوار"},
		"disabled":                 {"désactivé", "معطَّل"},
		"since %s":                 {"depuis le %s", "منذ %s"},
		"active":                   {"actif", "نشط"},
		"no password":              {"pas de mot de passe", "بلا كلمة مرور"},
		"revoked":                  {"révoquée", "ملغى"},
		"none":                     {"aucune", "لا يوجد"},
		"Enable, with a new token": {"Réactiver, avec un nouveau jeton", "تفعيل برمز دخول جديد"},
		"New token":                {"Nouveau jeton", "رمز دخول جديد"},
		"Your password":            {"Votre mot de passe", "كلمة المرور الخاصة بك"},
		"Your password is wrong: a new token needs it.": {"Votre mot de passe est incorrect : un nouveau jeton le demande.",
			"كلمة المرور الخاصة بك غير صحيحة: رمز الدخول الجديد يتطلبها."},
		"Disable": {"Désactiver", "تعطيل"},
		"Add members with <code class=\"cmd\">chancery member add NAME --role ROLE</code>; the same changes are <code class=\"cmd\">chancery member roles</code>, <code class=\"cmd\">disable</code>, <code class=\"cmd\">enable</code> and <code class=\"cmd\">token</code>.": {
			"Ajoutez des membres avec <code class=\"cmd\">chancery member add NAME --role ROLE</code> ; les mêmes modifications se font avec <code class=\"cmd\">chancery member roles</code>, <code class=\"cmd\">disable</code>, <code class=\"cmd\">enable</code> et <code class=\"cmd\">token</code>.",
			"أضف الأعضاء بالأمر <code class=\"cmd\">chancery member add NAME --role ROLE</code>، وتُجرى التعديلات نفسها بالأوامر <code class=\"cmd\">chancery member roles</code> و<code class=\"cmd\">disable</code> و<code class=\"cmd\">enable</code> و<code class=\"cmd\">token</code>."},
		"The roles are changed.": {"Les rôles sont modifiés.", "عُدّلت الأدوار."},
		"The member is disabled: their token and sessions no longer work, and their signer keys are revoked in the log.": {
			"Le membre est désactivé : son jeton et ses sessions ne fonctionnent plus, et ses clés de signature sont révoquées dans le journal.",
			"عُطّل العضو: لم يعد رمز دخوله ولا جلساته صالحة، وأُلغيت مفاتيح توقيعه في السجل."},
		"A new token is issued; the old one, the member's sessions and their password no longer work. Another member's signer keys are revoked: they register a new one.": {"Un nouveau jeton est délivré ; l'ancien, les sessions du membre et son mot de passe ne fonctionnent plus. Les clés de signature d'un autre membre que vous sont révoquées : il en enregistre une nouvelle.", "صدر رمز دخول جديد، ولم يعد القديم ولا جلسات العضو ولا كلمة مروره صالحة. وتُلغى مفاتيح التوقيع لعضو غيرك: يسجّل مفتاحًا جديدًا."},
		"The member is enabled again, with a new token; their password is removed.":                                                                                       {"Le membre est réactivé, avec un nouveau jeton ; son mot de passe est supprimé.", "أُعيد تفعيل العضو برمز دخول جديد، وحُذفت كلمة مروره."},
		"There is no such member.": {"Ce membre n'existe pas.", "لا يوجد عضو بهذا الاسم."},

		// Changes waiting for a second admin (two_admins).
		"Proposed as change %d: another admin approves it on this page.": {
			"Proposé comme modification %d : un autre administrateur l'approuve sur cette page.",
			"اقتُرح بوصفه التغيير %d: يوافق عليه مسؤول آخر في هذه الصفحة."},
		"Changes waiting for a second admin": {"Modifications en attente d'un second administrateur", "تغييرات بانتظار مسؤول ثانٍ"},
		"The policy file":                    {"Le fichier de la politique", "ملف السياسة"},
		"add witness %s (%s, key %s)":        {"ajouter le témoin %s (%s, clé %s)", "إضافة الشاهد %s (%s، المفتاح %s)"},
		"remove witness %s":                  {"retirer le témoin %s", "إزالة الشاهد %s"},
		"set the witness quorum to %d":       {"porter le quorum des témoins à %d", "جعل نصاب الشهود %d"},
		"The policy in force asks for two admins: adding a member, giving a role, a new token, enabling a member and adopting a policy are proposed by one admin and carried out when another approves them, within 7 days. A token the change makes is shown once, to the admin who approves it.": {
			"La politique en vigueur demande deux administrateurs : ajouter un membre, donner un rôle, un nouveau jeton, réactiver un membre et adopter une politique sont proposés par un administrateur et effectués quand un autre les approuve, dans les 7 jours. Un jeton créé par la modification est affiché une fois, à l'administrateur qui l'approuve.",
			"تشترط السياسة النافذة مسؤولَين: إضافة عضو ومنح دور وإصدار رمز دخول جديد وإعادة تفعيل عضو واعتماد سياسة يقترحها مسؤول وتُنفَّذ حين يوافق عليها مسؤول آخر خلال 7 أيام. ويُعرض رمز الدخول الذي ينشئه التغيير مرة واحدة للمسؤول الذي يوافق عليه."},
		"Change":                              {"Modification", "التغيير"},
		"What":                                {"Objet", "المضمون"},
		"Proposed by":                         {"Proposée par", "اقترحه"},
		"When":                                {"Date", "التاريخ"},
		"Decision":                            {"Décision", "القرار"},
		"Approve":                             {"Approuver", "موافقة"},
		"Refuse":                              {"Refuser", "رفض"},
		"Withdraw":                            {"Retirer", "سحب"},
		"No change waits for a second admin.": {"Aucune modification n'attend un second administrateur.", "لا يوجد تغيير بانتظار مسؤول ثانٍ."},
		"Recently decided":                    {"Décidées récemment", "قُرّرت مؤخرًا"},
		"proposed by %s":                      {"proposée par %s", "اقترحه %s"},
		"approved":                            {"approuvée", "مُوافَق عليه"},
		"refused":                             {"refusée", "مرفوض"},
		"by %s, %s":                           {"par %s, le %s", "بواسطة %s، في %s"},
		"add member %s (%s)":                  {"ajouter le membre %s (%s)", "إضافة العضو %s (%s)"},
		"give %s: %s":                         {"donner à %s : %s", "منح %s: %s"},
		"give %s: %s; take away: %s":          {"donner à %s : %s ; retirer : %s", "منح %s: %s؛ وسحب: %s"},
		"new token for %s":                    {"nouveau jeton pour %s", "رمز دخول جديد لـ %s"},
		"enable %s":                           {"réactiver %s", "إعادة تفعيل %s"},
		"adopt policy %s (%s)":                {"adopter la politique %s (%s)", "اعتماد السياسة %s (%s)"},
		"The change is approved and carried out.": {"La modification est approuvée et effectuée.", "وُوفق على التغيير ونُفّذ."},
		"The change is refused.":                  {"La modification est refusée.", "رُفض التغيير."},
		"The change is withdrawn.":                {"La modification est retirée.", "سُحب التغيير."},
		"The change is proposed: another admin approves it on this page.": {
			"La modification est proposée : un autre administrateur l'approuve sur cette page.",
			"اقتُرح التغيير: يوافق عليه مسؤول آخر في هذه الصفحة."},
		"There is no such change.": {"Cette modification n'existe pas.", "لا يوجد تغيير بهذا الرقم."},
		// A members page form posted again (a reload without JavaScript), refused.
		"this form was already sent: reload the members page to see what it did": {
			"Ce formulaire a déjà été envoyé : rechargez la page des membres pour voir ce qu'il a fait.",
			"سبق إرسال هذا النموذج: أعد تحميل صفحة الأعضاء لترى ما الذي فعله."},
		"Back to the members page": {"Retour à la page des membres", "العودة إلى صفحة الأعضاء"},
		// Under a token just given: the other pending new tokens for the member it refused.
		"Also refused, as superseded:":                 {"Aussi refusées, car remplacées par ce jeton :", "ورُفضت كذلك لأن هذا الرمز حلّ محلها:"},
		"change %d (new token for %s, proposed by %s)": {"modification %d (nouveau jeton pour %s, proposée par %s)", "التغيير %d (رمز دخول جديد لـ %s، اقترحه %s)"},
		"change %d (enable %s, proposed by %s)":        {"modification %d (réactiver %s, proposée par %s)", "التغيير %d (إعادة تفعيل %s، اقترحه %s)"},
		"Also refused, as superseded: %s":              {"Aussi refusées, car remplacées par ce changement de rôles : %s", "ورُفضت كذلك لأن تغيير الأدوار هذا حلّ محلها: %s"},
		"change %d (roles of %s: %s, proposed by %s)":  {"modification %d (rôles de %s : %s, proposée par %s)", "التغيير %d (أدوار %s: %s، اقترحه %s)"},
		// After disabling a member, or taking their admin role: the changes they had proposed.
		"Also refused, the member's own proposals still waiting:": {"Aussi refusées, les propositions de ce membre encore en attente :", "ورُفضت كذلك مقترحات هذا العضو التي كانت لا تزال معلّقة:"},
		"change %d":        {"modification %d", "التغيير %d"},
		", proposed by %s": {", proposée par %s", "، اقترحه %s"},

		// A change no member decided: the operator's 'chancery member recover' refused it.
		"by the operator (chancery member recover), %s": {"par l'opérateur (chancery member recover), le %s", "بواسطة المشغّل (chancery member recover)، في %s"},

		// Recipients and webhooks.
		"Recipients and webhooks": {"Destinataires et webhooks", "المستلِمون وخطافات الويب"},
		"Signing secret of %s":    {"Secret de signature de %s", "سرّ التوقيع الخاص بـ %s"},
		"It is shown only this once: give it to whoever runs the endpoint, to check the <code class=\"cmd\">webhook-signature</code> header (Standard Webhooks).": {
			"Il n'est affiché que cette fois : remettez-le à l'exploitant du point de terminaison, pour vérifier l'en-tête <code class=\"cmd\">webhook-signature</code> (Standard Webhooks).",
			"لا يُعرض إلا هذه المرة: سلّمه إلى من يدير نقطة الاستقبال ليتحقق به من الترويسة <code class=\"cmd\">webhook-signature</code> (وفق معيار Standard Webhooks)."},
		"Recipients":                          {"Destinataires", "المستلِمون"},
		"Organisation":                        {"Organisation", "الجهة التابع لها"},
		"Contact":                             {"Contact", "جهة الاتصال"},
		"Addresses":                           {"Adresses", "العناوين"},
		"Webhook":                             {"Webhook", "خطاف الويب"},
		"New addresses (separated by commas)": {"Nouvelles adresses (séparées par des virgules)", "العناوين الجديدة (تفصل بينها فواصل)"},
		"Set the addresses":                   {"Remplacer les adresses", "استبدال العناوين"},
		"Retire":                              {"Retirer", "سحب"},
		"New secret":                          {"Nouveau secret", "سرّ جديد"},
		"Remove":                              {"Supprimer", "حذف"},
		"The recipient's addresses are replaced: what was sent keeps the address it went to.": {
			"Les adresses du destinataire sont remplacées : ce qui a été envoyé garde l'adresse où il est allé.",
			"استُبدلت عناوين المستلِم: يحتفظ ما أُرسل بالعنوان الذي ذهب إليه."},
		"The recipient is retired from the directory: nothing is sent to them any more.": {
			"Le destinataire est retiré de l'annuaire : plus rien ne lui est envoyé.",
			"سُحب المستلِم من الدليل: لم يعد يُرسل إليه شيء."},
		"The endpoint's failed deliveries are queued again: the latest deliveries below follow them.": {
			"Les livraisons échouées du point de terminaison sont de nouveau en file : les dernières livraisons ci-dessous les suivent.",
			"أُعيدت عمليات التسليم الفاشلة لنقطة النهاية إلى قائمة الانتظار: تتابعها آخر عمليات التسليم أدناه."},
		"Post the failed again": {"Renvoyer les échecs", "إعادة إرسال ما فشل"},
		"The webhook endpoint is removed, with its deliveries.": {
			"Le point de terminaison du webhook est supprimé, avec ses livraisons.",
			"حُذفت نقطة نهاية الخطاف مع عمليات تسليمها."},
		"No recipients yet.":                          {"Aucun destinataire pour l'instant.", "لا يوجد مستلِمون بعد."},
		"Name (used by dispatch)":                     {"Nom (utilisé pour l'envoi)", "الاسم (يُستخدم في الإرسال)"},
		"Contact person":                              {"Personne à contacter", "الشخص المسؤول عن الاتصال"},
		"E-mail addresses (separated by commas)":      {"Adresses électroniques (séparées par des virgules)", "عناوين البريد الإلكتروني (مفصولة بفواصل)"},
		"Webhook endpoint (optional)":                 {"Point de terminaison webhook (facultatif)", "نقطة استقبال خطاف الويب (اختياري)"},
		"Add the recipient":                           {"Ajouter le destinataire", "إضافة المستلِم"},
		"Webhook endpoints":                           {"Points de terminaison webhook", "نقاط استقبال خطافات الويب"},
		"(recipient %s)":                              {"(destinataire %s)", "(المستلِم %s)"},
		"The previous secret still signs for (hours)": {"L'ancien secret signe encore pendant (heures)", "يبقى السرّ السابق يوقّع مدة (بالساعات)"},
		"(the previous secret signs too until %s)":    {"(l'ancien secret signe aussi jusqu'au %s)", "(يوقّع السرّ السابق أيضًا حتى %s)"},
		"(not the recipient's: an office endpoint, it hears every event; remove it and add the recipient's own)": {
			"(pas celui du destinataire : un point de terminaison du service, qui reçoit chaque événement ; supprimez-le et ajoutez celui du destinataire)",
			"(ليست نقطة المستلِم: نقطة استقبال خاصة بالجهة تتلقى كل حدث؛ احذفها وأضف نقطة المستلِم الخاصة به)"},
		"(retired recipient %s: it hears only about the letters sent to them before)": {
			"(destinataire retiré %s : il ne reçoit que ce qui concerne les lettres envoyées auparavant à ce destinataire)",
			"(المستلِم المسحوب من الدليل %s: لا تتلقى نقطة الاستقبال إلا ما يخص الرسائل التي أُرسلت إليه من قبل)"},
		"(plain http: not encrypted)": {"(http en clair : non chiffré)", "(http غير مشفَّر)"},
		"This endpoint's address is plain http://: what is posted to it (references, recipients' names, the reasons of withdrawals) crosses the network unencrypted, readable by whoever sees it. Give it an https:// address if the endpoint has one: remove it, then add it again.": {
			"L'adresse de ce point de terminaison est en http:// simple : ce qui lui est envoyé (références, noms des destinataires, motifs des retraits) traverse le réseau sans chiffrement, lisible par quiconque le voit passer. Donnez-lui une adresse https:// si le point de terminaison en a une : supprimez-le, puis ajoutez-le de nouveau.",
			"عنوان نقطة الاستقبال هذه http:// غير مشفَّر: ما يُرسل إليها (المراجع وأسماء المستلِمين وأسباب السحب) يعبر الشبكة دون تشفير، ويقرؤه كل من يراه. أعطها عنوان https:// إن كان لها واحد: احذفها ثم أضفها من جديد."},
		"URL of the office's endpoint (hears every event)": {
			"URL du point de terminaison du service (reçoit chaque événement)",
			"عنوان نقطة الاستقبال الخاصة بالجهة (تتلقى كل حدث)"},
		"Add the endpoint":  {"Ajouter le point de terminaison", "إضافة نقطة الاستقبال"},
		"Latest deliveries": {"Dernières livraisons", "آخر عمليات التسليم"},
		"Time":              {"Heure", "الوقت"},
		"Endpoint":          {"Point de terminaison", "نقطة الاستقبال"},
		"Event":             {"Événement", "الحدث"},
		"Reply":             {"Réponse", "الرد"},

		// Refusals of forms, shown on the page.
		"bad request: the form could not be read": {"requête incorrecte : le formulaire n'a pas pu être lu", "طلب غير صحيح: تعذّرت قراءة النموذج"},
		"bad request: expected a multipart form":  {"requête incorrecte : un formulaire multipart était attendu", "طلب غير صحيح: كان المتوقع نموذجًا متعدد الأجزاء"},
		"bad request: more than one file":         {"requête incorrecte : plus d'un fichier", "طلب غير صحيح: أكثر من ملف واحد"},
		"bad request: too many fields":            {"requête incorrecte : trop de champs", "طلب غير صحيح: عدد الحقول كبير جدًا"},
		"invalid request: choose a file":          {"requête non valide : choisissez un fichier", "طلب غير صالح: اختر ملفًا"},
		"bad request: the statement and signature must be base64": {
			"requête incorrecte : la déclaration et la signature doivent être en base64",
			"طلب غير صحيح: يجب أن يكون البيان والتوقيع بترميز base64"},
		"bad request: the form gives the field %q %d times: send it again from its page": {
			"requête incorrecte : le formulaire donne le champ %q %d fois : envoyez-le de nouveau depuis sa page",
			"طلب غير صحيح: يذكر النموذج الحقل %q %d مرات: أرسله من جديد من صفحته"},
		"bad request: the form's fields hold more than %d bytes": {
			"requête incorrecte : les champs du formulaire dépassent %d octets",
			"طلب غير صحيح: تتجاوز حقول النموذج %d بايت"},
		"bad request: the form has a field %q, which it does not take": {
			"requête incorrecte : le formulaire a un champ %q, qu'il ne prend pas",
			"طلب غير صحيح: في النموذج حقل %q لا يقبله"},

		// The title of the verify page a member gets for a draft's reference (the public's is
		// "Unknown to this registry").
		"An unreleased draft: not an official document": {
			"Un projet non émis : pas un document officiel",
			"مسودة لم تصدر: ليست وثيقة رسمية"},
	}
})
