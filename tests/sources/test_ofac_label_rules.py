"""Where OFAC's labels go: a case table, and the label tables of all formats covered by rules."""

from __future__ import annotations

import pytest
from followthemoney import model

from clearance.sources.ofac_label_rules import RULES, LabelRule, category, classify, clean_imo
from clearance.sources.ofac_labels import FEATURE_LABELS, ID_LABELS, STRUCTURED_LABELS

CASES: list[tuple[str, str | None, LabelRule]] = [
    # sdn.xml idType / remarks labels as published
    ("Passport", "A123", LabelRule("identification", ("passportNumber", "idNumber"))),
    ("Passport No.:", "A123", LabelRule("identification", ("passportNumber", "idNumber"))),
    ("Tax ID No.", "7750004150", LabelRule("identification", ("taxNumber",))),
    (
        "Government Gazette Number",
        "00005061",
        LabelRule("identification", ("okpoCode", "registrationNumber")),
    ),
    ("BIK (RU)", "044525060", LabelRule("identification", ("bikCode",))),
    ("SWIFT/BIC", "BFEARUMM", LabelRule("entity", ("swiftBic",))),
    (
        "Vessel Registration Identification",
        "IMO 9187629",
        LabelRule("entity", ("imoNumber", "registrationNumber")),
    ),
    (
        "Vessel Registration Identification",
        "8606173",
        LabelRule("entity", ("imoNumber", "registrationNumber")),
    ),
    (
        "Vessel Registration Identification",
        "A-15411",
        LabelRule("identification", ("registrationNumber",)),
    ),
    ("Organization Type:", "Bank", LabelRule("entity", ("sector",))),
    ("Other Vessel Flag", "Panama", LabelRule("entity", ("flag",))),
    ("Nationality of Registration", "Russia", LabelRule("entity", ("country",))),
    ("Birthdate", "1945", LabelRule("entity", ("birthDate",))),
    ("Tribe", "Noorzai", LabelRule("note")),
    ("Issuer Name", "X", LabelRule("note")),
    ("For more information, please see:", "https://x", LabelRule("url")),
    ("Digital Currency Address - XBT", "1abc", LabelRule("crypto")),
    ("Secondary sanctions risk:", "section 1(b)", LabelRule("provision")),
    ("Listing Date (EO 14024 Directive 2):", "24 Feb 2022", LabelRule("provision")),
    ("Some New Label", "1", LabelRule("identification")),
]


@pytest.mark.parametrize(("label", "value", "rule"), CASES)
def test_case_table(label: str, value: str | None, rule: LabelRule) -> None:
    assert classify(label, value) == rule


def test_every_published_label_has_a_rule_or_is_a_note() -> None:
    labels = {**FEATURE_LABELS, **ID_LABELS, **STRUCTURED_LABELS}
    for label in labels:
        found = category(label)
        assert found is not None, label
        if found not in ("vessel_registration",):
            assert found in RULES or found in FEATURE_LABELS.values(), label
        assert classify(label, "1234567") != LabelRule("identification"), label


def test_rule_properties_exist_in_followthemoney() -> None:
    for name, rule in RULES.items():
        for prop in rule.props:
            assert any(
                prop in s.properties
                for s in (model.get(n) for n in ("Person", "Company", "Vessel", "Airplane"))
                if s is not None
            ), (name, prop)


def test_clean_imo() -> None:
    assert clean_imo("IMO 9187629") == "IMO9187629"
    assert clean_imo("9187629") == "IMO9187629"
    assert clean_imo("15411") == "15411"
