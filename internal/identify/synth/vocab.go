package synth

// The vocabulary and sentence templates below were written for this generator. In templates,
// lower-case placeholders are filled once per family ({n} noun of the family's field, {a}
// adjective, {v} past participle, {adv} adverb, {org} body, {t} title), so that a family's
// letters share their wording; upper-case placeholders are slots ({DATE}, {NUM}, {AMOUNT},
// {PCT}, {PERSON}, {PLACE}, {REF}, {UNIT}), which a family fixes or lets vary per letter.

var templates = []string{
	"I have the honour to inform you that the {n} of {PLACE} was {v} on {DATE}.",
	"In accordance with the {a} {n} of {DATE}, the {org} has {v} the {n} concerning {NUM} {n}s.",
	"The {n} submitted by {PERSON} on {DATE} has been {v} and is {adv} under review.",
	"A total of {NUM} {n}s were {v} during the period, against {NUM} in the previous period.",
	"The {org} requests that the {a} {n} be {v} before {DATE} at the latest.",
	"It should be noted that the {n} at {PLACE} remains {a}, and that {PCT} of the {n} has been {v}.",
	"{PERSON} will represent the {org} at the meeting to be held in {PLACE} on {DATE}.",
	"The expenditure on {n} amounted to {AMOUNT}, of which {AMOUNT} was {v} from the {a} fund.",
	"Following the {a} {n} of {UNIT}, the {n} was {adv} {v} to {PLACE}.",
	"You are requested to acknowledge receipt of this {n} under reference {REF}.",
	"The {a} {n} has been {v} in the light of the {n} received from {PLACE}.",
	"Pending further instructions, the {n} of {UNIT} shall remain at {PLACE}.",
	"The {org} has {adv} {v} the {a} {n}, which now comprises {NUM} {n}s.",
	"The attached {n}, dated {DATE}, sets out the {a} {n} in detail.",
	"It is proposed that {PERSON} be {v} as {t} with effect from {DATE}.",
	"The {n} for the coming quarter is estimated at {AMOUNT}, an increase of {PCT}.",
	"No {a} {n} has been {v} since the {n} of {DATE}.",
	"The delegation led by {PERSON} arrived in {PLACE} on {DATE} and was {v} by the {org}.",
	"Of the {NUM} {n}s {v} this month, {NUM} concern the {a} {n}.",
	"The {n} of {UNIT} was {v} at {PLACE} with {NUM} {n}s and {NUM} {n}s.",
	"The {org} considers the {n} {a} and recommends that it be {v} without delay.",
	"Attention is drawn to the {n} {v} under reference {REF}, which applies to all {n}s.",
	"A {a} {n} of {AMOUNT} has been {v} to {PLACE} for the {n}.",
	"The {t} of the {org}, {PERSON}, has {v} the {n} and the {a} {n}.",
	"As of {DATE}, the {n} stood at {NUM}, of which {PCT} were {a}.",
	"The {n} at {PLACE} has been {v} to {UNIT} until further notice.",
	"It is regretted that the {a} {n} could not be {v} before {DATE}.",
	"The {org} will {adv} review the {n} and report to you by {DATE}.",
	"Copies of the {n} have been {v} to {PERSON} and to the {org}.",
	"The {a} {n} is {adv} {v}, and the {n} of {PLACE} is expected to follow.",
	"In view of the {a} {n}, the {n} scheduled for {DATE} has been {v}.",
	"The {n} recorded {NUM} {n}s at {PLACE}, compared with {NUM} at {PLACE}.",
	"I should be grateful if you would {adv} confirm the {n} of {AMOUNT} for {UNIT}.",
	"The matter of the {a} {n} was {v} with {PERSON} on {DATE}.",
	"The {org} has noted the {n} and has {v} the {a} {n} accordingly.",
	"Any {n} arising from the {a} {n} should be referred to {PERSON} under reference {REF}.",
}

