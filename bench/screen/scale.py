"""Scale benchmark of the candidate index: a synthetic corpus the size of OpenSanctions'
default collection (~4 million entities, names in many scripts) — index build time, index
size, resident memory and query latency, run progressively over growing corpus sizes.

Why synthetic: the shared data catalog holds ~52,000 listed parties; the goal is stated for
~4M. The corpus recombines real name parts so token frequencies look like a real list
(a long tail of rare spellings, a few very common tokens):

* person names: first / last names of ~45 Faker locales (Latin of many languages,
  Cyrillic, Arabic, Persian, Chinese, Japanese, Korean, Greek, Hebrew, Devanagari, Georgian,
  Armenian, Thai, Bengali, Tamil) read from Faker's provider tables (no Faker call per
  entity: recombination is ~100× cheaper), plus name tokens of the OFAC SDN names file of the
  shared data (read at run time, never copied);
* company names: tokens of Faker company names and SDN names, legal forms of the shared
  D&B legal-name list;
* 15 % of tokens get a one-character mutation (the long tail of rare spellings);
* aliases (romanisation of non-Latin names through the product's ICU transliteration, word
  order, extra middle names, typos), birth dates, countries, identifiers (passports,
  registration numbers, INN, LEI, IMO numbers), topics.

Entity ``i`` is a pure function of ``(seed, i)``: the corpus streams in constant memory and
the query phase regenerates any entity to make variants of its names without storing it.

Build path: :func:`clearance.index.build_index` — the function ``ensure_index`` calls — fed
with a stream of ``(VersionInfo, EntityProxy)`` rows (20 synthetic sources), i.e. everything
the product does after reading the store. The store read is not included (the catalog
build measured 48.5 s for 52k entities, ~0.9 ms per entity; see the README).

Each corpus size runs in a child process (a fresh interpreter, as a server would start)
under a timeout; this parent samples the child's resident memory (incl. its children) with
psutil in a thread. The query phase is a second child that opens the index memory-mapped
(:meth:`Screener.from_path`) and screens a bounded query set. Results are written after
each size, so a killed run keeps the smaller sizes.

    nice -n 10 python -m bench.screen.scale --sizes 250000,1000000,4000000 --timeout 5400
    nice -n 10 python -m bench.screen.scale --sizes "" --sort-probe 4000000 \
        --results scale_results_probe.json         # the postings step alone at 4M
    python -m bench.screen.scale merge              # merge result files, plot
    python -m bench.screen.scale corpus --count 1000 -o corpus.ndjson   # FtM NDJSON

``--src DIR`` makes the children import ``clearance`` from a frozen copy of the code (the
working tree may change during an hour-long run). See bench/results/screen/scale_README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import functools
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SHARED = Path(os.environ.get("CLEARANCE_SHARED_DATA", "/work/shared/data"))
SDN_NAMES = SHARED / "lists/ofac_sdn/derived_names_2025-11_keithrozario/sdn_entities.jsonl"
LEGAL_NAMES = SHARED / "reference/dnb_legal_names/legal_names.csv"
RESULTS = Path(__file__).resolve().parents[1] / "results" / "screen"
LATER_4M = (
    ("scale_results_s6_4m.json", "p99 CPU, fresh, compiled matcher (session 6)", "C4"),
    ("scale_results_s6_4m_gc.json", "p99 CPU, fresh, + gc.freeze every 5,000 (session 6)", "C5"),
    ("scale_results_s6_4m_final.json", "p99 CPU, fresh, gc.freeze every 500 (session 6)", "C6"),
)
"""Later 4M re-runs (build + query, one size) shown as single points on the latency plot."""
MERGED = ("scale_results_v2_small.json", "scale_results_v2_4m.json", "scale_results_v2_probe.json")
"""The raw result files ``merge`` combines into ``scale_results.json`` (the streaming build;
the raw files of the run before it are ``scale_results_{1m,4m,4m_full,probe}.json``)."""
BEFORE = "scale_results_before.json"
"""The runs of HEAD 35aa53f (records in memory, one key array per entity, global sort)."""
SCHEMA_MIX = (("Person", 0.55), ("Company", 0.28), ("Organization", 0.12), ("Vessel", 0.05))
SOURCES = 20
MUTATION_RATE = 0.15

# locale → (script, country code, name order): "fl" first-last with a space, "lf" family
# name first without a space (Chinese, Japanese), "lf_space" family name first with a space.
LOCALES: dict[str, tuple[str, str, str]] = {
    "en_US": ("Latin", "us", "fl"),
    "en_GB": ("Latin", "gb", "fl"),
    "en_NG": ("Latin", "ng", "fl"),
    "en_IN": ("Latin", "in", "fl"),
    "de_DE": ("Latin", "de", "fl"),
    "fr_FR": ("Latin", "fr", "fl"),
    "es_ES": ("Latin", "es", "fl"),
    "es_MX": ("Latin", "mx", "fl"),
    "it_IT": ("Latin", "it", "fl"),
    "pt_BR": ("Latin", "br", "fl"),
    "pl_PL": ("Latin", "pl", "fl"),
    "cs_CZ": ("Latin", "cz", "fl"),
    "ro_RO": ("Latin", "ro", "fl"),
    "hu_HU": ("Latin", "hu", "lf_space"),
    "nl_NL": ("Latin", "nl", "fl"),
    "sv_SE": ("Latin", "se", "fl"),
    "fi_FI": ("Latin", "fi", "fl"),
    "tr_TR": ("Latin", "tr", "fl"),
    "az_AZ": ("Latin", "az", "fl"),
    "vi_VN": ("Latin", "vn", "lf_space"),
    "id_ID": ("Latin", "id", "fl"),
    "yo_NG": ("Latin", "ng", "fl"),
    "ha_NG": ("Latin", "ng", "fl"),
    "sw": ("Latin", "ke", "fl"),
    "hr_HR": ("Latin", "hr", "fl"),
    "lt_LT": ("Latin", "lt", "fl"),
    "ru_RU": ("Cyrillic", "ru", "fl"),
    "uk_UA": ("Cyrillic", "ua", "fl"),
    "bg_BG": ("Cyrillic", "bg", "fl"),
    "ar_AA": ("Arabic", "ae", "fl"),
    "ar_SA": ("Arabic", "sa", "fl"),
    "ar_PS": ("Arabic", "ps", "fl"),
    "fa_IR": ("Arabic", "ir", "fl"),
    "zh_CN": ("Han", "cn", "lf"),
    "zh_TW": ("Han", "tw", "lf"),
    "ja_JP": ("Han", "jp", "lf"),
    "ko_KR": ("Hangul", "kr", "lf"),
    "el_GR": ("Greek", "gr", "fl"),
    "he_IL": ("Hebrew", "il", "fl"),
    "hi_IN": ("Devanagari", "in", "fl"),
    "ne_NP": ("Devanagari", "np", "fl"),
    "ka_GE": ("Georgian", "ge", "fl"),
    "hy_AM": ("Armenian", "am", "fl"),
    "th_TH": ("Thai", "th", "fl"),
    "bn_BD": ("Bengali", "bd", "fl"),
    "ta_IN": ("Tamil", "in", "fl"),
}
_VESSEL_TEXT = (
    "ocean star sea pearl glory fortune eagle spirit dragon pacific atlantic "
    "princess queen king grace hope victory global express trader carrier venture "
    "harmony breeze wind wave island coral golden silver royal lucky sun moon "
    "crystal falcon phoenix horizon ever blue red white black green great new mega "
    "ultra nord sud west east"
)
VESSEL_WORDS = tuple(_VESSEL_TEXT.split())
TOPICS = (("sanction", 0.5), ("role.pep", 0.3), ("crime", 0.1), ("debarment", 0.1))


# -- name pools ---------------------------------------------------------------------------


def _as_list(value: Any) -> list[str]:
    if isinstance(value, dict):
        value = list(value.keys())
    return [str(x) for x in value if str(x).strip()]


@dataclass(frozen=True)
class LocalePool:
    """Name parts of one locale (and their romanisations, made once)."""

    locale: str
    script: str
    country: str
    order: str
    first: tuple[str, ...]
    last: tuple[str, ...]
    company_words: tuple[str, ...]


@dataclass(frozen=True)
class Pools:
    """Everything the corpus recombines (built once per process, deterministic)."""

    locales: tuple[LocalePool, ...]
    sdn_tokens: tuple[str, ...]
    legal_forms: tuple[str, ...]


def _person_provider(fake: Any) -> Any:
    for provider in fake.providers:
        if type(provider).__module__.startswith("faker.providers.person"):
            return provider
    raise LookupError("no person provider")


def _locale_pool(locale: str) -> LocalePool:
    from faker import Faker

    script, country, order = LOCALES[locale]
    fake = Faker(locale)
    fake.seed_instance(zlib.crc32(locale.encode()))
    person = _person_provider(fake)
    first: list[str] = []
    last: list[str] = []
    for attr in ("first_names", "first_names_male", "first_names_female"):
        first.extend(_as_list(getattr(person, attr, ())))
    for attr in ("last_names", "last_names_male", "last_names_female"):
        last.extend(_as_list(getattr(person, attr, ())))
    words: set[str] = set()
    try:
        for _ in range(200):
            for word in fake.company().replace(",", " ").split():
                if len(word) > 1:
                    words.add(word)
    except AttributeError:
        pass
    return LocalePool(
        locale,
        script,
        country,
        order,
        tuple(sorted(set(first))),
        tuple(sorted(set(last))),
        tuple(sorted(words)),
    )


def _sdn_tokens() -> tuple[str, ...]:
    """Name tokens of the OFAC SDN names file (real listed-party spellings)."""
    tokens: set[str] = set()
    if not SDN_NAMES.is_file():
        return ()
    with SDN_NAMES.open(encoding="utf-8") as fh:
        for line in fh:
            for name in json.loads(line).get("names", []):
                for token in str(name.get("full_name", "")).replace(",", " ").split():
                    token = token.strip(".()\"'")
                    if len(token) >= 3 and token.isalpha():
                        tokens.add(token.title())
    return tuple(sorted(tokens))


def _legal_forms() -> tuple[str, ...]:
    forms: set[str] = {"LLC", "Ltd", "GmbH", "JSC", "OOO", "SA", "Inc"}
    if LEGAL_NAMES.is_file():
        with LEGAL_NAMES.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                abbr = (row.get("abbreviation") or "").strip()
                if abbr and len(abbr) <= 12:
                    forms.add(abbr)
    return tuple(sorted(forms))


@functools.cache
def pools() -> Pools:
    """The name pools (cached per process; ~2 s)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        locales = tuple(_locale_pool(loc) for loc in LOCALES)
    return Pools(locales, _sdn_tokens(), _legal_forms())


