"""Casualty figures in one sentence of news: how many, killed or injured, whose, how sure.

`find_figures(sentence)` returns each casualty count the sentence states, with its offsets, so
the caller can attach the party it concerns (from actors) and who reported it (from
attribution). Nothing here adds figures across sentences or sources; the one sum made is of
a list within one phrase ("17 civilians and 3 children", below).

Numbers
    Digits ("23", "1,200", "200+"), words ("eleven", "twenty-three", "a hundred and five",
    "two thousand"), ranges ("between 12 and 15", "12 to 15", "12-15", "two or three").
    Vague words are read as the smallest count they literally allow, open-ended (high None,
    qualifier "at_least"): a few, many, multiple, numerous, a number of, a handful of 2;
    several 3; dozens 24 (ACLED codes 12; the plural says at least two dozen); scores 40;
    hundreds 200; thousands 2,000; several dozen 36; a few hundred 200; tens of thousands
    20,000; hundreds of thousands 200,000. "a dozen", "two dozen", "half a dozen" are round
    numbers: qualifier "about". "a couple of" is about 2; "a"/"an"/"one" before a person is
    1; "no", "no one", "nobody" are 0.

Qualifiers
    at least, no fewer than, no less than, a minimum of: at_least, low n, high None.
    more than, over, upwards of, in excess of, "200+": more_than, low n (not n + 1), high None.
    about, around, some, nearly, almost, approximately, roughly, close to, an estimated,
    up to, as many as: about, low = high = n. "Up to" and "as many as" mostly stress how high
    a toll went, so they are read as approximate rather than as a ceiling.
    fewer than / less than n: range 0..n-1; no more than / at most n: range 0..n.
    A bare number is exact. A count with no number ("casualties were reported", "civilians
    were killed") is "unspecified", low and high None.

Kind
    fatalities: killed, dead, died, deaths, death toll, lost their lives, claimed 12 lives,
    martyred, slain, perished, bodies, gunned down, shot dead, succumbed, and the army's
    "neutralised", "eliminated", "sent to hell". injured: injured, wounded, hurt, injuries.
    "Casualties", "harmed" and "killed or wounded" lump the dead with the injured: they are
    filed as injured, so no death toll is ever inflated by them; "no casualties" is 0 of both.
    Passive ("23 soldiers were killed", "23 dead", "left 23 soldiers dead"), active ("killed
    23 soldiers", "killing at least 10"; "a bomber killed 12" does not count the bomber),
    nouns and adjectives ("dozens of deaths", "17 civilian deaths", "35 injured people", "the
    deaths of several players", "the death toll rose to 23"). A count with no noun after
    "and" or a comma takes the group of the figure before it ("three soldiers were killed and
    five wounded": five soldiers); "killed five and wounded 12" stays unknown.

Whose
    civilians, security_forces, militants or unknown, from the words of the phrase, the head
    noun deciding ("police officers": security forces; "civilian deaths": civilians). People,
    persons, men, others, victims are unknown unless the phrase says civilian ("innocent
    people", "12 people, all civilians"); "soldiers and civilians" together are unknown.
    Since 2021 the Afghan Taliban are Afghanistan's state forces: "Afghan Taliban fighters",
    "Taliban soldiers/forces" and "Afghan fighters" are security forces of AF; "Taliban
    fighters" with no nationality, "Pakistani Taliban" and TTP are militants. Militants never
    carry a nationality: the caller maps nationality to a party, and "Afghan militants" are
    not the Afghan state.

Lists and subsets
    "17 civilians and 3 children were killed": adjacent counts of one known group, joined by
    "and" or commas and with no conflicting nationality, make ONE figure, 20. Different groups
    stay separate figures. A count introduced by "including", "among them", "of whom" is part
    of a figure already given and is dropped ("10 civilians, including nine children": 10);
    with no figure before it, it stands alone. In "nine of the 12 soldiers were killed"
    neither number is read.

Not counts
    Dates ("October 12"), years (1900-2100 with no noun, or after "in", "since"...), ages ("a
    12-year-old", "aged 5"), times ("11 pm"), percentages, ordinals, decimals ("1.5 million"),
    counts of anything but people (posts, days, drones...), people arrested, captured,
    deployed or displaced, and counts without a casualty word next to them.

Deliberately not handled: negation or denial of a numbered figure ("denied that 23 were
killed" still yields 23, attribution has to carry the stance; only counts without a number
are dropped after "no", "not", "denied", "if"...), millions, counts split across sentences,
"another" and "a further" as numbers, a subset that is the only carrier of a group ("8
killed, including 3 soldiers" yields 8 unknown), verbs far from their count, and other
languages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

Kind = Literal["fatalities", "injured"]
Whose = Literal["civilians", "security_forces", "militants", "unknown"]
Qualifier = Literal["exact", "at_least", "more_than", "about", "range", "unspecified"]
_Value = tuple[int, int | None, Qualifier]
_Group = tuple[Whose, str | None]


@dataclass(frozen=True)
class Figure:
    """One casualty count as a sentence states it, before side and source are attached."""

    kind: Kind
    whose: Whose
    low: int | None
    high: int | None
    qualifier: Qualifier
    start: int
    end: int
    text: str
    nationality: str | None

    def as_json(self, *, side: str | None, reported_by: str | None) -> dict[str, object]:
        """The extractor's figure shape; `kind` says which list the caller files it in."""
        return {
            "whose": self.whose,
            "side": side,
            "low": self.low,
            "high": self.high,
            "qualifier": self.qualifier,
            "reported_by": reported_by,
        }


