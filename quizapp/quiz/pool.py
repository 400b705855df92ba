"""A deck's cards seen as an exam writer sees them: which cards are siblings, and which answers
make good wrong options for which card.

Siblings, nearest first: the other meanings of the same definition list (the other terms, for a
reverse card); the other cells of the same table column, or for a table whose rows are
properties and whose columns are cases (binary vs multiclass) the other case of the same row;
the other items of the same list (for a bulleted list, whose items have no place, the items of
the section's and the deck's other lists); the other deletions of the same cloze passage; the other
answers of the same section's questions. Then the same construct elsewhere in the deck.

A question's wrong answers are of its answer's kind (:func:`~quizapp.quiz.options.option_kind`:
a shape among shapes, a number among numbers, code among code, a short term among short terms,
Korean among Korean), those that open alike first, the section's before the deck's. A card
that asks the same thing as another (the same question, term or meaning elsewhere) never gets
the other's answer as a wrong one: it would be right too.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from difflib import SequenceMatcher
from itertools import combinations
from types import MappingProxyType
from typing import NamedTuple, Protocol

from quizapp.notes.lists import parse_items
from quizapp.quiz.grading import AnswerKind, alternatives, answer_kind, normalize
from quizapp.quiz.options import Tier, Tiers, option_kind, option_look, siblings
from quizapp.store.exam_cards import CardHead, ExamCard

#: A card of the sibling index: the head every card is read as, or the whole card.
Card = CardHead | ExamCard

CELL_SEPARATOR = " — "
TYPED_MAX = 60  # longest answer (one of its accepted forms) a typed question asks for
QA_CHOICE_MAX = 320  # longest question answer offered as a multiple-choice option
_NUMBERED = re.compile(r"^\s*\d+\.\s")
_FENCE_OPEN = re.compile(r"^\s*(`{3,}|~{3,})")
_BRACKET = re.compile(r"\[[^\[\]\n]*\]")
_NOT_ROUGH = re.compile(r"[\W_0]+")


_ROUGH_KEPT = "abcdefghijklmnopqrstuvwxyz123456789"
_NOT_ROUGH_ASCII = bytes(c for c in range(128) if chr(c) not in _ROUGH_KEPT)


def _rough(text: str) -> str:
    """A cheap form of a prompt that two prompts alike after :func:`normalize` share: letters
    and digits only (no zeros: ``0.50`` = ``0.5``), case folded. (An ASCII text, most of them,
    is cut with one byte table: the same as the expression does, several times quicker.)"""
    if text.isascii():
        return text.lower().encode().translate(None, _NOT_ROUGH_ASCII).decode()
    return _NOT_ROUGH.sub("", unicodedata.normalize("NFKC", text).casefold())


def cell_of(card: Card) -> tuple[str, str]:
    """A table card's (row header, column header)."""
    row, _, col = card.prompt.partition(CELL_SEPARATOR)
    return row.strip(), col.strip()


def is_numbered(card: Card) -> bool:
    """Whether a list card's list is numbered (its items have places) or bulleted."""
    return bool(_NUMBERED.match(card.answer))


def list_items(card: Card) -> tuple[str, ...]:
    """A list card's items, in order: the top level only. A nested item is detail of the item
    above it (shown with the answer), not one more item to name."""
    return tuple(item.text for item in parse_items(card.answer.splitlines()))


def cloze_deletion(card: Card) -> str | None:
    """The hidden text of a cloze card, from its prompt (``[...]`` or ``[hint]`` where the
    deletion was) and its answer (every deletion shown)."""
    prompt, answer = card.prompt, card.answer
    brackets = list(_BRACKET.finditer(prompt))
    found = []
    for m in brackets:  # usually one marker: the text around it is the answer's
        head, tail = prompt[: m.start()], prompt[m.end() :]
        if (
            len(answer) > len(head) + len(tail)
            and answer.startswith(head)
            and answer.endswith(tail)
        ):
            found.append(answer[len(head) : len(answer) - len(tail)])
    if len(found) == 1:
        return found[0]
    if not brackets or len(brackets) > 12:
        return None
    parts: list[str] = []  # the deletion shown more than once: match every marker
    last = 0
    for m in brackets:
        parts.append(re.escape(prompt[last : m.start()]))
        parts.append(f"(?:{re.escape(m.group(0))}|(.+?))")
        last = m.end()
    parts.append(re.escape(prompt[last:]))
    try:
        whole = re.fullmatch("".join(parts), answer, re.S)
    except re.error:
        return None
    groups = [g for g in whole.groups() if g is not None] if whole else []
    return groups[0] if groups else None


