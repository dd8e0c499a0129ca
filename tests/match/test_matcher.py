"""Behaviour of the matcher as case tables: each case says why it should (not) match."""

from __future__ import annotations

import json
from typing import Any

import pytest

from clearance.match import ALGORITHM, Matcher, MatchResult
from clearance.model import make_entity

MATCHER = Matcher()


def person(*names: str, **props: Any) -> dict[str, Any]:
    return {"schema": "Person", "properties": {"name": list(names), **props}}


def company(*names: str, **props: Any) -> dict[str, Any]:
    return {"schema": "Company", "properties": {"name": list(names), **props}}


PERSON_CASES = [
    ("Vladimir Putin", "PUTIN, Vladimir Vladimirovich", True, "word order, extra patronymic"),
    ("Владимир Путин", "Vladimir Putin", True, "Cyrillic vs Latin"),
    ("Mohamed Atta", "Muhammad Atta", True, "Mohamed / Muhammad spelling family"),
    ("Aleksandr Lukashenko", "Alexander Lukashenka", True, "ks/x and one-letter ending"),
    ("Vucic", "Вучић", True, "Serbian Cyrillic, ASCII spelling"),
    ("Vuchich", "Вучић", True, "Serbian Cyrillic, č → ch spelling"),
    ("Vučić", "Vucic", True, "diacritics dropped"),
    ("John Smith", "John Smyth", True, "one-letter typo in a 5-letter surname"),
    ("John Smith", "Jane Smith", False, "different given name"),
    ("习近平", "Xi Jinping", True, "Chinese characters vs pinyin with joined syllables"),
    ("محمد عطا", "Mohamed Atta", True, "Arabic script without short vowels"),
    ("أسامة بن لادن", "Osama bin Laden", True, "Arabic script, tāʾ marbūṭa and bin"),
    ("בנימין נתניהו", "Benjamin Netanyahu", True, "Hebrew script"),
    ("Αλέξης Τσίπρας", "Alexis Tsipras", True, "Greek"),
    ("Олександр Зеленський", "Oleksandr Zelensky", True, "Ukrainian Cyrillic"),
    ("Yevgeny Prigozhin", "Evgenii Prigozhin", True, "Yevgeny / Evgenii"),
    ("V. Putin", "Vladimir Putin", True, "initial"),
    ("Bill Clinton", "William Clinton", True, "nickname"),
    ("Abdul Rahman Ali", "Abdulrahman Ali", True, "joined name parts"),
    ("Mr. John Smith", "John Smith", True, "title dropped"),
    ("Ivan Petrov", "Petr Ivanov", False, "different people with similar parts"),
    ("Andrey Vitalyevich ILYASH", "ILYASHENKO, Andrey Vitalyevich", True, "truncated surname"),
    ("OlegGOVORUN", "GOVORUN, Oleg", True, "words glued at a case boundary, reversed order"),
    ("李红霞", "Li Hongxia", True, "Chinese given name written as one pinyin word"),
    ("عبد اللطيف منصور", "Abdul Latif Mansur", True, "Arabic abd / attached article al-"),
    ("علی خامنه‌ای", "Ali Khamenei", True, "Persian with zero-width non-joiner"),
    ("Smith", "Jones", False, "nothing in common"),
    ("Li Wei", "Li Wen", False, "short tokens must match exactly"),
    ("محمد عطا", "Ahmad Atta", False, "different given name in Arabic script"),
    ("أحمد الحمزي", "Ahmed, A.", False, "the initial of al-Hamzi is H, not the article's A"),
    ("Hasan AL-SHABAN", "ADNAN S. HASAN AHMED", False, "a word found only an initial"),
    ("Hassaan HUSSEIN", "Suhayl Hasan al-Hasan", False, "Husayn and Hasan are two names"),
]


@pytest.mark.parametrize(("query", "candidate", "expected", "reason"), PERSON_CASES)
def test_person_cases(query: str, candidate: str, expected: bool, reason: str) -> None:
    result = MATCHER.compare(person(query), person(candidate))
    assert result.match is expected, f"{reason}: {result.score:.3f} {result.explanation}"