# --- words ---------------------------------------------------------------------------------

_GROUP_WORDS: dict[Whose, str] = {
    "civilians": "civilians civilian residents resident villagers villager children child "
    "schoolchildren students student women woman girls girl boys boy infants infant babies "
    "baby toddlers minors minor teenagers teenager worshippers worshipper worshipers passengers "
    "passenger cricketers cricketer players player traders trader shopkeepers shopkeeper "
    "farmers farmer labourers labourer laborers laborer workers worker journalists journalist "
    "pilgrims pilgrim refugees refugee bystanders bystander pedestrians locals tribesmen elders "
    "doctors doctor teachers teacher nurses mourners shoppers commuters drivers driver vendors "
    "patients citizens noncombatants non-combatants engineers engineer contractors "
    "innocent unarmed ordinary local family school",
    "security_forces": "soldiers soldier troops personnel policemen policeman policewomen "
    "policewoman police officers officer guards guard paramilitaries paramilitary servicemen "
    "serviceman jawans jawan sepoys sepoy commandos commando cops cop troopers trooper rangers "
    "levies forces cadets conscripts sentries security military army border frontier corps fc",
    "militants": "militants militant fighters fighter terrorists terrorist insurgents "
    "insurgent khawarij khwarij kharijis khariji kharijites attackers attacker assailants "
    "assailant gunmen gunman rebels rebel jihadists jihadist extremists extremist bombers "
    "bomber miscreants affiliates ttp t.t.p. tehrik-e-taliban tehreek-e-taliban tehrik-i-taliban",
}
_GROUP: dict[str, Whose] = {w: g for g, words in _GROUP_WORDS.items() for w in words.split()}
_NATIONS = dict.fromkeys("pakistani pakistanis pakistan pakistan's".split(), "PK") | dict.fromkeys(
    "afghan afghans afghanistan afghanistan's afghan-based".split(), "AF"
)
_PAKISTANI_TALIBAN = {"ttp", "t.t.p.", "tehrik-e-taliban", "tehreek-e-taliban", "tehrik-i-taliban"}
# "both": the killed and the wounded together, filed as injured (see the module notes).
_KIND_NOUNS = {
    "deaths": "fatalities",
    "fatalities": "fatalities",
    "bodies": "fatalities",
    "casualties": "both",
    "injuries": "injured",
}
_SINGULAR = set(
    "civilian resident villager child schoolchild student woman girl boy infant baby minor "
    "teenager worshipper passenger cricketer player trader shopkeeper farmer labourer laborer "
    "worker journalist pilgrim refugee bystander doctor teacher driver engineer soldier "
    "policeman policewoman officer guard paramilitary serviceman jawan sepoy commando cop "
    "trooper militant fighter terrorist insurgent attacker assailant gunman rebel jihadist "
    "extremist bomber person man individual member commander".split()
)
_NEUTRAL = set(
    "suspected alleged other young armed foreign cricket club tribal senior junior regular "
    "uniformed off-duty on-duty frontline elderly female male enemy state government national "
    "special taliban".split()
)
_OTHER_HEADS = set("people persons men others victims individuals members commanders".split())
_LEX_WORDS = set(_GROUP) | set(_NATIONS) | set(_KIND_NOUNS) | _SINGULAR | _NEUTRAL | _OTHER_HEADS
_PLURAL_HEADS = {w for w in _LEX_WORDS if w.endswith("s") and "'" not in w} - set(_KIND_NOUNS)
_PLURAL_HEADS |= {"police", "children", "women", "men", "people", "personnel", "troops"}
_PLURAL_HEADS |= {"gunmen", "policemen", "schoolchildren", "khawarij", "khwarij"}
_PLURAL_HEADS -= {"corps", "levies", "pakistanis", "afghans"}
_NOUNS = _PLURAL_HEADS | set(_KIND_NOUNS)
# Words that describe without naming anyone: "12 Pakistani" has no noun, "12 Taliban" has.
_NOT_NOUNS = (_NEUTRAL - {"taliban"}) | (set(_NATIONS) - {"afghans", "pakistanis"})

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD_VALUES = {w: i for i, w in enumerate(_UNITS)} | {w: 10 * i for i, w in enumerate(_TENS, 2)}
_QUALIFIER_WORDS = {
    "at_least": "at least|no fewer than|no less than|not less than|a minimum of",
    "more_than": "more than|over|upwards of|in excess of|well over|just over",
    "about": "about|around|some|nearly|almost|approximately|roughly|close to|an estimated|up to"
    "|as many as",
    "below": "fewer than|less than",  # a range 0..n-1
    "at_most": "no more than|not more than|at most",  # a range 0..n
}
_QUALIFIERS = {w: q for q, words in _QUALIFIER_WORDS.items() for w in words.split("|")}
_VAGUE = {
    "hundreds of thousands": 200_000,
    "tens of thousands": 20_000,
    "dozens": 24,
    "scores": 40,
    "hundreds": 200,
    "thousands": 2000,
    "several": 3,
    "a few": 2,
    "multiple": 2,
    "numerous": 2,
    "many": 2,
    "a number of": 2,
    "a handful of": 2,
}
_MULTIPLIERS = {"several": 3, "a few": 2}
_UNIT_SIZES = {"dozen": 12, "hundred": 100, "thousand": 1000}
_DOZENS = {"a": 12, "one": 12, "half a": 6} | {w: 12 * _WORD_VALUES[w] for w in _UNITS[2:11]}
_FIRST_WORDS = {p.split()[0] for p in [*_VAGUE, *_DOZENS, *_MULTIPLIERS]} | set(_UNITS)
_FIRST_WORDS |= set(_TENS) | {"a", "an", "no", "nobody", "between", "half"}

