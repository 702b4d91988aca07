"""CD401 pronoun-mismatch."""

from __future__ import annotations

from copydesk.document import Document
from copydesk.rules.pronoun_mismatch import pronoun_mismatch


def findings(text: str):
    return list(pronoun_mismatch.check(Document(text), {}))


def test_seed_reports_she_in_the_last_paragraph_only(seed_text: str) -> None:
    (finding,) = findings(seed_text)
    start = seed_text.rindex("she says")
    assert (finding.start, finding.end) == (start, start + 3)
    (related,) = finding.related
    assert seed_text[related.start : related.end] == "Mr Giles"
    assert related.start == seed_text.rindex("Mr Giles")
    (edit,) = finding.fix.edits
    assert (edit.start, edit.end, edit.replacement) == (start, start + 3, "he")


def test_he_told_me_is_not_reported(seed_text: str) -> None:
    told = seed_text.index("he told me")
    assert all(f.start != told for f in findings(seed_text))


def test_fix_keeps_capitalisation() -> None:
    text = "Mr Giles spoke first.\n\n“It is done,” said Mr Giles. She left the room.\n"
    (finding,) = findings(text)
    assert text[finding.start : finding.end] == "She"
    assert finding.fix.edits[0].replacement == "He"


def test_two_people_of_different_genders_are_ambiguous_enough() -> None:
    text = (
        "Mr Giles met Mrs Jones in Geneva.\n\n"
        "“It went well,” she said.\n\n“We agreed,” he said.\n"
    )
    assert findings(text) == []


def test_speaker_switch_to_a_woman_is_followed() -> None:
    text = (
        "“It went well,” said Mr Giles.\n\n"
        "Mrs Jones disagreed.\n\n“It did not,” she said.\n"
    )
    assert findings(text) == []


def test_quiet_when_gender_unknown() -> None:
    text = "Dr Chris Taylor spoke.\n\n“It went well,” she said.\n\n“Very well,” he said.\n"
    assert findings(text) == []


def test_quiet_when_a_gendered_noun_could_be_meant() -> None:
    text = "Mr Giles came with his wife.\n\n“It went well,” she said.\n"
    assert findings(text) == []


def test_pronouns_inside_quotes_are_never_checked() -> None:
    assert findings("“She is brilliant,” said Mr Giles.") == []


def test_reference_back_to_the_only_person() -> None:
    text = "Ms Ada Smith won the race. He said it was hard.\n"
    (finding,) = findings(text)
    assert text[finding.start : finding.end] == "He"
    assert finding.fix.edits[0].replacement == "She"
    assert text[finding.related[0].start : finding.related[0].end] == "Ms Ada Smith"


def test_her_becomes_his_or_him() -> None:
    possessive = "Mr Tom Brown won the race. It was her best run.\n"
    (finding,) = findings(possessive)
    assert finding.fix.edits[0].replacement == "his"
    objective = "Mr Tom Brown won the race. The crowd cheered her loudly.\n"
    (finding,) = findings(objective)
    assert finding.fix.edits[0].replacement == "him"


def test_straight_quotes_crlf_and_emoji_before_the_span() -> None:
    text = '😀 Mr Giles spoke 🎉.\r\n\r\n"It went well," she said.\r\n'
    (finding,) = findings(text)
    assert text[finding.start : finding.end] == "she"
    assert text[finding.related[0].start : finding.related[0].end] == "Mr Giles"


def test_quiet_when_an_earlier_speaker_could_be_meant() -> None:
    text = (
        "Mr Jones, the coach, praised the team.\n\n"
        "Mrs Smith scored twice in the final.\n\n"
        "“She was brilliant,” he said.\n"
    )
    assert findings(text) == []


def test_quiet_when_the_quote_speaks_of_the_current_speaker() -> None:
    text = (
        "“We lost nobody,” Mrs Clinton said.\n\n"
        "“To Mrs Clinton, the officials do not matter,” he wrote.\n"
    )
    assert findings(text) == []


