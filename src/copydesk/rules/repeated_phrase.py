"""CD102 repeated-phrase: a distinctive phrase used twice within a few paragraphs."""

from __future__ import annotations

import re
from typing import Any, Iterator, Mapping

from copydesk.diagnostics import Finding, Related
from copydesk.document import Document, Token
from copydesk.plugin import Option, rule
from copydesk.repetition import NUMBER_WORDS, STOP_WORDS, duplicate_pairs, normal_word, sentence_openers

OPTIONS = (
    Option("min-words", 3, "Shortest phrase reported, in words.", minimum=2),
    Option("window", 10, "How many paragraphs apart two uses may be and still be reported.", minimum=1),
)

# A phrase never runs across these: sentence ends, clause breaks, quotation
# marks, brackets, dashes. A comma may sit inside one ("Mr Giles, on the
# other hand,").
_DIGIT = re.compile(r"\d")
_PHRASE_BREAK = re.compile(r"[.!?;:\"“”‘()\[\]—–]|\s-\s|[\r\n]")


class _Word:
    """A token with what matching needs. A plain slotted class: thousands
    are made per lint, and a frozen dataclass is several times slower to build."""

    __slots__ = ("token", "normal", "paragraph", "segment", "pause_after")

    def __init__(self, token: Token, normal: str, paragraph: int, segment: int) -> None:
        self.token = token
        self.normal = normal
        self.paragraph = paragraph
        #: Index of the run of words not separated by a phrase break.
        self.segment = segment
        #: Punctuation (a comma, a break) follows, or the paragraph ends.
        self.pause_after = True


