"""The questionnaire builder: list, edit a draft's sections and questions, reorder, preview,
publish, copy a published edition into the next draft. For those who oversee account managers."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from amdesk.core.htmx import is_htmx

from .. import services
from ..forms import AnswerSheet, QuestionForm, QuestionnaireForm, SectionForm
from ..models import Question, Questionnaire, Section
from ..services import StaleSurveyData
from .common import Outcome, apply_errors, check_manager, reported, sections_of

STALE = gettext_lazy("Someone changed this questionnaire meanwhile; reload the page and try again.")


def _posted_version(request) -> int | None:
    """The questionnaire's version the page was shown with (every builder change sends it)."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@contextmanager
def _change(request, success: str = "") -> Iterator[Outcome]:
    """`reported` for builder buttons, also turning a stale page (StaleSurveyData) into its message."""
    with reported(request, success) as outcome:
        try:
            yield outcome
        except StaleSurveyData:
            messages.error(request, str(STALE))
            outcome.ok = False
            outcome.stale = True


def _stale_response(request, url: str):
    """A button pressed on a page older than the questionnaire: 409 and reload (htmx) or back to it."""
    messages.error(request, str(STALE))
    if is_htmx(request):
        response = HttpResponse(str(STALE), status=409)
        response["HX-Refresh"] = "true"
        return response
    return redirect(url)


def _questionnaire(user, pk: int) -> Questionnaire:
    check_manager(user)
    questionnaire = Questionnaire.objects.filter(pk=pk).first()
    if questionnaire is None:
        raise Http404("No such questionnaire.")
    return questionnaire


def _section(user, pk: int) -> Section:
    check_manager(user)
    section = Section.objects.select_related("questionnaire").filter(pk=pk).first()
    if section is None:
        raise Http404("No such section.")
    return section


def _question(user, pk: int) -> Question:
    check_manager(user)
    question = (
        Question.objects.select_related("questionnaire", "section")
        .prefetch_related("options")
        .filter(pk=pk)
        .first()
    )
    if question is None:
        raise Http404("No such question.")
    return question


@login_required
@require_GET
def questionnaire_list_view(request):
    check_manager(request.user)
    questionnaires = Questionnaire.objects.annotate(
        question_count=Count("questions", distinct=True), round_count=Count("rounds", distinct=True)
    ).order_by("code", "-edition")
    return render(request, "surveys/questionnaire_list.html", {"questionnaires": list(questionnaires)})


