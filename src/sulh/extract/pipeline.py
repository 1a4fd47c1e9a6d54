"""From an article to its events: the order in which the readers are applied.

Sentence by sentence: triggers say what happened; dates, places, actors, figures and claims
found in the same sentence are given to the nearest trigger. Speech ("Kabul accused …",
"Islamabad denied …") becomes a claim on the violent event it is about, and an event of its
own only when no such event is in reach. Then mentions of one happening across the article
are merged, so the lead and the later detail make one event. Text that is not English is
returned with its language and no events: wrong events are worse than none.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from sulh.agreement.model import Agreement
from sulh.extract.actors import ActorIndex, ActorMention, index_for
from sulh.extract.articles import Article
from sulh.extract.claims import Claim, find_claims
from sulh.extract.dates import DateMention, DateSpan, find_dates
from sulh.extract.events import Candidate, as_json, merged, unique, unique_places
from sulh.extract.figures import Figure, find_figures
from sulh.extract.language import detect_language
from sulh.extract.places import PlaceMention, gazetteer
from sulh.extract.text import Sentence, plain, sentences
from sulh.extract.triggers import SPEECH, VIOLENT, Trigger, find_triggers, is_background, status_of

# Stored with each article, so that events read by older rules can be told apart.
EXTRACTOR = "sulh-rules-1"
_LOCATIVE = re.compile(
    r"\b(?:in|into|inside|across|within|near|on|at|over|from|of)\s+(?:the\s+)?"
    r"(?:(?:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west)"
    r"(?:ern)?\s+)?$",
    re.IGNORECASE,
)
_SAYS = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:said|says|claimed|claims|reported|reports|told|stated|"
    r"announced|confirmed|added)\b",
    re.IGNORECASE,
)
_AFTER_TARGET = re.compile(r"^\s*(?:\w+\s+){0,4}?(?:on|against|targeting|at|in)\s+(?:the\s+)?$")
_METONYM = re.compile(
    r"(?:'s\s+(?:government|administration|leadership|rulers|authorities)|\s+(?:has|have|had|"
    r"said|says|declared|accused|accuses|denied|denies|blamed|blames|warned|insisted|claimed|"
    r"rejected|wants|will|would|responded|retaliated)\b)"
)
# An accusation or a denial that is a standing position rather than one day's statement.
_STANDING = re.compile(
    r"\b(?:accuses|denies|blames|alleges|insists|maintains|continues\s+to|keeps|long|"
    r"repeatedly|consistently|routinely|has\s+(?:long\s+)?(?:accused|denied|blamed)|"
    r"have\s+(?:long\s+)?(?:accused|denied|blamed))\b",
    re.IGNORECASE,
)
# How far (in characters) a date may be from the words of an event and still date it.
_DATE_REACH = 60
_SUBJECT_OF = re.compile(r"\s+(?:(?:has|have|had|also|since|again|partially|fully|now|then)\s+)*")
# An event a sentence speaks of, with where the sentence names it (None: named before).
Told = tuple[int | None, Candidate]
_PARTY_EVENTS = frozenset({"ceasefire_agreed", "ceasefire_extended", "talks_held", "talks_failed"})


def extract_article(article: Article, *, agreement: Agreement) -> dict[str, Any]:
    """The article's events in the documented output form (docs/extract.md)."""
    text = plain(article.text)
    language = detect_language(text)
    result: dict[str, Any] = {"id": article.id, "language": language, "events": []}
    if article.published:
        result["published"] = article.published.isoformat()
    if language != "en":
        return result
    reader = _Reader(agreement, article)
    for number, sentence in enumerate(sentences(text)):
        reader.read(number, sentence)
    events = merged(reader.events, party_of=reader.actors.party_of)
    result["events"] = [as_json(event) for event in events]
    return result


