"""Finnish vocabulary for the farm's generator (fictional agencies, people and prose).

Extends the lists of fixtures/layout/make_layout.py (AIHEET, LAUSEET, MITTARIT, ...),
which generate.py imports as well. Rules for every string here, so that a rendering
reads back as the same text:

- no slash, no "Tavoite YYYY" inside prose, no line starting with a digit or a
  comparator, no "(ABC)" at the end of a paragraph (that is an impact goal's tag);
- no "LABEL (N) =" outside the evaluation scale sentence.
"""

# (ministry, code, [(agency, [scopes or None])])
MINISTERIOT = [
    ("Valtiovarainministeriö", "VM", [
        ("Valtion lupa- ja rekisterivirasto", [None]),
        ("Valtiokonttori", [None]),
        ("Tilastokeskus", [None, "tietopalvelut"]),
        ("Valtion talous- ja henkilöstöhallinnon palvelukeskus", [None]),
    ]),
    ("Työ- ja elinkeinoministeriö", "TEM", [
        ("KEHA-keskus", ["TEM hallinnonalan substanssi", None]),
        ("Energiavirasto", [None]),
        ("Turvallisuus- ja kemikaalivirasto", [None]),
        ("Kilpailu- ja kuluttajavirasto", [None]),
    ]),
    ("Opetus- ja kulttuuriministeriö", "OKM", [
        ("Kansallinen digiarkisto", [None]),
        ("Opetushallitus", [None, "ammatillinen koulutus"]),
        ("Museovirasto", [None]),
    ]),
    ("Maa- ja metsätalousministeriö", "MMM", [
        ("Ruokavirasto", [None]),
        ("Maanmittauslaitos", [None, "paikkatietopalvelut"]),
        ("Vesihuoltovirasto", [None]),
    ]),
    ("Liikenne- ja viestintäministeriö", "LVM", [
        ("Liikenne- ja viestintävirasto", [None]),
        ("Väylävirasto", [None]),
        ("Ilmatieteen laitos", [None]),
    ]),
    ("Sosiaali- ja terveysministeriö", "STM", [
        ("Terveyden ja hyvinvoinnin laitos", [None]),
        ("Lääkealan turvallisuus- ja kehittämiskeskus", [None]),
    ]),
    ("Ympäristöministeriö", "YM", [
        ("Suomen ympäristökeskus", [None]),
        ("Asumisen rahoitus- ja kehittämiskeskus", [None]),
    ]),
    ("Oikeusministeriö", "OM", [
        ("Oikeusrekisterikeskus", [None]),
        ("Rikosseuraamuslaitos", [None]),
    ]),
    ("Sisäministeriö", "SM", [
        ("Poliisihallitus", [None]),
        ("Maahanmuuttovirasto", [None]),
        ("Pelastusopisto", [None]),
    ]),
]

MINISTRY_CODES = ["VNK", "UM", "OM", "SM", "PLM", "VM", "OKM", "MMM", "LVM", "TEM", "STM", "YM"]

VAIKUTTAVUUS = [
    "Julkinen talous vahvistuu ja hallinto toimii tuloksellisesti",
    "Digitalisaatio ja datatalous luovat kestävää kasvua",
    "Elinkeinoelämä uudistuu ja alueiden elinvoima vahvistuu",
    "Oikeusturva toteutuu ja luottamus viranomaisiin säilyy",
    "Työllisyys kasvaa ja osaavan työvoiman saatavuus paranee",
    "Koko väestön koulutus- ja osaamistaso nousee edistäen talouden uudistumista",
    "Ruokaketju on turvallinen ja kilpailukykyinen",
    "Liikennejärjestelmä on turvallinen, toimiva ja vähäpäästöinen",
    "Väestön terveys ja toimintakyky paranevat ja terveyserot kapenevat",
    "Luonnon monimuotoisuuden heikkeneminen pysähtyy",
    "Sisäinen turvallisuus säilyy korkealla tasolla",
    "Ilmastonmuutoksen hillintä ja siihen sopeutuminen etenevät",
    "Kulttuuriperintö säilyy ja on kaikkien saavutettavissa",
    "Asuntomarkkinat toimivat ja asumisen laatu paranee",
    "Yhteiskunnan kriisinkestävyys ja huoltovarmuus vahvistuvat",
    "Kansainvälinen yhteistyö tukee Suomen etuja ja vakautta",
]