def test_gender_from_earlier_pronouns_when_they_clearly_agree() -> None:
    text = (
        "According to Keir Giles of Chatham House, it is a mistake.\n\n"
        "“It is small,” he said.\n\n“It is tiny,” he said.\n\n“It is nothing,” she said.\n"
    )
    (finding,) = findings(text)
    assert (finding.start, finding.end) == (text.rindex("she"), text.rindex("she") + 3)
    assert "male" in finding.message and "pronouns" in finding.related[0].message
    assert finding.fix.edits[0].replacement == "he"


def test_one_pronoun_against_another_is_a_tie() -> None:
    text = "According to Keir Giles of Chatham House, it is a mistake.\n\n“It is small,” he said.\n\n“It is tiny,” she said.\n"
    assert findings(text) == []


def _only_finding_at(text: str, pronoun_in: str, pronoun: str):
    (finding,) = findings(text)
    start = text.index(pronoun_in) + pronoun_in.index(pronoun)
    assert (finding.start, finding.end) == (start, start + len(pronoun))
    return finding


def test_subject_after_a_short_opening_phrase_is_the_speaker() -> None:
    text = "On Sunday, Mr Jones went on the offensive.\n\n“She made it up,” she said of the claim.\n"
    finding = _only_finding_at(text, "” she said", "she")
    (related,) = finding.related
    assert text[related.start : related.end] == "Mr Jones"


def test_two_subjects_after_an_opening_phrase_stay_ambiguous() -> None:
    text = "On Sunday, Mr Jones and Ms Brown met voters.\n\n“It went well,” she said.\n"
    assert findings(text) == []


def test_a_name_after_an_opening_phrase_that_is_not_the_subject_sets_no_speaker() -> None:
    text = "On Sunday, Mr Jones’s rival spoke to voters.\n\n“It went well,” she said.\n"
    assert findings(text) == []


def test_a_state_is_not_a_woman_of_that_first_name() -> None:
    text = "Mr Jones won in South Carolina Saturday.\n\n“It is a big win,” she said.\n"
    _only_finding_at(text, "she said", "she")
    text = "Mr Jones praised Florida Gov. Rick Scott.\n\n“He did well,” she said.\n"
    _only_finding_at(text, "” she said", "she")


def test_a_woman_named_like_a_state_still_keeps_the_rule_quiet() -> None:
    text = "Mr Jones introduced Virginia Smith.\n\n“It is a big win,” she said.\n"
    assert findings(text) == []


def test_place_names_are_not_people_of_unknown_gender() -> None:
    text = "Mr Jones said New Hampshire voters were angry.\n\n“They want change,” she said.\n"
    _only_finding_at(text, "she said", "she")


def test_a_name_of_unknown_gender_nearby_keeps_the_rule_quiet() -> None:
    text = "Mr Jones said Pat Quinn was wrong.\n\n“They want change,” she said.\n"
    assert findings(text) == []


def test_a_long_title_does_not_hide_the_first_name() -> None:
    text = "Senate Majority Leader Mitch McConnell spoke on Tuesday.\n\n“We will act,” she said.\n"
    finding = _only_finding_at(text, "she said", "she")
    assert finding.related[0].start == text.index("Mitch McConnell")
    text = "Mexican President Felipe Calderon spoke on Tuesday.\n\n“We will not pay,” she said.\n"
    _only_finding_at(text, "she said", "she")


def test_a_sentence_opener_before_a_surname_is_not_a_new_person() -> None:
    text = (
        "Mr Kevin Rubio spoke in Iowa.\n\n"
        "Then Rubio went on the attack, and then he left.\n\n"
        "“We will win,” she said.\n"
    )
    _only_finding_at(text, "she said", "she")


def test_an_unlisted_first_name_before_a_surname_is_still_another_person() -> None:
    text = (
        "Mr Kevin Rubio spoke in Iowa.\n\n"
        "Ozrick Rubio went on the attack.\n\n"
        "“We will win,” she said.\n"
    )
    assert findings(text) == []


def test_a_state_alone_is_not_a_person_unless_it_acts_like_one() -> None:
    text = "Mr Jones said Florida would decide the race.\n\n“It went well,” she said.\n"
    _only_finding_at(text, "she said", "she")
    text = "Mr Jones left early, and Virginia said it was over.\n\n“It went well,” she said.\n"
    assert findings(text) == []