# Words just before a count.
_FATAL_LEFT = set(
    "kill kills killed killing martyred martyring slew massacred murdered neutralised "
    "neutralized eliminated".split()
)
_INJURED_LEFT = set(
    "wound wounds wounded wounding injure injures injured injuring hurt hurts hurting".split()
)
_LIVES_TAKEN = set("lost claimed took cost costing claiming taking losing".split())
_KILLED_OF = set("death deaths killing killings murder murders bodies remains".split())
_TOLL_ENDS = set("to at of reached hit passed crossed is was now".split())
_TOLLS = {"death": "fatalities", "fatality": "fatalities", "casualty": "both", "injury": "injured"}
_MONTHS = set(
    "jan january feb february mar march apr april may jun june jul july aug august sep sept "
    "september oct october nov november dec december".split()
)
_NOT_COUNT_LEFT = set(
    "aged age ages under below how no. nos. number round phase article clause section "
    "resolution page class grade since until till from year route highway flight sector gate "
    "level zone block unit battalion brigade wing division".split()
)
_BEFORE_YEARS = set("in by during of since until before after early late mid".split())
_SUBSET_PAIRS = {("among", "them"), ("among", "whom"), ("of", "whom"), ("of", "them")}
_SUBSET_PAIRS |= {("of", "those"), ("among", "those")}
_NEGATIONS = set(
    "no not never nor deny denied denies denying refuted rejected whether if how any".split()
)
_INFLICTED = set("suffered sustained inflicted caused reported".split())
_SEVERITY = set("heavy serious significant some".split())
_TRANSITIVE = {"killed", "injured", "wounded", "hurt", "martyred", "harmed"}
_INTRANSITIVE = ("died", "perished", "lost", "succumbed", "embraced")

# --- patterns ------------------------------------------------------------------------------

_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ\u2019", "abcdefghijklmnopqrstuvwxyz'")


def _fold(text: str) -> str:
    """Lower case with straight apostrophes, offsets unchanged.

    Patterns run on this copy, because case-sensitive patterns are several times faster than
    re.IGNORECASE ones. str.lower can change a length ("İ"); then only ASCII is folded.
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        return text.translate(_FOLD)
    return lowered.replace("\u2019", "'")


def _trie(words: Iterable[str]) -> str:
    """An alternation factored by prefix: one comparison per character, not one per word."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(root)