# (topic, Topic, partitive)
AIHEET2 = [
    ("asiakaspalvelu", "Asiakaspalvelu", "asiakaspalvelua"), ("tiedonhallinta", "Tiedonhallinta", "tiedonhallintaa"),
    ("hankintatoimi", "Hankintatoimi", "hankintatointa"), ("ennakointi", "Ennakointi", "ennakointia"),
    ("kyberturvallisuus", "Kyberturvallisuus", "kyberturvallisuutta"),
    ("sisäinen valvonta", "Sisäinen valvonta", "sisäistä valvontaa"),
    ("henkilöstöpolitiikka", "Henkilöstöpolitiikka", "henkilöstöpolitiikkaa"),
    ("palvelumuotoilu", "Palvelumuotoilu", "palvelumuotoilua"),
    ("tutkimustoiminta", "Tutkimustoiminta", "tutkimustoimintaa"), ("maksuliikenne", "Maksuliikenne", "maksuliikennettä"),
    ("kansainvälinen toiminta", "Kansainvälinen toiminta", "kansainvälistä toimintaa"),
    ("päätöksenteko", "Päätöksenteko", "päätöksentekoa"), ("lupakäsittely", "Lupakäsittely", "lupakäsittelyä"),
    ("rekisterinpito", "Rekisterinpito", "rekisterinpitoa"), ("neuvonta", "Neuvonta", "neuvontaa"),
    ("tietopalvelu", "Tietopalvelu", "tietopalvelua"), ("valvonta", "Valvonta", "valvontaa"),
    ("viestintä", "Viestintä", "viestintää"), ("varautuminen", "Varautuminen", "varautumista"),
]

SL_MALLIT = [
    "Vahvistamme {p} asiakaslähtöisesti",
    "Uudistamme {p} yhteistyössä hallinnonalan kanssa",
    "Tuemme aluehallinnon uudistumista",
    "Asiakkaat saavat palvelut sujuvasti ja yhdenvertaisesti",
    "Toimintamme on tiedolla johdettua ja läpinäkyvää",
    "Digitaaliset palvelut ovat ensisijainen asiointikanava",
    "Osaava ja hyvinvoiva henkilöstö",
    "Kustannustehokas ja vaikuttava toiminta",
    "Edistämme kestävää kehitystä kaikessa toiminnassa",
    "Turvaamme toiminnan jatkuvuuden kaikissa oloissa",
    "Luotettava tieto päätöksenteon tueksi",
    "Sidosryhmäyhteistyö on tuloksellista",
    "Kehitämme {p} ennakoivasti",
    "Varautuminen ja kriisinkestävyys vahvistuvat",
    "Yhteiset palvelut tukevat hallinnonalan virastoja",
    "Sääntely ja ohjaus ovat selkeitä ja ennakoitavia",
    "Tehostamme {p} automaation avulla",
    "Avoin ja vuorovaikutteinen viranomainen",
    "Hyvä hallinto ja oikeusturva toteutuvat",
    "Resurssiviisas ja ketterä organisaatio",
    "Kansainvälinen yhteistyö vahvistaa toimintaa",
    "Palveluiden saavutettavuus paranee",
]

GOAL_MALLIT2 = [
    "{A} on järjestetty asiakkaiden tarpeiden mukaisesti",
    "Käsittelyajat lyhenevät ja {a} sujuvoituu",
    "{A} tukee viraston strategisia tavoitteita",
    "Viraston {a} on ennakoivaa ja vaikuttavaa",
    "Uudet toimintamallit otetaan käyttöön hallitusti",
    "Henkilöstön osaaminen vastaa muuttuvia tarpeita",
    "Tietojärjestelmät ovat ajantasaisia ja turvallisia",
    "Yhteistyö elinvoimakeskusten kanssa on sujuvaa",
    "Sähköinen asiointi lisääntyy",
    "Riskienhallinta on osa päivittäistä johtamista",
    "{A} on kustannustehokasta ja läpinäkyvää",
    "Asiakaspalaute hyödynnetään toiminnan kehittämisessä",
    "Valvonta kohdistuu riskiperusteisesti",
    "Tietovarannot ovat laajasti hyödynnettävissä",
    "{A} kehittyy yhteistyössä sidosryhmien kanssa",
    "Johtaminen tukee muutoksessa onnistumista",
    "Päätökset ovat laadukkaita ja oikea-aikaisia",
    "Tilastotuotanto vastaa käyttäjien tarpeisiin",
    "Palveluprosessit on kuvattu ja vakioitu",
    "Energiankulutus ja päästöt vähenevät",
]

