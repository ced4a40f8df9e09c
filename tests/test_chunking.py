"""Structure-aware passages on the real corpus: Q&A, glossary, action and commitment tables, sections."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from kennisbank.ingest.chunking import chunk
from kennisbank.ingest.cleaning import build_vocabulary, clean_document
from kennisbank.ingest.documents import CleanDocument, DocumentMeta

from kennisbank.passage import FORMS, Passage

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
QA = "qa-regiovisie-samen-zorgen-voor-veiligheid-nhn.txt"
PROPOSAL = "raadsvoorstel-heiloo-regiovisie-hgkm-nhn-2020-2023.txt"
THEME = "imv-thema-ketensamenwerking-zorg-en-veiligheid-nh.txt"
ZEVENAAR = "zevenaar-toezeggingen-en-regiovisie-samen-veilig-arnhem-achterhoek-2024-2028.txt"
GLOSSARY = "begrippenlijst-en-uitvoeringsprogramma-hgkm-nhn.txt"
DOCS = (QA, PROPOSAL, THEME, ZEVENAAR, GLOSSARY)


@cache
def vocabulary() -> Counter[str]:
    return build_vocabulary((CORPUS / name).read_text(encoding="utf-8") for name in DOCS)


@cache
def load(name: str) -> CleanDocument:
    """A corpus document read as one page, with its metadata, cleaned with the corpus vocabulary."""
    meta = tomllib.loads((CORPUS / "metadata.toml").read_text(encoding="utf-8"))[name]
    raw = (CORPUS / name).read_text(encoding="utf-8")
    return clean_document(DocumentMeta(doc=name, **meta), [raw], paged=False, vocabulary=vocabulary())


@cache
def passages(name: str) -> list[Passage]:
    return chunk(load(name))


def of_form(name: str, form: str) -> list[Passage]:
    return [p for p in passages(name) if p.form == form]


def by_section(name: str, section: str) -> Passage:
    matches = [p for p in passages(name) if p.section == section]
    assert len(matches) == 1, (section, [p.section for p in passages(name)])
    return matches[0]


def squash(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- every document


@pytest.mark.parametrize("name", DOCS)
def test_passages_are_exact_ordered_spans_that_cover_the_document(name: str) -> None:
    doc, cut = load(name), passages(name)
    assert cut
    previous_end = 0
    for p in cut:
        assert p.text == doc.text[p.start : p.end]
        assert p.text == p.text.strip() and p.text
        assert p.start >= previous_end
        previous_end = p.end
    covered = "".join(p.text for p in cut)
    assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", doc.text)


@pytest.mark.parametrize("name", DOCS)
def test_passages_carry_the_document_metadata(name: str) -> None:
    meta = load(name).meta
    for p in passages(name):
        assert (p.doc, p.title, p.kind, p.region) == (meta.doc, meta.title, meta.kind, meta.region)
        assert p.period == meta.period
        assert p.form in FORMS
        assert p.page is None  # read as plain text: no page numbers


@pytest.mark.parametrize("name", DOCS)
def test_passage_sizes_are_sane(name: str) -> None:
    sizes = [len(p.text) for p in passages(name)]
    assert min(sizes) >= 60
    assert max(sizes) <= 2000
    sections = sorted(len(p.text) for p in passages(name) if p.form == "section")
    if sections:
        assert all(size <= 1100 for size in sections)
        assert 300 <= sections[len(sections) // 2] <= 900


def test_passage_counts_per_form() -> None:
    counts = {name: Counter(p.form for p in passages(name)) for name in DOCS}
    assert counts[QA] == Counter(qa=9)
    assert set(counts[PROPOSAL]) == set(counts[THEME]) == {"section"}
    assert counts[GLOSSARY]["term"] == 13
    assert counts[GLOSSARY]["action"] >= 30
    assert counts[ZEVENAAR]["commitment"] == 7


# --------------------------------------------------------------------------- Q&A


def test_each_question_is_one_qa_passage_with_its_answer() -> None:
    qa = of_form(QA, "qa")
    questions = [p.section for p in qa]
    assert len(set(questions)) == len(questions) == 9
    assert all(p.text.startswith(p.section) or p is qa[0] for p in qa)
    risk = [p for p in qa if p.section.startswith("Wat is risicogestuurde zorg")]
    assert len(risk) == 1
    assert "met als doel om stabiele veiligheid te realiseren" in risk[0].text
    assert "Pas als er voldoende directe veiligheid is" in risk[0].text  # the answer goes on after a page break
    assert "Op welke wijze" not in risk[0].text  # and stops at the next question


def test_a_question_without_question_mark_and_a_wrapped_question() -> None:
    parties = by_section(QA, "Welke partijen waren betrokken bij het opstellen van de regiovisie")
    assert "drie ervaringsdeskundigen actief betrokken" in parties.text
    assert "9. Commissie Zorg & Veiligheid" in parties.text  # the whole numbered list stays with its question
    staff = [p for p in of_form(QA, "qa") if "personeelstekort?" in p.section]
    assert staff and staff[0].section.startswith("Hoe kan er een aanpak gerealiseerd")
    assert "niet primair gericht op het oplossen van het personeelstekort" in staff[0].text


def test_qa_detection_follows_structure_not_metadata() -> None:
    doc = load(QA)
    anonymous = replace(doc, meta=replace(doc.meta, doc="vragen.txt", kind="", title="Vragen"))
    assert [p.section for p in chunk(anonymous)] == [p.section for p in passages(QA)]
    assert {p.form for p in chunk(anonymous)} == {"qa"}


# --------------------------------------------------------------------------- glossary


@pytest.mark.parametrize(
    ("term", "definition"),
    [
        ("MDA++", "Multi Disciplinaire Aanpak (MDA++) is een aanpak gericht op kindermishandeling"),
        ("Veilig Thuis", "Veilig Thuis is het advies- en meldpunt huiselijk geweld en kindermishandeling."),
        ("Kindcheck", "bij kwetsbare volwassenen nagaat of zij voor minderjarige kinderen zorgen"),
        ("Centrum Seksueel Geweld (CSG)", "gespecialiseerd centrum voor acuut seksueel geweld"),
        ("Huiselijk geweld", "iemand uit de huiselijke kring van het slachtoffer"),
        ("TOP-3 methodiek", "redeneer-, en beslismodel"),
    ],
)
def test_glossary_terms_are_term_passages_with_their_definition(term: str, definition: str) -> None:
    passage = by_section(GLOSSARY, f"Begrippenlijst > {term}")
    assert passage.form == "term"
    assert passage.fields == {"term": term}
    assert definition in passage.text
    assert term in passage.text


def test_glossary_entries_do_not_run_into_each_other_or_the_introduction() -> None:
    terms = of_form(GLOSSARY, "term")
    assert [p.fields["term"] for p in terms][:3] == [
        "Centrum Seksueel Geweld (CSG)",
        "Ervaringsdeskundigheid",
        "Geweld hoort nergens thuis",
    ]
    assert "Kindermishandeling is elke vorm" not in by_section(GLOSSARY, "Begrippenlijst > Kindcheck").text
    veilig_thuis = by_section(GLOSSARY, "Begrippenlijst > Veilig Thuis")
    assert "• Terugkoppelen aan de melder." in veilig_thuis.text
    assert "4445 meldingen" not in veilig_thuis.text
    introduction = [p for p in passages(GLOSSARY) if "4445 meldingen" in p.text]
    assert introduction[0].form == "section" and introduction[0].section == "Inleiding"


# --------------------------------------------------------------------------- action table


def test_action_rows_have_planning_and_status() -> None:
    actions = of_form(GLOSSARY, "action")
    assert all(p.section.startswith("Uitvoeringsprogramma > ") for p in actions)
    assert all(re.fullmatch(r"(?:\d{4}(?:-\d{4})?|Doorlopend)(?: \(.*\))?", p.fields["planning"]) for p in actions)
    assert all(p.fields.get("actie") and p.fields.get("hoofdverantwoordelijke") for p in actions)
    assert sum("status" in p.fields for p in actions) >= 15


def action(text: str) -> Passage:
    matches = [p for p in of_form(GLOSSARY, "action") if text in p.fields["actie"]]
    assert len(matches) == 1, text
    return matches[0]


def test_action_row_fields_are_recovered() -> None:
    alliance = action("financiële alliantie wordt onderzocht")
    assert alliance.fields["planning"] == "2021-2023"
    assert alliance.fields["hoofdverantwoordelijke"] == "Gemeenten"
    assert "actief in Alkmaar en Langedijk" in alliance.fields["status"]
    assert alliance.section == "Uitvoeringsprogramma > Slachtoffers van ouderenmishandeling"

    trained = action("Managers en beleidsmedewerkers vanuit ketenpartners zijn getraind")
    assert trained.fields["planning"] == "2021"
    assert "80 managers en beleidsmedewerkers" in trained.fields["status"]
    assert trained.fields["aanjager"] == "Projectleiders Geweld hoort nergens thuis Noord-Holland Noord"
    assert trained.section == "Uitvoeringsprogramma > De visie gefaseerde ketenzorg"

    mda = action("MDA++ wordt doorontwikkeld")
    assert mda.fields["status"] == "MDA++ loopt in Alkmaar, West-Friesland en de Kop van Noord-Holland."
    assert mda.section == "Uitvoeringsprogramma > Stoppen en duurzaam oplossen"

    meldcode = action("tenminste elke drie jaar")
    assert meldcode.fields["planning"] == "Doorlopend"
    assert meldcode.fields["hoofdverantwoordelijke"] == "Gemeenten en ketenpartners"


def test_action_passage_text_is_the_row_span() -> None:
    film = action("Er is een film ontwikkeld")
    assert film.text.startswith("Er is een film ontwikkeld")
    assert "Veilig Thuis 2021" in film.text  # the raw cells, in reading order
    assert "Film is ontwikkeld met ondersteuning" in film.text  # the status cell after the planning cell
    assert "MDA++ wordt doorontwikkeld" not in film.text


def test_ambitions_of_an_action_line_are_a_section_passage() -> None:
    prevention = by_section(GLOSSARY, "Uitvoeringsprogramma > Preventie > Ambities")
    assert "• Versterken van de beschermende factoren." in prevention.text


# --------------------------------------------------------------------------- commitments


def test_commitment_rows() -> None:
    rows = of_form(ZEVENAAR, "commitment")
    assert len(rows) == 7
    assert all(p.section.startswith("Toezeggingen > ") for p in rows)
    assert [p.fields["portefeuillehouder"] for p in rows] == ["Albers"] * 4 + ["Van Orden", "Boone", "Van Riswijk"]
    assert all({"commissie", "afdeling", "onderwerp", "toezegging"} <= set(p.fields) for p in rows)
    kampsingel = next(p for p in rows if "Kampsingel" in p.text)
    assert kampsingel.fields["onderwerp"] == "Evaluatie parkeerbeleid"
    assert kampsingel.fields["toezegging"].startswith("De Kampsingel, de even nummers")
    assert kampsingel.fields["antwoord"] == "Zie bijgevoegde memo."
    lobith = next(p for p in rows if "Lobith" in p.text)
    assert lobith.fields["onderwerp"] == "Ongewijzigde vaststelling bestemmingsplan Markt 8 te Lobith"
    assert lobith.fields["toezegging"].startswith("De visuele verbeelding")
    d66 = rows[-1]
    assert "ibabs ID: 23-878" in squash(d66.text)
    assert "participatieraad" in d66.fields["antwoord"]
    assert "Wat is de status?" in d66.fields["toezegging"]
    assert "Memo" not in d66.text


# --------------------------------------------------------------------------- sections


def section_of(name: str, phrase: str) -> str:
    matches = [p for p in passages(name) if phrase in p.text]
    assert len(matches) == 1, phrase
    return matches[0].section


def test_sections_follow_the_heading_path() -> None:
    assert section_of(PROPOSAL, "geen alternatieven overwogen") == "OVERWEGINGEN VAN HET COLLEGE"
    assert section_of(PROPOSAL, "Het uitvoeren en in praktijk brengen") == "7. FINANCIËN > Personele aspecten"
    assert section_of(THEME, "bestuurlijke netwerkkaart").startswith("A. ALGEMENE VRAAGSTUKKEN > 1. “OVERZICHT”")
    assert section_of(THEME, "Wet verplichte ggz (Wvggz)").startswith("B. SPECIFIEKE VRAAGSTUKKEN > 6.")
    assert section_of(ZEVENAAR, "opvanglocaties in Arnhem, Apeldoorn en Nijmegen") == "SAMEN VEILIG > Moviera"
    assert section_of(ZEVENAAR, "privékring") == "SAMEN VEILIG > Wat verstaan we onder de term huiselijk geweld?"


def test_numbered_lists_are_not_cut_into_sections() -> None:
    steps = [p for p in passages(PROPOSAL) if "Startbijeenkomst" in p.text]
    participation = "8. COMMUNICATIE, PARTICIPATIE EN SAMENSPEL > Inspraak & participatie derden"
    assert steps and all(p.section == participation for p in steps)
    starting_points = [p for p in passages(ZEVENAAR) if "Door waakvlamcontact" in p.text][0]
    assert "1. Overkoepelend" in starting_points.text and "8. De rol- en taakverdeling" in starting_points.text


def test_long_sections_become_several_passages_that_share_the_heading() -> None:
    explanation = [p for p in passages(PROPOSAL) if p.section == "3. TOELICHTING OP HET ADVIES"]
    assert len(explanation) >= 3
    assert explanation[0].text.startswith("3. TOELICHTING OP HET ADVIES")
    assert all(p.text[-1] in ".)!?”’" or p.text.endswith("pdf") for p in explanation)


# --------------------------------------------------------------------------- other inputs


def test_pages_are_recorded_for_paged_documents() -> None:
    meta = DocumentMeta(doc="twee.pdf", title="Twee pagina's")
    first = "Context\n" + "Dit is de eerste pagina met een zin die lang genoeg is voor een passage. " * 6
    second = "Vervolg\n" + "Dit is de tweede pagina met een zin die lang genoeg is voor een passage. " * 6
    doc = clean_document(meta, [first, second], paged=True, vocabulary=Counter())
    cut = chunk(doc)
    assert [p.page for p in cut] == [1, 2]
    assert [p.section for p in cut] == ["Context", "Vervolg"]


def test_empty_document_has_no_passages() -> None:
    assert chunk(CleanDocument(meta=DocumentMeta(doc="leeg.txt", title="Leeg"), text="  \n\n ")) == []


def test_a_short_piece_joins_the_neighbour_of_its_own_section() -> None:
    """A short block of fields under a title joins the title's piece, not the decision under the next heading."""
    from kennisbank.ingest.chunking import Piece, _merge_small

    title = Piece(0, 164, section="Voorstel aan de raad")
    fields = Piece(166, 291, section="Voorstel aan de raad")
    decision = Piece(293, 1200, section="Voorstel aan de raad > Voorgesteld raadsbesluit")
    merged = _merge_small([title, fields, decision])
    assert [(p.start, p.end, p.section) for p in merged] == [
        (0, 291, "Voorstel aan de raad"),
        (293, 1200, "Voorstel aan de raad > Voorgesteld raadsbesluit"),
    ]
    heading = Piece(0, 20, section="1. Inleiding")
    body = Piece(22, 800, section="1. Inleiding > Achtergrond")
    assert [(p.start, p.section) for p in _merge_small([heading, body])] == [(0, "1. Inleiding > Achtergrond")]