def _trie_pattern(node: dict[str, Any]) -> str:
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _trie_pattern(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


_END = r"(?![\w'-])"
_FAMILY = r"members\s+of\s+(?:a|the|one|their|his|her)\s+family"
_LEX = rf"(?:{_FAMILY}|\d+-years?-old|{_trie(_LEX_WORDS)}){_END}"
_BELOW_100 = rf"(?:{_trie(_TENS)}(?:[-\s]{_trie(_UNITS[1:10])})?|{_trie(_UNITS)}){_END}"
_HUNDRED = rf"(?:a|{_trie(_UNITS[1:10])})\s+hundred(?:\s+(?:and\s+)?{_BELOW_100})?{_END}"
_SPELLED = (
    rf"(?:(?:{_HUNDRED}|{_BELOW_100}|a)\s+thousand(?:\s+(?:and\s+)?(?:{_HUNDRED}|{_BELOW_100}))?"
    rf"|{_HUNDRED}|{_BELOW_100})"
)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?!\w|[.,]\d)"
_ANY = rf"(?:{_DIGITS}|{_SPELLED})"
_NUMBER_PATTERN = rf"""(?<![\w'-])(?:(?P<qual>{_trie(_QUALIFIERS)})\s+)?
    (?:between\s+(?P<ba>{_ANY})\s+and\s+(?P<bb>{_ANY})
      |(?<!\bfrom\s)(?<!\bby\s)(?P<ha>{_DIGITS})\s*[-\u2013\u2014]\s*(?P<hb>{_DIGITS})
      |(?<!\bfrom\s)(?<!\bby\s)(?P<ta>{_ANY})\s+(?:to|or)\s+(?P<tb>{_ANY})
      |(?P<dozen>{_trie(_DOZENS)})\s+dozen{_END}
      |(?P<mult>{_trie(_MULTIPLIERS)})\s+(?P<unit>dozen|hundred|thousand){_END}
      |(?P<couple>a\s+couple\s+of){_END}
      |(?P<vague>{_trie(_VAGUE)}){_END}
      |(?P<spelled>{_SPELLED})
      |(?P<plus>{_DIGITS})(?:\+|-plus{_END}|\s+plus{_END})
      |(?P<digits>{_DIGITS})
      |(?P<zero>no\s+one|nobody|no(?=\s+(?:{_LEX}\s+){{0,3}}?{_LEX}))
      |(?P<one>an?(?=\s+(?:{_LEX}\s+){{0,3}}?{_trie(_SINGULAR)}{_END}))
    )"""
_NUMBER = re.compile(_NUMBER_PATTERN, re.VERBOSE)
# The alternatives of _NUMBER, by the group that holds each one's text.
_FORMS = "bb hb tb dozen unit couple vague plus zero one spelled digits".split()
_RANGES = {"bb": "ba", "hb": "ha", "tb": "ta"}
_NOT_A_COUNT = (
    r"[-\s](?:year|month|week|day)s?[-\s]old|\s*(?::\d|%|(?:per\s*cent|percent|am|pm|a\.m\.|p\.m\."
    rf"|gmt|hrs|{_trie(_MONTHS)})\.?(?!\w))"
)
_AUX = _trie(
    "were was are is have has had been being be also reportedly allegedly all later "
    "subsequently reported confirmed feared believed said thought known to now officially got "
    "either critically seriously severely badly gravely slightly lightly mildly fatally "
    "mortally".split()
)
_NOUN_PHRASE = rf"""(?:\s+(?:more|other|additional|further){_END})?
    (?P<adj>\s+(?:dead|injured|wounded)(?=\s+(?:{_LEX}|were|was|are|have|had){_END}))?
    (?:\s+of(?:\s+(?:the|those|its|their))?(?=\s+{_LEX})|\s+of\s+(?:them|whom){_END})?
    (?P<words>(?:\s+{_LEX}){{0,5}}(?:\s+lives{_END})?)
    (?P<coord>\s+(?:and|or|&)\s+(?:their\s+|its\s+)?(?:(?:affiliated|allied|associated|other)\s+)?
      {_LEX}(?:\s+{_LEX}){{0,3}})?
    (?:\[\d{{1,3}}\])?
    (?:,?\s+aged\s+(?:between\s+)?\d+(?:\s*(?:to|and|-)\s*\d+)?(?=\s*,?\s+{_AUX}))?
    (?P<among>\s+among\s+(?:the\s+)?(?P<among_words>{_LEX}(?:\s+{_LEX}){{0,3}}))?
"""
_VERB_PATTERN = rf"""(?P<paren>\s*,[^,;.]{{1,60}},)?
    (?P<aux>(?:\s+{_AUX}{_END}){{0,4}})\s+
    (?:(?P<both>harmed|(?:killed|dead)\s+(?:or|and)\s+(?:injured|wounded|hurt)
               |(?:injured|wounded)\s+(?:or|and)\s+killed)
      |(?P<fatalities>killed|dead|died|slain|martyred|perished|lost\s+(?:their|his|her)\s+lives?
               |gunned\s+down|shot\s+dead|shot\s+and\s+killed|succumbed|embraced\s+martyrdom
               |neutrali[sz]ed|eliminated|sent\s+to\s+hell
               |among\s+the\s+dead)
      |(?P<injured>injured|wounded|hurt|(?:sustained|suffered|received)\s+(?:\w+\s+)?
               (?:injuries|wounds)|among\s+the\s+(?:injured|wounded))
    ){_END}"""
