"""The public surface of clearance.exposure."""

from __future__ import annotations

import clearance.exposure as exposure


def test_exported_names_exist() -> None:
    for name in exposure.__all__:
        assert getattr(exposure, name) is not None, name
    assert sorted(exposure.__all__) == sorted(set(exposure.__all__))
