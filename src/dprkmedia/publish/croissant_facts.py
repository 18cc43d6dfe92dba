"""The corpus facts that ``croissant.json``'s description and Responsible AI fields state, read
from the data (:class:`Corpus`), and the English that states them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from dprkmedia.corpus.jsonl import read_records
from dprkmedia.corpus.metadata import Metadata, add_record
from dprkmedia.corpus.repo import Repo
from dprkmedia.evaluate.agreement import INDEPENDENT_PASSES
from dprkmedia.publish.summary import released


@dataclass(frozen=True)
class Corpus:
    """The corpus facts that the description and the Responsible AI fields state, read from the data.

    They are generated, so that adding an article (or an outlet, or an annotation pass) keeps the
    texts true: ``pages`` and ``known_outlets`` come from ``annotations/sources.jsonl``, the rest
    from the built dataset (``dataset/jsonl/``) and ``annotations/passes/<pass>/``.
    """

    pages: int
    """Registered raw pages (``source`` records)."""
    known_outlets: tuple[str, ...]
    """Every outlet of the metadata file, in its order."""
    outlets: tuple[str, ...]
    """Outlets with at least one article, most articles first (then by name)."""
    genres: tuple[str, ...]
    """Genres of the articles, sorted."""
    documents: tuple[str, ...]
    """Ids of the built documents."""
    dates: tuple[str, ...]
    """Publication dates of the articles that give one, sorted."""
    untitled: frozenset[str]
    """Ids of the articles whose page gives no title."""
    undated: frozenset[str]
    """Ids of the articles whose page gives no publication date."""
    passes: dict[str, frozenset[str]]
    """Annotation pass → ids of the documents it annotated."""


def read_corpus(repo: Repo) -> Corpus:
    """The :class:`Corpus` facts of a repository."""
    meta = Metadata()
    if repo.metadata_file.is_file():
        for record in read_records(repo.metadata_file, repo.metadata_file.name)[0]:
            add_record(meta, record)
    facts = released(repo)
    per_outlet = facts.outlets
    return Corpus(
        pages=len(meta.sources),
        known_outlets=tuple(outlet.name for outlet in meta.outlets),
        outlets=tuple(sorted(per_outlet, key=lambda name: (-per_outlet[name], name))),
        genres=tuple(sorted(facts.genres)),
        documents=tuple(facts.ids),
        dates=tuple(sorted(facts.dates)),
        untitled=frozenset(facts.untitled),
        undated=frozenset(facts.undated),
        passes={
            name: frozenset(path.stem for path in (repo.annotations_dir / "passes" / name).glob("*.jsonl"))
            for name in INDEPENDENT_PASSES
        },
    )


# --- English for the facts -------------------------------------------------------------------

_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def words(n: int) -> str:
    """A count as a word up to twelve, then in digits."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def count(n: int, noun: str) -> str:
    """``two outlets``, ``one genre``: the count in words and the noun in the number it takes."""
    return f"{words(n)} {noun}{'' if n == 1 else 's'}"


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def enumeration(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return " and ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


def the(outlet: str) -> str:
    """An outlet's name inside a sentence: ``the DPRK Ministry ...``; names with their own article
    (``The Pyongyang Times``) and acronyms (``KCNA``) as they are."""
    return outlet if outlet.startswith("The ") or outlet.isupper() else f"the {outlet}"


MAX_LISTED_DATES = 10
"""Up to this many publication dates are listed; more are given as a range."""


def outlets_text(c: Corpus) -> str:
    """The outlets with articles, then those without: ``The Pyongyang Times and the DPRK Ministry of
    Foreign Affairs; KCNA is a known outlet without an article yet``."""
    text = enumeration([the(name) for name in c.outlets])
    idle = [the(name) for name in c.known_outlets if name not in c.outlets]
    if idle:
        verb = "is a known outlet" if len(idle) == 1 else "are known outlets"
        text += f"; {enumeration(idle)} {verb} without an article yet"
    return text


def publication_dates(c: Corpus) -> str:
    """``The articles were published 2021-07-21, ... and 2024-04-25 (one undated)``."""
    if not c.dates:
        return "No article gives its publication date"
    dates = sorted(set(c.dates))
    listed = enumeration(dates) if len(dates) <= MAX_LISTED_DATES else f"between {dates[0]} and {dates[-1]}"
    undated = f" ({words(len(c.undated))} undated)" if c.undated else ""
    return f"The articles were published {listed}{undated}"


def missing_values(c: Corpus) -> str:
    """``: one article has neither title nor publication date on its page, another has no title``."""
    clauses: list[str] = []
    for n, what in (
        (len(c.untitled & c.undated), "neither title nor publication date on {its_page}"),
        (len(c.untitled - c.undated), "no title"),
        (len(c.undated - c.untitled), "no publication date"),
    ):
        if not n:
            continue
        subject = ("another" if n == 1 else f"{words(n)} others") if clauses else count(n, "article")
        verb = "has" if n == 1 else "have"
        clauses.append(f"{subject} {verb} " + what.format(its_page="its page" if n == 1 else "their pages"))
    return ": " + ", ".join(clauses) if clauses else ""


def pass_coverage(c: Corpus, name: str) -> str:
    """``all five articles``, ``two articles``: the documents an annotation pass covered."""
    n = len(c.passes.get(name, frozenset()) & set(c.documents))
    if n == len(c.documents) and n > 2:
        return f"all {count(n, 'article')}"
    return count(n, "article")


def passes_per_article(c: Corpus) -> str:
    """``three independent machine passes for two articles, two for the other three``."""
    per_article = Counter(sum(doc in c.passes.get(name, ()) for name in INDEPENDENT_PASSES) for doc in c.documents)
    parts: list[str] = []
    for passes, articles in sorted(per_article.items(), reverse=True):
        if not passes:
            continue
        noun = "independent machine pass" + ("es" if passes != 1 else "")
        parts.append(
            f"{words(passes)} {noun} for {count(articles, 'article')}"
            if not parts
            else f"{words(passes)} for the other {words(articles)}"
        )
    if per_article.get(0):
        parts.append(f"none for the other {words(per_article[0])}" if parts else "no machine pass")
    return ", ".join(parts) or "no machine pass"


def year_range(c: Corpus) -> str:
    """``, 2021–2024``: the years of the publication dates (empty without dates)."""
    years = sorted({date[:4] for date in c.dates})
    if not years:
        return ""
    return f", {years[0]}" if len(years) == 1 else f", {years[0]}–{years[-1]}"