@functools.lru_cache(maxsize=200_000)
def romanise(text: str) -> str:
    """ASCII romanisation (ICU, as the product's text layer does); cached per name part."""
    from normality import ascii_text

    out = ascii_text(text) or text
    return " ".join(w.capitalize() for w in out.split())


# -- entities -----------------------------------------------------------------------------


def _mutate(rng: random.Random, token: str) -> str:
    """One substitution / deletion / duplication inside the token (keeps its script)."""
    if len(token) < 3:
        return token
    pos = rng.randrange(1, len(token))
    op = rng.random()
    if op < 0.5:
        return token[:pos] + token[rng.randrange(len(token))] + token[pos + 1 :]
    if op < 0.75:
        return token[:pos] + token[pos + 1 :]
    return token[:pos] + token[pos] + token[pos:]


def _part(rng: random.Random, choices: tuple[str, ...]) -> str:
    token = rng.choice(choices)
    return _mutate(rng, token) if rng.random() < MUTATION_RATE else token


def _join(pool: LocalePool, first: str, last: str) -> str:
    if pool.order == "lf":
        return last + first
    if pool.order == "lf_space":
        return f"{last} {first}"
    return f"{first} {last}"


def _weighted(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    roll = rng.random()
    for value, weight in table:
        roll -= weight
        if roll < 0:
            return value
    return table[-1][0]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))


