package i18n

// The lines 'chancery verify' prints (not its --json, which stays English). Outcomes open
// each line, as in English, so that a reader and a grep find them first.
var _ = table(func() Translations {
	return Translations{
		"could not verify: %s": {"vérification impossible : %s", "تعذّر التحقق: %s"},
		"valid":                {"valide", "صالحة"},
		"invalid: %s":          {"invalide : %s", "غير صالحة: %s"},
		"invalid: this file is not the sealed letter: it was altered, or the seal belongs to another file": {
			"invalide : ce fichier n'est pas la lettre scellée : il a été modifié, ou le sceau appartient à un autre fichier",
			"غير صالحة: هذا الملف ليس الرسالة المختومة: فقد عُدّل، أو أن الختم يعود إلى ملف آخر",
		},
		"invalid: the witnesses' cosignatures of the seal's checkpoint date from %s, older than --max-age %s: 'chancery seal refresh %s' proves the seal against a newer checkpoint": {
			"invalide : les cosignatures des témoins du point de contrôle du sceau datent du %s, plus ancien que --max-age %s : « chancery seal refresh %s » prouve le sceau sur un point de contrôle plus récent",
			"غير صالحة: يعود تاريخ توقيعات الشهود المشتركة على نقطة تحقق الختم إلى %s، وهو أقدم من --max-age %s: الأمر 'chancery seal refresh %s' يُثبت الختم مقابل نقطة تحقق أحدث",
		},
		"invalid: the witnesses' cosignatures of the registry's latest checkpoint date from %s, older than --max-age %s: the answer may be replayed, or the witnesses no longer cosign the log; report this to the office": {
			"invalide : les cosignatures des témoins du dernier point de contrôle du registre datent du %s, plus ancien que --max-age %s : la réponse est peut-être rejouée, ou les témoins ne cosignent plus le journal ; signalez-le au bureau",
			"غير صالحة: يعود تاريخ توقيعات الشهود المشتركة على آخر نقطة تحقق للسجل إلى %s، وهو أقدم من --max-age %s: قد تكون الإجابة مُعادة، أو لم يعد الشهود يوقّعون السجل؛ أبلغ المكتب بذلك",
		},
		"invalid: the witnesses' cosignatures date from %s, %s ahead of this computer's clock: their age is not known (a witness's clock, or this computer's, is wrong), so --max-age %s cannot be checked": {
			"invalide : les cosignatures des témoins datent du %s, %s en avance sur l'horloge de cet ordinateur : leur âge n'est pas connu (l'horloge d'un témoin, ou celle de cet ordinateur, est fausse), --max-age %s ne peut donc pas être vérifié",
			"غير صالحة: يعود تاريخ توقيعات الشهود المشتركة إلى %s، متقدّمًا على ساعة هذا الحاسوب بـ %s: عمرها غير معروف (ساعة أحد الشهود، أو ساعة هذا الحاسوب، خاطئة)، لذا لا يمكن التحقق من --max-age %s",
		},
		" (a seal made before the office had its witnesses: online, 'chancery seal refresh %s' proves it against a checkpoint they cosigned)": {
			" (un sceau fait avant que le bureau ait ses témoins : en ligne, « chancery seal refresh %s » le prouve sur un point de contrôle qu'ils ont cosigné)",
			" (ختم صُنع قبل أن يكون للمكتب شهوده: عبر الاتصال، الأمر 'chancery seal refresh %s' يُثبته مقابل نقطة تحقق وقّعوها)",
		},
		" (the seal beside it predates the witness quorum: 'chancery seal refresh %s' proves it against a checkpoint the witnesses cosigned)": {
			" (le sceau à côté date d'avant le quorum de témoins : « chancery seal refresh %s » le prouve sur un point de contrôle que les témoins ont cosigné)",
			" (الختم المرافق سابق لنصاب الشهود: الأمر 'chancery seal refresh %s' يُثبته مقابل نقطة تحقق وقّعها الشهود)",
		},
		// The client's transport failure; the transport's reason (%s) stays as Go gives it.
		"registry unreachable: %s": {
			"registre injoignable : %s",
			"تعذّر الوصول إلى السجل: %s",
		},
		"could not verify: the registry at %s answers for office %q, not %q, which the trust root names (CHANCERY_URL or --url names another office's registry); verify with --url %s": {
			"vérification impossible : le registre à %s répond pour le bureau %q, et non %q, que nomme la racine de confiance (CHANCERY_URL ou --url désigne le registre d'un autre bureau) ; vérifiez avec --url %s",
			"تعذّر التحقق: السجل في %s يجيب عن المكتب %q، لا عن %q الذي يسمّيه جذر الثقة (CHANCERY_URL أو --url يشير إلى سجل مكتب آخر)؛ تحقّق باستخدام --url %s",
		},
		" (the seal %s is not this file's: it seals another letter, or this file before it was changed)": {
			" (le sceau %s n'est pas celui de ce fichier : il scelle une autre lettre, ou ce fichier avant qu'il soit modifié)",
			" (الختم %s ليس ختم هذا الملف: إنه يختم رسالة أخرى، أو هذا الملف قبل تعديله)",
		},
		"could not verify: the trust root is out of date: the seal is in the office's log but signed by a newer office key (a key rotation); refresh the trust root with 'chancery trust export --out FILE' against the registry (or fetch it from the office), then verify again": {
			"vérification impossible : la racine de confiance est périmée : le sceau est dans le journal du bureau mais signé par une clé plus récente du bureau (un changement de clé) ; mettez à jour la racine de confiance avec « chancery trust export --out FILE » auprès du registre (ou demandez-la au bureau), puis vérifiez à nouveau",
			"تعذّر التحقق: جذر الثقة قديم: الختم مُدرج في سجل المكتب لكنه موقّع بمفتاح أحدث للمكتب (تغيير للمفتاح)؛ حدّث جذر الثقة بالأمر 'chancery trust export --out FILE' لدى السجل (أو اطلبه من المكتب)، ثم أعد التحقق",
		},
		" (offline: in the log at checkpoint %s; retractions and supersessions are not checked offline)": {
			" (hors ligne : dans le journal au point de contrôle %s ; les annulations et les remplacements ne sont pas vérifiés hors ligne)",
			" (دون اتصال: في السجل عند نقطة التحقق %s؛ ولا يُتحقق من حالات الإلغاء والاستبدال دون اتصال)",
		},
		"draft: not an official document: %s": {"projet : document non officiel : %s", "مسودة: ليست وثيقة رسمية: %s"},
		"draft: not an official document: this file is a draft of %s with changes appended to it, which may hide its marks": {
			"projet : document non officiel : ce fichier est un projet de %s auquel des modifications ont été ajoutées, qui peuvent en cacher les marques",
			"مسودة: ليست وثيقة رسمية: هذا الملف مسودة لدى %s أُلحقت بها تعديلات قد تخفي علاماتها",
		},
		"; its text carries the office's DRAFT mark, which every page of a draft copy shows: a draft is not an official document, whatever letter its text is close to": {
			" ; son texte porte la mention PROJET du service, que montre chaque page d'une copie de projet : un projet n'est pas un document officiel, quelle que soit la lettre dont son texte est proche",
			"؛ يحمل نصه علامة «مسودة» التي تضعها الجهة على كل صفحة من نسخ المسودات: المسودة ليست وثيقة رسمية، أيًّا كانت الرسالة التي يقترب منها نصها",
		},
		"; it may be a scan or a copy printed again: chancery identify reads its pages by OCR": {
			" ; c'est peut-être un document numérisé ou une copie réimprimée : chancery identify en lit les pages par OCR",
			"؛ قد تكون نسخة ممسوحة ضوئيًا أو مطبوعة من جديد: يقرأ chancery identify صفحاتها بالتعرّف الضوئي على الحروف",
		},
		"altered: these bytes are not a released letter, but the text is close to %s (%s): compare with the original before relying on it": {
			"altérée : ces octets ne sont pas une lettre émise, mais le texte est proche de %s (%s) : comparez avec l'original avant de vous y fier",
			"محرَّفة: هذه البيانات ليست رسالة صادرة، لكن نصها قريب من %s (%s): قارنها بالأصل قبل الاعتماد عليها",
		},
		"altered: these bytes are not a released letter, but the text is an excerpt of %s (%s): compare with the original before relying on it": {
			"altérée : ces octets ne sont pas une lettre émise, mais le texte est un extrait de %s (%s) : comparez avec l'original avant de vous y fier",
			"محرَّفة: هذه البيانات ليست رسالة صادرة، لكن نصها مقتطف من %s (%s): قارنها بالأصل قبل الاعتماد عليها",
		},
		"altered: these bytes are not a released letter, but the text is that of %s (%s): compare with the original before relying on it": {
			"altérée : ces octets ne sont pas une lettre émise, mais le texte est celui de %s (%s) : comparez avec l'original avant de vous y fier",
			"محرَّفة: هذه البيانات ليست رسالة صادرة، لكن نصها هو نص %s (%s): قارنها بالأصل قبل الاعتماد عليها",
		},
		"invalid: the seal verifies but the registry does not know the letter: report this to the office": {
			"invalide : le sceau est vérifié mais le registre ne connaît pas la lettre : signalez-le au service",
			"غير صالحة: الختم سليم لكن السجل لا يعرف هذه الرسالة: أبلغ الجهة بذلك",
		},
		"draft: not an official document: this file is not a released letter of %s": {
			"projet : document non officiel : ce fichier n'est pas une lettre émise par %s",
			"مسودة: ليست وثيقة رسمية: هذا الملف ليس رسالة صادرة عن %s",
		},
		" (it is %s version %s":                               {" (c'est %s, version %s", " (إنها %s، النسخة %s"},
		"; exported for %s by %s on %s":                       {" ; exportée pour %s par %s le %s", "؛ صُدّرت إلى %s بواسطة %s في %s"},
		"; exported by %s on %s for a recipient erased since": {" ; exportée par %s le %s pour un destinataire effacé depuis", "؛ صدّرها %s في %s لمستلم مُحي منذ ذلك الحين"},
		"invalid: the registry answered an unknown outcome %q": {
			"invalide : le registre a répondu par un résultat inconnu %q",
			"غير صالحة: أجاب السجل بنتيجة غير معروفة %q",
		},
		"could not verify: the office erased this letter's content; the registry answers %s but has no seal left to prove it (a seal kept beside the letter still verifies with --offline, which does not check retractions)": {
			"vérification impossible : le bureau a effacé le contenu de cette lettre ; le registre répond « %s » mais n'a plus de sceau pour le prouver (un sceau gardé à côté de la lettre se vérifie toujours avec --offline, qui ne vérifie pas les retraits)",
			"تعذّر التحقق: محا المكتب مضمون هذه الرسالة؛ يجيب السجل «%s» لكن لم يبقَ لديه ختم يثبت ذلك (الختم المحفوظ بجانب الرسالة لا يزال يُتحقق منه بـ --offline، الذي لا يتحقق من السحب)",
		},
		"could not verify: the office erased this letter's content; the registry answers %s but has no seal left to prove it (the letter's own seal, where one was kept, still verifies with --offline, which does not check retractions)": {
			"vérification impossible : le bureau a effacé le contenu de cette lettre ; le registre répond « %s » mais n'a plus de sceau pour le prouver (le sceau propre de la lettre, là où il a été gardé, se vérifie toujours avec --offline, qui ne vérifie pas les retraits)",
			"تعذّر التحقق: محا المكتب مضمون هذه الرسالة؛ يجيب السجل «%s» لكن لم يبقَ لديه ختم يثبت ذلك (ختم الرسالة نفسها، حيثما حُفظ، لا يزال يُتحقق منه بـ --offline، الذي لا يتحقق من السحب)",
		},
		"could not verify: the office erased this letter's content; the registry answers %s but has no seal left to prove it (the seal beside it was made before the office had its witnesses, so it does not verify with --offline either)": {
			"vérification impossible : le bureau a effacé le contenu de cette lettre ; le registre répond « %s » mais n'a plus de sceau pour le prouver (le sceau à côté d'elle date d'avant les témoins du bureau : il ne se vérifie pas non plus avec --offline)",
			"تعذّر التحقق: محا المكتب مضمون هذه الرسالة؛ يجيب السجل «%s» لكن لم يبقَ لديه ختم يثبت ذلك (الختم الذي بجانبها صدر قبل أن يكون للمكتب شهوده، فلا يُتحقق منه بـ --offline أيضًا)",
		},
		"could not verify: the office erased this letter's content; the registry answers %s but has no seal left to prove it (the seal beside it was made before the office had its witnesses, so it does not verify with --offline until 'chancery seal refresh %s' proves it against a checkpoint they cosigned)": {
			"vérification impossible : le bureau a effacé le contenu de cette lettre ; le registre répond « %s » mais n'a plus de sceau pour le prouver (le sceau à côté d'elle date d'avant les témoins du bureau : il ne se vérifie avec --offline qu'une fois que « chancery seal refresh %s » l'a prouvé sur un point de contrôle qu'ils ont cosigné)",
			"تعذّر التحقق: محا المكتب مضمون هذه الرسالة؛ يجيب السجل «%s» لكن لم يبقَ لديه ختم يثبت ذلك (الختم الذي بجانبها صدر قبل أن يكون للمكتب شهوده، فلا يُتحقق منه بـ --offline حتى يُثبته الأمر 'chancery seal refresh %s' مقابل نقطة تحقق وقّعوها)",
		},
		"invalid: the registry's seal is malformed: %s": {
			"invalide : le sceau fourni par le registre est mal formé : %s",
			"غير صالحة: الختم الذي قدّمه السجل مشوَّه: %s",
		},
		"invalid: the registry's seal does not verify: %s": {
			"invalide : le sceau fourni par le registre ne se vérifie pas : %s",
			"غير صالحة: تعذّر التحقق من الختم الذي قدّمه السجل: %s",
		},
		"invalid: the registry's latest checkpoint does not verify: %s": {
			"invalide : le dernier point de contrôle fourni par le registre ne se vérifie pas : %s",
			"غير صالحة: تعذّر التحقق من آخر نقطة تحقق قدّمها السجل: %s",
		},
		"invalid: the registry says %s but gives no logged withdrawal": {
			"invalide : le registre indique %s mais ne fournit aucun retrait journalisé",
			"غير صالحة: يفيد السجل بأن الرسالة %s لكنه لا يقدّم أي سحب مقيّد في السجل",
		},
		"invalid: the withdrawal does not verify: %s": {
			"invalide : le retrait ne se vérifie pas : %s",
			"غير صالحة: تعذّر التحقق من السحب: %s",
		},
		"invalid: the retraction is for another letter": {
			"invalide : l'annulation concerne une autre lettre",
			"غير صالحة: الإلغاء يخص رسالة أخرى",
		},
		"invalid: the supersession is for another letter": {
			"invalide : le remplacement concerne une autre lettre",
			"غير صالحة: الاستبدال يخص رسالة أخرى",
		},
		"retracted: %s was retracted on %s by %s: %s": {
			"annulée : %s a été annulée le %s par %s : %s",
			"ملغاة: أُلغيت %s في %s بواسطة %s: %s",
		},
		"superseded: %s was superseded by %s on %s: %s": {
			"remplacée : %s a été remplacée par %s le %s : %s",
			"مستبدلة: استُبدلت %s بالرسالة %s في %s: %s",
		},
		"invalid: the logged withdrawal is not a retraction or supersession": {
			"invalide : le retrait journalisé n'est ni une annulation ni un remplacement",
			"غير صالحة: السحب المقيّد في السجل ليس إلغاءً ولا استبدالًا",
		},
		"invalid: the seal is damaged: %s is not a seal that can be checked (it was cut short or edited); ask the office for the letter's seal again (%s)": {
			"invalide : le sceau est endommagé : %s n'est pas un sceau vérifiable (il a été tronqué ou modifié) ; demandez de nouveau au service le sceau de la lettre (%s)",
			"غير صالحة: الختم تالف: %s ليس ختمًا يمكن التحقق منه (فقد اقتُطع أو عُدّل)؛ اطلب من الجهة ختم الرسالة مجددًا (%s)",
		},
		// Online, when the registry knows neither the file nor its text: no seal of it is to
		// be had from the office.
		"invalid: the seal is damaged: %s is not a seal that can be checked, as it was cut short or edited (%s)": {
			"invalide : le sceau est endommagé : %s n'est pas un sceau vérifiable, car il a été tronqué ou modifié (%s)",
			"غير صالحة: الختم تالف: %s ليس ختمًا يمكن التحقق منه، إذ اقتُطع أو عُدّل (%s)",
		},
		// A seal of a newer format than this build reads (seal.ErrUnsupportedVersion): the
		// remedy is a newer chancery, not another seal.
		"invalid: the seal %s is of a newer format than this chancery reads, so it was not checked: a newer version of chancery checks it (%s)": {
			"invalide : le sceau %s est d'un format plus récent que celui que lit ce chancery et n'a donc pas été vérifié : une version plus récente de chancery le vérifie (%s)",
			"غير صالحة: الختم %s بصيغة أحدث مما يقرؤه هذا الإصدار من chancery، فلم يُتحقَّق منه: يتحقق منه إصدار أحدث من chancery (%s)",
		},
		"%s's key was revoked on %s, after the release": {
			"la clé de %s a été révoquée le %s, après l'émission",
			"أُلغي مفتاح %s في %s، بعد إصدار الرسالة",
		},
		"valid: %s %q, released by %s on %s, signed by %s (log entry %s)": {
			"valide : %s %q, émise par %s le %s, signée par %s (inscription au journal %s)",
			"صالحة: %s %q، صدرت عن %s في %s، ووقّعها %s (القيد %s في السجل)",
		},
		"%s checks seals offline only: it does not ask the registry whether a letter was retracted or superseded since its seal": {
			"%s ne vérifie les sceaux que hors ligne : il ne demande pas au registre si une lettre a été retirée ou remplacée depuis son sceau",
			"لا يتحقق %s من الأختام إلا دون اتصال: لا يسأل السجل هل سُحبت رسالة أو استُبدلت منذ ختمها",
		},
		"add --offline to check the seals against the trust root, or run 'chancery verify' to ask the registry too": {
			"ajoutez --offline pour vérifier les sceaux avec la racine de confiance, ou lancez 'chancery verify' pour interroger aussi le registre",
			"أضف --offline للتحقق من الأختام بجذر الثقة، أو شغّل 'chancery verify' لسؤال السجل أيضًا",
		},
		"trust root of %s: fingerprint %s (SHA-256 of the file %s); compare it with the one the office publishes": {
			"racine de confiance de %s : empreinte %s (SHA-256 du fichier %s) ; comparez-la avec celle que publie le service",
			"جذر الثقة الخاص بـ %s: البصمة %s (SHA-256 للملف %s)؛ قارنها بالبصمة التي تنشرها الجهة",
		},
		"valid: %s %q, released by %s on %s (log entry %s)": {
			"valide : %s %q, émise par %s le %s (inscription au journal %s)",
			"صالحة: %s %q، صدرت عن %s في %s (القيد %s في السجل)",
		},
		"; checkpoint cosigned by %s": {" ; point de contrôle cosigné par %s", "؛ نقطة التحقق موقّعة توقيعًا مشتركًا من %s"},
		"invalid: %s: the answer may be replayed or the log forked; report this to the office": {
			"invalide : %s : la réponse est peut-être rejouée ou le journal bifurqué ; signalez-le au service",
			"غير صالحة: %s: قد تكون الإجابة مُعادة أو أن السجل متشعّب؛ أبلغ الجهة بذلك",
		},
		// A split view that the holder's own files prove: two seals of one run, or a seal and
		// the checkpoint kept on this computer (offline, where no registry answered).
		"invalid: two checkpoints of size %s signed by the log key have different roots (this seal's, %s, and %s, %s): the log was forked; report this to the office": {
			"invalide : deux points de contrôle de taille %s signés par la clé du journal ont des racines différentes (celui de ce sceau, %s, et %s, %s) : le journal a bifurqué ; signalez-le au service",
			"غير صالحة: نقطتا تحقق بالحجم %s موقّعتان بمفتاح السجل لهما جذران مختلفان (نقطة هذا الختم، %s، و%s، %s): لقد تشعّب السجل؛ أبلغ الجهة بذلك",
		},
		// verify's progress line on a terminal, rewritten in place.
		"verified %d of %d files": {"fichiers vérifiés : %d sur %d", "الملفات المتحقَّق منها: %d من %d"},
		"the seal of %s":          {"le sceau de %s", "ختم %s"},
		"the one kept in %s":      {"celui conservé dans %s", "النقطة المحفوظة في %s"},
		" (the seal %s is damaged, so it was not checked: ask the office for the letter's seal again)": {
			" (le sceau %s est endommagé et n'a donc pas été vérifié : redemandez au service le sceau de la lettre)",
			" (الختم %s تالف، فلم يُتحقَّق منه: اطلب ختم الرسالة من الجهة مرة أخرى)",
		},
		// After an answer that is no released letter the office keeps (a draft, an altered
		// copy, an erased letter, a registry not reached): no seal of the file to ask for.
		" (the seal %s is damaged, so it was not checked)": {
			" (le sceau %s est endommagé et n'a donc pas été vérifié)",
			" (الختم %s تالف، فلم يُتحقَّق منه)",
		},
		" (the seal %s is of a newer format than this chancery reads, so it was not checked: a newer version of chancery checks it)": {
			" (le sceau %s est d'un format plus récent que celui que lit ce chancery et n'a donc pas été vérifié : une version plus récente de chancery le vérifie)",
			" (الختم %s بصيغة أحدث مما يقرؤه هذا الإصدار من chancery، فلم يُتحقَّق منه: يتحقق منه إصدار أحدث من chancery)",
		},
		// A seal beside its letter that is there but no file to read (the lead's decision,
		// sixty-first session): a damaged seal, saying what it is.
		"invalid: the seal is damaged: %s": {"invalide : le sceau est endommagé : %s", "غير صالحة: الختم تالف: %s"},
		"invalid: the seal is damaged: %s; ask the office for the letter's seal again": {
			"invalide : le sceau est endommagé : %s ; demandez de nouveau au service le sceau de la lettre",
			"غير صالحة: الختم تالف: %s؛ اطلب من الجهة ختم الرسالة مجددًا",
		},
		" (%s, so no seal was checked: ask the office for the letter's seal again)": {
			" (%s : aucun sceau n'a donc été vérifié ; redemandez au service le sceau de la lettre)",
			" (%s، فلم يُتحقَّق من أي ختم: اطلب ختم الرسالة من الجهة مرة أخرى)",
		},
		" (%s, so no seal was checked)": {
			" (%s : aucun sceau n'a donc été vérifié)",
			" (%s، فلم يُتحقَّق من أي ختم)",
		},
		"%s is a link to nothing":         {"%s est un lien qui ne mène à rien", "%s رابط لا يشير إلى شيء"},
		"%s is a directory, not a seal":   {"%s est un dossier, pas un sceau", "%s مجلد وليس ختمًا"},
		"%s is a named pipe, not a seal":  {"%s est un tube nommé, pas un sceau", "%s أنبوب مسمّى وليس ختمًا"},
		"%s is a device, not a seal":      {"%s est un périphérique, pas un sceau", "%s جهاز وليس ختمًا"},
		"%s is not a file, so not a seal": {"%s n'est pas un fichier, donc pas un sceau", "%s ليس ملفًا، فليس ختمًا"},
		"%s cannot be read: %s":           {"%s ne peut pas être lu : %s", "تتعذّر قراءة %s: %s"},
		// Seals of a folder without their letter (the letter renamed or moved).
		"%s: a seal file with no letter name": {
			"%s : un fichier de sceau sans nom de lettre",
			"%s: ملف ختم بلا اسم رسالة",
		},
		"%s: no letter named %s beside it (renamed or moved?)": {
			"%s : aucune lettre nommée %s à côté (renommée ou déplacée ?)",
			"%s: لا توجد بجانبه رسالة باسم %s (هل أُعيدت تسميتها أو نُقلت؟)",
		},
		" (%s has no letter beside it: if this letter was renamed, give its seal with --seal %s)": {
			" (%s n'a pas de lettre à côté : si cette lettre a été renommée, donnez son sceau avec --seal %s)",
			" (%s ليس بجانبه رسالة: إن أُعيدت تسمية هذه الرسالة فمرّر ختمها عبر --seal %s)",
		},
		" (%s have no letter beside them: if this letter was renamed, give its seal with --seal SEALFILE)": {
			" (%s n'ont pas de lettre à côté : si cette lettre a été renommée, donnez son sceau avec --seal FICHIER.seal)",
			" (%s ليس بجانبها رسائل: إن أُعيدت تسمية هذه الرسالة فمرّر ختمها عبر --seal SEALFILE)",
		},
		// A seal whose checkpoint the trust root's log key did not sign.
		"invalid: the seal's checkpoint is not signed by the log key of the trust root in use, so the seal is likely another office's (or forged), or the trust root is not this office's: check --trust %s (%s)": {
			"invalide : le point de contrôle du sceau n'est pas signé par la clé du journal de la racine de confiance utilisée : le sceau est sans doute celui d'un autre service (ou contrefait), ou la racine de confiance n'est pas celle de ce service : vérifiez --trust %s (%s)",
			"غير صالحة: نقطة تحقق الختم غير موقّعة بمفتاح السجل الخاص بجذر الثقة المستخدم، فالأرجح أن الختم يعود إلى جهة أخرى (أو أنه مزوّر)، أو أن جذر الثقة ليس جذر هذه الجهة: تحقّق من --trust %s (%s)",
		},
		// Online, the registry's answer for a file beside a seal of another office's log.
		" (the seal %s is not signed by this office's log key, so it is likely another office's and was not checked: ask the office for the letter's seal again)": {
			" (le sceau %s n'est pas signé par la clé du journal de ce service : il est sans doute celui d'un autre service et n'a donc pas été vérifié ; redemandez au service le sceau de la lettre)",
			" (الختم %s غير موقّع بمفتاح سجل هذه الجهة، فالأرجح أنه يعود إلى جهة أخرى، ولم يُتحقَّق منه: اطلب ختم الرسالة من الجهة مرة أخرى)",
		},
		" (the seal %s names this office's log but is not signed by its log key, so it is forged, or the trust root out of date, and was not checked: ask the office for the letter's seal again)": {
			" (le sceau %s se réclame du journal de ce service mais n'est pas signé par la clé de ce journal : il est contrefait, ou la racine de confiance n'est pas à jour, et n'a donc pas été vérifié ; redemandez au service le sceau de la lettre)",
			" (الختم %s ينسب نفسه إلى سجل هذه الجهة لكنه غير موقّع بمفتاح هذا السجل، فهو مزوّر أو أن جذر الثقة غير محدَّث، ولم يُتحقَّق منه: اطلب ختم الرسالة من الجهة مرة أخرى)",
		},
		" (the seal %s names this office's log but is not signed by its log key, so it is forged, or the trust root out of date, and was not checked)": {
			" (le sceau %s se réclame du journal de ce service mais n'est pas signé par la clé de ce journal : il est contrefait, ou la racine de confiance n'est pas à jour, et n'a donc pas été vérifié)",
			" (الختم %s ينسب نفسه إلى سجل هذه الجهة لكنه غير موقّع بمفتاح هذا السجل، فهو مزوّر أو أن جذر الثقة غير محدَّث، ولم يُتحقَّق منه)",
		},
		" (the seal %s is not signed by the log key of the trust root in use, so it is likely another office's, or the trust root is not this office's: check --trust %s; the seal was not checked)": {
			" (le sceau %s n'est pas signé par la clé du journal de la racine de confiance utilisée : il est sans doute celui d'un autre service, ou la racine de confiance n'est pas celle de ce service : vérifiez --trust %s ; le sceau n'a pas été vérifié)",
			" (الختم %s غير موقّع بمفتاح السجل الخاص بجذر الثقة المستخدم، فالأرجح أنه يعود إلى جهة أخرى، أو أن جذر الثقة ليس جذر هذه الجهة: تحقّق من --trust %s؛ ولم يُتحقَّق من الختم)",
		},
		"the one this run was shown before": {"celui que cette exécution a vu auparavant", "النقطة التي عُرضت على هذا التشغيل من قبل"},
		// Online, a seal sound but for the file beside it whose checkpoint could not be
		// compared with the kept one (its consistency proof not fetched): the registry's
		// answer for the file stands, and this warning says what was not checked.
		"chancery: warning: %s": {"chancery: avertissement : %s", "chancery: تحذير: %s"},
		"%s: the checkpoint of the seal %s, which is not this file's, could not be compared with the newest one kept of the log: %s; the result printed for this file does not rest on that comparison": {
			"%s : le point de contrôle du sceau %s, qui n'est pas celui de ce fichier, n'a pas pu être comparé avec le plus récent conservé du journal : %s ; le résultat affiché pour ce fichier ne repose pas sur cette comparaison",
			"%s: تعذّرت مقارنة نقطة التحقق الخاصة بالختم %s، وهو ليس ختم هذا الملف، بأحدث نقطة محفوظة من السجل: %s؛ النتيجة المطبوعة لهذا الملف لا تستند إلى هذه المقارنة",
		},
		" (this replaces the line printed above for this file)": {
			" (cette ligne remplace celle affichée plus haut pour ce fichier)",
			" (يحلّ هذا السطر محلّ السطر المطبوع أعلاه لهذا الملف)",
		},
		"unknown: this file is what released letter %s of %s encloses (the letter is in force): the letter's PDF, verified with its seal, is what vouches for it": {
			"inconnue : ce fichier est celui que joint la lettre publiée %s de %s (la lettre est en vigueur) : c'est le PDF de la lettre, vérifié avec son sceau, qui en répond",
			"غير معروفة: هذا الملف هو ما ترفقه الرسالة الصادرة %s عن %s (الرسالة سارية): ما يضمنه هو ملف PDF للرسالة بعد التحقق منه بختمه",
		},
		"unknown: this file is what released letter %s of %s encloses (the letter is retracted): the letter's PDF, verified with its seal, is what vouches for it": {
			"inconnue : ce fichier est celui que joint la lettre publiée %s de %s (la lettre a été retirée) : c'est le PDF de la lettre, vérifié avec son sceau, qui en répond",
			"غير معروفة: هذا الملف هو ما ترفقه الرسالة الصادرة %s عن %s (سُحبت الرسالة): ما يضمنه هو ملف PDF للرسالة بعد التحقق منه بختمه",
		},
		"unknown: this file is what released letter %s of %s encloses (the letter is superseded): the letter's PDF, verified with its seal, is what vouches for it": {
			"inconnue : ce fichier est celui que joint la lettre publiée %s de %s (la lettre a été remplacée) : c'est le PDF de la lettre, vérifié avec son sceau, qui en répond",
			"غير معروفة: هذا الملف هو ما ترفقه الرسالة الصادرة %s عن %s (استُبدلت الرسالة): ما يضمنه هو ملف PDF للرسالة بعد التحقق منه بختمه",
		},
		// The registry's own answer for bytes it does not know, which verify prints as it is.
		"unknown: no letter of this office has these exact bytes": {
			"inconnue : aucune lettre de ce service n'a exactement ces octets",
			"غير معروفة: لا توجد لدى هذه الجهة رسالة تطابق هذا الملف بايتًا ببايت",
		},
	}
})

