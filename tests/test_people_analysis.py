"""People: mentions, entities, gender, pronouns, current speaker."""

from __future__ import annotations

from copydesk.analysis.people import first_name_gender, first_names
from copydesk.document import Document


def people_of(text: str):
    return Document(text).people


def entity_named(analysis, surname: str):
    (entity,) = [e for e in analysis.entities if e.surname == surname]
    return entity


def test_seed_entities_and_genders(seed_text: str) -> None:
    analysis = people_of(seed_text)
    giles = entity_named(analysis, "Giles")
    assert giles.gender == "male" and giles.gender_source == "honorific"
    assert [m.text for m in giles.mentions] == ["Keir Giles", "Mr Giles", "Mr Giles"]
    for mention in giles.mentions:
        assert seed_text[mention.start : mention.end] == mention.text
    lavrov = entity_named(analysis, "Lavrov")
    assert [m.text for m in lavrov.mentions] == ["Sergey Lavrov", "Mr Lavrov", "The foreign minister"]
    wallace = entity_named(analysis, "Wallace")
    assert wallace.gender == "male" and wallace.gender_source == "first-name"
    assert wallace.mentions[0].text == "Ben Wallace"


def test_seed_current_speaker_and_pronouns(seed_text: str) -> None:
    analysis = people_of(seed_text)
    giles = entity_named(analysis, "Giles")
    quotes = Document(seed_text).quotes
    last = quotes.quotations[-1]
    assert analysis.speaker_of(last) is not None and analysis.speaker_of(last).id == giles.id
    told = next(p for p in analysis.pronouns if p.text == "he")
    assert told.referent == giles.id and not told.conflict
    she = next(p for p in analysis.pronouns if p.text == "she")
    assert she.conflict and she.referent == giles.id
    assert seed_text[she.start : she.end] == "she"


def test_honorifics_give_gender() -> None:
    analysis = people_of("Mrs Ada Smith met Mr Brown and Dr Jordan Lee.")
    assert entity_named(analysis, "Smith").gender == "female"
    assert entity_named(analysis, "Brown").gender == "male"
    assert entity_named(analysis, "Lee").gender is None  # Dr, and Jordan is used by both sexes


def test_two_people_of_different_genders_stay_apart() -> None:
    text = "Mr Smith and Mrs Smith disagreed. Mrs Smith said no; Mr Smith said yes."
    analysis = people_of(text)
    genders = sorted(e.gender for e in analysis.entities)
    assert genders == ["female", "male"]
    assert all(len(e.mentions) == 2 for e in analysis.entities)


def test_first_name_list_is_data_with_ambiguous_names_unknown() -> None:
    assert len(first_names()) > 4000
    assert first_name_gender("Mary") == "female"
    assert first_name_gender("John") == "male"
    assert first_name_gender("Leslie") is None and first_name_gender("Chris") is None
    assert first_name_gender("Will") is None  # an everyday word, dropped from the list


def test_pronoun_gives_gender_to_a_speaker_of_unknown_gender() -> None:
    text = (
        "According to Keir Giles of Chatham House, it is a mistake.\n\n"
        "“It is small,” he said.\n\n“It is tiny,” he said.\n"
    )
    analysis = people_of(text)
    assert all(p.referent is not None and not p.conflict for p in analysis.pronouns)


def test_pronouns_inside_quotations_are_not_linked() -> None:
    analysis = people_of("“She was wonderful,” Mr Giles said of his mother.")
    assert [p.text for p in analysis.pronouns] == ["his"]