def entity_rng(seed: int, i: int) -> random.Random:
    return random.Random((seed << 40) ^ i)


def _person(rng: random.Random, pool: LocalePool, p: Pools) -> tuple[dict[str, list[str]], str]:
    firsts = pool.first or p.sdn_tokens
    lasts = pool.last or p.sdn_tokens
    first = _part(rng, firsts)
    last = _part(rng, lasts)
    if rng.random() < 0.1 and p.sdn_tokens:
        last = _part(rng, p.sdn_tokens)  # listed-style family names
    middle = _part(rng, firsts) if rng.random() < 0.25 and pool.order == "fl" else ""
    name = _join(pool, f"{first} {middle}".strip(), last)
    aliases: list[str] = []
    if pool.script != "Latin" and rng.random() < 0.6:
        roman = (romanise(first), romanise(last))
        aliases.append(" ".join(roman[::-1] if pool.order != "fl" else roman))
    if rng.random() < 0.2:
        aliases.append(f"{last} {first}")
    if rng.random() < 0.15:
        aliases.append(_join(pool, f"{first} {_part(rng, firsts)}", last))
    if rng.random() < 0.1:
        aliases.append(_join(pool, _mutate(rng, first), _mutate(rng, last)))
    year = rng.randint(1930, 2005)
    props: dict[str, list[str]] = {
        "name": [name],
        "firstName": [first],
        "lastName": [last],
        "nationality": [pool.country],
    }
    if rng.random() < 0.7:
        props["birthDate"] = [
            f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if rng.random() < 0.7
            else str(year)
        ]
    if rng.random() < 0.3:
        props["passportNumber"] = [_letters(rng, 2) + _digits(rng, 7)]
    if rng.random() < 0.1:
        props["idNumber"] = [_digits(rng, 10)]
    if aliases:
        props["alias"] = [a for a in dict.fromkeys(aliases) if a and a != name]
    return props, name


def _company(
    rng: random.Random, pool: LocalePool, p: Pools, schema: str
) -> tuple[dict[str, list[str]], str]:
    words = pool.company_words or p.sdn_tokens
    # Latin names mix in listed-style (SDN) tokens; other scripts keep to their own words
    other = (p.sdn_tokens or words) if pool.script == "Latin" else (pool.last or words)
    parts = [_part(rng, words if rng.random() < 0.5 else other)]
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        parts.append(_part(rng, rng.choice((words, other, pool.last or words))))
    core = " ".join(parts)
    legal = rng.choice(p.legal_forms) if schema == "Company" and rng.random() < 0.8 else ""
    name = f"{core} {legal}".strip()
    props: dict[str, list[str]] = {"name": [name], "country": [pool.country]}
    aliases: list[str] = []
    if pool.script != "Latin" and rng.random() < 0.5:
        aliases.append(romanise(core))
    if rng.random() < 0.2:
        aliases.append(core)
    if rng.random() < 0.1 and len(parts) > 1:
        aliases.append("".join(w[0] for w in parts).upper())
    if aliases:
        props["alias"] = [a for a in dict.fromkeys(aliases) if a and a != name]
    if schema == "Company":
        props["jurisdiction"] = [pool.country]
        if rng.random() < 0.5:
            props["registrationNumber"] = [_digits(rng, rng.choice((8, 10, 13)))]
        if pool.country == "ru" and rng.random() < 0.5:
            props["innCode"] = [_digits(rng, 10)]
        if rng.random() < 0.05:
            props["leiCode"] = [_digits(rng, 4) + _letters(rng, 14) + _digits(rng, 2)]
    return props, name


def _vessel(rng: random.Random, pool: LocalePool, p: Pools) -> tuple[dict[str, list[str]], str]:
    parts = [rng.choice(VESSEL_WORDS).upper()]
    if rng.random() < 0.6:
        words = (pool.last or p.sdn_tokens) if rng.random() < 0.4 else VESSEL_WORDS
        parts.append(_part(rng, words))
    if rng.random() < 0.2:
        parts.append(str(rng.randint(1, 99)))
    name = " ".join(x.upper() for x in parts)
    props = {"name": [name], "flag": [pool.country], "imoNumber": [f"IMO{_digits(rng, 7)}"]}
    if rng.random() < 0.2:
        props["previousName"] = [f"{rng.choice(VESSEL_WORDS).upper()} {_part(rng, VESSEL_WORDS)}"]
    return props, name


