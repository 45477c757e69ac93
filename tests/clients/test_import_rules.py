"""Client import rules: duplicates, matching, scope, owners, all or nothing, audit and history."""

import hashlib
import itertools

import pytest
from django.utils import translation
from stdnum.cn import ric, uscc

from amdesk.clients.imports import services as imports
from amdesk.clients.imports.reader import UnusableFile
from amdesk.clients.models import Client, ClientChange, ClientOwnership, ImportRow
from amdesk.core.masking import mask
from amdesk.core.models import AuditEntry
from amdesk.orgs.services import staff_leave
from tests.clients.factories import make_client, resident_id
from tests.clients.import_files import run_import, upload, xlsx_file

pytestmark = pytest.mark.django_db

# Data rows of xlsx_file() start at row 3: a title row, then the header.
FIRST = 3
_codes = itertools.count(1)


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.AMDESK_IMPORT_DIR = tmp_path / "imports"
    return settings.AMDESK_IMPORT_DIR


@pytest.fixture(autouse=True)
def english():
    """Reasons compared in English: they are written in the importer's language."""
    with translation.override("en"):
        yield


def credit_code() -> str:
    body = f"91330106MA2C{next(_codes):05d}"
    return body + uscc.calc_check_digit(body)


def reasons(job) -> dict[int, str]:
    """Each rejected row's reasons, as one text."""
    found: dict[int, list[str]] = {}
    for problem in job.problems.all():
        found.setdefault(problem.row_no, []).append(f"{problem.column}：{problem.message}")
    return {row_no: "；".join(texts) for row_no, texts in found.items()}


def counts(job) -> tuple[int, int, int, int]:
    return job.created, job.updated, job.unchanged, job.rejected


def write(tmp_path, name, header, rows):
    return xlsx_file(tmp_path / name, rows, header=header)


# -- duplicates inside the file


def test_second_row_naming_the_same_client_is_rejected_with_the_first_rows_number(account_manager, tmp_path):
    id1, code = resident_id(), credit_code()
    header = ["客户名称", "身份证号码", "统一社会信用代码", "手机号码"]
    rows = [
        ["王芳", id1, "", "13800138000"],  # row 3
        ["杭州某某科技有限公司", "", code, ""],  # row 4
        ["赵敏", "", "", "13700137000"],  # row 5
        ["王芳芳", id1, "", "13800138001"],  # row 6: the ID of row 3
        ["杭州某某科技", "", code, ""],  # row 7: the credit code of row 4
        ["赵敏", "", "", "137-0013-7000"],  # row 8: the name and mobile of row 5
        ["赵敏", "", "", "13700137001"],  # row 9: another mobile, another client
    ]
    job = run_import(account_manager, write(tmp_path, "dup.xlsx", header, rows))
    assert job.state == job.State.REJECTED and counts(job) == (4, 0, 0, 3)
    found = reasons(job)
    assert set(found) == {6, 7, 8}
    assert "ID number" in found[6] and "row 3" in found[6]
    assert "credit code" in found[7] and "row 4" in found[7]
    assert "name and mobile" in found[8] and "row 5" in found[8]
    assert Client.objects.count() == 0
    # With skip_invalid the first rows are imported; the later ones are not.
    job = run_import(account_manager, write(tmp_path, "dup2.xlsx", header, rows), skip_invalid=True)
    assert job.state == job.State.DONE and counts(job) == (4, 0, 0, 3)
    assert Client.objects.get(id_number=id1).name == "王芳"
    assert Client.objects.get(credit_code=code).name == "杭州某某科技有限公司"
    assert Client.objects.filter(name="赵敏").count() == 2


# -- matching existing clients, the report's counts, re-import


