package gen

import "strings"

// Reference data, spelled as in the demo's exports. Slices only: nothing is
// ever iterated in map order.
var (
	countries = []string{"DE", "AT", "CH", "NL", "FR"}
	countryW  = []int{55, 15, 12, 10, 8}
	leads     = []string{"Google Ads", "Newsletter", "Referral", "Instagram", "Walk-in"}
	leadW     = []int{30, 20, 15, 20, 15}
	tiers     = []string{"Gold", "Silver", "Bronze"}

	// per country (index of countries): first names, last names, mail domains
	firstNames = [][]string{germanFirst, germanFirst, germanFirst, dutchFirst, frenchFirst}
	lastNames  = [][]string{germanLast, austrianLast, swissLast, dutchLast, frenchLast}
	domains    = [][]string{
		{"example.de", "example.com", "example.net"},
		{"example.at", "example.com"},
		{"example.ch", "example.com"},
		{"example.nl", "example.com"},
		{"example.fr", "example.com"},
	}

	germanFirst = []string{"Anna", "Jan", "Lukas", "Leon", "Felix", "Paul", "Jonas", "Maximilian", "Tim", "Niklas",
		"Laura", "Lea", "Sophie", "Marie", "Julia", "Lena", "Hannah", "Katharina", "Sarah", "Johanna", "Moritz",
		"Florian", "Tobias", "Sebastian", "Stefan", "Thomas", "Andreas", "Sabine", "Claudia", "Petra", "Monika",
		"Jürgen", "Uwe", "Jörg", "Björn", "Lisa", "Nina", "Eva", "Clara", "Emma", "Mia", "Elias", "Noah", "Luca",
		"Fabian", "David", "Ömer", "Zoë"}
	germanLast = []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
		"Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz",
		"Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier",
		"Lehmann", "Jäger", "Groß", "Fuchs", "Kaiser", "Yılmaz", "Nowak"}
	austrianLast = []string{"Huber", "Gruber", "Wimmer", "Pichler", "Moser", "Steiner", "Mayer", "Hofer", "Bauer", "Wagner",
		"Müller", "Schmidt", "Fischer", "Weber"}
	swissLast = []string{"Keller", "Frei", "Brunner", "Meier", "Baumann", "Zürcher", "Gerber", "Widmer", "Müller", "Huber",
		"Schneider", "Weber", "Fischer"}
	dutchFirst  = []string{"Daan", "Sem", "Lucas", "Bram", "Thijs", "Emma", "Julia", "Sanne", "Fleur", "Anouk", "Lotte", "Ruben", "Jesse", "Femke"}
	dutchLast   = []string{"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos", "Peters"}
	frenchFirst = []string{"Camille", "Léa", "Chloé", "Manon", "Louis", "Hugo", "Lucas", "Jules", "Gabriel", "Inès", "Élodie", "Théo", "Julien", "Mathilde", "Marie"}
	frenchLast  = []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Dupont", "Fontaine"}

	translit = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "ae", "Ö", "oe", "Ü", "ue", "ß", "ss",
		"é", "e", "è", "e", "ê", "e", "ë", "e", "É", "e", "à", "a", "â", "a", "ç", "c", "ï", "i", "î", "i",
		"ô", "o", "ı", "i", " ", "", "'", "")

	promoterComments = []string{"Fast delivery and great quality", "Love the app, ordering is super easy",
		"Alles bestens, gerne wieder!", "Great service, friendly staff in the store", "Everything arrived well packed",
		"Quick, simple, reliable", "Best shop for this, I recommend it to friends", "Super Beratung im Laden"}
	passiveComments = []string{"Good products, delivery could be faster", "OK overall, prices a bit high",
		"Fine, nothing special", "Website is slow sometimes but the products are good", "Decent; the size guide was confusing"}
	detractorComments = []string{"Parcel arrived late, no update from support", "Returned it, the refund took weeks",
		"Support never answered my ticket", "Item damaged, box was crushed", "Too expensive for the quality",
		"Lieferung zu spät, Kundenservice nicht erreichbar", `The "express" shipping took 6 days`,
		"Wrong size sent twice, very annoying"}

	// order channels (shop spelling) and their weights, ordinary and walk-in customers
	orderChannels = []string{"webshop", "app", "store", "phone"}
	orderChW      = []int{55, 25, 12, 8}
	walkInChW     = []int{25, 15, 55, 5}

	// interaction channels (CRM spelling)
	browseChannels = []string{"Web", "App", "Social", "Store"}
	ticketChannels = []string{"E-Mail", "Chat", "Web", "App"}
	complaintCh    = []string{"Phone", "E-Mail", "Chat", "Store", "Social"}
)

// asciiName is a lower-case ASCII spelling of a name for an email address.
func asciiName(s string) string {
	return strings.ToLower(translit.Replace(s))
}
