"""Pages of the indicator library: who may open them, the library by dimension, the indicator form
and the manual values grid."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from amdesk.appraisal.models import Indicator, ManualValue
from amdesk.appraisal.services.library import indicator_fingerprint

LIBRARY = reverse("appraisal:library")
CREATE = reverse("appraisal:indicator-create")
MANUAL = reverse("appraisal:manual-values")


@pytest.mark.parametrize("who", ["account_manager", "supervisor", "branch_head"])
def test_others_are_refused(request, client_for, who):
    browser = client_for(request.getfixturevalue(who))
    bank = Indicator.objects.get(code="bank-aum")
    for url in (LIBRARY, CREATE, MANUAL, reverse("appraisal:indicator-edit", args=[bank.pk])):
        assert browser.get(url).status_code == 403, url


@pytest.mark.parametrize("who", ["appraisal_admin", "admin"])
def test_library_grouped_by_dimension_with_source_help(
    request, client_for, who, django_assert_max_num_queries
):
    browser = client_for(request.getfixturevalue(who))
    with django_assert_max_num_queries(12):
        page = browser.get(LIBRARY)
    assert page.status_code == 200
    text = page.content.decode()
    product = text.split('data-testid="dimension-product"')[1].split("</section>")[0]
    assert "bank-cross-sell" in product and "产品交叉销售率" in product
    assert "{&#x27;min_lines&#x27;: 2}" in product or "min_lines" in product
    assert "bank-aum" not in product


def _form(**changes):
    data = {
        "code": "three-line-cross",
        "name": "三线交叉销售率",
        "dimension": "",
        "unit": "%",
        "higher_is_better": "1",
        "source": "cross_sell_rate",
        "param-cross_sell_rate-min_lines": "3",
        "order": "5",
        "is_active": "on",
    }
    return {**data, **changes}


def test_create_an_indicator_with_typed_params(client_for, appraisal_admin):
    from amdesk.appraisal.models import Dimension

    browser = client_for(appraisal_admin)
    response = browser.post(CREATE, _form(dimension=Dimension.objects.get(code="product").pk))
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="three-line-cross")
    assert (indicator.params, indicator.higher_is_better, indicator.is_active) == (
        {"min_lines": 3},
        True,
        True,
    )


def test_bad_params_keep_the_input_and_say_why_in_chinese(client_for, appraisal_admin):
    from amdesk.appraisal.models import Dimension

    browser = client_for(appraisal_admin)
    dimension = Dimension.objects.get(code="product").pk
    response = browser.post(CREATE, _form(dimension=dimension, **{"param-cross_sell_rate-min_lines": "三条"}))
    assert response.status_code == 400
    text = response.content.decode()
    assert "必须是整数" in text
    assert 'value="三线交叉销售率"' in text and 'value="三条"' in text
    response = browser.post(
        CREATE, _form(dimension=dimension, source="sla_rate", **{"param-sla_rate-clock": "weekly"})
    )
    assert response.status_code == 400
    assert "参数 clock 的值类型不正确。" in response.content.decode()
    assert not Indicator.objects.filter(code="three-line-cross").exists()


def test_edit_refuses_a_stale_form(client_for, appraisal_admin):
    indicator = Indicator.objects.get(code="bank-cross-sell")
    url = reverse("appraisal:indicator-edit", args=[indicator.pk])
    browser = client_for(appraisal_admin)
    assert 'value="产品交叉销售率"' in browser.get(url).content.decode()
    stale = indicator_fingerprint(indicator)
    Indicator.objects.filter(pk=indicator.pk).update(unit="个")  # someone else saved meanwhile
    data = _form(
        code="bank-cross-sell", name="交叉销售率", dimension=indicator.dimension_id, fingerprint=stale,
        **{"param-cross_sell_rate-min_lines": "2"},
    )  # fmt: skip
    response = browser.post(url, data)
    assert response.status_code == 400
    assert "有人在您打开后修改了此指标" in response.content.decode()
    indicator.refresh_from_db()
    assert (indicator.name, indicator.unit) == ("产品交叉销售率", "个")


@pytest.fixture
def grid(client_for, appraisal_admin, account_manager, team2_manager, other_manager):
    indicator = Indicator.objects.get(code="bank-market-share")
    query = {"indicator": indicator.pk, "kind": "month", "start": "2026-06-15"}
    return client_for(appraisal_admin), indicator, query


def test_manual_grid_saves_with_who_and_when(
    grid, appraisal_admin, account_manager, other_manager, django_assert_max_num_queries
):
    browser, indicator, query = grid
    with django_assert_max_num_queries(15):
        page = browser.get(MANUAL, query)
    text = page.content.decode()
    assert (
        f'data-testid="person-{account_manager.pk}"' in text
        and f'data-testid="person-{other_manager.pk}"' in text
    )
    response = browser.post(
        MANUAL, {**query, f"value-{account_manager.pk}": "12.5", f"was-{account_manager.pk}": ""}
    )
    assert response.status_code == 302
    value = ManualValue.objects.get()
    assert (value.staff, value.value, value.period_start, value.period_end) == (
        account_manager, Decimal("12.5"), date(2026, 6, 1), date(2026, 6, 30)
    )  # fmt: skip
    page = browser.get(MANUAL, query).content.decode()
    assert 'value="12.5"' in page and appraisal_admin.full_name in page


def test_manual_grid_refuses_a_concurrent_edit_and_keeps_the_input(grid, appraisal_admin, account_manager):
    browser, indicator, query = grid
    ManualValue.objects.create(
        indicator=indicator,
        staff=account_manager,
        period_start=date(2026, 6, 1),
        period_end=date(2026, 6, 30),
        value=Decimal(20),
        entered_by=appraisal_admin,
    )
    # The form was loaded when the value was 10; it is 20 now.
    response = browser.post(
        MANUAL, {**query, f"value-{account_manager.pk}": "15", f"was-{account_manager.pk}": "10"}
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "什么也没有保存" in text or "未保存" in text
    assert 'value="15"' in text
    assert ManualValue.objects.get().value == 20


def test_manual_grid_bad_number(grid, account_manager):
    browser, _indicator, query = grid
    response = browser.post(
        MANUAL, {**query, f"value-{account_manager.pk}": "十二", f"was-{account_manager.pk}": ""}
    )
    assert response.status_code == 400
    assert "请输入数字" in response.content.decode() or "输入一个数字" in response.content.decode()
    assert not ManualValue.objects.exists()
