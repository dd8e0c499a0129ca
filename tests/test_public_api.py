"""The curated public surface: every name in ``clearance.__all__`` resolves."""

import subprocess
import sys

import clearance


def test_exported_names_resolve() -> None:
    for name in clearance.__all__:
        assert getattr(clearance, name) is not None


def test_matcher_from_package_root() -> None:
    from clearance import Matcher

    result = Matcher().compare(
        {"schema": "Person", "properties": {"name": ["Vladimir Putin"]}},
        {"schema": "Person", "properties": {"name": ["PUTIN, Vladimir Vladimirovich"]}},
    )
    assert result.match
    assert result.explanation


def test_import_is_cheap() -> None:
    heavy = "('icu', 'pyspark', 'psycopg', 'sqlalchemy')"
    code = f"import sys, clearance; print(any(m.startswith({heavy}) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
