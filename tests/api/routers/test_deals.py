"""``POST /deals/screen`` and ``POST /text/screen`` over the real OFAC + UN store (a minimal app:
the deals router, the error handlers and a stand-in state with authentication off)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from clearance.api import errors
from clearance.api.routers import deals
from clearance.screen import Screener
from clearance.store import Store
from tests.deal.world import deal_world

pytestmark = pytest.mark.slow


@dataclass
class FakeState:
    store: Store
    screener: Screener
    settings: Any = None

    def loaded(self) -> Any:
        return SimpleNamespace(screener=self.screener)


@pytest.fixture(scope="module")
def client(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    world = deal_world(lists_dir, tmp_path_factory.getbasetemp() / "deal-world")
    app = FastAPI()
    errors.install(app)
    app.include_router(deals.router)
    app.state.clearance = FakeState(world.store, world.screener, SimpleNamespace(api_auth=False))
    return TestClient(app)


def test_deal_endpoint(client: TestClient) -> None:
    body = {
        "parties": [
            {"id": "b", "role": "buyer", "name": "Equipment Development Department"},
            {"id": "s", "role": "seller", "name": "Rosoboronexport"},
        ]
    }
    response = client.post("/deals/screen", json=body)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["verdict"] == "blocked"
    assert data["parties"][0]["caatsa_235"] == [
        "235(a)(2)",
        "235(a)(7)",
        "235(a)(8)",
        "235(a)(9)",
        "235(a)(12)",
    ]
    html = client.post("/deals/screen?report=html", json=body)
    assert html.status_code == 200 and "EQUIPMENT DEVELOPMENT DEPARTMENT" in html.text


def test_deal_endpoint_validation(client: TestClient) -> None:
    response = client.post("/deals/screen", json={"parties": [{"role": "buyer"}]})
    assert response.status_code == 422
    assert "parties.0.name" in response.json()["detail"]


def test_text_endpoint(client: TestClient) -> None:
    text = "Almaz-Antey builds the S-400; Aleksandar Vučić is undecided."
    response = client.post("/text/screen", json={"text": text})
    assert response.status_code == 200, response.text
    hits = response.json()["hits"]
    assert [(h["start"], h["end"], h["entity_id"]) for h in hits] == [(0, 11, "ofac-16865")]
    assert client.post("/text/screen", json={"text": ""}).status_code == 422
