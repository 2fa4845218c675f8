"""synthmh: the embedded synthetic mental-health corpus (deterministic from a seed, nothing downloaded).

Personas with names, contacts, places, employers, clinicians and life events write peer-support posts,
journal entries and intake answers in a consistent personal style; every mention of persona information
is a ground-truth Span. ``mhprivbench.datasets.inject`` reuses the persona and mention code.
"""

from mhprivbench.datasets.synthmh.compose import STRONG_QUASI, linkable
from mhprivbench.datasets.synthmh.labels import CONDITIONS, CRISIS
from mhprivbench.datasets.synthmh.persona import DIRECT_ATTRIBUTES, REFERENCE_DATE, PersonaFactory, age_band
from mhprivbench.datasets.synthmh.plugin import GENERATOR_VERSION, SynthMH

__all__ = [
    "CONDITIONS", "CRISIS", "DIRECT_ATTRIBUTES", "GENERATOR_VERSION", "REFERENCE_DATE", "STRONG_QUASI",
    "PersonaFactory", "SynthMH", "age_band", "linkable",
]
