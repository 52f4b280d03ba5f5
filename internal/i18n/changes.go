package i18n

// The registry's refusals about changes that wait for a second admin (policy two_admins).
var _ = table(func() Translations {
	return Translations{
		"%s is already a member": {"%s est déjà membre", "%s عضو بالفعل"},
		"you have %d changes waiting for a second admin: withdraw one (chancery change refuse ID) or ask another admin to decide them": {
			"vous avez %d modifications en attente d'un second administrateur : retirez-en une (chancery change refuse ID) ou demandez à un autre administrateur de les décider",
			"لديك %d تعديلات تنتظر مسؤولًا ثانيًا: اسحب واحدًا منها (chancery change refuse ID) أو اطلب من مسؤول آخر أن يبتّ فيها"},
		"proposed as change %d: the policy in force asks for a second admin (two_admins), who approves it": {
			"proposé comme modification %d : la politique en vigueur demande un second administrateur (two_admins), qui l'approuve",
			"اقتُرح بوصفه التعديل %d: السياسة السارية تطلب مسؤولًا ثانيًا (two_admins) يوافق عليه"},
		"the proposed policy does not compile (any more): refuse the change, and propose the policy again once it does: %v": {
			"la politique proposée ne se compile pas (ou plus) : refusez la modification, et proposez à nouveau la politique une fois corrigée : %v",
			"السياسة المقترحة لا تُترجَم (أو لم تعد تُترجَم): ارفض التعديل، واقترح السياسة من جديد حين تُترجَم: %v"},
		"change %d is carried out already": {
			"la modification %d est déjà faite",
			"نُفِّذ التعديل %d بالفعل"},
		"change %d is refused already": {
			"la modification %d est déjà refusée",
			"رُفض التعديل %d بالفعل"},
		"change %d already asks this: approve it": {
			"la modification %d le demande déjà : approuvez-la",
			"التعديل %d يطلب هذا بالفعل: وافق عليه"},
		"you proposed this already as change %d: another admin approves it": {
			"vous l'avez déjà proposé comme modification %d : un autre administrateur l'approuve",
			"اقترحت هذا بالفعل بوصفه التعديل %d: يوافق عليه مسؤول آخر"},
		"you proposed change %d: another admin approves it": {
			"vous avez proposé la modification %d : un autre administrateur l'approuve",
			"أنت من اقترح التعديل %d: يوافق عليه مسؤول آخر"},
		"change %d was proposed more than 7 days ago: refuse it, and propose it again if it is still wanted": {
			"la modification %d a été proposée il y a plus de 7 jours : refusez-la, et proposez-la à nouveau si elle est toujours voulue",
			"اقتُرح التعديل %d منذ أكثر من 7 أيام: ارفضه، واقترحه من جديد إن كان لا يزال مطلوبًا"},
		"change %d was proposed by %s, who is no longer an active admin: refuse it": {
			"la modification %d a été proposée par %s, qui n'est plus un administrateur actif : refusez-la",
			"اقترح التعديل %d %s، ولم يعد مسؤولًا نشطًا: ارفضه"},
		"the policy in force now asks for two admins (two_admins): propose the change again": {
			"la politique en vigueur demande désormais deux administrateurs (two_admins) : proposez à nouveau la modification",
			"السياسة السارية تطلب الآن مسؤولَين اثنين (two_admins): اقترح التعديل من جديد"},
		"the policy in force asks for two admins (two_admins): %s is one of the last two active admins; make another member admin first": {
			"la politique en vigueur demande deux administrateurs (two_admins) : %s est l'un des deux derniers administrateurs actifs ; nommez d'abord un autre membre administrateur",
			"السياسة السارية تطلب مسؤولَين اثنين (two_admins): %s أحد آخر مسؤولَين نشطَين؛ اجعل عضوًا آخر مسؤولًا أولًا"},
		"the policy asks for two admins (two_admins), and the office has %d active admin: make another member admin first": {
			"la politique demande deux administrateurs (two_admins), et le bureau compte %d administrateur actif : nommez d'abord un autre membre administrateur",
			"السياسة تطلب مسؤولَين اثنين (two_admins)، وللمكتب %d مسؤول نشط: اجعل عضوًا آخر مسؤولًا أولًا"},
		"the policy in force asks for two admins (two_admins): an admin cannot set another member's password; issue them a new token (a second admin approves it), and they set their own": {
			"la politique en vigueur demande deux administrateurs (two_admins) : un administrateur ne peut pas définir le mot de passe d'un autre membre ; proposez-lui un nouveau jeton (un second administrateur l'approuve), et il définit le sien",
			"السياسة السارية تطلب مسؤولَين اثنين (two_admins): لا يستطيع مسؤول تعيين كلمة مرور عضو آخر؛ اقترح له رمزًا جديدًا (يوافق عليه مسؤول ثانٍ)، ثم يعيّن هو كلمة مروره"},
	}
})