_VERB = re.compile(_VERB_PATTERN, re.VERBOSE)
_CONJ = r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:(?:her|his|their)\s+)?"
# One scan of the sentence: each count with its noun phrase and, when one follows, its verb or
# the "and" joining the next count; and the plural nouns that may stand without a number.
_SCAN = re.compile(
    rf"""(?<![\w'-])(?=\d|{_trie(_FIRST_WORDS | _NOUNS | set(_QUALIFIERS))}(?![\w']))
    (?:(?P<count>{_NUMBER_PATTERN})(?!{_NOT_A_COUNT})
       (?P<np>{_NOUN_PHRASE})(?:(?P<verb>{_VERB_PATTERN})|(?P<conj>{_CONJ}))?
      |(?P<noun>{_trie(_NOUNS)}){_END})""",
    re.VERBOSE,
)
_OBJECT = re.compile(rf"\s+(?:(?:the|a|an|his|her|their|its|our|this|that|these|those)\b|{_LEX})")
_SPACE = re.compile(r"\s+")
_COMMA = re.compile(r"\s*,")
_FOLLOW = re.compile(
    r"\s*(?:$|[^\w\s]|(?:and|or|in|on|at|near|during|when|while|after|before|as|since|including"
    r"|across|inside|along|from|with|by|last|this|that|yesterday|overnight|earlier|today|so|but"
    r"|according|among|amid|over|between|within|more|was|were|is|are|has|have|had|the|its"
    r"|their)\b)"
)
_INHERIT = re.compile(
    r"\s*(?:,\s*(?:and\s+|while\s+)?|\s+(?:and|while)\s+)(?:(?:were|was|also)\s+)*"
    r"(?:(?:wounded|injured|wounding|injuring|killed|killing|hurt|left|leaving)\s+)?"
)
_ALL_CIVILIANS = re.compile(r"\s*,?\s*(?:all|all\s+of\s+(?:them|whom))\s+(?:were\s+)?civilians\b")
_AMONG = re.compile(rf"\s+(?:among|on)\s+(?:the\s+)?(?P<words>{_LEX}(?:\s+{_LEX}){{0,3}})")
_REPORTED = re.compile(
    r"\s+(?:were|have\s+been|had\s+been|was)\s+(?:also\s+)?(?:reported|confirmed)"
)
_HINT = re.compile(
    r"kill|dead|die|death|injur|wound|hurt|harm|martyr|slain|slew|bodies|casualt|fatalit|lives"
    r"|perish|gunned|succumb|neutrali|eliminat|hell"
)

# --- numbers -------------------------------------------------------------------------------


def _words_value(text: str) -> int:
    total = current = 0
    for word in text.replace("-", " ").split():
        if word == "hundred":
            current = (current or 1) * 100
        elif word == "thousand":
            total, current = total + (current or 1) * 1000, 0
        elif word == "a":
            current += 1
        elif word != "and":
            current += _WORD_VALUES[word]
    return total + current


def _as_int(text: str) -> int:
    return int(text.replace(",", "")) if text[0].isdigit() else _words_value(text)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _base_value(m: re.Match[str]) -> _Value:
    texts = m.group(*_FORMS)  # one call, not twelve: this runs for every count read
    at = next(i for i, text in enumerate(texts) if text)
    form, text = _FORMS[at], texts[at]
    if form in _RANGES:
        low, high = sorted((_as_int(m.group(_RANGES[form])), _as_int(text)))
        return low, high, "range"
    if form == "dozen":
        return _DOZENS[_norm(text)], _DOZENS[_norm(text)], "about"
    if form == "couple":
        return 2, 2, "about"
    if form == "unit":
        return _MULTIPLIERS[_norm(m.group("mult"))] * _UNIT_SIZES[text], None, "at_least"
    if form == "vague":
        return _VAGUE[_norm(text)], None, "at_least"
    if form == "plus":
        return _as_int(text), None, "more_than"
    n = 0 if form == "zero" else 1 if form == "one" else _as_int(text)
    return n, n, "exact"


def _value(m: re.Match[str]) -> _Value:
    low, high, qualifier = _base_value(m)
    said = _QUALIFIERS[_norm(m.group("qual"))] if m.group("qual") else None
    if said is None or qualifier == "range":
        return low, high, qualifier
    if high is None:  # vague words are open-ended already
        return low, None, "more_than" if said == "more_than" else qualifier
    if said == "below":
        return 0, max(low - 1, 0), "range"
    if said == "at_most":
        return 0, low, "range"
    if said == "about":
        return low, low, "about"
    return low, None, "more_than" if said == "more_than" else "at_least"


def parse_number(text: str) -> tuple[int, int | None, str] | None:
    """Read a count phrase: "at least 23" -> (23, None, "at_least"), "twelve" -> (12, 12, "exact").

    `high` is None when the phrase is open-ended ("at least 23", "more than 100", "dozens"),
    exactly as in a Figure. Returns None unless the whole of `text` is a count phrase.
    """
    m = _NUMBER.fullmatch(_fold(text.strip()))
    return _value(m) if m else None


# --- noun phrases --------------------------------------------------------------------------