// The errors and hints 'chancery verify' prints on stderr when it cannot verify (not with
// --json, whose error object stays English). The options, environment variables and
// commands stay as they are typed.
var _ = table(func() Translations {
	return Translations{
		"chancery: error: %s": {"chancery: erreur : %s", "chancery: خطأ: %s"},
		"chancery: hint: %s":  {"chancery: conseil : %s", "chancery: تلميح: %s"},
		"no trust root":       {"aucune racine de confiance", "لا يوجد جذر ثقة"},
		"pass --trust FILE or set CHANCERY_TRUST; 'chancery trust export --out trust.json' writes one": {
			"passez --trust FICHIER ou définissez CHANCERY_TRUST ; « chancery trust export --out trust.json » en écrit une",
			"مرّر --trust FILE أو عيّن CHANCERY_TRUST؛ الأمر 'chancery trust export --out trust.json' يكتب جذرًا"},
		"trust root %s: %v": {"racine de confiance %s : %v", "جذر الثقة %s: %v"},
		"%s is a link to %s, outside its folder: the registry is not asked about it, lest a folder of leaked files make verify send the registry the digest and text of this computer's files; verify %s by its own path if it is a letter": {
			"%s est un lien vers %s, hors de son dossier : le registre n'est pas interrogé à son sujet, de peur qu'un dossier de fichiers divulgués fasse envoyer par verify au registre l'empreinte et le texte des fichiers de cet ordinateur ; vérifiez %s par son propre chemin si c'est une lettre",
			"%s رابط إلى %s خارج مجلده: لا يُسأل السجل عنه، كي لا يجعل مجلدٌ من الملفات المسرّبة الأمرَ verify يرسل إلى السجل بصمة ملفات هذا الحاسوب ونصها؛ تحقّق من %s بمساره الخاص إن كان رسالة"},
		"cannot read the trust root %s: %v": {
			"impossible de lire la racine de confiance %s : %v",
			"تعذّرت قراءة جذر الثقة %s: %v"},
		"--trust (or CHANCERY_TRUST) names the trust root the office publishes; 'chancery trust export --out trust.json' writes one": {
			"--trust (ou CHANCERY_TRUST) désigne la racine de confiance que publie le bureau ; « chancery trust export --out trust.json » en écrit une",
			"يحدّد --trust (أو CHANCERY_TRUST) جذر الثقة الذي ينشره المكتب؛ الأمر 'chancery trust export --out trust.json' يكتب جذرًا"},
		"%s is not a valid trust root: %s": {
			"%s n'est pas une racine de confiance valide : %s",
			"%s ليس جذر ثقة صالحًا: %s"},
		"--trust takes the trust root the office publishes, the JSON file that 'chancery trust export' writes, not a letter or its seal": {
			"--trust attend la racine de confiance que publie le bureau, le fichier JSON qu'écrit « chancery trust export », pas une lettre ni son sceau",
			"يأخذ --trust جذر الثقة الذي ينشره المكتب، أي ملف JSON الذي يكتبه 'chancery trust export'، لا رسالة ولا ختمها"},
		"cannot read the file to verify %s: %v": {
			"impossible de lire le fichier à vérifier %s : %v",
			"تعذّرت قراءة الملف المراد التحقق منه %s: %v"},
		"check the path: pass the letters to verify, or the folder that holds them": {
			"vérifiez le chemin : passez les lettres à vérifier, ou le dossier qui les contient",
			"تحقّق من المسار: مرّر الرسائل المراد التحقق منها، أو المجلد الذي يضمها"},
		"--seal goes with exactly one file": {
			"--seal ne s'emploie qu'avec un seul fichier",
			"يُستخدم --seal مع ملف واحد فقط"},
		"put each seal beside its file as FILE.seal to verify several": {
			"placez chaque sceau à côté de son fichier sous le nom FICHIER.seal pour en vérifier plusieurs",
			"ضع كل ختم بجانب ملفه باسم FILE.seal للتحقق من عدة ملفات"},
		"--max-age %s is negative": {
			"--max-age %s est négatif",
			"قيمة --max-age %s سالبة"},
		"give how old the witnesses' cosignatures may be, such as 720h, or leave --max-age out for no bound": {
			"indiquez l'âge que peuvent avoir les cosignatures des témoins, par exemple 720h, ou omettez --max-age pour n'en fixer aucun",
			"حدّد العمر المسموح لتوقيعات الشهود المشتركة، مثل 720h، أو احذف --max-age لعدم وضع حدّ"},
		"--max-age needs a trust root with witnesses": {
			"--max-age demande une racine de confiance avec des témoins",
			"يتطلب --max-age جذر ثقة فيه شهود"},
		"the freshness bound is on the witnesses' cosignatures; this trust root requires none": {
			"la limite de fraîcheur porte sur les cosignatures des témoins ; cette racine de confiance n'en exige aucune",
			"حدّ الحداثة يخص توقيعات الشهود المشتركة؛ وجذر الثقة هذا لا يشترط أيًّا منها"},
		"%s is not a file, nor a link to one, so the folder cannot be verified whole": {
			"%s n'est ni un fichier ni un lien vers un fichier : le dossier ne peut pas être vérifié en entier",
			"%s ليس ملفًا ولا رابطًا إلى ملف، فلا يمكن التحقق من المجلد كاملًا"},
		"verify what it names by its own path, or take it out of the folder": {
			"vérifiez ce qu'il désigne par son propre chemin, ou retirez-le du dossier",
			"تحقّق مما يشير إليه بمساره الخاص، أو أخرجه من المجلد"},
		"%s holds no files to verify": {"%s ne contient aucun fichier à vérifier", "لا يحتوي %s على ملفات للتحقق منها"},
		"pass the folder of the letters, or the files themselves; .seal files are read beside their letters, not verified alone": {
			"passez le dossier des lettres, ou les fichiers eux-mêmes ; les fichiers .seal sont lus à côté de leurs lettres, pas vérifiés seuls",
			"مرّر مجلد الرسائل أو الملفات نفسها؛ تُقرأ ملفات .seal بجانب رسائلها ولا يُتحقق منها وحدها"},
		"%d of %d files could not be verified": {
			"fichiers qui n'ont pas pu être vérifiés : %d sur %d",
			"ملفات تعذّر التحقق منها: %d من أصل %d"},
		"%s is a seal, not a letter: verify the letter's own file, with this seal beside it (FILE.seal) or named with --seal": {
			"%s est un sceau, pas une lettre : vérifiez le fichier de la lettre elle-même, avec ce sceau à côté (FICHIER.seal) ou désigné par --seal",
			"%s ختم وليس رسالة: تحقّق من ملف الرسالة نفسه، مع هذا الختم بجانبه (FILE.seal) أو بتحديده عبر --seal"},
		"no seal %s: offline verification needs the letter's seal": {
			"pas de sceau %s : la vérification hors ligne a besoin du sceau de la lettre",
			"لا يوجد الختم %s: يحتاج التحقق دون اتصال إلى ختم الرسالة"},
		"cannot open %s: %v": {"impossible d'ouvrir %s : %v", "تعذّر فتح %s: %v"},
		"cannot read %s: %v": {"impossible de lire %s : %v", "تعذّرت قراءة %s: %v"},
		// The system's reasons, as Go words them on Unix.
		"no such file or directory": {"fichier ou dossier introuvable", "لا يوجد ملف أو مجلد بهذا الاسم"},
		"permission denied":         {"permission refusée", "الإذن مرفوض"},
		"is a directory":            {"est un dossier", "هذا مجلد"},
		"not a directory":           {"n'est pas un dossier", "ليس مجلدًا"},
	}
})
