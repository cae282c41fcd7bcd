"""CareGuide: an open, explainable symptom checker and condition guide."""

from __future__ import annotations

from careguide import engine
from careguide.engine import Case, Config, InputError, Step
from careguide.kb import Knowledge, KnowledgeError, load

__all__ = ["Case", "Config", "InputError", "Knowledge", "KnowledgeError", "Step", "engine", "load"]
__version__ = "0.1.0"
