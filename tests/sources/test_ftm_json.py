from pathlib import Path

from clearance.sources.detect import detect
from clearance.sources.ftm_json import FtmJsonParser
from tests.sources.badinput import refused


def test_reads_opensanctions_export(lists_dir: Path) -> None:
    path = lists_dir / "opensanctions/yente_fixtures/zala/entities.ftm.json"
    assert detect(path) is FtmJsonParser
    result = FtmJsonParser().parse(path)
    entities = list(result.entities)
    assert len(entities) == sum(1 for line in path.open() if line.strip())
    osetrova = next(e.entity for e in entities if e.entity.id == "NK-2Tbri3s6GgNtAwsSXh4qpL")
    assert "183116181362" in osetrova.get("innCode")
    assert result.meta.publication_date is not None


def test_delta_file_is_refused(lists_dir: Path) -> None:
    path = lists_dir / "opensanctions/yente_fixtures/t2/20240527194702-wnk/entities.delta.json"
    assert not FtmJsonParser.sniff(path, path.read_bytes()[:65536])
    refused(FtmJsonParser(), path, "delta line")


def test_broken_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "entities.ftm.json"
    good = '{"id": "a", "schema": "Person", "properties": {"name": ["A B"]}}\n'
    path.write_text(good + good.replace('"a"', '"b"') + '{"id": "c", "schema": \n')
    refused(FtmJsonParser(), path, r"line 3")


def test_unknown_schema_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "entities.ftm.json"
    path.write_text('{"id": "a", "schema": "Spaceship", "properties": {}}\n')
    refused(FtmJsonParser(), path, "unknown schema 'Spaceship'")
