"""Hand-written cue families that separate a claim stated as fact from reported evidence.

Each family is one compiled pattern with the phrase a reader sees when that family pushes a
sentence towards `unsupported`. The same patterns feed the features and the reasons, so a reason
always names the wording that actually fired. Families are deliberately small and readable:
the learnt word weights cover the long tail, these carry what transfers between sites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class CueFamily:
    """A named cue family; `reason` may contain `{cue}`, filled with the matched words."""

    name: str
    pattern: re.Pattern[str]
    reason: str


def _words(*alternatives: str) -> re.Pattern[str]:
    """Whole-word, case-insensitive alternation; entries are regex fragments."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


CURE = _words(
    r"cures?d?",
    r"curing",
    r"heals?",
    r"healing",
    r"reverses?d?",
    r"eliminates?d?",
    r"eradicates?",
    r"wipes? out",
    r"gets? rid of",
    r"treats?",
    r"remed(?:y|ies)",
    r"fights?",
    r"fight(?:s|ing)? off",
    r"kills?",
    r"destroys?",
)
PREVENTION = _words(
    r"prevents?",
    r"preventing",
    r"prevention",
    r"protects?",
    r"protective",
    r"protection",
    r"wards? off",
    r"fends? off",
    r"guards? against",
    r"cuts? (?:the |your )?risk",
    r"lowers? (?:the |your )?risk",
    r"reduces? (?:the |your )?risk",
    r"slash(?:es)?",
    r"stave off",
)
BOOST = _words(
    r"boosts?",
    r"boosting",
    r"booster",
    r"strengthens?",
    r"enhances?",
    r"supercharges?",
    r"rejuvenat\w*",
    r"revitali[sz]\w*",
    r"detox\w*",
    r"cleanse\w*",
    r"flush(?:es)? out",
    r"immune system",
    r"immunity",
    r"metabolism",
    r"vitality",
    r"well-being",
    r"energy",
)
TOXINS = _words(
    r"toxins?",
    r"toxic",
    r"chemicals",
    r"free radicals",
    r"impurities",
    r"inflammation",
    r"acidic",
    r"alkaline",
    r"parasites?",
)
ABSOLUTE = _words(
    r"proven",
    r"proves?",
    r"always",
    r"never",
    r"guaranteed?",
    r"miracle\w*",
    r"breakthrough",
    r"revolutionary",
    r"transformative",
    r"completely",
    r"definitely",
    r"undoubtedly",
    r"100 ?%",
    r"all-natural",
    r"natural",
    r"powerful",
    r"amazing",
    r"incredible",
    r"first[- ]ever",
    r"most effective",
    r"clear choice",
    r"safe and effective",
    r"no side effects",
    r"secret",
    r"superfood\w*",
    r"clinically (?:shown|proven)",
    r"has been shown",
    r"have been shown",
    r"(?:many|numerous) benefits",
)
HEDGE = _words(
    r"may",
    r"might",
    r"could",
    r"possibly",
    r"perhaps",
    r"suggests?",
    r"suggested",
    r"linked",
    r"associated",
    r"association",
    r"tied to",
    r"correlat\w*",
    r"likely",
    r"less likely",
    r"more likely",
    r"appears?",
    r"preliminary",
    r"further research",
    r"more research",
    r"not prove",
    r"cannot prove",
    r"cautio\w*",
    r"no evidence",
    r"unclear",
    r"limitations?",
)
CAUSAL = _words(
    r"causes?d?",
    r"leads? to",
    r"results? in",
    r"reduces?d?",
    r"lowers?",
    r"raises?",
    r"increases?",
    r"improves?d?",
    r"helps?",
    r"triggers?",
    r"makes?",
    r"stimulates?",
    r"promotes?",
    r"speeds?",
    r"restores?",
    r"relieves?",
    r"cuts?",
    r"will",
    r"can",
)
EVIDENCE = _words(
    r"stud(?:y|ies)",
    r"trials?",
    r"randomi[sz]ed",
    r"placebo",
    r"journal",
    r"published",
    r"researchers?",
    r"scientists?",
    r"analysis",
    r"meta-analysis",
    r"review",
    r"data",
    r"participants",
    r"patients",
    r"cohort",
    r"survey",
    r"according to",
    r"reported?",
    r"findings?",
    r"results",
    r"percent",
    r"per cent",
    r"NIH",
    r"CDC",
    r"WHO",
    r"FDA",
    r"NHS",
    r"National Institutes?",
    r"University",
    r"Institute",
    r"Lancet",
    r"JAMA",
    r"BMJ",
    r"Pediatrics",
    r"New England Journal",
    r"Annals",
)
NUMBERS = re.compile(r"\b\d[\d,.]*\s*(?:%|percent|per cent|patients|people|participants|adults|children)?")
ANIMAL = _words(
    r"mice",
    r"mouse",
    r"rats?",
    r"rodents?",
    r"animals?",
    r"in vitro",
    r"cells? cultures?",
    r"lab dish\w*",
    r"test tubes?",
    r"zebrafish",
    r"monkeys?",
    r"pigs?",
)
ADVICE = _words(
    r"should",
    r"must",
    r"aim for",
    r"try",
    r"make sure",
    r"be sure to",
    r"recommend\w*",
    r"need to",
    r"you can",
    r"don't",
    r"avoid",
    r"add\w* (?:\w+ )?to your",
)
PERSONAL = _words(r"you", r"your", r"yours", r"we", r"our", r"us", r"I", r"my")
HEALTH = _words(
    r"cancers?",
    r"tumou?rs?",
    r"diseases?",
    r"disorders?",
    r"illness\w*",
    r"health\w*",
    r"heart",
    r"brain",
    r"blood",
    r"diabet\w*",
    r"obesity",
    r"weight",
    r"immune",
    r"infections?",
    r"virus\w*",
    r"vaccin\w*",
    r"pain",
    r"depression",
    r"anxiety",
    r"dementia",
    r"alzheimer\w*",
    r"stroke",
    r"symptoms?",
    r"risk",
    r"patients?",
    r"drugs?",
    r"therap\w*",
    r"treatment\w*",
    r"medic\w*",
    r"supplements?",
    r"vitamins?",
    r"diet\w*",
    r"sleep",
    r"cholesterol",
    r"insulin",
    r"memory",
)

