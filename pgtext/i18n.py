"""The words of every published output, in Dutch and English, and numbers in each language's style.

Published outputs (reports, charts, Word documents, review-sheet instructions, discovery
output, SPSS labels) speak the codebook's language: ``Codebook.language`` (``nl`` unless
the codebook says otherwise), overridden by ``--lang``. Command-line messages stay English.
All strings live here, keyed by a short name; ``t(lang, key, **values)`` fills them in.
"""

from __future__ import annotations

import math

from pgtext.errors import InputError

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

STRINGS: dict[str, dict[str, str]] = {
    "nl": {
        # SPSS output
        "sav.no": "nee",
        "sav.yes": "ja",
        "sav.theme": "{name}",
        "sav.score": "Score {name} (0-1)",
        "sav.predicted": "Thema's (codes, gescheiden door ;)",
        "sav.confidence": "Zekerheid over de themaset (0-1)",
        "sav.needs_review": "Nakijken",
        "sav.row": "Rij van de respondent in het invoerbestand (kop = rij 1)",
        "sav.question": "Vraag",
        "sav.text": "Antwoord",
        # reports (pgtext report: Markdown, terminal, Word)
        "report.title": "Thema's in de open antwoorden",
        "report.questions": "Vragen: {scope}",
        "report.scope_all": "alle {count} open vragen",
        "report.col.theme": "Thema",
        "report.col.wave": "Meting",
        "report.col.n": "n",
        "report.col.respondents": "Respondenten",
        "report.col.share": "Aandeel (95%-BI)",
        "report.col.confident": "Zeker",
        "report.col.review": "Na te kijken",
        "report.col.answers": "Antwoorden",
        "report.col.change": "Verschil (95%-BI)",
        "report.col.answered": "Respondenten met antwoord",
        "report.col.flagged": "Na te kijken",
        "report.col.no_theme": "Zonder thema",
        "report.all": "Alle respondenten",
        "report.by": "Naar {by}",
        "report.change": "{change} pp ({low} tot {high})",
        "report.quotes": "Citaten ({wave})",
        "report.few_quotes": "Slechts {count} zekere, onderling verschillende antwoorden met dit thema.",
        "report.note.share": (
            "Aandeel = respondenten met het thema van de respondenten die antwoordden (n), met het "
            "95%-betrouwbaarheidsinterval (Wilson). Zeker: het thema staat in minstens één van hun antwoorden die "
            "niet zijn gemarkeerd om na te kijken; na te kijken: alleen in gemarkeerde antwoorden. Antwoorden: "
            "antwoorden met het thema (een respondent kan er meer geven)."
        ),
        "report.note.change": (
            "Verschil: met de vorige meting, in procentpunten (pp), met het 95%-betrouwbaarheidsinterval (Newcombe)."
        ),
        "report.note.small": "n onder {min_n} is gemarkeerd met *: alleen indicatief.",
        "report.counts": "Aantallen per thema",
        "report.chart_caption": "Figuur: aandeel respondenten per thema",
        "report.method": "Methode",
        "report.method.coding": (
            "De open antwoorden zijn met pgtext {version} automatisch gecodeerd in de {themes} thema's van het "
            "codeboek. Vragen: {scope}. n is het aantal respondenten dat minstens één van deze vragen beantwoordde "
            "({ns}). Het aandeel is het aantal respondenten met het thema gedeeld door n, met een "
            "95%-betrouwbaarheidsinterval (Wilson)."
        ),
        "report.method.confident": (
            "Het model markeert een antwoord om na te kijken als het niet zeker genoeg is van de hele set thema's. "
            "'Zeker' telt respondenten bij wie het thema in een niet-gemarkeerd antwoord staat; 'na te kijken' "
            "respondenten bij wie het alleen in gemarkeerde antwoorden staat. Die laatste aantallen kunnen na "
            "controle nog veranderen."
        ),
        "report.method.quality": (
            "Kwaliteit van het model, gemeten met {folds}-voudige kruisvalidatie op {labelled} met de hand "
            "gecodeerde antwoorden: gemiddelde F1 over de thema's {macro_f1} (precisie {precision}, recall "
            "{recall}); {accepted} van de antwoorden is niet gemarkeerd, en daarvan had {accurate} precies de "
            "juiste thema's."
        ),
        "report.method.no_card": "Er is geen gemeten kwaliteit van het model beschikbaar.",
        "report.wave_n": "{wave}: n = {n}",
        # charts
        "chart.title": "Aandeel respondenten per thema",
        "chart.xlabel": "respondenten met het thema, van wie antwoordde (lijnen: 95%-betrouwbaarheidsinterval)",
        "chart.legend": "{wave} (n = {n})",
        "chart.small": "* n < {min_n}: alleen indicatief",
        # review sheets
        "sheet.applies": "1 = van toepassing, 0 = niet.",
        "sheet.zero_one": "0 of 1",
        "sheet.zero_one_error": "Typ 1 als het thema van toepassing is, 0 als het dat niet is.",
        "sheet.instructions": (
            "Zo kijkt u dit blad na\n"
            "Elke rij is één antwoord. Zet in de gele themakolommen een 1 als het antwoord over dat thema gaat, een 0 als dat niet zo is.\n"
            "De cellen beginnen met de keuze van het model; de scores ernaast zijn de kansen volgens het model.\n"
            "Rijen van een blinde steekproef (audit) beginnen leeg: codeer ze zelf, elk thema 0 of 1.\n"
            "Rijen met lege themacellen en een nummer in same_as zijn bijna-kopieën: ze krijgen de beslissing van dat item.\n"
            "Vul hun eigen 0/1-cellen in om ze apart te beslissen.\n"
            "Zet opmerkingen in 'note' en uw initialen in 'reviewer'. Hernoem geen kolommen en voeg er geen toe.\n"
            "Zet uw initialen bij elke rij die u hebt nagekeken, ook als u het met het model eens bent: accept weigert\n"
            "rijen die precies zo zijn gelaten als aangeboden en niet getekend, omdat ze de gok van het model als menselijk label zouden opslaan.\n"
            "Verwijder de rijen die u niet hebt bekeken.\n"
            "Voeg het daarna samen met een kopie van de labels: pgtext accept DIT-BESTAND --labels out/mijn-labels.csv\n"
            "De omschrijvingen van de thema's staan op het blad 'codebook'."
        ),
        # discovery
        "discover.title": "Mogelijke nieuwe thema's",
        "discover.title_in": "{title} in {wave}",
        "discover.summary": (
            "{wave}: {answers} antwoorden; {left}; de overige {considered} gegroepeerd op betekenis: {groups} groepen "
            "van {min_size}+ antwoorden ({in_groups} antwoorden), {leftovers} kleine groepen ({in_leftovers} "
            "antwoorden), {ungrouped} antwoorden in geen groep."
        ),
        "discover.left_all": "{non_answers} niet-antwoorden weggelaten",
        "discover.left": "{covered} zeker gedekt door een thema en {non_answers} niet-antwoorden weggelaten",
        "discover.col.answers": "Antwoorden",
        "discover.col.words": "Kenmerkende woorden",
        "discover.col.closest": "Dichtstbijzijnde thema (cosinus)",
        "discover.col.new": "Nieuw in {wave}?",
        "discover.yes": "ja",
        "discover.no": "nee",
        "discover.comparison": "{later} van {later_total} antwoorden in {wave}, {earlier} van {earlier_total} in {earlier_waves}",
        "discover.group": "groep",
        "discover.heading": "{number}. {words} ({size} antwoorden{new})",
        "discover.new_in": " · nieuw in {wave}",
        "discover.words": "Kenmerkende woorden: {words}. Voorgestelde code: `{slug}`.",
        "discover.closest": "Dichtstbijzijnde thema: {name} (`{slug}`, cosinus {similarity}).",
        "discover.like": "Vergelijkbare antwoorden: {comparison}.",
        "discover.leftovers": "Restgroepen",
        "discover.tiny": "Kleine groepen ({low}–{high} antwoorden): te klein om een thema te noemen, wel het bekijken waard.",
        "discover.ungrouped": "{count} antwoorden passen in geen groep; ze staan in de CSV-uitvoer met groep 0.",
        "discover.method": (
            "Groepen: HDBSCAN over zinsembeddings (gecentreerd) naast letter-n-grammen, zodat een antwoord ook in "
            "geen groep kan vallen en het aantal groepen niet vastligt. Kenmerkende woorden: klassegebaseerde TF-IDF "
            "zonder Nederlandse stopwoorden. Dichtstbijzijnde thema: cosinus tussen de gemiddelde embedding van de "
            "groep en de embedding van naam en omschrijving van het thema (een hint, geen oordeel: het meegeleverde "
            "embeddingmodel is Engelstalig)."
        ),
        "discover.method_new": (
            " Nieuw: een antwoord uit een van beide metingen telt mee voor een groep als het dichtstbijzijnde "
            "groepslid even dichtbij ligt als de leden onderling; nieuw betekent minstens drie keer zo vaak als "
            "eerder en een eenzijdige Fisher-toets onder 0,05."
        ),
        "discover.method_mask": (
            " Voorbeelden, antwoorden en kenmerkende woorden zijn gemaskeerd: namen, e-mailadressen, "
            "telefoonnummers, BSN, IBAN, adressen en geboortedata; woorden die namen of maildomeinen zijn, "
            "staan niet bij de kenmerkende woorden."
        ),
        "discover.method_unmasked": " Voorbeelden staan er zoals ze geschreven zijn (maskeren uitgezet).",
        "discover.examples_dropped": (
            " {count} antwoord(en) niet als voorbeeld getoond: na het maskeren kan er nog een naam in staan."
        ),
        "discover.text.examples_dropped": "{count} antwoord(en) niet als voorbeeld getoond: na het maskeren kan er nog een naam in staan.",
        "report.privacy.unmasked": "Citaten staan er zoals ze geschreven zijn (maskeren uitgezet).",
        "report.privacy.masked": (
            "Citaten zijn gemaskeerd: namen, e-mailadressen, telefoonnummers, BSN, IBAN, adressen en geboortedata "
            "zijn vervangen door [naam], [e-mail], ... ."
        ),
        "report.privacy.dropped": " {count} antwoord(en) niet geciteerd: na het maskeren kan er nog een naam in staan.",
        "discover.text.head": "{number}. {size} antwoorden: {words}",
        "discover.text.closest": "dichtstbijzijnde thema: {slug} (cosinus {similarity})",
        "discover.text.new": "nieuw in {wave}: {cell}",
        "discover.text.leftovers": "Restgroepen (kleine groepen):",
        "discover.text.ungrouped": "{count} antwoorden passen in geen groep.",
    },
    "en": {
        "sav.no": "no",
        "sav.yes": "yes",
        "sav.theme": "{name}",
        "sav.score": "Score {name} (0-1)",
        "sav.predicted": "Themes (slugs joined by ;)",
        "sav.confidence": "Confidence in the theme set (0-1)",
        "sav.needs_review": "Needs review",
        "sav.row": "Respondent's row in the input file (header = row 1)",
        "sav.question": "Question",
        "sav.text": "Answer",
        "report.title": "Themes in the open answers",
        "report.questions": "Questions: {scope}",
        "report.scope_all": "all {count} open questions",
        "report.col.theme": "Theme",
        "report.col.wave": "Wave",
        "report.col.n": "n",
        "report.col.respondents": "Respondents",
        "report.col.share": "Share (95% CI)",
        "report.col.confident": "Confident",
        "report.col.review": "To review",
        "report.col.answers": "Answers",
        "report.col.change": "Change (95% CI)",
        "report.col.answered": "Respondents who answered",
        "report.col.flagged": "Flagged for review",
        "report.col.no_theme": "Without theme",
        "report.all": "All respondents",
        "report.by": "By {by}",
        "report.change": "{change} pp ({low} to {high})",
        "report.quotes": "Quotes ({wave})",
        "report.few_quotes": "Only {count} confident, distinct answers with this theme.",
        "report.note.share": (
            "Share = respondents with the theme among the respondents who answered (n), with its 95% Wilson interval. "
            "Confident: the theme is in at least one of their answers not flagged for review; to review: only in "
            "flagged answers. Answers: answers with the theme (a respondent may give several)."
        ),
        "report.note.change": "Change: difference with the previous wave in percentage points (pp), 95% Newcombe interval.",
        "report.note.small": "n below {min_n} is marked * : indicative only.",
        "report.counts": "Counts per theme",
        "report.chart_caption": "Figure: share of respondents per theme",
        "report.method": "Method",
        "report.method.coding": (
            "The open answers were coded automatically with pgtext {version} into the {themes} themes of the "
            "codebook. Questions: {scope}. n is the number of respondents who answered at least one of these "
            "questions ({ns}). The share is the number of respondents with the theme divided by n, with a 95% "
            "Wilson interval."
        ),
        "report.method.confident": (
            "The model flags an answer for review when it is not sure enough of its whole set of themes. "
            "'Confident' counts respondents with the theme in an answer that was not flagged; 'to review' those "
            "with it only in flagged answers. The latter counts may still change after review."
        ),
        "report.method.quality": (
            "Model quality, measured by {folds}-fold cross-validation on {labelled} hand-coded answers: mean F1 over "
            "the themes {macro_f1} (precision {precision}, recall {recall}); {accepted} of the answers were not "
            "flagged, and {accurate} of those had exactly the right themes."
        ),
        "report.method.no_card": "No measured model quality is available.",
        "report.wave_n": "{wave}: n = {n}",
        "chart.title": "Share of respondents per theme",
        "chart.xlabel": "respondents with the theme, of those who answered (lines: 95% interval)",
        "chart.legend": "{wave} (n = {n})",
        "chart.small": "* n < {min_n}: indicative only",
        "sheet.applies": "1 = applies, 0 = does not.",
        "sheet.zero_one": "0 or 1",
        "sheet.zero_one_error": "Type 1 when the theme applies, 0 when it does not.",
        "sheet.instructions": (
            "How to review this sheet\n"
            "Each row is one answer. In the yellow theme columns put 1 when the answer asks for that theme, 0 when it does not.\n"
            "The cells start with what the model chose; the scores beside them are its probabilities.\n"
            "Rows of a blind audit start empty: code them yourself, every theme 0 or 1.\n"
            "Rows with empty theme cells and a number in same_as are near-copies: they take the decision of that item.\n"
            "Fill in their own 0/1 cells to decide them separately.\n"
            "Write remarks in 'note' and your initials in 'reviewer'. Do not rename or add columns.\n"
            "Sign every row you checked (initials in 'reviewer'), also when you agree with the model: accept refuses\n"
            "rows left exactly as offered and unsigned, since they would store the model's guesses as human labels.\n"
            "Delete the rows you did not look at.\n"
            "Then merge it into a copy of the labels: pgtext accept THIS-FILE --labels out/my-labels.csv\n"
            "The theme definitions are on the 'codebook' sheet."
        ),
        "discover.title": "Candidate new themes",
        "discover.title_in": "{title} in {wave}",
        "discover.summary": (
            "{wave}: {answers} answers; {left}; the other {considered} grouped by meaning: {groups} groups of "
            "{min_size}+ answers ({in_groups} answers), {leftovers} tiny groups ({in_leftovers} answers), "
            "{ungrouped} answers in no group."
        ),
        "discover.left_all": "{non_answers} non-answers left out",
        "discover.left": "{covered} covered confidently by a theme and {non_answers} non-answers left out",
        "discover.col.answers": "Answers",
        "discover.col.words": "Distinctive words",
        "discover.col.closest": "Closest theme (cosine)",
        "discover.col.new": "New in {wave}?",
        "discover.yes": "yes",
        "discover.no": "no",
        "discover.comparison": "{later} of {later_total} answers in {wave}, {earlier} of {earlier_total} in {earlier_waves}",
        "discover.group": "group",
        "discover.heading": "{number}. {words} ({size} answers{new})",
        "discover.new_in": " · new in {wave}",
        "discover.words": "Distinctive words: {words}. Suggested slug: `{slug}`.",
        "discover.closest": "Closest theme: {name} (`{slug}`, cosine {similarity}).",
        "discover.like": "Answers like these: {comparison}.",
        "discover.leftovers": "Leftovers",
        "discover.tiny": "Tiny groups ({low}–{high} answers): too small to call a theme, worth a look.",
        "discover.ungrouped": "{count} answers fit no group; they are in the CSV output with group 0.",
        "discover.method": (
            "Groups: HDBSCAN over sentence embeddings (centred) beside character n-grams, so every answer may "
            "stay in no group and the number of groups is not fixed. Distinctive words: class-based TF-IDF "
            "without Dutch stop words. Closest theme: cosine between the group's mean embedding and the "
            "embedded theme name and description (a hint, not a verdict: the shipped embedder is an English model)."
        ),
        "discover.method_new": (
            " New: an answer of either wave counts for a group when its nearest group member is as close as "
            "members are to each other; new means at least three times as frequent as before and a one-sided "
            "Fisher test below 0.05."
        ),
        "discover.method_mask": (
            " Examples, answers and distinctive words are masked: names, e-mail addresses, phone numbers, BSN, IBAN, "
            "addresses and dates of birth; words that are names or mail domains are left out of the distinctive words."
        ),
        "discover.method_unmasked": " Examples are shown as written (masking turned off).",
        "discover.examples_dropped": " {count} answer(s) not shown as an example: after masking they may still name a person.",
        "discover.text.examples_dropped": "{count} answer(s) not shown as an example: after masking they may still name a person.",
        "report.privacy.unmasked": "Quotes are shown as written (masking turned off).",
        "report.privacy.masked": (
            "Quotes are masked: names, e-mail addresses, phone numbers, BSN, IBAN, addresses and dates of birth "
            "are replaced by [naam], [e-mail], ... ."
        ),
        "report.privacy.dropped": " {count} answer(s) not quoted: after masking they may still name a person.",
        "discover.text.head": "{number}. {size} answers: {words}",
        "discover.text.closest": "closest theme: {slug} (cosine {similarity})",
        "discover.text.new": "new in {wave}: {cell}",
        "discover.text.leftovers": "Leftovers (tiny groups):",
        "discover.text.ungrouped": "{count} answers fit no group.",
    },
}


def check_language(code: str | None, where: str = "--lang") -> str:
    """The language code, lower-cased; an unknown one is refused with the choices."""
    if code is None or not str(code).strip():
        return DEFAULT_LANGUAGE
    code = str(code).strip().lower()
    if code not in LANGUAGES:
        raise InputError(f"{where}: language {code!r} is not supported; use one of {', '.join(LANGUAGES)}.")
    return code


def t(lang: str, key: str, **values: object) -> str:
    """The string ``key`` in ``lang`` with ``values`` filled in."""
    return STRINGS[lang][key].format(**values)


def signed(value: float, lang: str, decimals: int = 0) -> str:
    """A difference with its sign, minus as U+2212: +10, −0,4 (Dutch) or −0.4 (English)."""
    text = number(value, lang, decimals)
    return text.replace("-", "−") if text.startswith("-") else "+" + text


def number(value: float, lang: str, decimals: int = 0) -> str:
    """A number in the language's style: Dutch 1.234,5 and English 1,234.5."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def percent(share: float, lang: str, decimals: int = 0) -> str:
    """A share (0-1) as a percentage: Dutch 12,5%, English 12.5%."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return ""
    return number(share * 100, lang, decimals) + "%"