def synthetic_entity(seed: int, i: int) -> dict[str, Any]:
    """Entity ``i`` of the corpus of ``seed`` as an FtM dict (with ``source`` number)."""
    rng = entity_rng(seed, i)
    p = pools()
    schema = _weighted(rng, SCHEMA_MIX)
    pool = rng.choice(p.locales)
    if schema == "Person":
        props, _ = _person(rng, pool, p)
    elif schema == "Vessel":
        props, _ = _vessel(rng, pool, p)
    else:
        props, _ = _company(rng, pool, p, schema)
    if rng.random() < 0.8:
        props["topics"] = [_weighted(rng, TOPICS)]
    return {
        "id": f"syn-{seed}-{i:08d}",
        "schema": schema,
        "properties": props,
        "source": rng.randrange(SOURCES),
        "script": pool.script,
    }


def corpus(seed: int, count: int) -> Iterator[dict[str, Any]]:
    """The first ``count`` entities of the corpus (a stream: constant memory)."""
    for i in range(count):
        yield synthetic_entity(seed, i)


def version_infos(count: int) -> list[Any]:
    """One synthetic list version per source (what the store would hand to build_index)."""
    from clearance.store.types import VersionInfo

    now = datetime(2026, 11, 1, tzinfo=UTC)
    return [
        VersionInfo(
            id=n + 1,
            source=f"synthetic_{n:02d}",
            format="ftm",
            publication_date="2026-11-01",
            sha256="0" * 64,
            files=[],
            entity_count=count // SOURCES,
            schema_counts={},
            warnings=[],
            loaded_at=now,
            active=True,
        )
        for n in range(SOURCES)
    ]


def rows(seed: int, count: int, versions: list[Any]) -> Iterator[tuple[Any, Any]]:
    """(VersionInfo, EntityProxy) rows, as ``Store.active_entities`` yields them."""
    from followthemoney import model

    for data in corpus(seed, count):
        proxy = model.get_proxy(
            {"id": data["id"], "schema": data["schema"], "properties": data["properties"]},
            cleaned=False,
        )
        yield versions[data["source"]], proxy


# -- queries ------------------------------------------------------------------------------


def _variant(rng: random.Random, name: str) -> str:
    """A name as a customer file might spell it: typo, word order, dropped word, romanised."""
    words = name.split()
    op = rng.random()
    if op < 0.3:
        target = rng.randrange(len(words))
        words[target] = _mutate(rng, words[target])
    elif op < 0.5 and len(words) > 1:
        rng.shuffle(words)
    elif op < 0.6 and len(words) > 2:
        words.pop(rng.randrange(len(words)))
    elif op < 0.8:
        return romanise(name)
    elif op < 0.9:
        return name.upper()
    return " ".join(words)


def queries(seed: int, count: int, corpus_size: int, query_seed: int = 99) -> list[dict[str, Any]]:
    """Half variants of corpus entities' names, half unrelated Faker names (other seeds)."""
    from faker import Faker

    rng = random.Random(query_seed)
    out: list[dict[str, Any]] = []
    half = count // 2
    for n in range(half):
        ent = synthetic_entity(seed, rng.randrange(corpus_size))
        props = ent["properties"]
        names = props["name"] + props.get("alias", [])
        query: dict[str, Any] = {
            "id": f"v{n}",
            "schema": ent["schema"],
            "name": _variant(rng, rng.choice(names)),
        }
        if "birthDate" in props and rng.random() < 0.5:
            query["birth_date"] = props["birthDate"][0][:4]
        out.append(query)
    locales = list(LOCALES)
    fakers: dict[str, Any] = {}
    for n in range(count - half):
        loc = locales[n % len(locales)]
        fake = fakers.get(loc)
        if fake is None:
            fake = fakers[loc] = Faker(loc)
            fake.seed_instance(query_seed + len(fakers))
        if rng.random() < 0.75 or not hasattr(fake, "company"):
            out.append({"id": f"u{n}", "schema": "Person", "name": fake.name()})
        else:
            out.append({"id": f"u{n}", "schema": "Company", "name": fake.company()})
    return out


# -- measurement --------------------------------------------------------------------------


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and its children (0 when gone)."""
    import psutil

    try:
        proc = psutil.Process(pid)
        total = proc.memory_info().rss
        for child in proc.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += child.memory_info().rss
        return int(total)
    except psutil.Error:
        return 0


class RssSampler(threading.Thread):
    """Peak resident memory of a process tree, sampled every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.25, limit: int | None = None) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.limit = limit
        self.over_limit = False
        self.peak = 0
        self.samples: list[tuple[float, int]] = []
        self._halt = threading.Event()

    def run(self) -> None:
        started = time.perf_counter()
        while not self._halt.is_set():
            rss = tree_rss(self.pid)
            self.peak = max(self.peak, rss)
            if self.limit is not None and rss > self.limit and not self.over_limit:
                self.over_limit = True  # protect the shared machine: stop the run
                with contextlib.suppress(OSError):
                    os.kill(self.pid, 9)
            self.samples.append((round(time.perf_counter() - started, 2), rss))
            self._halt.wait(self.interval)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak


