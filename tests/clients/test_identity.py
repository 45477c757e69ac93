"""Resident IDs, credit codes and mobiles are cleaned up and checked the way a clerk expects."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from stdnum.cn import ric, uscc

from amdesk.clients.identity import (
    ResidentId,
    normalize,
    parse_credit_code,
    parse_mobile,
    parse_resident_id,
)

TODAY = date(2025, 6, 1)


@pytest.fixture(autouse=True)
def english():
    """The site runs in Chinese; the assertions read the English source messages."""
    with translation.override("en"):
        yield


def resident_id(first17: str) -> str:
    """Complete 17 digits with their check digit (stdnum reads all but the last character)."""
    return first17 + ric.calc_check_digit(first17 + "?")


def credit_code(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


def wrong_last_character(number: str, alphabet: str) -> str:
    return number[:-1] + next(char for char in alphabet if char != number[-1])


def error_code(excinfo: pytest.ExceptionInfo[ValidationError]) -> str | None:
    return excinfo.value.code


def message(excinfo: pytest.ExceptionInfo[ValidationError]) -> str:
    return excinfo.value.messages[0]


# normalize


def test_normalize_makes_full_width_half_width_removes_all_spaces_and_upper_cases():
    assert normalize("\uff11\uff10\u3000ａｂ\tc\u00a0d \u200b\ufeffx") == "10ABCDX"


def test_normalize_does_not_turn_symbols_into_digits():
    assert normalize("①²") == "①²"


# Resident ID numbers

VALID_ID = resident_id("11010519491231002")


def test_a_valid_resident_id_gives_birth_date_and_gender():
    assert VALID_ID == "11010519491231002X"
    assert parse_resident_id(VALID_ID, today=TODAY) == ResidentId(
        number="11010519491231002X", birth_date=date(1949, 12, 31), gender="female"
    )


def test_a_lower_case_x_check_digit_is_accepted_and_stored_upper_case():
    assert parse_resident_id(VALID_ID.lower(), today=TODAY).number == VALID_ID


def test_a_resident_id_with_a_digit_check_digit():
    number = resident_id("36042619910101007")
    assert number == "360426199101010071"
    assert parse_resident_id(number, today=TODAY).birth_date == date(1991, 1, 1)


@pytest.mark.parametrize(
    ("sequence", "gender"), [("001", "male"), ("002", "female"), ("019", "male"), ("998", "female")]
)
def test_gender_comes_from_the_seventeenth_digit(sequence, gender):
    number = resident_id("11010519800101" + sequence)
    assert parse_resident_id(number, today=TODAY).gender == gender


@pytest.mark.parametrize(
    "area",
    [
        "999999",  # never existed
        "110103",  # Beijing Chongwen district, merged into Dongcheng in 2010
        "429006",  # Tianmen city, a code stdnum dates from 1994, long after this birth year
        "000000",
    ],
)
def test_area_codes_are_not_looked_up(area):
    number = resident_id(area + "19500101001")
    assert parse_resident_id(number, today=TODAY).number == number


@pytest.mark.parametrize("first17", ["99999919800101001", "42900619500101001"])
def test_areas_stdnum_validate_would_refuse_are_accepted(first17):
    number = resident_id(first17)
    assert not ric.is_valid(number)
    assert parse_resident_id(number, today=TODAY).number == number


def test_full_width_digits_and_spaces_in_a_resident_id_are_normalised():
    typed = "１１０１０５\u3000１９４９ １２３１ ００２ｘ"
    assert parse_resident_id(typed, today=TODAY).number == "11010519491231002X"


def test_a_wrong_check_digit_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        parse_resident_id(wrong_last_character(VALID_ID, "0123456789X"), today=TODAY)
    assert error_code(excinfo) == "id_checksum"
    assert "typing error" in message(excinfo)


def test_one_mistyped_digit_is_caught_by_the_checksum():
    mistyped = VALID_ID[:3] + "2" + VALID_ID[4:]
    with pytest.raises(ValidationError) as excinfo:
        parse_resident_id(mistyped, today=TODAY)
    assert error_code(excinfo) == "id_checksum"


@pytest.mark.parametrize(("number", "length"), [(VALID_ID[:17], 17), (VALID_ID + "1", 19), ("", 0)])
def test_wrong_lengths_are_refused_with_the_length_found(number, length):
    with pytest.raises(ValidationError) as excinfo:
        parse_resident_id(number, today=TODAY)
    assert error_code(excinfo) == "id_length"
    assert message(excinfo) == f"A resident ID number has 18 characters; this one has {length}."


@pytest.mark.parametrize(
    "number",
    [
        "1101051949123100A2",  # a letter before the end
        "11010519491231002Y",  # a check character other than X
        "11010519491231002\u0663",  # an Arabic-Indic digit
        "11010519491231002_",
    ],
)
def test_characters_other_than_digits_and_a_final_x_are_refused(number):
    with pytest.raises(ValidationError) as excinfo:
        parse_resident_id(number, today=TODAY)
    assert error_code(excinfo) == "id_format"


def test_february_30_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        parse_resident_id(resident_id("11010519900230001"), today=TODAY)
    assert error_code(excinfo) == "id_birth_date"
    assert "19900230 is not a real date" in message(excinfo)


def test_february_29_is_accepted_in_a_leap_year_only():
    assert parse_resident_id(resident_id("11010520000229001"), today=TODAY).birth_date == date(2000, 2, 29)
    with pytest.raises(ValidationError) as excinfo:
        parse_resident_id(resident_id("11010519000229001"), today=TODAY)
    assert error_code(excinfo) == "id_birth_date"


def test_a_birth_date_in_the_future_is_refused():
    number = resident_id("11010520250602001")
    with pytest.raises(ValidationError) as excinfo:
        parse_resident_id(number, today=date(2025, 6, 1))
    assert error_code(excinfo) == "id_birth_date"
    assert "2025-06-02, is in the future" in message(excinfo)
    assert parse_resident_id(number, today=date(2025, 6, 2)).birth_date == date(2025, 6, 2)


def test_today_defaults_to_the_local_date():
    with pytest.raises(ValidationError) as excinfo:
        parse_resident_id(resident_id("11010599991231001"))
    assert error_code(excinfo) == "id_birth_date"


def test_a_birth_date_before_1900_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        parse_resident_id(resident_id("11010518991231001"), today=TODAY)
    assert error_code(excinfo) == "id_birth_date"
    assert parse_resident_id(resident_id("11010519000101001"), today=TODAY).birth_date == date(1900, 1, 1)


# Unified social credit codes

VALID_CREDIT_CODE = "91110000600037341L"


def test_a_valid_credit_code_is_accepted():
    assert uscc.is_valid(VALID_CREDIT_CODE)
    assert parse_credit_code(VALID_CREDIT_CODE) == VALID_CREDIT_CODE


def test_a_credit_code_is_normalised():
    assert parse_credit_code(" ９１１１００００ ６０００３７３４１ｌ ") == VALID_CREDIT_CODE


def test_a_village_collective_credit_code_starting_with_a_letter_is_accepted():
    code = credit_code("N2330110MA2H00001")
    assert not uscc.is_valid(code)  # stdnum wants eight leading digits
    assert parse_credit_code(code) == code


def test_a_wrong_credit_code_check_character_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        parse_credit_code(wrong_last_character(VALID_CREDIT_CODE, "0123456789ABCDEFGHJKLMNPQRTUWXY"))
    assert error_code(excinfo) == "credit_code_checksum"


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_forbidden_letters_in_a_credit_code_are_refused_and_named(letter):
    with pytest.raises(ValidationError) as excinfo:
        parse_credit_code(VALID_CREDIT_CODE[:10] + letter + VALID_CREDIT_CODE[11:])
    assert error_code(excinfo) == "credit_code_format"
    assert message(excinfo).endswith(f"this one contains {letter}.")


@pytest.mark.parametrize("code", [VALID_CREDIT_CODE[:17], VALID_CREDIT_CODE + "0"])
def test_wrong_credit_code_lengths_are_refused(code):
    with pytest.raises(ValidationError) as excinfo:
        parse_credit_code(code)
    assert error_code(excinfo) == "credit_code_length"


# Mobile numbers


@pytest.mark.parametrize(
    "typed",
    [
        "13812345678",
        "+86 138 1234 5678",
        "+8613812345678",
        "8613812345678",
        "0086 13812345678",
        "１３８１２３４５６７８",
        "＋８６\u3000１３８\u3000１２３４\u3000５６７８",
        "138-1234-5678",
        " 13812345678\t",
    ],
)
def test_mobile_numbers_are_accepted_as_typed(typed):
    assert parse_mobile(typed) == "13812345678"


@pytest.mark.parametrize("typed", ["19912345678", "14712345678", "16612345678"])
def test_all_mobile_prefixes_from_13_to_19_are_accepted(typed):
    assert parse_mobile(typed) == typed


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12345678901", "starts with 13 to 19; this one starts with 12."),
        ("1381234567", "has 11 digits; this one has 10."),
        ("+86 1381234567", "has 11 digits; this one has 10."),
        ("138123456789", "has 11 digits; this one has 12."),
        ("86138123456", "starts with 13 to 19; this one starts with 86."),
        ("138 1234 567x", "contains only digits"),
        ("1381234567\u0663", "contains only digits"),
        ("", "contains only digits"),
    ],
)
def test_wrong_mobile_numbers_are_refused(typed, expected):
    with pytest.raises(ValidationError) as excinfo:
        parse_mobile(typed)
    assert error_code(excinfo) == "mobile_format"
    assert expected in message(excinfo)
