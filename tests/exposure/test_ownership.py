"""Tests for clearance.exposure.ownership: OFAC's 50 Percent Rule."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.exposure.ownership import OwnershipEdge, apply_50_percent_rule, edges_from_ftm
from clearance.model.entity import make_entity

E = OwnershipEdge


def test_direct_majority_and_exact_threshold() -> None:
    result = apply_50_percent_rule([E("A", "X", "50%"), E("A", "Y", "49.99")], {"A"})
    assert result.blocked == {"X"}
    assert result.possibly_blocked == set()
    assert result.findings["X"].blocked_share == 50


def test_aggregation_across_blocked_owners() -> None:
    edges = [E("A", "X", "30"), E("B", "X", "25"), E("U", "X", "45")]
    result = apply_50_percent_rule(edges, {"A", "B"})
    assert result.blocked == {"X"}
    assert result.findings["X"].blocked_share == 55
    # an unblocked owner's share never counts
    assert apply_50_percent_rule(edges, {"A", "U"}).findings["X"].blocked_share == 75
    assert "X" not in apply_50_percent_rule(edges, {"A"}).findings


def test_chain_with_explanation() -> None:
    """The example of the brief: 30% by listed A, 25% by B, which is 60% owned by listed C."""
    edges = [E("A", "X", "30"), E("B", "X", "25"), E("C", "B", "60")]
    result = apply_50_percent_rule(edges, {"A", "C"}, labels={"A": "SDN", "C": "SDN"})
    assert result.blocked == {"B", "X"}
    text = result.findings["X"].explanation
    assert "30% owned by A (blocked, SDN)" in text
    assert "25% by B (blocked by the 50% rule via C 60%)" in text
    assert "55% ≥ 50%" in text
    chains = set(result.findings["X"].chains)
    assert ((("A", "30%", "X"),)) in chains
    assert (("C", "60%", "B"), ("B", "25%", "X")) in chains


def test_indirect_ownership_only_through_blocked_entities() -> None:
    """A owns 40% of B and B owns 100% of C: B is not blocked, so C is not either
    (shares are not multiplied along the chain, nor counted through an unblocked company)."""
    edges = [E("A", "B", "40"), E("B", "C", "100")]
    assert apply_50_percent_rule(edges, {"A"}).blocked == set()
    long_chain = [E(f"N{i}", f"N{i + 1}", "50") for i in range(30)]
    assert apply_50_percent_rule(long_chain, {"N0"}).blocked == {f"N{i}" for i in range(1, 31)}


def test_cycles_terminate_without_bootstrapping_or_double_counting() -> None:
    edges = [E("X", "Y", "60"), E("Y", "X", "60")]
    assert apply_50_percent_rule(edges, set()).findings == {}
    # with a listed owner the cycle is followed once
    edges += [E("A", "X", "50")]
    result = apply_50_percent_rule(edges, {"A"})
    assert result.blocked == {"X", "Y"}
    assert result.findings["X"].blocked_share == 110  # A 50 + Y 60 (both blocked), with a warning
    assert any("> 100%" in w for w in result.warnings)
    assert ("A", "50%", "X") in result.findings["Y"].chains[0]


def test_same_holding_given_twice_is_not_double_counted() -> None:
    edges = [E("A", "X", "30", "own-1"), E("A", "X", "30", "own-2")]
    result = apply_50_percent_rule(edges, {"A"})
    assert "X" not in result.blocked
    differing = apply_50_percent_rule([E("A", "X", "30"), E("A", "X", "40")], {"A"})
    assert any("given twice" in w for w in differing.warnings)


def test_missing_percentage_is_undetermined_and_possibly_blocked() -> None:
    edges = [E("A", "X", "30"), E("B", "X", None)]
    result = apply_50_percent_rule(edges, {"A", "B"})
    finding = result.findings["X"]
    assert finding.status == "possibly_blocked"
    assert finding.blocked_share == 30 and finding.possible_share == 100
    assert "undetermined" in finding.explanation
    # never counted as 0 or 100: a small unknown stake cannot reach 50 if others hold the rest
    capped = [E("A", "X", "10"), E("B", "X", ""), E("U", "X", "70")]
    assert apply_50_percent_rule(capped, {"A", "B"}).findings == {}


def test_possibly_blocked_propagates_but_blocked_does_not_follow_it() -> None:
    edges = [E("A", "X", None), E("X", "Y", "80")]
    result = apply_50_percent_rule(edges, {"A"})
    assert result.possibly_blocked == {"X", "Y"}
    assert result.blocked == set()
    assert result.findings["Y"].holdings[0].owner_status == "possibly_blocked"


def test_ranges_count_their_low_end_for_certain() -> None:
    result = apply_50_percent_rule([E("A", "X", "25-75")], {"A"})
    assert result.possibly_blocked == {"X"}
    assert apply_50_percent_rule([E("A", "X", ">50")], {"A"}).blocked == {"X"}


@pytest.mark.parametrize("bad", ["150", "-10", "lots"])
def test_bad_percentages_are_ignored_with_a_warning(bad: str) -> None:
    result = apply_50_percent_rule([E("A", "X", bad)], {"A"})
    assert result.blocked == set()
    assert result.possibly_blocked == {"X"}  # the stake exists, its size is undetermined
    assert any("ignored" in w for w in result.warnings)


def test_self_ownership_and_overfull_assets_warn() -> None:
    result = apply_50_percent_rule(
        [E("A", "A", "100"), E("A", "X", "70"), E("B", "X", "60")], {"A"}
    )
    assert any("owns itself" in w for w in result.warnings)
    assert any("> 100%" in w for w in result.warnings)
    assert result.blocked == {"X"}


def test_listed_entities_are_not_findings() -> None:
    result = apply_50_percent_rule([E("A", "B", "100")], {"A", "B"})
    assert result.findings == {}


def test_names_in_explanation() -> None:
    result = apply_50_percent_rule(
        [E("a", "x", "51")], {"a"}, labels={"a": "SDN"}, names={"a": "ACME", "x": "Sub Ltd"}
    )
    assert result.findings["x"].explanation.startswith("Sub Ltd is 51% owned by ACME")


def test_edges_from_ftm_proxies_and_dicts() -> None:
    own = make_entity("Ownership", "own-1")
    own.add("owner", "a")
    own.add("asset", "x")
    own.add("percentage", "60%")
    both = {
        "id": "own-2",
        "schema": "Ownership",
        "properties": {"owner": ["b"], "asset": ["x"], "percentage": ["20", "30"]},
    }
    orphan = {"id": "own-3", "schema": "Ownership", "properties": {"owner": ["c"]}}
    person = make_entity("Person", "p")
    warnings: list[str] = []
    edges = edges_from_ftm([own, both, orphan, person], warnings)
    assert edges == [E("a", "x", "60%", "own-1"), E("b", "x", "20-30", "own-2")]
    assert warnings == ["own-3: Ownership without owner or asset; skipped"]


# ------------------------------------------------------------------ property tests
NODES = [f"n{i}" for i in range(8)]
PCTS = st.one_of(st.none(), st.sampled_from(["", "x", "120"]), st.integers(0, 100).map(str))
EDGES = st.lists(st.builds(E, st.sampled_from(NODES), st.sampled_from(NODES), PCTS), max_size=30)
LISTED = st.sets(st.sampled_from(NODES), max_size=4)


def _outcome(edges: list[OwnershipEdge], listed: set[str]) -> dict[str, tuple[str, float]]:
    result = apply_50_percent_rule(edges, listed)
    return {k: (f.status, f.blocked_share) for k, f in result.findings.items()}


@settings(max_examples=200, deadline=None)
@given(EDGES, LISTED, st.sampled_from(NODES))
def test_adding_a_blocked_owner_never_unblocks(
    edges: list[OwnershipEdge], listed: set[str], extra: str
) -> None:
    before = apply_50_percent_rule(edges, listed)
    after = apply_50_percent_rule(edges, listed | {extra})
    assert (before.blocked | listed) <= (after.blocked | listed | {extra})
    assert (before.blocked | before.possibly_blocked | listed) <= (
        after.blocked | after.possibly_blocked | listed | {extra}
    )


@settings(max_examples=200, deadline=None)
@given(EDGES, LISTED, st.randoms(use_true_random=False))
def test_result_is_independent_of_edge_order(
    edges: list[OwnershipEdge], listed: set[str], rnd: random.Random
) -> None:
    shuffled = list(edges)
    rnd.shuffle(shuffled)
    assert _outcome(edges, listed) == _outcome(shuffled, listed)


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 60), st.integers(0, 2**32 - 1))
def test_terminates_on_random_graphs_with_cycles(size: int, seed: int) -> None:
    rnd = random.Random(seed)
    nodes = [f"n{i}" for i in range(size)]
    edges = [
        E(rnd.choice(nodes), rnd.choice(nodes), str(rnd.randint(0, 100))) for _ in range(size * 3)
    ]
    edges += [E(nodes[i], nodes[(i + 1) % size], "60") for i in range(size)]  # one big cycle
    result = apply_50_percent_rule(edges, {nodes[0]})
    assert set(nodes[1:]) <= result.blocked  # the 60% cycle carries blocking all the way round
    assert result.possibly_blocked.isdisjoint(result.blocked)


@settings(max_examples=200, deadline=None)
@given(EDGES, LISTED)
def test_blocked_findings_reach_the_threshold_from_known_stakes(
    edges: list[OwnershipEdge], listed: set[str]
) -> None:
    result = apply_50_percent_rule(edges, listed)
    for finding in result.findings.values():
        assert finding.entity not in listed
        if finding.status == "blocked":
            assert finding.blocked_share >= 50 and finding.chains
        else:
            assert finding.blocked_share < 50 <= finding.possible_share