var fields = [][]string{
	// diplomatic
	{"embassy", "consulate", "treaty", "delegation", "envoy", "protocol", "accord", "mission",
		"negotiation", "communique", "memorandum", "visa", "credential", "summit", "convention",
		"ratification", "attache", "demarche", "boundary", "agreement", "audience", "dispatch",
		"legation", "chancery", "note verbale", "minister", "reception", "passport", "extradition",
		"consultation"},
	// military
	{"battalion", "regiment", "convoy", "garrison", "deployment", "ordnance", "reconnaissance",
		"supply", "brigade", "patrol", "detachment", "company", "armoury", "exercise", "inspection",
		"casualty", "requisition", "vehicle", "ration", "ammunition", "barracks", "posting",
		"manoeuvre", "signal", "depot", "airfield", "rotation", "readiness", "reserve", "muster"},
	// administrative
	{"budget", "allocation", "audit", "regulation", "directive", "circular", "appointment",
		"procurement", "tender", "inventory", "payroll", "pension", "grant", "licence", "permit",
		"register", "survey", "census", "contract", "invoice", "account", "estimate", "return",
		"vacancy", "transfer", "requisition", "schedule", "assessment", "tariff", "levy"},
}

var adjectives = []string{"provisional", "revised", "annual", "quarterly", "monthly",
	"outstanding", "urgent", "confidential", "preliminary", "final", "additional", "current",
	"proposed", "previous", "supplementary", "standing", "interim", "general", "special",
	"regional", "central", "joint", "formal", "informal", "routine", "exceptional", "temporary",
	"permanent", "administrative", "technical", "financial", "operational", "reserved",
	"public", "restricted", "customary", "necessary", "principal", "secondary", "external"}

var participles = []string{"approved", "reviewed", "deferred", "forwarded", "received",
	"completed", "authorised", "suspended", "renewed", "examined", "transmitted", "allocated",
	"confirmed", "withdrawn", "amended", "registered", "submitted", "recorded", "adopted",
	"postponed", "inspected", "assigned", "transferred", "cancelled", "extended", "issued",
	"settled", "discussed", "endorsed", "circulated", "reduced", "increased", "restored",
	"reported", "dispatched", "granted", "rejected", "verified", "consolidated", "noted"}

var adverbs = []string{"duly", "promptly", "provisionally", "formally", "currently",
	"accordingly", "subsequently", "partially", "fully", "temporarily", "regularly",
	"carefully", "immediately", "jointly", "separately", "informally", "largely", "already"}

var orgs = []string{"Ministry of Foreign Affairs", "Ministry of Defence", "Treasury",
	"General Staff", "Cabinet Office", "Directorate of Personnel", "Office of the Auditor",
	"Consular Section", "Protocol Department", "Legal Service", "Supply Directorate",
	"Secretariat", "Finance Committee", "Records Office", "Inspectorate", "Permanent Mission",
	"Directorate of Works", "Signals Command", "Regional Prefecture", "Public Works Board"}

var titles = []string{"Ambassador", "Consul General", "Chief of Staff", "Director",
	"Permanent Secretary", "Under-Secretary", "Colonel", "Commandant", "Prefect", "Comptroller",
	"Chargé d'affaires", "First Secretary", "Major General", "Head of Section", "Registrar"}

var firstNames = []string{"Anne", "Pierre", "Maria", "Johannes", "Claire", "Henrik", "Sofia",
	"Tomás", "Elena", "François", "Margaret", "Karel", "Ingrid", "Luis", "Helena", "Andreas",
	"Agnès", "Piotr", "Isabel", "Mikael", "Rosa", "Stefan", "Yvonne", "Dmitri", "Lucia",
	"Matthias", "Joanna", "Oskar", "Beatriz", "Viktor", "Marta", "Émile", "Greta", "Paolo",
	"Irene", "Jan", "Nadia", "Georg", "Teresa", "Arnaud"}

