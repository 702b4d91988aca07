"""People: person mentions grouped into entities, pronouns, current speaker.

Person mentions are found on the document's word tokens, in two passes:

1. Runs of capitalised words that hold an honorific ("Mr Giles", "Dr Jane
   Smith") or a known first name ("Defence Secretary Ben Wallace") found
   people; the capitalised words before the name are their title
   ("Defence Secretary"). Attribution speakers the quote analysis read
   ("according to Keir Giles") found people too, of unknown gender.
2. Later mentions link back: a run ending in a known surname ("Russian
   Foreign Minister Sergey Lavrov", "Mr Lavrov"), a lone surname, a lone
   first name already seen, and "the foreign minister" when an entity's
   title ends with those words.

An entity's grammatical gender comes from an honorific (Mr, Mrs, Sir,
Dame…), else from its first name (``data/first_names.tsv``; names used by
both sexes count as unknown), else from the gendered pronouns that can only
refer to it, when they agree by a clear majority.

Gendered pronouns outside quotations are then linked to the person they
must mean: in an attribution ("…,” she says") the current speaker; as a
reference back, the people the story has named so far. A pronoun whose
gender conflicts with every person it could mean, while nothing else in
the story (a person of unknown gender, a possible name, a gendered noun
such as "his wife", an earlier pronoun of the same gender) could explain
it, is marked ``conflict``; :mod:`copydesk.rules.pronoun_mismatch` reports
those.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Literal

from copydesk.analysis._lazy_regex import LazyRegex
from copydesk._record import Record, set_field
from copydesk.lru import LRU

if TYPE_CHECKING:
    from copydesk.analysis.quotes import Quotation, QuoteAnalysis
    from copydesk.document import Document, Token

Gender = Literal["male", "female"]
MentionKind = Literal["honorific", "full-name", "first-name", "surname", "role", "speaker", "possible"]
PronounRole = Literal["attribution", "reference"]

HONORIFICS: dict[str, Gender | None] = {
    "mr": "male", "sir": "male", "lord": "male", "mister": "male", "master": None,
    "mrs": "female", "ms": "female", "miss": "female", "dame": "female", "lady": "female",
    "madam": "female", "mx": None, "dr": None, "prof": None, "professor": None,
    "rev": None, "revd": None, "fr": "male", "sr": None, "sgt": None, "capt": None,
    "gen": None, "col": None, "insp": None, "det": None, "judge": None,
}
# Honorifics only when written with a capital and followed by a name.
_HONORIFIC_FORMS = frozenset(h.capitalize() for h in HONORIFICS) | {"MR", "MRS", "MS", "DR"}

_PRONOUNS: dict[str, Gender] = {
    "he": "male", "him": "male", "his": "male", "himself": "male",
    "she": "female", "her": "female", "hers": "female", "herself": "female",
}
_SWAP = {
    "he": "she", "she": "he", "him": "her", "his": "her", "himself": "herself",
    "herself": "himself", "hers": "his",
}
# Nouns naming a person of one gender: a pronoun of that gender may mean them.
_GENDERED_NOUNS: dict[str, Gender] = {
    **dict.fromkeys(
        """woman girl mother wife daughter sister aunt grandmother granddaughter niece queen
        princess actress spokeswoman chairwoman businesswoman congresswoman policewoman
        sportswoman widow bride girlfriend lady mum mom mummy duchess countess baroness empress
        heiress nun fiancée fiancee madam stepmother landlady headmistress waitress hostess
        heroine grandma sportswoman councilwoman housewife schoolgirl mistress""".split(),
        "female",
    ),
    **dict.fromkeys(
        """man boy father husband son brother uncle grandfather grandson nephew king prince
        spokesman chairman businessman congressman policeman sportsman widower groom
        boyfriend gentleman dad daddy duke baron emperor monk priest fiancé stepfather
        landlord headmaster waiter host hero grandpa councilman schoolboy pope""".split(),
        "male",
    ),
}
_ROLE_HEADS = (
    "minister|secretary|president|chancellor|governor|senator|mayor|spokesman|spokeswoman|"
    "spokesperson|chairman|chairwoman|chair|director|chief|executive|leader|premier|king|queen|"
    "prince|princess|judge|coach|manager|captain|ambassador|commissioner|prosecutor|attorney|"
    "general|officer|boss|founder|editor|professor|analyst|economist|striker|midfielder|defender|"
    "goalkeeper|pope|archbishop|bishop|chancellor|candidate|nominee|congressman|congresswoman|"
    "lawmaker|singer|actor|actress|star|player|champion|author|envoy|official|deputy"
)
# The word-start look-behind comes after the first letter so that the scan
# can jump from letter to letter (as in _CAPITALISED_RUN below).
_ROLE_MENTION = LazyRegex(rf"[Tt](?<!\w\w)he\s+((?:[a-z][\w\-]*\s+){{0,2}}(?:{_ROLE_HEADS}))\b")
_ROLE_HEAD_SET = frozenset(_ROLE_HEADS.split("|"))
# Capitalised words that begin sentences or name things, never a person's name.
_NOT_NAME = frozenset(
    """The A An In On At For But And Or So As If When While Yet It Its This That These Those
    There Here He She They We I You His Her Their Our My Your After Before Since During
    Although Though Because Despite With Without From To Of By Under Over About Mr Mrs Ms
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    June July August September October November December Christmas Easter God""".split()
)
# Words that make a capitalised run an organisation, place or event.
_ORG_WORDS = frozenset(
    """House Street Road Avenue Lane Square Park Bridge Station Airport Hospital University
    College School Academy Institute Centre Center Council Committee Commission Party Bank
    Group Company Corporation Corp Inc Ltd Plc Foundation Trust Fund Association Society
    Club United City Town County State States Republic Kingdom Union Office Ministry
    Department Agency Court Church Cathedral Museum Gallery Theatre Theater Festival Award
    Awards Prize Cup League Championship Games Olympics Times Post News Journal Herald
    Records Music Studios Pictures Films Airlines Airways Motors Hotel Hall Stadium Island
    Islands Valley River Lake Mountain Mountains Sea Ocean Gulf Bay Coast North South East
    West Northern Southern Eastern Western Central International National Federal Royal
    Act Bill Day Week Year Street Nato Army Navy Force Forces Police Service Services
    Parliament Senate Congress Assembly Government Show Series Tour Festival Project
    Programme Program Prize Medal Order Empire Dynasty Province Region District Board
    Supervisors Council Band Orchestra Choir Festival Brothers Sisters Team Records Press
    Review Magazine Channel Radio TV Network Studio Hills Heights Field Fields Gardens""".split()
)
# Capitalised words that may stand in a title before a name ("Defence
# Secretary Ben Wallace", "Former Prime Minister Gordon Brown").
_TITLE_WORDS = frozenset(
    """Defence Defense Foreign Home Prime Deputy Shadow Vice Chief Executive Health Culture
    Transport Environment Education Justice Interior Finance Treasury Trade Labour Labor
    Conservative Democratic Democrat Republican Liberal Senior Junior Former Acting Interim
    First Lord Attorney General Solicitor Supreme Chairman Chairwoman Managing Assistant
    Associate Lieutenant Major Private Corporal Sergeant Admiral Commander Colonel Captain
    Director Secretary Minister President Senator Governor Mayor Judge Justice Coach Manager
    Agent Detective Inspector Constable Officer Rabbi Father Brother Sister Saint St Pope
    Cardinal Bishop Archbishop Reverend King Queen Prince Princess Duke Duchess Earl Count
    Countess Baron Baroness Emperor Empress Sheikh Crown Grand State Foreign""".split()
)
# Lower-case nouns for people of either gender: "the poet" may be who "he" means.
_PERSON_NOUNS = frozenset(
    """poet writer author artist painter sculptor composer musician singer songwriter actor
    producer director photographer journalist reporter editor critic scientist researcher
    doctor nurse teacher lawyer student pupil worker farmer soldier officer driver friend
    partner child baby kid customer client victim suspect patient resident user fan owner
    employee employer colleague neighbour neighbor guest lover person individual player
    coach manager leader boss chief capitalist investor founder president candidate
    senator official spokesperson minister judge teenager adult parent cousin sibling
    spouse relative tenant visitor tourist passenger pilot officer detective agent
    attorney prosecutor defendant witness survivor prisoner inmate character narrator
    protagonist hero villain creator host presenter anchor dancer model star athlete
    rider racer boxer wrestler striker midfielder goalkeeper defender captain teammate
    opponent rival mentor student graduate professor lecturer priest pastor vicar
    bishop monarch ruler heir""".split()
)
_DETERMINERS = frozenset("the a an his her their this that its one another each every".split())


def _trie_pattern(words: "frozenset[str] | list[str]") -> str:
    """One regular expression alternation for many words, shared prefixes
    factored out, so matching costs one pass over the text, not one try per word.

    Rendered from the sorted words, a run of characters shared by a group
    at a time rather than a node per character: building the pattern is
    part of the analyses' first use."""

    def render(group: list[str], depth: int) -> str:
        # ``group``: sorted distinct words sharing their first ``depth``
        # characters; the one that ends there, if any, comes first.
        ends = len(group[0]) == depth
        if ends:
            group = group[1:]
        branches = []
        i = 0
        while i < len(group):
            ch = group[i][depth]
            j = i + 1
            while j < len(group) and group[j][depth] == ch:
                j += 1
            # The characters every word of the branch shares, up to where
            # one of them ends or two differ (first and last tell, sorted).
            first, last = group[i], group[j - 1]
            shared = depth + 1
            while shared < len(first) and shared < len(last) and first[shared] == last[shared]:
                shared += 1
            branches.append(re.escape(first[depth:shared]) + render(group[i:j], shared))
            i = j
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        return body + "?" if ends else body

    return render(sorted(set(words)), 0) if words else ""


