"""Free-text symptom entry: search and autocomplete, and parsing a person's words into findings."""

from careguide.text.parse import MAX_TEXT_LENGTH, Mention, Parsed, parse, to_evidence
from careguide.text.search import Match, search, tokens

__all__ = ["MAX_TEXT_LENGTH", "Match", "Mention", "Parsed", "parse", "search", "to_evidence", "tokens"]