def is_code_passage(card: Card) -> bool:
    return bool(_FENCE_OPEN.match(card.prompt))


class Facts(NamedTuple):
    """What a card asks, as an exam question: the answer, its kind, and its siblings' answers
    (nearest first, in tiers)."""

    card: Card
    answer: str
    kind: AnswerKind
    tiers: Tiers
    items: tuple[str, ...] = ()  # list cards
    numbered: bool = False  # list cards: items asked by place (else: which is one of them)
    kinds: Mapping[str, AnswerKind] = MappingProxyType({})  # where not answer_kind's
    fine: bool = False  # wrong options share the answer's option_kind, finer than its kind

    def kind_of(self, text: str) -> AnswerKind:
        return self.kinds.get(text) or answer_kind(text)

    @property
    def choice_kind(self) -> str:
        """The kind every option shares with the answer."""
        return option_kind(self.answer) if self.fine else self.kind

    def choice_kind_of(self, text: str) -> str:
        return option_kind(text) if self.fine else self.kind_of(text)

    also_right: tuple[str, ...] = ()  # answers of cards that ask the same thing elsewhere

    @property
    def siblings(self) -> Iterator[str]:
        """Every sibling's answer, nearest first (read as far as needed)."""
        return siblings(self.tiers)


def distinct_kind(
    right: str,
    candidates: Iterable[str],
    kind: str,
    limit: int | None = None,
    kind_of: Callable[[str], str] = answer_kind,
    also_right: Sequence[str] = (),
) -> list[str]:
    """Candidates of the same kind as ``right``, distinct from it (and from ``also_right``)
    and from each other after normalization (no accepted form of one is an accepted form of
    another); the first ``limit`` of them."""
    seen = {normalize(a) for r in (right, *also_right) for a in alternatives(r)}
    out = []
    for c in candidates:
        if kind_of(c) != kind:
            continue
        forms = {normalize(a) for a in alternatives(c)}
        if forms & seen or not all(forms):
            continue
        seen |= forms
        out.append(c)
        if limit is not None and len(out) >= limit:
            break
    return out


class CardSource(Protocol):
    """Where a pool reads cards it does not hold (the store's :class:`ExamCards`)."""

    def group(self, deck: str, kind: str, section: tuple[str, ...]) -> Sequence[Card]: ...

    def of_kind(self, deck: str, kind: str) -> Sequence[Card]: ...

    def prompts_with(
        self, deck: str, kind: str, letters: str
    ) -> Sequence[tuple[str, str, str]]: ...

    def answers(self, deck: str, kind: str) -> Sequence[str]: ...


class _Later(Sequence[str]):
    """A sequence read when it is first looked at (a deck's answers that a question may
    never reach)."""

    def __init__(self, read: Callable[[], Sequence[str]]) -> None:
        self._read: Callable[[], Sequence[str]] | None = read
        self._items: Sequence[str] = ()

    def _got(self) -> Sequence[str]:
        if self._read is not None:
            self._items, self._read = self._read(), None
        return self._items

    def __len__(self) -> int:
        return len(self._got())

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return self._got()[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._got())


