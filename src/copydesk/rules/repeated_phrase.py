"""CD102 repeated-phrase: a distinctive phrase used twice within a few paragraphs."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import chain, compress, count, repeat
from operator import add, eq, floordiv, or_, sub
from typing import Any, Iterator, Mapping, Sequence

from copydesk.diagnostics import Finding, Related
from copydesk.document import Document
from copydesk.plugin import Option, rule
from copydesk.repetition import (
    NUMBER_WORDS,
    STOP_WORDS,
    duplicate_pairs,
    paragraph_openers,
    paragraph_words,
    word_spans,
)

OPTIONS = (
    Option("min-words", 3, "Shortest phrase reported, in words.", minimum=2),
    Option("window", 10, "How many paragraphs apart two uses may be and still be reported.", minimum=1),
)

_DIGIT = re.compile(r"\d")


class _Words:
    """Every word of the document, in order, as parallel lists: its normal
    form, the run of words it belongs to (a phrase never runs across a
    sentence end, a clause break, a quotation mark, a bracket or a dash; a
    comma may sit inside one: "Mr Giles, on the other hand,") and its
    paragraph. Offsets, spelling and what follows a word are looked up only
    for the few words a match reaches."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.paragraphs = paragraph_words(doc)
        self.normal: list[str] = list(chain.from_iterable(words.normals for words in self.paragraphs))
        runs = chain.from_iterable(words.run_sizes for words in self.paragraphs)
        # Run numbers: distinct across paragraphs, as every paragraph starts a run.
        self.segment: list[int] = list(chain.from_iterable(map(repeat, count(), runs)))
        self.paragraph: list[int] = list(
            chain.from_iterable(repeat(index, len(words.normals)) for index, words in enumerate(self.paragraphs))
        )
        self.first_word: list[int] = [0]
        for words in self.paragraphs:
            self.first_word.append(self.first_word[-1] + len(words.normals))

    def __len__(self) -> int:
        return len(self.normal)

    def _local(self, position: int) -> tuple[int, int]:
        paragraph = self.paragraph[position]
        return paragraph, position - self.first_word[paragraph]

    def start(self, position: int) -> int:
        paragraph, local = self._local(position)
        return word_spans(self.doc, paragraph)[0][local]

    def end(self, position: int) -> int:
        paragraph, local = self._local(position)
        return word_spans(self.doc, paragraph)[1][local]

    def text(self, position: int) -> str:
        paragraph, local = self._local(position)
        return self.paragraphs[paragraph].texts[local]

    def pause_after(self, position: int) -> bool:
        """Punctuation (a comma, a break) follows, or the paragraph ends."""
        paragraph, local = self._local(position)
        starts, ends = word_spans(self.doc, paragraph)
        if local + 1 >= len(starts):
            return True
        return not self.doc.prose[ends[local] : starts[local + 1]].isspace()

    def is_name(self, position: int) -> bool:
        """Capitalised where no sentence starts."""
        if not self.text(position)[:1].isupper():
            return False
        return self.start(position) not in paragraph_openers(self.doc, self.paragraph[position])


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
    words = _Words(doc)
    normal, segment = words.normal, words.segment
    if len(normal) < 2 * min_words:
        return
    # Only an idiom or an epithet is ever reported, so only word runs
    # holding one of their key words are matched.
    triggers = list(compress(count(), map(_TRIGGERS.__contains__, normal)))
    starts = _starts_near_triggers(triggers, min_words, len(normal) - min_words + 1)
    # Runs lying within one phrase run, each with its words...
    last = min_words - 1
    starts = list(compress(starts, map(eq, map(segment.__getitem__, starts), map(segment.__getitem__, map(last.__add__, starts)))))
    grams = list(zip(*(map(normal.__getitem__, map(offset.__add__, starts)) for offset in range(min_words))))
    # ... and of those, only runs found twice within the window can match:
    # the rest are skipped before the matching loop (which would only have
    # filed them away). First runs found twice anywhere; then, of those, runs
    # found twice within the window: two uses at most `window` paragraphs
    # apart share a block of 2 * window paragraphs in at least one of two
    # tilings offset by `window`, so counting (run, block) in both finds
    # them all, in linear time.
    times = Counter(grams)
    twice = list(map((1).__lt__, map(times.__getitem__, grams)))
    starts, grams = list(compress(starts, twice)), list(compress(grams, twice))
    paragraphs = list(map(words.paragraph.__getitem__, starts))
    span = 2 * window
    tiled = list(zip(grams, map(floordiv, paragraphs, repeat(span))))
    offset = list(zip(grams, map(floordiv, map(add, paragraphs, repeat(window)), repeat(span))))
    in_tiled, in_offset = Counter(tiled), Counter(offset)
    near = map(or_, map((1).__lt__, map(in_tiled.__getitem__, tiled)), map((1).__lt__, map(in_offset.__getitem__, offset)))
    repeated = list(compress(zip(starts, grams), near))
    if not repeated:
        return
    telling = _telling_runs(normal, segment, {segment[start] for start, _gram in repeated})
    seen: dict[tuple[str, ...], list[int]] = {}
    # The same earlier starts, by the word before and the word after the run:
    # only those can extend a match beyond `min_words` words.
    by_before: dict[tuple[tuple[str, ...], str | None], list[int]] = {}
    by_after: dict[tuple[tuple[str, ...], str | None], list[int]] = {}
    size = len(normal)
    covered_until = -1
    for j, key in repeated:
        earlier_starts = seen.setdefault(key, [])
        before = (key, normal[j - 1] if j > 0 else None)
        after = (key, normal[j + min_words] if j + min_words < size else None)
        if j > covered_until and earlier_starts and segment[j] in telling:
            match = _best_match(
                words, earlier_starts, by_before.get(before, ()), by_after.get(after, ()), j, min_words, window
            )
            if match is not None:
                i0, j0, length = match
                if _distinctive(words, i0, j0, length) and not _in_duplicate(
                    doc, words.paragraph[j0], words.paragraph[i0]
                ):
                    covered_until = j0 + length - 1
                    trimmed_start, trimmed_length = _trimmed(words, j0, length)
                    if _word_count(normal[trimmed_start : trimmed_start + trimmed_length]) >= min_words:
                        i0 += trimmed_start - j0
                        yield _finding(doc, words, i0, trimmed_start, trimmed_length)
        earlier_starts.append(j)
        by_before.setdefault(before, []).append(j)
        by_after.setdefault(after, []).append(j)


