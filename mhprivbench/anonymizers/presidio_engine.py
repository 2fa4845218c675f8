"""Presidio analyzer engines for the ``presidio`` anonymizer: built once per process and configuration, and
batched detection.

Importing this module imports presidio and spaCy (``mhprivbench.anonymizers.presidio`` imports it only when it
first detects). Offline by construction (DESIGN.md section 6): tldextract's public-suffix download is switched off
before presidio is imported, the spaCy model is named explicitly (the ``presidio`` anonymizer checks it is
installed, so Presidio never tries to download one) and the NER labels are mapped with a
``ner_model_configuration`` (PERSON -> PERSON, GPE / LOC / FAC -> LOCATION, ORG -> ORGANIZATION, DATE / TIME ->
DATE_TIME, NORP -> NRP; numbers, money, products, events and the like are ignored).

Speed: our engine runs only the spaCy components the entity recognizer needs (``ner`` and any ``tok2vec`` it
listens to; en_core_web_sm's ``ner`` has its own), not the tagger, parser and lemmatizer that a stock
``AnalyzerEngine`` runs on every text. Context words are then matched on lower-cased tokens instead of lemmas.
Without the parser's sentence boundaries the recognizer sees whole texts, so an entity at a sentence boundary can
come out slightly differently (about 1% of synthmh posts). Texts go through ``nlp.pipe`` in batches;
``n_process > 1`` forks worker processes that each run spaCy *and* the recognizers on a share of the texts
(only texts go in and span tuples come back), on a copy of the engine the parent already loaded.
"""

from __future__ import annotations

import functools
import math
import multiprocessing
import os
from collections.abc import Sequence
from dataclasses import dataclass

# Presidio's e-mail recognizer calls tldextract, which downloads the public-suffix list unless told not to.
# Forced (not setdefault): the benchmark runs without network (DESIGN.md section 7).
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""

from presidio_analyzer import AnalyzerEngine, RecognizerResult  # noqa: E402
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer  # noqa: E402
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngineProvider, SpacyNlpEngine  # noqa: E402

LANGUAGE = "en"
NER_MAPPING = {"PERSON": "PERSON", "PER": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION",
               "ORG": "ORGANIZATION", "DATE": "DATE_TIME", "TIME": "DATE_TIME", "NORP": "NRP"}
IGNORED_LABELS = ["CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
                  "LANGUAGE", "MISC"]

# With recognizers: custom, our ``regex`` rules replace these Presidio recognizers: as good or better on both
# evaluation sets (phones: international formats) and 5-10x faster (each costs about 1 ms on a 430-character post).
REPLACED_BY_REGEX = ("PhoneRecognizer", "EmailRecognizer", "UrlRecognizer")

Found = tuple[int, int, str]  # (start, end, entity) of one detection


@dataclass(frozen=True)
class EngineSpec:
    """What an engine is built from: the spaCy model, the recognizer set ("stock" or "custom") and whether spaCy
    runs only what NER needs (our path) or the whole pipeline (the stock reference)."""

    model: str
    recognizers: str = "custom"
    ner_only: bool = True


@dataclass(frozen=True)
class Query:
    """What one analysis asks for: entity types, Presidio score threshold, extra context words."""

    entities: tuple[str, ...]
    score_threshold: float = 0.0
    context: tuple[str, ...] | None = None


class NerOnlySpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine with every component the entity recognizer does not need disabled."""

    engine_name = "spacy_ner_only"

    def load(self) -> None:
        super().load()
        for nlp in self.nlp.values():
            keep_ner_only(nlp)

    def _doc_to_nlp_artifact(self, doc, language: str) -> NlpArtifacts:
        entities, scores = self._get_updated_entities(self._get_entities(doc), self._get_scores_for_entities(doc))
        return NlpArtifacts(entities=entities, tokens=doc, tokens_indices=[t.idx for t in doc],
                            lemmas=[t.lemma_ or t.lower_ for t in doc], nlp_engine=self, language=language,
                            scores=scores)


class SelectiveContextEnhancer(LemmaContextAwareEnhancer):
    """Presidio's lemma context enhancer, handed only the results whose recognizer uses context words (the others
    pass through unchanged, as they would there): the stock enhancer deep-copies every result first, about a
    fifth of the analysis time of a post."""

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        with_context = {recognizer.id for recognizer in recognizers if recognizer.context}
        key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
        todo = [r for r in raw_results if (r.recognition_metadata or {}).get(key) in with_context]
        rest = [r for r in raw_results if (r.recognition_metadata or {}).get(key) not in with_context]
        if not todo:
            return rest
        return rest + super().enhance_using_context(text, todo, nlp_artifacts, recognizers, context)


def keep_ner_only(nlp) -> None:
    """Disable every pipeline component but ``ner`` and the embedding components it listens to."""
    if "ner" not in nlp.pipe_names:
        raise ValueError(f"spaCy model {nlp.meta.get('name', '?')!r} has no 'ner' component")
    keep = {"ner"} | {name for name, pipe in nlp.pipeline if "ner" in getattr(pipe, "listening_components", ())}
    for name in nlp.pipe_names:
        if name not in keep:
            nlp.disable_pipe(name)


def nlp_configuration(model: str, *, ner_only: bool = True) -> dict:
    """NlpEngineProvider configuration: one English spaCy model and our NER label mapping."""
    return {
        "nlp_engine_name": NerOnlySpacyNlpEngine.engine_name if ner_only else "spacy",
        "models": [{"lang_code": LANGUAGE, "model_name": model}],
        "ner_model_configuration": {"model_to_presidio_entity_mapping": NER_MAPPING,
                                    "labels_to_ignore": IGNORED_LABELS},
    }


@functools.cache
def nlp_engine(model: str, ner_only: bool = True) -> SpacyNlpEngine:
    """The spaCy engine of ``model``, loaded once per process (a few seconds) and shared by the analyzers."""
    provider = NlpEngineProvider(nlp_engines=(NerOnlySpacyNlpEngine, SpacyNlpEngine),
                                 nlp_configuration=nlp_configuration(model, ner_only=ner_only))
    return provider.create_engine()


@functools.cache
def analyzer(spec: EngineSpec) -> AnalyzerEngine:
    """The analyzer engine of ``spec``, built once per process."""
    enhancer = SelectiveContextEnhancer() if spec.ner_only else None
    engine = AnalyzerEngine(nlp_engine=nlp_engine(spec.model, spec.ner_only), supported_languages=[LANGUAGE],
                            context_aware_enhancer=enhancer)
    if spec.recognizers == "custom":
        from mhprivbench.anonymizers.presidio_recognizers import custom_recognizers

        for name in REPLACED_BY_REGEX:
            engine.registry.remove_recognizer(name)
        for recognizer in custom_recognizers(engine.nlp_engine.nlp[LANGUAGE]):
            engine.registry.add_recognizer(recognizer)
    return engine


@functools.cache
def supported(spec: EngineSpec) -> frozenset[str]:
    return frozenset(analyzer(spec).get_supported_entities(LANGUAGE))


def analyze(engine: AnalyzerEngine, spec: EngineSpec, query: Query, text: str, artifacts=None) -> list[Found]:
    """Detections of one text (``artifacts``: its precomputed NLP results; None runs spaCy on it)."""
    entities = [e for e in query.entities if e in supported(spec)]
    if not entities:
        return []
    results = engine.analyze(text, LANGUAGE, entities=entities, score_threshold=query.score_threshold,
                             context=list(query.context) if query.context else None, nlp_artifacts=artifacts)
    found = [trimmed for r in results if (trimmed := _trim(text, r.start, r.end, r.entity_type)) is not None]
    if spec.recognizers == "custom":
        from mhprivbench.anonymizers.presidio_recognizers import identifying

        found = [f for f in found if identifying(f[2], text[f[0]:f[1]])]
    return sorted(found)


def _trim(text: str, start: int, end: int, entity: str) -> Found | None:
    """The detection without leading or trailing characters other than letters, digits and a closing bracket or
    dot (spaCy tags emoji as entities); None when nothing is left."""
    while start < end and not text[start].isalnum() and text[start] not in "@+(/#":
        start += 1
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in ").":
        end -= 1
    return (start, end, entity) if end > start else None


def detect_serial(texts: Sequence[str], spec: EngineSpec, query: Query, batch_size: int = 64) -> list[list[Found]]:
    """Detections of every text in this process: spaCy over batches (reused when the same texts come again),
    then the recognizers per text."""
    engine = analyzer(spec)
    texts = tuple(str(t) for t in texts)
    return [analyze(engine, spec, query, text, artifacts)
            for text, artifacts in zip(texts, _artifacts(engine, spec, texts, batch_size), strict=True)]


_LAST_ARTIFACTS: dict[tuple, list] = {}  # the spaCy results of the last texts analysed (one entry)
_MAX_KEPT = 20_000  # texts; more are not kept (memory)


def _artifacts(engine: AnalyzerEngine, spec: EngineSpec, texts: tuple[str, ...], batch_size: int) -> list:
    """spaCy's results for ``texts``; the last call's are kept, so a chain of anonymizers that each ask Presidio
    about the same texts (``pipeline``: presidio, then generalize with a presidio detector) runs spaCy once.
    Recognizers still run per query, so what a query finds does not depend on what was asked before."""
    key = (spec.model, spec.ner_only, texts)
    if key in _LAST_ARTIFACTS:
        return _LAST_ARTIFACTS[key]
    _LAST_ARTIFACTS.clear()
    found = [artifacts for _, artifacts in engine.nlp_engine.process_batch(list(texts), LANGUAGE,
                                                                            batch_size=batch_size)]
    if len(texts) <= _MAX_KEPT:
        _LAST_ARTIFACTS[key] = found
    return found


def _detect_chunk(job: tuple[list[str], EngineSpec, Query, int]) -> list[list[Found]]:
    texts, spec, query, batch_size = job
    return detect_serial(texts, spec, query, batch_size)


def detect_batch(texts: Sequence[str], spec: EngineSpec, query: Query, *, n_process: int = 1,
                 batch_size: int = 64) -> list[list[Found]]:
    """Detections of every text, in ``n_process`` processes when that is worth it (enough texts, and this is not
    itself a daemonic worker, which may not start processes)."""
    texts = [str(t) for t in texts]
    n_process = min(n_process, max(1, len(texts) // 16))
    if n_process <= 1 or multiprocessing.current_process().daemon:
        return detect_serial(texts, spec, query, batch_size)
    analyzer(spec)  # load here: forked workers inherit the loaded engine instead of loading their own
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    size = max(8, math.ceil(len(texts) / (n_process * 8)))
    jobs = [(texts[i:i + size], spec, query, batch_size) for i in range(0, len(texts), size)]
    with context.Pool(n_process) as pool:
        parts = pool.map(_detect_chunk, jobs, chunksize=1)
    return [found for part in parts for found in part]


def stock_analyzer(model: str) -> AnalyzerEngine:
    """A stock ``AnalyzerEngine`` (the whole spaCy pipeline, Presidio's own recognizers) on ``model``: the
    reference that ``benchmarks/perf/anonymize.py`` times."""
    return analyzer(EngineSpec(model, recognizers="stock", ner_only=False))