def _watched_pattern() -> str:
    return r"\b(?:" + _trie_pattern(list(_PRONOUNS)) + r"|(" + _trie_pattern(_GENDERED_NOUNS) + r")(?:s|’s|'s|’|')?)\b"


def _person_noun_pattern() -> str:
    return r"\b(?:" + _trie_pattern(_DETERMINERS) + r")\s+(" + _trie_pattern(_PERSON_NOUNS) + r")\b"


# Matched against lower-cased text; the case-blind forms serve text whose
# lower-casing would move offsets (a few Unicode letters lower to two).
_WATCHED = LazyRegex(_watched_pattern)
_PERSON_NOUN = LazyRegex(_person_noun_pattern)
_WATCHED_ANY_CASE = LazyRegex(_watched_pattern, re.IGNORECASE)
_PERSON_NOUN_ANY_CASE = LazyRegex(_person_noun_pattern, re.IGNORECASE)
# Verbs whose subject is nearly always a person: "Pratt claims", "Eno comments".
_PERSON_VERBS = frozenset(
    """said says told tells wrote writes claims claimed comments commented explains explained
    argues argued believes believed thinks thought felt feels recalled recalls studied
    married divorced died inferred received admitted admits insisted insists noted notes
    replied answered asked asks sang sings starred stars acted graduated retired resigned
    testified pleaded apologised apologized joked laughed smiled cried wept""".split()
)
# A word token (as the document tokenises) that starts with a capital.
_CAPITALISED = LazyRegex(r"(?<![\w’'\-.,])[A-Z]\w*(?:[’'\-.,]\w+)*")
_WORD_TAIL = r"\w*(?:[’'\-.,]\w+)*"
# The look-behind comes after the first capital so that the scan can jump
# from capital to capital.
_CAPITALISED_RUN = LazyRegex(rf"[A-Z](?<![\w’'\-.,][A-Z]){_WORD_TAIL}(?:\.? [A-Z]{_WORD_TAIL})*")
# Words that open a short phrase before a sentence's subject ("On Sunday, …").
_OPENING_WORDS = frozenset(
    """on in at later earlier yesterday today tonight last this after before during meanwhile then
    now still but and however instead separately afterwards afterward since overnight""".split()
)
# Words that open a longer phrase before the subject: "Speaking to reporters
# after the meeting on Monday, Trump said …", "As the crowd waited, Clinton …".
_LONG_OPENING_WORDS = _OPENING_WORDS | frozenset(
    """as when while speaking asked addressing responding writing talking appearing asking following
    despite with""".split()
)


@lru_cache(maxsize=1)
def _capitalised_pair() -> "re.Pattern[str]":
    """Two capitalised words in a row; the second is read by a lookahead, so
    every word is also the first of the next pair."""
    return re.compile(r"([A-Z][\w’'\-]*)\s+(?=([A-Z][\w’'\-]*))")


# Lower-case words after a name that show it is not (the whole of) the subject.
_NOT_VERBS = frozenset("and or nor who whose whom which that than as of to with".split())
# Words that open place names, never a person's: "New Hampshire", "San Antonio".
_PLACE_PREFIXES = frozenset("New Los Las San Santa Fort Des Port Mount Nova Costa Puerto North South East West".split())
# US states the name list also knows as first names.
_STATES_AS_FIRST_NAMES = frozenset("florida nevada virginia georgia carolina dakota indiana montana".split())
# Titles written short before a name ("Gov. Rick Scott"), kept apart by their dot.
_ABBREVIATED_TITLES = frozenset("Gov Sen Rep Lt Gen Supt Atty".split())
# More capitalised words of titles: "Senate Majority Leader", "Chief of Staff".
_MORE_TITLE_WORDS = frozenset(
    """Majority Minority Ranking Speaker Intelligence Staff Whip Comedian Activist Host Anchor
    Columnist Correspondent Member Delegate Businessman Businesswoman Billionaire Pastor
    Rapper Commentator Strategist Pollster Chair Vice-President""".split()
)
_NATIONALITY_ENDINGS = ("ian", "ese", "ish", "can", "ean", "ic", "i", "ch")
_LOCATIVE = frozenset("in at from to into across throughout near via towards toward of".split())


#: The census first names grouped by sex, one group a line (``m``, ``f``,
#: ``u``, ``w``, a tab, the names), made from ``first_names.tsv`` by
#: scripts/make_first_names.py: a dictionary is built from it with one
#: ``dict.fromkeys`` per line, several times faster than from the TSV.
NAMES_BY_SEX_FILE = "first_names_by_sex.txt"


@lru_cache(maxsize=1)
def _names_by_sex() -> dict[str, list[str]]:
    """Sex (``m``, ``f``, ``u`` or ``w``) -> the lower-case census first names
    of that sex (read once, lazily)."""
    try:
        # Read beside the package: importing importlib.resources costs
        # more than reading the table, on a cold start.
        text = (Path(__file__).parent.parent / "data" / NAMES_BY_SEX_FILE).read_text(encoding="utf-8")
    except OSError:  # installed in a zip: only the resource API can read it
        from importlib import resources

        text = resources.files("copydesk").joinpath("data", NAMES_BY_SEX_FILE).read_text(encoding="utf-8")
    groups: dict[str, list[str]] = {}
    for line in text.split("\n"):
        if line and not line.startswith("#"):
            sex, _, names = line.partition("\t")
            groups[sex] = names.split()
    return groups


@lru_cache(maxsize=1)
def _name_table() -> dict[str, str]:
    """Lower-case census first name -> ``m``, ``f``, ``u`` or ``w`` (loaded once, lazily)."""
    table = dict(first_names())
    table.update(dict.fromkeys(_names_by_sex().get("w", ()), "w"))
    return table


@lru_cache(maxsize=1)
def first_names() -> dict[str, str]:
    """Lower-case first name -> ``m``, ``f`` or ``u``: the names that make a
    capitalised word a first name."""
    groups = _names_by_sex()
    names: dict[str, str] = {}
    for sex in ("m", "f", "u"):
        names.update(dict.fromkeys(groups.get(sex, ()), sex))
    return names


def census_first_name(word: str) -> bool:
    """Any first name of the census lists, including those that are also
    everyday words ("Bill", "Will"): before a surname, it may be a first name."""
    return word.lower() in _name_table()


def first_name_gender(name: str) -> Gender | None:
    sex = first_names().get(name.lower())
    return "male" if sex == "m" else "female" if sex == "f" else None


class Mention(Record):
    """A span of the text that names (or describes) a person."""

    __slots__ = ("start", "end", "text", "entity", "kind")
    start: int
    end: int
    text: str
    entity: int
    kind: MentionKind

    def __init__(self, start: int, end: int, text: str, entity: int, kind: MentionKind) -> None:
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "text", text)
        set_field(self, "entity", entity)
        set_field(self, "kind", kind)