def run_child(
    args: list[str],
    timeout: float,
    out: Path,
    max_rss_gb: float | None = None,
    src: Path | None = None,
) -> dict[str, Any]:
    """Run ``python -m bench.screen.scale <args>`` under a timeout (and a resident memory
    limit), sampling its RSS; the JSON it writes to ``out`` plus ``peak_rss_mb``
    (``timed_out`` / ``over_rss_limit`` when killed)."""
    cmd = [sys.executable, "-m", "bench.screen.scale", *args, "--out", str(out)]
    started = time.perf_counter()
    env = dict(os.environ)
    if src is not None:  # a frozen copy of the product's code (the tree may change meanwhile)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
    proc = subprocess.Popen(cmd, cwd=Path(__file__).resolve().parents[2], env=env)
    limit = int(max_rss_gb * 2**30) if max_rss_gb else None
    sampler = RssSampler(proc.pid, limit=limit)
    sampler.start()
    timed_out = False
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        proc.kill()
        proc.wait()
    peak = sampler.stop()
    result: dict[str, Any] = json.loads(out.read_text()) if out.is_file() else {}
    result.update(
        {
            "peak_rss_mb": round(peak / 2**20, 1),
            "child_wall_s": round(time.perf_counter() - started, 2),
            "timed_out": timed_out,
            "over_rss_limit": sampler.over_limit,
            "returncode": proc.returncode,
            "rss_trace_mb": [
                (t, round(r / 2**20))
                for t, r in sampler.samples[:: max(1, len(sampler.samples) // 200)]
            ],
        }
    )
    return result


def _dir_size(path: Path) -> dict[str, float]:
    files = {f.name: f.stat().st_size / 2**20 for f in path.iterdir() if f.is_file()}
    return {"total_mb": round(sum(files.values()), 1), **{k: round(v, 1) for k, v in files.items()}}


class Stage:
    """Wall and CPU time of named build stages (from the product's progress callback)."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float, float, int]] = []
        self.mark("start")

    def mark(self, name: str) -> None:
        self.marks.append((name, time.perf_counter(), time.process_time(), tree_rss(os.getpid())))


def _marks(stage: Stage) -> list[dict[str, Any]]:
    return [
        {
            "stage": name,
            "wall_s": round(w - stage.marks[0][1], 2),
            "cpu_s": round(c - stage.marks[0][2], 2),
            "rss_mb": round(r / 2**20),
        }
        for name, w, c, r in stage.marks
    ]


STREAM_DONE = "stream read (generate + write records + keys)"
"""Stage mark at the end of the row stream (since the streaming build: records are written and
keyed while read; before it, ``OLD_STREAM_DONE``: records only collected)."""
OLD_STREAM_DONE = "records collected (generate + collect_records)"


def _stream_mark(marks: dict[str, Any]) -> Any:
    return marks.get(STREAM_DONE) or marks.get(OLD_STREAM_DONE)


def do_build(seed: int, count: int, path: Path, out: Path) -> None:
    """Child: build the index of ``count`` entities at ``path`` (product code path)."""
    from clearance.index import build_index

    stage = Stage()
    versions = version_infos(count)
    pools()
    stage.mark("pools")
    progress_log: list[tuple[int, float, float, int]] = []
    t0, c0 = time.perf_counter(), time.process_time()
    generated = 0

    last_write = time.perf_counter()

    def partial() -> None:
        """Write what is known so far (a run killed by its timeout still tells its rate)."""
        nonlocal last_write
        if time.perf_counter() - last_write < 30:
            return
        last_write = time.perf_counter()
        data = {"partial": True, "generated": generated, "stages": _marks(stage)}
        data["progress"] = progress_log[:: max(1, len(progress_log) // 50)] + progress_log[-1:]
        out.write_text(json.dumps(data, indent=1))

    def counted() -> Iterator[tuple[Any, Any]]:
        nonlocal generated
        for row in rows(seed, count, versions):
            generated += 1
            if generated % 250_000 == 0:
                stage.mark(f"{generated:,} records collected")
            if generated % 10_000 == 0:
                partial()
            yield row
        stage.mark(STREAM_DONE)

    def progress(kind: str, n: int) -> None:
        if n == 0:
            stage.mark("prepare+keys start")
        w, c = round(time.perf_counter() - t0, 2), round(time.process_time() - c0, 2)
        progress_log.append((n, w, c, round(tree_rss(os.getpid()) / 2**20)))
        partial()

    manifest = build_index(counted(), versions, path, progress=progress)
    stage.mark("done (incl. inverted index + write)")
    marks = _marks(stage)
    import clearance

    result = {
        "clearance_path": str(Path(clearance.__file__).parent),
        "index_algorithm": manifest["algorithm"],
        "entities": manifest["entities"],
        "keys": manifest["keys"],
        "postings": manifest["postings"],
        "build_wall_s": round(time.perf_counter() - t0, 2),
        "build_cpu_s": round(time.process_time() - c0, 2),
        "product_seconds": manifest["seconds"],
        "stages": marks,
        "progress": progress_log[:: max(1, len(progress_log) // 50)],
        "index_size_mb": _dir_size(path),
    }
    out.write_text(json.dumps(result, indent=1))


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def pct(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))], 3)

    return {"p50": pct(50), "p90": pct(90), "p99": pct(99), "max": round(ordered[-1], 3)}


def do_sort_probe(seed: int, count: int, keys_per_entity: float, out: Path) -> None:
    """Child: the product's postings step (:func:`clearance.index.build.postings_of`) alone
    on ``count`` synthetic key sets, held as the build holds them (one flat buffer).

    Its cost depends on the number of keys, not on what they mean, so key sets of the
    measured size (Poisson around ``keys_per_entity``; 70 % drawn from a Zipf vocabulary =
    common keys, 30 % unique = the long tail) stand in for real ones.
    """
    from array import array

    import numpy as np

    from clearance.index.build import KeyBuffer, postings_of

    rng = np.random.default_rng(seed)
    stage = Stage()
    sizes = np.maximum(1, rng.poisson(keys_per_entity, count))
    total = int(sizes.sum())
    common = rng.zipf(1.3, total).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    tail = rng.integers(0, 2**63, total, dtype=np.uint64)
    flat = np.where(rng.random(total) < 0.7, common, tail)
    del common, tail
    buffer = KeyBuffer()
    buffer.flat.frombytes(flat.tobytes())
    buffer.counts = array("i", sizes.astype(np.int32).tobytes())
    del flat, sizes
    stage.mark("key sets held (one flat buffer)")
    t0, c0 = time.perf_counter(), time.process_time()
    keys, _offsets, postings, _idf = postings_of(buffer)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    stage.mark("postings_of done")
    result = {
        "entities": count,
        "postings": len(postings),
        "keys": len(keys),
        "inverted_index_wall_s": round(wall, 2),
        "inverted_index_cpu_s": round(cpu, 2),
        "stages": _marks(stage),
    }
    out.write_text(json.dumps(result, indent=1))


def do_query(seed: int, count: int, path: Path, nqueries: int, out: Path) -> None:
    """Child: open the index memory-mapped and screen three passes: ``cold`` (fresh process,
    list entities prepared on first use), ``warm`` (the same queries again: everything
    cached) and ``fresh`` (new queries in the warmed process: the steady state of a server)."""
    from clearance.index import QueryKeys
    from clearance.screen import Screener, as_query

    first = queries(seed, nqueries, count)
    second = queries(seed, nqueries, count, query_seed=199)
    rss0 = tree_rss(os.getpid())
    t0 = time.perf_counter()
    screener = Screener.from_path(path)
    load_s = time.perf_counter() - t0
    rss_open = tree_rss(os.getpid())
    passes: dict[str, Any] = {}
    for label, qs in (("cold", first), ("warm", first), ("fresh", second)):
        wall: list[float] = []
        cpu: list[float] = []
        index_ms: list[float] = []
        index_cpu: list[float] = []
        cands: list[int] = []
        hits = {"variant": 0, "unrelated": 0}
        for q in qs:
            w0, c0 = time.perf_counter(), time.process_time()
            result = screener.screen(q)
            wall.append((time.perf_counter() - w0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            cands.append(result.candidates)
            if result.hits:
                hits["variant" if q["id"].startswith("v") else "unrelated"] += 1
        for q in qs:  # the index part alone (no matcher): query keys → candidates
            prepared = screener.matcher.prepare(as_query(q))
            w0, c0 = time.perf_counter(), time.process_time()
            screener.index.candidates(QueryKeys(prepared), screener.config)
            index_ms.append((time.perf_counter() - w0) * 1000)
            index_cpu.append((time.process_time() - c0) * 1000)
        passes[label] = {
            "wall_ms": _percentiles(wall),
            "cpu_ms": _percentiles(cpu),
            "index_only_wall_ms": _percentiles(index_ms),
            "index_only_cpu_ms": _percentiles(index_cpu),
            "mean_candidates": round(sum(cands) / len(cands), 1),
            "max_candidates": max(cands),
            "queries_with_hits": hits,
            "rss_mb_after": round(tree_rss(os.getpid()) / 2**20),
            "prepared_entities_cached": screener.index.prepared_count,
        }
    measured = {
        "queries": len(first),
        "load_s": round(load_s, 4),
        "rss_mb_before_open": round(rss0 / 2**20),
        "rss_mb_after_open": round(rss_open / 2**20),
        **passes,
    }
    out.write_text(json.dumps(measured, indent=1))


# -- driver -------------------------------------------------------------------------------


def _load_avg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def write_results(summary: dict[str, Any], name: str = "scale_results.json") -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / name).write_text(json.dumps(summary, indent=1) + "\n", "utf-8")
    if name == "scale_results.json":
        plot(summary)


def plot(summary: dict[str, Any]) -> None:
    """Build time, memory and p99 latency against N; hollow markers are projections."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = [r for r in summary["runs"] if r.get("build", {}).get("entities")]
    if not runs:
        return
    proj = summary.get("projection", {})
    n = [r["build"]["entities"] for r in runs]
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.2))
    ax = axes[0]
    ax.plot(n, [r["build"]["build_wall_s"] / 60 for r in runs], "o-", label="wall (load varied)")
    ax.plot(n, [r["build"]["build_cpu_s"] / 60 for r in runs], "s-", label="CPU")
    if proj:
        ax.plot(
            [n[-1], proj["n"]],
            [runs[-1]["build"]["build_cpu_s"] / 60, proj["build_cpu_s"] / 60],
            "s--",
            mfc="none",
            color="C1",
            label="CPU, projected (linear)",
        )
    ax.set_title("index build time (min)")
    ax = axes[1]
    ax.plot(n, [r["build"]["peak_rss_mb"] / 1024 for r in runs], "o-", label="build peak")
    q_runs = [r for r in runs if r.get("query", {}).get("warm")]
    ax.plot(
        [r["build"]["entities"] for r in q_runs],
        [r["query"]["peak_rss_mb"] / 1024 for r in q_runs],
        "s-",
        label="query process peak",
    )
    if proj:
        ax.plot(
            [n[-1], proj["n"]],
            [runs[-1]["build"]["peak_rss_mb"] / 1024, proj["build_peak_rss_mb"] / 1024],
            "o--",
            mfc="none",
            color="C0",
            label="build peak, projected",
        )
    partial = summary.get("partial_4m")
    if partial and partial.get("rss_records_mb"):
        ax.plot(
            [partial["n"]],
            [partial["rss_records_mb"] / 1024],
            "x",
            color="k",
            label=f"measured: {partial['n'] / 1e6:g}M records held",
        )
    before = _before_runs()
    if before:
        ax.plot(
            [r["build"]["entities"] for r in before],
            [r["build"]["peak_rss_mb"] / 1024 for r in before],
            "o:",
            color="grey",
            label="build peak before (35aa53f)",
        )
    ax.axhline(8, color="red", lw=0.8, label="goal 8 GB")
    ax.set_title("resident memory (GB)")
    ax = axes[2]
    for label, color in (("fresh", "C2"), ("warm", "C1")):
        having = [r for r in q_runs if label in r["query"]]
        xs = [r["build"]["entities"] for r in having]
        ax.plot(
            xs,
            [r["query"][label]["wall_ms"]["p99"] for r in having],
            "o-",
            color=color,
            label=f"p99 wall, {label}",
        )
        ax.plot(
            xs,
            [r["query"][label]["cpu_ms"]["p99"] for r in having],
            "s--",
            color=color,
            label=f"p99 CPU, {label}",
        )
    if before:
        ax.plot(
            [r["build"]["entities"] for r in before if r.get("query")],
            [r["query"]["fresh"]["cpu_ms"]["p99"] for r in before if r.get("query")],
            "s:",
            color="grey",
            label="p99 CPU, fresh, before (35aa53f)",
        )
    again = RESULTS / "scale_results_v2_4m_query.json"
    if again.is_file():
        rerun = json.loads(again.read_text())
        if rerun.get("query", {}).get("fresh"):
            ax.plot(
                [rerun["n"]],
                [rerun["query"]["fresh"]["cpu_ms"]["p99"]],
                "D",
                color="C3",
                label="p99 CPU, fresh, final _shares (re-run)",
            )
    for name, label, color in LATER_4M:
        later = RESULTS / name
        if later.is_file():
            run = json.loads(later.read_text())["runs"][-1]
            ax.plot(
                [run["n"]], [run["query"]["fresh"]["cpu_ms"]["p99"]], "D", color=color, label=label
            )
    ax.axhline(50, color="red", lw=0.8, label="goal p99 50 ms")
    ax.set_title("query latency (ms)")
    for ax in axes:
        ax.set_xlabel("entities")
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
    fig.suptitle(
        "Candidate index at scale, synthetic corpus (shared 2-core machine; load per run: JSON)"
    )
    fig.tight_layout()
    fig.savefig(RESULTS / "scale_plot.png", dpi=110)
    plt.close(fig)


