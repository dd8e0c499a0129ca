"""Which writing system a name is in, for the per-script breakdown of the quality benchmark."""

from __future__ import annotations

from collections import Counter

import icu

_GROUPS = {
    "Latin": "latin",
    "Cyrillic": "cyrillic",
    "Arabic": "arabic",
    "Han": "cjk",
    "Hiragana": "cjk",
    "Katakana": "cjk",
    "Hangul": "hangul",
    "Greek": "greek",
    "Hebrew": "hebrew",
    "Devanagari": "devanagari",
    "Thai": "thai",
    "Georgian": "georgian",
    "Armenian": "armenian",
}


def script_of(text: str) -> str:
    """The dominant script of the letters in ``text`` ('latin', 'cyrillic', 'cjk' ...).

    Letters of a second script count only when they make up more than a fifth of the letters,
    in which case the result is 'mixed'. Text without letters is 'none'.
    """
    counts: Counter[str] = Counter()
    for char in text:
        if not char.isalpha():
            continue
        name = icu.Script.getScript(ord(char)).getName()
        counts[_GROUPS.get(name, "other")] += 1
    if not counts:
        return "none"
    (top, _n), *rest = counts.most_common()
    if rest and rest[0][1] > 0.2 * sum(counts.values()):
        return "mixed"
    return top