def test_mixed_file_counts_updates_by_id_and_reimport_changes_nothing(account_manager, tmp_path):
    updated = make_client(account_manager, name="王芳", mobile="13800138000", address="旧地址")
    same = make_client(account_manager, name="李强", mobile="13900139000")
    new_id = resident_id()
    header = ["客户名称", "身份证号码", "手机号码", "地址"]
    rows = [
        ["王芳", updated.id_number, "13800138000", "北京市西城区金融大街1号"],  # update
        ["李强", same.id_number, "13900139000", ""],  # unchanged
        ["赵敏", new_id, "13700137000", "上海"],  # create
        ["钱七", "110105194912310021", "13600136000", ""],  # rejected: checksum
    ]
    versions = {updated.pk: updated.version, same.pk: same.version}
    # All or nothing: the counts say what would happen, nothing happens
    job = run_import(account_manager, write(tmp_path, "mixed.xlsx", header, rows))
    assert job.state == job.State.REJECTED and counts(job) == (1, 1, 1, 1)
    assert set(reasons(job)) == {FIRST + 3}
    assert Client.objects.get(pk=updated.pk).address == "旧地址"
    # Valid rows only
    job = run_import(account_manager, write(tmp_path, "mixed2.xlsx", header, rows), skip_invalid=True)
    assert job.state == job.State.DONE and counts(job) == (1, 1, 1, 1)
    assert Client.objects.count() == 3
    changed = Client.objects.get(pk=updated.pk)
    assert changed.address == "北京市西城区金融大街1号" and changed.version == versions[updated.pk] + 1
    assert Client.objects.get(pk=same.pk).version == versions[same.pk]
    created = Client.objects.get(id_number=new_id)
    assert created.name == "赵敏" and created.owner == account_manager and created.address == "上海"
    # The same file again: every valid row is unchanged, no version moves
    before = dict(Client.objects.values_list("pk", "version"))
    again = run_import(account_manager, write(tmp_path, "mixed3.xlsx", header, rows), skip_invalid=True)
    assert again.state == again.State.DONE and counts(again) == (0, 0, 3, 1)
    assert dict(Client.objects.values_list("pk", "version")) == before
    assert not ClientChange.objects.filter(client=created).exists()


def test_empty_cells_never_blank_stored_values(account_manager, tmp_path):
    client = make_client(
        account_manager,
        name="王芳",
        mobile="13800138000",
        address="北京市西城区金融大街1号",
        occupation="教师",
        remarks="老客户",
        grade=3,
    )
    header = ["客户名称", "身份证号码", "手机号码", "地址", "职业", "客户等级", "备注"]
    job = run_import(
        account_manager,
        write(tmp_path, "blank.xlsx", header, [["王芳", client.id_number, "", " ", None, "", "新备注"]]),
    )
    assert job.state == job.State.DONE and counts(job) == (0, 1, 0, 0), reasons(job)
    client.refresh_from_db()
    assert (client.name, client.mobile, client.address, client.occupation, client.grade.code) == (
        "王芳",
        "13800138000",
        "北京市西城区金融大街1号",
        "教师",
        "3",
    )
    assert client.remarks == "新备注"
    assert set(ClientChange.objects.filter(client=client).values_list("field", flat=True)) == {"remarks"}


def test_rows_without_a_name_update_by_id(account_manager, tmp_path):
    client = make_client(account_manager, name="王芳", address="旧地址")
    other = make_client(account_manager, name="李强", address="旧地址")
    # A list of new addresses: no name column at all, or the name left empty
    job = run_import(
        account_manager, write(tmp_path, "a.xlsx", ["身份证号码", "地址"], [[client.id_number, "杭州"]])
    )
    assert job.state == job.State.DONE and counts(job) == (0, 1, 0, 0)
    header = ["客户名称", "身份证号码", "地址"]
    job = run_import(account_manager, write(tmp_path, "b.xlsx", header, [["", other.id_number, "杭州"]]))
    assert job.state == job.State.DONE and counts(job) == (0, 1, 0, 0)
    assert list(Client.objects.values_list("name", "address").order_by("pk")) == [
        ("王芳", "杭州"),
        ("李强", "杭州"),
    ]
    # A new client still needs one
    job = run_import(account_manager, write(tmp_path, "c.xlsx", header, [["", resident_id(), "杭州"]]))
    assert job.state == job.State.REJECTED and "needs a name" in reasons(job)[FIRST]


def test_row_without_id_finds_the_client_by_name_and_mobile(account_manager, tmp_path):
    client = make_client(account_manager, name="王芳", mobile="13800138000", id_number="")
    header = ["客户名称", "手机号码", "地址"]
    job = run_import(account_manager, write(tmp_path, "m.xlsx", header, [["王 芳", "138-0013-8000", "杭州"]]))
    assert job.state == job.State.DONE and counts(job) == (0, 1, 0, 0), reasons(job)
    assert Client.objects.count() == 1
    assert Client.objects.get(pk=client.pk).address == "杭州"


