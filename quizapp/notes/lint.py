"""Weak cards: the warnings of ``quizapp decks check``.

A card that shows its own answer teaches nothing. This module reads card specs and returns
:class:`DeckWarning` objects, one per weak spot, each under a named rule; ``<!-- ok: RULE -->``
right after a construct silences that rule on that construct's cards (the parser records it in
``CardSpec.lint_ok``). Pure: specs in, warnings out. The rules are documented in
``decks/README.md`` ("Warnings").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from quizapp.notes.model import CardSpec, Deck

RULES: dict[str, str] = {
    "give-away": "a cloze's hidden text is shown elsewhere on the card, or a reverse card's "
    "prompt names its term",
    "mask-fragment": "hiding the term in a reverse card's prompt left part of a longer word",
    "long-answer": "an answer too long to recall as one card",
    "name-and-value": "one cloze deletion hides a name and its value together",
}

MAX_WORDS = 40
MAX_SENTENCES = 3
LONG_ANSWER_KINDS = ("definition", "qa", "table")


@dataclass(frozen=True)
class DeckWarning:
    """A weak card, located at ``path:line``, under a named rule."""

    path: Path
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: warning: [{self.rule}] {self.message}"


def lint_deck(deck: Deck) -> list[DeckWarning]:
    """Every warning for one deck, in line order."""
    return lint_cards(deck.cards, deck.path)


def lint_cards(cards: Iterable[CardSpec], path: Path) -> list[DeckWarning]:
    out: list[DeckWarning] = []
    for card in cards:
        for line, rule, message in _card_warnings(card):
            if rule not in card.lint_ok:
                out.append(DeckWarning(path, line, rule, message))
    out.sort(key=lambda w: w.line)
    return out


def _card_warnings(card: CardSpec) -> Iterator[tuple[int, str, str]]:
    if card.kind == "cloze":
        yield from _cloze(card)
    elif card.kind == "reverse":
        yield from _reverse(card)
    if card.kind in LONG_ANSWER_KINDS:
        yield from _long_answer(card)


# ------------------------------------------------------------------------------ clozes

_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)
_TOKEN = re.compile(r"\w+|[^\w\s]")
_NAME_AND_VALUE = re.compile(r"^\s*[A-Za-z_][\w.]*\s*=(?!=)\s*\S")


def _tokens(text: str) -> list[str]:
    """Text as comparable tokens: identifiers case-folded and without underscores (so that
    ``early_stopping`` and ``EarlyStopping`` are the same name), punctuation one token each,
    whitespace ignored."""
    out = []
    for t in _TOKEN.findall(text):
        if t[0].isalnum() or t[0] == "_":
            t = t.casefold().replace("_", "") or "_"
        out.append(t)
    return out


def _folded_words(text: str) -> list[str]:
    """The word tokens of :func:`_tokens` (those not only underscores)."""
    out = []
    for t in _TOKEN.findall(text):
        if t[0].isalnum() or t[0] == "_":
            t = t.casefold().replace("_", "")
            if t:
                out.append(t)
    return out


def _may_contain(text: str, words: list[str]) -> bool:
    """False when ``text``'s tokens cannot hold a needle with these words: each of them is a
    part of the text case folded, underscores left out (a cheap test before the tokens')."""
    if not words:
        return True
    folded = text.casefold().replace("_", "")
    return all(w in folded for w in words)


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _cloze(card: CardSpec) -> Iterator[tuple[int, str, str]]:
    text, number = card.cloze_text or "", card.cloze_number
    prompt_lines = card.prompt.split("\n")
    aligned = len(prompt_lines) == text.count("\n") + 1
    seen: set[str] = set()
    folded_prompt: str | None = None
    for m in _CLOZE.finditer(text):
        if int(m.group(1)) != number:
            continue
        hidden = m.group(2).strip()
        line = card.line + text[: m.start()].count("\n")
        label = f"c{number} hides {_quote(hidden)}"
        if _NAME_AND_VALUE.match(hidden):
            yield (
                line,
                "name-and-value",
                f"{label}, a name and its value together: hide the one worth remembering, "
                "or give each its own number",
            )
        needle = _tokens(hidden)
        if hidden in seen or not _worth_matching(needle):
            continue
        seen.add(hidden)
        words = _folded_words(hidden)
        if folded_prompt is None:
            folded_prompt = card.prompt.casefold().replace("_", "")
        where = None
        # A line holds the needle only if the whole prompt holds its words.
        in_prompt = all(w in folded_prompt for w in words)
        for n, prompt_line in enumerate(prompt_lines if in_prompt else ()):
            if _may_contain(prompt_line, words) and _contains(_tokens(prompt_line), needle):
                where = f"line {card.line + n}" if aligned else "its text"
                break
        else:
            for heading in card.section:
                if _may_contain(heading, words) and _contains(_tokens(heading), needle):
                    where = f"its heading {_quote(heading)}"
                    break
        if where is not None:
            yield (
                line,
                "give-away",
                f"{label}, which the card also shows ({where}): hide every occurrence under "
                "the same number, or hide something the card does not show",
            )


def shows(text: str, hidden: str) -> bool:
    """Whether ``text`` shows ``hidden`` as the give-away rule reads it: names compared across
    case and underscores, single characters and bare punctuation never counted."""
    needle = _tokens(hidden)
    return _worth_matching(needle) and _contains(_tokens(text), needle)


def _worth_matching(tokens: list[str]) -> bool:
    """Single characters and bare punctuation are shown everywhere; they give nothing away."""
    words = [t for t in tokens if t[0].isalnum() or t == "_"]
    return bool(words) and sum(len(t) for t in tokens) >= 2


# ---------------------------------------------------------------------- reverse cards

_TERM = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*")
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")
_SUFFIXES = (
    "izers",
    "izer",
    "izes",
    "ize",
    "ings",
    "ing",
    "ions",
    "ion",
    "ity",
    "ers",
    "er",
    "ed",
    "es",
    "e",
    "s",
)
_MASK = re.compile(r"[\w-]*___[\w-]*")


def stem(word: str) -> str:
    """A crude stem: one common English suffix off (dilation, dilated → dilat)."""
    w = word.casefold()
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 2:
            if suffix == "s" and w.endswith(("ss", "us", "is", "as")):
                continue
            w = w[: -len(suffix)]
            break
    if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "aeiou":
        w = w[:-1]  # padd(ing) → pad
    return w


def related(part: str, word: str) -> bool:
    """Is ``word`` the term part ``part`` or a word made from it (``dilation`` ~ ``dilated``)?"""
    p, w = part.casefold(), word.casefold()
    if w.startswith(p):
        return True
    sp, sw = stem(p), stem(w)
    if sp == sw:
        return True
    return min(len(sp), len(sw)) >= 5 and (sw.startswith(sp) or sp.startswith(sw))


def term_parts(term: str) -> list[str]:
    """The words a term is made of: ``kernel_initializer`` → kernel, initializer;
    ``EarlyStopping`` → Early, Stopping. Parts shorter than 3 letters are left out."""
    return [p for p in _WORD.findall(term) if len(p) >= 3]


def _reverse(card: CardSpec) -> Iterator[tuple[int, str, str]]:
    m = _TERM.search(card.answer)
    term = (m.group(1) or m.group(2)) if m else card.answer.strip()
    for fragment in _MASK.findall(card.prompt):
        if fragment.strip("-") != "___":
            yield (
                card.line,
                "mask-fragment",
                f"hiding {term} left {_quote(fragment)} in the reverse prompt: reword the "
                "meaning so that the term is not part of a longer name",
            )
    shown = [card.prompt, *card.section]
    for text in shown:
        if term.casefold() in text.casefold():
            yield (card.line, "give-away", f"the reverse prompt shows {term} itself")
            return
    for part in term_parts(term):
        for text in shown:
            for word in _WORD.findall(text):
                if related(part, word):
                    where = "the reverse prompt" if text is card.prompt else "its heading"
                    yield (
                        card.line,
                        "give-away",
                        f"{where} says {_quote(word)}, which gives away {term}: "
                        "describe it without the term's words",
                    )
                    return


# ------------------------------------------------------------------------ long answers

_FENCED = re.compile(r"^\s*(`{3,}|~{3,}).*?^\s*\1\s*$", re.S | re.M)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|etc|vs|cf|approx)\.", re.I)
_LIST_MARKER = re.compile(r"^\s*\d{1,3}[.)]\s", re.M)
_SENTENCE_END = re.compile(r"[.!?]+(?=[\s)\"']|$)")