ORG_CASES = [
    ("Bank Melli Iran", "Bank Mellat", False, "different banks sharing a generic word"),
    ("OOO Argument", "Limited Liability Company ARGUMENT", True, "legal forms compare equal"),
    ("ООО Аргумент", "Argument LLC", True, "Cyrillic legal form and name"),
    ("JSCARGUMENT", "JSC ARGUMENT", True, "joined legal form"),
    ("11420 Corp", "11421 Corp", False, "numbers must match exactly"),
    ("11420 Corp.", "11420 CORP", True, "number kept, punctuation ignored"),
    ("Trading Company LLC", "Shipping Company LLC", False, "only generic words shared"),
    (
        "Bandar Imam Faravaresh Petrochemical Company",
        "Bandar Imam Abniroo Petrochemical Company",
        False,
        "one distinctive word replaced by another",
    ),
]


@pytest.mark.parametrize(("query", "candidate", "expected", "reason"), ORG_CASES)
def test_org_cases(query: str, candidate: str, expected: bool, reason: str) -> None:
    result = MATCHER.compare(company(query), company(candidate))
    assert result.match is expected, f"{reason}: {result.score:.3f} {result.explanation}"


def test_legal_forms_weigh_little() -> None:
    same_form = MATCHER.compare(company("Alpha LLC"), company("Omega LLC"))
    assert same_form.score < 0.4


def test_birth_dates_order_scores() -> None:
    name = "Ivan Ivanovich Sidorov"
    same_day = MATCHER.compare(
        person(name, birthDate=["1960-02-01"]), person(name, birthDate=["1960-02-01"])
    )
    same_year = MATCHER.compare(
        person(name, birthDate=["1960"]), person(name, birthDate=["1960-02-01"])
    )
    swapped = MATCHER.compare(
        person(name, birthDate=["1960-01-02"]), person(name, birthDate=["1960-02-01"])
    )
    disjoint = MATCHER.compare(
        person(name, birthDate=["1975-05-05"]), person(name, birthDate=["1960-02-01"])
    )
    assert same_day.score >= same_year.score > swapped.score > disjoint.score
    assert {f.name for f in disjoint.explanation} >= {"birth_year_disjoint"}
    assert "birth_date_swapped" in {f.name for f in swapped.explanation}


@pytest.mark.parametrize(
    ("query_date", "candidate_date", "finding"),
    [
        ("1954", "1958", "birth_years_apart"),
        ("1960-07-06", "1964", "birth_years_apart"),
        ("1954", "1960", "birth_year_disjoint"),
        ("1967-06-20", "1976-06-20", "birth_year_typo"),
        ("1986-05-06", "1984-05-06", "birth_year_typo"),
        ("1986-05-06", "1984-05-07", "birth_years_apart"),
        ("1971-11-17", "1961", "birth_year_disjoint"),
    ],
)
def test_birth_years_apart_are_graded(query_date: str, candidate_date: str, finding: str) -> None:
    name = "Iyad ag Ghali"
    result = MATCHER.compare(
        person(name, birthDate=[query_date]), person(name, birthDate=[candidate_date])
    )
    assert finding in {f.name for f in result.explanation}
    near = MATCHER.compare(person(name, birthDate=["1954"]), person(name, birthDate=["1955"]))
    far = MATCHER.compare(person(name, birthDate=["1954"]), person(name, birthDate=["1970"]))
    # a typo or a few years apart still alerts on a full name match; a decade apart does not
    assert result.match == (finding != "birth_year_disjoint")
    assert near.score >= result.score or finding == "birth_year_typo"
    assert far.score < 0.7 <= near.score


def test_birth_date_range_is_compatible() -> None:
    result = MATCHER.compare(
        person("Ivan Sidorov", birthDate=["01 Feb 1958 to 28 Feb 1958"]),
        person("Ivan Sidorov", birthDate=["1958-02-14"]),
    )
    names = {f.name for f in result.explanation}
    assert "birth_date_compatible" in names and result.match


def test_country_and_gender_conflicts_lower_score() -> None:
    base = MATCHER.compare(person("Ali Hassan"), person("Ali Hassan")).score
    country = MATCHER.compare(
        person("Ali Hassan", nationality=["Iraq"]), person("Ali Hassan", nationality=["Sweden"])
    )
    gender = MATCHER.compare(
        person("Ali Hassan", gender=["male"]), person("Ali Hassan", gender=["female"])
    )
    assert country.score < base and gender.score < base
    assert "country_conflict" in {f.name for f in country.explanation}
    assert "gender_conflict" in {f.name for f in gender.explanation}