class Entity:
    """One person, with every mention of them and their grammatical gender."""

    _fields = ("id", "name", "surname", "first", "gender", "gender_source", "titles", "mentions")
    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __init__(
        self,
        id: int,
        name: str,
        surname: str,
        first: str | None = None,
        gender: Gender | None = None,
        gender_source: str | None = None,
        titles: list[tuple[str, ...]] | None = None,
        mentions: list[Mention] | None = None,
    ) -> None:
        self.id = id
        self.name = name
        self.surname = surname
        self.first = first
        self.gender = gender
        #: Where the gender came from: "honorific", "first-name" or "pronoun".
        self.gender_source = gender_source
        self.titles: list[tuple[str, ...]] = [] if titles is None else titles
        self.mentions: list[Mention] = [] if mentions is None else mentions

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return all(getattr(self, name) == getattr(other, name) for name in self._fields)
        return NotImplemented

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"Entity({fields})"


class PronounReference(Record):
    """A gendered pronoun outside quotations and the person it must mean.

    ``referent`` is the entity id it must refer to (``None`` when the text
    does not settle it); ``mention`` the mention it refers back to;
    ``conflict`` is true when its gender conflicts with that person and
    nothing else in the story could explain it.
    """

    __slots__ = (
        "start", "end", "text", "gender", "role", "referent", "mention", "conflict", "reason", "referent_gender",
    )
    start: int
    end: int
    text: str
    gender: Gender
    role: PronounRole
    referent: int | None
    mention: Mention | None
    conflict: bool
    reason: str
    #: The gender of the person meant, when the text settles it.
    referent_gender: Gender | None

    def __init__(
        self,
        start: int,
        end: int,
        text: str,
        gender: Gender,
        role: PronounRole,
        referent: int | None = None,
        mention: Mention | None = None,
        conflict: bool = False,
        reason: str = "",
        referent_gender: Gender | None = None,
    ) -> None:
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "text", text)
        set_field(self, "gender", gender)
        set_field(self, "role", role)
        set_field(self, "referent", referent)
        set_field(self, "mention", mention)
        set_field(self, "conflict", conflict)
        set_field(self, "reason", reason)
        set_field(self, "referent_gender", referent_gender)

    def replacement(self) -> str:
        """The matching pronoun of the other gender, in the same case."""
        word = self.text.lower()
        if word == "her":
            swapped = "him"  # decided by the caller when it can tell possessive use
        else:
            swapped = _SWAP[word]
        return match_case(swapped, self.text)