def test_company_name_with_chinese_parentheses_finds_the_client(account_manager, tmp_path):
    company = make_client(
        account_manager, name="杭州某某（集团）有限公司", mobile="13800138000", id_number=""
    )
    header = ["客户名称", "手机号码", "地址"]
    rows = [["杭州某某（集团）有限公司", "13800138000", "杭州"]]
    job = run_import(account_manager, write(tmp_path, "m.xlsx", header, rows))
    assert (job.state, counts(job)) == (job.State.DONE, (0, 1, 0, 0))
    assert Client.objects.count() == 1 and Client.objects.get(pk=company.pk).address == "杭州"


def test_two_clients_with_the_same_name_and_mobile_make_the_row_ambiguous(account_manager, tmp_path):
    first = make_client(account_manager, name="王芳", mobile="13800138000", id_number="")
    make_client(account_manager, name="王芳", mobile="13800138000", id_number="")
    header = ["客户名称", "手机号码", "地址"]
    job = run_import(account_manager, write(tmp_path, "m.xlsx", header, [["王芳", "13800138000", "杭州"]]))
    assert job.state == job.State.REJECTED and counts(job) == (0, 0, 0, 1)
    assert "Several clients" in reasons(job)[FIRST]
    assert Client.objects.get(pk=first.pk).address == ""


def test_credit_code_in_the_id_column_makes_a_corporate_client(account_manager, tmp_path):
    code = credit_code()
    header = ["客户名称", "证件号码", "手机号码"]
    job = run_import(
        account_manager,
        write(tmp_path, "corp.xlsx", header, [["杭州某某科技有限公司", code.lower(), "13800138000"]]),
    )
    assert job.state == job.State.DONE, reasons(job)
    client = Client.objects.get(name="杭州某某科技有限公司")
    assert (client.kind, client.credit_code, client.id_number) == ("corporate", code, "")
    # The same code again finds the company: unchanged
    again = run_import(
        account_manager, write(tmp_path, "corp2.xlsx", header, [["杭州某某科技有限公司", code, ""]])
    )
    assert counts(again) == (0, 0, 1, 0)


def _typo_valid_as_credit_code() -> str:
    """A resident ID with a wrong last digit that happens to pass as a unified social credit code."""
    for serial in range(1000):
        body = f"33010619850615{serial:03d}"
        good, code_check = ric.calc_check_digit(body + "0"), uscc.calc_check_digit(body)
        if code_check.isdigit() and code_check != good:
            return body + code_check
    raise AssertionError("no such number")


def test_mistyped_resident_id_is_rejected_not_taken_for_a_credit_code(account_manager, tmp_path):
    typo = _typo_valid_as_credit_code()
    header = ["客户名称", "身份证号码", "手机号码", "客户类型"]
    job = run_import(
        account_manager, write(tmp_path, "typo.xlsx", header, [["王芳", typo, "13800138000", "个人"]])
    )
    assert job.state == job.State.REJECTED
    assert "身份证号码" in reasons(job)[FIRST]
    assert not Client.objects.exists()


# -- scope


def test_account_manager_cannot_touch_a_client_of_another_team(
    account_manager, team2_manager, other_manager, tmp_path
):
    theirs = make_client(team2_manager, name="钟客户", address="原地址")
    far = make_client(other_manager, name="郭客户", address="原地址")
    header = ["客户名称", "身份证号码", "地址"]
    rows = [["王芳", theirs.id_number, "新地址"], ["李强", far.id_number, "新地址"]]
    job = run_import(account_manager, write(tmp_path, "scope.xlsx", header, rows), skip_invalid=True)
    assert job.state == job.State.DONE and counts(job) == (0, 0, 0, 2)
    found = reasons(job)
    assert "outside your part of the organisation" in found[FIRST]
    assert "outside your part of the organisation" in found[FIRST + 1]
    for client in (theirs, far):
        stored = Client.objects.get(pk=client.pk)
        assert (stored.name, stored.address, stored.version) == (client.name, "原地址", client.version)
    assert Client.objects.count() == 2


