"""Write samples/regioscan-2026.sav: the 2026 sample wave as an SPSS export (run after build_samples.py).

Closed questions become numeric codes with value labels (as SPSS exports from survey tools
store them; "Weet ik niet / n.v.t." is code 9, a user-missing value), every variable gets a
variable label with its question, and the open answers stay string variables. The values
are those of regioscan-2026.csv, so both files label and report alike. SPSS puts the creation
time in the file header, so rebuilt files differ in those bytes only.

    python samples/build_sav.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

HERE = Path(__file__).resolve().parent
AGREE = ["Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens"]
DONT_KNOW = "Weet ik niet / n.v.t."
CODES = {
    "domein": ["Zorgdomein (inclusief publieke gezondheid)", "Welzijn en sociaal domein", "Kennis- en onderwijsdomein", "Anders, namelijk"],
    "functie": ["Bestuurder", "Directeur", "Manager", "Beleidsmedewerker/adviseur", "Anders, namelijk"],
    "bekendheid_pg": [
        "Ik ken het gedachtegoed van Positieve Gezondheid niet of nauwelijks",
        "Ik ken het gedachtegoed van Positieve Gezondheid een beetje",
        "Ik ken het gedachtegoed van Positieve Gezondheid goed",
    ],
    "pg_visie": AGREE, "pg_beleid": AGREE, "pg_uitvoering": AGREE, "regio_visie": AGREE,
    "kartrekker": ["Nee", "Gedeeltelijk", "Ja"],
    "spinnenweb": ["Nooit", "Af en toe", "Regelmatig", "Structureel"],
}
LABELS = {
    "respondent_id": "Respondentnummer",
    "startdatum": "Startdatum invullen",
    "domein": "In welk domein werkt u?",
    "functie": "Wat is uw functie?",
    "organisatie": "Bij welke organisatie werkt u?",
    "gemeente": "In welke gemeente werkt u (vooral)?",
    "bekendheid_pg": "Hoe goed kent u het gedachtegoed van Positieve Gezondheid?",
    "pg_visie": "Positieve Gezondheid is onderdeel van de visie van mijn organisatie",
    "pg_beleid": "Positieve Gezondheid is vertaald in beleid van mijn organisatie",
    "pg_uitvoering": "Positieve Gezondheid wordt toegepast in de uitvoering",
    "toelichting_beleid": "Toelichting: Positieve Gezondheid in visie en beleid",
    "kartrekker": "Is er een kartrekker voor Positieve Gezondheid in uw organisatie?",
    "toelichting_inbedding": "Toelichting: inbedding in de organisatie",
    "spinnenweb": "Hoe vaak gebruikt u het spinnenweb?",
    "toelichting_toepassing": "Toelichting: toepassing in de praktijk",
    "regio_visie": "Er is een gedeelde regionale visie op Positieve Gezondheid in Twente",
    "toelichting_regio": "Toelichting: de regionale visie",
    "toelichting_regio_nodig": "Wat is er regionaal nodig?",
    "suggesties": "Suggesties voor Twentse Koers",
}


def main() -> None:
    frame = pd.read_csv(HERE / "regioscan-2026.csv", sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    value_labels: dict[str, dict[float, str]] = {}
    missing: dict[str, list[float]] = {}
    for column, options in CODES.items():
        labels = {float(k): text for k, text in enumerate(options, start=1)}
        if (frame[column] == DONT_KNOW).any():
            labels[9.0] = DONT_KNOW
            missing[column] = [9.0]
        code = {text: k for k, text in labels.items()}
        unknown = set(frame[column]) - set(code) - {""}
        assert not unknown, f"{column}: no code for {unknown}"
        frame[column] = frame[column].map(lambda v, code=code: code.get(v, np.nan)).astype(float)
        value_labels[column] = labels
    pyreadstat.write_sav(
        frame, str(HERE / "regioscan-2026.sav"), column_labels=LABELS, variable_value_labels=value_labels,
        missing_ranges=missing, variable_measure={c: "ordinal" if CODES[c] is AGREE else "nominal" for c in CODES},
        file_label="Regioscan Positieve Gezondheid Twente 2026 (voorbeeld)", row_compress=True,
    )


if __name__ == "__main__":
    main()
