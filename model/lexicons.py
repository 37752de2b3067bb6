"""Hand-written cue families that separate a claim stated as fact from reported evidence.

Each family is a list of literal words and phrases with the phrase a reader sees when that family
pushes a sentence towards `unsupported`. The same lists feed the features and the reasons, so a
reason always names the wording that actually fired. Literal lists (no regex alternations) keep
the whole page's cue scan to set lookups (phrases are searched only when their first word occurs),
which is what the speed target needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(r"[a-z0-9%]+(?:['’-][a-z0-9]+)*")


@dataclass(frozen=True)
class CueFamily:
    """A named cue family; `reason` may contain `{cue}`, filled with the words that matched."""

    name: str
    cues: tuple[str, ...]
    reason: str
    words: frozenset[str] = field(init=False)
    # First word -> the padded phrases / the cues starting with it. A cue can only occur in a
    # padded word string if its first word is one of the sentence's words, so lookups search only
    # those: same answers as scanning every cue, a set intersection instead of a loop per cue.
    phrases_by_first: dict[str, tuple[str, ...]] = field(init=False, compare=False, repr=False)
    cues_by_first: dict[str, tuple[str, ...]] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", frozenset(c for c in self.cues if " " not in c))
        phrases = [c for c in self.cues if " " in c]
        object.__setattr__(self, "phrases_by_first", _by_first(phrases, padded=True))
        object.__setattr__(self, "cues_by_first", _by_first(self.cues, padded=False))


def _by_first(cues: list[str] | tuple[str, ...], padded: bool) -> dict[str, tuple[str, ...]]:
    """Cues grouped by their first word, in list order (duplicates kept), optionally as ` cue `."""
    out: dict[str, list[str]] = {}
    for cue in cues:
        out.setdefault(cue.split(" ", 1)[0], []).append(f" {cue} " if padded else cue)
    return {first: tuple(group) for first, group in out.items()}


@dataclass(frozen=True)
class Tokens:
    """A sentence reduced to what cue lookups need: its lower-cased word set and padded word string."""

    words: frozenset[str]
    padded: str

    @classmethod
    def of(cls, text: str) -> Tokens:
        tokens = _TOKEN.findall(text.lower().replace("’", "'"))
        return cls(frozenset(tokens), " " + " ".join(tokens) + " ")


class CueIndex:
    """All families' cues in one lookup, so a sentence is scanned once for every family.

    Single words map to the families that list them; phrases are grouped by their first word and
    searched in the padded word string only when that word occurs. The answers are those of
    checking each family on its own, at the cost of one set intersection per sentence.
    """

    def __init__(self, families: tuple[CueFamily, ...]):
        self.size = len(families)
        words: dict[str, list[int]] = {}
        phrases: dict[str, list[tuple[int, str]]] = {}
        for k, family in enumerate(families):
            for word in family.words:
                words.setdefault(word, []).append(k)
            for first, group in family.phrases_by_first.items():
                phrases.setdefault(first, []).extend((k, phrase) for phrase in group)
        self.words = {word: tuple(ks) for word, ks in words.items()}
        self.phrases = {first: tuple(group) for first, group in phrases.items()}
        self.keys = frozenset(self.words) | frozenset(self.phrases)

    def fired(self, tokens: Tokens) -> list[bool]:
        """Per family, in the index's order: whether any of its cues is in the sentence."""
        hit = [False] * self.size
        for word in self.keys.intersection(tokens.words):
            for k in self.words.get(word, ()):
                hit[k] = True
            for k, phrase in self.phrases.get(word, ()):
                if not hit[k] and phrase in tokens.padded:
                    hit[k] = True
        return hit


def matches(family: CueFamily, text: str, limit: int = 2) -> list[str]:
    """The family's cues found in `text`, in reading order, for a reason string."""
    tokens = Tokens.of(text)
    padded = tokens.padded
    candidates = [
        c for first in family.cues_by_first.keys() & tokens.words for c in family.cues_by_first[first]
    ]
    found = [(padded.find(f" {cue} "), cue) for cue in candidates if f" {cue} " in padded]
    return [cue for _, cue in sorted(found)[:limit]]


