import pytest

from amdesk.core.names import surname_of


@pytest.mark.parametrize(
    ("name", "surname"),
    [
        ("王小明", "王"),
        ("欧阳娜娜", "欧阳"),
        ("司马光", "司马"),
        ("诸葛亮", "诸葛"),
        (" 李四 ", "李"),
        ("", ""),
    ],
)
def test_greeting_uses_the_whole_surname(name, surname):
    assert surname_of(name) == surname


def test_a_two_character_name_is_never_all_surname():
    # 欧阳 alone would be a given name, not a person; 欧 is the surname then.
    assert surname_of("欧阳") == "欧"
