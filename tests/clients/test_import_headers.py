"""Headers matched by meaning: synonyms with qualifiers, brackets or alternatives; a header that
could mean two fields decided by the column's values; and the preview saying why, per column."""

import pytest
from django.utils import translation

from amdesk.clients.imports.reader import describe_match, guess_columns, match_header
from amdesk.clients.models import Client
from tests.clients.factories import resident_id
from tests.clients.import_files import run_import, upload, xlsx_file

pytestmark = pytest.mark.django_db

LIFECYCLE_CELLS = ["准客户", "已成交客户", "影响力中心", "已成交客户", "准客户"] * 2


@pytest.mark.parametrize(
    ("header", "field", "how", "synonym"),
    [
        ("客户姓名（必填）", "name", "contains", "客户姓名"),
        ("手机号码/联系电话", "mobile", "contains", "手机号码"),
        ("证件号码(身份证)", "id_number", "contains", "证件号码"),
        ("*客户名称", "name", "exact", "*客户名称"),
        ("【必填】客户经理工号", "owner", "contains", "客户经理工号"),
        ("客户手机号", "mobile", "contains", "手机号"),
        ("身份证号码", "id_number", "exact", "身份证号码"),
    ],
)
def test_a_known_synonym_with_qualifiers_still_maps(header, field, how, synonym):
    match = match_header(header)
    assert (match.field, match.how, match.synonym) == (field, how, synonym)


@pytest.mark.parametrize(
    "header",
    [
        "紧急联系人电话",  # someone else's phone
        "客户经理姓名",  # the manager's name, not the client's
        "资产规模（元）",  # an export's own column
        "内部标记",
        "姓名电话",  # two fields at once: not guessed
    ],
)
def test_headers_that_are_not_a_client_field_are_left_to_the_user(header):
    assert match_header(header).field == ""


def test_the_values_decide_what_client_type_means():
    header = ["客户名称", "客户类型", "客户类型"]
    # In one form 客户类型 holds 个人/企业 (the kind), in another 准客户/已成交客户/影响力中心
    samples = [[f"客户{n}", LIFECYCLE_CELLS[n], "个人" if n % 2 else "企业"] for n in range(10)]
    samples[3][1] = "老客户"  # one value is no known word: 9 of 10 still decide
    name, lifecycle, kind = guess_columns(header, samples)
    assert (lifecycle.field, lifecycle.how, lifecycle.matched, lifecycle.of) == ("lifecycle", "values", 9, 10)
    assert (kind.field, kind.how, kind.matched, kind.of) == ("kind", "values", 10, 10)
    assert name.how == "exact"


def test_values_move_a_choice_column_to_the_field_its_words_belong_to():
    # A 客户级别 column (a grade synonym) that holds lifecycle words
    samples = [[cell] for cell in LIFECYCLE_CELLS]
    (match,) = guess_columns(["客户级别"], samples)
    assert (match.field, match.how, match.matched, match.of) == ("lifecycle", "values", 10, 10)
    # …but a column of grade words stays a grade, and a few stray values do not move it
    (match,) = guess_columns(["客户级别"], [["三级"], ["二级"], ["准客户"]])
    assert match.field == "grade" and match.how == "exact"


def test_without_clear_values_the_header_keeps_its_first_meaning():
    (match,) = guess_columns(["客户类型"], [["外籍"], [""], ["准客户"]])
    assert (match.field, match.how) == ("kind", "exact")


def test_the_reason_is_told_in_chinese():
    with translation.override("zh-hans"):
        assert describe_match({"how": "exact"}) == "列名是该字段的已知名称"
        assert describe_match({"how": "contains", "synonym": "客户姓名"}) == "列名包含「客户姓名」"
        assert (
            describe_match({"how": "values", "field": "lifecycle", "matched": 9, "of": 10})
            == "由列中的值决定：10 个值中有 9 个是「客户阶段」的取值"
        )
        assert describe_match({}) == "未能识别：请手动选择字段"


HEADER = ["*客户名称", "证件号码(身份证)", "手机号码/联系电话", "客户类型", "备注（选填）", "内部标记"]


def real_sheet(tmp_path, count: int = 10):
    rows = [
        [f"客户{n}", resident_id(), f"1380013{n:04d}", LIFECYCLE_CELLS[n % 10], "展会", "A"]
        for n in range(count)
    ]
    return xlsx_file(tmp_path / "登记表.xlsx", rows, header=HEADER)


def test_the_preview_says_why_each_column_was_mapped(client_for, account_manager, tmp_path):
    web = client_for(account_manager)
    with open(real_sheet(tmp_path), "rb") as stream:
        response = web.post("/clients/import/", {"file": stream}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = web.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.context["job"].mapping == ["name", "id_number", "mobile", "lifecycle", "remarks", ""]
    why = [column["why"] for column in page.context["columns"]]
    assert why == [
        "列名是该字段的已知名称",
        "列名包含「证件号码」",
        "列名包含「手机号码」",
        "由列中的值决定：10 个值中有 10 个是「客户阶段」的取值",
        "列名包含「备注」",
        "未能识别：请手动选择字段",
    ]
    assert 'data-testid="why-3"' in page.content.decode()


def test_the_api_gives_the_reasons(api_for, account_manager, tmp_path):
    with open(real_sheet(tmp_path), "rb") as stream:
        job = (
            api_for(account_manager)
            .post("/api/v1/client-imports/", {"file": stream}, format="multipart", HTTP_ACCEPT_LANGUAGE="en")
            .json()
        )
    reasons = job["mapping_reasons"]
    assert [reason["how"] for reason in reasons] == [
        "exact",
        "contains",
        "contains",
        "values",
        "contains",
        "",
    ]
    assert reasons[3]["field"] == "lifecycle" and (reasons[3]["matched"], reasons[3]["of"]) == (10, 10)
    assert reasons[1]["synonym"] == "证件号码" and reasons[1]["text"]


def test_a_real_sheet_imports_by_meaning(account_manager, tmp_path):
    job = run_import(account_manager, real_sheet(tmp_path, count=4))
    assert job.state == job.State.DONE and job.created == 4
    assert Client.objects.get(name="客户2").lifecycle == "influencer"
    assert Client.objects.get(name="客户0").remarks == "展会"


def test_the_guess_is_kept_for_the_command_too(account_manager, tmp_path):
    job = upload(account_manager, real_sheet(tmp_path))
    assert job.mapping[3] == "lifecycle"