def _before_runs() -> list[dict[str, Any]]:
    """The full runs of the code before the streaming build (``BEFORE``), for the plot."""
    path = RESULTS / BEFORE
    if not path.is_file():
        return []
    runs = json.loads(path.read_text()).get("runs", [])
    return [r for r in runs if r.get("build", {}).get("entities")]


def merge(names: list[str]) -> dict[str, Any]:
    """Merge the result files of separate drivers (sizes, sort probe) into
    ``scale_results.json`` and add the linear projection to 4M (see the README)."""
    merged: dict[str, Any] = {"runs": []}
    for name in names:
        path = RESULTS / name
        if not path.is_file():
            continue
        data = json.loads(path.read_text())
        for run in data.pop("runs", []):
            if not run.get("build", {}).get("entities"):  # killed run: keep what it measured
                merged["partial_4m"] = _partial_summary(run)
                if any(r["n"] == run["n"] for r in merged["runs"]):
                    continue
            merged["runs"] = [r for r in merged["runs"] if r["n"] != run["n"]] + [run]
        for key, value in data.items():
            merged.setdefault(key, value)
    merged["runs"].sort(key=lambda r: r["n"])
    full = [r for r in merged["runs"] if r.get("build", {}).get("entities")]
    merged["runs"] = full
    merged.pop("projection", None)
    if full and full[-1]["n"] < 4_000_000:
        merged["projection"] = _projection(full[-1], merged)
    (RESULTS / "scale_results.json").write_text(json.dumps(merged, indent=1) + "\n", "utf-8")
    plot(merged)
    return merged


