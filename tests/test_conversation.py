"""condense: follow-up questions get the topic of the questions before them."""

from __future__ import annotations

import pytest

from kennisbank.conversation import condense, dangling, is_follow_up


@pytest.mark.parametrize(
    "question",
    [
        "En wie betaalt dat?",  # opener and pronoun
        "Wat kost dat?",  # refers back
        "Wie voert die uit?",
        "Wanneer begint het?",  # "het" at the end is a pronoun
        "Waarom?",  # too short to carry a topic
        "En de kosten?",  # opener
        "Wat doen zij daar precies mee?",
        "Welke professionals zitten erin?",  # "erin" as well as "daarin"
        "Wie is er verantwoordelijk voor de uitvoering hiervan?",
        "And who pays for it?",  # an English follow-up
    ],
)
def test_follow_ups_get_the_previous_question(question: str) -> None:
    assert is_follow_up(question)
    assert condense(["Wat is MDA++?"], question) == f"Wat is MDA++? {question}"


@pytest.mark.parametrize(
    "question",
    [
        "Wat is het Centrum Seksueel Geweld?",  # "het" as article: the question has its own topic
        "Wat zijn de vier uitgangspunten van de regiovisie?",
        "Wat is MDA++?",
        "Welke taken heeft de gemeente bij de aanpak van huiselijk geweld en kindermishandeling in de regio?",
    ],
)
def test_questions_with_their_own_topic_are_unchanged(question: str) -> None:
    assert not is_follow_up(question)
    assert condense(["Wat doet Veilig Thuis?"], question) == question


def test_first_question_is_unchanged_even_if_it_looks_like_a_follow_up() -> None:
    assert condense([], "Wat kost dat?") == "Wat kost dat?"


def test_strips_whitespace() -> None:
    assert condense([], "  Wat is MDA++?\n") == "Wat is MDA++?"
    assert condense(["  Wat is MDA++? "], " Wat kost dat? ") == "Wat is MDA++? Wat kost dat?"


def test_chain_of_follow_ups_keeps_the_topics_they_lean_on() -> None:
    # "die" refers to Veilig Thuis, which only the second (itself a follow-up) question names.
    history = ["Wat is MDA++?", "En Veilig Thuis?"]
    assert condense(history, "Wie betaalt die?") == "Wat is MDA++? En Veilig Thuis? Wie betaalt die?"


def test_walk_back_stops_at_the_last_standalone_question() -> None:
    history = ["Wat doet Veilig Thuis?", "Wat is de regiovisie?", "Wie betaalt die?"]
    assert condense(history, "En wanneer?") == "Wat is de regiovisie? Wie betaalt die? En wanneer?"


def test_at_most_two_earlier_questions() -> None:
    history = ["Wat is de regiovisie?", "En de kosten?", "Wie betaalt dat?", "Waarom?"]
    assert condense(history, "En hoe lang?") == "Wie betaalt dat? Waarom? En hoe lang?"


def test_blank_history_entries_are_skipped() -> None:
    assert condense(["Wat is MDA++?", "  "], "Wat kost dat?") == "Wat is MDA++? Wat kost dat?"


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("Wie betaalt dat?", "dat"),  # trial 53: after 'nieuw' it was answered with the regiovisie's funding
        ("En hoeveel kost het?", "het"),
        ("Wie zitten erin?", "erin"),
        ("Who pays for it?", "it"),
        ("Wat is MDA++ en wie betaalt dat?", ""),  # "dat" is MDA++
        ("verwijsindex wat is dat", ""),  # keywords first: "dat" points at them
        ("Wat kost het project?", ""),  # "het" as an article
        ("Wat is MDA++? Wie betaalt dat?", ""),  # a follow-up with its earlier question in front (``condense``)
    ],
)
def test_a_question_that_points_back_at_nothing_is_named(question: str, word: str) -> None:
    assert dangling(question) == word
