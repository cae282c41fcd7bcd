"""How long `careguide.text.parse` takes as the text grows: is it linear, and what does the longest accepted
text (careguide.text.MAX_TEXT_LENGTH characters) cost?

    PYTHONPATH=src python3 scripts/parse_timing.py [PACK...]

Prints, for each pack and kind of text, the median CPU time of 5 parses at each length, and the time per
1,000 characters (flat when the cost is linear). Measured, not asserted: timings belong in reports, not tests.
"""

from __future__ import annotations

import random
import statistics
import sys
import time

import careguide
from careguide.text import MAX_TEXT_LENGTH, parse
from careguide.text.parse import _same

LENGTHS = (250, 500, 1000, 2000, 4000, 8000)


def _texts(seed: int = 1) -> dict[str, str]:
    rng = random.Random(seed)
    words = [
        "pain",
        "back",
        "leg",
        "fever",
        "numb",
        "tingling",
        "weak",
        "weakness",
        "sore",
        "ache",
        "hurts",
        "chest",
        "breath",
        "cough",
        "headache",
        "dizzy",
        "nausea",
        "vomit",
        "rash",
        "itch",
        "swelling",
        "tired",
        "no",
        "not",
        "without",
        ",",
        ".",
        "my",
        "i",
        "have",
        "had",
        "for",
        "weeks",
    ]
    return {
        "a sentence, repeated": "My lower back has hurt for weeks, worse at night, no fever. I had breast cancer. ",
        "one symptom, repeated": "back pain back pain back pain, numbness numbness, ",
        "symptom words at random": " ".join(rng.choice(words) for _ in range(3000)) + " ",
        "commas between symptoms": "fever " + "," * 150 + " ",
        "unknown words": " ".join(
            "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 10))) for _ in range(2000)
        ),
    }


def main(packs: list[str]) -> None:
    for pack in packs or [None, "packs/general"]:
        knowledge = careguide.load(pack)
        parse(knowledge, "warm up: back pain")
        print(f"\n{pack or 'knowledge (shipped)'}: ms per parse (median of 5), and ms per 1,000 characters")
        print(f"{'text':26}" + "".join(f"{n:>14}" for n in LENGTHS))
        for name, unit in _texts().items():
            cells = []
            for n in LENGTHS:
                text = (unit * (n // len(unit) + 1))[:n]
                runs = []
                for _ in range(5):
                    _same.cache_clear()  # each parse pays for its own spelling comparisons
                    t0 = time.process_time()
                    parse(knowledge, text)
                    runs.append((time.process_time() - t0) * 1e3)
                ms = statistics.median(runs)
                cells.append(f"{ms:7.1f} ({ms / n * 1e3:4.1f})")
            print(f"{name:26}" + "".join(f"{c:>14}" for c in cells))
    print(f"\nThe API and the site accept at most {MAX_TEXT_LENGTH} characters.")


if __name__ == "__main__":
    main(sys.argv[1:])