def _telling_runs(normal: list[str], segment: list[int], runs: set[int]) -> set[int]:
    """Of ``runs``, the phrase runs holding an epithet head or a whole
    idiom. A match lies within one run, and is reported only if it holds
    one of them: in any other run, a match is looked for no further (its
    uses still count as earlier uses of later matches). Only the runs where
    a phrase recurs are read (run numbers ascend with the words)."""
    telling: set[int] = set()
    for run in runs:
        start, end = bisect_left(segment, run), bisect_right(segment, run)
        words = normal[start:end]
        if not EPITHET_HEADS.isdisjoint(words) or _idiom_at(words) is not None:
            telling.add(run)
    return telling


def _starts_near_triggers(triggers: list[int], min_words: int, limit: int) -> list[int]:
    """In order, each start below ``limit`` of a ``min_words``-word run that
    holds a trigger word (at one of the ``triggers`` positions, ascending):
    the runs not skipped, found without testing every run. The ranges are
    chained and de-duplicated in C; as the triggers ascend, a range adds
    only starts above those before it, so first appearances stay in order."""
    lows = map(max, map(sub, triggers, repeat(min_words - 1)), repeat(0))
    highs = map(min, map(add, triggers, repeat(1)), repeat(limit))
    return list(dict.fromkeys(chain.from_iterable(map(range, lows, highs))))


def _in_duplicate(doc: Document, later: int, earlier: int) -> bool:
    """The two paragraphs are a pair ``duplicate-paragraph`` reports (asked
    only once a phrase qualifies: most documents never pay for the index)."""
    return any(pair.later.index == later and pair.earlier.index == earlier for pair in duplicate_pairs(doc))


def _word_count(normals: list[str]) -> int:
    """Words, counting each part of a hyphenated compound ("cash-strapped club" is three)."""
    return sum(normal.count("-") + 1 for normal in normals)