FAMILIES: tuple[CueFamily, ...] = (
    CueFamily("cure", CURE, "states a cure or treatment effect as fact: '{cue}'"),
    CueFamily("prevention", PREVENTION, "claims prevention or protection: '{cue}'"),
    CueFamily("boost", BOOST, "wellness/immune-boost wording: '{cue}'"),
    CueFamily("toxins", TOXINS, "detox/toxin wording: '{cue}'"),
    CueFamily("absolute", ABSOLUTE, "absolute or hype wording: '{cue}'"),
    CueFamily("hedge", HEDGE, "hedged wording: '{cue}'"),
    CueFamily("causal", CAUSAL, "direct causal wording: '{cue}'"),
    CueFamily("evidence", EVIDENCE, "cites evidence: '{cue}'"),
    CueFamily("numbers", NUMBERS, "gives numbers: '{cue}'"),
    CueFamily("animal", ANIMAL, "animal or lab study: '{cue}'"),
    CueFamily("advice", ADVICE, "gives advice: '{cue}'"),
    CueFamily("personal", PERSONAL, "speaks to the reader: '{cue}'"),
    CueFamily("health", HEALTH, "health topic: '{cue}'"),
)
FAMILY_BY_NAME = {family.name: family for family in FAMILIES}


def matches(family: CueFamily, text: str, limit: int = 2) -> list[str]:
    """The first distinct matched words, lower-cased, for a reason string."""
    seen: list[str] = []
    for match in family.pattern.finditer(text):
        cue = match.group(0).strip().lower()
        if cue and cue not in seen:
            seen.append(cue)
        if len(seen) == limit:
            break
    return seen
