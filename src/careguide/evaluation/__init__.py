"""Benchmarks and evaluation harnesses."""

from careguide.evaluation.bench import Timing, time_steps
from careguide.evaluation.generated import generated_pack
from careguide.evaluation.simulate import Patient, interview, sample_patient

__all__ = ["Patient", "Timing", "generated_pack", "interview", "sample_patient", "time_steps"]
