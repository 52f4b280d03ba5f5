package i18n

// The registry's refusals and the release policy's requirements and notes, which the member
// pages show (the API and the command line print their English texts, unchanged). The
// vocabulary is that of web_member.go.
var _ = table(func() Translations {
	return Translations{
		// The kinds of refusal (the registry's sentinel errors), and how one opens a message.
		"invalid request": {"requête invalide", "طلب غير صالح"},
		"forbidden":       {"refusé", "غير مسموح"},
		"conflict":        {"conflit", "تعارض"},
		"not found":       {"introuvable", "غير موجود"},
		"not signed in":   {"non connecté", "لم يُسجَّل الدخول"},
		"erased":          {"effacée", "ممحوّة"},
		"%s: %s":          {"%s : %s", "%s: %s"},
		"; ":              {" ; ", "؛ "},
		// A message that is already a text (a note read back from JSON), and errors wrapped as
		// they are.
		"%s":     {"%s", "%s"},
		"%v":     {"%v", "%v"},
		"%s: %v": {"%s : %v", "%s: %v"},

		// The fields of a letter a text is checked for.
		"subject":        {"l'objet", "الموضوع"},
		"class":          {"la catégorie", "التصنيف"},
		"tag":            {"l'étiquette", "الوسم"},
		"addressee":      {"le destinataire", "المرسَل إليه"},
		"recipient":      {"le destinataire", "المستلِم"},
		"organization":   {"l'organisation", "الجهة"},
		"e-mail address": {"l'adresse électronique", "عنوان البريد الإلكتروني"},
		"%v (the address of recipient %s was stored before that was refused): nothing is sent to them until their addresses are given again (chancery recipient set-emails)": {
			"%v (l'adresse du destinataire %s a été enregistrée avant que cela ne soit refusé) : rien ne lui est envoyé tant que ses adresses ne sont pas données de nouveau (chancery recipient set-emails)",
			"%v (خُزّن عنوان المستلِم %s قبل أن يُرفض ذلك): لا يُرسَل إليه شيء حتى تُدخَل عناوينه من جديد (chancery recipient set-emails)"},
		"reason":         {"le motif", "السبب"},
		"file name":      {"le nom de fichier", "اسم الملف"},
		"the comment":    {"le commentaire", "التعليق"},
		"member name":    {"le nom de membre", "اسم العضو"},
		"recipient name": {"le nom de destinataire", "اسم المستلِم"},
		"webhook name":   {"le nom du webhook", "اسم الـ webhook"},
		"office name":    {"le nom du bureau", "اسم المكتب"},
		"office name %q has no letter, digit or sign to read": {
			"le nom du bureau %q n'a ni lettre, ni chiffre, ni signe à lire",
			"لا يحتوي اسم المكتب %q على حرف أو رقم أو رمز يُقرأ"},
		"office name %q contains the space %U at byte %d, which verifiers refuse in a trust root: type an ordinary space instead": {
			"le nom du bureau %q contient l'espace %U à l'octet %d, que les vérificateurs refusent dans une racine de confiance : tapez une espace ordinaire à la place",
			"يحتوي اسم المكتب %q على المسافة %U عند البايت %d، التي يرفضها المتحققون في جذر الثقة: اكتب مسافة عادية بدلًا منها"},
		"office name %q contains a zero-width non-joiner at byte %d, which verifiers refuse in a trust root: type the name without it": {
			"le nom du bureau %q contient un antiliant sans chasse à l'octet %d, que les vérificateurs refusent dans une racine de confiance : tapez le nom sans lui",
			"يحتوي اسم المكتب %q على فاصل غير واصل عديم العرض عند البايت %d، يرفضه المتحققون في جذر الثقة: اكتب الاسم من دونه"},
		"office name %q has two spaces in a row at byte %d: type one": {
			"le nom du bureau %q a deux espaces de suite à l'octet %d : n'en tapez qu'une",
			"يحتوي اسم المكتب %q على مسافتين متتاليتين عند البايت %d: اكتب مسافة واحدة"},
		"office name %q begins with a combining mark (%U): type the letter it belongs to first": {
			"le nom du bureau %q commence par un signe combinant (%U) : tapez d'abord la lettre qui le porte",
			"يبدأ اسم المكتب %q بعلامة تركيبية (%U): اكتب أولًا الحرف الذي تنتمي إليه"},
		"%s contains the control character (%U) at byte %d: type it again without it": {
			"%s contient le caractère de contrôle %U à l'octet %d : saisissez-le de nouveau sans lui",
			"يحتوي حقل %s على محرف التحكم %U عند البايت %d: اكتبه مجددًا من دونه"},
		"%s contains the invisible character (%U) at byte %d: type it again without it": {
			"%s contient le caractère invisible %U à l'octet %d : saisissez-le de nouveau sans lui",
			"يحتوي حقل %s على المحرف غير المرئي %U عند البايت %d: اكتبه مجددًا من دونه"},
		"%s contains the invisible character %s (%U) at byte %d: type it again without it": {
			"%s contient le caractère invisible %s (%U) à l'octet %d : saisissez-le de nouveau sans lui",
			"يحتوي حقل %s على المحرف غير المرئي %s (%U) عند البايت %d: اكتبه مجددًا من دونه"},
		"%s is empty": {"%s est vide", "حقل %s فارغ"},
		"%s %q begins or ends with a space: type it again without it": {
			"%s %q commence ou finit par une espace : saisissez-le de nouveau sans elle",
			"يبدأ حقل %s %q أو ينتهي بمسافة: اكتبه مجددًا من دونها"},
		"group %s lists %q, who is not a member but reads as the member %q: write their name as it is": {
			"le groupe %s mentionne %q, qui n'est pas membre mais se lit comme le membre %q : écrivez son nom tel qu'il est",
			"المجموعة %s تذكر %q، وليس عضوًا لكنه يُقرأ كالعضو %q: اكتب اسمه كما هو"},
		"member name %q reads as %q, whom group %s of the policy in force lists: the group would never count this member; choose the name as the policy writes it, or one that cannot be mistaken for it": {
			"le nom de membre %q se lit comme %q, que le groupe %s de la politique en vigueur énumère : le groupe ne compterait jamais ce membre ; choisissez le nom tel que la politique l'écrit, ou un nom qu'on ne puisse pas confondre avec lui",
			"اسم العضو %q يُقرأ كـ%q الذي تذكره المجموعة %s من السياسة النافذة: لن تحتسب المجموعة هذا العضو أبدًا؛ اختر الاسم كما تكتبه السياسة، أو اسمًا لا يمكن الخلط بينه وبينه"},
		"member name %q looks like the name of the member %q: choose a name that cannot be mistaken for it": {
			"le nom de membre %q ressemble au nom du membre %q : choisissez un nom qu'on ne puisse pas confondre avec lui",
			"اسم العضو %q يشبه اسم العضو %q: اختر اسمًا لا يمكن الخلط بينه وبينه"},
		"recipient name %q looks like the name of the recipient %q: choose a name that cannot be mistaken for it": {
			"le nom de destinataire %q ressemble au nom du destinataire %q : choisissez un nom qu'on ne puisse pas confondre avec lui",
			"اسم المستلِم %q يشبه اسم المستلِم %q: اختر اسمًا لا يمكن الخلط بينه وبينه"},
		"%s mixes %s and %s letters in the word %q: type it again in one script": {
			"%s mêle des lettres %s et %s dans le mot %q : saisissez-le de nouveau dans une seule écriture",
			"حقل %s يخلط حروفًا %s و%s في الكلمة %q: اكتبها مجددًا بكتابة واحدة"},
		"%s is not valid UTF-8 (byte %d)": {
			"%s n'est pas de l'UTF-8 valide (octet %d)",
			"حقل %s ليس بترميز UTF-8 صالح (البايت %d)"},
		"%s must be one line of valid UTF-8 of at most %d bytes": {
			"%s doit tenir sur une ligne d'UTF-8 valide d'au plus %d octets",
			"يجب أن يكون حقل %s سطرًا واحدًا بترميز UTF-8 صالح لا يتجاوز %d بايت"},

		// Letters: creation, revision, decisions and signatures.
		"the file is empty": {"le fichier est vide", "الملف فارغ"},
		"%s begins like a picture (%s) but cannot be read as one (%v): a file that is not a picture can be sent inside a ZIP archive, which the letter encloses as it is": {
			"%s commence comme une image (%s) mais ne peut pas être lu comme telle (%v) : un fichier qui n'est pas une image peut être envoyé dans une archive ZIP, que la lettre joint telle quelle",
			"يبدأ الملف %s كما تبدأ الصورة (%s) لكن تتعذر قراءته صورةً (%v): يمكن إرسال ملف ليس صورة داخل أرشيف ZIP، ترفقه الرسالة كما هو"},
		"a letter needs at least one addressee": {"une lettre a besoin d'au moins un destinataire", "تحتاج الرسالة إلى مرسَل إليه واحد على الأقل"},
		"class %q is not one of the policy's classes: %s": {
			"la catégorie %q ne fait pas partie des catégories de la politique : %s",
			"التصنيف %q ليس من تصنيفات السياسة: %s"},
		"tag %q is given twice": {
			"l'étiquette %q est donnée deux fois",
			"الوسم %q مذكور مرتين"},
		"addressee %q is given twice": {
			"le destinataire %q est donné deux fois",
			"المرسَل إليه %q مذكور مرتين"},
		"addressees %q and %q differ only in capitals: give the addressee once": {
			"les destinataires %q et %q ne diffèrent que par les majuscules : donnez le destinataire une fois",
			"لا يختلف المرسَل إليهما %q و%q إلا في الأحرف الكبيرة: اذكر المرسَل إليه مرة واحدة"},
		"tag %q is not one of the policy's tags: %s": {
			"l'étiquette %q ne fait pas partie des étiquettes de la politique : %s",
			"الوسم %q ليس من وسوم السياسة: %s"},
		"class %q reads as %q, which the policy names, but is not it: write it as the policy does": {
			"la catégorie %q se lit comme %q, que nomme la politique, mais n'est pas elle : écrivez-la comme la politique",
			"التصنيف %q يُقرأ كأنه %q الذي تذكره السياسة، لكنه ليس هو: اكتبه كما تكتبه السياسة"},
		"tag %q reads as %q, which the policy names, but is not it: write it as the policy does": {
			"l'étiquette %q se lit comme %q, que nomme la politique, mais n'est pas elle : écrivez-la comme la politique",
			"الوسم %q يُقرأ كأنه %q الذي تذكره السياسة، لكنه ليس هو: اكتبه كما تكتبه السياسة"},
		"class %q reads as holding %q, which a condition of the policy looks for, but does not hold it: write it as the policy does": {
			"la catégorie %q se lit comme contenant %q, que cherche une condition de la politique, mais ne le contient pas : écrivez-la comme la politique",
			"التصنيف %q يُقرأ كأنه يتضمن %q الذي يبحث عنه شرط في السياسة، لكنه لا يتضمنه: اكتبه كما تكتبه السياسة"},
		"tag %q reads as holding %q, which a condition of the policy looks for, but does not hold it: write it as the policy does": {
			"l'étiquette %q se lit comme contenant %q, que cherche une condition de la politique, mais ne le contient pas : écrivez-la comme la politique",
			"الوسم %q يُقرأ كأنه يتضمن %q الذي يبحث عنه شرط في السياسة، لكنه لا يتضمنه: اكتبه كما تكتبه السياسة"},
		"class %q reads as one that the pattern %q of a condition of the policy matches, but is not: write it as the policy does": {
			"la catégorie %q se lit comme une que le motif %q d'une condition de la politique reconnaît, mais n'en est pas une : écrivez-la comme la politique",
			"التصنيف %q يُقرأ كأنه مما يطابقه النمط %q في شرط من السياسة، لكنه ليس كذلك: اكتبه كما تكتبه السياسة"},
		"tag %q reads as one that the pattern %q of a condition of the policy matches, but is not: write it as the policy does": {
			"l'étiquette %q se lit comme une que le motif %q d'une condition de la politique reconnaît, mais n'en est pas une : écrivez-la comme la politique",
			"الوسم %q يُقرأ كأنه مما يطابقه النمط %q في شرط من السياسة، لكنه ليس كذلك: اكتبه كما تكتبه السياسة"},
		"%v: the policy in force was not written for such a letter, which is not released under it; create it again with one it declares": {
			"%v : la politique en vigueur n'a pas été écrite pour une telle lettre, qui n'est pas émise sous elle ; créez-la de nouveau avec l'une de celles qu'elle déclare",
			"%v: لم تُكتب السياسة السارية لمثل هذه الرسالة، فلا تُصدَر في ظلها؛ أنشئها من جديد بواحد مما تعلنه"},
		"the file is identical to version %d: a revision must change the letter": {
			"le fichier est identique à la version %d : une révision doit modifier la lettre",
			"الملف مطابق للنسخة %d: يجب أن تُغيّر المراجعة الرسالة"},
		"%s is already released":      {"%s est déjà émise", "%s صادرة بالفعل"},
		"%s has no version %d":        {"%s n'a pas de version %d", "ليس لـ %s نسخة رقم %d"},
		"a rejection needs a comment": {"un rejet doit être accompagné d'un commentaire", "يحتاج الرفض إلى تعليق"},
		"the comment must be valid UTF-8 of at most 4000 bytes": {
			"le commentaire doit être en UTF-8 valide et faire au plus 4000 octets",
			"يجب أن يكون التعليق بترميز UTF-8 صالح وألا يتجاوز 4000 بايت"},
		"%d keys have IDs starting with %s: give more of the key ID": {
			"%d clés ont un identifiant qui commence par %s : donnez-en davantage",
			"%d مفاتيح تبدأ معرّفاتها بـ %s: اذكر جزءًا أطول من معرّف المفتاح"},
		"%s is not the latest version of %s (version %d is %s): read the latest version first": {
			"%s n'est pas la dernière version de %s (la version %d est %s) : lisez d'abord la dernière version",
			"%s ليست أحدث نسخة من %s (النسخة %d هي %s): اقرأ أحدث نسخة أولًا"},
		"%s drafted %s and cannot approve it": {"%s a rédigé %s et ne peut pas l'approuver", "صاغ %s الرسالة %s ولا يجوز له الموافقة عليها"},
		"%s drafted %s and cannot sign it":    {"%s a rédigé %s et ne peut pas la signer", "صاغ %s الرسالة %s ولا يجوز له توقيعها"},
		"%s already approved version %d":      {"%s a déjà approuvé la version %d", "سبق أن وافق %s على النسخة %d"},
		"the signed statement is not the current one for %s (it changed, or was made for another letter or version): fetch it again": {
			"la déclaration signée n'est pas celle qui vaut pour %s (elle a changé, ou a été faite pour une autre lettre ou version) : récupérez-la de nouveau",
			"الإقرار الموقَّع ليس الإقرار الحالي لـ %s (فقد تغيّر، أو أُعدّ لرسالة أو نسخة أخرى): اجلبه مجددًا"},
		"key %s has already signed version %d under this policy": {
			"la clé %s a déjà signé la version %d sous cette politique",
			"سبق أن وقّع المفتاح %s النسخة %d في ظل هذه السياسة"},
		"key %s is not registered":                   {"la clé %s n'est pas enregistrée", "المفتاح %s غير مسجَّل"},
		"key %s belongs to another member":           {"la clé %s appartient à un autre membre", "المفتاح %s يخص عضوًا آخر"},
		"key %s was revoked (log entry %d)":          {"la clé %s a été révoquée (inscription au journal %d)", "أُلغي المفتاح %s (القيد %d في السجل)"},
		"the signature does not verify with key %s":  {"la signature ne se vérifie pas avec la clé %s", "تعذّر التحقق من التوقيع بالمفتاح %s"},
		"an Ed25519 public key has 32 bytes, not %d": {"une clé publique Ed25519 fait 32 octets, pas %d", "المفتاح العام Ed25519 طوله 32 بايت، لا %d"},
		"this public key is of small order: anyone could sign under it; make a new key": {
			"cette clé publique est d'ordre petit : n'importe qui pourrait signer avec elle ; créez une nouvelle clé",
			"هذا المفتاح العام من رتبة صغيرة: يمكن لأي أحد التوقيع به؛ أنشئ مفتاحًا جديدًا"},
		"these exact bytes are already released as another letter": {
			"ces octets exacts sont déjà émis comme une autre lettre",
			"هذه البيانات نفسها صدرت بالفعل بوصفها رسالة أخرى"},
		"%s changed while it was being released: try again": {
			"%s a changé pendant son émission : réessayez",
			"تغيّرت %s أثناء إصدارها: أعد المحاولة"},
		"the release policy changed while %s was being released: try again": {
			"la politique d'émission a changé pendant l'émission de %s : réessayez",
			"تغيّرت سياسة الإصدار أثناء إصدار %s: أعد المحاولة"},
		"the signed record comes without its opening (a client older than seal format v2?): fetch a new statement": {
			"l'enregistrement signé arrive sans son ouverture (un client antérieur au format de sceau v2 ?) : récupérez une nouvelle déclaration",
			"وصل السجل الموقَّع دون فتحته (عميل أقدم من صيغة الختم v2؟): اجلب إقرارًا جديدًا"},
		"the signed statement does not match %s as it stands": {
			"la déclaration signée ne correspond pas à %s dans son état actuel",
			"الإقرار الموقَّع لا يطابق %s على حالها الراهنة"},
		"the statement is dated %s, before the release it points at (%s): fetch a new one": {
			"la déclaration est datée du %s, avant l'émission qu'elle vise (%s) : récupérez-en une nouvelle",
			"الإقرار مؤرَّخ في %s، قبل الإصدار الذي يشير إليه (%s): اجلب إقرارًا جديدًا"},
		"the statement was made at %s, too far from now: fetch a new one": {
			"la déclaration a été faite le %s, trop loin de maintenant : récupérez-en une nouvelle",
			"أُعدّ الإقرار في %s، وهو بعيد جدًا عن الآن: اجلب إقرارًا جديدًا"},

		// Withdrawals and erasure.
		"%s is not released: a draft needs no retraction": {
			"%s n'est pas émise : un projet n'a pas besoin d'être annulé",
			"%s لم تصدر: المسودة لا تحتاج إلى إلغاء"},
		"%s is not released: release the new letter first": {
			"%s n'est pas émise : émettez d'abord la nouvelle lettre",
			"%s لم تصدر: أصدر الرسالة الجديدة أولًا"},
		"%s is already withdrawn (%s at log entry %d)": {
			"%s est déjà retirée (%s, inscription au journal %d)",
			"سُحبت %s بالفعل (%s في القيد %d من السجل)"},
		"%s is itself withdrawn": {"%s est elle-même retirée", "%s مسحوبة هي نفسها"},
		"%s is not addressed to %s, as %s is: the holders of %s would learn of a letter not meant for them (check the reference, or retract %s)": {
			"%s n'est pas adressée à %s, comme l'est %s : les détenteurs de %s apprendraient l'existence d'une lettre qui ne leur est pas destinée (vérifiez la référence, ou retirez %s)",
			"%s غير موجهة إلى %s كما هي %s: سيعلم حائزو %s برسالة غير موجهة إليهم (تحقق من المرجع، أو اسحب %s)"},
		"a draft copy of the released text of %s was made for %s, who would be handed %s by a supersession: dispatch %s to %s first, or retract %s and dispatch %s to its addressees": {
			"une copie de projet du texte publié de %s a été faite pour %s, à qui un remplacement remettrait %s : expédiez d'abord %s à %s, ou retirez %s et expédiez %s à ses destinataires",
			"أُعدّت نسخة مسودة من النص الصادر لـ %s من أجل %s، وسيسلّمه الاستبدال %s: أرسل %s إلى %s أولًا، أو اسحب %s وأرسل %s إلى المرسَل إليهم"},
		"a draft copy of the released text of %s was made for %s, who would be handed %s by a supersession: retract %s and dispatch %s to its addressees": {
			"une copie de projet du texte publié de %s a été faite pour %s, à qui un remplacement remettrait %s : retirez %s et expédiez %s à ses destinataires",
			"أُعدّت نسخة مسودة من النص الصادر لـ %s من أجل %s، وسيسلّمه الاستبدال %s: اسحب %s وأرسل %s إلى المرسَل إليهم"},
		"%s was dispatched to %s, to whom %s is neither addressed nor dispatched: the holders of %s would learn of a letter not meant for them (dispatch %s to %s first, or retract %s)": {
			"%s a été expédiée à %s, à qui %s n'est ni adressée ni expédiée : les détenteurs de %s apprendraient l'existence d'une lettre qui ne leur est pas destinée (expédiez d'abord %s à %s, ou retirez %s)",
			"أُرسلت %s إلى %s، و%s غير موجهة إليه ولم تُرسل إليه: سيعلم حائزو %s برسالة غير موجهة إليهم (أرسل %s إلى %s أولًا، أو اسحب %s)"},
		"%s was dispatched to %s, to whom %s is neither addressed nor dispatched: the holders of %s would learn of a letter not meant for them (retract %s)": {
			"%s a été expédiée à %s, à qui %s n'est ni adressée ni expédiée : les détenteurs de %s apprendraient l'existence d'une lettre qui ne leur est pas destinée (retirez %s)",
			"أُرسلت %s إلى %s، و%s غير موجهة إليه ولم تُرسل إليه: سيعلم حائزو %s برسالة غير موجهة إليهم (اسحب %s)"},
		"%s is not addressed to %s, and the rule %s of the policy in force would apply to it if it were: its release was not checked against that rule (create a letter addressed to %s)": {
			"%s n'est pas adressée à %s, et la règle %s de la politique en vigueur s'y appliquerait si elle l'était : son émission n'a pas été vérifiée selon cette règle (créez une lettre adressée à %s)",
			"%s غير موجهة إلى %s، والقاعدة %s من السياسة النافذة تنطبق عليها لو كانت موجهة إليه: لم يُتحقق من إصدارها وفق تلك القاعدة (أنشئ رسالة موجهة إلى %s)"},
		"%s is not addressed to %s, and the policy in force does not compile with this version of Chancery: whether one of its rules would apply to it if it were is not known (dispatch it once an admin has adopted a policy that compiles)": {
			"%s n'est pas adressée à %s, et la politique en vigueur ne se compile pas avec cette version de Chancery : on ne sait pas si l'une de ses règles s'y appliquerait si elle l'était (expédiez-la quand un administrateur aura adopté une politique qui se compile)",
			"%s غير موجهة إلى %s، والسياسة السارية لا تُصرَّف بهذا الإصدار من Chancery: لا يُعرف هل تنطبق عليها إحدى قواعدها لو كانت موجهة إليه (أرسلها بعد أن يعتمد مشرفٌ سياسة تُصرَّف)"},
		"the rules of the policy %s was released under are not known to this version of Chancery: whether its release was checked against what the policy in force asks of it addressed to %s is not known (create a letter addressed to them)": {
			"les règles de la politique sous laquelle %s a été émise ne sont pas connues de cette version de Chancery : on ne sait pas si son émission a été vérifiée selon ce que la politique en vigueur en exigerait si elle était adressée à %s (créez une lettre qui lui est adressée)",
			"قواعد السياسة التي أُصدرت %s بموجبها غير معروفة لهذا الإصدار من Chancery: لا يُعرف هل تُحقِّق من إصدارها وفق ما تطلبه السياسة السارية لو كانت موجهة إلى %s (أنشئ رسالة موجهة إليه)"},
		"the organisation %q of recipient %s is not stored as it reads (the recipient was added before that was refused), and a rule naming it would not apply to it: %s is not dispatched to them; retire the recipient and add them again": {
			"l'organisation %q du destinataire %s n'est pas enregistrée telle qu'elle se lit (le destinataire a été ajouté avant que ce soit refusé), et une règle qui la nomme ne s'y appliquerait pas : %s ne lui est pas expédiée ; retirez le destinataire et ajoutez-le de nouveau",
			"الجهة %q للمستلِم %s غير مخزنة كما تُقرأ (أُضيف المستلِم قبل أن يُرفض ذلك)، ولن تنطبق عليها قاعدة تسمّيها: لا تُرسل %s إليه؛ أوقف المستلِم وأضفه من جديد"},
		"%v (recipient %s was added before that was refused): %s is not dispatched to them; retire the recipient and add them again": {
			"%v (le destinataire %s a été ajouté avant que ce soit refusé) : %s ne lui est pas expédiée ; retirez le destinataire et ajoutez-le de nouveau",
			"%v (أُضيف المستلِم %s قبل أن يُرفض ذلك): لا تُرسل %s إليه؛ أوقف المستلِم وأضفه من جديد"},
		"a policy was adopted that this server has not read yet: try again in a few seconds": {
			"une politique a été adoptée que ce serveur n'a pas encore lue : réessayez dans quelques secondes",
			"اعتُمدت سياسة لم يقرأها هذا الخادم بعد: أعد المحاولة بعد بضع ثوانٍ"},
		"a letter cannot supersede itself": {"une lettre ne peut pas se remplacer elle-même", "لا يجوز أن تستبدل الرسالة نفسها"},
		"the content of %s was erased, and with it whom it was for: it cannot be superseded (retract it instead)": {
			"le contenu de %s a été effacé, et avec lui ses destinataires : elle ne peut pas être remplacée (retirez-la plutôt)",
			"مُحي محتوى %s ومعه من وُجّهت إليهم: لا يمكن استبدالها (اسحبها بدلًا من ذلك)"},
		"%s was already erased on %s":        {"%s a déjà été effacée le %s", "مُحيت %s بالفعل في %s"},
		"the content of %s was erased":       {"le contenu de %s a été effacé", "مُحي محتوى %s"},
		"the content of %s was erased on %s": {"le contenu de %s a été effacé le %s", "مُحي محتوى %s في %s"},

		// Members, roles and accounts.
		"%s needs the %s role": {"%s doit avoir le rôle %s", "يحتاج %s إلى الدور %s"},
		"%s is disabled":       {"%s est désactivé", "%s معطَّل"},
		"a password that guessing tries first (a character or a short string repeated, a run of the alphabet, of the digits or of a keyboard row): choose another": {
			"un mot de passe que l'on essaie en premier pour deviner (un caractère ou une courte chaîne répétés, une suite de l'alphabet, des chiffres ou d'une rangée du clavier) : choisissez-en un autre",
			"كلمة مرور يجرّبها التخمين أولًا (حرف أو سلسلة قصيرة مكرّرة، أو تتابع من الأبجدية أو الأرقام أو صفّ من لوحة المفاتيح): اختر غيرها"},
		"only a token of 'chancery login' can be signed out: a member's lasting token ends when an admin issues a new one": {
			"seul un jeton de « chancery login » peut être déconnecté : le jeton durable d'un membre prend fin quand un administrateur en émet un nouveau",
			"لا يمكن تسجيل الخروج إلا لرمز صادر عن «chancery login»: ينتهي الرمز الدائم للعضو عندما يصدر مسؤول رمزًا جديدًا"},
		"%s no longer holds the signer role": {"%s n'a plus le rôle de signataire", "لم يعد %s يحمل دور الموقِّع"},
		"%s no longer holds the %s role":     {"%s n'a plus le rôle %s", "لم يعد %s يحمل الدور %s"},
		"%s is disabled: enable them first":  {"%s est désactivé : réactivez-le d'abord", "%s معطَّل: فعّله أولًا"},
		"%s is not disabled":                 {"%s n'est pas désactivé", "%s غير معطَّل"},
		"%s is already disabled (since %s)":  {"%s est déjà désactivé (depuis le %s)", "%s معطَّل بالفعل (منذ %s)"},
		"%s is the last active admin":        {"%s est le dernier administrateur actif", "%s هو آخر مسؤول نشط"},
		"%s is the last active admin: make another member admin first": {
			"%s est le dernier administrateur actif : nommez d'abord un autre membre administrateur",
			"%s هو آخر مسؤول نشط: اجعل عضوًا آخر مسؤولًا أولًا"},
		"%s does not hold the %s role (roles: %s)": {"%s n'a pas le rôle %s (rôles : %s)", "لا يحمل %s الدور %s (أدواره: %s)"},
		"%s has no role: the office's letters are for members with a role": {
			"%s n'a aucun rôle : les lettres du service sont réservées aux membres qui en ont un",
			"ليس لـ %s أي دور: رسائل الجهة مخصّصة للأعضاء الذين لهم دور"},
		"%s signs in through the office's identity provider, which governs their roles: they cannot set themselves a password": {
			"%s se connecte par le fournisseur d'identité du service, qui gère ses rôles : il ne peut pas se donner un mot de passe",
			"يسجّل %s الدخول عبر مزوّد الهوية لدى الجهة، الذي يدير أدواره: لا يمكنه أن يعيّن لنفسه كلمة مرور"},
		"%s signs in through the office's identity provider, which governs their roles: they cannot issue themselves a token": {
			"%s se connecte par le fournisseur d'identité du service, qui gère ses rôles : il ne peut pas se donner un jeton",
			"يسجّل %s الدخول عبر مزوّد الهوية لدى الجهة، الذي يدير أدواره: لا يمكنه أن يصدر لنفسه رمزًا"},
		"unknown role %q (roles: %s; an office's own roles, such as legal, exist once its policy names them)": {
			"rôle inconnu %q (rôles : %s ; les rôles propres à un service, comme legal, existent dès que sa politique les nomme)",
			"دور غير معروف %q (الأدوار: %s؛ أدوار الجهة الخاصة، مثل legal، توجد متى سمّتها سياستها)"},
		"no role to add or remove":             {"aucun rôle à ajouter ni à retirer", "لا دور لإضافته أو إزالته"},
		"role %q is both added and removed":    {"le rôle %q est à la fois ajouté et retiré", "الدور %q مُضاف ومُزال في آن واحد"},
		"nothing changes: %s already holds %s": {"rien ne change : %s a déjà %s", "لا تغيير: يحمل %s بالفعل %s"},
		"a member keeps at least one role; to end %s's access, disable them": {
			"un membre garde au moins un rôle ; pour mettre fin à l'accès de %s, désactivez-le",
			"يحتفظ العضو بدور واحد على الأقل؛ لإنهاء وصول %s، عطّله"},
		"a member needs at least one role (%s)": {"un membre a besoin d'au moins un rôle (%s)", "يحتاج العضو إلى دور واحد على الأقل (%s)"},
		"the registry already has members":      {"le registre a déjà des membres", "للسجل أعضاء بالفعل"},
		"the content of %s was erased: it cannot supersede another letter": {
			"le contenu de %s a été effacé : elle ne peut pas remplacer une autre lettre",
			"مُحي محتوى %s: لا يمكن أن تحل محل رسالة أخرى"},
		"%s %q is not a name: it cannot be part of an address": {
			"%s %q n'en est pas un : il ne peut pas figurer dans une adresse",
			"%s %q ليس اسمًا: لا يمكن أن يكون جزءًا من عنوان"},
		"%s %q must be 1 to 64 characters without spaces, commas or slashes": {
			"%s %q doit faire de 1 à 64 caractères, sans espaces, virgules ni barres obliques",
			"يجب أن يتكون %s %q من 1 إلى 64 حرفًا دون مسافات أو فواصل أو شرطات مائلة"},
		"a password needs at least %d characters (and at most %d bytes)": {
			"un mot de passe doit compter au moins %d caractères (et au plus %d octets)",
			"تحتاج كلمة المرور إلى %d حرفًا على الأقل (و%d بايت على الأكثر)"},

		// The search of letters.
		"state %q: want one of %s": {"état %q : attendu l'un de %s", "الحالة %q: المطلوب إحدى القيم %s"},
		"the search %q has no words (punctuation alone is ignored)": {
			"la recherche %q ne contient aucun mot (la ponctuation seule est ignorée)",
			"البحث %q لا يحتوي على كلمات (علامات الترقيم وحدها تُهمَل)"},
		"limit %d: want 1 to %d": {"limite %d : attendu de 1 à %d", "الحد %d: المطلوب من 1 إلى %d"},
		"a quorum is a number of witnesses, not %d": {
			"un quorum est un nombre de témoins, pas %d",
			"النصاب عدد من الشهود، وليس %d"},
		"before %.40q: want an event's number": {
			"before %.40q : attendu le numéro d'un événement",
			"before %.40q: المطلوب رقم حدث"},
		"before %.80q: no letter has this reference": {
			"before %.80q : aucune lettre n'a cette référence",
			"before %.80q: لا توجد رسالة بهذا المرجع"},
		"version %d holds an end-of-file marker inside its data, where a copy would keep it: a copy with changes appended could then pass for another file, so none is made; save the PDF again (print it to PDF) and upload it as a new version": {
			"la version %d contient une marque de fin de fichier dans ses données, qu'une copie garderait : une copie à laquelle on aurait ajouté des modifications pourrait alors passer pour un autre fichier, aucune n'est donc faite ; enregistrez le PDF à nouveau (imprimez-le en PDF) et déposez-le comme nouvelle version",
			"تحتوي النسخة %d على علامة نهاية ملف داخل بياناتها، وستحتفظ بها أي نسخة منها: قد تمرّ عندئذ نسخة أُلحقت بها تغييرات على أنها ملف آخر، لذا لا تُصنع أي نسخة؛ احفظ ملف PDF من جديد (اطبعه إلى PDF) وارفعه نسخةً جديدة"},
		"version %d holds a picture the copy's marks cannot be drawn into (%s): a copy would carry it unmarked, so none is made; save the PDF with JPEG or lossless pictures, or upload the scan as PNG, JPEG or TIFF": {
			"la version %d contient une image dans laquelle les marques de la copie ne peuvent être tracées (%s) : une copie la porterait sans marque, aucune n'est donc faite ; enregistrez le PDF avec des images JPEG ou sans perte, ou déposez le scan en PNG, JPEG ou TIFF",
			"تحتوي النسخة %d على صورة لا يمكن رسم علامات النسخة فيها (%s): ستحملها النسخة بلا علامة، لذا لا تُصنع أي نسخة؛ احفظ ملف PDF بصور JPEG أو بلا فقد، أو ارفع المسح الضوئي بصيغة PNG أو JPEG أو TIFF"},
		"the text has no words to identify": {"le texte ne contient aucun mot à identifier", "لا يحتوي النص على كلمات يمكن التعرّف عليها"},
		"the text is too long to identify: at most %d bytes once its compatibility characters are spelt out": {
			"le texte est trop long pour être identifié : au plus %d octets une fois ses caractères de compatibilité écrits en entier",
			"النص أطول من أن يُتعرَّف عليه: %d بايت على الأكثر بعد كتابة محارف التوافق كاملة"},

		// The policy file.
		"the policy file is larger than %d bytes":        {"le fichier de politique dépasse %d octets", "ملف السياسة أكبر من %d بايت"},
		"the compiled policy is not of this file":        {"la politique compilée ne provient pas de ce fichier", "السياسة المصرَّفة ليست من هذا الملف"},
		"this policy is already in force (log entry %d)": {"cette politique est déjà en vigueur (inscription au journal %d)", "هذه السياسة سارية بالفعل (القيد %d في السجل)"},

		// Recipients, dispatch and webhooks.
		"%q is not an e-mail address (give a bare address, like registry@ministry.example)": {
			"%q n'est pas une adresse électronique (donnez une adresse seule, comme registry@ministry.example)",
			"%q ليس عنوان بريد إلكتروني (اكتب العنوان وحده، مثل registry@ministry.example)"},
		"%q is not an e-mail address: its domain is not a host name mail can be sent to": {
			"%q n'est pas une adresse électronique : son domaine n'est pas un nom d'hôte auquel envoyer du courrier",
			"%q ليس عنوان بريد إلكتروني: نطاقه ليس اسم مضيف يمكن إرسال البريد إليه"},
		"a recipient needs at least one e-mail address (--email)": {
			"un destinataire a besoin d'au moins une adresse électronique (--email)",
			"يحتاج المستلِم إلى عنوان بريد إلكتروني واحد على الأقل (--email)"},
		"name at least one recipient (--recipient)": {"nommez au moins un destinataire (--recipient)", "سمِّ مستلِمًا واحدًا على الأقل (--recipient)"},
		"name at most %d recipients at once":        {"nommez au plus %d destinataires à la fois", "سمِّ %d مستلِمًا على الأكثر في المرة الواحدة"},
		"recipient %s was retired from the directory on %s: nothing is sent to them any more": {
			"le destinataire %s a été retiré de l'annuaire le %s : plus rien ne lui est envoyé",
			"سُحب المستلِم %s من الدليل في %s: لم يعد يُرسل إليه شيء"},
		"recipient %s has these addresses already": {"le destinataire %s a déjà ces adresses", "للمستلِم %s هذه العناوين من قبل"},
		"no field": {"aucun champ", "لا حقل"},
		"%s logs %s in the clear and %s logs %s: a supersession would link them in the public log, and hand whoever holds %s the other letter: retract %s and dispatch %s to its addressees": {
			"%s inscrit %s en clair au journal et %s inscrit %s : un remplacement les lierait dans le journal public et remettrait l'autre lettre à quiconque détient %s : retirez %s et expédiez %s à ses destinataires",
			"تسجّل %s في السجل علنًا %s وتسجّل %s %s: سيربط الاستبدال بينهما في السجل العام ويسلّم الرسالة الأخرى لكل من يحوز %s: اسحب %s وأرسل %s إلى المرسَل إليهم"},
		"the office's audit trail is read 1 to 1000 events at a time, before an event's ID": {
			"le journal d'audit du service se lit par 1 à 1000 événements, avant l'identifiant d'un événement",
			"يُقرأ سجل تدقيق الجهة من حدث واحد إلى 1000 حدث في كل مرة، قبل معرّف حدث"},
		"no delivery to %s has failed":                               {"aucune livraison à %s n'a échoué", "لم يفشل أيّ تسليم إلى %s"},
		"the previous secret may sign for 0 to 720 hours (%s asked)": {"l'ancien secret peut signer de 0 à 720 heures (%s demandé)", "يمكن أن يبقى السرّ السابق يوقّع من 0 إلى 720 ساعة (طُلب %s)"},
		"no message about %s has failed that can be sent again":      {"aucun message concernant %s n'a échoué qui puisse être renvoyé", "لم يفشل أيّ بريد بشأن %s يمكن إرساله من جديد"},
		"%s was already dispatched to %s":                            {"%s a déjà été expédiée à %s", "أُرسلت %s بالفعل إلى %s"},
		"%s is not released: only a released letter leaves by dispatch (a draft leaves as a coordination copy: 'chancery draft send')": {
			"%s n'est pas émise : seule une lettre émise part en expédition (un projet part comme copie de coordination : 'chancery draft send')",
			"%s لم تصدر: لا تُرسَل إلا الرسالة الصادرة (أما المسودة فتُرسَل نسخةَ تنسيق: 'chancery draft send')"},
		"%s is withdrawn (%s at log entry %d): it is not sent any more": {
			"%s est retirée (%s, inscription au journal %d) : elle n'est plus envoyée",
			"%s مسحوبة (%s في القيد %d من السجل): لم تعد تُرسَل"},
		"version %d was added while the copy was being made: try again": {
			"la version %d a été ajoutée pendant la préparation de la copie : réessayez",
			"أُضيفت النسخة %d أثناء إعداد النسخة المرسَلة: أعد المحاولة"},
		"version %d of %s was already sent to %s": {"la version %d de %s a déjà été envoyée à %s", "أُرسلت النسخة %d من %s بالفعل إلى %s"},
		"this acknowledgement link is not valid: it was already used, has expired, or is mistyped": {
			"ce lien d'accusé de réception n'est pas valide : il a déjà servi, a expiré ou est mal saisi",
			"رابط الإقرار بالاستلام هذا غير صالح: فقد استُخدم من قبل، أو انتهت صلاحيته، أو كُتب خطأً"},
		"webhook name %q: names beginning with \"recipient:\" are those of recipients' endpoints, which 'chancery recipient add --webhook' adds": {
			"nom de webhook %q : les noms commençant par « recipient: » sont ceux des points d'accès des destinataires, qu'ajoute « chancery recipient add --webhook »",
			"اسم الـ webhook %q: الأسماء التي تبدأ بـ «recipient:» هي أسماء نقاط استقبال المرسَل إليهم، ويضيفها الأمر «chancery recipient add --webhook»"},
		"webhook %q must be an http or https URL with a host and no credentials": {
			"le webhook %q doit être une URL http ou https avec un hôte et sans identifiants",
			"يجب أن يكون الـ webhook %q عنوان URL من نوع http أو https يتضمن مضيفًا ولا يتضمن بيانات اعتماد"},
		"webhook %q is on this machine: refused unless the server runs with --webhook-allow-private": {
			"le webhook %q est sur cette machine : refusé sauf si le serveur tourne avec --webhook-allow-private",
			"الـ webhook %q على هذا الجهاز: مرفوض ما لم يعمل الخادم بالخيار --webhook-allow-private"},
		"webhook %q is on a loopback, link-local or private address: refused unless the server runs with --webhook-allow-private": {
			"le webhook %q est sur une adresse de bouclage, locale au lien ou privée : refusé sauf si le serveur tourne avec --webhook-allow-private",
			"الـ webhook %q على عنوان استرجاع أو محلي للرابط أو خاص: مرفوض ما لم يعمل الخادم بالخيار --webhook-allow-private"},

		// The release policy: what a release needs, and why evidence did not count.
		"release refused: %s":         {"émission refusée : %s", "رُفض الإصدار: %s"},
		"missing %s":                  {"il manque %s", "ينقصها %s"},
		"a release by %s":             {"une émission par %s", "إصدار من %s"},
		"%d approval by %s":           {"%d approbation par %s", "%d موافقة من %s"},
		"%d approvals by %s":          {"%d approbations par %s", "%d موافقات من %s"},
		"%d signature by %s":          {"%d signature par %s", "%d توقيع من %s"},
		"%d signatures by %s":         {"%d signatures par %s", "%d توقيعات من %s"},
		"%d %s by %s":                 {"%d %s par %s", "%d %s من %s"},
		"a drafter":                   {"un rédacteur", "محرِّر"},
		"drafters":                    {"des rédacteurs", "محرِّرين"},
		"a reviewer":                  {"un relecteur", "مراجِع"},
		"reviewers":                   {"des relecteurs", "مراجِعين"},
		"a signer":                    {"un signataire", "موقِّع"},
		"signers":                     {"des signataires", "موقِّعين"},
		"a release officer":           {"un responsable de l'émission", "مسؤول إصدار"},
		"release officers":            {"des responsables de l'émission", "مسؤولي إصدار"},
		"an admin":                    {"un administrateur", "مسؤول إدارة"},
		"admins":                      {"des administrateurs", "مسؤولي إدارة"},
		"a member of %s":              {"un membre de %s", "عضو في %s"},
		"members of %s":               {"des membres de %s", "أعضاء في %s"},
		"a member with role %s":       {"un membre ayant le rôle %s", "عضو يحمل الدور %s"},
		"members with role %s":        {"des membres ayant le rôle %s", "أعضاء يحملون الدور %s"},
		"the approval":                {"l'approbation", "الموافقة"},
		"the signature":               {"la signature", "التوقيع"},
		"the release":                 {"l'émission", "الإصدار"},
		"the %s":                      {"%s", "%s"},
		"an approval":                 {"une approbation", "موافقة"},
		"a signature":                 {"une signature", "توقيعًا"},
		"a release":                   {"une émission", "إصدارًا"},
		"%s %s":                       {"%s %s", "%s %s"},
		"%s by %s does not count: %s": {"%s de %s ne compte pas : %s", "%s من %s لا يُحتسب: %s"},
		"%s by %s was given %d more times and counts once at most": {
			"%s de %s a été donnée %d fois de plus et ne compte qu'une fois",
			"%s من %s قُدّم %d مرات إضافية ولا يُحتسب إلا مرة واحدة"},
		"%s already counts for %s by %s (two-person rule)": {
			"%s compte déjà pour %s par %s (règle des deux personnes)",
			"%s محتسَب بالفعل في %s من %s (قاعدة الشخصين)"},
		"the requirements it could count for are met by others": {
			"les exigences pour lesquelles elle pourrait compter sont remplies par d'autres",
			"المتطلبات التي يمكن أن يُحتسب لها استوفاها آخرون"},
		"%s does not hold the %s role":     {"%s n'a pas le rôle %s", "لا يحمل %s الدور %s"},
		"the release by %s is refused: %s": {"l'émission par %s est refusée : %s", "يُرفض الإصدار من قِبل %s: %s"},
		"no requirement asks for %s from their roles or groups": {
			"aucune exigence ne demande %s au titre de ses rôles ou groupes",
			"لا يطلب أي متطلب %s بحكم أدواره أو مجموعاته"},
		"%s and %s read as one name, and count as one person": {
			"%s et %s se lisent comme un même nom, et comptent pour une seule personne",
			"%s و%s يُقرآن اسمًا واحدًا، ويُحتسبان شخصًا واحدًا"},
		"%s drafted the letter and cannot count for its release": {
			"%s a rédigé la lettre et ne peut pas compter pour son émission",
			"صاغ %s الرسالة ولا يجوز احتسابه لإصدارها"},
		"it has no time, and approvals count for %s (max_approval_age)": {
			"elle n'a pas de date, et les approbations valent %s (max_approval_age)",
			"لا تاريخ لها، والموافقات تُحتسب لمدة %s (max_approval_age)"},
		"it is dated %s, after the time of this decision (%s): the clock that dated it was wrong, and its age is not known (max_approval_age)": {
			"elle est datée du %s, après l'heure de cette décision (%s) : l'horloge qui l'a datée était fausse, et son âge n'est pas connu (max_approval_age)",
			"تاريخها %s، بعد وقت هذا القرار (%s): الساعة التي أرّختها كانت خاطئة، وعمرها غير معروف (max_approval_age)"},
		"it is %s old, and approvals count for %s (max_approval_age)": {
			"elle date de %s, et les approbations valent %s (max_approval_age)",
			"مضى عليها %s، والموافقات تُحتسب لمدة %s (max_approval_age)"},
		"the condition of rule %s could not be evaluated (%v): its requirements apply": {
			"la condition de la règle %s n'a pas pu être évaluée (%v) : ses exigences s'appliquent",
			"تعذّر تقييم شرط القاعدة %s (%v): تنطبق متطلباتها"},
		"the rules that apply (%s) ask for no approval and no signature: no letter is released without one": {
			"les règles qui s'appliquent (%s) ne demandent ni approbation ni signature : aucune lettre n'est émise sans l'une ou l'autre",
			"القواعد المنطبقة (%s) لا تطلب موافقة ولا توقيعًا: لا تُصدَر أي رسالة دون موافقة أو توقيع"},
		"the approval by %s was given before the policy in force was adopted and does not count: %s approves again": {
			"l'approbation de %s a été donnée avant l'adoption de la politique en vigueur et ne compte pas : %s approuve de nouveau",
			"موافقة %s قُدّمت قبل اعتماد السياسة السارية فلا تُحتسب: يوافق %s مجددًا"},
		"the approval by %s was recorded under another policy than the one in force (by a server that had not loaded it yet) and does not count: %s approves again": {
			"l'approbation de %s a été enregistrée sous une autre politique que celle en vigueur (par un serveur qui ne l'avait pas encore chargée) et ne compte pas : %s approuve de nouveau",
			"موافقة %s سُجّلت في ظل سياسة غير السارية (من خادم لم يكن قد حمّلها بعد) فلا تُحتسب: يوافق %s مجددًا"},
		"the signature by %s was given before the policy in force was adopted and does not count: %s signs again": {
			"la signature de %s a été donnée avant l'adoption de la politique en vigueur et ne compte pas : %s signe de nouveau",
			"توقيع %s قُدّم قبل اعتماد السياسة السارية فلا يُحتسب: يوقّع %s مجددًا"},
		"the signature by %s was recorded under another policy than the one in force (by a server that had not loaded it yet) and does not count: %s signs again": {
			"la signature de %s a été enregistrée sous une autre politique que celle en vigueur (par un serveur qui ne l'avait pas encore chargée) et ne compte pas : %s signe de nouveau",
			"توقيع %s سُجّل في ظل سياسة غير السارية (من خادم لم يكن قد حمّلها بعد) فلا يُحتسب: يوقّع %s مجددًا"},
		"the approval by %s does not count: %s no longer holds the %s role": {
			"l'approbation de %s ne compte pas : %s n'a plus le rôle %s",
			"موافقة %s لا تُحتسب: لم يعد %s يحمل الدور %s"},
		"the signature by %s does not count: %s no longer holds the %s role": {
			"la signature de %s ne compte pas : %s n'a plus le rôle %s",
			"توقيع %s لا يُحتسب: لم يعد %s يحمل الدور %s"},
		"the approval by %s does not count: %s is disabled": {
			"l'approbation de %s ne compte pas : %s est désactivé",
			"موافقة %s لا تُحتسب: %s معطَّل"},
		"the approval by %s does not count: %s was given a new token since; %s approves again to count": {
			"l'approbation de %s ne compte pas : %s a reçu un nouveau jeton depuis ; %s approuve à nouveau pour qu'elle compte",
			"موافقة %s لا تُحتسب: مُنح %s رمزًا جديدًا بعدها؛ يوافق %s من جديد لكي تُحتسب"},
		"signer keys keep being registered with the old token while it is replaced: disable the member (chancery member disable), which refuses new keys at once, then enable them": {
			"des clés de signature continuent d'être enregistrées avec l'ancien jeton pendant son remplacement : désactivez le membre (chancery member disable), ce qui refuse aussitôt toute nouvelle clé, puis réactivez-le",
			"لا تزال مفاتيح توقيع تُسجَّل بالرمز القديم أثناء استبداله: عطِّل العضو (chancery member disable)، فيُرفض كل مفتاح جديد فورًا، ثم فعِّله من جديد"},
		"the member's signer keys are still being revoked since they were disabled or lost the signer role: try again": {
			"les clés de signature du membre sont encore en cours de révocation depuis qu'il a été désactivé ou a perdu le rôle de signataire : réessayez",
			"لا تزال مفاتيح توقيع العضو قيد الإبطال منذ تعطيله أو سحب دور الموقِّع منه: أعد المحاولة"},
		"the approval by %s does not count: %s was disabled since; %s approves again to count": {
			"l'approbation de %s ne compte pas : %s a été désactivé depuis ; %s approuve à nouveau pour qu'elle compte",
			"موافقة %s لا تُحتسب: عُطِّل %s بعدها؛ يوافق %s من جديد لكي تُحتسب"},
		"the approval by %s does not count: %s's roles were taken away since; %s approves again to count": {
			"l'approbation de %s ne compte pas : les rôles de %s lui ont été retirés depuis ; %s approuve à nouveau pour qu'elle compte",
			"موافقة %s لا تُحتسب: سُحبت أدوار %s بعدها؛ يوافق %s من جديد لكي تُحتسب"},
		"the signature by %s does not count: %s is disabled": {
			"la signature de %s ne compte pas : %s est désactivé",
			"توقيع %s لا يُحتسب: %s معطَّل"},
		"the signature by %s does not count: key %s was revoked": {
			"la signature de %s ne compte pas : la clé %s a été révoquée",
			"توقيع %s لا يُحتسب: أُلغي المفتاح %s"},
		"a letter has at most %d tags": {
			"une lettre a au plus %d étiquettes",
			"للرسالة %d وسمًا على الأكثر"},
		"a letter has at most %d addressees": {
			"une lettre a au plus %d destinataires",
			"للرسالة %d مرسَلًا إليه على الأكثر"},
		"the letter has %d tags, more than the %d a letter may have: it is not released; create it again with fewer": {
			"la lettre a %d étiquettes, plus que les %d qu'une lettre peut avoir : elle n'est pas émise ; créez-la de nouveau avec moins",
			"للرسالة %d وسمًا، أكثر من %d المسموح بها لرسالة: لا تُصدَر؛ أنشئها من جديد بعدد أقل"},
		"the letter has %d addressees, more than the %d a letter may have: it is not released; create it again with fewer": {
			"la lettre a %d destinataires, plus que les %d qu'une lettre peut avoir : elle n'est pas émise ; créez-la de nouveau avec moins",
			"للرسالة %d مرسَلًا إليه، أكثر من %d المسموح بهم لرسالة: لا تُصدَر؛ أنشئها من جديد بعدد أقل"},
		"the tag %q is given twice (the letter was created before that was refused), and a condition counts it twice: it is not released; create it again giving each tag once": {
			"l'étiquette %q est donnée deux fois (la lettre a été créée avant que cela soit refusé), et une condition la compte deux fois : elle n'est pas émise ; créez-la de nouveau en donnant chaque étiquette une fois",
			"الوسم %q مذكور مرتين (أُنشئت الرسالة قبل رفض ذلك)، وشرطٌ يعدّه مرتين: لا تُصدَر؛ أنشئها من جديد بذكر كل وسم مرة واحدة"},
		"the addressees %q and %q are one addressee given twice (the letter was created before that was refused), and a condition counts it twice: it is not released; create it again giving each addressee once": {
			"les destinataires %q et %q sont un même destinataire donné deux fois (la lettre a été créée avant que cela soit refusé), et une condition le compte deux fois : elle n'est pas émise ; créez-la de nouveau en donnant chaque destinataire une fois",
			"المرسَل إليهما %q و%q مرسَل إليه واحد مذكور مرتين (أُنشئت الرسالة قبل رفض ذلك)، وشرطٌ يعدّه مرتين: لا تُصدَر؛ أنشئها من جديد بذكر كل مرسَل إليه مرة واحدة"},
		"%s %q is not stored as it reads (its spaces or its Unicode form differ; the letter was created before that was refused), and a condition naming it misses it: it is not released; create it again": {
			"%s %q n'est pas enregistré tel qu'il se lit (ses espaces ou sa forme Unicode diffèrent ; la lettre a été créée avant que cela soit refusé), et une condition qui le nomme le manque : elle n'est pas émise ; créez-la de nouveau",
			"%s %q غير محفوظ كما يُقرأ (تختلف مسافاته أو صيغته في يونيكود؛ أُنشئت الرسالة قبل رفض ذلك)، فيفوته شرطٌ يسمّيه: لا تُصدَر؛ أنشئها من جديد"},
		"%v (the letter was created before that was refused): it is not released; create it again": {
			"%v (la lettre a été créée avant que cela soit refusé) : elle n'est pas émise ; créez-la de nouveau",
			"%v (أُنشئت الرسالة قبل رفض ذلك): لا تُصدَر؛ أنشئها من جديد"},
		"the policy in force (%s) does not compile with this version of Chancery (%v): nothing is released until an admin adopts a corrected policy": {
			"la politique en vigueur (%s) ne se compile pas avec cette version de Chancery (%v) : rien n'est émis tant qu'un administrateur n'adopte pas une politique corrigée",
			"السياسة السارية (%s) لا تُصرَّف بهذا الإصدار من Chancery (%v): لا يُصدَر شيء حتى يعتمد مشرفٌ سياسة مصحَّحة"},
		"the policy in force, %s, does not compile with this version of Chancery (%v): nothing is released, approved or signed until an admin checks a corrected policy with `chancery policy check` and adopts it with `chancery policy adopt`": {
			"la politique en vigueur, %s, ne se compile pas avec cette version de Chancery (%v) : rien n'est émis, approuvé ni signé tant qu'un administrateur n'a pas vérifié une politique corrigée avec `chancery policy check` et ne l'a pas adoptée avec `chancery policy adopt`",
			"السياسة السارية، %s، لا تُصرَّف بهذا الإصدار من Chancery (%v): لا يُصدَر شيء ولا يُوافَق عليه ولا يُوقَّع حتى يتحقق مشرفٌ من سياسة مصحَّحة بالأمر `chancery policy check` ويعتمدها بالأمر `chancery policy adopt`"},
	}
})