def test_a_lead_in_ending_in_a_colon_stays_with_its_list() -> None:
    """Where a passage is full just before a list, the sentence that introduces the list opens the next
    passage with it (the VNG kader's "... de leefgebieden:" was cut off from "1. support, 2. wonen, ...")."""
    meta = DocumentMeta(doc="lijst.txt", title="Lijst")
    body = "\n\n".join(
        f"Alinea {n} gaat over de overgang naar volwassenheid van jongeren in de gemeente." for n in range(6)
    )
    lead_in = "Jeugdhulpaanbieders en gemeenten maken met deze jongeren tijdig een toekomstplan. " * 2
    items = "1. wonen;\n\n2. inkomen en schulden."
    text = f"Overgangen\n\n{body}\n\n{lead_in}Inzet hierbij is het op orde krijgen van de leefgebieden:\n\n{items}"
    cut = chunk(clean_document(meta, [text], paged=False, vocabulary=Counter()))
    holding = [p for p in cut if "inkomen en schulden" in p.text]
    assert len(cut) >= 2 and len(holding) == 1
    assert "de leefgebieden:" in holding[0].text and "1. wonen" in holding[0].text
    assert not any(p.text.rstrip().endswith(":") for p in cut)


def test_a_label_with_a_persons_name_is_no_heading() -> None:
    """A meeting header's "Voorzitter Dhr. L.A. de Lange" labelled the whole header block as its section."""
    meta = DocumentMeta(doc="besluiten.txt", title="Besluiten")
    text = (
        "Besluitenlijst B&W\n\nVoorzitter Dhr. L.A. de Lange\n"
        "Aanwezigen: burgemeester en wethouders en de gemeentesecretaris voor het verslag van de vergadering."
    )
    cut = chunk(clean_document(meta, [text], paged=False, vocabulary=Counter()))
    assert not any("Voorzitter" in p.section for p in cut)
    assert any("Voorzitter Dhr. L.A. de Lange" in p.text for p in cut)


