"""The words of casualty reports and the patterns compiled from them.

Groups, nations, number words, qualifiers and the words around a count; then one scan
pattern over a lower-cased sentence. The conventions are in the notes of sulh.extract.figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sulh.extract.figures.figure import Whose

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
# "both": the killed and the wounded together, filed as injured (see the package notes).
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