def test_gender_from_pronouns_in_sentences_that_name_only_that_person() -> None:
    text = (
        "Pat Quinn said his campaign was strong. Quinn added that his team was ready.\n\n"
        "“We will win,” she said.\n"
    )
    finding = _only_finding_at(text, "she said", "she")
    assert finding.fix.edits[0].replacement == "he"


def test_one_pronoun_in_the_narrative_is_not_enough_to_give_a_gender() -> None:
    text = "Pat Quinn said his campaign was strong.\n\n“We will win,” she said.\n"
    assert findings(text) == []


def test_a_possessive_name_does_not_give_its_gender_to_a_later_pronoun() -> None:
    text = (
        "Pat Quinn’s message won and he had to respond. Quinn’s team grew and he adapted.\n\n"
        "“We will win,” she said.\n"
    )
    said = text.index("she said")
    assert all(f.start != said for f in findings(text))


# -- the speaker named in the last paragraph or two outweighs people named before -----


def test_people_named_before_the_current_speaker_do_not_hide_a_wrong_attribution() -> None:
    text = (
        "Mrs Clinton spoke in Iowa on Monday.\n\n"
        "Mr Graham told supporters in Ohio that the party must change.\n\n"
        "“We need new voters,” she added.\n"
    )
    finding = _only_finding_at(text, "she added", "she")
    assert text[finding.related[0].start : finding.related[0].end] == "Mr Graham"


def test_a_speaker_named_in_a_quote_attribution_carries_to_the_next_paragraph() -> None:
    text = (
        "Mrs Clinton spoke in Iowa on Monday.\n\n"
        "“We cannot win like this,” Mr Graham said.\n\n"
        "She continued: “We need new voters.”\n"
    )
    _only_finding_at(text, "She continued", "She")


def test_someone_named_after_the_current_speaker_still_keeps_the_rule_quiet() -> None:
    text = (
        "Mr Graham told supporters in Ohio that the party must change, and Mrs Clinton agreed.\n\n"
        "“We need new voters,” she added.\n"
    )
    assert findings(text) == []


def test_a_quote_about_someone_of_the_speakers_gender_keeps_earlier_people_in_play() -> None:
    text = "Mr Jones coached the team.\n\nMrs Smith scored twice in the final.\n\n“She was brilliant,” he said.\n"
    assert findings(text) == []


def test_a_person_named_in_the_attribution_sentence_is_what_is_quoted_not_the_speaker() -> None:
    text = "Mrs Clinton spoke in Iowa.\n\nMr Jones was angry. Mrs Clinton “caused havoc,” he said.\n"
    assert findings(text) == []


def test_two_people_sharing_a_surname_keep_earlier_people_in_play() -> None:
    # "Bill" is also an everyday word, yet before "Clinton" it may be a first name.
    text = (
        "Mr Jones was in the hall.\n\n"
        "Hillary Clinton spoke first. Bill Clinton said the plan was sound.\n\n"
        "“It will work,” he said.\n"
    )
    assert findings(text) == []


def test_a_first_name_gender_gives_way_to_the_storys_own_pronouns() -> None:
    # Beryl is a woman's name in the census lists; this Beryl is a man.
    text = (
        "Beryl Sprinkel spoke in Washington.\n\n"
        "“Growth will return,” he said.\n\n"
        "“The dollar is stable,” he said.\n"
    )
    assert findings(text) == []


def test_rare_census_names_give_no_gender() -> None:
    # "Yang" is in the female census list (0.002 %), but this is a surname first.
    text = "Yang Jike, the vice-governor, spoke on Monday. He said costs had risen.\n"
    assert findings(text) == []


def test_the_subject_after_a_longer_opening_phrase_is_the_speaker() -> None:
    text = (
        "Speaking to reporters after a town hall meeting on Monday, Mr Trump attacked the plan.\n\n"
        "“It is a disgrace,” she said.\n"
    )
    _only_finding_at(text, "she said", "she")