LAUSEET2 = [
    "Virasto on laatinut {p} koskevan kehittämissuunnitelman ja aloittanut sen toimeenpanon.",
    "Asiakkaiden kokemaa palvelun laatua seurataan säännöllisin kyselyin, ja tulokset käsitellään johtoryhmässä.",
    "Uusi toimintamalli on otettu käyttöön, ja sen vaikutuksia arvioidaan vuoden lopussa.",
    "Virasto osallistuu aktiivisesti hallinnonalan yhteisiin kehittämishankkeisiin.",
    "Tietojärjestelmien elinkaarisuunnitelma on päivitetty ja hyväksytty.",
    "Vastuut ja työnjako on kuvattu, ja ne ovat koko henkilöstön tiedossa.",
    "Toiminnan painopisteet on sovitettu yhteen käytettävissä olevien määrärahojen kanssa.",
    "Prosessien automaatioastetta on nostettu, ja manuaalista työtä on vähennetty.",
    "Viraston sisäistä viestintää on kehitetty henkilöstökyselyn tulosten perusteella.",
    "Viranomaisyhteistyö on vakiintunutta, ja yhteisistä linjauksista on sovittu.",
    "Toiminnan vaikuttavuutta arvioidaan vuosittain osana tilinpäätösraportointia.",
    "Keskeiset palvelut ovat saatavilla myös ruotsiksi ja englanniksi.",
    "Hankinnoissa on huomioitu kestävän kehityksen ja kyberturvallisuuden vaatimukset.",
    "Esihenkilöille on järjestetty valmennusta muutosjohtamisesta.",
    "Varautumissuunnitelmat on päivitetty ja niitä on harjoiteltu.",
    "Tietoaineistojen laatua on parannettu, ja niiden saatavuus on varmistettu avoimen rajapinnan kautta.",
    "Asiakkaiden neuvonta on järjestetty monikanavaisesti, ja jonotusajat ovat lyhentyneet.",
    "Kehittämistyössä hyödynnetään kokeiluja ja asiakkaiden osallistamista.",
    "Ministeriötä informoidaan säännöllisesti tavoitteiden etenemisestä ja mahdollisista riskeistä.",
    "Henkilöstön työhyvinvointia tuetaan joustavilla työn tekemisen tavoilla.",
]

VIRASTON_TEHTAVAT = [
    "Viraston tehtävät", "Tehtävät ja toimiala", "Viraston toiminta-ajatus", "Lakisääteiset tehtävät",
]
VISIO = ["Toiminta-ajatus, visio ja arvot", "Toiminta-ajatus ja visio", "Visio ja arvot", "Arvot ja strategia"]
STRATEGIA = ["Hallinnonalan strategia", "Viraston strategia", "Strategiset painopisteet", "Toimintaympäristön muutokset"]
KATSAUS = ["Johdon katsaus", "Toimintaympäristö", "Katsaus toimintaympäristöön"]
KATSAUS_ALA = ["Toimintaympäristö ja tulostavoitteiden toteutuminen", "Talouden näkymät", "Keskeiset riskit"]

ETUNIMET = ["Helena", "Petri", "Sari", "Tiina", "Anu", "Heikki", "Jouko", "Minna", "Juha", "Kaisa",
            "Mikko", "Outi", "Pekka", "Riikka", "Antti", "Leena", "Ville", "Päivi", "Markku", "Elina",
            "Åsa", "Jyrki", "Satu", "Timo"]
SUKUNIMET = ["Lindqvist", "Aaltonen", "Mäkelä", "Korhonen", "Jänkälä", "Ståhlberg", "Heikkilä", "Nieminen",
             "Virtanen", "Laine", "Koskinen", "Järvinen", "Lehtonen", "Saarinen", "Hämäläinen", "Rantanen",
             "Karjalainen", "Öhman", "Salminen", "Heinonen", "Tuominen", "Väisänen"]
MIN_NIMIKKEET = ["ylijohtaja", "osastopäällikkö", "neuvotteleva virkamies", "johtava asiantuntija",
                 "kansliapäällikkö", "finanssineuvos", "hallitusneuvos"]
VIR_NIMIKKEET = ["pääjohtaja", "johtaja", "ylijohtaja", "vastuualueen johtaja", "talousjohtaja",
                 "hallintojohtaja"]

PAIKAT = ["Helsingissä", None, None]