@login_required
def questionnaire_new_view(request):
    check_manager(request.user)
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = services.questionnaire_create(
                actor=request.user,
                title=form.cleaned_data["title"],
                intro=form.cleaned_data.get("intro", ""),
                code=form.cleaned_data.get("code") or "",
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Questionnaire created: now add its sections and questions."))
            return redirect("surveys:questionnaire", pk=questionnaire.pk)
    return render(request, "surveys/questionnaire_new.html", {"form": form})


def _builder_context(questionnaire: Questionnaire, user=None, **extra) -> dict:
    sections = sections_of(questionnaire)
    context = {
        "questionnaire": questionnaire,
        "sections": sections,
        "problems": services.questionnaire_problems(questionnaire) if questionnaire.is_draft else [],
        "section_form": SectionForm(initial={"version": questionnaire.version}),
        "may_publish": services.may_publish_questionnaires(user) if user is not None else False,
        "total_weight": sum(q.weight for s in sections for q in s.questions.all()),
    }
    context.update(extra)
    return context


@login_required
def questionnaire_detail_view(request, pk: int):
    """The builder: the draft's title and introduction, its sections and questions in order."""
    questionnaire = _questionnaire(request.user, pk)
    form, status = None, 200
    if questionnaire.is_draft:
        initial = {
            "title": questionnaire.title,
            "intro": questionnaire.intro,
            "version": questionnaire.version,
        }
        form = QuestionnaireForm(request.POST or None, initial=initial, editing=True)
        if request.method == "POST" and form.is_valid():
            try:
                services.questionnaire_update(
                    actor=request.user,
                    questionnaire=questionnaire,
                    version=form.cleaned_data["version"],
                    title=form.cleaned_data["title"],
                    intro=form.cleaned_data.get("intro", ""),
                    request=request,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except StaleSurveyData:
                form.add_error(None, str(STALE))
                status = 409
            else:
                messages.success(request, _("Questionnaire saved."))
                return redirect("surveys:questionnaire", pk=questionnaire.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = _builder_context(questionnaire, request.user, form=form)
    return render(request, "surveys/questionnaire_detail.html", context, status=status)


@login_required
@require_GET
def questionnaire_preview_view(request, pk: int):
    questionnaire = _questionnaire(request.user, pk)
    sheet = AnswerSheet(sections_of(questionnaire))
    return render(
        request, "surveys/questionnaire_preview.html", {"questionnaire": questionnaire, "sheet": sheet}
    )


@login_required
@require_POST
def questionnaire_publish_view(request, pk: int):
    questionnaire = _questionnaire(request.user, pk)
    version = _posted_version(request)
    if version is None:
        return _stale_response(request, reverse("surveys:questionnaire", kwargs={"pk": pk}))
    with _change(request, _("Questionnaire published: rounds may use it now.")):
        services.questionnaire_publish(
            actor=request.user, questionnaire=questionnaire, version=version, request=request
        )
    return redirect("surveys:questionnaire", pk=questionnaire.pk)


@login_required
@require_POST
def questionnaire_copy_view(request, pk: int):
    questionnaire = _questionnaire(request.user, pk)
    with reported(request) as outcome:
        copy = services.questionnaire_copy(actor=request.user, questionnaire=questionnaire, request=request)
    if not outcome.ok:
        return redirect("surveys:questionnaire", pk=questionnaire.pk)
    messages.success(request, _("Edition %(edition)s created as a draft.") % {"edition": copy.edition})
    return redirect("surveys:questionnaire", pk=copy.pk)


@login_required
@require_POST
def section_add_view(request, pk: int):
    questionnaire = _questionnaire(request.user, pk)
    form = SectionForm(request.POST)
    if not form.is_valid():
        if "version" in form.errors:
            return _stale_response(request, _builder_url(questionnaire.pk))
        messages.error(request, _("Give the section a title."))
    else:
        with _change(request, _("Section added.")):
            services.section_add(
                actor=request.user,
                questionnaire=questionnaire,
                version=form.cleaned_data["version"],
                title=form.cleaned_data["title"],
                request=request,
            )
    return redirect("surveys:questionnaire", pk=questionnaire.pk)


@login_required
def section_edit_view(request, pk: int):
    section = _section(request.user, pk)
    initial = {"title": section.title, "version": section.questionnaire.version}
    form = SectionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.section_update(
                actor=request.user,
                section=section,
                version=form.cleaned_data["version"],
                title=form.cleaned_data["title"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except StaleSurveyData:
            form.add_error(None, str(STALE))
            status = 409
        else:
            messages.success(request, _("Section saved."))
            return redirect("surveys:questionnaire", pk=section.questionnaire_id)
    return render(request, "surveys/section_form.html", {"form": form, "section": section}, status=status)


@login_required
@require_POST
def section_remove_view(request, pk: int):
    section = _section(request.user, pk)
    version = _posted_version(request)
    if version is None:
        return _stale_response(request, _builder_url(section.questionnaire_id))
    with _change(request, _("Section removed with its questions.")):
        services.section_delete(actor=request.user, section=section, version=version, request=request)
    return redirect("surveys:questionnaire", pk=section.questionnaire_id)


def _moved(request, questionnaire: Questionnaire, outcome: Outcome):
    """After a move: the structure alone for htmx (with the page's version fields brought up to date),
    else the whole builder page; a stale page is told so and reloaded."""
    if getattr(outcome, "stale", False) and is_htmx(request):
        response = HttpResponse(str(STALE), status=409)
        response["HX-Refresh"] = "true"
        return response
    if is_htmx(request):
        questionnaire.refresh_from_db()
        context = _builder_context(questionnaire, request.user, oob=True)
        return render(request, "surveys/partials/structure.html", context)
    return redirect("surveys:questionnaire", pk=questionnaire.pk)


STEPS = {"up": -1, "down": 1}


@login_required
@require_POST
def section_move_view(request, pk: int, direction: str):
    section = _section(request.user, pk)
    if direction not in STEPS:
        raise Http404
    version = _posted_version(request)
    if version is None:
        return _stale_response(request, _builder_url(section.questionnaire_id))
    with _change(request) as outcome:
        services.section_move(
            actor=request.user, section=section, version=version, step=STEPS[direction], request=request
        )
    return _moved(request, section.questionnaire, outcome)


def _question_call(request, form: QuestionForm, call, **target):
    """The add or update service with the form's values; None (errors on the form) when refused."""
    try:
        return call(
            actor=request.user,
            version=form.cleaned_data["version"],
            text=form.cleaned_data["text"],
            kind=form.cleaned_data["kind"],
            required=form.cleaned_data.get("required", False),
            weight=form.cleaned_data.get("weight") or 0,
            dimension=form.cleaned_data.get("dimension", ""),
            help_text=form.cleaned_data.get("help_text", ""),
            options=form.cleaned_data.get("options") or None,
            request=request,
            **target,
        )
    except ValidationError as exc:
        apply_errors(form, exc)
    except StaleSurveyData:
        form.add_error(None, str(STALE))
        form.stale = True
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


@login_required
def question_add_view(request, pk: int):
    section = _section(request.user, pk)
    form = QuestionForm(request.POST or None, initial={"version": section.questionnaire.version})
    saved = request.method == "POST" and form.is_valid()
    if saved and _question_call(request, form, services.question_add, section=section) is not None:
        messages.success(request, _("Question added."))
        return redirect(f"{_builder_url(section.questionnaire_id)}#section-{section.pk}")
    context = {"form": form, "section": section, "questionnaire": section.questionnaire}
    return render(request, "surveys/question_form.html", context, status=_form_status(form))


@login_required
def question_edit_view(request, pk: int):
    question = _question(request.user, pk)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_of(question))
    saved = request.method == "POST" and form.is_valid()
    if saved and _question_call(request, form, services.question_update, question=question) is not None:
        messages.success(request, _("Question saved."))
        return redirect(f"{_builder_url(question.questionnaire_id)}#question-{question.pk}")
    context = {
        "form": form,
        "section": question.section,
        "questionnaire": question.questionnaire,
        "question": question,
    }
    return render(request, "surveys/question_form.html", context, status=_form_status(form))


def _form_status(form) -> int:
    """409 for a form refused as stale (shown again with its message), else 200."""
    return 409 if getattr(form, "stale", False) else 200


@login_required
@require_POST
def question_remove_view(request, pk: int):
    question = _question(request.user, pk)
    version = _posted_version(request)
    if version is None:
        return _stale_response(request, _builder_url(question.questionnaire_id))
    with _change(request, _("Question removed.")):
        services.question_delete(actor=request.user, question=question, version=version, request=request)
    return redirect("surveys:questionnaire", pk=question.questionnaire_id)


@login_required
@require_POST
def question_move_view(request, pk: int, direction: str):
    question = _question(request.user, pk)
    if direction not in STEPS:
        raise Http404
    version = _posted_version(request)
    if version is None:
        return _stale_response(request, _builder_url(question.questionnaire_id))
    with _change(request) as outcome:
        services.question_move(
            actor=request.user, question=question, version=version, step=STEPS[direction], request=request
        )
    return _moved(request, question.questionnaire, outcome)


def _builder_url(pk: int) -> str:
    return reverse("surveys:questionnaire", kwargs={"pk": pk})