def _partial_summary(run: dict[str, Any]) -> dict[str, Any]:
    """What a killed (timed-out) build got to: records collected and RSS, keying rate."""
    build = run["build"]
    marks = {m["stage"]: m for m in build.get("stages", [])}
    collected = _stream_mark(marks)
    progress = build.get("progress", [])
    out: dict[str, Any] = {
        "n": run["n"],
        "generated": build.get("generated"),
        "timed_out": build.get("timed_out"),
        "child_wall_s": build.get("child_wall_s"),
        "peak_rss_mb": build.get("peak_rss_mb"),
        "rss_records_mb": collected["rss_mb"] if collected else None,
        "collect_wall_s": collected["wall_s"] if collected else None,
        "collect_cpu_s": collected["cpu_s"] if collected else None,
    }
    if progress:
        out["keyed"] = progress[-1][0]
        out["last_progress"] = progress[-1]
    return out


def _projection(run: dict[str, Any], merged: dict[str, Any], n: int = 4_000_000) -> dict[str, Any]:
    """Linear projection of the largest full run to ``n`` entities, and a memory estimate of
    the build's peak from its parts (records held + key sets + the inverted-index step of
    the sort probe + the rest of the measured run)."""
    build = run["build"]
    scale_n = n / run["n"]
    out: dict[str, Any] = {
        "n": n,
        "from_n": run["n"],
        "build_cpu_s": round(build["build_cpu_s"] * scale_n),
        "index_size_mb": round(build["index_size_mb"]["total_mb"] * scale_n),
        "build_peak_rss_mb_linear": round(build["peak_rss_mb"] * scale_n),
    }
    probe = merged.get("sort_probe")
    partial = merged.get("partial_4m") or {}
    if probe and partial.get("rss_records_mb"):
        held = next(m["rss_mb"] for m in probe["stages"] if m["stage"].startswith("key sets"))
        transient = probe["peak_rss_mb"] - held
        keysets = held - probe["stages"][0]["rss_mb"]
        marks = {m["stage"]: m["rss_mb"] for m in build["stages"]}
        base_records = _stream_mark(marks)
        last_keying = build["progress"][-1][3] if build.get("progress") else base_records
        # what keying added at from_n beyond the key sets: the matcher's caches (bounded)
        caches = max(0.0, last_keying - base_records - keysets * run["n"] / probe["entities"])
        out["memory_parts_mb"] = {
            "records_held_at_n (measured, partial 4M run)": partial["rss_records_mb"],
            "key_sets (sort probe)": keysets,
            "inverted_index_transient (sort probe)": transient,
            "matcher_caches (measured at from_n, bounded by lru sizes)": round(caches),
        }
        out["build_peak_rss_mb"] = round(partial["rss_records_mb"] + keysets + transient + caches)
    else:
        out["build_peak_rss_mb"] = out["build_peak_rss_mb_linear"]
    return out


