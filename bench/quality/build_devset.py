"""Build the matcher development set (reproducible: fixed seed, fixed input files).

    python -m bench.quality.build_devset [--seed 20211001] [--per-type 300] [--faker 250]

Writes ``var/quality/devset.jsonl`` (real list names, several MB: kept out of git) and, in
``bench/results/quality/``, ``devset_composition.json`` (counts per component, variant, script
and schema; list files used; parsers missing) and ``devset_sample.jsonl`` (every 50th pair, for
review in git). Components (see docs/quality.md):

1. real cross-list pairs: OpenSanctions resolver judgements 2021-10 joined with OFAC SDN
   2021-07/2021-10, UN 2020-12/2018-10, UK OFSI 2018-04, AU DFAT 2024-12 and US CSL 2022-05;
2. auditor-style variants of OFAC SDN (2023-12-28) and UN names, original-script UN names,
   synthetic East Asian romanisations;
3. hard negatives from the lists and Faker names of 12 locales against their nearest list name.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

from bench.quality import negatives as neg
from bench.quality.lists import EntityDict, ListFile, extract_ofac_version, load, names_of
from bench.quality.pairs import Pair, make_pair
from bench.quality.positives import load_nicknames, original_script_pairs, variant_pairs
from bench.quality.resolver import RESOLVER, Judgements, negative_pairs, positive_pairs
from bench.quality.synthetic import synthetic_pairs
from faker import Faker

from clearance.settings import REPO_ROOT

VAR = REPO_ROOT / "var" / "quality"
RESULTS = REPO_ROOT / "bench" / "results" / "quality"
FAKER_LOCALES = (
    "en_US",
    "ru_RU",
    "ar_AA",
    "zh_CN",
    "ja_JP",
    "ko_KR",
    "fa_IR",
    "hi_IN",
    "de_DE",
    "es_ES",
    "tr_TR",
    "uk_UA",
)
COMPANY_LOCALES = ("en_US", "de_DE", "ru_RU", "es_ES", "zh_CN", "ja_JP")
IDENTIFIERS = (
    "taxNumber",
    "registrationNumber",
    "idNumber",
    "passportNumber",
    "imoNumber",
    "innCode",
    "ogrnCode",
    "leiCode",
    "swiftBic",
)
OFAC = "clearance.sources.ofac_csv:OfacSdnCsvParser"
UN = "clearance.sources.un_xml:UnScXmlParser"


def resolver_files(shared: Path) -> list[ListFile]:
    ofac_2110 = extract_ofac_version(shared, VAR / "lists", "2021-10-08")
    return [
        ListFile("OFAC SDN 2021-07", OFAC, "lists/ofac_sdn/2021-07_watchman/sdn.csv"),
        ListFile("OFAC SDN 2021-10", OFAC, str(ofac_2110)),
        ListFile("UN SC 2020-12", UN, "lists/un_sc/2020-12_Lcrs123/consolidated.xml"),
        ListFile("UN SC 2018-10", UN, "lists/un_sc/2018-10_perchrh/consolidated.xml"),
        ListFile(
            "UK OFSI 2018-04-13",
            "clearance.sources.uk_ofsi:UkOfsiCsvParser",
            "lists/uk_hmt_ofsi/2018-04-13_photoangell/sanctionsconlist.csv",
        ),
        ListFile(
            "AU DFAT 2024-12",
            "clearance.sources.au_dfat:AuDfatParser",
            "lists/au_dfat/2024-12_Stanux/regulation8_consolidated.xlsx",
        ),
        ListFile(
            "US CSL 2022-05",
            "clearance.sources.us_csl:UsCslCsvParser",
            "lists/us_csl/2022-05_watchman/consolidated.csv.gz",
        ),
    ]


def variant_files() -> list[ListFile]:
    return [
        ListFile(
            "OFAC SDN 2023-12-28", OFAC, "lists/ofac_sdn/2023-12-28_jackdwyer+watchman/sdn.csv"
        ),
        ListFile("UN SC 2024-11-30", UN, "lists/un_sc/2024-11-30_Stanux/consolidated.xml"),
    ]


def _resolver(shared: Path, rng: random.Random, cap: int, info: dict[str, Any]) -> list[Pair]:
    loaded = load(resolver_files(shared), shared)
    info["resolver_lists"], info["missing"] = loaded.used, loaded.missing
    judge = Judgements(shared / RESOLVER)
    ents = loaded.entities
    out: list[Pair] = []
    for left, right in positive_pairs(judge, ents, rng, cap):
        q, c = (ents[left], ents[right]) if rng.random() < 0.5 else (ents[right], ents[left])
        src = f"resolver:{q['id'].rsplit('-', 1)[0]}~{c['id'].rsplit('-', 1)[0]}"
        out.append(make_pair("positive", "cross_list", _as_query(q), c, src))
    negs = list(negative_pairs(judge, ents, rng))
    per_source: Counter[str] = Counter()
    same_name = 0
    for left, right in negs:
        key = "~".join(sorted((left.rsplit("-", 1)[0], right.rsplit("-", 1)[0])))
        if _same_name(ents[left], ents[right]):
            same_name += 1
            continue
        per_source[key] += 1
        if per_source[key] > cap:
            continue
        src = f"resolver:{left.rsplit('-', 1)[0]}~{right.rsplit('-', 1)[0]}"
        out.append(
            make_pair("negative", "resolver_negative", _as_query(ents[left]), ents[right], src)
        )
    info["resolver_negatives_dropped_identical_name"] = same_name
    return out


def _same_name(left: EntityDict, right: EntityDict) -> bool:
    """True if the two entities share a name (same romanised token set, any name property) or
    an identifier: a negative judgement on such a pair says 'different entity' on grounds a
    name screener cannot see (or is a labelling error), so it is left out."""
    props = (*neg.NAME_PROPS, "weakAlias", "previousName")
    keys = {frozenset(neg.norm_tokens(n)) for n in names_of(left, props)}
    if any(frozenset(neg.norm_tokens(n)) in keys for n in names_of(right, props)):
        return True
    ids = set(names_of(left, IDENTIFIERS))
    return bool(ids & set(names_of(right, IDENTIFIERS)))


def _as_query(entity: EntityDict) -> EntityDict:
    return {**entity, "id": "query"}


def _faker_names(locale: str, count: int, rng: random.Random, company: bool = False) -> list[str]:
    """Generated names; company names that Faker draws from its list of real large companies
    (ru_RU, tr_TR: "Банк ФК Открытие" is a sanctioned bank) are skipped."""
    fake = Faker(locale)
    fake.seed_instance(rng.randrange(1 << 30))
    real: set[str] = set()
    if company:
        real = set(getattr(fake.provider("faker.providers.company"), "large_companies", ()))
    names: set[str] = set()
    for _ in range(count * 5):
        if len(names) >= count:
            break
        name = fake.company() if company else fake.name()  # native order ("김준서", "Li Wei")
        if name not in real:
            names.add(name)
    return sorted(names)


def _negatives(
    people: list[EntityDict],
    orgs: list[EntityDict],
    judge: Judgements,
    rng: random.Random,
    per_type: int,
    per_locale: int,
    info: dict[str, Any],
) -> list[Pair]:
    out = neg.shared_surname(people, rng, per_type, judge.same)
    out += neg.shared_given_name(people, rng, per_type, judge.same)
    out += neg.org_shared_token(orgs, rng, per_type, judge.same)
    out += neg.dob_conflict(people, rng, per_type // 2)
    dropped: dict[str, int] = {}
    near_people, near_orgs = neg.Nearest(people), neg.Nearest(orgs)
    for locale in FAKER_LOCALES:
        names = _faker_names(locale, per_locale, rng)
        pairs, dropped[locale] = neg.faker_pairs(names, "Person", near_people, "faker_person", rng)
        out += pairs
    companies = [
        n for loc in COMPANY_LOCALES for n in _faker_names(loc, per_locale // 2, rng, True)
    ]
    pairs, dropped["companies"] = neg.faker_pairs(
        companies, "Company", near_orgs, "faker_company", rng
    )
    out += pairs
    info["faker_dropped_as_too_close"] = dropped
    return out


def build(
    shared: Path, seed: int, per_type: int, per_locale: int
) -> tuple[list[Pair], dict[str, Any]]:
    rng = random.Random(seed)
    info: dict[str, Any] = {"seed": seed, "per_type": per_type, "faker_per_locale": per_locale}
    pairs = _resolver(shared, rng, per_type, info)
    loaded = load(variant_files(), shared)
    info["variant_lists"] = loaded.used
    info["missing"] = sorted(set(info["missing"]) | set(loaded.missing))
    ents = sorted(loaded.entities.values(), key=lambda e: e["id"])
    nick = load_nicknames(str(shared / "labelled/nicknames_carltonnorthern/names.csv"))
    pairs += variant_pairs(ents, rng, per_type, nick, "lists")
    pairs += original_script_pairs(ents, rng, "lists")
    pairs += synthetic_pairs(per_type, rng)
    people = [e for e in ents if e["schema"] == "Person"]
    orgs = [e for e in ents if e["schema"] in ("Organization", "Company", "LegalEntity")]
    judge = Judgements(shared / RESOLVER)
    pairs += _negatives(people, orgs, judge, rng, per_type * 2, per_locale, info)
    for i, pair in enumerate(pairs):
        pair["id"] = f"{pair['kind'][:3]}-{pair['variant']}-{i:05d}"
    return pairs, info


def composition(pairs: list[Pair], info: dict[str, Any]) -> dict[str, Any]:
    def count(key: str) -> dict[str, int]:
        return dict(sorted(Counter(f"{p['kind']}/{p[key]}" for p in pairs).items()))

    return {
        **info,
        "total": len(pairs),
        "by_kind": dict(Counter(p["kind"] for p in pairs)),
        "by_variant": count("variant"),
        "by_script": count("script"),
        "by_schema": count("schema"),
        "by_source": count("source"),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    ap.add_argument("--seed", type=int, default=20211001)
    ap.add_argument("--per-type", type=int, default=300)
    ap.add_argument("--faker", type=int, default=250, help="Faker names per locale")
    ap.add_argument("--out", type=Path, default=VAR / "devset.jsonl")
    ap.add_argument("--results", type=Path, default=RESULTS, help="composition + sample dir")
    args = ap.parse_args(argv)
    pairs, info = build(args.shared, args.seed, args.per_type, args.faker)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for pair in pairs:
            fh.write(json.dumps(pair, ensure_ascii=False) + "\n")
    args.results.mkdir(parents=True, exist_ok=True)
    comp = composition(pairs, info)
    (args.results / "devset_composition.json").write_text(
        json.dumps(comp, indent=1, ensure_ascii=False)
    )
    with (args.results / "devset_sample.jsonl").open("w", encoding="utf-8") as fh:
        for pair in pairs[::50]:
            fh.write(json.dumps(pair, ensure_ascii=False) + "\n")
    print(f"{len(pairs)} pairs -> {args.out}; {comp['by_kind']}; missing: {info['missing']}")


if __name__ == "__main__":
    main()
