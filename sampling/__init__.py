"""Statistical sampling for compliance audits, compatible with HHS-OIG RAT-STATS.

A standalone package (numpy, scipy and the standard library only): random numbers that
reproduce RAT-STATS 2005-2010, a modern PCG64 alternative, sample designs over a frame of
units with the record needed to re-create them, variable and attribute appraisal, sample
sizes, and the extrapolation of overpayments. See docs/sampling.md.
"""

from sampling.appraisal import (
    LEVELS,
    AttributeAppraisal,
    Interval,
    Limits,
    StratifiedAttributeAppraisal,
    StratifiedVariableAppraisal,
    VariableAppraisal,
    appraise_attribute,
    appraise_attribute_stratified,
    appraise_variable,
    appraise_variable_stratified,
    attribute_limits,
)
from sampling.designs import (
    AllUnits,
    Design,
    FrameUnit,
    Probe,
    SampleResult,
    SelectedUnit,
    SimpleRandom,
    Stratified,
    StratumSize,
    Targeted,
    Unit,
    draw_sample,
    frame_hash,
)
from sampling.errors import SamplingInputError
from sampling.extrapolation import Extrapolation, SampledClaim, extrapolate
from sampling.generators import (
    Pcg64Generator,
    RatStatsGenerator,
    UniformGenerator,
    make_generator,
    new_seed,
    seed_from_text,
)
from sampling.random_numbers import DrawnNumber, RandomNumbers, random_numbers
from sampling.sample_size import (
    CONFIDENCES,
    PRECISIONS,
    StratifiedSize,
    StratumEstimate,
    attribute_sample_sizes,
    error_rate_sample_sizes,
    stratified_sample_sizes,
    variable_sample_sizes,
)

__all__ = [
    "CONFIDENCES",
    "LEVELS",
    "PRECISIONS",
    "AllUnits",
    "AttributeAppraisal",
    "Design",
    "DrawnNumber",
    "Extrapolation",
    "FrameUnit",
    "Interval",
    "Limits",
    "Pcg64Generator",
    "Probe",
    "RandomNumbers",
    "RatStatsGenerator",
    "SampleResult",
    "SampledClaim",
    "SamplingInputError",
    "SelectedUnit",
    "SimpleRandom",
    "Stratified",
    "StratifiedAttributeAppraisal",
    "StratifiedSize",
    "StratifiedVariableAppraisal",
    "StratumEstimate",
    "StratumSize",
    "Targeted",
    "UniformGenerator",
    "Unit",
    "VariableAppraisal",
    "appraise_attribute",
    "appraise_attribute_stratified",
    "appraise_variable",
    "appraise_variable_stratified",
    "attribute_limits",
    "attribute_sample_sizes",
    "draw_sample",
    "error_rate_sample_sizes",
    "extrapolate",
    "frame_hash",
    "make_generator",
    "new_seed",
    "random_numbers",
    "seed_from_text",
    "stratified_sample_sizes",
    "variable_sample_sizes",
]