def answer_size(text: str) -> tuple[int, int]:
    """(words, sentences) of an answer's prose; fenced code is left out."""
    prose = _FENCED.sub(" ", text)
    words = len(prose.split())
    plain = _LIST_MARKER.sub(" ", _ABBREVIATIONS.sub(" ", _CODE_SPAN.sub("x", prose))).strip()
    ends = list(_SENTENCE_END.finditer(plain))
    sentences = len(ends)
    if plain and (not ends or plain[ends[-1].end() :].strip(" )\"'\n")):
        sentences += 1
    return words, sentences


def _long_answer(card: CardSpec) -> Iterator[tuple[int, str, str]]:
    if not any(c in card.answer for c in ".!?") and len(card.answer.split()) <= MAX_WORDS:
        return  # one sentence at most, and leaving the code out leaves no more words
    words, sentences = answer_size(card.answer)
    if words <= MAX_WORDS and sentences <= MAX_SENTENCES:
        return
    hint = (
        "split it into cards, or keep the gist as the answer and move the rest into a `>` "
        "explanation (reference, shown with the answer)"
    )
    if card.kind == "definition":
        hint += "; a meaning this long also makes a weak reverse card (<!-- no-reverse -->)"
    yield (
        card.line,
        "long-answer",
        f"the answer has {words} words in {_plural(sentences, 'sentence')} (one card recalls "
        f"at most {MAX_WORDS} words or {MAX_SENTENCES} sentences): {hint}",
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f'"{text[:40]}…"' if len(text) > 40 else f'"{text}"'