def _best_match(
    words: _Words,
    earlier_starts: list[int],
    same_before: list[int] | tuple[()],
    same_after: list[int] | tuple[()],
    j: int,
    min_words: int,
    window: int,
) -> tuple[int, int, int] | None:
    """The longest earlier use of the phrase starting at ``j``, extended to
    whole matching runs of words both ways: (earlier start, later start,
    length); of equally long ones, the most recent.

    Every use extends to ``min_words`` words at least, and only a use with
    the same word before (``same_before``) or after (``same_after``) can
    extend further. So the most recent use and those are the only ones to
    measure: in one long paragraph, where the window holds every earlier
    use, the others would make the work grow with the square of the uses.
    """
    paragraph = words.paragraph
    here = paragraph[j]
    candidates: list[int] = []
    for group, first_only in ((earlier_starts, True), (same_before, False), (same_after, False)):
        for i in reversed(group):
            if here - paragraph[i] > window:
                break
            if i + min_words > j:
                continue  # overlapping uses ("very very very") are not a repetition
            candidates.append(i)
            if first_only:
                break
    if not candidates:
        return None
    normal, segment = words.normal, words.segment
    size = len(normal)
    best: tuple[int, int, int] | None = None
    for i in sorted(set(candidates), reverse=True):  # most recent first
        run_i, run_j = segment[i], segment[j]
        i0, j0 = i, j
        while i0 > 0 and normal[i0 - 1] == normal[j0 - 1] and segment[i0 - 1] == run_i and segment[j0 - 1] == run_j:
            i0, j0 = i0 - 1, j0 - 1
        length = j - j0 + min_words
        while (
            j0 + length < size
            and i0 + length < j0
            and normal[i0 + length] == normal[j0 + length]
            and segment[i0 + length] == run_i
            and segment[j0 + length] == run_j
        ):
            length += 1
        if best is None or length > best[2]:
            best = (i0, j0, length)
    return best


def _distinctive(words: _Words, i0: int, j0: int, length: int) -> bool:
    """A turn of phrase a reader notices twice: an idiom or an epithet,
    not a name, a figure or a plain term of the story."""
    normals = tuple(words.normal[j0 : j0 + length])
    if any(_DIGIT.search(w) or w in NUMBER_WORDS for w in normals):
        return False  # figures are facts restated, not a turn of phrase
    if _idiom_at(normals) is not None:
        return True
    head = _epithet_head(normals)
    if head is None:
        return False
    # (Asked after the head, which needs no offsets: most runs have none.)
    content = [(j0 + k, i0 + k) for k, normal in enumerate(normals) if normal not in STOP_WORDS]
    names = [pair for pair in content if any(words.is_name(position) for position in pair)]
    if len(names) * 2 > len(content):
        return False  # names and titles ("Eastern European countries") recur by design
    # "the world cross country championships": a head followed by another
    # noun is part of a compound, not an epithet.
    return all(_ends_phrase(words, start + head) for start in (i0, j0))


def _ends_phrase(words: _Words, position: int) -> bool:
    following = position + 1
    return words.pause_after(position) or following >= len(words) or words.normal[following] in STOP_WORDS


def _idiom_at(normals: Sequence[str]) -> tuple[int, int] | None:
    """Where an idiom lies in the words, as (start, end) word positions:
    the first idiom of IDIOMS found, at its first place. Only words that
    open an idiom are looked at, picked out in C."""
    best: tuple[tuple[int, int], tuple[int, int]] | None = None
    for k in compress(count(), map(_IDIOMS_BY_FIRST_WORD.__contains__, normals)):
        for rank, idiom in _IDIOMS_BY_FIRST_WORD[normals[k]]:
            if tuple(normals[k : k + len(idiom)]) == idiom and (best is None or (rank, k) < best[0]):
                best = ((rank, k), (k, k + len(idiom)))
    return best[1] if best is not None else None


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


def _trimmed(words: _Words, start: int, length: int) -> tuple[int, int]:
    """Drop leading and trailing stop words ("its former Soviet neighbor"),
    keeping honorifics ("Mr Giles") and any idiom whole ("on the other hand")."""
    normal = words.normal
    end = start + length
    idiom = _idiom_at(normal[start:end])
    keep_from, keep_to = (start + idiom[0], start + idiom[1]) if idiom else (end, start)
    while start < min(end, keep_from) and normal[start] in STOP_WORDS and normal[start] not in _HONORIFICS:
        start += 1
    while end > max(start, keep_to) and normal[end - 1] in STOP_WORDS:
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

_IDIOMS_BY_FIRST_WORD: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
for _rank, _idiom in enumerate(IDIOMS):
    _IDIOMS_BY_FIRST_WORD.setdefault(_idiom[0], []).append((_rank, _idiom))


def _finding(doc: Document, words: _Words, i0: int, j0: int, length: int) -> Finding:
    start, end = words.start(j0), words.end(j0 + length - 1)
    earlier_start, earlier_end = words.start(i0), words.end(i0 + length - 1)
    phrase = doc.text[start:end]
    paragraph = words.paragraph[i0] + 1
    where = "this paragraph" if words.paragraph[i0] == words.paragraph[j0] else f"paragraph {paragraph}"
    return Finding(
        start,
        end,
        f"'{phrase}' already used in {where}",
        related=(Related(earlier_start, earlier_end, f"'{doc.text[earlier_start:earlier_end]}' first used here"),),
    )


RULES = (repeated_phrase,)


_TRIGGERS = _key_words()