class Pool:
    """The cards of the chosen decks, indexed for sibling look-ups: given all at once, or read
    from a :class:`CardSource` as the questions need them (a card's group, a deck's cards of
    one kind), each once."""

    def __init__(self, cards: Sequence[Card] = (), source: CardSource | None = None) -> None:
        self._source = source
        groups: dict[tuple[str, str, tuple[str, ...]], list[Card]] = {}
        run: list[Card] = []
        deck: str | None = None
        kind: str | None = None
        section: tuple[str, ...] | None = None
        for c in cards:  # by index; cards come in runs of one place: a look-up per run
            if c[3] != section or c[4] != kind or c[2] != deck:
                deck, kind, section = c[2], c[4], c[3]
                run = groups.setdefault((deck, kind, section), [])
            run.append(c)
        deck_kind: dict[tuple[str, str], list[Card]] = {}
        for (d, k, _), members in groups.items():  # section by section
            deck_kind.setdefault((d, k), []).extend(members)
        self._groups = groups
        self._deck_kind = deck_kind
        self._deletions: dict[str, str | None] = {}
        self._rows_are_siblings: dict[tuple[str, ...], bool] = {}
        self._facts: dict[str, Facts | None] = {}
        self._one_of: dict[tuple[str, int], tuple[int, ...]] = {}
        self._asked_twice: dict[tuple[str, str], set[str]] = {}
        self._answers: dict[tuple[str, str], tuple[str, ...]] = {}

    def _group_of(self, deck: str, kind: str, section: tuple[str, ...]) -> list[Card]:
        key = (deck, kind, section)
        found = self._groups.get(key)
        if found is None:
            found = list(self._source.group(deck, kind, section)) if self._source else []
            self._groups[key] = found
        return found

    def _of_kind(self, deck: str, kind: str) -> list[Card]:
        """A deck's cards of one construct kind, section by section (in the order the
        sections first come), each section's in deck order."""
        found = self._deck_kind.get((deck, kind))
        if found is not None:
            return found
        if self._source is None:
            found = []
        else:
            by_section: dict[tuple[str, ...], list[Card]] = {}
            for c in self._source.of_kind(deck, kind):
                by_section.setdefault(c.section, []).append(c)
            for section, members in by_section.items():
                self._groups.setdefault((deck, kind, section), members)
            found = [c for members in by_section.values() for c in members]
        self._deck_kind[(deck, kind)] = found
        return found

    # -- groups ------------------------------------------------------------------------------

    def group(self, card: Card) -> list[Card]:
        """The cards of the same construct kind in the same section (a definition list, a
        table, the section's questions)."""
        return self._group_of(card.deck, card.kind, card.section)

    def deletion(self, card: Card) -> str | None:
        if card.key not in self._deletions:
            self._deletions[card.key] = cloze_deletion(card)
        return self._deletions[card.key]

    def cloze_kind(self, card: Card, text: str) -> AnswerKind:
        return "code" if is_code_passage(card) else answer_kind(text)

    def rows_are_siblings(self, card: Card) -> bool:
        """Whether a table's rows hold one property across cases (binary vs multiclass): the
        cells of a row are then more alike than the cells of a column."""
        key = (card.deck, *card.section)
        if key not in self._rows_are_siblings:
            cells = [(cell_of(c), c.answer) for c in self.group(card)]
            self._rows_are_siblings[key] = (
                _alike(cells, by_row=True) > _alike(cells, by_row=False) + 10
            )
        return self._rows_are_siblings[key]

    def column(self, card: Card) -> list[Card]:
        col = cell_of(card)[1]
        return [c for c in self.group(card) if cell_of(c)[1] == col]

    def row(self, card: Card) -> list[Card]:
        row = cell_of(card)[0]
        return [c for c in self.group(card) if cell_of(c)[0] == row]

    def definitions_of(self, card: Card) -> list[Card]:
        """The definition list of a definition or reverse card (its definition cards)."""
        return [
            c
            for c in self._group_of(card.deck, "definition", card.section)
            if c.kind == "definition"
        ]

    # -- facts -------------------------------------------------------------------------------

    def facts(self, card: Card) -> Facts | None:
        """The card as a question, or None when it cannot be asked (a computed card: see
        :mod:`quizapp.quiz.computed`)."""
        if card.key not in self._facts:
            self._facts[card.key] = self._make_facts(card)
        return self._facts[card.key]

    def _make_facts(self, card: Card) -> Facts | None:
        k = card.kind
        if k in ("definition", "reverse"):
            near = tuple(c.answer for c in self.group(card) if c.key != card.key)
            tiers = (near, Tier(self._later_answers(card.deck, k)))  # the deck's (own seen first)
            kind = answer_kind(card.answer)
            return Facts(card, card.answer, kind, tiers, also_right=self.also_right(card))
        if k == "table":
            same_col = [c.answer for c in self.column(card) if c.key != card.key]
            same_row = [c.answer for c in self.row(card) if c.key != card.key]
            tiers = (same_row, same_col) if self.rows_are_siblings(card) else (same_col, same_row)
            return Facts(card, card.answer, answer_kind(card.answer), tuple(map(tuple, tiers)))
        if k == "list":
            items = list_items(card)
            if not items:
                return None
            if is_numbered(card):
                return Facts(card, card.answer, "text", ((),), items=items, numbered=True)
            near: list[str] = []
            far: list[str] = []
            for c in self._of_kind(card.deck, k):
                if c.key != card.key:
                    (near if c.section == card.section else far).extend(list_items(c))
            tiers = (tuple(near), tuple(far))
            return Facts(card, card.answer, "text", tiers, items=items, fine=True)
        if k == "cloze":
            hidden = self.deletion(card)
            if not hidden:
                return None
            kind = self.cloze_kind(card, hidden)
            # Deletions of code passages are code, whatever they look like alone.
            kinds: dict[str, AnswerKind] = {}
            tiers: list[list[str]] = [[], []]
            for c in self._of_kind(card.deck, k):
                d = self.deletion(c)
                if c.key == card.key or not d or d in card.prompt:
                    continue  # a deletion shown in this card's passage gives nothing to ask
                kinds.setdefault(d, self.cloze_kind(c, d))
                tiers[0 if c.note_key == card.note_key else 1].append(d)
            return Facts(card, hidden, kind, (tuple(tiers[0]), tuple(tiers[1])), kinds=kinds)
        if k == "qa":
            return Facts(
                card,
                card.answer,
                answer_kind(card.answer),
                self._qa_tiers(card),
                fine=True,
                also_right=self.also_right(card),
            )
        return None

    def _qa_tiers(self, card: Card) -> Tiers:
        """A question's siblings, nearest first: of the answer's kind, the section's that open
        alike, the section's others, the deck's alike, the deck's others (for an answer opening
        in Korean: the section's and the deck's Korean first); then the section's of other
        kinds (never offered, but typing one of them is a confusion). The deck's are read
        lazily: of the kind (``option_kind``, checked as each is read) and, first, alike."""
        kind, look = option_kind(card.answer), option_look(card.answer)
        alike: list[str] = []
        unlike: list[str] = []
        rest: list[str] = []
        for c in self.group(card):
            if c.key != card.key:
                a = c.answer
                (
                    rest if option_kind(a) != kind else alike if option_look(a) == look else unlike
                ).append(a)
        deck = self._later_answers(card.deck, "qa")
        deck_alike = Tier(deck, lambda a: option_look(a) == look)
        if look == "ko":
            return (tuple(alike), deck_alike, tuple(unlike), Tier(deck), tuple(rest))
        return (tuple(alike), tuple(unlike), deck_alike, Tier(deck), tuple(rest))

    def answers(self, deck: str, kind: str) -> tuple[str, ...]:
        """The answers of a deck's cards of one construct kind, in deck order (section by
        section)."""
        if (deck, kind) not in self._answers:
            if self._source is not None and (deck, kind) not in self._deck_kind:
                found = tuple(self._source.answers(deck, kind))
            else:
                found = tuple(c.answer for c in self._of_kind(deck, kind))
            self._answers[(deck, kind)] = found
        return self._answers[(deck, kind)]

    def _later_answers(self, deck: str, kind: str) -> Sequence[str]:
        if (deck, kind) in self._answers:
            return self._answers[(deck, kind)]
        return _Later(lambda: self.answers(deck, kind))

    def also_right(self, card: Card) -> tuple[str, ...]:
        """The answers of the other cards of the deck that ask what this card asks (the same
        question, term or meaning in another section): right here too. Read from the store,
        only the cards whose prompts may be alike are read (their rough forms' letters in
        order); in no given order (what is right is a set)."""
        place = (card.deck, card.kind)
        if (
            self._source is not None
            and place not in self._deck_kind
            and place not in self._asked_twice
        ):
            asked = normalize(card.prompt)
            return tuple(
                a
                for k, p, a in self._source.prompts_with(card.deck, card.kind, _rough(card.prompt))
                if k != card.key and normalize(p) == asked
            )
        twice = self.asked_twice(card.deck, card.kind)
        if not twice or (asked := normalize(card.prompt)) not in twice:
            return ()
        return tuple(
            c.answer
            for c in self._of_kind(card.deck, card.kind)
            if c.key != card.key and normalize(c.prompt) == asked
        )

    def asked_twice(self, deck: str, kind: str) -> set[str]:
        """The prompts (normalized) that more than one card of this construct kind asks."""
        if (deck, kind) not in self._asked_twice:
            rough = [(_rough(c.prompt), c.prompt) for c in self._of_kind(deck, kind)]
            seen = Counter(r for r, _ in rough)  # normalized alike: roughly alike too
            counts = Counter(normalize(p) for r, p in rough if seen[r] > 1)
            self._asked_twice[(deck, kind)] = {p for p, n in counts.items() if n > 1}
        return self._asked_twice[(deck, kind)]

    def one_of(self, facts: Facts, wrong: int) -> tuple[int, ...]:
        """A bulleted list's items (their places) that can be asked as "which is one of them"
        with ``wrong`` other lists' items of their kind, none of them an item of this list."""
        key = (facts.card.key, wrong)
        if key not in self._one_of:
            items = facts.items
            self._one_of[key] = tuple(
                i
                for i, item in enumerate(items)
                if len(
                    distinct_kind(
                        item, facts.siblings, option_kind(item), wrong, option_kind, items
                    )
                )
                >= wrong
            )
        return self._one_of[key]

    # -- what a card allows ---------------------------------------------------------------------

    def match_group(self, card: Card) -> list[Card]:
        """The cards a matching question with this card may use: its definition list, or its
        table column; terms (or row headers) and meanings distinct."""
        if card.kind == "definition":
            group = self.definitions_of(card)
        elif card.kind == "table":
            group = self.column(card)
        else:
            return []
        out: list[Card] = []
        terms: set[str] = set()
        meanings: set[str] = set()
        for c in group:
            term = normalize(c.prompt if c.kind == "definition" else cell_of(c)[0])
            meaning = normalize(c.answer)
            if term in terms or meaning in meanings:
                continue
            terms.add(term)
            meanings.add(meaning)
            out.append(c)
        return out if len(out) >= 4 and card in out else []

    def allowed(self, card: Card) -> tuple[str, ...]:
        """The question types this card can be asked as."""
        if card.kind == "computed":
            return ("computed",)
        facts = self.facts(card)
        if facts is None:
            return ()
        out: list[str] = []
        if card.kind == "list":
            items = facts.items
            if facts.numbered:
                if len(items) >= 4 and len(distinct_kind(items[0], items[1:], "text", 3)) >= 3:
                    out.append("mcq")
                if len(items) >= 2:
                    out += ["tf", "typed"]
                return tuple(out)
            if self.one_of(facts, 3):
                out.append("mcq")
            if len(items) >= 2:
                out += ["tf"] if self.one_of(facts, 1) else []
                out.append("typed")
            return tuple(out)
        wrong = distinct_kind(
            facts.answer,
            facts.siblings,
            facts.choice_kind,
            3,
            facts.choice_kind_of,
            facts.also_right,
        )
        choice_ok = card.kind != "cloze" and (
            card.kind != "qa" or len(facts.answer) <= QA_CHOICE_MAX
        )
        if choice_ok and len(wrong) >= 3:
            out.append("mcq")
        if wrong and card.kind != "reverse":
            out.append("tf")
        if card.kind == "cloze" or any(
            len(a) <= TYPED_MAX and "\n" not in a for a in alternatives(facts.answer)
        ):
            out.append("typed")
        if self.match_group(card):
            out.append("match")
        return tuple(out)


def _alike(cells: list[tuple[tuple[str, str], str]], *, by_row: bool) -> float:
    """How alike the cells of each row (or column) are, on average (0..100)."""
    lines: dict[str, list[str]] = defaultdict(list)
    for (row, col), text in cells:
        lines[row if by_row else col].append(normalize(text))
    scores = [similarity(a, b) for texts in lines.values() for a, b in combinations(texts, 2)]
    return sum(scores) / len(scores) if scores else 0.0


def similarity(a: str, b: str) -> float:
    """How alike two texts are (0..100): the standard library's matching-blocks ratio,
    ``2 · M / (|a| + |b|)`` with M the characters of the blocks the two texts share."""
    return SequenceMatcher(None, a, b, autojunk=False).ratio() * 100