def drive(args: argparse.Namespace) -> None:
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    existing = RESULTS / args.results
    summary: dict[str, Any] = (
        json.loads(existing.read_text()) if args.append and existing.is_file() else {}
    )
    summary.setdefault("runs", [])
    summary.update(
        {
            "seed": args.seed,
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "load_avg_start": _load_avg(),
            "cpu_count": os.cpu_count(),
            "python": sys.version.split()[0],
            "build_path": "clearance.index.build_index fed a stream of (VersionInfo, EntityProxy)"
            " rows; store read not included",
            "code": args.code or "working tree",
        }
    )
    if args.sort_probe:
        print(f"[scale] sort probe {args.sort_probe:,}", flush=True)
        summary["sort_probe"] = run_child(
            ["sort-probe", "--count", str(args.sort_probe)],
            args.timeout,
            work / f"sort-probe-{args.sort_probe}.json",
            args.max_rss_gb,
            args.src,
        )
        write_results(summary, args.results)
    for size in [int(x) for x in args.sizes.split(",") if x]:
        path = work / f"index-{size}"
        shutil.rmtree(path, ignore_errors=True)
        run: dict[str, Any] = {"n": size, "load_avg_before": _load_avg()}
        summary["runs"] = [r for r in summary["runs"] if r["n"] != size] + [run]
        print(f"[scale] build {size:,}", flush=True)
        run["build"] = run_child(
            ["build", "--seed", str(args.seed), "--count", str(size), "--path", str(path)],
            args.timeout,
            work / f"build-{size}.json",
            args.max_rss_gb,
            args.src,
        )
        run["load_avg_after_build"] = _load_avg()
        write_results(summary, args.results)
        if run["build"]["timed_out"] or run["build"]["returncode"] != 0:  # killed: stop here
            print(f"[scale] build {size:,} did not finish; stopping", flush=True)
            break
        print(f"[scale] query {size:,}", flush=True)
        run["query"] = run_child(
            [
                "query",
                "--seed",
                str(args.seed),
                "--count",
                str(size),
                "--path",
                str(path),
                "--queries",
                str(args.queries),
            ],
            args.timeout,
            work / f"query-{size}.json",
            args.max_rss_gb,
            args.src,
        )
        run["load_avg_after_query"] = _load_avg()
        write_results(summary, args.results)
        if not args.keep:
            shutil.rmtree(path, ignore_errors=True)
    summary["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    write_results(summary, args.results)


def write_ndjson(seed: int, count: int, out: Path) -> None:
    """The corpus as FtM NDJSON (for ``clearance lists load``)."""
    with out.open("w", encoding="utf-8") as fh:
        for data in corpus(seed, count):
            record = {"id": data["id"], "schema": data["schema"], "properties": data["properties"]}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd")
    sub.add_parser("merge")
    for name in ("build", "query", "corpus", "sort-probe"):
        p = sub.add_parser(name)
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--count", type=int, required=True)
        p.add_argument("--path", type=Path)
        p.add_argument("--out", "-o", type=Path, required=True)
        p.add_argument("--queries", type=int, default=2000)
        p.add_argument("--keys-per-entity", type=float, default=42.0)  # ≈ 31 unique
    parser.add_argument("--sizes", default="250000,1000000,4000000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--timeout", type=float, default=5400.0, help="seconds per child")
    parser.add_argument("--workdir", default="/tmp/clearance-scale")
    parser.add_argument("--keep", action="store_true", help="keep the index directories")
    parser.add_argument("--max-rss-gb", type=float, default=14.0, help="kill a child above this")
    parser.add_argument("--results", default="scale_results.json", help="file in results dir")
    parser.add_argument("--sort-probe", type=int, default=0, help="entities of the sort probe")
    parser.add_argument("--src", type=Path, help="import clearance from this src dir (frozen copy)")
    parser.add_argument("--code", default="", help="what --src holds (recorded in the results)")
    parser.add_argument("--append", action="store_true", help="keep runs of earlier sizes")
    args = parser.parse_args(argv)
    if args.cmd == "build":
        do_build(args.seed, args.count, args.path, args.out)
    elif args.cmd == "query":
        do_query(args.seed, args.count, args.path, args.queries, args.out)
    elif args.cmd == "merge":
        merge(list(MERGED))
    elif args.cmd == "sort-probe":
        do_sort_probe(args.seed, args.count, args.keys_per_entity, args.out)
    elif args.cmd == "corpus":
        write_ndjson(args.seed, args.count, args.out)
    else:
        drive(args)


if __name__ == "__main__":
    main()