def _whose(words: tuple[str, ...]) -> _Group:
    nation = next((_NATIONS[w] for w in words if w in _NATIONS), None)
    groups = [_GROUP[w] for w in words if w in _GROUP]
    whose: Whose = groups[-1] if groups else "unknown"  # the head noun comes last
    if "taliban" in words:
        at = words.index("taliban")
        pakistani = at > 0 and _NATIONS.get(words[at - 1]) == "PK"
        if not pakistani and not _PAKISTANI_TALIBAN & set(words):
            # Since 2021 the Afghan Taliban are the Afghan state: its forces, not militants.
            if nation == "AF" or whose == "security_forces":
                return "security_forces", "AF"
        return "militants", None
    if whose == "militants":
        if nation == "AF" and words[-1] in {"fighters", "fighter"}:
            return "security_forces", "AF"
        return "militants", None
    return whose, nation


@lru_cache(maxsize=4096)  # the same few noun phrases come back in every article
def _group_of(words: tuple[str, ...], coord: tuple[str, ...] = ()) -> _Group:
    """Whose a noun phrase counts; "soldiers and civilians" together are unknown."""
    whose, nation = _whose(words)
    if coord:
        other, other_nation = _whose(coord)
        if other != whose:
            return "unknown", nation if nation == other_nation else None
    return whose, nation


def _words_before(s: str, pos: int, n: int) -> list[str]:
    """Up to `n` words before offset `pos`, nearest first; dashes separate words."""
    window = s[max(0, pos - 12 * n) : pos]
    if "\u2014" in window or "\u2013" in window:
        window = window.replace("\u2014", " ").replace("\u2013", " ")
    return window.split()[: -n - 1 : -1]


def _mods_before(s: str, pos: int) -> tuple[int, list[str]]:
    """Up to three describing words right before `pos`: "Afghan border" before "guards"."""
    start, words = pos, list[str]()
    for word in _words_before(s, pos, 3):
        if word not in _LEX_WORDS:
            break
        start = s.rfind(word, 0, start)
        words.insert(0, word)
    return start, words


@dataclass(slots=True)
class _Phrase:
    """A count and the noun phrase after it, not yet known to count casualties."""

    m: re.Match[str]  # a match of _SCAN
    start: int
    end: int  # of the noun phrase
    before: list[str]
    has_noun: bool
    kind_noun: str | None

    def group(self, s: str) -> _Group:
        text, among, coord = self.m.group("words", "among_words", "coord")
        words = tuple(f"{text} {among or ''}".split())
        whose, nation = _group_of(words, tuple((coord or "").split()))
        if whose == "unknown" and _ALL_CIVILIANS.match(s, self.end):
            return "civilians", nation
        return whose, nation


def _phrase(s: str, m: re.Match[str]) -> _Phrase | None:
    start = m.start()
    before = _words_before(s, start, 6)
    first = before[0] if before else ""
    if first in _NOT_COUNT_LEFT or before[:2] == ["of", "age"]:
        return None
    if start and s[start - 1] in "#$\u00a3\u20ac[\u2116":
        return None
    text, among, coord = m.group("words", "among", "coord")
    words = text.split()
    has_noun = among is not None or any(w not in _NOT_NOUNS for w in words)
    if _is_year(m) and (not has_noun or first in _BEFORE_YEARS):
        return None
    if not has_noun and first.rstrip(".") in _MONTHS:
        return None
    kind_noun = _KIND_NOUNS.get(words[-1]) if words and coord is None else None
    if text.endswith(" lives"):  # "the blast claimed 12 lives"; not "12 lives were saved"
        kind_noun = "fatalities" if first in _LIVES_TAKEN else None
    if adjective := m.group("adj"):  # "35 injured people", "12 dead were buried"
        kind_noun = "fatalities" if adjective.strip() == "dead" else "injured"
    if kind_noun is None and _is_partitive(before):
        return None
    return _Phrase(m, start, m.end("np"), before, has_noun, kind_noun)


def _is_partitive(before: list[str]) -> bool:
    """'nine of the 12 soldiers were killed': 12 does not count the dead."""
    if before[:2] != ["the", "of"] or len(before) < 3:
        return False
    return before[2][:1].isdigit() or before[2] in _WORD_VALUES


def _is_year(m: re.Match[str]) -> bool:
    digits = m.group("digits")
    return bool(digits) and len(digits) == 4 and 1900 <= int(digits) <= 2100


# --- reading -------------------------------------------------------------------------------