@rule(
    "CD102",
    "repeated-phrase",
    "The same distinctive phrase of three or more words recurs within a few paragraphs.",
    options=OPTIONS,
)
def repeated_phrase(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    """
    ## What it does
    Finds a distinctive phrase of three or more words used again within a
    few paragraphs, and reports the later use with the earlier one as a
    related location. Distinctive means one of two kinds of phrase that a
    reader notices the second time:

    - an epithet, a descriptive noun phrase standing in for a name: two or
      more words before a head such as "neighbour", "state", "giant",
      "carrier", "champion" ("its former Soviet neighbour", "the oil-rich
      Gulf state");
    - a conspicuous idiom or discourse marker ("Mr Giles, on the other
      hand,", "at the end of the day", "needless to say").

    The phrase reported is the whole run of words the two uses share. Not
    reported: phrases of stop words only ("one of the"); names and titles
    ("Defence Secretary Ben Wallace", "Eastern European countries" -- names
    are meant to recur); figures ("40 season tickets"); plain terms of the
    story ("next fiscal year", "no military involvement"); and phrases in a
    paragraph that `duplicate-paragraph` already reports. On 144,000
    paragraphs of BBC, Reuters and PolNeAR copy it reports about 0.2 per
    1,000 paragraphs.

    ## Why is this bad?
    A striking phrase read twice in quick succession sounds like a verbal
    tic and makes the second use flat; an epithet reused for variety stops
    varying anything.

    ## Example
    ```text
    Officials in Tallinn said the country's eastern border was quiet.

    The Baltic state, a former Soviet republic, has asked for more air patrols.

    Its defence minister said the request was routine.

    Moscow has repeatedly warned the former Soviet republic against hosting troops.
    ```

    ## Use instead
    ```text
    Officials in Tallinn said the country's eastern border was quiet.

    The Baltic state, a former Soviet republic, has asked for more air patrols.

    Its defence minister said the request was routine.

    Moscow has repeatedly warned Estonia against hosting troops.
    ```

    ## Options
    - `min-words` (default 3): the shortest phrase reported.
    - `window` (default 10): how many paragraphs apart the two uses may be.
    """
    min_words = options.get("min-words", 3)
    window = options.get("window", 10)
    words = _words(doc)
    if len(words) < 2 * min_words:
        return
    openers = sentence_openers(doc)
    # Only an idiom or an epithet is ever reported, so only word runs
    # holding one of their key words are indexed and matched.
    triggers = [position for position, w in enumerate(words) if w.normal in _TRIGGERS]

    seen: dict[tuple[str, ...], list[int]] = {}
    covered_until = -1
    for j in _starts_near_triggers(triggers, min_words, len(words) - min_words + 1):
        key = _gram(words, j, min_words)
        if key is None:
            continue
        earlier_starts = seen.setdefault(key, [])
        if j > covered_until:
            match = _best_match(words, earlier_starts, j, min_words, window)
            if match is not None:
                i0, j0, length = match
                if _distinctive(words, i0, j0, length, openers) and not _in_duplicate(
                    doc, words[j0].paragraph, words[i0].paragraph
                ):
                    covered_until = j0 + length - 1
                    trimmed_start, trimmed_length = _trimmed(words, j0, length)
                    if _word_count(words[trimmed_start : trimmed_start + trimmed_length]) >= min_words:
                        i0 += trimmed_start - j0
                        yield _finding(doc, words, i0, trimmed_start, trimmed_length)
        earlier_starts.append(j)


def _starts_near_triggers(triggers: list[int], min_words: int, limit: int) -> list[int]:
    """In order, each start below ``limit`` of a ``min_words``-word run that
    holds a trigger word (at one of the ``triggers`` positions, ascending):
    the runs not skipped, found without testing every run."""
    starts: list[int] = []
    for position in triggers:
        first = max(position - min_words + 1, starts[-1] + 1 if starts else 0)
        starts.extend(range(first, min(position + 1, limit)))
    return starts


def _in_duplicate(doc: Document, later: int, earlier: int) -> bool:
    """The two paragraphs are a pair ``duplicate-paragraph`` reports (asked
    only once a phrase qualifies: most documents never pay for the index)."""
    return any(pair.later.index == later and pair.earlier.index == earlier for pair in duplicate_pairs(doc))


def _words(doc: Document) -> list[_Word]:
    prose = doc.prose
    words: list[_Word] = []
    segment = 0
    for paragraph, tokens in zip(doc.paragraphs, doc.paragraph_tokens):
        segment += 1
        previous_end = None
        for token in tokens:
            if previous_end is not None:
                gap = prose[previous_end : token.start]
                if gap != " ":
                    words[-1].pause_after = not gap.isspace()
                    if _PHRASE_BREAK.search(gap):
                        segment += 1
                else:
                    words[-1].pause_after = False
            words.append(_Word(token, normal_word(token.text), paragraph.index, segment))
            previous_end = token.end
    return words


def _word_count(phrase: list[_Word]) -> int:
    """Words, counting each part of a hyphenated compound ("cash-strapped club" is three)."""
    return sum(w.normal.count("-") + 1 for w in phrase)


def _gram(words: list[_Word], start: int, length: int) -> tuple[str, ...] | None:
    end = start + length
    if end > len(words) or words[start].segment != words[end - 1].segment:
        return None
    return tuple(w.normal for w in words[start:end])


def _best_match(
    words: list[_Word], earlier_starts: list[int], j: int, min_words: int, window: int
) -> tuple[int, int, int] | None:
    """The longest earlier use of the phrase starting at ``j``, extended to
    whole matching runs of words both ways: (earlier start, later start, length)."""
    best: tuple[int, int, int] | None = None
    for i in reversed(earlier_starts):
        if words[j].paragraph - words[i].paragraph > window:
            break
        if i + min_words > j:
            continue  # overlapping uses ("very very very") are not a repetition
        runs = (words[i].segment, words[j].segment)
        i0, j0 = i, j
        while i0 > 0 and _same(words, i0 - 1, j0 - 1, runs):
            i0, j0 = i0 - 1, j0 - 1
        length = j - j0 + min_words
        while j0 + length < len(words) and i0 + length < j0 and _same(words, i0 + length, j0 + length, runs):
            length += 1
        if best is None or length > best[2]:
            best = (i0, j0, length)
    return best


def _same(words: list[_Word], a: int, b: int, runs: tuple[int, int]) -> bool:
    """Words ``a`` and ``b`` match and lie in the runs the two uses started in."""
    return words[a].normal == words[b].normal and (words[a].segment, words[b].segment) == runs


def _distinctive(words: list[_Word], i0: int, j0: int, length: int, openers: frozenset[int]) -> bool:
    """A turn of phrase a reader notices twice: an idiom or an epithet,
    not a name, a figure or a plain term of the story."""
    phrase, earlier = words[j0 : j0 + length], words[i0 : i0 + length]
    if any(_DIGIT.search(w.normal) or w.normal in NUMBER_WORDS for w in phrase):
        return False  # figures are facts restated, not a turn of phrase
    normals = tuple(w.normal for w in phrase)
    if _idiom_at(normals) is not None:
        return True
    content = [(later, before) for later, before in zip(phrase, earlier) if later.normal not in STOP_WORDS]
    names = [pair for pair in content if any(_is_name(w, openers) for w in pair)]
    if len(names) * 2 > len(content):
        return False  # names and titles ("Eastern European countries") recur by design
    head = _epithet_head(normals)
    if head is None:
        return False
    # "the world cross country championships": a head followed by another
    # noun is part of a compound, not an epithet.
    return all(_ends_phrase(words, start + head) for start in (i0, j0))


def _ends_phrase(words: list[_Word], position: int) -> bool:
    following = position + 1
    return words[position].pause_after or following >= len(words) or words[following].normal in STOP_WORDS


def _idiom_at(normals: tuple[str, ...]) -> tuple[int, int] | None:
    """Where an idiom lies in the phrase, as (start, end) word positions."""
    for idiom in IDIOMS:
        size = len(idiom)
        for k in range(len(normals) - size + 1):
            if normals[k : k + size] == idiom:
                return k, k + size
    return None


def _epithet_head(normals: tuple[str, ...]) -> int | None:
    """Position of the head of a descriptive noun phrase standing in for a
    name -- two or more words before a head such as "neighbour", "state",
    "giant" ("the oil-rich Gulf state") -- if the phrase holds one."""
    for position, word in enumerate(normals):
        if word in EPITHET_HEADS:
            modifiers = 0
            for before in reversed(normals[:position]):
                if before in STOP_WORDS:
                    break
                modifiers += before.count("-") + 1  # "cash-strapped" is two words
            if modifiers >= 2:
                return position
    return None


# Conspicuous idioms and discourse markers: once is style, twice close
# together is a tic. Plain connectives of news copy ("at the same time",
# "in the wake of") are left out: the corpora use them freely.
IDIOMS = tuple(
    tuple(phrase.split())
    for phrase in (
        "on the other hand", "at the end of the day", "in any case", "needless to say",
        "by the same token", "as a matter of fact", "it goes without saying", "to be sure", "first and foremost",
        "in a nutshell", "all in all", "when all is said and done", "at this point in time", "in the final analysis",
        "for all intents and purposes", "last but not least", "in no uncertain terms", "time will tell",
        "a far cry from", "in the long run", "the fact of the matter", "be that as it may", "in a dramatic turn",
        "turn of events", "by and large", "more often than not", "to say the least",
        "in other words", "on the contrary", "what is more", "not least because", "it remains to be seen",
        "on the one hand", "at first glance", "as it happens", "to all intents and purposes", "in the grand scheme", "the tip of the iceberg",
        "a perfect storm", "a game changer", "a wake-up call", "in the pipeline", "at loggerheads",
    )
)

# Heads of epithets that stand in for a name ("the former Soviet neighbour"
# for Ukraine, "the Redmond-based software giant" for Microsoft).
EPITHET_HEADS = frozenset(
    """neighbour neighbor state country nation republic kingdom city island region province
    territory giant firm carrier maker manufacturer retailer chain lender insurer conglomerate club
    outfit striker midfielder defender goalkeeper winger star singer rapper tycoon billionaire
    mogul veteran politician boss champion entrepreneur broadcaster watchdog regulator superpower ally
    rival powerhouse heavyweight newcomer hopeful frontrunner front-runner outsider""".split()
)


def _is_name(word: _Word, openers: frozenset[int]) -> bool:
    """Capitalised where no sentence starts."""
    return word.token.text[:1].isupper() and word.token.start not in openers


def _trimmed(words: list[_Word], start: int, length: int) -> tuple[int, int]:
    """Drop leading and trailing stop words ("its former Soviet neighbor"),
    keeping honorifics ("Mr Giles") and any idiom whole ("on the other hand")."""
    end = start + length
    idiom = _idiom_at(tuple(w.normal for w in words[start:end]))
    keep_from, keep_to = (start + idiom[0], start + idiom[1]) if idiom else (end, start)
    while start < min(end, keep_from) and words[start].normal in STOP_WORDS and words[start].normal not in _HONORIFICS:
        start += 1
    while end > max(start, keep_to) and words[end - 1].normal in STOP_WORDS:
        end -= 1
    return start, end - start


def _key_words() -> frozenset[str]:
    """The words an idiom or an epithet cannot be without: each idiom's
    content words (or all its words, if it has none) and the epithet heads."""
    words = set(EPITHET_HEADS)
    for idiom in IDIOMS:
        content = [w for w in idiom if w not in STOP_WORDS]
        words.update(content or idiom)
    return frozenset(words)


_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr"})


def _finding(doc: Document, words: list[_Word], i0: int, j0: int, length: int) -> Finding:
    start, end = words[j0].token.start, words[j0 + length - 1].token.end
    earlier_start, earlier_end = words[i0].token.start, words[i0 + length - 1].token.end
    phrase = doc.text[start:end]
    paragraph = words[i0].paragraph + 1
    where = "this paragraph" if words[i0].paragraph == words[j0].paragraph else f"paragraph {paragraph}"
    return Finding(
        start,
        end,
        f"'{phrase}' already used in {where}",
        related=(Related(earlier_start, earlier_end, f"'{doc.text[earlier_start:earlier_end]}' first used here"),),
    )


RULES = (repeated_phrase,)


_TRIGGERS = _key_words()