var lastNames = []string{"Dubois", "Lindqvist", "Moreau", "Kowalski", "Ferreira", "Van Dijk",
	"Novak", "Schneider", "Rossi", "Haugen", "Petit", "Horvath", "Jansen", "Almeida", "Fischer",
	"Lambert", "Nieminen", "Costa", "Weber", "Marchetti", "Svoboda", "Olsen", "Garnier",
	"Brandt", "Vasquez", "Keller", "Laurent", "Bianchi", "Dvořák", "Eriksen", "Renaud",
	"Müller", "Santos", "Kovač", "Fontaine", "Lund", "Barros", "Hoffmann", "Gallo", "Blanc",
	"Nagy", "Sørensen", "Mercier", "Popescu", "Richter", "Conti", "Lemaire", "Vogel",
	"Andersson", "Duarte"}

var places = []string{"Valmont", "Kestrel Bay", "Orsay-le-Haut", "Brennholm", "San Aurelio",
	"Dunmere", "Castelverde", "Nordhaven", "Port Lisle", "Altenburg", "Viremont", "Skarvik",
	"Montbrun", "Ellerby", "Roccaforte", "Hollingsmoor", "Saint-Vaast", "Tarvisio", "Wexbridge",
	"Lindau", "Carraig", "Mirande", "Osterfeld", "Belcastro", "Fairhaven", "Kalmarsund",
	"Villeneuve", "Ashbourne", "Grauholz", "Pontresina", "Aldmoor", "Santa Lucía", "Thornwick",
	"Beauvallon", "Eskdale", "Morvan", "Rheinfeld", "Cardona", "Westerholt", "Lyndhurst"}

var months = []string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

var ordinals = []string{"1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "11th",
	"12th", "14th", "17th", "21st", "23rd", "31st"}

var unitKinds = []string{"Battalion", "Regiment", "Brigade", "Company", "Division",
	"Engineer Squadron", "Signals Troop", "Field Hospital", "Logistics Group", "Section"}

var salutations = []string{"Sir,", "Madam,", "Your Excellency,", "Dear Colleague,",
	"Dear Director,"}

var closings = []string{
	"I have the honour to be, with the highest consideration, your obedient servant.",
	"Please accept the assurances of my highest consideration.",
	"I remain at your disposal for any further information you may require.",
	"I should be grateful for your early attention to this matter.",
}

// otherTemplates and otherWords make texts on other subjects (gardening, cooking, sport,
// travel), for queries that must match nothing.
var otherTemplates = []string{
	"The {o} in the {o} needs {o} every {o} during the warm months.",
	"We tried a new {o} with {o} and {o}, and the {o} came out better than expected.",
	"After the {o}, the {o} walked along the {o} towards the old {o}.",
	"Our {o} won the {o} against the {o} thanks to a late {o}.",
	"If the {o} is too dry, add some {o} and leave the {o} overnight.",
	"The guide showed us the {o}, the {o} and a small {o} near the {o}.",
	"Most {o}s prefer a sunny {o}, but the {o} grows well in shade.",
	"She bought {o}, {o} and fresh {o} at the market on the way to the {o}.",
	"The {o} of the {o} was delayed by rain, so the {o} started after the {o}.",
	"You can reach the {o} by {o} or by a short walk from the {o}.",
	"Mix the {o} and the {o} before you put the {o} in the oven.",
	"The children built a {o} out of {o} and painted the {o} blue.",
}

var otherWords = []string{"tomato", "garden", "watering", "week", "recipe", "garlic", "lemon",
	"sauce", "dinner", "hikers", "ridge", "lighthouse", "team", "match", "visitors", "goal",
	"soil", "compost", "cuttings", "cathedral", "harbour", "bakery", "plant", "spot", "fern",
	"flour", "basil", "bread", "station", "race", "cyclists", "ferry", "beach", "village",
	"butter", "sugar", "dough", "kite", "cardboard", "roof", "orchard", "apples", "picnic",
	"tent", "valley", "bicycle", "museum", "castle", "river", "bridge", "coach", "striker",
	"keeper", "pasta", "onions", "pepper", "tulips", "roses", "hedge", "path", "market",
	"cheese", "strawberries", "festival", "concert", "stage", "umbrella", "mountain", "lake"}