class _Reader:
    def __init__(self, agreement: Agreement, article: Article) -> None:
        self.actors: ActorIndex = index_for(agreement)
        self.parties = [party.id for party in agreement.parties]
        self.parties_by_id = {party.id: party.name for party in agreement.parties}
        self.article = article
        self.events: list[Candidate] = []
        self.anchor: DateSpan | None = None

    def read(self, number: int, sentence: Sentence) -> None:
        words = sentence.text
        actors = self.actors.find(words)
        places = gazetteer().find(words)
        capitals = [p for p in places if _acts(words, p) and p.place.country in self.parties]
        actors = sorted(
            actors
            + [
                ActorMention(p.start, p.end, p.text, None, p.place.country, "party")
                for p in capitals
            ],
            key=lambda a: a.start,
        )
        places = _places(words, [p for p in places if p not in capitals], actors)
        dates = find_dates(words, published=self.article.published, anchor=self.anchor)
        found = find_triggers(words)
        claims = find_claims(words, actors)
        violent = [t for t in found if t.type in VIOLENT]
        # "the strikes" with nothing before it to refer to is news told for the first time.
        referred = [t for t in found if t.referred and self._referent(number, t)]
        kept = [t for t in found if t not in referred]
        kept = [t for t in kept if t.type not in SPEECH or not (violent or claims)]
        made = [self._event(number, sentence, t, kept, actors, places, dates) for t in kept]
        made = [e for e in made if not _accused_in_general(words, e, claims)]
        self.events.extend(made)
        told = self._told(number, made, referred)
        for figure in find_figures(words):
            if told:
                _nearest(told, figure.start, figure.end).figures.append(
                    (figure, self._side(figure), self._reporter(words, actors))
                )
        for claim in claims:
            self._attach_claim(number, sentence, claim, told, dates)
        self._own_account(words, actors, [e for where, e in told if where is not None])
        resolved = [d.span for d in dates if d.span is not None]
        if resolved:
            self.anchor = resolved[-1]

    def _event(
        self,
        number: int,
        sentence: Sentence,
        trigger: Trigger,
        triggers: list[Trigger],
        actors: list[ActorMention],
        places: list[PlaceMention],
        dates: list[DateMention],
    ) -> Candidate:
        words = sentence.text
        mine = [p for p in places if _closest(triggers, p.start) is trigger]
        dated = [d for d in dates if d.span is not None and _distance(d, trigger) <= _DATE_REACH]
        when = min(dated, key=lambda d: _distance(d, trigger), default=None)
        actor1, actor2, others = self._roles(words, trigger, actors)
        if not mine and trigger.type.startswith("border_crossing"):
            mine = self._countries(actors)
        span = when.span if when else None
        return Candidate(
            type=trigger.type,
            status=status_of(words, trigger),
            span=when.span if when else None,
            date_text=when.text if when else None,
            background=is_background(
                words,
                first_day=span.first if span else None,
                last_day=span.last if span else None,
                published=self.article.published,
            ),
            places=_finest(mine),
            actor1=actor1,
            actor2=actor2,
            others=others,
            evidence=[(sentence.start, sentence.end)],
            sentence=number,
            at=trigger.start,
        )

    def _roles(
        self, words: str, trigger: Trigger, actors: list[ActorMention]
    ) -> tuple[str | None, str | None, list[str]]:
        armed = trigger.type in VIOLENT
        if trigger.type in _PARTY_EVENTS:
            parties = [a for a in actors if a.party in self.parties]
            ids = unique(self._id(a, armed=False) for a in parties)
            if len(ids) < 2:
                # Talks and truces in a bilateral mechanism's news are between its parties.
                ids = unique([*ids, *(self.actors.for_party(p, armed=False) for p in self.parties)])
            others = unique(self._id(a, armed=False) for a in actors if a.party not in self.parties)
            return (ids[0] if ids else None), (ids[1] if len(ids) > 1 else None), others
        if trigger.type.startswith("border_crossing"):
            return self._closer(words, trigger, actors), None, []
        before = [a for a in actors if a.end <= trigger.start and a.kind not in ("media",)]
        after = [a for a in actors if a.start >= trigger.end]
        by = [a for a in after if re.search(r"\bby\s+(?:the\s+)?$", words[: a.start])]
        agent = (by or before[-1:])[0] if by or before else None
        if trigger.type == "armed_attack_by_militants":
            groups = [a for a in actors if a.kind == "armed_group"]
            agent = groups[0] if groups else agent
        target = next(
            (
                a
                for a in after
                if a is not agent and _AFTER_TARGET.match(words[trigger.end : a.start])
            ),
            None,
        )
        actor1 = self._id(agent, armed=armed) if agent else None
        actor2 = self._id(target, armed=armed) if target else None
        others = unique(
            self._id(a, armed=armed) for a in actors if a is not agent and a is not target
        )
        return actor1, actor2, [o for o in others if o not in (actor1, actor2)]

    def _closer(self, words: str, trigger: Trigger, actors: list[ActorMention]) -> str | None:
        # Only an actor that is the subject of the closing ("Pakistan has shut …") closed it.
        for mention in reversed([a for a in actors if a.end <= trigger.start]):
            if _SUBJECT_OF.fullmatch(words[mention.end : trigger.start]):
                return self._id(mention, armed=False)
        return None

    def _id(self, mention: ActorMention, *, armed: bool) -> str | None:
        # Governments do not fight, their forces do: "the Taliban government launched raids".
        governs = mention.kind in ("government", "ministry")
        if mention.actor is not None and not (armed and governs and mention.party):
            return mention.actor
        return self.actors.for_party(mention.party, armed=armed) if mention.party else None

    def _countries(self, actors: list[ActorMention]) -> list[PlaceMention]:
        # "crossings between Pakistan and Afghanistan": the border of the states named.
        found: list[PlaceMention] = []
        for mention in actors:
            if mention.actor is None and mention.party in self.parties:
                name = self.parties_by_id[mention.party]
                found.extend(
                    PlaceMention(mention.start, mention.end, mention.text, place)
                    for place in gazetteer().lookup(name)
                    if place.precision == "country"
                )
        return found

    def _side(self, figure: Figure) -> str | None:
        return figure.nationality if figure.nationality in self.parties else None

    def _reporter(self, words: str, actors: list[ActorMention]) -> str | None:
        speaker = _speaker(words, actors)
        return self._id(speaker, armed=False) if speaker else self.article.outlet

    def _own_account(self, words: str, actors: list[ActorMention], told: list[Candidate]) -> None:
        """A side describing its own strike ("a Pakistani military official said the strikes
        targeted militants") acknowledges it, unless it denies it in the same breath."""
        speaker = _speaker(words, actors)
        if speaker is None or speaker.party is None:
            return
        for event in told:
            acting = self.actors.party_of(event.actor1)
            spoken = {c["claimant"] for c in event.claims}
            claimant = self._id(speaker, armed=True)
            if acting == speaker.party and claimant and claimant not in spoken and event.actor1:
                event.claims.append(
                    {"claimant": claimant, "accused": [event.actor1], "stance": "acknowledges"}
                )

    def _referent(self, number: int, trigger: Trigger) -> Candidate | None:
        """The event "these strikes" refers back to: the latest of its type, told lately."""
        earlier = [e for e in self.events if e.type == trigger.type and e.sentence < number]
        return earlier[-1] if earlier and number - earlier[-1].sentence <= 3 else None

    def _told(self, number: int, made: list[Candidate], referred: list[Trigger]) -> list[Told]:
        """The violent events this sentence speaks of, with where it names them."""
        told: list[Told] = [(e.at, e) for e in made if e.type in VIOLENT]
        for trigger in referred:
            earlier = self._referent(number, trigger)
            if earlier is not None:
                told.append((trigger.start, earlier))
        if told:
            return sorted(told, key=lambda t: t[0] or 0)
        recent = [e for e in self.events[-3:] if e.type in VIOLENT and number - e.sentence <= 1]
        return [(None, e) for e in recent]

    def _attach_claim(
        self,
        number: int,
        sentence: Sentence,
        claim: Claim,
        told: list[Told],
        dates: list[DateMention],
    ) -> None:
        if claim.claimant is None:
            return
        claimant = self._id(claim.claimant, armed=False)
        if claimant is None:
            return
        armed = bool(told)
        accused = unique(self._id(a, armed=armed) for a in claim.accused)
        if told:
            target = _nearest(told, claim.start)
            accused = accused or ([target.actor1] if target.actor1 else [])
            if accused:
                target.claims.append(
                    {"claimant": claimant, "accused": accused, "stance": claim.stance}
                )
            return
        if not accused:
            return
        if claim.claimant.party is None and claim.claimant.kind != "armed_group":
            return  # commentators' views are not the parties' statements
        entry = {"claimant": claimant, "accused": accused, "stance": claim.stance}
        said = [e for e in self.events if e.type in SPEECH and e.sentence == number]
        if said:  # "Islamabad accuses Kabul of …, which Kabul denies": one exchange
            said[-1].claims.append(entry)
            return
        # A denial answers an allegation: both are the statement event, per the guide.
        speech = Trigger("statement_or_accusation", claim.start, claim.end)
        event = self._event(number, sentence, speech, [speech], [], [], dates)
        standing = bool(_STANDING.search(sentence.text)) and event.span is None
        event = replace(
            event,
            actor1=claimant,
            actor2=accused[0] if accused else None,
            status="ongoing" if standing else event.status,
            background=event.background or standing,
        )
        event.claims.append(entry)
        self.events.append(event)