def test_identifier_match_lifts_renamed_vessel() -> None:
    q = {"schema": "Vessel", "properties": {"name": ["OCEAN STAR"], "imoNumber": ["IMO 9123456"]}}
    c = {"schema": "Vessel", "properties": {"name": ["SEA PRINCESS"], "imoNumber": ["9123456"]}}
    result = MATCHER.compare(q, c)
    assert result.match
    assert "identifier_match" in {f.name for f in result.explanation}


def test_identifier_conflict_lowers_score() -> None:
    q = company("Rosneft Trading", innCode=["7706107510"])
    same = MATCHER.compare(q, company("Rosneft Trading", innCode=["7706107510"]))
    other = MATCHER.compare(q, company("Rosneft Trading", innCode=["7706999999"]))
    assert same.score > other.score
    assert "identifier_conflict" in {f.name for f in other.explanation}


def test_shared_phone_does_not_force_a_match() -> None:
    result = MATCHER.compare(
        person("John Smith", phone=["+1 202 555 0101"]),
        person("Maria Gonzalez", phone=["202-555-0101"]),
    )
    assert not result.match
    assert "contact_match" in {f.name for f in result.explanation}


def test_schema_mismatch_scores_zero() -> None:
    vessel = {"schema": "Vessel", "properties": {"name": ["Vladimir Putin"]}}
    result = MATCHER.compare(person("Vladimir Putin"), vessel)
    assert result.score == 0.0 and not result.match
    assert result.explanation[0].name == "schema_mismatch"


def test_weak_alias_scored_lower() -> None:
    strong = {"schema": "Person", "properties": {"name": ["X Y"], "alias": ["Abu Hafs"]}}
    weak = {"schema": "Person", "properties": {"name": ["X Y"], "weakAlias": ["Abu Hafs"]}}
    strong_r = MATCHER.compare(person("Abu Hafs"), strong)
    weak_r = MATCHER.compare(person("Abu Hafs"), weak)
    assert weak_r.score < strong_r.score
    assert weak_r.explanation[0].name == "weak_alias_match"


def test_unmatched_query_token_costs_more_than_unmatched_candidate_token() -> None:
    extra_candidate = MATCHER.compare(person("John Smith"), person("John Albert Smith"))
    extra_query = MATCHER.compare(person("John Albert Smith"), person("John Smith"))
    assert extra_candidate.match
    assert extra_query.score < extra_candidate.score


def test_best_alias_wins() -> None:
    cand = {
        "schema": "Person",
        "properties": {"name": ["Unrelated Name"], "alias": ["Hassan Nasrallah"]},
    }
    result = MATCHER.compare(person("Hasan Nasrallah"), cand)
    assert result.match and result.explanation[0].name == "alias_match"


def test_name_parts_are_assembled() -> None:
    cand = {"schema": "Person", "properties": {"firstName": ["Vladimir"], "lastName": ["Putin"]}}
    assert MATCHER.compare(person("Putin Vladimir"), cand).match


def test_explanation_and_json() -> None:
    result = MATCHER.compare(person("V. Putin"), person("Vladimir Vladimirovich PUTIN"))
    assert isinstance(result, MatchResult) and 0.0 <= result.score <= 1.0
    feature = result.explanation[0]
    hows = {row["how"] for row in feature.tokens or []}
    assert hows == {"initial", "exact"}
    assert "vladimirovich" in feature.detail
    data = json.loads(json.dumps(result.to_dict()))
    assert data["algorithm"] == ALGORITHM == "clearance-v2"
    assert data["explanation"][0]["tokens"]


def test_entity_proxy_and_prepared_inputs() -> None:
    proxy = make_entity("Person", "x-1")
    proxy.add("name", "Vladimir Putin")
    proxy.add("birthDate", "1952-10-07")
    prepared = MATCHER.prepare(person("Putin, Vladimir", birthDate=["1952-10-07"]))
    result = MATCHER.compare_prepared(MATCHER.prepare(proxy), prepared)
    assert result.match and "birth_date_match" in {f.name for f in result.explanation}
    assert MATCHER.compare(proxy, prepared).score == result.score


def test_threshold_is_validated_and_used() -> None:
    with pytest.raises(ValueError):
        Matcher(threshold=1.5)
    strict = Matcher(threshold=0.99)
    assert not strict.compare(person("John Smith"), person("John Smyth")).match


def test_empty_entities() -> None:
    result = MATCHER.compare({"schema": "Person", "properties": {}}, person("John Smith"))
    assert result.score == 0.0 and result.explanation[0].name == "no_name_overlap"
    with pytest.raises(TypeError):
        MATCHER.compare(object(), person("x"))