def match_case(word: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


class PeopleAnalysis(Record):
    __slots__ = ("mentions", "entities", "pronouns", "speakers", "possible_people", "_starts")
    _fields = ("mentions", "entities", "pronouns", "speakers", "possible_people")
    mentions: tuple[Mention, ...]
    entities: tuple[Entity, ...]
    pronouns: tuple[PronounReference, ...]
    #: Quotation index -> entity id of its speaker, as far as the text says.
    speakers: dict[int, int]
    #: Spans of capitalised names that may be people of unknown gender.
    possible_people: tuple[tuple[int, int], ...]

    def __init__(
        self,
        mentions: tuple[Mention, ...],
        entities: tuple[Entity, ...],
        pronouns: tuple[PronounReference, ...],
        speakers: dict[int, int],
        possible_people: tuple[tuple[int, int], ...] = (),
    ) -> None:
        set_field(self, "mentions", mentions)
        set_field(self, "entities", entities)
        set_field(self, "pronouns", pronouns)
        set_field(self, "speakers", speakers)
        set_field(self, "possible_people", possible_people)
        set_field(self, "_starts", [m.start for m in mentions])

    def mention_at(self, offset: int) -> Mention | None:
        index = bisect_right(self._starts, offset) - 1
        if index >= 0 and offset < self.mentions[index].end:
            return self.mentions[index]
        return None

    def entity(self, entity_id: int) -> Entity:
        return self.entities[entity_id]

    def speaker_of(self, quotation: "Quotation") -> Entity | None:
        entity_id = self.speakers.get(quotation.index)
        return None if entity_id is None else self.entities[entity_id]

    @property
    def conflicts(self) -> tuple[PronounReference, ...]:
        return tuple(p for p in self.pronouns if p.conflict)


# -- finding mentions ----------------------------------------------------------


def _is_capitalised_word(text: str) -> bool:
    """Capitalised, and not an acronym such as "US" or "BBC"."""
    return text[0].isupper() and not (len(text) > 1 and text.isupper() and text not in _HONORIFIC_FORMS)


def _strip_possessive(text: str) -> str:
    for suffix in ("’s", "'s"):
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


class _Builder:
    def __init__(self, doc: "Document") -> None:
        self.doc = doc
        self.prose = doc.prose
        self.entities: list[Entity] = []
        self.mentions: list[Mention] = []
        self.possible: list[tuple[int, int]] = []
        self.by_surname: dict[str, list[Entity]] = {}
        self.sentence_starts = {s.start for s in doc.sentences}
        self._lower_words: frozenset[str] | None = None
        #: What each paragraph's text alone decides (None: scan the whole prose).
        #: Each paragraph's text, sliced once (every memo keeps the same
        #: string), and what it alone decides; None: scan the whole prose.
        self.paragraph_texts = _paragraph_texts(doc)
        self.scans = None if self.paragraph_texts is None else [_scan(text) for text in self.paragraph_texts]

    def run_items(self) -> list[tuple[int, tuple[_RunItem, ...]]]:
        """Each paragraph's start and the runs of capitalised words in it
        (offsets relative to that start), or the whole prose's from 0."""
        if self.scans is None:
            return [(0, _run_items(self.prose))]
        return [(paragraph.start, runs) for paragraph, (runs, _) in zip(self.doc.paragraphs, self.scans)]

    def build(self) -> None:
        from copydesk.document import Token

        leftovers: list[list[Token] | tuple[int, _RunItem]] = []
        for base, items in self.run_items():
            for item in items:
                words, foundation = item[0], item[1]
                if len(words) == 1:
                    leftovers.append((base, item))  # made a token only if it may be a person
                    continue
                run = [Token(base + start, base + end, text) for start, end, text in words]
                if foundation is None:
                    leftovers.append(run)
                    continue
                j, start, low, high, first, gender, source, kind = foundation
                self._add(run, j, base + start, run[low:high], first, gender, source, kind)
        surnames: dict[str, list[Entity]] = {}
        for entity in self.entities:
            surnames.setdefault(entity.surname, []).append(entity)
        firsts: dict[str, list[Entity]] = {}
        for entity in self.entities:
            if entity.first:
                firsts.setdefault(entity.first, []).append(entity)
        for leftover in leftovers:
            if isinstance(leftover, tuple):
                base, (words, _, name, known_first_name, acts) = leftover
                start, end, text = words[0]
                word = Token(base + start, base + end, text)
                if name not in surnames and name not in firsts and not known_first_name:
                    if not (acts if acts is not None else self._acts(word)):
                        continue  # a place, a thing, a sentence opener: no person
                self._link([word], surnames, firsts)
            else:
                self._link(leftover, surnames, firsts)
        self._roles()
        self.mentions.sort(key=lambda m: m.start)
        for entity in self.entities:
            entity.mentions.sort(key=lambda m: m.start)

    def _add(
        self,
        run: list["Token"],
        j: int,
        start: int,
        name_tokens: list["Token"],
        first: str | None,
        gender: Gender | None,
        source: str | None,
        kind: MentionKind,
    ) -> None:
        last = name_tokens[-1]
        surname = _strip_possessive(last.text)
        end = last.end - (len(last.text) - len(surname))
        title = tuple(t.text.lower() for t in run[:j] if t.text not in _NOT_NAME)
        entity = self._match(surname, first, gender)
        if entity is None:
            entity = Entity(len(self.entities), self.prose[name_tokens[0].start : end], surname, first, gender, source)
            self._register(entity)
        else:
            if first and not entity.first:
                entity.first = first
                entity.name = self.prose[name_tokens[0].start : end]
            if gender and (entity.gender is None or source == "honorific" and entity.gender_source != "honorific"):
                entity.gender, entity.gender_source = gender, source
        if title and title not in entity.titles:
            entity.titles.append(title)
        mention = Mention(start, end, self.prose[start:end], entity.id, kind)
        entity.mentions.append(mention)
        self.mentions.append(mention)

    def _register(self, entity: Entity) -> None:
        self.entities.append(entity)
        self.by_surname.setdefault(entity.surname, []).append(entity)

    def _match(self, surname: str, first: str | None, gender: Gender | None) -> Entity | None:
        for entity in reversed(self.by_surname.get(surname, ())):
            if first and entity.first and first != entity.first:
                continue
            if gender and entity.gender and gender != entity.gender:
                continue
            return entity
        return None

    def _link(self, run: list["Token"], surnames: dict[str, list[Entity]], firsts: dict[str, list[Entity]]) -> None:
        """Link a run to a person already found, by surname or first name.

        A surname (or first name) shared by several people ("Ozzy and
        Sharon Osbourne") links nowhere: it may be either of them.
        """
        last = run[-1]
        name = _strip_possessive(last.text)
        end = last.end - (len(last.text) - len(name))
        full_name = len(run) > 1 and _could_be_first_name(run[-2].text) and not self._capitalised_word(run[-2])
        kind: MentionKind = "full-name" if full_name else "surname"
        candidates = surnames.get(name, [])
        if full_name:
            first = run[-2].text
            candidates = [e for e in candidates if e.first in (None, first)]
        elif not candidates and len(run) == 1:
            candidates, kind = firsts.get(name, []), "first-name"
        entity = candidates[0] if len(candidates) == 1 else None
        if entity is not None and entity.mentions[0].start > last.start and not full_name:
            # "Pratt claims … Pratt is the sister of Spencer Pratt": a surname
            # before anyone of that name is introduced may be someone else.
            entity = None
        if entity is None and full_name and not candidates and surnames.get(name):
            # "Ozzy Osbourne" beside "Sharon Osbourne": another person of the
            # same surname, gender unknown unless the name list knows it.
            first = run[-2].text
            gender = first_name_gender(first)
            entity = Entity(len(self.entities), self.prose[run[-2].start : end], name, first, gender,
                            "first-name" if gender else None)
            self._register(entity)
            surnames[name].append(entity)
        if entity is None:
            self._maybe_person(run, shared=len(candidates) > 1 or bool(surnames.get(name)))
            return
        start = run[-2].start if full_name else last.start
        if full_name and not entity.first:
            # "Keir Giles", "Sergey Lavrov": the word before a known surname
            # is a first name, even one the name list lacks.
            entity.first = run[-2].text
            entity.name = self.prose[start:end]
        title = tuple(t.text.lower() for t in run if t.start < start and t.text not in _NOT_NAME)
        if title and title not in entity.titles:
            entity.titles.append(title)
        mention = Mention(start, end, self.prose[start:end], entity.id, kind)
        entity.mentions.append(mention)
        self.mentions.append(mention)

    def _capitalised_word(self, token: "Token") -> bool:
        """A title or an ordinary word capitalised to open a sentence: "Former
        Carson", "Then Trump" are not first names before a surname."""
        if token.text in _TITLE_WORDS:
            return True
        if token.start not in self.sentence_starts:
            return False
        return self.everyday_word(token.text)

    def everyday_word(self, word: str) -> bool:
        """The story also uses the word in lower case."""
        if self._lower_words is None:
            if self.scans is None:
                self._lower_words = _lower_words(self.prose)
            else:
                self._lower_words = frozenset().union(
                    *(_memoised_lower_words(text) for text in self.paragraph_texts)  # type: ignore[union-attr]
                )
        return word.lower() in self._lower_words

    def _maybe_person(self, run: list["Token"], shared: bool = False) -> None:
        """Record capitalised runs that may name a person of unknown gender."""
        words = [t for t in run if t.text not in _NOT_NAME]
        if shared and words:
            self.possible.append((words[-1].start, words[-1].end))
            return
        if not words or any(t.text in _ORG_WORDS or t.text in _ABBREVIATED_TITLES or _is_role(t.text) for t in words):
            return
        if len(words) > 1 and words[0].text in _PLACE_PREFIXES:
            return  # "New Hampshire", "Los Angeles", "Fort Pierce"
        if len(words) == 1:
            word = words[0]
            before = self.prose[max(0, word.start - 12) : word.start].split()
            if before and before[-1].lower() in _LOCATIVE:
                return
            if word.text.lower() in _STATES_AS_FIRST_NAMES and not self._acts(word):
                return  # "Florida" alone is the state unless it says or does something
            if word.text.lower() not in first_names() and not self._acts(word):
                return
        self.possible.append((words[0].start, words[-1].end))

    def _acts(self, token: "Token") -> bool:
        """A lone capitalised word used like a person: "Pratt claims", "Eno comments"."""
        return bool(_acts_in(self.prose, token.end, token.text))

    def _roles(self) -> None:
        """Link "the foreign minister" to the entity whose title ends that way."""
        by_suffix: dict[tuple[str, ...], list[Entity]] = {}
        for entity in self.entities:
            for title in entity.titles:
                for k in range(1, len(title) + 1):
                    holders = by_suffix.setdefault(title[-k:], [])
                    if not holders or holders[-1] is not entity:
                        holders.append(entity)
        if not by_suffix:
            return
        starts = {e.id: sorted(m.start for m in e.mentions) for e in self.entities}
        prose = self.prose
        found: list[Mention] = []
        for paragraph in self.doc.paragraphs:
            if self.scans is None:
                roles = _role_mentions(prose, paragraph.start, paragraph.end)
                base = 0
            else:
                roles = _memoised_role_mentions(self.paragraph_texts[paragraph.index])  # type: ignore[index]
                base = paragraph.start
            for start, end, text, words in roles:
                start += base
                best: tuple[int, Entity] | None = None
                for entity in by_suffix.get(words, ()):
                    index = bisect_right(starts[entity.id], start - 1) - 1
                    if index >= 0 and (best is None or starts[entity.id][index] > best[0]):
                        best = (starts[entity.id][index], entity)
                if best is not None:
                    mention = Mention(start, base + end, text, best[1].id, "role")
                    best[1].mentions.append(mention)
                    found.append(mention)
        self.mentions.extend(found)

    def add_speaker(self, start: int, end: int) -> Entity | None:
        """An attributed speaker no pass recognised: a person of unknown gender."""
        text = _strip_possessive(self.prose[start:end])
        words = text.split()
        if not words or any(w in _ORG_WORDS for w in words) or words[0] in _NOT_NAME:
            return None
        surname = words[-1]
        entity = self._match(surname, words[0] if len(words) > 1 else None, None)
        if entity is None:
            entity = Entity(len(self.entities), text, surname, words[0] if len(words) > 1 else None)
            self._register(entity)
        mention = Mention(start, start + len(text), text, entity.id, "speaker")
        entity.mentions.append(mention)
        self.mentions.append(mention)
        return entity


def analyse_people(doc: "Document") -> PeopleAnalysis:
    """Find person mentions, group them, and link gendered pronouns."""
    builder = _Builder(doc)
    builder.build()
    quotes = doc.quotes
    mention_starts = [m.start for m in builder.mentions]

    def mention_in(start: int, end: int) -> Mention | None:
        index = bisect_right(mention_starts, end - 1) - 1
        while index >= 0 and builder.mentions[index].end > start:
            mention = builder.mentions[index]
            if mention.start < end:
                return mention
            index -= 1
        return None

    # Attributed speakers found by no name pass ("according to Keir Giles").
    added = False
    for quotation in quotes.quotations:
        attribution = quotation.attribution
        if attribution and attribution.kind in ("name", "according-to"):
            if mention_in(attribution.who_start, attribution.who_end) is None:
                if builder.add_speaker(attribution.who_start, attribution.who_end):
                    added = True
    for match in _ACCORDING_TO.finditer(doc.prose) if "ccording to" in doc.prose else ():
        if mention_in(match.start(1), match.end(1)) is None and builder.add_speaker(match.start(1), match.end(1)):
            added = True
    if added:
        builder.mentions.sort(key=lambda m: m.start)
        mention_starts = [m.start for m in builder.mentions]
        for entity in builder.entities:
            entity.mentions.sort(key=lambda m: m.start)
        builder.possible = [p for p in builder.possible if mention_in(p[0], p[1]) is None]

    return _Resolver(doc, builder, quotes).resolve()


_ACCORDING_TO = LazyRegex(r"[Aa](?<!\w\w)ccording to ((?:Mr|Mrs|Ms|Dr)\.? [A-Z][\w’'\-]*|[A-Z][\w’'\-]*(?: [A-Z][\w’'\-]*){1,2})")


# -- what a paragraph's text alone decides, memoised ----------------------------


def _capitalised_runs(text: str) -> list[tuple[tuple[int, int, str], ...]]:
    """Runs of capitalised words (start, end, word) in ``text``, split where
    anything but one space (or the dot of an honorific or an initial) lies
    between two of them."""
    runs: list[tuple[tuple[int, int, str], ...]] = []
    for match in _CAPITALISED_RUN.finditer(text):
        run_text = match.group()
        if " " not in run_text:
            # One word: most are sentence openers, kept only when they
            # could name someone, so the common case costs one lookup.
            # (_is_capitalised_word inlined: this runs for every capitalised word.)
            if run_text not in _NOT_NAME and not (
                len(run_text) > 1 and run_text.isupper() and run_text not in _HONORIFIC_FORMS
            ):
                runs.append(((match.start(), match.end(), run_text),))
            continue
        current: list[tuple[int, int, str]] = []
        for word in _CAPITALISED.finditer(text, match.start(), match.end()):
            word_text = word.group()
            if not _is_capitalised_word(word_text):
                if current:
                    runs.append(tuple(current))
                    current = []
                continue
            if current:
                _, previous_end, previous_text = current[-1]
                gap = text[previous_end : word.start()]
                joined = gap == " " or (
                    gap == ". " and (previous_text in _HONORIFIC_FORMS or len(previous_text) == 1)
                )
                if not joined or previous_text.endswith(("’s", "'s")):
                    runs.append(tuple(current))
                    current = []
            current.append((word.start(), word.end(), word_text))
        if current:
            runs.append(tuple(current))
    return runs


#: A watched word: (start, end, gender as a pronoun, gender as a noun).
_Watched = tuple[int, int, "Gender | None", "Gender | None"]


def _watched_words(lowered: str, pattern: LazyRegex = _WATCHED) -> list[_Watched]:
    """Gendered pronouns and nouns ("his wife") in lower-cased text."""
    found: list[_Watched] = []
    for match in pattern.finditer(lowered):
        word = match.group().lower()
        pronoun = _PRONOUNS.get(word)
        noun = _GENDERED_NOUNS.get(match.group(1).lower()) if pronoun is None and match.group(1) else None
        # Kept even when neither: every match is a point where the walk
        # over the text catches up with mentions and quotations.
        found.append((match.start(), match.end(), pronoun, noun))
    return found


#: A run of capitalised words: its words (start, end, text); how it founds
#: a person (see _foundation), if it does; and for a one-word run its name
#: without a possessive, whether the name list knows it, and whether the
#: word acts like a person (None: the next word lies beyond the text).
_RunItem = tuple[tuple[tuple[int, int, str], ...], "tuple | None", "str | None", bool, "bool | None"]


def _run_items(text: str) -> tuple[_RunItem, ...]:
    """The runs of capitalised words in ``text`` that may name someone,
    judged as far as ``text`` alone can judge them."""
    names = first_names()
    items: list[_RunItem] = []
    for run in _capitalised_runs(text):
        if len(run) > 1:
            items.append((run, _foundation(text, run), None, False, None))
            continue
        start, end, word = run[0]
        if word in _NOT_NAME or word in _ABBREVIATED_TITLES:
            continue
        name = _strip_possessive(word)
        items.append((run, None, name, name.lower() in names, _acts_in(text, end, word)))
    return tuple(items)


def _foundation(text: str, run: tuple[tuple[int, int, str], ...]) -> tuple | None:
    """How a run holding an honorific or a first name founds (or extends) a
    person: (index of the name's first word, mention start, slice of the
    name's words, first name, gender, its source, mention kind); None when
    it founds nobody."""
    names = first_names()
    for j, (start, _, word) in enumerate(run):
        if word in _HONORIFIC_FORMS and j + 1 < len(run):
            name_words = run[j + 1 : j + 4]
            first = name_words[0][2] if len(name_words) > 1 else None
            gender = HONORIFICS[word.lower()]
            source = "honorific" if gender else None
            if gender is None and first is not None:
                gender = first_name_gender(first)
                source = "first-name" if gender else None
            return (j, start, j + 1, j + 4, first, gender, source, "honorific")
        if word in _NOT_NAME or word.lower() not in names:
            continue
        if _place_not_name(run, j):
            return None
        if j + 1 < len(run):
            rest = run[j + 1 : j + 4]
            if any(t[2] in _ORG_WORDS for t in rest) or (j == 0 and text[max(0, start - 4) : start].lower() == "the "):
                return None
            before = [t[2] for t in run[:j] if t[2] not in _NOT_NAME]
            if any(not _title_like(w) for w in before):
                # "Almira Hart Lincoln Phelps": the name starts before the
                # listed first name, so that name says nothing of gender.
                k = next(n for n, t in enumerate(run) if t[2] not in _NOT_NAME)
                return (k, run[k][0], k, j + 4, run[k][2], None, None, "full-name")
            gender = first_name_gender(word)
            return (j, start, j, j + 4, word, gender, "first-name" if gender else None, "full-name")
    return None


def _place_not_name(run: tuple[tuple[int, int, str], ...], j: int) -> bool:
    """"North Carolina Saturday", "Florida Gov. Rick Scott": a state that is
    also a first name, told apart by the words around it."""
    if run[j][2].lower() not in _STATES_AS_FIRST_NAMES:
        return False
    if j > 0 and run[j - 1][2] in _PLACE_PREFIXES:
        return True
    after = run[j + 1][2] if j + 1 < len(run) else ""
    return after in _NOT_NAME or after in _TITLE_WORDS or after in _ABBREVIATED_TITLES or _is_role(after)


def _acts_in(text: str, end: int, word: str) -> bool | None:
    """A lone capitalised word used like a person ("Pratt claims"), or None
    when no word follows it in ``text``."""
    if word.endswith(_NATIONALITY_ENDINGS):
        return False  # "Russian claims", "American writes": adjectives
    after = text[end : end + 24].split(maxsplit=2)
    return after[0] in _PERSON_VERBS if after else None


#: Capitalised runs and watched words of one paragraph, offsets relative
#: to its start: (runs, watched). ``watched`` is None when lower-casing the
#: paragraph moves offsets (a few Unicode letters lower to two). A plain
#: tuple: the collector can stop tracking it, and a NamedTuple class costs
#: a sixth of a millisecond to create at import.
_ParagraphScan = tuple[tuple[_RunItem, ...], "tuple[_Watched, ...] | None"]


# Scans depend on the paragraph's text alone: done once per distinct
# paragraph, so a keystroke re-scans only the paragraph it changed.
_SCANS: LRU[_ParagraphScan] = LRU(4096)
#: False scans the whole prose at once, memoising nothing: the reference
#: the memoised analysis is tested against.
_memoise = True


def _scan(text: str) -> _ParagraphScan:
    scan = _SCANS.get(text)
    if scan is None:
        lowered = text.lower()
        watched = tuple(_watched_words(lowered)) if len(lowered) == len(text) else None
        scan = (_run_items(text), watched)
        _SCANS.put(text, scan)
    return scan


#: "the foreign minister": (start, end, text, its lower-case words after "the").
_RoleMention = tuple[int, int, str, tuple[str, ...]]


def _role_mentions(text: str, start: int, end: int) -> tuple[_RoleMention, ...]:
    return tuple(
        (m.start(), m.end(), m.group(), tuple(m.group(1).lower().split()))
        for m in _ROLE_MENTION.finditer(text, start, end)
    )


_ROLE_SCANS: LRU[tuple[_RoleMention, ...]] = LRU(4096)


def _memoised_role_mentions(text: str) -> tuple[_RoleMention, ...]:
    """Role mentions of a paragraph's text, offsets relative to it (scanned
    only in stories where someone has a title, so apart from _scan)."""
    found = _ROLE_SCANS.get(text)
    if found is None:
        found = _role_mentions(text, 0, len(text))
        _ROLE_SCANS.put(text, found)
    return found


_LOWER_WORD = LazyRegex(r"(?<![\w’'])[a-z]+(?![\w’'])")


def _lower_words(text: str) -> frozenset[str]:
    """The words ``text`` writes in lower case."""
    return frozenset(_LOWER_WORD.findall(text))


_LOWER_WORD_SCANS: LRU[frozenset[str]] = LRU(4096)


def _memoised_lower_words(text: str) -> frozenset[str]:
    words = _LOWER_WORD_SCANS.get(text)
    if words is None:
        words = _lower_words(text)
        _LOWER_WORD_SCANS.put(text, words)
    return words


#: "the poet", "a friend": offsets of the nouns in a paragraph's lower-cased text.
_PERSON_NOUN_SCANS: LRU[tuple[int, ...]] = LRU(4096)


def _person_nouns(doc: "Document", lowered: str, texts: list[str]) -> list[int]:
    """Offsets of the nouns in "the poet", "a friend" in the prose, whose
    lower-cased form ``lowered`` keeps every offset; paragraph by paragraph
    from the memo (``texts``: the paragraphs' texts), plus any "the" ending
    one paragraph before a noun opening the next."""
    nouns: list[int] = []
    previous_end = -1
    for paragraph in doc.paragraphs:
        if previous_end >= 0:
            nouns.extend(_person_noun_across(lowered, previous_end, paragraph.start))
        text = texts[paragraph.index]
        found = _PERSON_NOUN_SCANS.get(text)
        if found is None:
            found = tuple(m.start(1) for m in _PERSON_NOUN.finditer(text.lower()))
            _PERSON_NOUN_SCANS.put(text, found)
        base = paragraph.start
        nouns.extend(base + offset for offset in found)
        previous_end = paragraph.end
    return nouns


def _person_noun_across(lowered: str, previous_end: int, start: int) -> tuple[int, ...]:
    """The noun opening the paragraph at ``start`` after a determiner ending
    the paragraph before ("… a\n\nfriend"), as one scan of the whole text finds it."""
    word_start = previous_end
    while word_start > previous_end - 8 and lowered[word_start - 1].isalpha():
        word_start -= 1
    if word_start == previous_end:
        return ()
    match = _PERSON_NOUN.match(lowered, word_start)
    return (match.start(1),) if match and match.start(1) >= start else ()


def clear_memos() -> None:
    """Forget paragraphs seen before (benchmarks time a cold start with it)."""
    for memo in (_SCANS, _ROLE_SCANS, _PERSON_NOUN_SCANS, _LOWER_WORD_SCANS):
        memo.clear()


def _paragraph_texts(doc: "Document") -> list[str] | None:
    """Each paragraph's text, when the paragraphs hold all the prose's text
    and whitespace parts them (so no run or word crosses a paragraph
    boundary and scanning paragraph by paragraph finds what scanning the
    whole prose would); None otherwise."""
    if not _memoise:
        return None
    prose = doc.prose
    position = 0
    texts: list[str] = []
    for paragraph in doc.paragraphs:
        gap_is_space = prose[position : paragraph.start].isspace()
        if not gap_is_space and not paragraph.start == position == 0:
            return None
        texts.append(prose[paragraph.start : paragraph.end])
        position = paragraph.end
    if position < len(prose) and not prose[position:].isspace():
        return None
    return texts


# -- pronouns and speakers ---------------------------------------------------------


class _Resolver:
    def __init__(self, doc: "Document", builder: _Builder, quotes: "QuoteAnalysis") -> None:
        self.doc = doc
        self.prose = doc.prose
        self.builder = builder
        self.quotes = quotes
        self.mentions = builder.mentions
        self.mention_starts = [m.start for m in self.mentions]
        self.entities = builder.entities
        self.entity_starts = {e.id: [m.start for m in e.mentions] for e in self.entities}
        self.sentence_starts = [s.start for s in doc.sentences]
        self._shared_surnames: dict[int, bool] = {}
        self._capitalised_before: dict[str, set[str]] | None = None

    def resolve(self) -> PeopleAnalysis:
        quotes = self.quotes
        mentions = self.mentions
        attribution_pronouns = {
            q.attribution.who_start: q
            for q in quotes.quotations
            if q.attribution and q.attribution.kind == "pronoun" and q.attribution.who.lower() in ("he", "she")
        }
        # Walk the text once, in order: mentions outside quotations and
        # named attributions move the current speaker; pronouns read it.
        speakers: dict[int, int] = {}
        #: Attribution pronoun offset -> the mention that made its referent
        #: the current speaker (as a subject or a quote's source), and its quote.
        self.made_speaker: dict[int, tuple[Mention, "Quotation"]] = {}
        pending: list[tuple[int, int, str, Gender, PronounRole, int | None, int]] = []
        nouns: dict[Gender, list[int]] = {"male": [], "female": []}
        #: Pronouns inside quotations, written "he" or "He": whom the quotes speak of.
        self.quoted_pronouns: dict[Gender, list[int]] = {"male": [], "female": []}
        self.possible_starts = sorted(p[0] for p in self.builder.possible)
        # "The poet", "a friend": scanned for only when a pronoun's judgement
        # gets that far, which most stories never do.
        self._person_nouns: list[int] | None = None
        watched_words = self._watched_words()
        current: Mention | None = None
        latest: Mention | None = None
        current_paragraph = -1
        mention_index = 0
        outer = [q for q in quotes.quotations if q.depth == 0]
        quotation_index = 0
        # Only the words that matter are visited: pronouns and gendered nouns.
        for offset, match_end, gender, noun in watched_words:
            while mention_index < len(mentions) and mentions[mention_index].start <= offset:
                mention = mentions[mention_index]
                mention_index += 1
                if quotes.inside(mention.start):
                    continue
                latest = mention
                if self._sets_speaker(mention):
                    current = mention
                    current_paragraph = self._paragraph_index(mention.start)
            while quotation_index < len(outer) and outer[quotation_index].outer_start <= offset:
                quotation = outer[quotation_index]
                quotation_index += 1
                current, current_paragraph = self._speaker_at(quotation, current, current_paragraph, speakers)
            if gender is None:
                if noun is not None:
                    nouns[noun].append(offset)
                continue
            text = self.prose[offset:match_end]
            if quotes.inside(offset):
                if text[1:].islower():
                    self.quoted_pronouns[gender].append(offset)
                continue
            quotation = attribution_pronouns.get(offset)
            if quotation is not None:
                referent = None
                if current is not None and quotation.paragraph - current_paragraph <= 2:
                    referent = current.entity
                    self.made_speaker[offset] = (current, quotation)
                    current_paragraph = quotation.paragraph  # the speaker goes on speaking
                elif (
                    latest is not None
                    and quotation.paragraph - self._paragraph_index(latest.start) <= 1
                    and self._only_person_in_sentence(latest)
                ):
                    # No subject or source lately: the last person named, when
                    # nothing else in that sentence could be a name.
                    referent = latest.entity
                if referent is not None:
                    speakers.setdefault(quotation.index, referent)
                if referent is not None and self._named_in(referent, quotation):
                    referent = None  # “To Hillary Clinton, … don’t matter,” he wrote: not her words
                pending.append((offset, match_end, text, gender, "attribution", referent, quotation.paragraph))
            else:
                pending.append((offset, match_end, text, gender, "reference", None, -1))
        for quotation in outer[quotation_index:]:
            current, current_paragraph = self._speaker_at(quotation, current, current_paragraph, speakers)

        self.pronoun_votes = self._pronoun_genders(pending, nouns)
        self.pronoun_offsets: dict[Gender, list[int]] = {"male": [], "female": []}
        for item in pending:
            self.pronoun_offsets[item[3]].append(item[0])
        inside = self.quotes.inside
        self.everywhere = _Blockers(self, mentions, self.builder.possible, nouns, self.person_nouns)
        # For attributions, what the quotes themselves name does not count:
        # “I like Hillary,” he said -- Hillary is not who is speaking.
        self.outside_quotes = _Blockers(
            self,
            [m for m in mentions if not inside(m.start)],
            [p for p in self.builder.possible if not inside(p[0])],
            {g: [o for o in offsets if not inside(o)] for g, offsets in nouns.items()},
            lambda: [o for o in self.person_nouns() if not inside(o)],
        )
        try:
            pronouns = tuple(self._judge(item) for item in pending)
        finally:
            # The blockers call back into this resolver (for person nouns),
            # a cycle: broken here, the resolver and the document it holds
            # are freed when the analysis is done, not by the collector.
            del self.everywhere, self.outside_quotes
        return PeopleAnalysis(
            mentions=tuple(mentions),
            entities=tuple(self.entities),
            pronouns=pronouns,
            speakers=speakers,
            possible_people=tuple(self.builder.possible),
        )

    def _speaker_at(
        self, quotation: "Quotation", current: Mention | None, current_paragraph: int, speakers: dict[int, int]
    ) -> tuple[Mention | None, int]:
        named = self._named_speaker(quotation)
        if named is not None:
            speakers[quotation.index] = named.entity
            return named, quotation.paragraph
        if current is not None and quotation.paragraph - current_paragraph <= 2:
            speakers[quotation.index] = current.entity
            if quotation.attribution is not None and quotation.attribution.kind == "carried":
                return current, quotation.paragraph
        return current, current_paragraph

    def _only_person_in_sentence(self, mention: Mention) -> bool:
        """No capitalised word but the first precedes the mention in its sentence."""
        index = bisect_right(self.sentence_starts, mention.start) - 1
        sentence_start = self.sentence_starts[index] if index >= 0 else 0
        words = self.prose[max(sentence_start, mention.start - 300) : mention.start].split()
        return not any(word[:1].isupper() for word in words[1:])

    def _named_in(self, entity_id: int, quotation: "Quotation") -> bool:
        """The quotation speaks of the person in the third person."""
        starts = self.entity_starts[entity_id]
        index = bisect_right(starts, quotation.start - 1)
        return index < len(starts) and starts[index] < quotation.end

    def _paragraph_index(self, offset: int) -> int:
        paragraph = self.doc.paragraph_at(offset)
        return paragraph.index if paragraph else -1

    def _sets_speaker(self, mention: Mention) -> bool:
        """A mention becomes the current speaker as a sentence's subject or a source."""
        index = bisect_right(self.sentence_starts, mention.start) - 1
        sentence_start = self.sentence_starts[index] if index >= 0 else 0
        before = self.prose[max(sentence_start, mention.start - 60) : mention.start]
        if mention.start - sentence_start <= 40 and not any(ch in before for ch in ",;:") and _no_lower_words(before):
            return True
        if self._after_opening_phrase(mention, sentence_start):
            return True
        return before.rstrip().lower().endswith("according to")

    def _after_opening_phrase(self, mention: Mention, sentence_start: int) -> bool:
        """The subject after an opening phrase: "On Sunday, Trump went on the
        offensive", "Speaking to reporters in Salem on Monday, Trump said …".
        Only when a lower-case word (the verb) follows the name, so "On
        Sunday, Trump and Cruz …" or "Trump’s …" do not count. A longer phrase
        (up to 160 characters, commas allowed) must name no one else."""
        if mention.start - sentence_start > 160:
            return False
        opening = self.prose[sentence_start : mention.start]
        if not opening.endswith(", ") or any(ch in opening for ch in ";:\"“”"):
            return False
        words = opening.split()
        if not words:
            return False
        short = mention.start - sentence_start <= 40 and "," not in opening[:-2]
        if not (short and words[0].lower() in _OPENING_WORDS):
            if words[0].lower() not in _LONG_OPENING_WORDS or self._anyone_named_in(sentence_start, mention.start):
                return False
        following = self.prose[mention.end : mention.end + 20].split(maxsplit=1)
        if not following or not self.prose[mention.end : mention.end + 1].isspace():
            return False
        verb = following[0]
        return verb[:1].islower() and verb.isalpha() and verb not in _NOT_VERBS

    def _anyone_named_in(self, start: int, end: int) -> bool:
        return _any_in(self.mention_starts, start, end) or _any_in(self.possible_starts, start, end)

    def _named_speaker(self, quotation: "Quotation") -> Mention | None:
        attribution = quotation.attribution
        if attribution is None or attribution.kind in ("pronoun", "carried"):
            return None
        index = bisect_right(self.mention_starts, attribution.who_end - 1) - 1
        if index >= 0 and self.mentions[index].end > attribution.who_start:
            return self.mentions[index]
        return None

    def _pronoun_genders(
        self, pending: list, nouns: dict[Gender, list[int]]
    ) -> dict[int, Gender]:
        """Entities of unknown gender that pronouns give a gender: attribution
        pronouns that mean them, and pronouns later in a sentence that names
        only them ("Sanders said his campaign …").

        Attribution pronouns alone decide by any majority; once pronouns in
        the narrative count (right about 98 times in 100 on news copy), it
        takes at least two votes and twice as many for one gender."""
        # Per entity: male votes, female votes, votes from the narrative.
        votes: dict[int, list[int]] = {}
        #: Per entity, how many pronouns of each gender mean them (whatever
        #: gives their gender).
        self.pronoun_tallies: dict[int, dict[Gender, int]] = {}
        for start, _end, _text, gender, role, referent, _p in pending:
            if role == "reference":
                referent = self._sole_person_before(start, nouns)
            if referent is None:
                continue
            tallies = self.pronoun_tallies.setdefault(referent, {})
            tallies[gender] = tallies.get(gender, 0) + 1
            if self.entities[referent].gender is None:
                tally = votes.setdefault(referent, [0, 0, 0])
                tally[0 if gender == "male" else 1] += 1
                tally[2] += role == "reference"
        decided: dict[int, Gender] = {}
        for entity_id, (male, female, narrative) in votes.items():
            more, fewer = max(male, female), min(male, female)
            if more > fewer and (not narrative or (more >= 2 and more >= 2 * fewer)):
                decided[entity_id] = "male" if male > female else "female"
        return decided

    def _sole_person_before(self, offset: int, nouns: dict[Gender, list[int]]) -> int | None:
        """The person a pronoun at ``offset`` can only mean: the one person
        named earlier in its sentence, with no other name or person noun
        between them."""
        index = bisect_right(self.mention_starts, offset - 1) - 1
        if index < 0:
            return None
        mention = self.mentions[index]
        sentence_start = self._sentence_start(offset)
        if mention.start < sentence_start or offset - mention.end > 200 or self.quotes.inside(mention.start):
            return None
        between = self.prose[mention.end : offset]
        if any(ch in between for ch in "“”\"") or any(word[:1].isupper() for word in between.split()):
            return None
        if self.prose[mention.end : mention.end + 1] in ("’", "'") or not self._only_person_in_sentence(mention):
            return None  # "Sanders’s message … and she": the possessor need not be meant
        if not self._sets_speaker(mention):
            return None
        if _any_in(self.person_nouns(), sentence_start, offset) or any(_any_in(n, sentence_start, offset) for n in nouns.values()):
            return None
        if _any_in(self.possible_starts, sentence_start, offset):
            return None
        return mention.entity

    def _watched_words(self) -> list[_Watched]:
        """Pronouns and gendered nouns of the whole prose, in order: from the
        paragraphs' memoised scans when they have them all."""
        scans = self.builder.scans
        if scans is not None and all(watched is not None for _, watched in scans):
            words: list[_Watched] = []
            for paragraph, (_, watched) in zip(self.doc.paragraphs, scans):
                base = paragraph.start
                words.extend((base + start, base + end, pronoun, noun) for start, end, pronoun, noun in watched)  # type: ignore[union-attr]
            return words
        lowered, watched = self._lowered()
        return _watched_words(lowered, watched)

    def _lowered(self) -> tuple[str, LazyRegex]:
        """The prose lower-cased for faster matching when that keeps every
        offset, else as it is, with the case-blind pattern to use on it."""
        lowered = self.prose.lower()
        if len(lowered) != len(self.prose):
            return self.prose, _WATCHED_ANY_CASE
        return lowered, _WATCHED

    def person_nouns(self) -> list[int]:
        """Offsets of the nouns in "the poet", "a friend" (scanned once, when first asked)."""
        if self._person_nouns is None:
            lowered, watched = self._lowered()
            if watched is _WATCHED and self.builder.scans is not None:
                self._person_nouns = _person_nouns(self.doc, lowered, self.builder.paragraph_texts)  # type: ignore[arg-type]
            else:
                pattern = _PERSON_NOUN if watched is _WATCHED else _PERSON_NOUN_ANY_CASE
                self._person_nouns = [m.start(1) for m in pattern.finditer(lowered)]
        return self._person_nouns

    def _gender(self, entity_id: int) -> Gender | None:
        entity = self.entities[entity_id]
        return entity.gender or self.pronoun_votes.get(entity_id)

    def _judge(self, item: tuple) -> PronounReference:
        start, end, text, gender, role, referent, paragraph = item
        if role == "attribution":
            return self._judge_attribution(start, end, text, gender, referent, paragraph)
        return self._judge_reference(start, end, text, gender)

    def _judge_attribution(self, start, end, text, gender, referent, paragraph) -> PronounReference:
        if referent is None:
            return PronounReference(start, end, text, gender, "attribution", reason="no current speaker")
        mention = self._last_mention(referent, start)
        referent_gender = self._gender(referent)
        entity = self.entities[referent]
        if entity.gender_source == "first-name" and self.pronoun_tallies.get(referent, {}).get(gender, 0) > 1:
            # The story calls this person by the pronoun's gender elsewhere
            # too: "Beryl Sprinkel … he said" (the census's Beryls are women).
            referent_gender = None
        base = PronounReference(start, end, text, gender, "attribution", referent, mention)
        if referent_gender is None or referent_gender == gender:
            return base
        # Anyone else who could be speaking, named in the last three
        # paragraphs, keeps the rule quiet: "Mr Jones praised the team.
        # Mrs Smith scored twice. “She was brilliant,” he said." -- unless
        # the speaker was named since, as the text settles it.
        window_start = self.doc.paragraphs[max(0, paragraph - 3)].start
        if mention is not None:
            window_start = min(window_start, mention.start)
        settled_by = self._settled_speaker(start, entity, referent_gender, paragraph)
        if settled_by is not None:
            window_start = settled_by.start
        blocker = self._blocker(window_start, start, gender, exclude=referent, outside_quotes=True)
        if blocker:
            return _with(base, reason=blocker)
        return _with(
            base, conflict=True, referent_gender=referent_gender,
            reason=f"the current speaker is {self.entities[referent].name}",
        )

    def _settled_speaker(self, pronoun_start: int, entity: Entity, gender: Gender, paragraph: int) -> Mention | None:
        """The mention that made ``entity`` the speaker an attribution pronoun
        means, when the text settles it: people named before that mention
        need not be looked at.

        Settled: the speaker was named as a sentence's subject or a quote's
        source in this paragraph or the one before, in an earlier sentence,
        with a gender from a name or honorific. Not settled when the quote
        speaks of someone of the speaker's gender (“She was brilliant,” he
        said: a woman named earlier may be speaking of her) or when another
        person shares the surname ("Bill Clinton" beside "Hillary Clinton")."""
        made = self.made_speaker.get(pronoun_start)
        if made is None or entity.gender is None:
            return None
        mention, quotation = made
        if paragraph - self._paragraph_index(mention.start) > 1 or mention.start >= self._sentence_start(pronoun_start):
            return None
        if _any_in(self.quoted_pronouns[gender], quotation.start, quotation.end):
            return None
        if self._surname_shared(entity):
            return None
        return mention

    def _surname_shared(self, entity: Entity) -> bool:
        """Another person may carry the surname: a first name, or a word that
        is not a title, before it somewhere in the story."""
        shared = self._shared_surnames.get(entity.id)
        if shared is None:
            shared = any(
                census_first_name(word)
                or not (_title_like(word) or word in _NOT_NAME or self.builder.everyday_word(word))
                for word in self._words_before().get(entity.surname, ())
                if word != entity.first and word not in _HONORIFIC_FORMS and not _is_role(word)
            )
            self._shared_surnames[entity.id] = shared
        return shared

    def _words_before(self) -> dict[str, set[str]]:
        """Capitalised word -> the capitalised words written right before it
        ("Bill" before "Clinton"), read in one pass over the story."""
        if self._capitalised_before is None:
            before: dict[str, set[str]] = {}
            for match in _capitalised_pair().finditer(self.prose):
                first, word = match.groups()
                for key in {word, _strip_possessive(word), word.split("-", 1)[0]}:
                    before.setdefault(key, set()).add(first)
            self._capitalised_before = before
        return self._capitalised_before

    def _judge_reference(self, start, end, text, gender) -> PronounReference:
        sentence_end = self._sentence_end(start)
        last = self.mentions[bisect_right(self.mention_starts, start - 1) - 1] if self.mentions else None
        if last is None or last.start >= start:
            return PronounReference(start, end, text, gender, "reference", reason="no person named before")
        base = PronounReference(start, end, text, gender, "reference", None, last)
        # People named later in the paragraph count too: the pronoun may
        # point forward ("When she arrived, Anna …").
        paragraph = self.doc.paragraph_at(start)
        blocker = self._blocker(0, max(sentence_end, paragraph.end if paragraph else 0), gender, pronoun_before=start)
        if blocker:
            return _with(base, reason=blocker)
        return _with(
            base, referent=last.entity, conflict=True, referent_gender=self._gender(last.entity),
            reason="every person named is of the other gender",
        )

    def _blocker(
        self,
        start: int,
        end: int,
        gender: Gender,
        exclude: int | None = None,
        pronoun_before: int | None = None,
        outside_quotes: bool = False,
    ) -> str:
        """Why a pronoun of ``gender`` might fit something in ``[start, end)``."""
        blockers = self.outside_quotes if outside_quotes else self.everywhere
        mentions = blockers.mentions[gender]
        index = bisect_right(blockers.starts[gender], start - 1)
        if index < len(mentions) and mentions[index].entity == exclude:
            index = blockers.next_other[gender][index]
        if index < len(mentions) and mentions[index].start < end:
            return f"{mentions[index].text} may be meant"
        index = bisect_right(blockers.possible_starts, start - 1)
        if index < len(blockers.possible_starts) and blockers.possible_starts[index] < end:
            p_start, p_end = blockers.possible[index]
            return f"{self.prose[p_start:p_end]} may be a person"
        if _any_in(blockers.nouns[gender], start, end):
            return "a gendered noun may be meant"
        if _any_in(blockers.person_nouns(), self._sentence_start(start, back=1), end):
            return "a person described but not named may be meant"
        if _any_in(self.pronoun_offsets[gender], start, pronoun_before if pronoun_before is not None else end):
            return "an earlier pronoun of this gender may refer to someone else"
        return ""

    def _last_mention(self, entity_id: int, before: int) -> Mention | None:
        index = bisect_right(self.entity_starts[entity_id], before - 1) - 1
        return self.entities[entity_id].mentions[index] if index >= 0 else None

    def _sentence_start(self, offset: int, back: int = 0) -> int:
        """Start of the sentence holding ``offset``, or of one ``back`` sentences before."""
        index = bisect_right(self.sentence_starts, offset) - 1 - back
        return self.sentence_starts[index] if index >= 0 else 0

    def _sentence_end(self, offset: int) -> int:
        index = bisect_right(self.sentence_starts, offset) - 1
        return self.doc.sentences[index].end if index >= 0 else offset


class _Blockers:
    """What could explain a pronoun, indexed for range queries."""

    def __init__(
        self,
        resolver: "_Resolver",
        mentions: list[Mention],
        possible: list[tuple[int, int]],
        nouns: dict[Gender, list[int]],
        person_nouns: Callable[[], list[int]],
    ) -> None:
        self.possible = possible
        self.possible_starts = [p[0] for p in possible]
        self.nouns = nouns
        self._person_nouns_source = person_nouns
        self._person_nouns: list[int] | None = None
        # Mentions of people a pronoun of each gender could mean.
        self.mentions: dict[Gender, list[Mention]] = {"male": [], "female": []}
        for mention in mentions:
            other = resolver._gender(mention.entity)
            for gender in ("male", "female"):
                if other is None or other == gender:
                    self.mentions[gender].append(mention)
        self.starts = {g: [m.start for m in ms] for g, ms in self.mentions.items()}
        # For each of those mentions, the index of the next one of another
        # person: "is anyone but X named here?" in one lookup.
        self.next_other: dict[Gender, list[int]] = {}
        for gender, ms in self.mentions.items():
            following = [len(ms)] * len(ms)
            for n in range(len(ms) - 2, -1, -1):
                following[n] = n + 1 if ms[n + 1].entity != ms[n].entity else following[n + 1]
            self.next_other[gender] = following


    def person_nouns(self) -> list[int]:
        if self._person_nouns is None:
            self._person_nouns = self._person_nouns_source()
        return self._person_nouns


def _any_in(offsets: list[int], start: int, end: int) -> bool:
    index = bisect_right(offsets, start - 1)
    return index < len(offsets) and offsets[index] < end


@lru_cache(maxsize=8192)  # a pure function of a word, asked again and again
def _is_role(word: str) -> bool:
    return _strip_possessive(word).lower() in _ROLE_HEAD_SET


@lru_cache(maxsize=8192)  # a pure function of a word, asked again and again
def _title_like(word: str) -> bool:
    """A word that may stand in a title before a name: "Senate Majority
    Leader", "Mexican President", "Comedian"."""
    if word in _TITLE_WORDS or word in _ORG_WORDS or word in _ABBREVIATED_TITLES or word in _MORE_TITLE_WORDS:
        return True
    if _is_role(word):
        return True
    # Nationalities ("Mexican", "British", "Chinese"), when not also a first name.
    return len(word) > 4 and word.endswith(_NATIONALITY_ENDINGS) and word.lower() not in first_names()


@lru_cache(maxsize=8192)  # a pure function of a word, asked again and again
def _could_be_first_name(word: str) -> bool:
    if word in _NOT_NAME or word in _ORG_WORDS or _is_role(word) or word in _HONORIFIC_FORMS:
        return False
    return not word.endswith(("’s", "'s"))


def _no_lower_words(text: str) -> bool:
    """Only capitalised words (a title such as "Defence Secretary") before a mention."""
    return not any(word[:1].islower() for word in text.split())


def _with(reference: PronounReference, **changes: object) -> PronounReference:
    return reference.replace(**changes)
