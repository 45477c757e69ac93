"""The satisfaction index and analysis report of a round, per AM/team/branch with trend, and its export."""

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET

from .. import selectors
from ..models import SurveySettings
from ..scoring import on_scale
from .home import group_of, trend_lines

TREND_QUARTERS = 4
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request) -> dict:
    user = request.user
    rounds = selectors.reported_rounds(viewer=user)  # the viewer's only: names never leak across units
    chosen = request.GET.get("round", "")
    survey_round = (
        selectors.access_round(user, int(chosen)) if chosen.isdigit() else (rounds[0] if rounds else None)
    )
    group = group_of(request)
    context = {"rounds": rounds, "round": survey_round, "group": group, "settings": SurveySettings.current()}
    if survey_round is None:
        return context
    index = selectors.satisfaction_index(viewer=user, survey_round=survey_round, group_by=group)
    trend = selectors.satisfaction_trend(viewer=user, group_by=group, quarters=TREND_QUARTERS)
    trend_lines(trend, index)
    context.update(
        {
            "index": index,
            "trend": trend,
            "report": selectors.analysis_report(viewer=user, survey_round=survey_round),
        }
    )
    return context


@login_required
@require_GET
def report_view(request):
    return render(request, "surveys/report.html", _report(request))


GROUP_LABELS = {
    "owner": gettext_lazy("Account manager"),
    "team": gettext_lazy("Team"),
    "branch": gettext_lazy("Branch"),
}


@login_required
@require_GET
def report_export_view(request):
    """The same figures as the page (same scope) as a workbook: index, questions, segments, comments."""
    import xlsxwriter

    context = _report(request)
    scale = context["settings"].index_scale

    def shown(value):  # every index and score on the settings' display scale, as on the page
        return on_scale(value, scale)

    buffer = io.BytesIO()
    # Text typed by clients never becomes a formula (see ENGINEERING-NOTES).
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    survey_round = context.get("round")
    sheet = book.add_worksheet(_("Index"))
    sheet.write_row(0, 0, [_("Survey round"), survey_round.name if survey_round else "—"], bold)
    if survey_round is not None:
        index, report = context["index"], context["report"]
        sheet.write_row(
            2,
            0,
            [
                str(GROUP_LABELS[context["group"]]),
                _("Invited"),
                _("Responses"),
                _("Response rate %"),
                _("Index (0–%(scale)s)") % {"scale": scale},
                _("Previous quarter"),
                _("Change"),
                "NPS",
            ],
            bold,
        )
        line = 3
        for row in [*index.rows, index.total]:
            sheet.write_row(
                line,
                0,
                [
                    row.label or pgettext("index of all groups together", "Total"),
                    row.invited,
                    row.responses,
                    row.response_rate,
                    shown(row.index),
                    shown(row.previous),
                    shown(row.change),
                    row.nps,
                ],
            )
            line += 1
        sheet.set_column(0, 0, 24)
        questions = book.add_worksheet(_("Scores by question"))
        questions.write_row(
            0,
            0,
            [
                _("Section"),
                _("Question"),
                _("Type"),
                _("Answers"),
                _("Score (0–%(scale)s)") % {"scale": scale},
                _("Mean rating"),
                "NPS",
                _("Options chosen"),
            ],
            bold,
        )
        for line, stat in enumerate(report.questions, 1):
            options = "; ".join(f"{o.option.label} {o.count}" for o in stat.options)
            questions.write_row(
                line,
                0,
                [
                    stat.question.section.title,
                    stat.question.text,
                    str(stat.question.get_kind_display()),
                    stat.answers,
                    shown(stat.score),
                    stat.mean,
                    stat.nps,
                    options,
                ],
            )
        questions.set_column(1, 1, 40)
        segments = book.add_worksheet(_("Segments"))
        segments.write_row(
            0,
            0,
            [_("Segment"), _("Value"), _("Responses"), _("Index (0–%(scale)s)") % {"scale": scale}],
            bold,
        )
        line = 1
        names = {"tier": _("Tier"), "lifecycle": _("Lifecycle"), "vip_level": _("VIP level")}
        for name, rows in report.segments.items():
            for row in rows:
                segments.write_row(
                    line, 0, [names.get(name, name), row.label, row.responses, shown(row.index)]
                )
                line += 1
        for row in report.dimensions:
            segments.write_row(line, 0, [_("Dimension"), row.label, row.responses, shown(row.index)])
            line += 1
        comments = book.add_worksheet(_("Comments"))
        comments.write_row(0, 0, [_("Answered at"), _("Account manager"), _("Question"), _("Comment")], bold)
        for line, comment in enumerate(report.comments, 1):
            answered = timezone.localtime(comment.answered_at).strftime("%Y-%m-%d %H:%M")
            comments.write_row(line, 0, [answered, comment.owner_name, comment.question, comment.text])
        comments.set_column(3, 3, 60)
    book.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="satisfaction-{stamp}.xlsx"'
    return response