class _Reader:
    """One pass over one sentence; `cursor` keeps a count from being read twice."""

    def __init__(self, sentence: str, folded: str) -> None:
        self.text = sentence
        self.s = folded
        self.figures: list[Figure] = []
        self.taken: list[tuple[int, int]] = []
        self.cursor = 0
        self.last: tuple[int, Whose, str | None] | None = None

    def read(self) -> list[Figure]:
        phrases: list[_Phrase] = []
        nouns: list[re.Match[str]] = []
        for m in _SCAN.finditer(self.s):
            if m.group("noun"):
                nouns.append(m)
            elif phrase := _phrase(self.s, m):
                phrases.append(phrase)
        i = 0
        while i < len(phrases):
            i = self._read(phrases, i) if phrases[i].start >= self.cursor else i + 1
        for noun in nouns:
            self._read_noun(noun.start(), noun.group())
        return sorted(self.figures, key=lambda f: f.start)

    def _read(self, phrases: list[_Phrase], i: int) -> int:
        p = phrases[i]
        if _is_subset(p.before):
            kind = None if self.figures else self._subset_kind(p)
            if kind:
                self._emit([p], kind, p.end)
            return i + 1
        if p.kind_noun:
            self._emit([p], p.kind_noun, p.end)
            return i + 1
        chain = self._chain(phrases, i)
        left = self._left_kind(p)
        verb = self._verb(chain[-1].m)
        if verb and left and len(chain) > 1:
            self._emit(chain[:1], left, chain[0].end)
            self._emit(chain[1:], *verb)
        elif verb:
            self._emit(chain, *verb)
        elif left and (p.has_noun or _FOLLOW.match(self.s, p.end)):
            self._emit(chain, left, chain[-1].end)
        else:
            return i + 1
        return i + len(chain)

    def _chain(self, phrases: list[_Phrase], i: int) -> list[_Phrase]:
        """'17 civilians and 3 children': counts joined by "and" or commas, read together."""
        chain = [phrases[i]]
        for p in phrases[i + 1 :]:
            last = chain[-1].m
            if last.group("conj") is None or last.end() != p.start:
                break
            if p.kind_noun or _is_subset(p.before):
                break
            chain.append(p)
        return chain

    def _left_kind(self, p: _Phrase) -> str | None:
        w = p.before
        if w[:1] in (["the"], ["another"]):
            w = w[1:]
        elif w[:3] == ["of", "total", "a"]:
            w = w[3:]
        first = w[0] if w else ""
        if first in _FATAL_LEFT:
            return "fatalities"
        if first in _INJURED_LEFT or w[:2] in (["to", "injuries"], ["of", "wounding"]):
            return "injured"
        if first == "of" and (
            w[1:2] and w[1] in _KILLED_OF or w[1:4] == ["lives", "the", "claimed"]
        ):
            return "fatalities"
        return self._toll_kind(p.start) if first in _TOLL_ENDS else None

    def _toll_kind(self, start: int) -> str | None:
        """'the death toll from Friday's strikes rose to 23'"""
        at = self.s.rfind("toll", max(0, start - 80), start)
        if at < 0 or any(c in self.s[at:start] for c in ".;:!?"):
            return None
        before = self.s[max(0, at - 10) : at].split()
        return _TOLLS.get(before[-1]) if before else None

    def _verb(self, v: re.Match[str] | None) -> tuple[str, int] | None:
        """The kind a verb match says, unless the verb is active with an object after it."""
        if v is None or (v.re is _SCAN and v.group("verb") is None):
            return None
        aux, both, fatalities, injured = v.group("aux", "both", "fatalities", "injured")
        if not aux.strip() and (fatalities or injured) in _TRANSITIVE and self._object_at(v.end()):
            return None  # "a bomber killed 12": the phrase did the killing
        return "both" if both else "fatalities" if fatalities else "injured", v.end()

    def _object_at(self, pos: int) -> bool:
        space = _SPACE.match(self.s, pos)
        if space is None:
            return False
        return bool(_OBJECT.match(self.s, pos) or _NUMBER.match(self.s, space.end()))

    def _subset_kind(self, p: _Phrase) -> str | None:
        comma = _COMMA.match(self.s, p.end)
        verb = self._verb(_VERB.match(self.s, comma.end() if comma else p.end))
        if verb:
            return verb[0]
        for word in _words_before(self.s, p.start, 12):
            if word in _FATAL_LEFT or word in {"dead", "died", "deaths", "slain"}:
                return "fatalities"
            if word in _INJURED_LEFT or word == "injuries":
                return "injured"
        return None

    def _emit(self, phrases: list[_Phrase], kind: str, consumed: int) -> None:
        for run in _runs(phrases, self.s):
            (first, (whose, nation)), start, end = run[0], run[0][0].start, run[-1][0].end
            if len(run) == 1:
                low, high, qualifier = _value(first.m)
            else:
                low, high, qualifier = _sum([_value(p.m) for p, _ in run])
                nation = _nation([g for _, g in run])
            if self.last and not any(p.has_noun for p, _ in run):
                last_end, last_whose, last_nation = self.last
                if _INHERIT.fullmatch(self.s, last_end, start):
                    whose, nation = last_whose, last_nation
            for k in _kinds(kind, low == high == 0):
                text = self.text[start:end]
                self.figures.append(
                    Figure(k, whose, low, high, qualifier, start, end, text, nation)
                )
            self.last = (consumed, whose, nation)
        self.cursor = consumed
        self.taken.append((phrases[0].start, consumed))

    def _read_noun(self, start: int, noun: str) -> None:
        if not any(a <= start < b for a, b in self.taken):
            if noun in _KIND_NOUNS:
                self._bare_noun(start, noun)
            else:
                self._bare(start, start + len(noun))

    def _bare(self, start: int, end: int) -> None:
        """'civilians were killed': a figure with no number."""
        v = _VERB.match(self.s, end)
        if v is None or any(a < v.end() and start < b for a, b in self.taken):
            return
        verb = v.group("fatalities") or v.group("injured") or v.group("both")
        if not v.group("aux").strip() and not verb.startswith(_INTRANSITIVE):
            return  # "gunmen killed ..." is active: the gunmen are not the casualties
        first, mods = _mods_before(self.s, start)
        words, coord = [*mods, self.s[start:end]], list[str]()
        conj = _words_before(self.s, first, 2)
        if conj[:1] in (["and"], ["or"]) and conj[1:] and conj[1] in _PLURAL_HEADS:
            other = self.s.rfind(conj[1], 0, self.s.rfind(conj[0], 0, first))
            first, mods = _mods_before(self.s, other)
            words, coord = [*mods, conj[1]], words
        kind = "both" if v.group("both") else "fatalities" if v.group("fatalities") else "injured"
        self._unnumbered(first, end, kind, _group_of(tuple(words), tuple(coord)))

    def _bare_noun(self, start: int, noun: str) -> None:
        """'casualties were reported', 'inflicted heavy casualties on the enemy'"""
        end = start + len(noun)
        first, words = _mods_before(self.s, start)
        verb = _words_before(self.s, first, 2)
        if verb[:1] and verb[0] in _SEVERITY:
            verb = verb[1:]
        if not (verb[:1] and verb[0] in _INFLICTED or _REPORTED.match(self.s, end)):
            return
        among = _AMONG.match(self.s, end)
        if among:
            words, end = [*words, *among.group("words").split()], among.end()
        self._unnumbered(first, end, _KIND_NOUNS[noun], _group_of(tuple(words)))

    def _unnumbered(self, start: int, end: int, kind: str, group: _Group) -> None:
        if any(a < end and start < b for a, b in self.taken) or self._negated(start):
            return
        whose, nation = group
        k: Kind = "fatalities" if kind == "fatalities" else "injured"
        text = self.text[start:end]
        self.figures.append(Figure(k, whose, None, None, "unspecified", start, end, text, nation))
        self.taken.append((start, end))

    def _negated(self, start: int) -> bool:
        for word in _words_before(self.s, start, 10):
            if word.rstrip(",;:.") in _NEGATIONS:
                return True
            if word[-1] in ",;:.":
                return False
        return False


