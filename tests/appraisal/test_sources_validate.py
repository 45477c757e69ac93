"""validate_source: what an indicator may name as its source, with the reason in Chinese."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from amdesk.appraisal.sources import all_sources, source_catalogue, validate_source


def _reason(code, params) -> str:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_source(code, params)
    return " ".join(message for messages in caught.value.message_dict.values() for message in messages)


def test_registered_sources_and_their_params_pass():
    validate_source("cross_sell_rate", {"min_lines": 3})
    validate_source("sla_rate", {"clock": "resolution"})
    validate_source("target_completion", {"item": "insurance"})
    validate_source("aum_end", {})
    validate_source("manual", {})


def test_unknown_source_is_refused_in_chinese():
    assert _reason("market_share", {}) == "未知的指标来源 market_share。"


def test_unknown_param_names_what_the_source_takes():
    assert _reason("cross_sell_rate", {"lines": 2}) == "未知参数 lines；此来源的参数为：min_lines。"


@pytest.mark.parametrize(
    ("code", "params"),
    [
        ("cross_sell_rate", {"min_lines": "2"}),
        ("cross_sell_rate", {"min_lines": True}),
        ("sla_rate", {"clock": "weekly"}),
        ("target_completion", {"item": 5}),
    ],
)
def test_wrong_kind_or_choice_is_refused(code, params):
    name = next(iter(params))
    assert _reason(code, params) == f"参数 {name} 的值类型不正确。"


def test_manual_takes_no_params_and_params_must_be_an_object():
    assert _reason("manual", {"x": 1}) == "手工指标不需要参数。"
    assert _reason("aum_end", ["x"]) == "参数必须是名称与值组成的对象。"


def test_catalogue_lists_every_source_with_its_params():
    with translation.override("en"):
        catalogue = {entry["code"]: entry for entry in source_catalogue()}
    assert set(catalogue) == set(all_sources())
    assert catalogue["cross_sell_rate"]["params"] == [
        {"name": "min_lines", "kind": "int", "default": 2, "label": "Product lines at least", "choices": []}
    ]
    assert catalogue["sla_rate"]["params"][0]["choices"] == ["feedback", "resolution"]
    assert all(entry["help"] for entry in catalogue.values())
