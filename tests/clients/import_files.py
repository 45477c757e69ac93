"""Building client list files the way people make them, for the import tests."""

import csv
from pathlib import Path

import openpyxl

from amdesk.clients.imports import services as imports

HEADER = ["客户名称", "身份证号码", "手机号码", "客户经理工号", "客户等级", "备注"]


def xlsx_file(path: Path, rows: list[list], header=HEADER, title: str | None = "2026年客户清单") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def csv_file(path: Path, rows: list[list], header=HEADER, encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def upload(actor, path: Path, *, skip_invalid: bool = False):
    with open(path, "rb") as stream:
        return imports.import_upload(
            actor=actor, upload=stream, file_name=path.name, skip_invalid=skip_invalid
        )


def run_import(actor, path: Path, *, skip_invalid: bool = False, apply: bool = True):
    """Upload, check and (when the check passes or skip_invalid) import, as the page and CLI do."""
    job = upload(actor, path, skip_invalid=skip_invalid)
    job = imports.import_check(job=job)
    if (
        apply
        and job.state in (job.State.CHECKED,)
        or (apply and skip_invalid and job.state == job.State.REJECTED)
    ):
        job = imports.import_apply(job=job)
    return job
