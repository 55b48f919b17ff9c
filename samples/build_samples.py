"""Build realistic sample exports of the regioscan Positieve Gezondheid Twente.

Writes, into --out (default out/samples/ at the repository root, so a trial run changes nothing tracked;
maintainers regenerate the shipped files with --out samples):
  regioscan-2025.csv        150 respondents, ';', UTF-8 with BOM, CRLF (Dutch Excel "CSV UTF-8")
  regioscan-2026.csv        180 respondents, ';', cp1252, CRLF (Dutch Excel "CSV (puntkomma)")
  regioscan-2026-klein.xlsx first 25 respondents of 2026, sheet "Resultaten"

All open answers are hand-written below and each is used exactly once in its wave.
Deterministic: one random.Random(2025) drives everything.

Run: python samples/build_samples.py [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent

COLUMNS = [
    "respondent_id", "startdatum", "domein", "functie", "organisatie", "gemeente",
    "bekendheid_pg", "pg_visie", "pg_beleid", "pg_uitvoering", "toelichting_beleid",
    "kartrekker", "toelichting_inbedding", "spinnenweb", "toelichting_toepassing",
    "regio_visie", "toelichting_regio", "toelichting_regio_nodig", "suggesties",
]
OPEN_COLUMNS = [
    "toelichting_beleid", "toelichting_inbedding", "toelichting_toepassing",
    "toelichting_regio", "toelichting_regio_nodig", "suggesties",
]

# --- answer options ---------------------------------------------------------------------------
LIKERT = ["Helemaal mee eens", "Mee eens", "Neutraal", "Mee oneens", "Helemaal mee oneens",
          "Weet ik niet / n.v.t."]
KARTREKKER = ["Ja", "Gedeeltelijk", "Nee", "Weet ik niet / n.v.t."]
FREQ = ["Structureel", "Regelmatig", "Af en toe", "Nooit", "Weet ik niet / n.v.t."]
BEKENDHEID = [
    "Ik ken het gedachtegoed van Positieve Gezondheid goed",
    "Ik ken het gedachtegoed van Positieve Gezondheid een beetje",
    "Ik ken het gedachtegoed van Positieve Gezondheid niet of nauwelijks",
]
ZORG = "Zorgdomein (inclusief publieke gezondheid)"
WELZIJN = "Welzijn en sociaal domein"
KENNIS = "Kennis- en onderwijsdomein"
ANDERS = "Anders, namelijk"
FUNCTIES = ["Beleidsmedewerker/adviseur", "Manager", "Directeur", "Bestuurder", ANDERS]
FUNCTIE_W = [47, 29, 15, 6, 3]

GEMEENTE = "Eén van de 14 Twentse gemeenten"
# organisatie -> (weight, {domein: weight}); weights follow figure 3, the conditional domein
# shares are chosen so the domein marginal lands near figure 1 (42/37/12/8).
ORGANISATIES = {
    GEMEENTE: (30, {WELZIJN: 75, ZORG: 12, KENNIS: 5, ANDERS: 8}),
    "Welzijnsorganisatie": (10, {WELZIJN: 95, ANDERS: 5}),
    "SamenTwente (GGD Twente, OZJT, VTT)": (10, {ZORG: 80, KENNIS: 15, WELZIJN: 5}),
    "Geestelijke gezondheidszorg": (11, {ZORG: 95, WELZIJN: 5}),
    "Ziekenhuis": (6, {ZORG: 100}),
    "Mbo-instelling, hbo-instelling of universiteit": (6, {KENNIS: 100}),
    "Verpleeg-, verzorgingshuizen en thuiszorg": (9, {ZORG: 100}),
    "Jeugdzorgorganisatie": (4, {WELZIJN: 60, ZORG: 40}),
    "Gehandicaptenzorg": (2, {ZORG: 100}),
    "Provincie Overijssel": (7, {ANDERS: 40, WELZIJN: 30, KENNIS: 30}),
    "Menzis": (1, {ZORG: 50, ANDERS: 50}),
    "Woningbouworganisatie": (1, {ANDERS: 100}),
    "Fysiotherapeut": (1, {ZORG: 100}),
    ANDERS: (2, {ANDERS: 50, KENNIS: 50}),
}

# --- per-wave settings ------------------------------------------------------------------------
WAVES = {
    2025: dict(
        n=150, prefix="R25", start=date(2025, 10, 13), end=date(2025, 11, 16),
        csv="regioscan-2025.csv", encoding="utf-8-sig",
        gemeenten={"Hellendoorn": 38, "Almelo": 10, "Twenterand": 17, "Hengelo": 3,
                   "Rijssen-Holten": 3, "Enschede": 3, "Borne": 3, "Haaksbergen": 3,
                   "Hof van Twente": 3, "Oldenzaal": 7, "Wierden": 7},
        bekendheid=[33, 61, 6],
        pg_visie=[20, 42, 16, 11, 3, 8], pg_beleid=[10, 39, 18, 16, 3, 14],
        pg_uitvoering=[8, 28, 22, 21, 8, 13], kartrekker=[26, 18, 41, 15],
        spinnenweb=[13, 19, 31, 20, 17], regio_visie=[4, 18, 28, 13, 2, 35],
        # share of respondents that stopped after block 1 / after block 2 (n 98 -> 91 -> 83)
        dropout=(0.07, 0.08),
        # invitation mail, newsletter, reminder, last call (days after start)
        peaks={0: 9, 1: 6, 2: 3, 8: 4, 9: 2, 21: 5, 22: 3, 33: 2, 34: 2},
    ),
    2026: dict(
        n=180, prefix="R26", start=date(2026, 10, 12), end=date(2026, 11, 15),
        csv="regioscan-2026.csv", encoding="cp1252",
        gemeenten={"Hellendoorn": 30, "Almelo": 10, "Twenterand": 12, "Hengelo": 5,
                   "Rijssen-Holten": 4, "Enschede": 7, "Borne": 3, "Haaksbergen": 3,
                   "Hof van Twente": 4, "Oldenzaal": 6, "Wierden": 6, "Dinkelland": 3,
                   "Losser": 3, "Tubbergen": 2},
        bekendheid=[38, 57, 5],
        pg_visie=[22, 43, 15, 10, 3, 7], pg_beleid=[13, 40, 17, 15, 3, 12],
        pg_uitvoering=[9, 31, 22, 19, 7, 12], kartrekker=[30, 20, 36, 14],
        spinnenweb=[14, 22, 30, 19, 15], regio_visie=[6, 24, 27, 14, 2, 27],
        dropout=(0.06, 0.07),
        peaks={0: 8, 1: 5, 2: 3, 7: 4, 8: 2, 22: 6, 23: 3, 32: 2, 33: 2},
    ),
}


def T(text: str, **overrides: str) -> tuple[str, dict[str, str]]:
    """An answer that only fits a respondent with these closed answers / this organisatie."""
    return (text, overrides)


NEE, JA, DEELS = "Nee", "Ja", "Gedeeltelijk"
WN = "Weet ik niet / n.v.t."

# =============================================================================================
# Wave 2025
# =============================================================================================
TEXTS_2025 = {
    "toelichting_beleid": [
        "Visie en beleidsplan noemen PG, maar op de werkvloer zie je er nog weinig van terug.",
        "Op papier is het goed geregeld. Op de werkvloer weten collega's vaak niet wat ermee bedoeld wordt.",
        "Ik miste de optie 'deels mee eens', nu heb ik neutraal ingevuld terwijl dat niet helemaal klopt.",
        "Het woord positieve gezondheid komt in ons beleid niet letterlijk voor, maar de gedachte "
        "(breed kijken, wat is belangrijk voor iemand) wel.",
        "Vanwege de bezuinigingen ligt de focus nu op de wettelijke taken. PG is dan al snel iets 'extra's'.",
        T("Nieuwe zorgvisie 2024-2028 is helemaal opgebouwd rond de 6 dimensies. Uitvoeringsplannen volgen nog.",
          pg_visie="Helemaal mee eens"),
        T("Wij zijn als gemeente bezig met nieuw lokaal gezondheidsbeleid, daarin wordt PG de basis. "
          "Is nog niet vastgesteld door de raad.", organisatie=GEMEENTE),
        "n.v.t.",
        "Ik werk pas een half jaar bij deze organisatie dus kan het niet goed beoordelen",
        "In het personeelsbeleid zit het niet, in de jaargesprekken wordt er niet naar gevraagd.",
        "De resultaatafspraken met gemeenten en zorgverzekeraar zijn nog heel erg productiegericht. "
        "Dat schuurt met PG.\nJe wordt afgerekend op aantallen, niet op wat het voor iemand betekent.",
        T("Sociaal domein: ja\nPublieke gezondheid: deels\nBinnen de gemeente verschilt het per afdeling "
          "hoe ver men is.", organisatie=GEMEENTE),
        "vaag begrip bij ons, iedereen zegt het te doen maar niemand weet precies wat",
        "Het is opgenomen in het koersdocument 'Samen gezond', de uitvoering loopt via de Gezonde "
        "Buurten aanpak in 3 wijken.",
        "We werken met het keukentafelgesprek en de Wmo-uitvraag, dat sluit aan bij PG maar we noemen het niet zo.",
        "Positieve Gezondheid wordt genoemd in het regioplan voor het IZA, in ons eigen beleid minder expliciet.",
        T("GGD: PG is uitgangspunt van de nota publieke gezondheid, de vertaling naar onze producten en "
          "diensten is nog beperkt.", organisatie="SamenTwente (GGD Twente, OZJT, VTT)"),
        "Visie ja. Rest nee.",
        "Bestuur is enthousiast, middenmanagement minder. Daardoor blijft het hangen.",
        "Door de reorganisatie is veel blijven liggen, ook dit.",
        "We hebben het in 2019 breed omarmd, daarna is de aandacht verslapt. Er komt nu een nieuwe "
        "impuls via het programma van de gemeente.",
        "Mis in de vragenlijst de nuance, het verschilt per team enorm. Het ene team werkt er dagelijks "
        "mee, het andere heeft er nog nooit van gehoord",
        "Wij zijn een kleine organisatie (12 fte) zonder formele beleidsplannen. In de praktijk werken we wel zo.",
        "Onze financier stuurt op andere dingen, dan blijft er weinig ruimte om dit echt integraal te "
        "doen. Tijd en geld zijn er gewoon niet",
        "Het is geen doel op zich. we gebruiken het als bril, niet als methode",
        "Ik heb vooral zicht op het beleid van onze eigen afdeling. Daar is het goed verankerd, bij de "
        "andere afdelingen minder.",
        "-",
        "In de nieuwe meerjarenstrategie 2025–2030 staat gezondheid als 'het vermogen om je aan te "
        "passen en eigen regie te voeren' (Huber). Uitvoeringsplannen moeten per locatie nog "
        "uitgewerkt worden.",
        "Het staat er wel in maar eerlijk gezegd is het meer een modewoord geworden. Als je doorvraagt "
        "wat we anders doen dan 5 jaar geleden blijft het stil.",
        "PG staat in ons missiestatement, maar is in de dagelijkse operatie nog niet echt zichtbaar.",
    ],
    "toelichting_inbedding": [
        T("We hebben geen kartrekker. Er zijn wel een paar enthousiaste collega's maar dat is vrijwillig "
          "en naast het gewone werk.", kartrekker=NEE),
        T("Er is een ambassadeursnetwerk van 8 medewerkers verspreid over de locaties.", kartrekker=JA),
        T("Onze trekker is vorig jaar vertrokken, de vacature is nooit ingevuld", kartrekker=NEE),
        T("Gedeeltelijk: de beleidsadviseur preventie heeft het in haar portefeuille maar met 4 uur per "
          "week kom je niet ver.", kartrekker=DEELS),
        "PG is opgenomen in onze missie en strategie, medewerkers krijgen scholing via het leerplein.",
        "Inbedding in werkprocessen loopt nog. We zijn begonnen met het aanpassen van het intakeformulier.",
        T("Weet niet of er een ambassadeur is, heb er nooit iets van gehoord", kartrekker=WN),
        T("Ik ben zelf aangewezen als ambassadeur maar heb er geen uren voor gekregen.", kartrekker=DEELS),
        "Project 'Anders kijken' loopt sinds 2023 in alle wijkteams, voor 3 jaar gefinancierd.",
        "wij hebben 2 gecertificeerde trainers in huis",
        T("Het hangt nu aan 1 persoon, als die vertrekt is het weg. Kwetsbaar.", kartrekker=JA),
        "In onze organisatie heet het programma 'Gezond leven', PG is 1 van de pijlers.",
        "nvt",
        T("Vanuit de GGD is een adviseur PG beschikbaar voor gemeenten, maar intern hebben we het niet "
          "belegd.", kartrekker=DEELS, organisatie=GEMEENTE),
        T("Er is een werkgroep PG geweest maar die is na corona niet meer opgestart.", kartrekker=NEE),
        T("De kartrekker is de wethouder zelf, ambtelijk ligt het versnipperd over beleid en uitvoering.",
          kartrekker=DEELS, organisatie=GEMEENTE),
        "Verandertraject 'Zorg anders' (2022-2026) is gebaseerd op PG en eigen regie van de client.",
        T("Ambassadeur ja, maar die is vooral bezig met de interne nieuwsbrief.", kartrekker=JA),
        "We proberen het mee te nemen in de onboarding van nieuwe medewerkers. Dat lukt nog niet structureel.",
        "Op bestuurlijk niveau belegd (lid RvB), daaronder is het niet duidelijk wie wat doet.",
        T("Geen idee eerlijk gezegd", kartrekker=WN),
        T("Binnen het ziekenhuis is PG onderdeel van Samen Beslissen en de leefstijlpoli. Verder niet "
          "organisatiebreed.", organisatie="Ziekenhuis"),
        T("We have a PG coordinator, but only for the elderly care division.", kartrekker=DEELS),
        T("Kartrekker = ik 😅 maar ik doe dit naast mijn functie als teamleider", kartrekker=DEELS),
        "Onze bestuurder heeft het als speerpunt benoemd voor 2025. Er wordt nu een plan gemaakt.",
        "In de teams die met PG werken zie je dat het gesprek met clienten verandert. Maar het is nog "
        "niet in alle werkprocessen verankerd, bv niet in het ECD.",
    ],
    "toelichting_toepassing": [
        "We zetten het spinnenweb soms in om een gesprek op gang te brengen, het invullen zelf is nooit het doel.",
        T("Het spinnenweb gebruiken we niet, wel de gedachte erachter.", spinnenweb="Nooit"),
        "Breed kijken naar de inwoner doen we al jaren, ook zonder spinnenweb. Heet bij ons 'werken vanuit de bedoeling'.",
        T("Medewerkers vinden het spinnenweb te talig voor onze doelgroep (LVB). We hebben een eigen versie "
          "met plaatjes gemaakt.", spinnenweb="Regelmatig", organisatie="Gehandicaptenzorg"),
        T("Structureel in de intake bij de fysiotherapie.", spinnenweb="Structureel", organisatie="Fysiotherapeut"),
        T("Geen zicht op wat collega's in de uitvoering doen.", spinnenweb=WN),
        "Scholing: 1x per jaar een basisworkshop voor nieuwe medewerkers. Verder niks.",
        "Activiteiten voor inwoners:\n- wandelgroep\n- samen koken\n- Gezonde Buurten in 2 kernen",
        T("We werken niet met PG.", spinnenweb="Nooit"),
        "Sommige praktijkondersteuners gebruiken het, de meeste niet. De tijd in het consult is te kort.",
        "In het sociaal team wordt het spinnenweb gebruikt bij de vraagverheldering, maar het wordt niet "
        "geregistreerd dus we weten niet hoe vaak.",
        "Geen",
        T("We hebben vorig jaar een training van het iPH gevolgd met 20 medewerkers. Daarna is het "
          "ingezakt.", spinnenweb="Af en toe"),
        T("De Mijn Positieve Gezondheid tool gebruiken we in de ouderenzorg, vooral bij het opstellen "
          "van het zorgleefplan.", spinnenweb="Regelmatig",
          organisatie="Verpleeg-, verzorgingshuizen en thuiszorg"),
        "Alleen tijdens de Dromen Vangen voorstelling mee kennis gemaakt, daarna niks meer mee gedaan",
        "Bij ons gaat het om houding, niet om instrumenten.",
        "Het spinnenweb werkt goed bij mensen die wat taalvaardiger zijn. Bij laaggeletterden of "
        "mensen die de taal niet goed spreken is het lastig",
        "We gebruiken het bij de leefstijlcoach (GLI trajecten).",
        "Het verschilt per locatie. Eén locatie werkt er heel bewust mee, de rest doet af en toe iets.",
        T("Inwoneractiviteiten worden georganiseerd door het welzijnswerk, wij als gemeente faciliteren.",
          organisatie=GEMEENTE),
        "De meeste collega's weten wel wat het is maar vinden het lastig toe te passen: wat doe je als "
        "iemand op alle 6 dimensies laag scoort?",
        "scholing is er wel (e-learning) maar niet verplicht. deelname is laag.",
        T("Weet ik niet, ik zit op beleid.", spinnenweb=WN),
        T("Het spinnenweb wordt gebruikt in onze herstelacademie en door de ervaringsdeskundigen.",
          organisatie="Geestelijke gezondheidszorg"),
        "Tools: spinnenweb, 'wat is belangrijk voor jou'-kaartjes en het gespreksmodel dat de huisartsen gebruiken.",
        "In de wijk organiseren we jaarlijks een gezondheidsmarkt rond de thema's van PG. Wordt goed "
        "bezocht (ca 300 bezoekers).",
    ],
    "toelichting_regio": [
        T("Van wat er op regionaal niveau speelt krijg ik weinig mee, vandaar al die weet-ik-nietjes.", regio_visie=WN),
        "Er gebeurt wel wat, maar los van elkaar: de ene gemeente zit in Gezonde Buurten, de andere heeft een eigen preventieprogramma.",
        "PG is geen trucje. Het gaat om anders kijken en anders handelen, en dat vraagt tijd.",
        T("Kende Twentse Koers tot deze vragenlijst niet.", regio_visie=WN),
        "In Noordoost-Twente wordt veel samengewerkt, in de rest van de regio weet ik het niet",
        "Lastig te beantwoorden. Ik zie wel samenwerking tussen wijkteams en huisartsen maar of dat "
        "'volgens PG' is weet ik niet.",
        "De interpretatie verschilt enorm: voor de een is het een gesprekstool, voor de ander een visie op de samenleving.",
        "Via IZA en GALA zijn er regionale afspraken, PG komt daar zijdelings in terug.",
        "Ik zie vooral dat zorg en welzijn elkaar nog te weinig weten te vinden.",
        "De theatervoorstelling was mooi en inspirerend, maar wat is het vervolg?",
        "Organisaties kennen elkaars werkwijze niet. Wij wisten bijvoorbeeld niet dat de GGD trainingen geeft.",
        "Alles hangt af van personen. Als de juiste mensen elkaar kennen werkt het, anders niet.",
        "Pril. Maar er zit energie in.",
        T("Heb de vragen over de regio op weet ik niet gezet, ik werk pas sinds kort in Twente.", regio_visie=WN),
        "Het mag geen doel op zich worden → PG is een middel om inwoners meer eigen regie te geven.",
        "Elke organisatie heeft zijn eigen taal. De een zegt PG, de ander eigen kracht, de derde 'de "
        "bedoeling'. Uiteindelijk bedoelen we hetzelfde.",
        "Er zijn veel losse projecten die stoppen zodra de subsidie op is.",
        "In Hellendoorn werken we goed samen met welzijn en de huisartsen, regionaal merk ik er weinig van.",
        "Doelen zijn er volgens mij niet, of ze zijn niet gecommuniceerd.",
        T("Binnen SamenTwente wordt er wel over gesproken maar naar buiten toe is het niet zichtbaar.",
          organisatie="SamenTwente (GGD Twente, OZJT, VTT)"),
        "geen mening",
        "Ik denk dat veel organisaties hetzelfde willen maar niet van elkaar weten wat ze doen. Dat zag "
        "je ook bij de voorstelling in Almelo, veel mensen kenden elkaar niet.",
        "Zorgorganisaties scholen hun personeel wel, maar het management doet niet mee. Dan blijft het "
        "hangen bij de uitvoering en verandert er in de organisatie weinig.",
        "We werken in de regio vooral samen rond ouderen en dementie. Daar zit PG impliciet in, "
        "expliciet wordt het niet genoemd",
    ],
    "toelichting_regio_nodig": [
        "Een gedeelde visie op PG in Twente, als vanzelfsprekend onderdeel van het dagelijks werk en niet als extra project.",
        "Financiering! PG wordt in ons zorgsysteem niet betaald. Preventie wordt al 40 jaar gepredikt "
        "maar er komt geen geld bij.",
        "Intrinsieke motivatie is belangrijker dan structuren.",
        "Structurele middelen in plaats van steeds weer projectgeld voor 2 jaar.",
        "Een plek waar je kunt zien wie wat doet in Twente.",
        "Een samenwerkingsstructuur waarin gemeenten, zorgverzekeraar en zorgaanbieders afspraken maken.",
        "Niet nog een overleg erbij aub",
        "Dat de regio aansluit bij de lokale preventieakkoorden en die niet overdoet",
        "Gezamenlijke scholing voor professionals uit zorg en welzijn, zodat we dezelfde taal gaan spreken.",
        "Meer zichtbaarheid van wat Twentse Koers doet.",
        "Weet ik niet",
        "Zie vorig antwoord",
        "Gezamenlijke doelen en een manier om te meten of we die halen.",
        "Bestuurlijk commitment van alle 14 gemeenten.",
        "Voorbeelden uit de praktijk: waar werkt het en wat levert het op?",
        "Tijd. Iedereen wil wel maar heeft het te druk.",
        "Een regionale trekker die de verbinding legt tussen de domeinen",
        "- structurele financiering\n- gezamenlijke doelen\n- uitwisseling tussen organisaties",
        "Menzis moet aan tafel",
        "Ik heb 3 dingen aangevinkt maar eigenlijk is alles nodig",
        "Ruimte voor maatwerk per gemeente. Kleine gemeenten hebben andere mogelijkheden dan Enschede.",
        "Aandacht voor de uitvoerende professional, niet alleen voor de beleidsmakers.",
        "Inzicht in wat het oplevert. Zonder cijfers krijg je bestuurders niet mee.",
        "Een campagne richting inwoners, veel mensen hebben er nog nooit van gehoord.",
        "Minder praten, meer doen.",
        "Een vast aanspreekpunt bij Twentse Koers voor vragen over PG.",
    ],
    "suggesties": [
        "Organiseer een paar keer per jaar een bijeenkomst waar professionals uit zorg en welzijn "
        "elkaar ontmoeten en ervaringen uitwisselen.",
        "Een nieuwsbrief met goede voorbeelden uit Twente.",
        "Help ons met een concrete handreiking: hoe verwerk je PG in een werkproces, van intake tot evaluatie?",
        "Breng in beeld wat er al is in de gemeenten voordat je iets nieuws begint. Er gebeurt lokaal "
        "al veel meer dan je denkt.",
        "Gezamenlijke visie en doelen voor Twente, vertaald naar een meerjarenplan met duidelijke mijlpalen.",
        "Lobby bij zorgverzekeraars voor structurele financiering van preventie en PG.",
        "Intervisie voor beleidsmedewerkers die met PG bezig zijn, nu zit iedereen op zijn eigen eiland.",
        "Een databank van mensen die je kunt inhuren voor een workshop of een teamsessie.",
        "Geen idee",
        "Schets samen met de partners een stip op de horizon, bijvoorbeeld 2030, en werk uit welke "
        "stappen daar naartoe leiden. Hoe zie je in de praktijk dat het werkt?",
        "Scholing voor managers en bestuurders, niet alleen voor de uitvoering. Het moet van bovenaf gedragen worden.",
        "Ondersteuning bij Gezonde Buurten, bv een draaiboek hoe je dat opstart in een kleine kern.",
        "Bestuurders van gemeenten, zorgverzekeraar en zorgorganisaties samen aan tafel krijgen en "
        "afspraken maken over financiering.",
        "Sluit aan bij bestaande overleggen (bv het regionale preventieoverleg) in plaats van een nieuw netwerk op te richten.",
        "Maatwerk. Wat in Enschede werkt, werkt niet per se in Tubbergen.",
        "Laat zien welke aanpakken in Twente aanslaan en welke niet, en bij wie je dan moet aankloppen.",
        "Meer van dit soort theatervoorstellingen, dat raakt mensen meer dan een powerpoint.",
        "Training voor vrijwilligers die in de wijk actief zijn, zodat ook zij het gesprek vanuit PG kunnen voeren.",
        "Blijf PG agenderen bij de gemeenten, in de gemeenteraad weet bijna niemand wat het is.",
        "niet van toepassing",
        "Coaching op de werkvloer bij de implementatie. Een training alleen is niet genoeg, het moet "
        "echt geoefend worden in de praktijk.",
        "- netwerkbijeenkomsten\n- handige tools\n- lobby richting Den Haag",
        "Een Twentse PG-monitor: gezamenlijke indicatoren zodat we als regio kunnen volgen of we vooruitgaan.",
        "Een linkedin groep is leuk maar mensen lezen het niet. Liever fysiek bij elkaar komen.",
        "Lastig. Ik zou het niet weten",
        "Een e-learning die we in ons eigen leerplatform kunnen zetten.",
        "Laat zien wat er al gebeurt in de verschillende gemeenten en bouw daarop voort, niet ernaast.\n"
        "Wij hebben al een lokaal preventieakkoord, daar moet het in landen.",
        "Ik zou graag zien dat Twentse Koers de verbinder wordt tussen zorg, welzijn en gemeenten. Nu "
        "werkt iedereen langs elkaar heen.",
        "Kennisdeling!!",
        "Ondersteuning bij het meten van effect in onze eigen organisatie, bijvoorbeeld een eenvoudige "
        "vragenlijst voor een voor- en nameting.",
        "Zorg dat er een gedeelde taal komt. Nu bedoelt iedereen iets anders met PG.",
        "Help de kleine organisaties. Wij hebben geen beleidsafdeling en geen tijd om uit te zoeken hoe "
        "het moet, een half dagje meedenken op onze locatie zou al veel helpen.",
        "Een regionaal netwerk van PG-ambassadeurs die elkaar 2x per jaar zien en van elkaar leren.",
        "Structurele financiering, anders blijft het bij losse projecten die na 2 jaar stoppen.",
        "PG is mooi maar de praktijk is weerbarstig. Wij worden gefinancierd op productie en dan is er "
        "geen tijd voor een breed gesprek.",
        "Fijn dat jullie dit uitvragen!",
        "Leg goede voorbeelden vast en deel ze, bv in korte filmpjes.",
        "Niet weer een groot regionaal project. Liever kleine, lokale initiatieven ondersteunen die al lopen.",
        "Zorg voor een gezamenlijk meerjarenplan met de partners, inclusief evaluatie. En organiseer "
        "daarnaast een paar keer per jaar een kennissessie.",
        "Iemand bij TK die je kunt bellen of mailen als je vastloopt bij het invoeren van PG in je organisatie.",
        "Breng de zorgverzekeraar, gemeenten en welzijn bij elkaar om domeinoverstijgend te financieren. "
        "Nu valt preventie tussen wal en schip.",
        "intervisie voor trainers",
        "Iets op papier voor vrijwilligersorganisaties: hoe neem je PG mee in het werk van maatjes en vrijwilligers?",
        "Organise regular meetups for professionals across Twente to share what works and what doesn't.",
        "Veel gemeenten zijn al bezig met gezondheidsbeleid. Kijk per gemeente wat de behoefte is en bied maatwerk.",
        "Eén gezamenlijke visie van alle Twentse partners, waar iedereen zich aan verbindt.",
        "Tools die je direct kunt gebruiken: gesprekskaarten, een format voor het ondersteuningsplan, "
        "een eenvoudige evaluatie.",
        "Ik denk dat Twentse Koers het vooral moet agenderen op bestuurlijk niveau. Dan volgt de rest vanzelf.",
        "--",
        "Meer bekendheid geven aan PG bij inwoners.",
        "Databank met goede praktijkvoorbeelden uit de regio, zodat je niet steeds zelf het wiel hoeft uit te vinden.",
        "Ondersteuning bij het borgen van PG in onze werkprocessen en ons kwaliteitssysteem, bijvoorbeeld "
        "door een adviseur die een paar maanden meekijkt.",
        "Samen met de 14 gemeenten afspraken maken over doelen en die jaarlijks evalueren.",
        "Netwerkbijeenkomst voor beleidsadviseurs van gemeenten en GGD. Die zijn er nu te weinig.",
        "Gewoon blijven doen wat jullie doen 👍",
        "een keer per kwartaal een inspiratiesessie",
        "Geef gemeenten ruimte om eigen keuzes te maken. PG hoeft niet overal hetzelfde te zijn.",
        "Lobby bij het rijk en de provincie zodat de impulsgelden niet eenmalig blijven.",
        "Wat mij betreft drie dingen.\nTen eerste: zorg dat we in Twente dezelfde taal spreken, nu heeft "
        "iedere organisatie zijn eigen definitie.\nTen tweede: organiseer kennisdeling tussen "
        "organisaties, bijvoorbeeld via een netwerk van ambassadeurs of een jaarlijkse Twentse PG-dag.\n"
        "Ten derde: help organisaties met praktische hulpmiddelen voor de implementatie, want daar loopt "
        "het nu vast. Bewustwording is er wel, maar de stap naar de werkvloer is groot.",
        "TK zou een rol kunnen spelen in het verbinden van de GGD, VTT en de gemeenten rondom PG. "
        "Daarnaast graag een overzicht van trainers.",
        "Gezonde Buurten uitrollen naar meer wijken, met ondersteuning van TK bij de opstart.",
        "ik heb hier geen mening over",
    ],
}

# =============================================================================================
# Wave 2026 (only characters cp1252 can hold)
# =============================================================================================
TEXTS_2026 = {
    "toelichting_beleid": [
        "Sinds dit jaar staat PG expliciet in ons meerjarenbeleidsplan. De uitvoering is per team verschillend.",
        "Nog steeds hetzelfde beeld als vorig jaar:\nvisie ja\nuitvoering nee",
        "We zitten midden in een bezuinigingsronde. PG wordt gezien als iets wat 'ook nog' moet.",
        T("De nieuwe gezondheidsnota 2026-2030 is gebouwd op PG. In juni vastgesteld door de raad.",
          organisatie=GEMEENTE, pg_beleid="Helemaal mee eens"),
        "Geen optie 'deels' — daarom neutraal ingevuld.",
        T("nvt, wij zijn een provinciale organisatie", organisatie="Provincie Overijssel"),
        "Het wordt genoemd in de visie, maar medewerkers herkennen het niet in hun dagelijkse werk.",
        "In de uitvoeringsplannen wordt 'positief gezondheid' genoemd, maar zonder concrete acties of doelen",
        "De nieuwe bestuurder heeft andere prioriteiten (arbeidsmarkt, wachtlijsten). PG is naar de achtergrond verdwenen.",
        T("GGD Twente heeft PG opgenomen in het nieuwe beleidsplan, maar in de taakafspraken met "
          "gemeenten zit het nauwelijks.", organisatie="SamenTwente (GGD Twente, OZJT, VTT)"),
        "Ik kan alleen voor mijn eigen team spreken.",
        "Zie mijn toelichting van vorig jaar, er is niet veel veranderd",
        "Wij werken al jaren vanuit de bedoeling. Of je dat PG noemt of niet maakt mij niet zo veel uit.",
        "-",
        T("Sommige afdelingen hebben het goed geborgd (wijkverpleging), andere helemaal niet (intramuraal).",
          organisatie="Verpleeg-, verzorgingshuizen en thuiszorg"),
        "Het is onderdeel van onze ‘Koers 2030’, maar in de uitvoeringsplannen is het nog een witte vlek.",
        "Door de Hervormingsagenda en de bezuinigingen op de Wmo is de ruimte kleiner geworden.",
        "In het personeelsbeleid staat het niet. In de functieprofielen van de wijkcoaches wel.",
        "Beleidsmatig staat het er, in de praktijk hangt het af van je leidinggevende.",
        "PG is opgenomen in het regioplan IZA Twente, daar sluiten wij als organisatie bij aan.",
        "Het beleid is er. Maar beleid maken is makkelijker dan gedrag veranderen.",
        "Resultaatfinanciering sluit niet aan bij breed kijken. We moeten productie draaien.",
        "Het staat erin maar ik vraag me af hoeveel collega's het weten",
        T("ik werk bij een woningcorporatie, wij gebruiken het woord niet maar letten wel op "
          "leefbaarheid en welzijn van huurders", organisatie="Woningbouworganisatie"),
        "In ons strategisch plan heet het 'gezondheid en welbevinden', gebaseerd op de 6 dimensies.",
        T("Onze gemeente werkt met de Omgevingsvisie, daar is gezondheid één van de pijlers en wordt "
          "PG expliciet genoemd.", organisatie=GEMEENTE),
        "Goed geregeld op papier, maar sinds het vertrek van onze beleidsadviseur preventie ligt het stil.",
        "Weet ik niet precies",
        "We hebben dit jaar PG gekoppeld aan bestaanszekerheid en armoedebeleid, dat gaf veel herkenning bij collega's.",
        T("Als fysiotherapiepraktijk hebben we geen formeel beleid, maar we werken wel met de dimensies "
          "in ons behandelplan.", organisatie="Fysiotherapeut"),
        "Deels. Het beleid wordt centraal gemaakt, de regio's vullen het zelf in.",
        T("In de kaderbrief van de raad staat het, maar er is geen budget aan gekoppeld.", organisatie=GEMEENTE),
        "PG staat in de visie. Punt. Daarna houdt het op.",
        "Uitvoering loopt via het programma Gezond en Actief Leven, waarin PG het uitgangspunt is.",
    ],
    "toelichting_inbedding": [
        T("Sinds maart hebben we een programmamanager PG voor 16 uur per week.", kartrekker=JA),
        T("Geen kartrekker meer sinds de reorganisatie.", kartrekker=NEE),
        T("We hebben nu 12 ambassadeurs, verdeeld over alle teams. Zij krijgen er 2 uur per week voor.", kartrekker=JA),
        "Het hangt weer af van een paar enthousiastelingen.",
        "Er loopt een meerjarig traject 'Samen Gezond' (2025-2028) met alle teams, budget € 40.000 per jaar.",
        T("Kartrekker zit bij de GGD, niet bij ons.", kartrekker=NEE),
        "Het project is gestopt toen de subsidie afliep.",
        T("In de nieuwe werkprocessen van het sociaal team is PG de basis van het gesprek.", organisatie=GEMEENTE),
        T("weet niet", kartrekker=WN),
        T("Sinds dit jaar hebben we een aandachtsfunctionaris PG. Als TK contact wil: bel gerust mijn "
          "collega Ingrid Kamphuis, zij weet er alles van.", kartrekker=JA),
        T("Gedeeltelijk: iedere locatie heeft een aandachtsvelder, maar er is geen organisatiebrede regie.",
          kartrekker=DEELS),
        "Verandertraject loopt, inbedding in het ECD staat gepland voor 2027.",
        "We hebben PG opgenomen in de inwerkmap voor nieuwe medewerkers.",
        T("Geen ambassadeur, wel een werkgroep die 4x per jaar bij elkaar komt.", kartrekker=DEELS),
        T("De ambassadeur is weggegaan en niemand heeft het overgenomen", kartrekker=NEE),
        T("Binnen het ziekenhuis alleen bij de afdeling geriatrie en de leefstijlpoli.", organisatie="Ziekenhuis"),
        T("Ja, de wethouder volksgezondheid is echt de aanjager.", kartrekker=JA, organisatie=GEMEENTE),
        T("Nee.", kartrekker=NEE),
        T("Het projectteam PG is afgelopen zomer opgeheven.", kartrekker=NEE),
        "We werken met een community of practice binnen de organisatie. Dat loopt goed.",
        T("Het zit in de werkprocessen van de wijkverpleging (anamnese volgens Omaha + PG). Bij de "
          "huishoudelijke hulp nog niet.", organisatie="Verpleeg-, verzorgingshuizen en thuiszorg"),
        "Zolang er geen structurele uren voor zijn blijft het vrijblijvend.",
        T("Wij zijn een kleine welzijnsorganisatie, de directeur is tevens kartrekker.",
          kartrekker=JA, organisatie="Welzijnsorganisatie"),
        "Er is wel een project gestart maar dat staat vooral op papier",
        "Organisatiebreed traject 'Positief Werken' gestart in september, eerste resultaten verwacht medio 2027.",
        T("In de GGZ is herstelgericht werken al langer leidend; PG sluit daar naadloos bij aan.",
          organisatie="Geestelijke gezondheidszorg"),
        "Onduidelijk wie het trekt. Beleid zegt uitvoering, uitvoering zegt beleid.",
        T("Wij werken herstelondersteunend (Triple C), PG wordt daar als aanvulling op gezien.",
          organisatie="Gehandicaptenzorg"),
        "zie boven",
        "PG zit in het jaargesprek als vast onderwerp: hoe gaat het met jouw eigen gezondheid?",
        T("De kartrekkersrol ligt bij mij, maar ik ben ook projectleider voor 3 andere programma's, dus "
          "het schiet er vaak bij in.", kartrekker=DEELS),
    ],
    "toelichting_toepassing": [
        T("Spinnenweb gebruiken we niet meer, collega's vonden het te schools.", spinnenweb="Nooit"),
        "Het spinnenweb is een middel, geen doel. We gebruiken het als het past.",
        "Alle nieuwe medewerkers volgen in de eerste 3 maanden de basistraining PG.",
        T("Structureel bij de intake in de wijkverpleging.", spinnenweb="Structureel"),
        "We organiseren samen met de bibliotheek 'Gezond in de wijk'-avonden voor inwoners.",
        T("geen zicht op", spinnenweb=WN),
        "sommige teams wel, andere niet. er is geen overzicht",
        "De Mijn Positieve Gezondheid tool wordt door de POH-GGZ gebruikt.",
        T("We gebruiken het spinnenweb in de ‘Samen Beslissen’ gesprekken.", spinnenweb="Regelmatig"),
        "Activiteiten voor inwoners laten we over aan het welzijnswerk.",
        "n.v.t.",
        "Het is een denkwijze. We werken al jaren vanuit eigen kracht, alleen heet het nu anders.",
        "Scholing werd vorig jaar aangeboden via de impulsgelden, dit jaar is daar geen budget voor.",
        T("Bij laaggeletterde inwoners werkt het spinnenweb niet goed. We gebruiken de versie in "
          "eenvoudige taal met pictogrammen.", spinnenweb="Regelmatig"),
        "we doen mee aan Gezonde Buurten in Nijverdal, daar worden samen met bewoners activiteiten georganiseerd",
        T("Af en toe, vooral bij complexe casuïstiek.", spinnenweb="Af en toe"),
        T("Weet ik niet, ik werk op beleidsniveau.", spinnenweb=WN),
        T("Onze ervaringsdeskundigen gebruiken het spinnenweb in de herstelgroepen.",
          organisatie="Geestelijke gezondheidszorg"),
        # new subject in 2026: young people and education (no codebook theme)
        "Op de scholen in onze gemeente zien we veel jongeren met somberheid en prestatiedruk. Daar "
        "gebeurt vanuit PG nog vrijwel niets.",
        "De e-learning PG staat in ons leerplatform, ca. 40% van de medewerkers heeft hem afgerond.",
        "Het spinnenweb hangt in de wachtkamer, haha. Of het echt gebruikt wordt weet ik niet.",
        T("We hebben een eigen variant ontwikkeld die beter aansluit bij ouderen met dementie.",
          organisatie="Verpleeg-, verzorgingshuizen en thuiszorg"),
        "Geen training dit jaar door capaciteitstekort.",
        "Voor inwoners:\n• beweegmaatjes\n• ontmoetingscafé\n• PG-wandeling in het voorjaar (5 km, ca 120 deelnemers)",
        "De trainers van de GGD zijn heel goed maar de wachtlijst is lang.",
        T("Bij de fysio gebruiken we het spinnenweb structureel bij chronische pijn patienten.",
          spinnenweb="Structureel", organisatie="Fysiotherapeut"),
        "Past niet bij mijn rol, ik zit niet in de uitvoering",
        "In de huisartsenpraktijken waar wij mee samenwerken wordt het nauwelijks gebruikt. Een consult duurt 10 minuten.",
        T("Het spinnenweb is in 2025 in alle wijkteams geïntroduceerd. Het wordt nu in ongeveer de helft "
          "van de gesprekken gebruikt.", spinnenweb="Regelmatig"),
        "Tools worden vooral gebruikt door de leefstijlcoaches en de praktijkondersteuners.",
        "Wij gebruiken de vraag 'wat is voor u belangrijk?' (what matters to you). Doet hetzelfde, minder gedoe.",
    ],
    "toelichting_regio": [
        T("Nog steeds weinig zicht op wat er regionaal gebeurt.", regio_visie=WN),
        "Vergeleken met vorig jaar zie ik meer beweging, mede door de LinkedIn-community en de bijeenkomsten.",
        "Het toekomstplan van TK heb ik niet gezien. Is dat er?",
        "Iedere gemeente heeft zijn eigen aanpak. Dat is niet erg, als je maar van elkaar weet wat je doet.",
        "Er is geen gedeelde taal. Zorg spreekt over PG, welzijn over brede welvaart, gemeenten over bestaanszekerheid.",
        T("Weet ik niet / geen mening", regio_visie=WN),
        "In West-Twente wordt goed samengewerkt tussen huisartsen, welzijn en de gemeenten.",
        "PG is in de regio vooral iets van de 'believers'. Daarbuiten is het onbekend.",
        "Ik mis de verbinding met het IZA-transformatieplan. Daar gaat het geld naartoe.",
        "De voorstellingen van vorig jaar hebben veel losgemaakt, maar daarna is het stilgevallen.",
        T("Ik werk sinds september in deze functie, dus lastig te zeggen.", regio_visie=WN),
        "Doelen? Niet dat ik weet.",
        "geen",
        "Het is nog pril maar er is energie. Vooral in de kleinere gemeenten.",
        "Samenwerking verloopt vooral via persoonlijke contacten.",
        "Organisaties werken wel samen rond inwoners, maar niet expliciet vanuit PG. Dan is het lastig "
        "om te zeggen of het 'volgens PG' is.",
        "De interpretatie loopt uiteen van 'spinnenweb invullen' tot 'een andere manier van samenleven'.",
        "Noaberschap, daar draait het in Twente om. Dat is eigenlijk PG avant la lettre.",
        "Regionally things are fragmented, each organisation does its own thing.",
        "SamenTwente, Twentse Koers, IZA, GALA, Gezond Twente... door de bomen zie je het bos niet meer.",
        "Het gaat niet om het spinnenweb maar om de mens centraal zetten. Dat zie ik regionaal nog te weinig terug.",
        "In Losser en Dinkelland lopen mooie initiatieven via de dorpsraden.",
        "We weten niet wat de GGD doet en de GGD weet niet wat wij doen.",
        T("Lastige vragen om te beantwoorden vanuit mijn rol bij de provincie.", organisatie="Provincie Overijssel"),
        "Er is meer herkening dan vorig jaar.",
        ".",
        "Ik zie dat de zorgverzekeraar en de gemeenten nog steeds vooral naar hun eigen budget kijken.",
        T("Vanuit een kennisinstelling hebben we weinig zicht op wat er in de praktijk regionaal gebeurt.",
          organisatie="Mbo-instelling, hbo-instelling of universiteit"),
        "Met de huisartsen loopt de samenwerking goed, met het welzijnswerk wisselend.",
        "Meer samenwerking dan vroeger maar het is nog te vrijblijvend.",
    ],
    "toelichting_regio_nodig": [
        "Een meerjarenplan met gezamenlijke doelen voor heel Twente. Nu stopt alles zodra de impulsgelden op zijn.",
        "Structurele financiering. De impulsgelden lopen eind 2026 af en dan?",
        "Lobby richting zorgverzekeraars en het Rijk voor domeinoverstijgende bekostiging.",
        "Gezamenlijke doelen én een regionale monitor om te zien of we ze halen.",
        "Een gedeelde visie op PG in Twente waar alle partijen achter staan, vastgelegd in een meerjarenagenda.",
        # young people and education (no codebook theme)
        "Meer aandacht voor jongeren. Hun mentale gezondheid staat onder druk en juist daar kan PG veel betekenen.",
        "PG zou al vanaf de basisschool in het onderwijs moeten zitten. Kinderen leren alles over "
        "rekenen maar niets over wat gezond leven voor hen betekent.",
        "Kijk ook naar studenten. Op het mbo zie je veel stress, schulden en eenzaamheid.",
        "Jongeren tussen 12 en 23 vallen nu overal buiten de boot. Het jongerenwerk ziet elke dag hoe het met ze gaat",
        "Dat bestuurders van gemeenten en zorgverzekeraar de handen ineen slaan.",
        "Niet nog een plan, maar uitvoeren wat er al ligt. Sluit aan bij de lokale gezondheidsnota's.",
        "Tijd en ruimte voor professionals.",
        "Ik weet het niet",
        "Eén regionale agenda PG tot 2030, met jaarlijks een moment om de voortgang te bespreken.",
        "Een regionale aanjager die blijft agenderen, ook als het even niet de aandacht heeft.",
        "Monitoring op regionaal niveau, gekoppeld aan de afgesproken doelen, zodat we weten of het iets oplevert.",
        "Domeinoverstijgende financiering zodat preventie niet steeds uit het budget van één partij hoeft te komen.",
        "Minder versnippering.",
        "Een kennisplatform waar je voorbeelden kunt vinden.",
        "Scholing voor sleutelfiguren in de wijk.",
        "- gezamenlijke visie\n- structureel geld\n- maatwerk per gemeente",
        "Zie suggesties hieronder",
        "Gedeelde taal, zodat zorg en welzijn elkaar begrijpen.",
        "Geld. Zonder geld geen uitvoering.",
        "Dat we ophouden met pilots. We doen in Twente al jaren mee aan het ene project na het andere: "
        "Gezonde Buurten, de impulsgelden, IZA-pilots. Allemaal met geld voor 1 of 2 jaar, en als het "
        "net begint te lopen is het op en gaan de goede mensen weg.\nWat nodig is: financiering die langer "
        "dan 2 jaar loopt en niet per domein is opgeknipt, en partijen (gemeenten, Menzis, provincie) "
        "die zich daar samen aan verbinden. Anders zitten we over 5 jaar weer een regioscan in te vullen "
        "met dezelfde uitkomst.",
        "Een toekomstplan dat verder gaat dan 2026, met duidelijke rollen voor TK, GGD en gemeenten.",
        "Ruimte voor kleine gemeenten om hun eigen tempo te kiezen.",
        "Betere afstemming tussen IZA, GALA en de PG-trajecten, nu zijn het drie losse sporen.",
        "Inzicht in opbrengsten. Wat levert het op voor inwoners en wat bespaart het?",
        "Bestuurlijk eigenaarschap. Nu ligt het bij beleidsmedewerkers en projectleiders.",
        "Het zou mooi zijn als er een overzicht komt van wat er per gemeente al loopt, zodat de "
        "regionale aanpak daarop kan aansluiten.",
        "Een gedeelde routekaart voor de regio, met financiering die verder loopt dan 2026.",
    ],
    "suggesties": [
        "Maak samen met de partners een meerjarenplan PG voor Twente, met concrete doelen per jaar.",
        "Zet je in voor structureel geld nu de impulsgelden aflopen. Anders is alles wat is "
        "opgebouwd straks weer weg.",
        "Zorg voor een gezamenlijke stip op de horizon. Wat willen we in 2030 als Twente bereikt hebben?",
        "Zorgverzekeraar (Menzis), gemeenten en provincie aan één tafel voor langjarige, domeinoverstijgende financiering.",
        "Een regionale monitor die bijhoudt of we de gezamenlijke doelen halen, en daar jaarlijks over rapporteren.",
        "Blijf PG agenderen bij bestuurders. De aandacht verslapt zodra er nieuwe thema's langskomen.",
        "Een gedeelde visie + gemeenschappelijke taal.\nEn vervolgens lobby bij financiers om het structureel te maken.",
        "Praktische ondersteuning bij de implementatie, bv. een adviseur die een aantal maanden met ons meeloopt.",
        "Geen nieuw netwerk aub, sluit aan bij de overleggen die er in de gemeenten al zijn.",
        # young people and education (no codebook theme)
        "Meer inzet op jongeren! Positieve gezondheid zou al op school een plek moeten krijgen.",
        "Ik mis in deze hele vragenlijst de jongeren. Juist bij hen valt veel winst te halen als het om "
        "mentale gezondheid gaat.",
        "PG op het mbo: studenten worstelen met stress, geldzorgen en eenzaamheid. Daar zou het gesprek "
        "over wat voor jou belangrijk is echt helpen.",
        "Denk aan de jeugd. jongerenwerkers zien dagelijks jongeren die vastlopen, de PG-gedachte past "
        "daar heel goed bij.",
        "Focus op studenten en jonge mensen van 16 tot 25, de groep waar de mentale klachten het hardst stijgen.",
        "Het zou mooi zijn als het gedachtegoed ook in het onderwijs landt, bij leerkrachten en mentoren. "
        "Kinderen en pubers hebben er net zo goed wat aan.",
        "young people! the mental health of students in Twente is a big concern, PG should be there too",
        # back to the codebook themes
        "Een handreiking om PG te verwerken in de subsidie- en inkoopvoorwaarden van de gemeente.",
        "Help ons om het gesprek met de zorgverzekeraar te voeren over bekostiging van preventie.",
        "Wie geeft er in Twente PG-trainingen? Zet dat ergens op een rij.",
        "Ondersteuing op maat. Bij ons doet één ambtenaar het complete sociaal domein, een standaardaanpak voor grote gemeenten werkt dan niet.",
        "nvt",
        "Zorg dat er na 2026 een vervolg komt, met een plan voor minimaal 4 jaar en geborgde financiering.",
        "zet de regionale doelen op papier en maak ze meetbaar",
        "Lobbyen bij het Rijk voor een andere bekostiging. Zolang we per verrichting betaald worden verandert er niets.",
        "Een kennisbijeenkomst 1x per jaar is genoeg, liefst gekoppeld aan een bestaand congres.",
        "Een e-learning die voor alle partners gratis beschikbaar is.",
        "Concretere handvatten voor de werkvloer, bijvoorbeeld voor het keukentafelgesprek.",
        "Breng in kaart wat er per gemeente al loopt en sluit daarbij aan.",
        "Nee, geen",
        "Meer tijd. Maar dat kan TK niet regelen denk ik.",
        "Samen met GGD Twente en de gemeenten een regionale gezondheidsagenda opstellen waarin PG het vertrekpunt is.",
        # personal data, as real exports contain it
        "Wij willen graag meedenken over het toekomstplan. Neem contact op via t.kuipers@welzijnhof.nl",
        "Wij zouden graag ondersteuning krijgen bij het opzetten van Gezonde Buurten in onze kern.\n"
        "Bel me gerust voor een afspraak: 053 123 4567",
        "Lobby richting de provincie voor vervolgfinanciering is het belangrijkst. Ik denk graag mee, "
        "mail naar Sanne Hofstede, s.hofstede@zorgtwentelanden.nl",
        "Een goed voorbeeld is de aanpak in Hellendoorn. Zorg dat andere gemeenten daarvan kunnen leren.",
        "Organiseer een bestuurlijke tafel PG met wethouders, bestuurders uit zorg en welzijn en Menzis, 2x per jaar.",
        "Coaching van teamleiders, zij zijn de sleutel tot verandering op de werkvloer.",
        "Het zou helpen als er een Twentse visie op PG komt die je als organisatie kunt onderschrijven. "
        "Dan kun je er intern ook naar verwijzen.",
        "Weet ik niet",
        "Let op dat het geen top-down regioproject wordt. De kracht zit in wat lokaal gebeurt.",
        "Financiering voor de lange termijn, niet weer projectgeld voor 1 jaar. En een meerjarenplan "
        "waar iedereen zich aan verbindt.",
        "Een netwerkbijeenkomst voor ambassadeurs om ervaringen uit te wisselen.",
        "* handreiking vrijwilligers\n* training voor mantelzorgondersteuners",
        "Dank voor het organiseren van deze scan, ben benieuwd naar de resultaten.",
        "TK moet de regie pakken. Nu wacht iedereen op elkaar.",
        "Gezamenlijke evaluatie van de doelen uit het toekomstplan, bv elk najaar.",
        "Versterk de verbinding tussen de IZA-gelden en PG. Daar zit nu het geld, zorg dat PG meelift.",
        "Meer praktische voorbeelden van hoe je het spinnenweb in een kort gesprek gebruikt.",
        "Wij zijn al ver, wij hebben geen ondersteuning nodig.",
        "Ondersteun gemeenten bij het schrijven van de lokale gezondheidsnota vanuit PG, op maat.",
        "Lobby voor een andere financieringssystematiek: betalen voor gezondheid in plaats van voor zorg.",
        "1 regionale visie, 1 taal, 1 plan.",
        "Een gezamenlijk dashboard met de regionale doelen en de voortgang.",
        "--",
        "Wat ik zou willen: een meerjarenplan voor Twente waarin staat wat we samen willen bereiken en "
        "wie wat doet.\nDaaraan gekoppeld een lobby richting verzekeraars en provincie, want zonder "
        "structureel geld houdt het na de impulsperiode op.\nTenslotte: geef organisaties de ruimte om "
        "het op hun eigen manier in te vullen, wij zijn geen ziekenhuis en hebben andere mogelijkheden. "
        "Het moet passen bij wat er al is.",
        "Ik zou de LinkedIn community nieuw leven inblazen, er wordt weinig gepost.",
        "Stop met spinnenwebben en begin met het gesprek.",
        "Help bestuurders begrijpen wat PG oplevert, met cijfers. Dan volgt de financiering vanzelf.",
        "Zorgen dat het gedachtegoed terugkomt in de inkoop en contracten van de gemeente. Daar maakt het echt verschil.",
        "Maatwerk per organisatie. Een ziekenhuis heeft andere behoeften dan een welzijnsstichting.",
        "Zorg voor een regionaal meerjarenplan met monitoring, nu is er alleen een toekomstplan op hoofdlijnen.",
        "Een vast aanspreekpunt bij TK voor implemetatievragen",
        "Samen optrekken richting de provincie: de impulsgelden moeten structureel worden.",
        "Misschien een keer een intervisiebijeenkomst voor beleidsadviseurs",
        "Meer van dezelfde inzet als de afgelopen 2 jaar, het begint net te lopen.",
        "PG meenemen in de regionale woonzorgvisie, wonen en gezondheid hangen samen.",
        "Gebruik de bestaande structuren van SamenTwente en de gemeenten en bouw daarop voort.",
        "Leid een paar van onze eigen mensen op tot trainer, dan kunnen we het daarna zelf verder brengen.",
        "Zorg dat gemeenten en zorgverzekeraar het samen financieren, niet ieder een beetje.",
        "Maak een Twentse PG-agenda 2027-2030 met heldere ambities, en spreek af hoe we elk jaar terugkijken.",
        "Ondersteuning bij het borgen van PG in het kwaliteitskader en de werkprocessen.",
        "Ik weet niet goed wat TK allemaal doet, dus lastig te zeggen.",
    ],
}

TEXTS = {2025: TEXTS_2025, 2026: TEXTS_2026}

# Which questionnaire block an open question belongs to: respondents who dropped out earlier
# have no answer there (block 1 = own policy, 2 = embedding/use, 3 = region + suggestions).
BLOCK = {
    "toelichting_beleid": 1, "toelichting_inbedding": 2, "toelichting_toepassing": 2,
    "toelichting_regio": 3, "toelichting_regio_nodig": 3, "suggesties": 3,
}
CLOSED_BLOCK = {"pg_visie": 1, "pg_beleid": 1, "pg_uitvoering": 1, "kartrekker": 2,
                "spinnenweb": 2, "regio_visie": 3}


def pick(rng: random.Random, options: list[str], weights: list[float]) -> str:
    return rng.choices(options, weights=weights, k=1)[0]


def quota(rng: random.Random, options: list[str], weights: list[float], n: int) -> list[str]:
    """n values whose counts follow the weights as closely as whole numbers allow, shuffled."""
    total = sum(weights)
    exact = [w * n / total for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(options)), key=lambda i: (exact[i] - counts[i], rng.random()),
                          reverse=True)
    for i in by_remainder[: n - sum(counts)]:
        counts[i] += 1
    values = [opt for opt, c in zip(options, counts) for _ in range(c)]
    rng.shuffle(values)
    return values


def swap_organisatie(rng: random.Random, resp: dict, organisatie: str, people: list[dict]) -> None:
    """Give resp this organisatie by swapping profiles with someone who has it: marginals stay put."""
    if resp["organisatie"] == organisatie:
        return
    others = [p for p in people if p["organisatie"] == organisatie and "organisatie" not in p["_locked"]]
    if not others:
        return
    other = rng.choice(others)
    for key in ("organisatie", "domein", "gemeente"):
        resp[key], other[key] = other[key], resp[key]


def start_dates(rng: random.Random, cfg: dict) -> list[date]:
    days = (cfg["end"] - cfg["start"]).days + 1
    weights = []
    for d in range(days):
        w = 1.0 + cfg["peaks"].get(d, 0)
        if (cfg["start"] + timedelta(days=d)).weekday() >= 5:
            w *= 0.25
        weights.append(w)
    offsets = sorted(rng.choices(range(days), weights=weights, k=cfg["n"]))
    return [cfg["start"] + timedelta(days=o) for o in offsets]


def make_people(rng: random.Random, cfg: dict) -> list[dict]:
    n = cfg["n"]
    orgs = list(ORGANISATIES)
    people = [{"respondent_id": f"{cfg['prefix']}-{i + 1:04d}", "startdatum": d, "_locked": {}}
              for i, d in enumerate(start_dates(rng, cfg))]
    for resp, org in zip(people, quota(rng, orgs, [ORGANISATIES[o][0] for o in orgs], n)):
        resp["organisatie"] = org
    for org in orgs:  # domein follows the organisatie, in quota per organisatie
        group = [p for p in people if p["organisatie"] == org]
        dist = ORGANISATIES[org][1]
        for resp, domein in zip(group, quota(rng, list(dist), list(dist.values()), len(group))):
            resp["domein"] = domein
    municipal = [p for p in people if p["organisatie"] == GEMEENTE]
    names = quota(rng, list(cfg["gemeenten"]), list(cfg["gemeenten"].values()), len(municipal))
    for resp in people:
        resp["gemeente"] = ""
    for resp, name in zip(municipal, names):
        resp["gemeente"] = f"Gemeente {name}"
    for col, options, weights in (("functie", FUNCTIES, FUNCTIE_W),
                                  ("bekendheid_pg", BEKENDHEID, cfg["bekendheid"])):
        for resp, value in zip(people, quota(rng, options, weights, n)):
            resp[col] = value
    stop1, stop2 = cfg["dropout"]
    for resp in people:
        u = rng.random()
        resp["_block"] = 1 if u < stop1 else 2 if u < stop1 + stop2 else 3
        # some people write a lot, most write little: drives who fills in the open questions
        resp["_talk"] = rng.choice([0.5, 1.0, 1.0, 1.5, 2.5])
        unknown = resp["bekendheid_pg"] == BEKENDHEID[2]
        for col, block in CLOSED_BLOCK.items():
            if block > resp["_block"]:
                resp[col] = ""
                continue
            options = (LIKERT if col.startswith(("pg_", "regio"))
                       else KARTREKKER if col == "kartrekker" else FREQ)
            weights = list(cfg[col])
            if unknown:  # people who hardly know PG answer "weet ik niet" more often
                weights[-1] *= 3
            resp[col] = pick(rng, options, weights)
        for col in OPEN_COLUMNS:
            resp[col] = ""
    return people


def fits(resp: dict, overrides: dict[str, str]) -> bool:
    locked = resp["_locked"]
    return all(locked.get(k, v) == v and (k == "organisatie" or resp.get(k) != "")
               for k, v in overrides.items())


def assign_open_answers(rng: random.Random, people: list[dict], texts: dict) -> None:
    for col in OPEN_COLUMNS:
        answers = list(texts[col])
        eligible = [p for p in people if p["_block"] >= BLOCK[col]]
        if len(answers) > len(eligible):
            raise ValueError(f"{col}: {len(answers)} answers for {len(eligible)} respondents")
        # weighted sample without replacement (Efraimidis-Spirakis keys)
        keyed = sorted(eligible, key=lambda p: rng.random() ** (1.0 / p["_talk"]), reverse=True)
        chosen = keyed[: len(answers)]
        rng.shuffle(chosen)
        rng.shuffle(answers)
        answers.sort(key=lambda a: not isinstance(a, tuple))  # constrained answers first
        for answer in answers:
            text, overrides = answer if isinstance(answer, tuple) else (answer, {})
            resp = next((p for p in chosen if fits(p, overrides)), chosen[0])
            chosen.remove(resp)
            resp[col] = text
            if not fits(resp, overrides):
                continue
            for key, value in overrides.items():
                if key == "organisatie":
                    swap_organisatie(rng, resp, value, people)
                else:
                    resp[key] = value
                resp["_locked"][key] = value


def check_texts(year: int, texts: dict) -> None:
    seen: set[str] = set()
    for col, answers in texts.items():
        for answer in answers:
            text = answer[0] if isinstance(answer, tuple) else answer
            if text in seen:
                raise ValueError(f"{year}: answer used twice: {text!r}")
            seen.add(text)
            if WAVES[year]["encoding"] == "cp1252":
                text.encode("cp1252")  # raises on characters Excel cannot save in this file


def build_wave(rng: random.Random, year: int) -> list[dict]:
    cfg = WAVES[year]
    check_texts(year, TEXTS[year])
    people = make_people(rng, cfg)
    assign_open_answers(rng, people, TEXTS[year])
    return people


def row_values(resp: dict) -> list[str]:
    values = []
    for col in COLUMNS:
        value = resp[col]
        values.append(value.strftime("%d-%m-%Y") if isinstance(value, date) else value)
    return values


def write_csv(path: Path, people: list[dict], encoding: str) -> None:
    # Excel: ';' list separator, CRLF between records, line breaks inside a cell as bare LF
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(COLUMNS)
        for resp in people:
            writer.writerow(row_values(resp))


def write_xlsx(path: Path, people: list[dict]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Resultaten"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for resp in people:
        ws.append([datetime.combine(resp[c], datetime.min.time()) if c == "startdatum"
                   else (resp[c] or None) for c in COLUMNS])
    for row in ws.iter_rows(min_row=2):
        row[1].number_format = "dd-mm-yyyy"
        for cell in row:
            if isinstance(cell.value, str) and "\n" in cell.value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col_cells in ws.columns:
        letter = col_cells[0].column_letter
        header = str(col_cells[0].value)
        ws.column_dimensions[letter].width = 45 if header in OPEN_COLUMNS else max(12, len(header) + 2)
    ws.freeze_panes = "B2"
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE.parent / "out" / "samples",
                        help="folder to write into [default: out/samples]; 'samples' regenerates the shipped files")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2025)
    waves = {year: build_wave(rng, year) for year in WAVES}
    for year, people in waves.items():
        write_csv(out / WAVES[year]["csv"], people, WAVES[year]["encoding"])
    write_xlsx(out / "regioscan-2026-klein.xlsx", waves[2026][:25])
    print(f"Wrote {', '.join(WAVES[y]['csv'] for y in WAVES)} and regioscan-2026-klein.xlsx to {out}")


if __name__ == "__main__":
    main()
