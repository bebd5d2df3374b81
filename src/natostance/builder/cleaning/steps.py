"""Pure cleaning steps: ``RawArticle`` blocks in, clean paragraphs out, every removal counted by rule name.

Steps run in this order (``clean``): whitespace → inline markup → embedded-post URLs → header/trailer
block rules (metadata lifted into ``Meta``) → title line (or a head line repeating the title) → stray trailing
artefacts → paragraphs broken mid-sentence rejoined → evident copies dropped (standfirst, pull quote, label). No I/O, no global state.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

from natostance.builder.authors import names
from natostance.builder.cleaning import rules as B
from natostance.builder.dates import to_iso_date
from natostance.builder.document import Meta, RawArticle

_WS_RUN = re.compile(r"\s{2,}|[^\S ]")
_SPACES = re.compile(r"  +")  # left where markup between two words went
_HAS_WORD = re.compile(r"\w")
_ENDS_SENTENCE = re.compile(r"[.!?…:;][\"'”’)\]]*$")
_CLOSERS = "\"'”’)]\n"  # what may follow the punctuation in a match of _ENDS_SENTENCE ($ also matches before a final \n)
_LIST_FIELDS = {"tags", "categories", "embeds"}


def normalize_whitespace(blocks: list[str], counts: Counter) -> list[str]:
    out = []
    for block in blocks:
        block = block.strip()
        if "  " in block or not block.isprintable():  # other whitespace than a space is unprintable
            block, n = _WS_RUN.subn(" ", block)
            counts["whitespace"] += n
        if block:
            out.append(block)
    return out


def strip_inline(blocks: list[str], counts: Counter) -> list[str]:
    out = []
    for block in blocks:
        if "[" not in block and "<" not in block and "*" not in block:  # every inline rule needs one of these
            out.append(block)
            continue
        removed = 0
        for rule in B.INLINE:
            block, n = rule.pattern.subn(rule.replacement, block)
            counts[rule.name] += n
            removed += n
        block = _SPACES.sub(" ", block).strip() if removed else block.strip()
        if block:
            out.append(block)
    return out


def lift_embeds(blocks: list[str], meta: Meta, counts: Counter) -> list[str]:
    out = []
    for block in blocks:
        m = B.EMBED.fullmatch(block)
        if m:
            meta.embeds.append(m.group(1))
            counts["embed_url"] += 1
        else:
            out.append(block)
    return out


def _set_field(meta: Meta, name: str, value: object) -> None:
    if name == "authors":
        if not meta.authors:
            meta.authors.extend(names(str(value), [x for x in (meta.outlet, meta.republisher) if x]))
        return
    if name in _LIST_FIELDS:
        getattr(meta, name).extend(v.strip() for v in str(value).split(",") if v.strip())
        return
    if name == "original_language":
        value = B.LANGUAGES.get(str(value), str(value))
    elif name in ("published", "posted"):
        value = to_iso_date(str(value))
    if getattr(meta, name) in (None, False) and value is not None:
        setattr(meta, name, value.strip() if isinstance(value, str) else value)


_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
_NOTHING = re.compile(r"(?!)")  # fullmatches no block
_zones: tuple[tuple[B.BlockRule, ...], dict[tuple[bool, bool], tuple]] = ((), {})


def _any_rule(rules: tuple[B.BlockRule, ...]) -> re.Pattern[str] | None:
    """One pattern that fullmatches a block exactly when one of ``rules`` does (their alternation, named groups
    made plain), so a block no rule takes costs one call; None where that cannot be built safely."""
    sources = []
    for rule in rules:
        src, n = _NAMED_GROUP.subn("(?:", rule.pattern.pattern)
        if n != len(rule.pattern.groupindex) or "(?P=" in src or re.search(r"\\[1-9]", src) \
                or rule.pattern.flags != rules[0].pattern.flags:
            return None
        sources.append(f"(?:{src})")
    return re.compile("|".join(sources), rules[0].pattern.flags) if rules else None


def _longest(rule: B.BlockRule) -> float:
    """The most characters a fullmatch of ``rule`` can span (the regex parser's width bound; inf when unbounded
    or unknown)."""
    try:
        from re import _parser

        width = _parser.parse(rule.pattern.pattern, rule.pattern.flags).getwidth()[1]
    except Exception:  # noqa: BLE001 - a parser that differs: no bound, every block checked by every rule
        return float("inf")
    return float("inf") if width >= _parser.MAXREPEAT else width


def _zone_rules(head: bool, tail: bool) -> tuple[tuple[B.BlockRule, ...], re.Pattern[str] | None, float, re.Pattern[str] | None]:
    """The block rules, in order, that may fire in the head and/or tail zone or neither; ``_any_rule`` of them;
    the longest block a rule of bounded width can take; and ``_any_rule`` of the unbounded ones, the only
    rules that can take a longer block (made once per rule table)."""
    global _zones
    rules, by_zone = _zones
    if rules is not B.BLOCKS:
        by_zone = {}
        for h in (False, True):
            for t in (False, True):
                zone = tuple(r for r in B.BLOCKS if r.where == B.ANYWHERE or (h and r.where == B.HEAD)
                             or (t and r.where == B.TAIL))
                widths = [_longest(r) for r in zone]
                cut = max([w for w in widths if w != float("inf")], default=0)
                unbounded = tuple(r for r, w in zip(zone, widths) if w == float("inf"))
                by_zone[h, t] = (zone, _any_rule(zone), cut, _any_rule(unbounded) if unbounded else _NOTHING)
        _zones = (B.BLOCKS, by_zone)
    return by_zone[head, tail]


def _for_this_copy(rule: B.BlockRule, meta: Meta) -> bool:
    """A publisher's own rule fires only on that publisher's copies; every other rule everywhere."""
    return rule.publisher is None or rule.publisher in (meta.republisher, meta.outlet)


def apply_block_rules(blocks: list[str], meta: Meta, counts: Counter) -> list[str]:
    n = len(blocks)
    out = []
    for i, block in enumerate(blocks):
        rules, any_rule, cut, any_long = _zone_rules(i < B.HEAD_BLOCKS, i >= n - B.TAIL_BLOCKS)
        if len(block) > cut:  # longer than any rule of bounded width can take
            any_rule = any_long
        if any_rule is not None and not any_rule.fullmatch(block):  # no rule of the zone takes it
            out.append(block)
            continue
        for rule in rules:
            if _for_this_copy(rule, meta) and (m := rule.pattern.fullmatch(block)):
                for name, value in m.groupdict().items():
                    _set_field(meta, name, value)
                for name, value in rule.constants:
                    _set_field(meta, name, value)
                counts[rule.name] += 1
                break
        else:
            out.append(block)
    return out


def _ends_sentence(block: str) -> bool:
    """``_ENDS_SENTENCE.search(block)``, looking only at the end (a match can start no earlier)."""
    return _ENDS_SENTENCE.search(block, max(len(block.rstrip(_CLOSERS)) - 1, 0)) is not None


def take_title(blocks: list[str], meta: Meta, counts: Counter) -> list[str]:
    """A first block that reads as a headline (short, no sentence-final punctuation) becomes the title."""
    if meta.title is None and len(blocks) > 1 and len(blocks[0]) <= 250 and not _ends_sentence(blocks[0]):
        meta.title = blocks[0]
        counts["title_line"] += 1
        return blocks[1:]
    return blocks


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def drop_title_repeat(blocks: list[str], meta: Meta, counts: Counter) -> list[str]:
    """Drop a head block that repeats the title (pages and dumps often print the headline above the text)."""
    if not meta.title or len(blocks) < 2:
        return blocks
    title = _plain(meta.title)
    for i, block in enumerate(blocks[:2]):
        if title and _plain(block) == title:
            counts["title_repeat"] += 1
            return blocks[:i] + blocks[i + 1:]
    return blocks


def drop_trailing_artifacts(blocks: list[str], counts: Counter) -> list[str]:
    """Drop final blocks with no letter or digit (a stray quote, a backtick)."""
    while blocks and not _HAS_WORD.search(blocks[-1]):
        blocks = blocks[:-1]
        counts["stray_trailing_artifact"] += 1
    return blocks


def rejoin_broken_paragraphs(blocks: list[str], counts: Counter) -> list[str]:
    """Rejoin a block that stops mid-sentence with the next one when that starts in lower case."""
    out: list[str] = []
    for block in blocks:
        if out and block[:1].islower() and not _ends_sentence(out[-1]):
            out[-1] = f"{out[-1]} {block}"
            counts["rejoined_paragraph"] += 1
        else:
            out.append(block)
    return out


def _key(block: str) -> str:
    return block[:32].casefold()


PULL_QUOTE_WORDS = 15  # a repeated block this long is a copy (pull quote, doubled paragraph), never new text
LABEL_WORDS, LABEL_REPEATS = 6, 3  # a short line without a sentence, printed this often, is a page label


def drop_duplicates(blocks: list[str], counts: Counter) -> list[str]:
    """Drop evident copies only: a standfirst repeated near-verbatim as a later paragraph, later copies of a
    long paragraph, and every copy of a short label line printed three times or more ("See it now: Amazon").
    Short lines that repeat as part of the text (an interview's recurring question) stay."""
    later: dict[str, list[int]] = {}
    for i, block in enumerate(blocks):
        later.setdefault(_key(block), []).append(i)
    repeats = Counter(blocks)
    drop: set[int] = set()
    for i, block in enumerate(blocks):  # words counted only for a block that repeats (most never do)
        if repeats[block] >= LABEL_REPEATS and len(block.split()) <= LABEL_WORDS and not _ENDS_SENTENCE.search(block):
            drop.add(i)
            counts["repeated_label"] += 1
            continue
        twins = [j for j in later[_key(block)] if j > i and j not in drop]
        for j in twins:
            if blocks[j] == block:
                if len(block.split()) >= PULL_QUOTE_WORDS:
                    drop.add(j)
                    counts["duplicate_paragraph"] += 1
            elif i < 3 and SequenceMatcher(None, block, blocks[j], autojunk=False).ratio() >= 0.8:
                drop.add(i)
                counts["duplicate_standfirst"] += 1
                break
    return [b for i, b in enumerate(blocks) if i not in drop]


def clean(raw: RawArticle) -> tuple[list[str], dict[str, int]]:
    """Run every step; return the clean paragraphs and the per-rule counts (only rules that fired)."""
    counts: Counter = Counter()
    blocks = normalize_whitespace(raw.blocks, counts)
    blocks = strip_inline(blocks, counts)
    blocks = lift_embeds(blocks, raw.meta, counts)
    blocks = apply_block_rules(blocks, raw.meta, counts)
    if raw.source_format in ("plain", "markdown"):
        blocks = take_title(blocks, raw.meta, counts)
    else:
        blocks = drop_title_repeat(blocks, raw.meta, counts)
    blocks = drop_trailing_artifacts(blocks, counts)
    blocks = rejoin_broken_paragraphs(blocks, counts)
    blocks = drop_duplicates(blocks, counts)
    return blocks, {k: v for k, v in sorted(counts.items()) if v}
