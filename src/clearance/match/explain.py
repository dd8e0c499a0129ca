"""Match results and their explanation.

A :class:`MatchResult` carries the score, the decision at the matcher's threshold and the
evidence it was computed from; :attr:`MatchResult.explanation` turns that evidence into a list of
:class:`Feature` findings an analyst can read (built on demand, so the screening hot path does
not pay for strings it never shows). ``to_dict()`` gives the JSON form.
"""

from __future__ import annotations

from typing import Any

from clearance.match.align import Pair, relabel
from clearance.match.names import NameForm


class Feature:
    """One finding: its name, value, weight, contribution to the score and a readable detail."""

    __slots__ = ("contribution", "detail", "name", "tokens", "value", "weight")

    def __init__(
        self,
        name: str,
        value: float,
        weight: float,
        contribution: float,
        detail: str,
        tokens: list[dict[str, Any]] | None = None,
    ) -> None:
        self.name = name
        self.value = value
        self.weight = weight
        self.contribution = contribution
        self.detail = detail
        self.tokens = tokens

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled through the constructor: compiled classes (clearance.native) have no
        # instance dict to restore
        return (
            Feature,
            (self.name, self.value, self.weight, self.contribution, self.detail, self.tokens),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "value": round(self.value, 4),
            "weight": round(self.weight, 4),
            "contribution": round(self.contribution, 4),
            "detail": self.detail,
        }
        if self.tokens is not None:
            out["tokens"] = self.tokens
        return out

    def __repr__(self) -> str:
        return f"Feature({self.name}, {self.contribution:+.3f}: {self.detail})"


class NameEvidence:
    """The winning name pair and its token alignment (details computed on demand)."""

    __slots__ = ("_aligned", "cform", "factor", "qform", "raw", "raw_pairs")

    def __init__(
        self,
        qform: NameForm,
        cform: NameForm,
        pairs: list[tuple[tuple[int, ...], tuple[int, ...], float, str]],
        raw: float,
        factor: float,
    ) -> None:
        self.qform, self.cform, self.raw, self.factor = qform, cform, raw, factor
        self.raw_pairs = pairs
        self._aligned: tuple[list[Pair], list[int], list[int]] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled through the constructor: compiled classes (clearance.native) have no
        # instance dict to restore
        return (NameEvidence, (self.qform, self.cform, self.raw_pairs, self.raw, self.factor))

    def _align(self) -> tuple[list[Pair], list[int], list[int]]:
        if self._aligned is None:
            qform, cform = self.qform, self.cform
            pairs = [
                (qa, cb, sim, relabel(how, qform.tokens[qa[0]], cform.tokens[cb[0]]))
                for qa, cb, sim, how in self.raw_pairs
            ]
            used_q = {a for qa, _, _, _ in pairs for a in qa}
            used_c = {b for _, cb, _, _ in pairs for b in cb}
            free_q = [a for a in range(len(qform.tokens)) if a not in used_q]
            free_c = [b for b in range(len(cform.tokens)) if b not in used_c]
            self._aligned = (pairs, free_q, free_c)
        return self._aligned

    @property
    def pairs(self) -> list[Pair]:
        """Aligned token pairs (name positions) with the match kind as shown to analysts."""
        return self._align()[0]

    @property
    def free_q(self) -> list[int]:
        """Positions of query-name tokens left without a partner."""
        return self._align()[1]

    @property
    def free_c(self) -> list[int]:
        """Positions of candidate-name tokens left without a partner."""
        return self._align()[2]

    def token_rows(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for qa, cb, sim, how in self.pairs:
            rows.append(
                {
                    "query": " ".join(self.qform.tokens[a].text for a in qa),
                    "candidate": " ".join(self.cform.tokens[b].text for b in cb),
                    "how": how,
                    "similarity": round(sim, 3),
                }
            )
        return rows

    def detail(self) -> str:
        label = {
            "name": "name",
            "alias": "alias",
            "previousName": "previous name",
            "weakAlias": "weak alias",
        }.get(self.cform.label, self.cform.label)
        parts = [f"{r['query']}={r['candidate']} ({r['how']})" for r in self.token_rows()]
        text = f"query {self.qform.original!r} ~ candidate {label} {self.cform.original!r}: "
        text += ", ".join(parts) if parts else "no token in common"
        if self.free_q:
            text += "; query only: " + " ".join(self.qform.tokens[a].text for a in self.free_q)
        if self.free_c:
            text += "; candidate only: " + " ".join(self.cform.tokens[b].text for b in self.free_c)
        return text


class MatchResult:
    """Score in [0, 1], decision at the threshold, and the explanation (list of features)."""

    __slots__ = ("_features", "algorithm", "findings", "match", "name", "score", "threshold")

    def __init__(
        self,
        score: float,
        threshold: float,
        algorithm: str,
        name: NameEvidence | None,
        findings: list[tuple[str, float, float, str]],
    ) -> None:
        self.score = score
        self.threshold = threshold
        self.match = score >= threshold
        self.algorithm = algorithm
        self.name = name
        self.findings = findings
        self._features: list[Feature] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled through the constructor: compiled classes (clearance.native) have no
        # instance dict to restore
        return (MatchResult, (self.score, self.threshold, self.algorithm, self.name, self.findings))

    @property
    def explanation(self) -> list[Feature]:
        """The findings behind the score, name evidence first."""
        if self._features is None:
            features: list[Feature] = []
            for fname, value, contribution, detail in self.findings:
                if fname.endswith("name_match") or fname in ("alias_match", "no_name_overlap"):
                    ev = self.name
                    text = ev.detail() if ev is not None else detail
                    rows = ev.token_rows() if ev is not None else None
                    features.append(Feature(fname, value, 1.0, contribution, text, rows))
                else:
                    weight = abs(contribution) if contribution else abs(value)
                    features.append(Feature(fname, value, weight, contribution, detail))
            self._features = features
        return self._features

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "match": self.match,
            "threshold": self.threshold,
            "algorithm": self.algorithm,
            "explanation": [f.to_dict() for f in self.explanation],
        }

    def __repr__(self) -> str:
        return f"MatchResult(score={self.score:.3f}, match={self.match})"
