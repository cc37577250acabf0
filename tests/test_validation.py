from __future__ import annotations

import pytest

from graph.model import NODES, KeyRule, Prop, PropType
from graph.validation import check_key, check_uscc, coerce, uscc_check_char, validate_node


def test_a_published_credit_code_passes_its_checksum() -> None:
    # A credit code printed on a public business licence sample.
    assert check_uscc("91350100M000100Y43") == "91350100M000100Y43"


def test_check_character_by_hand() -> None:
    # Weights 1, 3, 9, 27 on the non-zero digits 9, 1, 3, 1: 9 + 3 + 27 + 27 = 66; 66 mod 31 = 4;
    # 31 - 4 = 27, and the 28th character of the alphabet (0-9 A-H J-N P-R T U W X Y) is 'U'.
    assert uscc_check_char("91310000000000000") == "U"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "must have 18 characters, not 17"),
        ("91350100M000100Y44", "fails the GB 32100-2015 checksum (check character should be '3')"),
        ("91350100M0001O0Y43", "outside GB 32100-2015's alphabet: 'O'"),
    ],
)
def test_bad_credit_codes_say_why(code: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_uscc(code)


def test_school_codes_are_ten_digits() -> None:
    assert check_key(KeyRule.SCHOOL_CODE, "4131010246") == "4131010246"
    assert check_key(KeyRule.SCHOOL_CODE, 4131010246.0) == "4131010246"
    with pytest.raises(ValueError, match="'413101024' is not a 10-digit MoE institution code"):
        check_key(KeyRule.SCHOOL_CODE, "413101024")


@pytest.mark.parametrize(("raw", "expected"), [("是", True), ("否", False), ("TRUE", True), ("0", False), (1, True)])
def test_booleans_in_the_forms_offices_write_them(raw: object, expected: bool) -> None:
    assert coerce(Prop("flag", PropType.BOOL), raw) is expected


def test_coercion_errors_name_value_and_rule() -> None:
    with pytest.raises(ValueError, match="'twelve' is not a whole number"):
        coerce(Prop("year", PropType.INT), "twelve")
    with pytest.raises(ValueError, match="'college' is not one of undergraduate"):
        coerce(NODES["School"].prop("level"), "college")
    with pytest.raises(ValueError, match="-3 is below the minimum 0"):
        coerce(NODES["Base"].prop("capacity"), "-3")


def test_validate_node_reports_every_bad_column() -> None:
    clean, errors = validate_node(NODES["School"], {"code": "12", "name": "", "level": "undergraduate"})
    assert set(errors) == {"code", "name"}
    assert clean == {"level": "undergraduate"}