def test_a_line_of_running_text_is_no_heading() -> None:
    """OCR keeps no type sizes: a short line where a sentence ends inside, or that stops at an article, is the
    running text of a letter, not the heading of what follows (the scanned Woo decision)."""
    meta = DocumentMeta(doc="besluit.txt", title="Besluit")
    body = "Ik maak de documenten gedeeltelijk openbaar op grond van de Woo, met de motivering hieronder vermeld."
    for line in (
        "Hieronder licht ik mijn besluit toe. Met betrekking tot uw verzoek",
        "Ik besluit om openbaar te maken de",
    ):
        cut = chunk(clean_document(meta, [f"Besluit\n\n{line}\n{body}"], paged=False, vocabulary=Counter()))
        assert not any(line in p.section for p in cut), line


MEMO = (
    "Memo aan de gemeenteraad van Ede\n\n"
    "1. Aanleiding\nIn 2024 ontving Veilig Thuis 1.842 meldingen uit de gemeente Ede. De gemiddelde wachttijd "
    "voor een onderzoek was elf weken, en dat is langer dan de wettelijke termijn van tien weken.\n\n"
    "2. Besluit\nHet college stelt voor om in 2025 een extra bedrag van 250.000 euro beschikbaar te stellen voor "
    "het lokale team, zodat zij gezinnen sneller kunnen helpen.\n\n"
    "3. Contact\nVragen over dit memo kunnen worden gesteld aan wethouder J. de Vries.\n"
)