def _speaker(words: str, actors: list[ActorMention]) -> ActorMention | None:
    """Who the sentence quotes: "X said …", "according to X"."""
    for mention in actors:
        says = _SAYS.match(words[mention.end :])
        according = re.search(r"according\s+to\s+(?:the\s+)?$", words[: mention.start], re.I)
        if says or according:
            return mention
    return None


def _accused_in_general(words: str, event: Candidate, claims: list[Claim]) -> bool:
    """Violence named only as what one side has long accused the other of ("has repeatedly
    charged Kabul with sheltering those behind bombings"): the accusation is the event."""
    if event.type not in VIOLENT or event.span is not None or event.places:
        return False
    alleged_before = any(c.stance == "alleges" and c.start < event.at for c in claims)
    return alleged_before and bool(_STANDING.search(words))


def _acts(words: str, mention: PlaceMention) -> bool:
    # "Islamabad said", "Kabul's government": a city standing for the state that sits in it.
    return mention.place.kind == "town" and bool(_METONYM.match(words, mention.end))


def _places(
    words: str, found: list[PlaceMention], actors: list[ActorMention]
) -> list[PlaceMention]:
    # A country's name is a place only after "in", "across", "into"…; otherwise it is an actor.
    kept = []
    for mention in found:
        if mention.place.precision == "country" and not _LOCATIVE.search(words[: mention.start]):
            continue
        if any(a.start <= mention.start < a.end and a.actor for a in actors):
            continue
        kept.append(mention)
    return kept


def _finest(places: list[PlaceMention]) -> list[PlaceMention]:
    finer = [p for p in places if p.place.precision != "country"]
    return unique_places(finer or places)


def _closest(triggers: list[Trigger], at: int) -> Trigger | None:
    return min(triggers, key=lambda t: abs((t.start + t.end) // 2 - at), default=None)


def _distance(mention: DateMention, trigger: Trigger) -> int:
    return min(abs(mention.start - trigger.end), abs(trigger.start - mention.end))


def _nearest(told: list[Told], at: int, end: int | None = None) -> Candidate:
    """The event a figure or a claim at `at` is about: one named right after it ("23 soldiers
    were killed in an ambush"), else the last one named before it ("the fighting killed
    dozens"), else the first after it; when its sentence names none, the latest."""
    here = [(where, e) for where, e in told if where is not None]
    if not here:
        return told[-1][1]
    right_after = [e for where, e in here if end is not None and end <= where <= end + 30]
    if right_after:
        return right_after[0]
    before = [e for where, e in here if where <= at]
    return before[-1] if before else here[0][1]
