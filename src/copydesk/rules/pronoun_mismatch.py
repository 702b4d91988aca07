"""CD401 pronoun-mismatch: a pronoun of the wrong gender for the person meant."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Mapping

from copydesk.diagnostics import Edit, Finding, Fix, Related
from copydesk.document import Document
from copydesk.plugin import rule

if TYPE_CHECKING:
    # Imported when a document first asks for it (doc.people), not when the
    # rule is declared: a run served from the cache never pays for it.
    from copydesk.analysis.people import PronounReference

# After "her", these words show it is an object ("told her that"), not a
# possessive ("her plan"): the male form is then "him", not "his".
_AFTER_OBJECT = frozenset(
    """a an the that this these those to and or but as at by for from in into of on onto
    with about after before over under up down out off again back too so than then when
    while if because since until what how why who whom which where is was be been""".split()
)


@rule("CD401", "pronoun-mismatch", "A pronoun's gender conflicts with the person it must refer to.")
def pronoun_mismatch(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    """
    ## What it does
    Finds a gendered pronoun whose gender conflicts with the person it must
    refer to: in an attribution (`“…,” she says`), the current speaker of
    the story; as a reference back, the only kind of person the story has
    named. A person's gender is read from an honorific (Mr, Mrs, Sir,
    Dame…), a first name, or earlier pronouns. The finding points at the
    pronoun, links to the person's mention, and offers the matching pronoun
    as a fix.

    The rule stays quiet when the text could mean someone else: a person of
    the pronoun's gender or of unknown gender named nearby, a gendered noun
    ("his wife"), an unrecognised name, or an earlier pronoun of the same
    gender. For an attribution, "nearby" starts where the speaker was named
    as a sentence's subject or a quote's source, when that was in the same
    or the previous paragraph; otherwise it covers the last three
    paragraphs. A first name's gender gives way when the story itself uses
    the other pronoun for that person more than once ("Beryl Sprinkel … he
    said"). Pronouns inside quotations are never checked.

    ## Why is this bad?
    A slip of "she" for "he" attributes words to someone else, or
    misgenders the person quoted; readers notice, and the subject will.

    ## Example
    ```text
    Mr Giles believes that Russia is speaking to the wrong people.

    “They should talk to Romania and Bulgaria,” she says.
    ```

    ## Use instead
    ```text
    Mr Giles believes that Russia is speaking to the wrong people.

    “They should talk to Romania and Bulgaria,” he says.
    ```
    """
    people = doc.people
    prose = doc.prose
    for reference in people.conflicts:
        person = people.entity(reference.referent) if reference.referent is not None else None
        mention = reference.mention
        if person is None or mention is None:
            continue
        gender = reference.referent_gender or person.gender
        if gender is None or gender == reference.gender:
            continue
        replacement = _replacement(prose, reference)
        if reference.role == "attribution":
            message = (
                f"“{reference.text}” in this attribution does not match the current speaker, "
                f"{mention.text}, who is {gender}"
            )
        else:
            message = (
                f"“{reference.text}” has no {reference.gender} person to refer to: "
                f"the people named so far ({mention.text} last) are {gender}"
            )
        source = {"honorific": "by honorific", "first-name": "by first name"}.get(person.gender_source or "", "by pronouns")
        yield Finding(
            reference.start,
            reference.end,
            message,
            related=(Related(mention.start, mention.end, f"{mention.text}: {gender} ({source})"),),
            fix=Fix(f"Replace with “{replacement}”", (Edit(reference.start, reference.end, replacement),)),
        )


def _replacement(prose: str, reference: PronounReference) -> str:
    from copydesk.analysis.people import match_case

    if reference.text.lower() != "her":
        return reference.replacement()
    following = prose[reference.end : reference.end + 40].split(maxsplit=1)
    next_word = following[0].lower().strip(".,;:!?\"”’") if following else ""
    after_punctuation = not following or not prose[reference.end : reference.end + 1].isspace()
    objective = after_punctuation or not next_word or next_word in _AFTER_OBJECT or next_word.endswith("ly")
    word = "him" if objective else "his"
    return match_case(word, reference.text)


RULES = (pronoun_mismatch,)
