"""Free-text symptom entry: search and autocomplete over the knowledge's vocabulary."""

from careguide.text.search import Match, search, tokens

__all__ = ["Match", "search", "tokens"]