def test_a_small_section_folded_into_another_keeps_its_own_section() -> None:
    from kennisbank.answering.citations import Citation

    meta = DocumentMeta("ede.txt", "Memo Ede")
    doc = clean_document(meta, [MEMO], paged=False, vocabulary=build_vocabulary([MEMO]))
    decision = next(p for p in chunk(doc) if "250.000 euro" in p.text)
    assert "Vragen over dit memo" in decision.text  # "3. Contact" is too small for a passage of its own
    assert decision.section.endswith("2. Besluit")
    assert decision.section_at(decision.text.index("Het college")).endswith("2. Besluit")
    assert decision.section_at(decision.text.index("Vragen over")).endswith("3. Contact")
    assert Passage.from_dict(decision.to_dict()) == decision  # stored and read back
    contact = Citation(1, decision, ("Vragen over dit memo kunnen worden gesteld aan wethouder J. de Vries.",))
    assert contact.section.endswith("3. Contact") and contact.label().endswith("3. Contact")
    assert contact.to_dict()["section"].endswith("3. Contact")
    money = Citation(1, decision, (decision.text.split("\n")[1],))
    assert money.section == decision.section


def test_sections_folded_twice_keep_their_own_headings() -> None:
    """ "6. RISICO'S / N.v.t." folded into "7. FINANCIËN", itself folded into "Financiën": each keeps its own."""
    name = "raadsvoorstel-heiloo-regiovisie-hgkm-nhn-2020-2023.txt"
    doc = clean_document(DocumentMeta(name, "Heiloo"), [(CORPUS / name).read_text(encoding="utf-8")], False, Counter())
    money = next(p for p in chunk(doc) if p.text.startswith("6. RISICO"))
    assert money.section_at(money.text.index("N.v.t.")) == "6. RISICO’S"
    assert money.section_at(money.text.index("De regiovisie is een kaderstellend")) == "7. FINANCIËN > Financiën"