def test_supervisor_updates_his_teams_clients_but_not_others(
    supervisor, account_manager, team2_manager, other_manager, tmp_path
):
    mine = make_client(account_manager, name="苏客户")
    team2 = make_client(team2_manager, name="钟客户")
    far = make_client(other_manager, name="郭客户")
    header = ["客户名称", "身份证号码", "地址"]
    rows = [[client.name, client.id_number, "新地址"] for client in (mine, team2, far)]
    job = run_import(supervisor, write(tmp_path, "sup.xlsx", header, rows), skip_invalid=True)
    assert job.state == job.State.DONE and counts(job) == (0, 2, 0, 1)
    assert set(reasons(job)) == {FIRST + 2}
    assert Client.objects.get(pk=mine.pk).address == "新地址"
    assert Client.objects.get(pk=team2.pk).address == "新地址"
    assert Client.objects.get(pk=far.pk).address == ""
    # Owners stay as they were when the file names none
    assert Client.objects.get(pk=team2.pk).owner == team2_manager


def test_branch_head_updates_every_client_of_his_branch(
    branch_head, account_manager, other_manager, tmp_path
):
    clients = [make_client(account_manager, name="苏客户"), make_client(other_manager, name="郭客户")]
    header = ["客户名称", "身份证号码", "地址"]
    rows = [[client.name, client.id_number, "新地址"] for client in clients]
    job = run_import(branch_head, write(tmp_path, "head.xlsx", header, rows))
    assert job.state == job.State.DONE and counts(job) == (0, 2, 0, 0), reasons(job)
    assert set(Client.objects.values_list("address", flat=True)) == {"新地址"}
    assert Client.objects.get(pk=clients[1].pk).owner == other_manager


# -- the owner's employee number

OWNER_HEADER = ["客户名称", "身份证号码", "客户经理工号"]


def test_unknown_owner_number_is_rejected(account_manager, tmp_path):
    job = run_import(
        account_manager, write(tmp_path, "o.xlsx", OWNER_HEADER, [["王芳", resident_id(), "X9999"]])
    )
    assert job.state == job.State.REJECTED
    assert "客户经理工号" in reasons(job)[FIRST] and "no employee number X9999" in reasons(job)[FIRST]


def test_owner_outside_the_importers_organisation_is_rejected(supervisor, other_manager, tmp_path):
    rows = [["王芳", resident_id(), other_manager.employee_no]]
    job = run_import(supervisor, write(tmp_path, "o.xlsx", OWNER_HEADER, rows))
    assert job.state == job.State.REJECTED and not Client.objects.exists()
    assert "outside your organisation" in reasons(job)[FIRST]


def test_owner_who_is_not_an_active_account_manager_is_rejected(supervisor, team2_manager, tmp_path):
    staff_leave(actor=None, staff=team2_manager)
    rows = [
        ["王芳", resident_id(), supervisor.employee_no],
        ["李强", resident_id(), team2_manager.employee_no],
    ]
    job = run_import(supervisor, write(tmp_path, "o.xlsx", OWNER_HEADER, rows))
    assert job.state == job.State.REJECTED and counts(job) == (0, 0, 0, 2)
    found = reasons(job)
    assert "not an active account manager" in found[FIRST]
    assert "not an active account manager" in found[FIRST + 1]
    assert not Client.objects.exists()


def test_new_client_without_owner_goes_to_the_importing_account_manager(account_manager, tmp_path):
    id1 = resident_id()
    job = run_import(account_manager, write(tmp_path, "o.xlsx", OWNER_HEADER, [["王芳", id1, ""]]))
    assert job.state == job.State.DONE, reasons(job)
    client = Client.objects.get(id_number=id1)
    assert client.owner == account_manager and client.org_node == account_manager.org_node


def test_supervisor_must_name_the_owner_of_a_new_client(supervisor, account_manager, tmp_path):
    id1, id2 = resident_id(), resident_id()
    rows = [["王芳", id1, ""], ["李强", id2, account_manager.employee_no]]
    job = run_import(supervisor, write(tmp_path, "o.xlsx", OWNER_HEADER, rows), skip_invalid=True)
    assert counts(job) == (1, 0, 0, 1)
    assert "客户经理工号" in reasons(job)[FIRST] and "employee number" in reasons(job)[FIRST]
    assert Client.objects.get(id_number=id2).owner == account_manager
    assert not Client.objects.filter(id_number=id1).exists()


