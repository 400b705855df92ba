"""Building an exam from cards: which cards, which question types, which options.

Deterministic: the same seed, cards, options and exam history give the same exam. Each
question draws from its own random stream (seed, card, type), so one question does not shift
another's options.
"""

from __future__ import annotations

import random
from collections.abc import (
    Callable,
    Collection,
    Container,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from typing import TYPE_CHECKING, TypeVar

from quizapp.quiz.grading import alternatives, answer_kind, normalize
from quizapp.quiz.model import FALSE, TRUE, Exam, ExamOptions, Question, QuestionType
from quizapp.quiz.options import arrange, option_kind, pick_distractors
from quizapp.quiz.pool import Card, Facts, Pool, cell_of
from quizapp.store.exam_cards import Candidates, ExamCard, WeightedConfusion

if TYPE_CHECKING:
    from quizapp.quiz.computed import KerasCheck

Confusions = Callable[[Sequence[str]], dict[str, list[WeightedConfusion]]]
#: card keys -> the whole cards (those still in the store), for the cards an exam asks
Details = Callable[[Sequence[str]], Mapping[str, ExamCard]]
C = TypeVar("C", bound=Card)


def select_cards(
    cards: Sequence[C],
    options: ExamOptions,
    missed: Sequence[str] | None = None,
    tagged: Collection[str] | None = None,
) -> list[C]:
    """The cards an exam may ask: the options' section and tag, and with ``missed`` only
    those cards. ``tagged``: the keys of the cards with the options' tag, for cards that do
    not carry their tags (heads); whole cards are read for it."""
    chosen = list(cards)
    if options.section:
        needle = options.section.casefold()
        chosen = [c for c in chosen if any(needle in h.casefold() for h in c.section)]
    if options.tag and tagged is not None:
        chosen = [c for c in chosen if c.key in tagged]
    elif options.tag:
        tag = options.tag.casefold()
        chosen = [c for c in chosen if any(tag == t.casefold() for t in c.tags)]  # type: ignore[union-attr]
    if missed is not None:
        wanted = set(missed)
        chosen = [c for c in chosen if c.key in wanted]
    return chosen


def build_exam(
    pool: Pool,
    candidates: Sequence[Card],
    options: ExamOptions,
    seed: int,
    confusions: Confusions | None = None,
    keras: KerasCheck | None = None,
    details: Details | None = None,
) -> Exam:
    """An exam of up to ``options.count`` questions from ``candidates`` (in deck order;
    siblings come from the whole ``pool``). At most one question per note, so a card never
    gives its sibling's answer away.

    The pool and the candidates may be the cards' heads: ``details`` then reads the whole
    cards of the questions chosen (their explanations, sources, compute blocks), and only
    those. Without it the cards must be whole."""
    rng = random.Random(f"exam:{seed}")
    order = _random_order(candidates, options.count, rng)
    wanted = set(options.types)
    candidate_keys: Container[str] | None = None  # for matching questions: when first needed
    counts: dict[str, int] = dict.fromkeys(options.types, 0)
    used_notes: set[str] = set()
    plan: list[tuple[QuestionType, Card, list[Card]]] = []
    for card in order:
        if len(plan) >= options.count:
            break
        if card.note_key in used_notes:
            continue
        allowed = [t for t in pool.allowed(card) if t in wanted]
        rng.shuffle(allowed)
        allowed.sort(key=lambda t: counts[t])
        for qtype in allowed:
            members: list[Card] = []
            if qtype == "match":
                if candidate_keys is None:
                    candidate_keys = (
                        candidates.keys()
                        if isinstance(candidates, Candidates)
                        else {c.key for c in candidates}
                    )
                members = _match_members(pool, card, used_notes, candidate_keys, rng)
                if not members:
                    continue
            plan.append((qtype, card, members))  # type: ignore[arg-type]
            counts[qtype] += 1
            used_notes.add(card.note_key)
            used_notes.update(m.note_key for m in members)
            break
    keys = [k for _, card, members in plan for k in [card.key, *(m.key for m in members)]]
    known = confusions(keys) if confusions is not None and keys else {}
    tf_swaps = _tf_swaps(sum(1 for t, _, _ in plan if t == "tf"), rng)
    whole = details([card.key for _, card, _ in plan]) if details is not None and plan else {}
    questions: list[Question] = []
    for qtype, head, members in plan:
        swap = tf_swaps.pop() if qtype == "tf" else False
        if details is None:
            assert isinstance(head, ExamCard), "without details, the cards must be whole"
            card: ExamCard | None = head
        else:
            card = whole.get(head.key)
        if card is None:  # gone from the store since its head was read
            continue
        qrng = random.Random(f"{seed}:{card.key}:{qtype}")
        past = known.get(card.key, [])
        q: Question | None
        if qtype == "computed":
            q = _computed(card, qrng, past, options, seed, keras)
        elif qtype == "match":
            q = _match(pool, card, members, qrng, known)
        else:
            facts = pool.facts(head)
            assert facts is not None
            facts = facts._replace(card=card)  # the question shows the whole card
            if qtype == "mcq":
                q = _mcq(pool, facts, qrng, past)
            elif qtype == "tf":
                q = _tf(pool, facts, qrng, past, swap)
            else:
                q = _typed(facts)
        if q is not None:
            questions.append(q.renumbered(len(questions) + 1))
    note = ""
    if len(questions) < options.count:
        note = (
            f"{len(questions)} question{'s' if len(questions) != 1 else ''}: the chosen cards "
            f"allow no more (asked for {options.count})"
        )
    return Exam(seed, options, tuple(questions), len(candidates), note)


_TAKEN = 200  # the rest of the candidates: heads read this many at a time


def _random_order(candidates: Sequence[Card], count: int, rng: random.Random) -> Iterator[Card]:
    """The candidates in a random order (they come in deck order): a sample a few times the
    count first, the rest shuffled only when the exam needs more of them. Candidates listed
    by the store are read as they are taken (the sample's heads at once)."""
    n = len(candidates)
    first = rng.sample(range(n), min(n, 4 * count + 20))
    yield from _at(candidates, first)
    taken = set(first)
    rest = [i for i in range(n) if i not in taken]
    rng.shuffle(rest)
    for i in range(0, len(rest), _TAKEN):
        yield from _at(candidates, rest[i : i + _TAKEN])


def _at(candidates: Sequence[Card], places: Sequence[int]) -> list[Card]:
    if isinstance(candidates, Candidates):
        return list(candidates.take(places))
    return [candidates[i] for i in places]


def _tf_swaps(n: int, rng: random.Random) -> list[bool]:
    """Half of the true/false statements are false (the odd one out drawn at random)."""
    swaps = [True] * (n // 2) + [False] * (n // 2)
    if n % 2:
        swaps.append(rng.random() < 0.5)
    rng.shuffle(swaps)
    return swaps


def _base(card: ExamCard) -> dict[str, object]:
    return {
        "card": card.key,
        "deck": card.deck,
        "section": card.section,
        "source": card.location,
        "cards": (card.key,),
    }


def _explain(card: ExamCard, first: str = "") -> str:
    parts = [p for p in (first, card.extra.strip()) if p]
    return "\n\n".join(parts)


def _preferred(past: list[WeightedConfusion]) -> list[str]:
    return [c.text for c in past]


def _mcq(
    pool: Pool, facts: Facts, rng: random.Random, past: list[WeightedConfusion]
) -> Question | None:
    card = facts.card
    if card.kind == "list":
        if not facts.numbered:
            return _one_of_mcq(pool, facts, rng, past)
        return _list_mcq(facts, rng)
    wrong = pick_distractors(
        facts.answer,
        facts.choice_kind,
        facts.tiers,
        rng,
        _preferred(past),
        kind_of=facts.choice_kind_of,
        also_right=facts.also_right,
    )
    if wrong is None:
        return None
    return Question(
        n=0,
        type="mcq",
        format="choice",
        prompt=_ask(card),
        answer=facts.answer,
        options=arrange(facts.answer, wrong, rng),
        kind=facts.kind,
        explanation=_explain(card),
        **_base(card),  # type: ignore[arg-type]
    )


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _list_mcq(facts: Facts, rng: random.Random) -> Question | None:
    items = facts.items
    k = rng.randrange(len(items))
    right = items[k]
    others = [x for i, x in enumerate(items) if i != k]
    wrong = pick_distractors(right, answer_kind(right), [others], rng)
    if wrong is None:
        return None
    return _item_mcq(
        facts, f"Which is the {_ordinal(k + 1)} of the {len(items)}?", right, wrong, rng
    )


def _one_of_mcq(
    pool: Pool, facts: Facts, rng: random.Random, past: list[WeightedConfusion]
) -> Question | None:
    """A bulleted list: which of these is one of its items (the others: other lists')."""
    items = facts.items
    places = pool.one_of(facts, 3)
    if not places:
        return None
    right = items[rng.choice(places)]
    wrong = pick_distractors(
        right,
        option_kind(right),
        facts.tiers,
        rng,
        _preferred(past),
        kind_of=option_kind,
        also_right=items,
    )
    if wrong is None:
        return None
    return _item_mcq(facts, f"Which of these is one of the {len(items)}?", right, wrong, rng)


def _item_mcq(facts: Facts, ask: str, right: str, wrong: list[str], rng: random.Random) -> Question:
    """A multiple-choice question on one item of a list card: ``ask`` under its prompt."""
    card = facts.card
    return Question(
        n=0,
        type="mcq",
        format="choice",
        prompt=f"{card.prompt}\n{ask}",
        answer=right,
        options=arrange(right, wrong, rng),
        kind=answer_kind(right),
        explanation=_explain(card, card.answer),
        **_base(card),  # type: ignore[arg-type]
    )


def _ask(card: ExamCard) -> str:
    """The card's prompt as a question (a cloze's blank stays a blank)."""
    return card.prompt


def _statement(pool: Pool, card: ExamCard, value: str) -> str:
    """The card's fact with ``value`` as its answer."""
    if card.kind == "cloze":
        return f"{card.prompt}\nThe blank is: {value}"
    if card.kind == "qa":
        return f"{card.prompt}\n→ {value}"
    return f"{card.prompt}: {value}"


def _tf(
    pool: Pool, facts: Facts, rng: random.Random, past: list[WeightedConfusion], swap: bool
) -> Question | None:
    card = facts.card
    if card.kind == "list" and not facts.numbered:
        return _one_of_tf(pool, facts, rng, past, swap)
    right_value = facts.answer
    label = card.prompt if card.kind != "cloze" else "the blank"
    if card.kind == "list":
        items = facts.items
        k = rng.randrange(len(items))
        right_value = items[k]
        others = [[x for i, x in enumerate(items) if i != k]]
        label = f"the {_ordinal(k + 1)} of {card.prompt}"
    else:
        others = list(facts.tiers)
    swapped: str | None = None
    if swap:
        if card.kind == "list":
            kind, kind_of = "text", facts.kind_of
        else:
            kind, kind_of = facts.choice_kind, facts.choice_kind_of
        alt = pick_distractors(
            right_value,
            kind,
            others,
            rng,
            _preferred(past),
            k=1,
            kind_of=kind_of,
            also_right=facts.also_right,
        )
        swapped = alt[0] if alt else None
    shown = swapped if swapped is not None else right_value
    if card.kind == "list":
        statement = f"{card.prompt}\nThe {_ordinal(k + 1)} is: {shown}"
    else:
        statement = _statement(pool, card, shown)
    short = "\n" not in right_value + (swapped or "") and len(right_value + (swapped or "")) <= 80
    if swapped is None:
        first = f"True: {label} is {right_value}." if short else "True."
    elif short:
        first = f"False: {label} is {right_value}, not {swapped}."
    else:
        first = f"False. The right answer:\n{right_value}"
    return Question(
        n=0,
        type="tf",
        format="choice",
        prompt=statement,
        answer=FALSE if swapped is not None else TRUE,
        options=(TRUE, FALSE),
        swapped=swapped,
        explanation=_explain(card, first),
        **_base(card),  # type: ignore[arg-type]
    )


def _one_of_tf(
    pool: Pool, facts: Facts, rng: random.Random, past: list[WeightedConfusion], swap: bool
) -> Question | None:
    """A bulleted list: "one of them is X", X in half of the questions another list's item."""
    card, items = facts.card, facts.items
    places = pool.one_of(facts, 1)
    if not places:
        return None
    right = items[rng.choice(places)]
    swapped: str | None = None
    if swap:
        alt = pick_distractors(
            right,
            option_kind(right),
            facts.tiers,
            rng,
            _preferred(past),
            k=1,
            kind_of=option_kind,
            also_right=items,
        )
        swapped = alt[0] if alt else None
    n = len(items)
    if swapped is None:
        first = f"True: it is one of the {n}:\n{card.answer}"
    else:
        first = f"False: it is not one of the {n}:\n{card.answer}"
    return Question(
        n=0,
        type="tf",
        format="choice",
        prompt=f"{card.prompt}\nOne of the {n} is: {swapped if swapped is not None else right}",
        answer=FALSE if swapped is not None else TRUE,
        options=(TRUE, FALSE),
        swapped=swapped,
        explanation=_explain(card, first),
        **_base(card),  # type: ignore[arg-type]
    )


def _typed(facts: Facts) -> Question:
    card = facts.card
    if card.kind == "list":
        return Question(
            n=0,
            type="typed",
            format="typed",
            prompt=f"{card.prompt}\n(one per line or separated by ;, in any order)",
            answer="; ".join(facts.items),
            items=facts.items,
            explanation=_explain(card, card.answer),
            **_base(card),  # type: ignore[arg-type]
        )
    extra = card.answer if card.kind == "cloze" else ""
    if card.kind == "cloze":
        extra = f"The passage:\n{card.answer}"
    return Question(
        n=0,
        type="typed",
        format="typed",
        prompt=_ask(card),
        answer=facts.answer,
        kind=facts.kind,
        others=_other_answers(
            facts.answer, (s for s in facts.siblings if s not in facts.also_right)
        ),
        explanation=_explain(card, extra),
        **_base(card),  # type: ignore[arg-type]
    )


OTHERS_KEPT = 40


def _other_answers(answer: str, siblings: Iterable[str]) -> tuple[str, ...]:
    """The nearest siblings' answers that are not also this card's (typing one is a
    confusion, never *almost*)."""
    forms = {normalize(a) for a in alternatives(answer)}
    out: dict[str, None] = {}
    for s in siblings:
        if len(out) >= OTHERS_KEPT:
            break
        if s not in out and not {normalize(a) for a in alternatives(s)} & forms:
            out[s] = None
    return tuple(out)


def _match_members(
    pool: Pool, card: Card, used_notes: set[str], keys: Container[str], rng: random.Random
) -> list[Card]:
    """The other cards of a matching question: of the card's group, among the exam's cards."""
    group = [
        c
        for c in pool.match_group(card)
        if c.key != card.key and c.note_key not in used_notes and c.key in keys
    ]
    if len(group) < 3:
        return []
    size = min(len(group) + 1, rng.randint(4, 6))
    return rng.sample(group, size - 1)


def _match(
    pool: Pool,
    card: ExamCard,
    members: list[Card],
    rng: random.Random,
    known: dict[str, list[WeightedConfusion]],
) -> Question:
    cards = [card, *members]
    rng.shuffle(cards)
    if card.kind == "table":
        terms = [cell_of(c)[0] for c in cards]
        what = f"Match each row to its {cell_of(card)[1]}."
    else:
        terms = [c.prompt for c in cards]
        what = "Match each term to its meaning."
    pairs = tuple(zip(terms, (c.answer for c in cards), strict=True))
    meanings = [c.answer for c in cards]
    rng.shuffle(meanings)
    explanation = "\n".join(f"{t} → {m}" for t, m in pairs)
    return Question(
        n=0,
        type="match",
        format="match",
        prompt=what,
        answer=" ".join(f"{i + 1}{chr(65 + meanings.index(m))}" for i, (_, m) in enumerate(pairs)),
        options=tuple(meanings),
        pairs=pairs,
        explanation=explanation,
        card=cards[0].key,
        deck=card.deck,
        section=card.section,
        source=card.location,
        cards=tuple(c.key for c in cards),
    )


def _computed(
    card: ExamCard,
    rng: random.Random,
    past: list[WeightedConfusion],
    options: ExamOptions,
    seed: int,
    keras: KerasCheck | None,
) -> Question | None:
    from quizapp.quiz.computed import computed_question  # the layer formulas, when needed

    cq = computed_question(card, f"{seed}:{card.key}", keras)
    # Asked as the exam's other questions are: as a choice, typed, or either.
    mcq, typed = "mcq" in options.types, "typed" in options.types
    as_choice = mcq if mcq != typed else rng.random() < 0.5
    base = _base(card)
    if cq is None:  # no layer family: the card's own question, typed
        return Question(
            n=0,
            type="computed",
            format="typed",
            prompt=card.prompt,
            answer=card.answer,
            kind=answer_kind(card.answer),
            explanation=_explain(card),
            **base,  # type: ignore[arg-type]
        )
    explanation = cq.derivation
    kind = answer_kind(cq.answer)
    mistakes = {text: label for text, label in cq.options}
    wrong_texts = [t for t, label in cq.options if label is not None]
    labels = {c.mistake for c in past if c.mistake}
    preferred = [t for t in wrong_texts if mistakes[t] in labels]
    wrong = pick_distractors(cq.answer, kind, [wrong_texts], rng, preferred) if as_choice else None
    common: dict[str, object] = {
        "n": 0,
        "type": "computed",
        "prompt": cq.prompt,
        "answer": cq.answer,
        "kind": kind,
        "explanation": explanation,
        "keras": cq.keras,
        **base,
    }
    if wrong is None:  # typed (also when fewer than three misconceptions differ)
        return Question(
            format="typed",
            others=tuple(wrong_texts),
            mistakes=tuple(mistakes[t] for t in wrong_texts),
            **common,  # type: ignore[arg-type]
        )
    shown = arrange(cq.answer, wrong, rng)
    return Question(
        format="choice",
        options=shown,
        mistakes=tuple(mistakes.get(o) for o in shown),
        **common,  # type: ignore[arg-type]
    )