# (name, unit, comparators, (lo, hi), decimals)
MITTARIT2 = [
    ("Keskimääräinen käsittelyaika", "pv", ["≤", "<"], (10, 120), 0),
    ("Asiakastyytyväisyys", "Asteikko 1-5", [">", "≥"], (3, 5), 1),
    ("Sähköisen asioinnin osuus", "%", ["≥", ">"], (50, 99), 0),
    ("Ratkaistut asiat", "kpl", ["≥", ""], (800, 60000), 0),
    ("Virheellisten päätösten osuus", "%", ["≤", "<"], (1, 6), 1),
    ("Palvelun käytettävyys", "%", ["≥"], (95, 100), 1),
    ("Suositteluindeksi", "NPS", [">", "≥"], (10, 60), 0),
    ("Toimitusaika", "kk", ["≤", "<"], (2, 14), 0),
    ("Tuottavuusindeksi", "lkm", [">", "="], (95, 115), 1),
    ("Kustannukset asiaa kohden", "euroa", ["≤", "<"], (40, 2500), 0),
    ("Avattujen tietoaineistojen määrä", "lkm", ["≥", ""], (5, 400), 0),
    ("Tarkastusten määrä", "kpl", ["≥", "="], (100, 5000), 0),
    ("Sairauspoissaolot", "pv/htv", ["<", "≤"], (5, 12), 1),
    ("Myönteisten palautteiden osuus", "%", [">", "≥"], (60, 95), 0),
    ("Määräajassa käsitellyt hakemukset", "%", ["≥"], (70, 100), 0),
    ("Henkilötyövuodet", "htv", ["=", "≤", ""], (40, 1500), 0),
]

RESURSSI_RYHMAT = ["Henkilöstövoimavarojen hallinta", "Taloudellisuus ja tuottavuus", "Toiminnan tehokkuus", None]
RESURSSI_MITTARIT = [
    ("Kokonaisindeksi", "HBaro 1-4"), ("Johtaminen-indeksi", "HBaro 1-4"), ("Työkyky-indeksi", "HBaro 1-4"),
    ("Osaaminen-indeksi", "HBaro 1-4"), ("Sairauspoissaolot", "pv/htv"), ("Henkilöstön vaihtuvuus", "%"),
    ("Toiminnan kokonaiskustannukset", "milj. euroa"), ("Tuottavuuden muutos", "%"),
]
SEURANTA_RYHMAT = [
    "Lupapalveluiden seurantamittarit", "Rekisteripalveluiden seurantamittarit", "KV-rekrytoinnin seurantamittarit",
    "Kotoutumisen edistämisen seurantamittarit", "Asiakaspalvelun seurantamittarit", "Valvonnan seurantamittarit",
    "Talouden seurantamittarit",
]
SEURANTA_MITTARIT = [
    "Vireille tulleet hakemukset", "Ratkaistut hakemukset", "Puhelinpalvelun vastausaste",
    "Työnantajakontaktit. Erillisten työnantajien määrä.", "Neuvontapalvelun yhteydenotot",
    "Verkkopalvelun käyntikerrat", "Tehdyt tarkastukset", "Annetut lausunnot", "Koulutuksiin osallistuneet",
    "Valitusten määrä", "Oikaisuvaatimukset", "Julkaistut tiedotteet", "Avoimen datan latauskerrat",
    "Palautteiden määrä", "Kansainväliset hankkeet",
]

SKAALAT = [
    ("tavoite on saavutettu tai ylitetty", "tavoite on saavutettu osittain", "tavoitetta ei ole saavutettu"),
    ("tavoite on saavutettu tai ylitetty",
     "tavoite on saavutettu osittain tai siitä ollaan jääty jonkin verran",
     "tavoitteesta on jääty paljon tai se ei ole toteutunut lainkaan"),
    ("tavoite on toteutunut täysimääräisesti", "tavoite on toteutunut osittain tai toteutus on viivästynyt",
     "tavoite ei ole toteutunut"),
]

VOIMASSAOLO = [
    "Tulossopimuksessa tulostavoitteet asetetaan lähtökohtaisesti koko sopimuskaudeksi. Tulossopimusta päivitetään rullaavasti vuosittain.",
    "Raportointi tulostavoitteiden toteumista tehdään kaksi kertaa vuodessa. Koko vuoden toteumista raportoidaan tilinpäätöksessä.",
    "Tulossopimus ja tilinpäätöstiedot julkaistaan Valtiokonttorin määräyksen mukaisesti.",
    "Toimialaohjaus täydentää tulosohjausta tarvittaessa. Allekirjoitukset toteutetaan sähköisesti.",
    "Sopimusta tarkistetaan vuosittain talousarvioprosessin yhteydessä.",
]