def _forms(*stems: str) -> tuple[str, ...]:
    """Verb/noun forms of each stem: heal -> heal, heals, healed, healing (regular endings only)."""
    out: list[str] = []
    for stem in stems:
        base = stem[:-1] if stem.endswith("e") else stem
        out += [stem, stem + "s", base + "ed", base + "ing"]
    return tuple(out)


CURE = CueFamily(
    "cure",
    (
        *_forms("cure", "heal", "reverse", "eliminate", "eradicate", "kill", "destroy", "treat"),
        "remedy",
        "remedies",
        "fight",
        "fights",
        "fighting",
        "fight off",
        "wipe out",
        "wipes out",
        "get rid of",
        "gets rid of",
        "combat",
        "combats",
    ),
    "states a cure or treatment effect as fact: '{cue}'",
)
PREVENTION = CueFamily(
    "prevention",
    (
        *_forms("prevent", "protect"),
        "prevention",
        "protective",
        "protection",
        "ward off",
        "wards off",
        "fend off",
        "fends off",
        "guard against",
        "guards against",
        "stave off",
        "keep at bay",
        "keeps at bay",
        "cut the risk",
        "cuts the risk",
        "cut your risk",
        "cuts your risk",
        "lower the risk",
        "lowers the risk",
        "lower your risk",
        "lowers your risk",
        "reduce the risk",
        "reduces the risk",
        "reduce your risk",
        "reduces your risk",
        "slash",
        "slashes",
    ),
    "claims prevention or protection: '{cue}'",
)
BOOST = CueFamily(
    "boost",
    (
        *_forms("boost", "strengthen", "enhance", "supercharge", "rejuvenate", "revitalize", "revitalise"),
        "booster",
        "detox",
        "detoxes",
        "detoxify",
        "detoxifies",
        "detoxification",
        "cleanse",
        "cleanses",
        "cleansing",
        "flush out",
        "flushes out",
        "immune system",
        "immunity",
        "metabolism",
        "vitality",
        "well-being",
        "wellbeing",
        "energy",
    ),
    "wellness or immune-boost wording: '{cue}'",
)
TOXINS = CueFamily(
    "toxins",
    (
        "toxin",
        "toxins",
        "toxic",
        "chemicals",
        "free radicals",
        "impurities",
        "inflammation",
        "acidic",
        "alkaline",
        "alkalize",
        "alkalise",
        "parasites",
        "heavy metals",
    ),
    "detox or toxin wording: '{cue}'",
)
ABSOLUTE = CueFamily(
    "absolute",
    (
        "proven",
        "prove",
        "proves",
        "always",
        "never",
        "guarantee",
        "guaranteed",
        "miracle",
        "miraculous",
        "breakthrough",
        "revolutionary",
        "transformative",
        "completely",
        "definitely",
        "undoubtedly",
        "100%",
        "all-natural",
        "natural",
        "powerful",
        "amazing",
        "incredible",
        "first-ever",
        "first ever",
        "most effective",
        "clear choice",
        "safe and effective",
        "no side effects",
        "secret",
        "superfood",
        "superfoods",
        "many benefits",
        "numerous benefits",
        "cure-all",
        "game changer",
        "game-changer",
    ),
    "absolute or hype wording: '{cue}'",
)
HEDGE = CueFamily(
    "hedge",
    (
        "may",
        "might",
        "could",
        "possibly",
        "perhaps",
        "suggest",
        "suggests",
        "suggested",
        "linked",
        "link",
        "associated",
        "association",
        "tied to",
        "correlated",
        "correlation",
        "likely",
        "appear",
        "appears",
        "preliminary",
        "further research",
        "more research",
        "not prove",
        "cannot prove",
        "can't prove",
        "caution",
        "cautioned",
        "cautions",
        "no evidence",
        "unclear",
        "limitation",
        "limitations",
        "observational",
        "cause and effect",
    ),
    "claim hedged only with '{cue}' (a bare hedge does not add evidence)",
)
CAUSAL = CueFamily(
    "causal",
    (
        *_forms(
            "cause",
            "reduce",
            "lower",
            "raise",
            "increase",
            "improve",
            "help",
            "trigger",
            "stimulate",
            "promote",
            "restore",
            "relieve",
            "decrease",
        ),
        "lead to",
        "leads to",
        "result in",
        "results in",
        "makes",
        "speeds",
        "cut",
        "cuts",
        "will",
        "can",
    ),
    "direct causal wording: '{cue}'",
)
EVIDENCE = CueFamily(
    "evidence",
    (
        "study",
        "studies",
        "trial",
        "trials",
        "randomized",
        "randomised",
        "placebo",
        "journal",
        "published",
        "researcher",
        "researchers",
        "scientists",
        "analysis",
        "meta-analysis",
        "review",
        "data",
        "participants",
        "cohort",
        "survey",
        "according to",
        "reported",
        "report",
        "findings",
        "percent",
        "per cent",
        "nih",
        "cdc",
        "fda",
        "nhs",
        "national institutes",
        "university",
        "institute",
        "lancet",
        "jama",
        "bmj",
        "pediatrics",
        "new england journal",
        "annals",
        "world health organization",
        "centers for disease control",
    ),
    "cites evidence: '{cue}'",
)
VAGUE_EVIDENCE = CueFamily(
    "vague_evidence",
    (
        "has been shown",
        "have been shown",
        "has also been shown",
        "have also been shown",
        "has been proven",
        "have been proven",
        "has been found",
        "studies show",
        "studies have shown",
        "studies have found",
        "research shows",
        "research has shown",
        "science shows",
        "evidence shows",
        "recent studies show",
        "clinically shown",
        "clinically proven",
        "scientifically proven",
        "experts agree",
        "long history of",
        "it is well known",
        "as studies show",
    ),
    "appeals to unnamed research: '{cue}'",
)
ANIMAL = CueFamily(
    "animal",
    (
        "mice",
        "mouse",
        "rat",
        "rats",
        "rodent",
        "rodents",
        "animal",
        "animals",
        "in vitro",
        "cell culture",
        "cell cultures",
        "lab dish",
        "test tube",
        "test tubes",
        "zebrafish",
        "monkeys",
        "pigs",
    ),
    "animal or lab study: '{cue}'",
)
ADVICE = CueFamily(
    "advice",
    (
        "should",
        "must",
        "aim for",
        "try",
        "make sure",
        "be sure to",
        "recommend",
        "recommends",
        "recommended",
        "need to",
        "you can",
        "don't",
        "avoid",
        "add to your",
        "start taking",
    ),
    "gives advice: '{cue}'",
)
PERSONAL = CueFamily(
    "personal",
    ("you", "your", "yours", "we", "our", "us", "i", "my"),
    "speaks to the reader: '{cue}'",
)
HEALTH = CueFamily(
    "health",
    (
        "cancer",
        "cancers",
        "tumor",
        "tumors",
        "tumour",
        "tumours",
        "disease",
        "diseases",
        "disorder",
        "disorders",
        "illness",
        "illnesses",
        "health",
        "healthy",
        "heart",
        "brain",
        "blood",
        "diabetes",
        "obesity",
        "weight",
        "immune",
        "infection",
        "infections",
        "virus",
        "viruses",
        "vaccine",
        "vaccines",
        "vaccinated",
        "vaccination",
        "vaccinations",
        "covid",
        "covid-19",
        "coronavirus",
        "flu",
        "influenza",
        "measles",
        "hiv",
        "aids",
        "autism",
        "antibiotics",
        "asthma",
        "arthritis",
        "pain",
        "depression",
        "anxiety",
        "dementia",
        "alzheimer's",
        "stroke",
        "symptoms",
        "risk",
        "patients",
        "patient",
        "drug",
        "drugs",
        "therapy",
        "therapies",
        "treatment",
        "treatments",
        "medicine",
        "medication",
        "supplement",
        "supplements",
        "vitamin",
        "vitamins",
        "diet",
        "diets",
        "sleep",
        "cholesterol",
        "insulin",
        "memory",
        "stress",
        "fat",
        "aging",
        "ageing",
    ),
    "health claim about '{cue}'",
)

FAMILIES: tuple[CueFamily, ...] = (
    CURE,
    PREVENTION,
    BOOST,
    TOXINS,
    ABSOLUTE,
    HEDGE,
    CAUSAL,
    EVIDENCE,
    VAGUE_EVIDENCE,
    ANIMAL,
    ADVICE,
    PERSONAL,
    HEALTH,
)
FAMILY_BY_NAME = {family.name: family for family in FAMILIES}
INDEX = CueIndex(FAMILIES)
