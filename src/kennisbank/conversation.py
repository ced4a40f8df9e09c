"""Follow-up questions: give a question that leans on the conversation its topic back.

Retrieval sees one question at a time. "En wie betaalt dat?" has no topic of its
own; the question it follows has. ``condense`` is a rule, not a model: a question
that is short or refers back gets the earlier questions it depends on in front of
it, so BM25 and the embedder find the topic again.
"""

from __future__ import annotations

import re

#: Words that point back at something said earlier. "het" is also the article
#: ("het Veiligheidshuis"), so it only counts at the end of a question ("Wat kost het?").
#: The pronominal adverbs count too, "erin" as well as "daarin" ("Welke professionals zitten erin?"), and English
#: pronouns ("Who pays for it?").
_PREPOSITIONS = ("aan", "bij", "door", "in", "mee", "na", "naar", "om", "onder", "op", "over", "tegen", "toe", "uit")
REFERRING = frozenset(
    {"dat", "die", "deze", "dit", "daar", "hun", "hen", "hem", "zij", "hij", "ze"}
    | {f"{lead}{preposition}" for lead in ("er", "daar", "hier") for preposition in (*_PREPOSITIONS, "van", "voor")}
    | {"it", "they", "them", "that", "this", "those", "these"}
)
#: Words a follow-up starts with: "En ...", "Ook ...", "Maar ...", "And ...".
OPENERS = frozenset({"en", "ook", "maar", "dus", "and", "also", "but"})
#: At most this many words makes a question too short to carry a topic ("Wie betaalt?", "Waarom?").
SHORT = 2
#: Longer questions are taken to carry their own topic, whatever pronouns they contain.
LONG = 10
#: At most this many earlier questions are put in front.
MAX_CONTEXT = 2

_WORD = re.compile(r"\w+(?:[-+]+\w*)*\+*", re.UNICODE)
#: Words that name no topic a pointing word could stand for ("Wie betaalt dat?" names only what is done).
_NO_SUBJECT = frozenset(
    (  # noqa: SIM905 (a word list reads better as one string)
        "wie wat waar wanneer waarom hoe hoeveel welke welk is zijn was waren wordt worden de een van voor ook nog "
        "who what where when why how which is are was were does do did the a of for to"
    ).split()
)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def is_follow_up(question: str) -> bool:
    """True when the question is short, opens like a follow-up, or refers back."""
    words = _words(question)
    if not words or len(words) > LONG:
        return False
    if len(words) <= SHORT or words[0] in OPENERS:
        return True
    return bool(REFERRING & set(words)) or words[-1] == "het"


def condense(history_questions: list[str], question: str) -> str:
    """The question to retrieve with: ``question`` itself, or with earlier questions in front.

    Walks back through ``history_questions`` (oldest first, as asked) while they are
    follow-ups themselves, so "Wat is MDA++?" / "En Veilig Thuis?" / "Wie betaalt die?"
    keeps both earlier topics; stops at the first question that stands on its own and
    takes at most ``MAX_CONTEXT`` of them.
    """
    question = question.strip()
    if not history_questions or not is_follow_up(question):
        return question
    context: list[str] = []
    for earlier in reversed(history_questions):
        earlier = earlier.strip()
        if not earlier:
            continue
        context.insert(0, earlier)
        if len(context) == MAX_CONTEXT or not is_follow_up(earlier):
            break
    return " ".join([*context, question])


def dangling(question: str) -> str:
    """The word ``question`` points back with when it opens with a question word and names nothing that word could
    stand for ("dat" in "Wie betaalt dat?", "het" in "Hoeveel kost het?", "erin" in "Wie zitten erin?"): asked
    without a conversation, or after one was started over, it has no topic. "" when it names a topic or points at
    nothing. A question that ``condense`` gave its earlier questions names their topics."""
    words = _words(question)
    pointing = [w for w in words if w in REFERRING] or (["het"] if words and words[-1] == "het" else [])
    if not pointing or words[0] not in _NO_SUBJECT | OPENERS:  # "verwijsindex wat is dat": it points at its start
        return ""
    named = [w for w in words if w not in REFERRING and w not in _NO_SUBJECT and w not in OPENERS and w != "het"]
    return pointing[0] if len(named) <= 1 else ""