def test_account_manager_cannot_hand_his_client_to_another(account_manager, team2_manager, tmp_path):
    client = make_client(account_manager, name="王芳")
    rows = [["王芳", client.id_number, team2_manager.employee_no]]
    job = run_import(account_manager, write(tmp_path, "o.xlsx", OWNER_HEADER, rows))
    assert job.state == job.State.REJECTED and counts(job) == (0, 0, 0, 1)
    assert "客户经理工号" in reasons(job)[FIRST]
    client.refresh_from_db()
    assert client.owner == account_manager
    assert ClientOwnership.objects.filter(client=client).count() == 1


def test_supervisors_file_hands_a_client_over(supervisor, account_manager, team2_manager, org, tmp_path):
    client = make_client(account_manager, name="王芳")
    rows = [["王芳", client.id_number, team2_manager.employee_no]]
    job = run_import(supervisor, write(tmp_path, "o.xlsx", OWNER_HEADER, rows))
    assert job.state == job.State.DONE and counts(job) == (0, 1, 0, 0), reasons(job)
    client.refresh_from_db()
    assert client.owner == team2_manager and client.org_node == org.tm2
    history = list(ClientOwnership.objects.filter(client=client).order_by("started_at", "id"))
    assert [(h.owner, h.ended_at is None) for h in history] == [
        (account_manager, False),
        (team2_manager, True),
    ]
    assert history[1].how == "import" and history[1].handed_over_by == supervisor
    change = ClientChange.objects.get(client=client, field="owner")
    assert (change.old_value, change.new_value) == (account_manager.employee_no, team2_manager.employee_no)
    assert change.source == "import" and change.changed_by == supervisor


# -- all or nothing


def test_one_bad_row_among_many_writes_nothing(account_manager, tmp_path):
    make_client(account_manager, name="旧客户")
    rows = [[f"客户{n}", resident_id(), f"138{n:08d}", "", "", ""] for n in range(8)]
    rows[5][2] = "12345"
    path = xlsx_file(tmp_path / "bad.xlsx", rows)
    job = run_import(account_manager, path)
    assert job.state == job.State.REJECTED and counts(job) == (7, 0, 0, 1)
    assert Client.objects.count() == 1
    # The checked rows wait for a decision while the job is rejected…
    assert ImportRow.objects.filter(job=job).count() == 8
    # …and go when the valid rows are imported after all (the page's "import the valid rows").
    job.skip_invalid = True
    job.save(update_fields=["skip_invalid"])
    job = imports.import_apply(job=job)
    assert job.state == job.State.DONE and counts(job) == (7, 0, 0, 1)
    assert Client.objects.count() == 8
    assert not ImportRow.objects.filter(job=job).exists()


def test_skip_invalid_imports_the_valid_rows(account_manager, tmp_path):
    rows = [[f"客户{n}", resident_id(), f"138{n:08d}", "", "", ""] for n in range(6)]
    rows[1][4], rows[4][1] = "六级", "110105194912310021"
    job = run_import(account_manager, xlsx_file(tmp_path / "bad.xlsx", rows), skip_invalid=True)
    assert job.state == job.State.DONE and counts(job) == (4, 0, 0, 2)
    assert set(reasons(job)) == {FIRST + 1, FIRST + 4}
    assert set(Client.objects.values_list("name", flat=True)) == {"客户0", "客户2", "客户3", "客户5"}
    assert not ImportRow.objects.filter(job=job).exists()


# -- the archive changes between the check and the import


def test_client_created_elsewhere_after_the_check_rejects_the_row(account_manager, other_manager, tmp_path):
    id1 = resident_id()
    job = imports.import_check(job=upload(account_manager, xlsx_file(tmp_path / "a.xlsx", [["王芳", id1]])))
    assert job.state == job.State.CHECKED and counts(job) == (1, 0, 0, 0)
    theirs = make_client(other_manager, name="王芳", id_number=id1)
    job = imports.import_apply(job=job)
    assert job.state == job.State.REJECTED and counts(job) == (0, 0, 0, 1)
    assert "outside your part of the organisation" in reasons(job)[FIRST]
    assert list(Client.objects.values_list("pk", "owner")) == [(theirs.pk, other_manager.pk)]