def _is_subset(before: list[str]) -> bool:
    """'10 civilians, including nine children': the nine are part of the ten."""
    w = before[1:] if before[:1] in (["were"], ["was"]) else before
    return w[:1] == ["including"] or tuple(w[1::-1]) in _SUBSET_PAIRS


def _kinds(kind: str, zero: bool) -> tuple[Kind, ...]:
    if kind == "both":  # "no casualties" is no deaths and no injuries
        return ("fatalities", "injured") if zero else ("injured",)
    return ("fatalities",) if kind == "fatalities" else ("injured",)


def _runs(phrases: list[_Phrase], s: str) -> list[list[tuple[_Phrase, _Group]]]:
    """Adjacent counts of one known group make one figure: "17 civilians and 3 children"."""
    if len(phrases) == 1:
        return [[(phrases[0], phrases[0].group(s))]]
    runs: list[list[tuple[_Phrase, _Group]]] = []
    for p in phrases:
        group = p.group(s)
        run = runs[-1] if runs else None
        if run and group[0] == run[0][1][0] != "unknown":
            if _nation([g for _, g in run] + [group]) != "mixed":
                run.append((p, group))
                continue
        runs.append([(p, group)])
    return runs


def _nation(groups: list[_Group]) -> str | None:
    said = {nation for _, nation in groups} - {None}
    return "mixed" if len(said) > 1 else next(iter(said), None)


def _sum(values: list[_Value]) -> _Value:
    if len(values) == 1:
        return values[0]
    low = sum(v[0] for v in values)
    highs = [v[1] for v in values]
    qualifiers = {v[2] for v in values}
    if None in highs:
        return low, None, "more_than" if "more_than" in qualifiers else "at_least"
    high = sum(h or 0 for h in highs)
    if low != high:
        return low, high, "range"
    return low, high, "about" if "about" in qualifiers else "exact"


def find_figures(sentence: str) -> list[Figure]:
    """Every casualty count `sentence` states, in order of position; rules in the module notes."""
    folded = _fold(sentence)
    if not _HINT.search(folded):
        return []
    return _Reader(sentence, folded).read()
