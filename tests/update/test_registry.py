"""The source registry: the packaged file, override files, mirrors, settings."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.errors import ConfigError
from clearance.settings import REPO_ROOT, Settings, load_settings
from clearance.sources import parser_for_format
from clearance.update.config import registry_for
from clearance.update.registry import load_registry, mirror_url

SDN_URL = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV"


def _override(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yml"
    path.write_text(text)
    return path


def test_packaged_registry_is_valid_and_official() -> None:
    registry = load_registry()
    ids = [s.id for s in registry]
    assert len(ids) == len(set(ids)) >= 10
    for source in registry:
        for spec in source.files:
            parts = urlsplit(spec.url)
            assert parts.scheme == "https", spec.url
            assert not parts.netloc.startswith(("127.", "localhost")), spec.url
    sdn = registry.get("us_ofac_sdn")
    assert [f.name for f in sdn.files] == ["sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"]
    assert sdn.files[0].url == SDN_URL
    un = registry.get("un_sc_sanctions")
    assert un.files[0].url == "https://scsanctions.un.org/resources/xml/en/consolidated.xml"


def test_every_format_has_a_parser_storing_under_the_same_id() -> None:
    for source in load_registry():
        parser = parser_for_format(source.format)
        if not source.id.startswith("opensanctions"):
            assert parser.source == source.id, (source.id, parser.source)


def test_docs_list_every_source_and_url() -> None:
    text = (REPO_ROOT / "docs" / "sources.md").read_text("utf-8")
    for source in load_registry():
        assert f"`{source.id}`" in text, source.id
        assert source.format in text, source.format
        for spec in source.files:
            assert spec.url in text, spec.url


def test_docs_list_every_update_setting() -> None:
    text = (REPO_ROOT / "docs" / "sources.md").read_text("utf-8")
    for name in Settings.model_fields:
        assert f"CLEARANCE_{name.upper()}" in text or name in Settings.model_fields, name
    for name in ("source_mirror", "sources_file", "http_timeout", "http_retries", "home"):
        assert f"`CLEARANCE_{name.upper()}`" in text, name


def test_default_selection_skips_disabled_sources_unless_named() -> None:
    registry = load_registry()
    default = [s.id for s in registry.select()]
    assert "us_ofac_sdn" in default and "opensanctions_sanctions" not in default
    assert [s.id for s in registry.select(["opensanctions_sanctions"])] == [
        "opensanctions_sanctions"
    ]
    with pytest.raises(ConfigError, match="unknown source 'xx'; known: us_ofac_sdn"):
        registry.select(["xx"])


def test_override_file_changes_disables_and_adds(tmp_path: Path) -> None:
    path = _override(
        tmp_path,
        """
sources:
  - id: un_sc_sanctions
    enabled: false
  - id: us_ofac_sdn
    files:
      - {name: sdn.csv, url: "https://mirror.example/sdn.csv"}
  - id: opensanctions_peps
    title: PEPs
    authority: OpenSanctions
    country: zz
    format: ftm_json
    licence: CC BY-NC 4.0
    frequency: daily
    homepage: https://www.opensanctions.org/datasets/peps/
    files:
      - name: entities.ftm.json
        url: https://data.opensanctions.org/datasets/latest/peps/entities.ftm.json