def test_client_created_in_scope_after_the_check_is_updated(account_manager, tmp_path):
    id1 = resident_id()
    path = xlsx_file(tmp_path / "a.xlsx", [["王芳", id1, "13800138000"]])
    job = imports.import_check(job=upload(account_manager, path))
    assert counts(job) == (1, 0, 0, 0)
    client = make_client(account_manager, name="王芳", id_number=id1, mobile="13900139000")
    job = imports.import_apply(job=job)
    assert job.state == job.State.DONE and counts(job) == (0, 1, 0, 0)
    assert Client.objects.count() == 1
    client.refresh_from_db()
    assert client.mobile == "13800138000" and client.version == 2


# -- audit


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _entry():
    return AuditEntry.objects.filter(event="client.imported").latest("id")


def test_done_import_is_audited_with_counts_and_hash(account_manager, tmp_path):
    existing = make_client(account_manager, name="王芳")
    rows = [["王芳", existing.id_number, "", "", "", "新备注"], ["李强", resident_id(), "", "", "", ""]]
    path = xlsx_file(tmp_path / "a.xlsx", rows)
    job = run_import(account_manager, path)
    assert job.state == job.State.DONE
    entry = _entry()
    assert entry.result == "success" and entry.actor == account_manager
    assert entry.detail["sha256"] == _sha256(path)
    assert (entry.detail["created"], entry.detail["updated"], entry.detail["unchanged"]) == (1, 1, 0)
    assert entry.detail["rejected"] == 0 and entry.detail["rows"] == 2


def test_rejected_all_or_nothing_import_is_audited(account_manager, tmp_path):
    rows = [["王芳", resident_id(), "", "", "", ""], ["李强", "110105194912310021", "", "", "", ""]]
    path = xlsx_file(tmp_path / "a.xlsx", rows)
    job = run_import(account_manager, path)
    assert job.state == job.State.REJECTED
    entry = AuditEntry.objects.filter(event="client.imported").last()
    assert entry is not None and entry.result == "failure"
    assert entry.detail["sha256"] == _sha256(path)
    assert (entry.detail["created"], entry.detail["rejected"]) == (1, 1)


def test_unusable_upload_and_failed_job_are_audited(account_manager, settings, tmp_path):
    bad = tmp_path / "list.xlsx"
    bad.write_bytes(b"not a zip at all")
    with pytest.raises(UnusableFile):
        upload(account_manager, bad)
    entry = _entry()
    assert entry.result == "failure" and entry.actor == account_manager
    assert entry.detail["sha256"] == _sha256(bad) and entry.detail["reason"]
    # Too many rows: the job fails after reading them; its entry has the counts
    settings.AMDESK_IMPORT_MAX_ROWS = 1
    path = xlsx_file(tmp_path / "long.xlsx", [["王芳", resident_id()], ["李强", resident_id()]])
    job = run_import(account_manager, path)
    assert job.state == job.State.FAILED
    entry = _entry()
    assert entry.result == "failure" and entry.detail["sha256"] == _sha256(path)
    assert entry.detail["state"] == "failed"
    assert {"created", "updated", "unchanged", "rejected"} <= set(entry.detail)


# -- the change history keeps personal data masked


def test_changed_mobile_is_masked_in_the_history(account_manager, tmp_path):
    client = make_client(account_manager, name="王芳", mobile="13800138000")
    path = xlsx_file(tmp_path / "a.xlsx", [["王芳", client.id_number, "+86 139 0013 9000"]])
    job = run_import(account_manager, path)
    assert counts(job) == (0, 1, 0, 0)
    change = ClientChange.objects.get(client=client, field="mobile")
    assert (change.old_value, change.new_value) == ("138****8000", "139****9000")
    assert change.old_value == mask("13800138000", "mobile")
    assert change.new_value == mask("13900139000", "mobile")
    assert change.source == "import" and change.changed_by == account_manager


def test_first_mobile_has_an_empty_old_value_in_the_history(account_manager, tmp_path):
    client = make_client(account_manager, name="王芳", mobile="")
    path = xlsx_file(tmp_path / "a.xlsx", [["王芳", client.id_number, "13900139000"]])
    assert counts(run_import(account_manager, path)) == (0, 1, 0, 0)
    change = ClientChange.objects.get(client=client, field="mobile")
    assert change.old_value == mask("", "mobile") == ""
    assert change.new_value == mask("13900139000", "mobile")
