package i18n

// The public web pages: the landing page, the verify pages and their answers, the
// identification of pasted text, the log page, the sign-in form, the receipt page, and the
// error pages with the handlers' messages (titles, errors) that render translates.
//
// Vocabulary, kept the same everywhere: a letter is émise / صادرة (released), annulée / ملغاة
// (retracted), remplacée / مستبدلة (superseded), retirée / مسحوبة (withdrawn, either way); a
// draft is a projet / مسودة; the office is the service / الجهة; a reference is a référence /
// الرقم المرجعي; a fingerprint is an empreinte / بصمة; the seal is the sceau / الختم; the log
// is the journal de transparence / سجل الشفافية. Arabic sentences name the office through
// "صدرت عن" or a passive with "من قِبل", since an office's name says nothing of its gender.
var _ = table(func() Translations {
	return Translations{
		// Landing page.
		"The registry of official letters": {"Le registre des lettres officielles", "سجل المراسلات الرسمية"},
		"Every letter of this office is released through a policy gate and written to a public, append-only log. Anyone can check whether a letter is genuine, retracted, or only a draft.": {
			"Chaque lettre de ce service est émise après un contrôle de conformité aux règles et inscrite dans un journal public, où l'on ne peut qu'ajouter. Chacun peut vérifier si une lettre est authentique, annulée, ou un simple projet.",
			"تصدر كل رسالة من هذه الجهة بعد التحقق من استيفائها للضوابط المعتمدة، وتُقيَّد في سجل علني لا يقبل إلا الإضافة. ويحق لأي شخص التحقق مما إذا كانت الرسالة أصلية أو ملغاة أو مجرد مسودة."},
		"Were you handed a letter? Choose the file, or type its reference. The file stays on your device.": {
			"Vous avez reçu une lettre ? Choisissez le fichier, ou saisissez sa référence. Le fichier reste sur votre appareil.",
			"هل تسلّمت رسالة؟ اختر ملفها أو أدخل رقمها المرجعي. يبقى الملف على جهازك."},
		"The transparency log": {"Le journal de transparence", "سجل الشفافية"},
		"The latest signed checkpoint, the recent entries, and how to audit the log yourself.": {
			"Le dernier point de contrôle signé, les inscriptions récentes, et la manière d'auditer le journal vous-même.",
			"آخر نقطة تحقق موقّعة، وأحدث القيود، وكيفية تدقيق السجل بنفسك."},
		"Your inbox": {"Vos lettres à traiter", "بريدك الوارد"},
		"For members of the office: letters waiting for your approval, signature or release.": {
			"Pour les membres du service : les lettres qui attendent votre approbation, votre signature ou leur émission.",
			"لأعضاء الجهة: الرسائل التي تنتظر موافقتك أو توقيعك أو إصدارها."},

		// The verify page.
		"Find out whether a letter was really released by %s, or is a draft, retracted, or unknown.": {
			"Vérifiez si une lettre a réellement été émise par %s, ou s'il s'agit d'un projet, d'une lettre annulée ou inconnue.",
			"تحقّق مما إذا كانت الرسالة قد صدرت فعلًا عن %s، أو أنها مسودة أو ملغاة أو غير معروفة."},
		"Find out whether a letter was really released by this office, or is a draft, retracted, or unknown.": {
			"Vérifiez si une lettre a réellement été émise par ce service, ou s'il s'agit d'un projet, d'une lettre annulée ou inconnue.",
			"تحقّق مما إذا كانت الرسالة قد صدرت فعلًا عن هذه الجهة، أو أنها مسودة أو ملغاة أو غير معروفة."},
		"With the file":                       {"Avec le fichier", "بواسطة الملف"},
		"Your file never leaves your device.": {"Votre fichier ne quitte jamais votre appareil.", "لا يغادر ملفك جهازك أبدًا."},
		"Your browser computes its fingerprint (SHA-256) and sends only that.": {
			"Votre navigateur en calcule l'empreinte (SHA-256) et n'envoie que celle-ci.",
			"يحسب متصفحك بصمته الرقمية (SHA-256) ولا يرسل سواها."},
		"Choose the letter's file, or drop it here": {"Choisissez le fichier de la lettre, ou déposez-le ici", "اختر ملف الرسالة، أو اسحبه وأفلته هنا"},
		"Choose a file": {"Choisir un fichier", "اختيار ملف"},
		"Computing the fingerprint of %s on this device…": {"Calcul de l'empreinte de %s sur cet appareil…", "جارٍ حساب بصمة %s على هذا الجهاز…"},
		"This file could not be read.":                    {"Ce fichier n'a pas pu être lu.", "تعذّرت قراءة هذا الملف."},
		"This is a seal file, not a letter: choose the letter's own file. A seal is checked offline, beside its letter, with chancery verify --offline.": {
			"C'est un fichier de sceau, pas une lettre : choisissez le fichier de la lettre elle-même. Un sceau se vérifie hors ligne, à côté de sa lettre, avec chancery verify --offline.",
			"هذا ملف ختم وليس رسالة: اختر ملف الرسالة نفسها. يُتحقَّق من الختم دون اتصال بالشبكة، إلى جانب رسالته، باستخدام chancery verify --offline."},
		// The pasted line of a tool that computed the fingerprint of a seal file (FILE.seal).
		"This is the fingerprint of a seal file, not of a letter: compute the fingerprint of the letter's own file. A seal is checked offline, beside its letter, with chancery verify --offline.": {
			"C'est l'empreinte d'un fichier de sceau, pas celle d'une lettre : calculez l'empreinte du fichier de la lettre elle-même. Un sceau se vérifie hors ligne, à côté de sa lettre, avec chancery verify --offline.",
			"هذه بصمة ملف ختم وليست بصمة رسالة: احسب بصمة ملف الرسالة نفسها. يُتحقَّق من الختم دون اتصال بالشبكة، إلى جانب رسالته، باستخدام chancery verify --offline."},
		"Computing the fingerprint needs JavaScript. Without it, compute it yourself and paste it below: <code class=\"cmd\">sha256sum FILE</code> on Linux, <code class=\"cmd\">shasum -a 256 FILE</code> on macOS, <code class=\"cmd\">Get-FileHash FILE</code> in Windows PowerShell.": {
			"Le calcul de l'empreinte nécessite JavaScript. À défaut, calculez-la vous-même et collez-la ci-dessous : <code class=\"cmd\">sha256sum FILE</code> sous Linux, <code class=\"cmd\">shasum -a 256 FILE</code> sous macOS, <code class=\"cmd\">Get-FileHash FILE</code> dans Windows PowerShell.",
			"يتطلب حساب البصمة تفعيل JavaScript. فإن تعذّر ذلك، فاحسبها بنفسك والصقها أدناه: <code class=\"cmd\">sha256sum FILE</code> في Linux، و<code class=\"cmd\">shasum -a 256 FILE</code> في macOS، و<code class=\"cmd\">Get-FileHash FILE</code> في Windows PowerShell."},
		"With its reference or fingerprint":             {"Avec sa référence ou son empreinte", "بواسطة رقمها المرجعي أو بصمتها"},
		"Reference (such as %s) or SHA-256 fingerprint": {"Référence (par exemple %s) ou empreinte SHA-256", "الرقم المرجعي (مثل %s) أو بصمة SHA-256"},
		"Check": {"Vérifier", "تحقّق"},
		"A printed letter has a QR code: scanning it opens this check for its reference.": {
			"Une lettre imprimée porte un code QR : le scanner ouvre cette vérification pour sa référence.",
			"تحمل الرسالة المطبوعة رمز QR، ويؤدي مسحه إلى فتح صفحة التحقق هذه برقمها المرجعي."},
		"With the text": {"Avec le texte", "بواسطة النص"},
		"A letter seen in a photo, an article or an e-mail is rarely the original file. Paste its text, or a paragraph of %d words or more, to find which letter it comes from and what differs.": {
			"Une lettre vue sur une photo, dans un article ou un courriel est rarement le fichier d'origine. Collez son texte, ou un paragraphe d'au moins %d mots, pour savoir de quelle lettre il provient et ce qui en diffère.",
			"نادرًا ما تكون الرسالة المتداولة في صورة أو مقال أو بريد إلكتروني هي الملف الأصلي. الصق نصها، أو فقرة منها لا تقل عن %d كلمة، لمعرفة الرسالة التي أُخذ منها وما يختلف عنها."},
		"Text of the letter": {"Texte de la lettre", "نص الرسالة"},
		"Identify the text":  {"Identifier le texte", "تحديد مصدر النص"},
		"That is neither a reference (such as TFN-2020-000001) nor a SHA-256 digest (64 hexadecimal digits).": {
			"Ce n'est ni une référence (par exemple TFN-2020-000001) ni une empreinte SHA-256 (64 chiffres hexadécimaux).",
			"ما أُدخل ليس رقمًا مرجعيًا (مثل TFN-2020-000001) ولا بصمة SHA-256 (64 رقمًا ستّ عشريًا)."},

		// The answer for a reference alone.
		"A letter with this reference exists": {"Une lettre porte cette référence", "توجد رسالة بهذا الرقم المرجعي"},
		"%s released a letter with the reference %s, and it has not been withdrawn.": {
			"%s a émis une lettre portant la référence %s, et elle n'a pas été retirée.",
			"صدرت عن %s رسالة تحمل الرقم المرجعي %s، ولم تُسحب."},
		"This does not say that the letter in your hands is that letter.": {
			"Cela ne dit pas que la lettre que vous avez en main est cette lettre.",
			"لا يعني ذلك أن الرسالة التي بين يديك هي تلك الرسالة."},
		"A reference can be copied onto a forgery. Check the letter itself: scan its QR code or type the check code printed in its footer below, drop its file, or paste its text on the <a href=\"/verify\">verify page</a>.": {
			"Une référence peut être recopiée sur un faux. Vérifiez la lettre elle-même : scannez son code QR ou saisissez ci-dessous le code de vérification imprimé en pied de page, déposez son fichier, ou collez son texte sur la <a href=\"/verify\">page de vérification</a>.",
			"فقد يُنسخ الرقم المرجعي على رسالة مزوّرة. تحقّق من الرسالة نفسها: امسح رمز QR الخاص بها أو أدخل أدناه رمز التحقق المطبوع في تذييلها، أو أفلت ملفها، أو الصق نصها في <a href=\"/verify\">صفحة التحقق</a>."},
		"Withdrawn": {"Retirée", "مسحوبة"},
		"%s released a letter with the reference %s, then <strong>withdrew</strong> it (retracted). Do not rely on it.": {
			"%s a émis une lettre portant la référence %s, puis l'a <strong>retirée</strong> (annulée). Ne vous y fiez pas.",
			"صدرت عن %s رسالة تحمل الرقم المرجعي %s، ثم <strong>سُحبت</strong> (أُلغيت). لا تعتمد عليها."},
		"%s released a letter with the reference %s, then <strong>withdrew</strong> it (superseded). Do not rely on it.": {
			"%s a émis une lettre portant la référence %s, puis l'a <strong>retirée</strong> (remplacée). Ne vous y fiez pas.",
			"صدرت عن %s رسالة تحمل الرقم المرجعي %s، ثم <strong>سُحبت</strong> (استُبدلت بغيرها). لا تعتمد عليها."},
		"The holder of the letter sees the signed reason by checking the letter itself: its QR code or check code, its file, or its text.": {
			"Le détenteur de la lettre en voit le motif signé en vérifiant la lettre elle-même : son code QR ou son code de vérification, son fichier, ou son texte.",
			"يطّلع حائز الرسالة على السبب الموقّع بالتحقق من الرسالة نفسها: برمز QR أو رمز التحقق، أو بملفها، أو بنصها."},
		"Unknown to this registry": {"Inconnue de ce registre", "غير معروفة في هذا السجل"},
		"%s has no released letter with this reference. It may be altered, forged, a draft that was never released, or from another office.": {
			"%s n'a émis aucune lettre portant cette référence. Elle est peut-être altérée, falsifiée, un projet jamais émis, ou d'un autre service.",
			"لا توجد لدى %s رسالة صادرة بهذا الرقم المرجعي. وقد تكون محرَّفة أو مزوّرة أو مسودة لم تصدر قط أو صادرة عن جهة أخرى."},
		"Check code printed in the letter's footer": {"Code de vérification imprimé en pied de page de la lettre", "رمز التحقق المطبوع في تذييل الرسالة"},
		"%d letters and digits":                     {"%d lettres et chiffres", "%d حرفًا ورقمًا"},

		// The answer for the letter itself (its file, its check code).
		"Released and valid": {"Émise et valide", "صادرة وسارية"},
		"This letter was released by %s and has not been retracted.": {
			"Cette lettre a été émise par %s et n'a pas été annulée.",
			"صدرت هذه الرسالة عن %s ولم تُلغَ."},
		"Its content was erased at the office's request: the release stands in the log, but what it said can no longer be shown.": {
			"Son contenu a été effacé à la demande du service : l'émission demeure inscrite au journal, mais ce qu'elle disait ne peut plus être montré.",
			"مُحي مضمونها بناءً على طلب الجهة: يبقى قيد إصدارها قائمًا في السجل، غير أنه لم يعد بالإمكان عرض ما ورد فيها."},
		"Retracted": {"Annulée", "ملغاة"},
		"This letter was released by %s, then <strong>retracted</strong>. Do not rely on it.": {
			"Cette lettre a été émise par %s, puis <strong>annulée</strong>. Ne vous y fiez pas.",
			"صدرت هذه الرسالة عن %s، ثم <strong>أُلغيت</strong>. لا تعتمد عليها."},
		"Reason given, signed and logged: “<bdi>%s</bdi>”": {
			"Motif indiqué, signé et inscrit au journal : « <bdi>%s</bdi> »",
			"السبب المعلن، موقّعًا ومقيّدًا في السجل: «<bdi>%s</bdi>»"},
		"Superseded": {"Remplacée", "مستبدلة"},
		"This letter was released by %s, then <strong>replaced</strong> by %s. Ask the office for the new letter.": {
			"Cette lettre a été émise par %s, puis <strong>remplacée</strong> par %s. Demandez la nouvelle lettre au service.",
			"صدرت هذه الرسالة عن %s، ثم <strong>استُبدلت</strong> بالرسالة %s. اطلب الرسالة الجديدة من الجهة المُصدِرة."},
		"This letter was released by %s, then <strong>replaced</strong>. Ask the office for the new letter.": {
			"Cette lettre a été émise par %s, puis <strong>remplacée</strong>. Demandez la nouvelle lettre au service.",
			"صدرت هذه الرسالة عن %s، ثم <strong>استُبدلت</strong>. اطلب الرسالة الجديدة من الجهة المُصدِرة."},
		"NOT AN OFFICIAL DOCUMENT": {"DOCUMENT NON OFFICIEL", "ليست وثيقة رسمية"},
		"This address is printed on the <strong>draft previews</strong> of %s: a paper whose QR code leads here is a preview made before a release, marked DRAFT PREVIEW. It commits the office to nothing, whatever became of the letter since.": {
			"Cette adresse est imprimée sur les <strong>aperçus de projet</strong> de %s : un papier dont le code QR mène ici est un aperçu fait avant une émission, marqué APERÇU DE PROJET. Il n'engage en rien le service, quoi qu'il soit advenu de la lettre depuis.",
			"هذا العنوان مطبوع على <strong>معاينات المسودات</strong> لدى %s: الورقة التي يقود رمز QR فيها إلى هنا معاينة أُعدّت قبل الإصدار، وعليها علامة معاينة مسودة. لا تُلزم الجهة بشيء، أيًّا كان مصير الرسالة بعد ذلك."},
		"A released letter's QR code carries its own check code, not this one.": {
			"Le code QR d'une lettre émise porte son propre code de contrôle, pas celui-ci.",
			"رمز QR في الرسالة الصادرة يحمل رمز التحقق الخاص بها، لا هذا الرمز."},
		"Not an official document": {"Document non officiel", "ليست وثيقة رسمية"},
		"This file is that draft with changes appended to it, which may hide its DRAFT marks.": {
			"Ce fichier est ce projet auquel des modifications ont été ajoutées, qui peuvent en cacher les marques PROJET.",
			"هذا الملف هو تلك المسودة وقد أُلحقت بها تعديلات قد تخفي علامات المسودة."},
		// Said of the file only: a draft's file or copy may hold the text of a version the
		// office released since, which does commit it.
		"This file is a <strong>draft</strong> of %s, not a letter the office released: the file commits the office to nothing.": {
			"Ce fichier est un <strong>projet</strong> de %s, et non une lettre émise par le service : ce fichier n'engage en rien le service.",
			"هذا الملف <strong>مسودة</strong> لدى %s، وليس رسالة أصدرتها الجهة: هذا الملف لا يُلزم الجهة بشيء."},
		"%s has no released letter with this reference. It may be altered, forged, or from another office.": {
			"%s n'a émis aucune lettre portant cette référence. Elle est peut-être altérée, falsifiée, ou d'un autre service.",
			"لا توجد لدى %s رسالة صادرة بهذا الرقم المرجعي. وقد تكون محرَّفة أو مزوّرة أو صادرة عن جهة أخرى."},
		"A file a released letter encloses": {"Un fichier joint à une lettre publiée", "ملف مرفق برسالة صادرة"},
		"This file is what the released letter %s of %s encloses, byte for byte. The letter is in force.": {
			"Ce fichier est, octet pour octet, celui que joint la lettre publiée %s de %s. La lettre est en vigueur.",
			"هذا الملف هو، بايتًا ببايت، ما ترفقه الرسالة الصادرة %s عن %s. الرسالة سارية.",
		},
		"This file is what the released letter %s of %s encloses, byte for byte. The letter has been <strong>retracted</strong>.": {
			"Ce fichier est, octet pour octet, celui que joint la lettre publiée %s de %s. La lettre a été <strong>retirée</strong>.",
			"هذا الملف هو، بايتًا ببايت، ما ترفقه الرسالة الصادرة %s عن %s. وقد <strong>سُحبت</strong> الرسالة.",
		},
		"This file is what the released letter %s of %s encloses, byte for byte. The letter has been <strong>superseded</strong>.": {
			"Ce fichier est, octet pour octet, celui que joint la lettre publiée %s de %s. La lettre a été <strong>remplacée</strong>.",
			"هذا الملف هو، بايتًا ببايت، ما ترفقه الرسالة الصادرة %s عن %s. وقد <strong>استُبدلت</strong> الرسالة.",
		},
		"The file alone is not an official document: the letter's PDF, verified with its seal, is what vouches for it. Verify the PDF that encloses it.": {
			"Le fichier seul n'est pas un document officiel : c'est le PDF de la lettre, vérifié avec son sceau, qui en répond. Vérifiez le PDF qui le joint.",
			"الملف وحده ليس وثيقة رسمية: ما يضمنه هو ملف PDF للرسالة بعد التحقق منه بختمه. تحقّق من ملف PDF الذي يرفقه.",
		},
		"%s has no released letter with exactly these bytes. It may be altered, forged, or from another office.": {
			"%s n'a émis aucune lettre ayant exactement ces octets. Elle est peut-être altérée, falsifiée, ou d'un autre service.",
			"لا توجد لدى %s رسالة صادرة تطابق هذا الملف بايتًا ببايت. وقد تكون محرَّفة أو مزوّرة أو صادرة عن جهة أخرى."},
		"A scan or a photo of a letter, or a copy printed again, never has the bytes of the letter's file: scan its QR code, or paste its text <a href=\"/verify#identify\">here</a>.": {
			"Le scan ou la photo d'une lettre, ou une copie imprimée de nouveau, n'a jamais les octets du fichier de la lettre : scannez son code QR, ou collez son texte <a href=\"/verify#identify\">ici</a>.",
			"المسح الضوئي للرسالة أو صورتها، أو نسخة منها أُعيدت طباعتها، لا تطابق أبدًا ملف الرسالة بايتًا ببايت: امسح رمز QR الخاص بها، أو الصق نصها <a href=\"/verify#identify\">هنا</a>."},
		"This file is the letter %s that %s released, <strong>with changes appended to it</strong>, which may change what it shows: it is not the released letter. Do not rely on it; ask the office for the original.": {
			"Ce fichier est la lettre %s que %s a émise, <strong>avec des modifications ajoutées</strong>, qui peuvent changer ce qu'il affiche : ce n'est pas la lettre émise. Ne vous y fiez pas ; demandez l'original au service.",
			"هذا الملف هو الرسالة %s التي أصدرتها %s، <strong>مع تغييرات أُلحقت به</strong> قد تغيّر ما يعرضه: فهو ليس الرسالة الصادرة. لا تعتمد عليه، واطلب الأصل من الجهة المُصدِرة."},
		"Office":                               {"Service", "الجهة"},
		"Reference":                            {"Référence", "الرقم المرجعي"},
		"Subject":                              {"Objet", "الموضوع"},
		"Signed by":                            {"Signataires", "الموقّعون"},
		", ":                                   {", ", "، "},
		"Released on":                          {"Émise le", "تاريخ الإصدار"},
		"Log entry":                            {"Inscription au journal", "القيد في السجل"},
		"inclusion proof":                      {"preuve d'inclusion", "إثبات الإدراج"},
		"download the seal":                    {"télécharger le sceau", "تنزيل الختم"},
		"Withdrawal entry":                     {"Inscription du retrait", "قيد السحب"},
		"File fingerprint":                     {"Empreinte du fichier", "بصمة الملف"},
		"Compare with the paper in your hands": {"Comparez avec le document que vous avez en main", "قارن بالنسخة الورقية التي بين يديك"},
		"This is the letter %s released. Open it and compare it with your copy, word for word: a forged paper can carry a real reference and a copied QR code, but not this letter's text.": {
			"Voici la lettre que %s a émise. Ouvrez-la et comparez-la mot à mot avec votre exemplaire : un faux peut porter une vraie référence et un code QR recopié, mais pas le texte de cette lettre.",
			"هذه هي الرسالة التي صدرت عن %s. افتحها وقارنها بنسختك كلمةً كلمة: قد تحمل الورقة المزوّرة رقمًا مرجعيًا حقيقيًا ورمز QR منسوخًا، لكنها لا تحمل نص هذه الرسالة."},
		"Download the released letter": {"Télécharger la lettre émise", "تنزيل الرسالة الصادرة"},
		"its seal":                     {"son sceau", "ختمها"},
		"For members":                  {"Pour les membres", "للأعضاء"},
		"This is <a href=\"/letters/%[1]s\">%[1]s</a>, version %[2]d.": {
			"Il s'agit de <a href=\"/letters/%[1]s\">%[1]s</a>, version %[2]d.",
			"هذه هي <a href=\"/letters/%[1]s\">%[1]s</a>، النسخة %[2]d."},
		"This text carries the office's DRAFT mark, which every page of a draft copy shows: a draft is not an official document, whatever letter its text is close to.": {
			"Ce texte porte la mention PROJET du service, que montre chaque page d'une copie de projet : un projet n'est pas un document officiel, quelle que soit la lettre dont son texte est proche.",
			"يحمل هذا النص علامة «مسودة» التي تضعها الجهة على كل صفحة من نسخ المسودات: المسودة ليست وثيقة رسمية، أيًّا كانت الرسالة التي يقترب منها نصها.",
		},
		"This is <a href=\"/letters/%[1]s\">%[1]s</a>.": {
			"Il s'agit de <a href=\"/letters/%[1]s\">%[1]s</a>.",
			"هذه هي <a href=\"/letters/%[1]s\">%[1]s</a>."},
		"Exported for %s by %s on %s":                       {"Exportée pour %s par %s le %s", "صُدِّرت نسخة منها إلى %s من قِبل %s بتاريخ %s"},
		"Exported by %s on %s for a recipient erased since": {"Exportée par %s le %s pour un destinataire effacé depuis", "صدّر %s نسخة منها بتاريخ %s لمستلم مُحي منذ ذلك الحين"},
		"Checked:":                      {"Élément vérifié :", "ما جرى التحقق منه:"},
		"Check another letter":          {"Vérifier une autre lettre", "التحقق من رسالة أخرى"},
		"How to audit the log yourself": {"Comment auditer le journal vous-même", "كيف تدقّق السجل بنفسك"},
		"For an independent check, with the office's trust root (<a href=\"/api/v1/trust\">trust.json</a>) and the letter's seal beside it (<code>FILE.seal</code>): <code class=\"cmd\">chancery verify --offline --trust trust.json FILE</code> checks the seal without asking anyone, but cannot see a withdrawal; without <code class=\"cmd\">--offline</code> it also asks this registry, and sends it the file's fingerprint (and, for a file it does not know, its text).": {
			"Pour une vérification indépendante, avec la racine de confiance du service (<a href=\"/api/v1/trust\">trust.json</a>) et le sceau de la lettre à côté d'elle (<code>FILE.seal</code>) : <code class=\"cmd\">chancery verify --offline --trust trust.json FILE</code> vérifie le sceau sans rien demander à personne, mais ne peut pas voir un retrait ; sans <code class=\"cmd\">--offline</code>, il interroge aussi ce registre et lui envoie l'empreinte du fichier (et, pour un fichier qu'il ne connaît pas, son texte).",
			"للتحقق المستقل، مع جذر الثقة الخاص بالجهة (<a href=\"/api/v1/trust\">trust.json</a>) وختم الرسالة بجانبها (<code>FILE.seal</code>): <code class=\"cmd\">chancery verify --offline --trust trust.json FILE</code> يتحقق من الختم دون سؤال أي أحد، لكنه لا يرى سحب الرسالة؛ ومن دون <code class=\"cmd\">--offline</code> يسأل هذا السجل أيضًا ويرسل إليه بصمة الملف (ونصه، إن كان ملفًا لا يعرفه)."},
		"The trust root's fingerprint (SHA-256 of trust.json) is <code dir=\"ltr\">%s</code>. This registry serves the trust root it links: compare this fingerprint with the one the office publishes elsewhere (its letterhead, its web site) before you rely on the file; <code class=\"cmd\">chancery verify --verbose</code> prints the fingerprint of the file it reads.": {
			"L'empreinte de la racine de confiance (SHA-256 de trust.json) est <code dir=\"ltr\">%s</code>. C'est ce registre qui sert la racine de confiance qu'il met en lien : comparez cette empreinte avec celle que le service publie ailleurs (son papier à en-tête, son site web) avant de vous fier au fichier ; <code class=\"cmd\">chancery verify --verbose</code> affiche l'empreinte du fichier qu'il lit.",
			"بصمة جذر الثقة (SHA-256 للملف trust.json) هي <code dir=\"ltr\">%s</code>. هذا السجل هو من يقدّم جذر الثقة الذي يربط إليه: قارن هذه البصمة بالبصمة التي تنشرها الجهة في مكان آخر (ورقها الرسمي، موقعها على الويب) قبل الاعتماد على الملف؛ ويعرض <code class=\"cmd\">chancery verify --verbose</code> بصمة الملف الذي يقرؤه."},

		// Pasted text.
		"the whole text":                {"le texte entier", "النص كاملًا"},
		"a close copy":                  {"une copie proche", "نسخة مقاربة"},
		"an excerpt":                    {"un extrait", "مقتطف"},
		"no match":                      {"aucune correspondance", "لا تطابق"},
		"Valid":                         {"Valide", "سارية"},
		"Unreleased draft":              {"Projet non émis", "مسودة غير صادرة"},
		"The text of a released letter": {"Le texte d'une lettre émise", "نص رسالة صادرة"},
		"This text is an excerpt of <a href=\"/v/%[1]s\">%[1]s</a>, released by %[2]s and not retracted. Only the original file, checked with its seal, proves the letter itself.": {
			"Ce texte est un extrait de <a href=\"/v/%[1]s\">%[1]s</a>, émise par %[2]s et non annulée. Seul le fichier d'origine, vérifié avec son sceau, fait foi de la lettre elle-même.",
			"هذا النص مقتطف من <a href=\"/v/%[1]s\">%[1]s</a>، الصادرة عن %[2]s وغير الملغاة. ولا يُثبت الرسالة ذاتها إلا ملفها الأصلي بعد التحقق منه بختمه."},
		"This text is the text of <a href=\"/v/%[1]s\">%[1]s</a>, released by %[2]s and not retracted. Only the original file, checked with its seal, proves the letter itself.": {
			"Ce texte est celui de <a href=\"/v/%[1]s\">%[1]s</a>, émise par %[2]s et non annulée. Seul le fichier d'origine, vérifié avec son sceau, fait foi de la lettre elle-même.",
			"هذا النص هو نص <a href=\"/v/%[1]s\">%[1]s</a>، الصادرة عن %[2]s وغير الملغاة. ولا يُثبت الرسالة ذاتها إلا ملفها الأصلي بعد التحقق منه بختمه."},
		"Altered": {"Altéré", "محرَّف"},
		"This text is close to <a href=\"/v/%[1]s\">%[1]s</a> of %[2]s, but <strong>not the same</strong>. What differs is shown below.": {
			"Ce texte est proche de <a href=\"/v/%[1]s\">%[1]s</a> de %[2]s, mais <strong>pas identique</strong>. Les différences sont indiquées ci-dessous.",
			"هذا النص قريب من <a href=\"/v/%[1]s\">%[1]s</a> الصادرة عن %[2]s، لكنه <strong>ليس مطابقًا لها</strong>. وتظهر الفروق أدناه."},
		"The text of a retracted letter": {"Le texte d'une lettre annulée", "نص رسالة ملغاة"},
		"This text is from <a href=\"/v/%[1]s\">%[1]s</a>, which %[2]s <strong>retracted</strong>.": {
			"Ce texte provient de <a href=\"/v/%[1]s\">%[1]s</a>, que %[2]s a <strong>annulée</strong>.",
			"هذا النص مأخوذ من <a href=\"/v/%[1]s\">%[1]s</a>، التي <strong>أُلغيت</strong> من قِبل %[2]s."},
		"Reason: “<bdi>%s</bdi>”":         {"Motif : « <bdi>%s</bdi> »", "السبب: «<bdi>%s</bdi>»"},
		"The text of a superseded letter": {"Le texte d'une lettre remplacée", "نص رسالة مستبدلة"},
		"This text is from <a href=\"/v/%[1]s\">%[1]s</a>, which %[2]s replaced by <a href=\"/v/%[3]s\">%[3]s</a>.": {
			"Ce texte provient de <a href=\"/v/%[1]s\">%[1]s</a>, que %[2]s a remplacée par <a href=\"/v/%[3]s\">%[3]s</a>.",
			"هذا النص مأخوذ من <a href=\"/v/%[1]s\">%[1]s</a>، التي استُبدلت من قِبل %[2]s بالرسالة <a href=\"/v/%[3]s\">%[3]s</a>."},
		"This text is from <a href=\"/v/%[1]s\">%[1]s</a>, which %[2]s replaced.": {
			"Ce texte provient de <a href=\"/v/%[1]s\">%[1]s</a>, que %[2]s a remplacée.",
			"هذا النص مأخوذ من <a href=\"/v/%[1]s\">%[1]s</a>، التي استُبدلت من قِبل %[2]s."},
		"This text is close to version %[1]d of the draft <a href=\"/letters/%[2]s\">%[2]s</a>, which is not released.": {
			"Ce texte est proche de la version %[1]d du projet <a href=\"/letters/%[2]s\">%[2]s</a>, qui n'est pas émis.",
			"هذا النص قريب من النسخة %[1]d من المسودة <a href=\"/letters/%[2]s\">%[2]s</a>، التي لم تصدر."},
		"Not an official letter of this office": {"Pas une lettre officielle de ce service", "ليست رسالة رسمية صادرة عن هذه الجهة"},
		"The text matches no released letter of %s. It may be invented, heavily altered, or from another office.": {
			"Ce texte ne correspond à aucune lettre émise par %s. Il est peut-être inventé, fortement altéré, ou d'un autre service.",
			"لا يطابق هذا النص أي رسالة صادرة عن %s. وقد يكون مختلَقًا أو محرَّفًا إلى حد كبير أو صادرًا عن جهة أخرى."},
		"Best match": {"Meilleure correspondance", "أقرب تطابق"},
		"too many requests: try again in a moment": {
			"trop de demandes : réessayez dans un instant",
			"طلبات كثيرة جدًا: أعد المحاولة بعد قليل"},
		"[1 word of the letter not in this text]": {
			"[1 mot de la lettre absent de ce texte]",
			"[كلمة واحدة من الرسالة ليست في هذا النص]"},
		"[%d words of the letter not in this text]": {
			"[%d mots de la lettre absents de ce texte]",
			"[%d من كلمات الرسالة ليست في هذا النص]"},
		// Said by screen readers around each change of the difference, which the eye tells by
		// its colour and its line.
		"[in the letter, not in this text:": {"[dans la lettre, pas dans ce texte :", "[في الرسالة، وليس في هذا النص:"},
		"[in this text, not in the letter:": {"[dans ce texte, pas dans la lettre :", "[في هذا النص، وليس في الرسالة:"},
		"version %d":                        {"version %d", "النسخة %d"},
		"Similarity":                        {"Similarité", "درجة التشابه"},
		"%.2f of the words in common, overall; %.2f of this text found in the letter": {
			"%.2f des mots en commun, au total ; %.2f de ce texte retrouvé dans la lettre",
			"%.2f من الكلمات مشتركة إجمالًا؛ و%.2f من هذا النص موجود في الرسالة"},
		"What differs, from the letter to this text": {"Ce qui diffère, de la lettre à ce texte", "الفروق بين الرسالة وهذا النص"},
		"Other candidates":                           {"Autres lettres possibles", "رسائل مرشّحة أخرى"},
		"Version":                                    {"Version", "النسخة"},
		"State":                                      {"État", "الحالة"},
		"Score":                                      {"Score", "الدرجة"},
		// A number alone, in Western digits as every number of the pages (Printer.T).
		"%d":   {"%d", "%d"},
		"%.2f": {"%.2f", "%.2f"},

		// The log page.
		"Transparency log": {"Journal de transparence", "سجل الشفافية"},
		"Every release, retraction and correction is written to this public, append-only log.": {
			"Chaque émission, annulation et rectification est inscrite dans ce journal public, où l'on ne peut qu'ajouter.",
			"يُقيَّد كل إصدار وإلغاء وتصحيح في هذا السجل العلني الذي لا يقبل إلا الإضافة."},
		"Origin":                 {"Origine", "المنشأ"},
		"Entries":                {"Inscriptions", "عدد القيود"},
		"Root hash":              {"Empreinte racine", "تجزئة الجذر"},
		"Latest checkpoint":      {"Dernier point de contrôle", "آخر نقطة تحقق"},
		"Recent entries":         {"Inscriptions récentes", "أحدث القيود"},
		"Index":                  {"Rang", "الرقم التسلسلي"},
		"Kind":                   {"Nature", "النوع"},
		"Leaf hash":              {"Empreinte de la feuille", "تجزئة الورقة"},
		"Proof":                  {"Preuve", "الإثبات"},
		"(not a Chancery entry)": {"(inscription étrangère à Chancery)", "(قيد لا يخص Chancery)"},
		"inclusion":              {"inclusion", "الإدراج"},
		"The log is empty.":      {"Le journal est vide.", "السجل فارغ."},
		"Audit it yourself":      {"Auditez-le vous-même", "دقّقه بنفسك"},
		"No checkpoint of this log has been cosigned by the witness quorum yet.": {
			"Aucun point de contrôle de ce journal n'a encore été cosigné par le quorum des témoins.",
			"لم يوقّع نصاب الشهود بعدُ توقيعًا مشتركًا على أي نقطة تحقق من هذا السجل."},
		"The log follows the C2SP <code class=\"cmd\">tlog-tiles</code> and <code class=\"cmd\">tlog-checkpoint</code> specifications, so any client for them can check it:": {
			"Le journal suit les spécifications C2SP <code class=\"cmd\">tlog-tiles</code> et <code class=\"cmd\">tlog-checkpoint</code> ; tout client qui les met en œuvre peut donc le vérifier :",
			"يتبع السجل مواصفتَي C2SP، وهما <code class=\"cmd\">tlog-tiles</code> و<code class=\"cmd\">tlog-checkpoint</code>، ولذا يمكن لأي برنامج يطبّقهما التحقق منه:"},
		": the latest signed checkpoint;":  {" : le dernier point de contrôle signé ;", ": آخر نقطة تحقق موقّعة؛"},
		": the key that signs it, to pin;": {" : la clé qui le signe, à conserver pour s'y fier ;", ": المفتاح الذي يوقّعها، لتثبيته لديك؛"},
		"<code>/log/tile/&lt;L&gt;/&lt;N&gt;</code> and <code>/log/tile/entries/&lt;N&gt;</code>: hash tiles and entry bundles;": {
			"<code>/log/tile/&lt;L&gt;/&lt;N&gt;</code> et <code>/log/tile/entries/&lt;N&gt;</code> : tuiles d'empreintes et lots d'inscriptions ;",
			"<code>/log/tile/&lt;L&gt;/&lt;N&gt;</code> و<code>/log/tile/entries/&lt;N&gt;</code>: مربعات التجزئة وحِزم القيود؛"},
		"<code>/log/proof/inclusion?index=N</code> and <code>/log/proof/consistency?old=M</code>: proofs as JSON.": {
			"<code>/log/proof/inclusion?index=N</code> et <code>/log/proof/consistency?old=M</code> : les preuves, en JSON.",
			"<code>/log/proof/inclusion?index=N</code> و<code>/log/proof/consistency?old=M</code>: الإثباتات بصيغة JSON."},
		"Keep a copy of <a href=\"/log/checkpoint\">the checkpoint</a> today and later, with the data directory, <code class=\"cmd\">chancery log verify --checkpoint kept.checkpoint</code> recomputes the whole tree and proves that the checkpoint you kept is a prefix of today's log: nothing was removed or rewritten.": {
			"Conservez aujourd'hui une copie du <a href=\"/log/checkpoint\">point de contrôle</a> ; plus tard, avec le répertoire de données, <code class=\"cmd\">chancery log verify --checkpoint kept.checkpoint</code> recalcule l'arbre entier et prouve que le point de contrôle conservé est un préfixe du journal du jour : rien n'a été supprimé ni réécrit.",
			"احتفظ اليوم بنسخة من <a href=\"/log/checkpoint\">نقطة التحقق</a>، ولاحقًا، باستخدام دليل البيانات، يعيد الأمر <code class=\"cmd\">chancery log verify --checkpoint kept.checkpoint</code> حساب الشجرة كاملة ويُثبت أن نقطة التحقق التي احتفظت بها بادئةٌ لسجل اليوم: لم يُحذف منه شيء ولم يُعدَّل."},

		// Sign-in.
		"Sign in with your organisation account": {"Se connecter avec le compte de votre organisation", "تسجيل الدخول بحساب مؤسستك"},
		"Or with a Chancery password:":           {"Ou avec un mot de passe Chancery :", "أو بكلمة مرور Chancery:"},
		"Name":                                   {"Nom", "الاسم"},
		"Password":                               {"Mot de passe", "كلمة المرور"},
		"No password yet? Set one with your token: <code class=\"cmd\">chancery member password</code>, or ask an admin.": {
			"Pas encore de mot de passe ? Définissez-en un avec votre jeton : <code class=\"cmd\">chancery member password</code>, ou adressez-vous à un administrateur.",
			"ليست لديك كلمة مرور بعد؟ عيّن واحدة باستخدام رمزك المميّز: <code class=\"cmd\">chancery member password</code>، أو راجع أحد المسؤولين."},
		"The name or the password is wrong.": {"Le nom ou le mot de passe est incorrect.", "الاسم أو كلمة المرور غير صحيحة."},
		"The sign-in through your organisation did not succeed, or gave you no role in this office. Try again; if it persists, ask an admin.": {
			"La connexion par votre organisation n'a pas abouti, ou ne vous a donné aucun rôle dans ce service. Réessayez ; si le problème persiste, adressez-vous à un administrateur.",
			"لم ينجح تسجيل الدخول عبر مؤسستك، أو لم يمنحك أي دور في هذه الجهة. أعد المحاولة، فإن تكرر ذلك فراجع أحد المسؤولين."},
		"You are signed out of the registry. Your organisation account may still be signed in in this browser: sign out of it too, or close every window of the browser, before you leave a shared computer.": {
			"Vous êtes déconnecté du registre. Le compte de votre organisation est peut-être encore connecté dans ce navigateur : déconnectez-vous aussi de ce compte, ou fermez toutes les fenêtres du navigateur, avant de quitter un ordinateur partagé.",
			"لقد سجّلت الخروج من السجل. قد يظل حساب مؤسستك مسجّلًا للدخول في هذا المتصفح: سجّل الخروج منه أيضًا، أو أغلق جميع نوافذ المتصفح، قبل أن تترك حاسوبًا مشتركًا."},

		// The receipt page, for the recipients of a letter.
		"Receipt recorded": {"Réception enregistrée", "سُجّل الاستلام"},
		"Thank you: your acknowledgement of receipt is recorded in the letter's file. You may close this page.": {
			"Merci : votre accusé de réception est consigné au dossier de la lettre. Vous pouvez fermer cette page.",
			"شكرًا لك: قُيّد إشعارك بالاستلام في ملف الرسالة. يمكنك إغلاق هذه الصفحة."},
		// The page of a receipt recorded opened without its receipt's cookie: by anyone.
		"Acknowledgement of receipt": {"Accusé de réception", "إشعار الاستلام"},
		"If you have just acknowledged a letter of this office, your acknowledgement is recorded in the letter's file. You may close this page.": {
			"Si vous venez d'accuser réception d'une lettre de ce service, votre accusé de réception est consigné au dossier de la lettre. Vous pouvez fermer cette page.",
			"إن كنت قد أشعرت للتو باستلام رسالة من هذه الجهة، فقد قُيّد إشعارك بالاستلام في ملف الرسالة. يمكنك إغلاق هذه الصفحة."},
		"The letter you acknowledged has since been retracted: do not rely on it. The notice of the retraction sent where the letter went gives the reason, unless the office had erased the letter by then; if no notice has reached you, ask the office.": {
			"La lettre dont vous avez accusé réception a depuis été retirée : ne vous y fiez pas. L'avis de retrait adressé là où la lettre est allée en donne le motif, sauf si le service avait effacé la lettre entre-temps ; si aucun avis ne vous est parvenu, adressez-vous au service.",
			"سُحبت الرسالة التي أشعرت باستلامها منذ إرسالها، فلا تعتمد عليها. ويذكر سببَ السحب إشعارُ السحب المرسَل إلى حيث أُرسلت الرسالة، ما لم تكن الجهة قد محت الرسالة قبل ذلك؛ وإن لم يصلك أي إشعار فاسأل الجهة."},
		"The letter you acknowledged has since been superseded by another: do not rely on it. The notice the office sent you names the letter that replaces it.": {
			"La lettre dont vous avez accusé réception a depuis été remplacée par une autre : ne vous y fiez pas. L'avis que le service vous a adressé nomme la lettre qui la remplace.",
			"استُبدلت الرسالة التي أشعرت باستلامها برسالة أخرى منذ إرسالها، فلا تعتمد عليها. ويذكر الإشعار الذي أرسلته إليك الجهة الرسالةَ التي حلّت محلّها."},
		"Acknowledge receipt": {"Accuser réception", "الإشعار بالاستلام"},
		// The receipt page's titles for a letter withdrawn since it was sent.
		"Acknowledge receipt: the letter is retracted":  {"Accuser réception : la lettre est retirée", "الإشعار بالاستلام: الرسالة مسحوبة"},
		"Acknowledge receipt: the letter is superseded": {"Accuser réception : la lettre est remplacée", "الإشعار بالاستلام: الرسالة مستبدلة"},
		"Receipt recorded: the letter is retracted":     {"Réception enregistrée : la lettre est retirée", "سُجّل الاستلام: الرسالة مسحوبة"},
		"Receipt recorded: the letter is superseded":    {"Réception enregistrée : la lettre est remplacée", "سُجّل الاستلام: الرسالة مستبدلة"},
		"%[1]s sent you a coordination draft of <span class=\"ref\">%[2]s</span>. Confirm that you received it: the office records the time in the letter's file. No account is needed.": {
			"%[1]s vous a adressé un projet pour coordination de <span class=\"ref\">%[2]s</span>. Confirmez que vous l'avez reçu : le service en consigne l'heure au dossier de la lettre. Aucun compte n'est nécessaire.",
			"وردتك من %[1]s مسودة تنسيق للرسالة <span class=\"ref\">%[2]s</span>. يُرجى تأكيد استلامها، إذ تقيّد الجهة وقت الاستلام في ملف الرسالة. ولا حاجة إلى حساب."},
		"%[1]s sent you its letter <span class=\"ref\">%[2]s</span>. Confirm that you received it: the office records the time in the letter's file. No account is needed.": {
			"%[1]s vous a adressé sa lettre <span class=\"ref\">%[2]s</span>. Confirmez que vous l'avez reçue : le service en consigne l'heure au dossier de la lettre. Aucun compte n'est nécessaire.",
			"وردتك من %[1]s الرسالة <span class=\"ref\">%[2]s</span>. يُرجى تأكيد استلامها، إذ تقيّد الجهة وقت الاستلام في ملف الرسالة. ولا حاجة إلى حساب."},
		"I confirm receipt": {"Je confirme la réception", "أؤكد الاستلام"},
		"%[1]s has since retracted this letter: do not rely on it. This page does not give the reason: the notice of the retraction sent where the letter went does, unless the office had erased the letter by then; if no notice has reached you, ask %[1]s. <a href=\"/v/%[2]s\">Its verify page</a> shows that it is withdrawn.": {
			"%[1]s a depuis retiré cette lettre : ne vous y fiez pas. Cette page n'en donne pas le motif : l'avis de retrait adressé là où la lettre est allée le donne, sauf si le service avait effacé la lettre entre-temps ; si aucun avis ne vous est parvenu, adressez-vous à %[1]s. <a href=\"/v/%[2]s\">Sa page de vérification</a> montre qu'elle est retirée.",
			"سحبت %[1]s هذه الرسالة منذ إرسالها، فلا تعتمد عليها. ولا تذكر هذه الصفحة سبب السحب، وإنما يذكره إشعار السحب المرسَل إلى حيث أُرسلت الرسالة، ما لم تكن الجهة قد محت الرسالة قبل ذلك؛ وإن لم يصلك أي إشعار فاسأل %[1]s. وتُظهر <a href=\"/v/%[2]s\">صفحة التحقق الخاصة بها</a> أنها مسحوبة."},
		"%[1]s has since superseded this letter by another: do not rely on it. The notice it sent you names the letter that replaces it; <a href=\"/v/%[2]s\">its verify page</a> shows that it is withdrawn.": {
			"%[1]s a depuis remplacé cette lettre par une autre : ne vous y fiez pas. L'avis qu'il vous a adressé nomme la lettre qui la remplace ; <a href=\"/v/%[2]s\">sa page de vérification</a> montre qu'elle est retirée.",
			"استبدلت %[1]s بهذه الرسالة رسالةً أخرى منذ إرسالها، فلا تعتمد عليها. ويذكر الإشعار الذي أُرسل إليك الرسالة التي حلّت محلها، وتُظهر <a href=\"/v/%[2]s\">صفحة التحقق الخاصة بها</a> أنها مسحوبة."},
		"Opening this page records nothing; only the button does. The link works once.": {
			"L'ouverture de cette page n'enregistre rien ; seul le bouton le fait. Le lien ne sert qu'une fois.",
			"لا يُسجَّل شيء بمجرد فتح هذه الصفحة، وإنما بالضغط على الزر فقط. ولا يصلح الرابط إلا لمرة واحدة."},
		"Bad request": {"Requête incorrecte", "طلب غير صحيح"},
		"Confirm with the button on the receipt page.": {
			"Confirmez avec le bouton de la page d'accusé de réception.",
			"يُرجى التأكيد بالضغط على الزر في صفحة الإشعار بالاستلام."},
		"Link not valid": {"Lien non valide", "رابط غير صالح"},
		"This acknowledgement link is not valid: it was already used, has expired, or is mistyped.": {
			"Ce lien d'accusé de réception n'est pas valide : il a déjà servi, a expiré, ou est mal recopié.",
			"رابط الإشعار بالاستلام هذا غير صالح: فإما أنه استُخدم من قبل، أو انتهت صلاحيته، أو نُسخ على نحو خاطئ."},

		// Error pages: their titles (the HTTP status) and the messages of web.go's statusOf.
		"Home":           {"Accueil", "الصفحة الرئيسية"},
		"Page not found": {"Page introuvable", "الصفحة غير موجودة"},
		"There is no page at this address. To check a letter, use the verify page; its QR code leads to the right page.": {
			"Il n'y a aucune page à cette adresse. Pour vérifier une lettre, utilisez la page de vérification ; son code QR mène à la bonne page.",
			"لا توجد صفحة على هذا العنوان. للتحقق من رسالة، استخدم صفحة التحقق؛ فرمز QR المطبوع عليها يقود إلى الصفحة الصحيحة."},
		"Bad Request":              {"Requête incorrecte", "طلب غير صحيح"},
		"Unauthorized":             {"Connexion requise", "يلزم تسجيل الدخول"},
		"Forbidden":                {"Accès refusé", "الوصول مرفوض"},
		"Not Found":                {"Introuvable", "غير موجود"},
		"Conflict":                 {"Conflit", "تعارض"},
		"Gone":                     {"Supprimé", "لم يعد متاحًا"},
		"Request Entity Too Large": {"Fichier trop volumineux", "الملف أكبر من الحد المسموح به"},
		"Unprocessable Entity":     {"Demande non recevable", "طلب غير قابل للتنفيذ"},
		"Service Unavailable":      {"Service indisponible", "الخدمة غير متاحة"},
		"Internal Server Error":    {"Erreur interne du serveur", "خطأ داخلي في الخادم"},
		"Sign in first.":           {"Connectez-vous d'abord.", "يُرجى تسجيل الدخول أولًا."},
		"Not found.":               {"Introuvable.", "غير موجود."},
		// The page of every request made while the server starts (server.NewStarting).
		"The registry is starting: try again in a moment.": {
			"Le registre démarre : réessayez dans un instant.",
			"السجل قيد التشغيل: أعد المحاولة بعد قليل."},
		"The content of this letter was erased at the office's request.": {
			"Le contenu de cette lettre a été effacé à la demande du service.",
			"مُحي مضمون هذه الرسالة بناءً على طلب الجهة."},
		"This letter is recorded, but the independent witnesses of the office's log have not confirmed it yet, so its proof cannot be shown. Try again in a minute.": {
			"Cette lettre est inscrite, mais les témoins indépendants du journal du service ne l'ont pas encore confirmée ; sa preuve ne peut donc pas être montrée. Réessayez dans une minute.",
			"هذه الرسالة مقيّدة، لكن الشهود المستقلين على سجل الجهة لم يؤكدوها بعد، ولذا لا يمكن عرض إثباتها. أعد المحاولة بعد دقيقة."},
		"The server is busy; try again in a moment.": {"Le serveur est occupé ; réessayez dans un instant.", "الخادم مشغول؛ أعد المحاولة بعد قليل."},
		"The office's database was set back under this server: nothing is recorded until the operator decides. Tell the office's operator.": {
			"La base de données du service a été ramenée en arrière sous ce serveur : rien n'est inscrit tant que l'exploitant n'a pas décidé. Prévenez l'exploitant du service.",
			"أُعيدت قاعدة بيانات الجهة إلى حالة سابقة تحت هذا الخادم: لا يُقيَّد شيء حتى يقرر المشغّل. أبلغ مشغّل الجهة."},
		"A witness of the office's log holds more than this server's database: nothing is recorded until the operator decides. Tell the office's operator.": {
			"Un témoin du journal du service en détient davantage que la base de données de ce serveur : rien n'est inscrit tant que l'exploitant n'a pas décidé. Prévenez l'exploitant du service.",
			"أحد شهود سجل الجهة يحوز أكثر مما في قاعدة بيانات هذا الخادم: لا يُقيَّد شيء حتى يقرر المشغّل. أبلغ مشغّل الجهة."},
		"The office's signing key cannot sign now (its token is unavailable): nothing was recorded. Tell the office's operator, and try again once it is back.": {
			"La clé de signature du service ne peut pas signer pour l'instant (son jeton est indisponible) : rien n'a été inscrit. Prévenez l'exploitant du service, et réessayez quand elle sera revenue.",
			"مفتاح توقيع الجهة لا يستطيع التوقيع الآن (رمزه غير متاح): لم يُقيَّد شيء. أبلغ مشغّل الجهة، وأعد المحاولة حين يعود."},
		"Something went wrong on our side; it has been logged.": {
			"Une erreur s'est produite de notre côté ; elle a été consignée.",
			"حدث خطأ من جانبنا، وقد جرى تسجيله."},
		"forbidden: this form is stale or came from another site; reload the page and try again": {
			"Refusé : ce formulaire est périmé ou provient d'un autre site ; rechargez la page et réessayez.",
			"مرفوض: هذا النموذج قديم أو صادر عن موقع آخر؛ أعد تحميل الصفحة وحاول مجددًا."},
		"forbidden: a preview is a draft copy recorded in your name; open it from the letter's page": {
			"Refusé : un aperçu est une copie de brouillon enregistrée à votre nom ; ouvrez-le depuis la page de la lettre.",
			"مرفوض: المعاينة نسخة من المسودة تُسجَّل باسمك؛ افتحها من صفحة الرسالة."},
		"The language was not changed: the link came from another site. Choose it with the links on this page.": {
			"La langue n'a pas été changée : le lien venait d'un autre site. Choisissez-la avec les liens de cette page.",
			"لم تُغيَّر اللغة: فقد جاء الرابط من موقع آخر. اخترها بالروابط الموجودة في هذه الصفحة."},
		"the file is larger than the upload limit": {
			"Le fichier dépasse la taille maximale autorisée.",
			"حجم الملف يتجاوز الحد المسموح به للرفع."},
		"bad request": {"Requête incorrecte.", "طلب غير صحيح."},
		"bad request: the address gives the parameter %q %d times: open the page again from its link": {
			"requête incorrecte : l'adresse donne le paramètre %q %d fois : ouvrez de nouveau la page depuis son lien",
			"طلب غير صحيح: يذكر العنوان المعامل %q %d مرات: افتح الصفحة من جديد من رابطها"},
		"bad request: the address gives a digest that is not sha256: and 64 hexadecimal digits": {
			"requête incorrecte : l'adresse donne une empreinte qui n'est pas sha256: suivi de 64 chiffres hexadécimaux",
			"طلب غير صحيح: يذكر العنوان بصمة ليست sha256: متبوعة بـ 64 رقمًا ستّ عشريًا"},
		"bad request: the address gives a parameter %d times: open the page again from its link": {
			"requête incorrecte : l'adresse donne un paramètre %d fois : ouvrez de nouveau la page depuis son lien",
			"طلب غير صحيح: يذكر العنوان معاملًا %d مرات: افتح الصفحة من جديد من رابطها"},
		"the text is too long to identify at once: paste a part of it (a page or a few paragraphs are identified too)": {
			"Le texte est trop long pour être identifié d'un coup : collez-en une partie (une page ou quelques paragraphes sont identifiés aussi).",
			"النص أطول من أن يُتعرَّف عليه دفعة واحدة: الصق جزءًا منه (يُتعرَّف على صفحة أو بضع فقرات أيضًا)."},
	}
})