""",
    )
    registry = load_registry(path)
    assert not registry.get("un_sc_sanctions").enabled
    sdn = registry.get("us_ofac_sdn")
    assert [f.url for f in sdn.files] == ["https://mirror.example/sdn.csv"]
    assert sdn.authority.startswith("Office of Foreign Assets Control")  # kept
    assert "opensanctions_peps" in [s.id for s in registry.select()]
    assert "un_sc_sanctions" not in [s.id for s in registry.select()]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sources: [", "not valid YAML"),
        ("- id: x", "expected a mapping with a 'sources' list"),
        ("sources:\n  - title: no id", "source entry 1 has no 'id'"),
        ("sources:\n  - id: new_one\n    title: t", "source 'new_one'.*Field required"),
        ("sources:\n  - id: us_ofac_sdn\n    files: []", "lists no files"),
        (
            "sources:\n  - id: us_ofac_sdn\n    files: [{name: ../x.csv, url: 'https://a/b'}]",
            "plain file name",
        ),
        (
            "sources:\n  - id: us_ofac_sdn\n    files: [{name: a.csv, url: 'ftp://a/b'}]",
            "not an http",
        ),
        (
            "sources:\n  - id: us_ofac_sdn\n    files:\n"
            "      - {name: a.csv, url: 'https://a/b'}\n      - {name: a.csv, url: 'https://a/c'}",
            "file name twice",
        ),
        ("sources:\n  - id: us_ofac_sdn\n    colour: red", "Extra inputs are not permitted"),
    ],
)
def test_bad_override_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_registry(_override(tmp_path, text))


def test_missing_override_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.yml"):
        load_registry(tmp_path / "nope.yml")


@pytest.mark.parametrize(
    ("mirror", "expected"),
    [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/api/PublicationPreview/exports/SDN.CSV"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/api/PublicationPreview/exports/SDN.CSV"),
        (
            "https://m.example/ofac/",
            "https://m.example/ofac/api/PublicationPreview/exports/SDN.CSV",
        ),
    ],
)
def test_mirror_replaces_scheme_and_host(mirror: str, expected: str) -> None:
    assert mirror_url(SDN_URL, mirror) == expected


def test_mirror_keeps_the_query() -> None:
    url = "https://webgate.ec.europa.eu/fsd/fsf/public/files/x/content?token=abc"
    assert mirror_url(url, "http://h:1") == "http://h:1/fsd/fsf/public/files/x/content?token=abc"


def test_mirrored_registry_rewrites_every_url() -> None:
    registry = load_registry().mirrored("http://127.0.0.1:9999/")
    for source in registry:
        for spec in source.files:
            assert spec.url.startswith("http://127.0.0.1:9999/"), spec.url


def test_mirror_setting_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARANCE_SOURCE_MIRROR", "http://10.0.0.5:8000/lists")
    settings = load_settings()
    url = registry_for(settings).get("un_sc_sanctions").files[0].url
    assert url == "http://10.0.0.5:8000/lists/resources/xml/en/consolidated.xml"
    # the --mirror option wins over the setting
    url = registry_for(settings, "http://other:1").get("un_sc_sanctions").files[0].url
    assert url.startswith("http://other:1/resources/")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CLEARANCE_SOURCE_MIRROR", "ftp://mirror"),
        ("CLEARANCE_DOWNLOAD_MAX_BYTES", "0"),
        ("CLEARANCE_HTTP_BACKOFF", "-1"),
        ("CLEARANCE_DOWNLOAD_MAX_SECONDS", "0"),
        ("CLEARANCE_HTTP_RETRIES", "99"),
    ],
)
def test_bad_setting_fails_loudly(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match="bad setting"):
        load_settings()


_SEGMENT = st.text(alphabet=st.sampled_from("abcXYZ019-_.~%"), min_size=1, max_size=12)


@given(
    path=st.lists(_SEGMENT, max_size=5).map(lambda parts: "/" + "/".join(parts)),
    query=st.one_of(st.just(""), _SEGMENT.map(lambda q: "token=" + q)),
    prefix=st.sampled_from(["", "/", "/mirror", "/a/b/"]),
)
def test_mirror_keeps_path_and_query_and_is_stable(path: str, query: str, prefix: str) -> None:
    url = f"https://official.example.gov{path}" + (f"?{query}" if query else "")
    mirror = f"http://127.0.0.1:8080{prefix}"
    out = urlsplit(mirror_url(url, mirror))
    assert (out.scheme, out.netloc) == ("http", "127.0.0.1:8080")
    assert out.path == prefix.rstrip("/") + path and out.query == query
    if prefix in ("", "/"):
        assert mirror_url(mirror_url(url, mirror), mirror) == mirror_url(url, mirror)
