"""The questionnaire builder: list, edit a draft's sections and questions, reorder, preview,
publish, copy a published edition into the next draft. For those who oversee account managers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amdesk.core.htmx import is_htmx

from .. import services
from ..forms import AnswerSheet, QuestionForm, QuestionnaireForm, SectionForm
from ..models import Question, Questionnaire, Section
from ..services import StaleSurveyData
from .common import apply_errors, check_manager, reported, sections_of


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


def _builder_context(questionnaire: Questionnaire, **extra) -> dict:
    sections = sections_of(questionnaire)
    context = {
        "questionnaire": questionnaire,
        "sections": sections,
        "problems": services.questionnaire_problems(questionnaire) if questionnaire.is_draft else [],
        "section_form": SectionForm(),
        "total_weight": sum(q.weight for s in sections for q in s.questions.all()),
    }
    context.update(extra)
    return context


@login_required
def questionnaire_detail_view(request, pk: int):
    """The builder: the draft's title and introduction, its sections and questions in order."""
    questionnaire = _questionnaire(request.user, pk)
    form = None
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
                    version=form.cleaned_data.get("version") or questionnaire.version,
                    title=form.cleaned_data["title"],
                    intro=form.cleaned_data.get("intro", ""),
                    request=request,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except StaleSurveyData:
                form.add_error(
                    None, _("Someone changed this questionnaire meanwhile; reload the page and try again.")
                )
            else:
                messages.success(request, _("Questionnaire saved."))
                return redirect("surveys:questionnaire", pk=questionnaire.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "surveys/questionnaire_detail.html", _builder_context(questionnaire, form=form))


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
    with reported(request, _("Questionnaire published: rounds may use it now.")):
        services.questionnaire_publish(actor=request.user, questionnaire=questionnaire, request=request)
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
        messages.error(request, _("Give the section a title."))
    else:
        with reported(request, _("Section added.")):
            services.section_add(
                actor=request.user,
                questionnaire=questionnaire,
                title=form.cleaned_data["title"],
                request=request,
            )
    return redirect("surveys:questionnaire", pk=questionnaire.pk)


@login_required
def section_edit_view(request, pk: int):
    section = _section(request.user, pk)
    form = SectionForm(request.POST or None, initial={"title": section.title})
    if request.method == "POST" and form.is_valid():
        try:
            services.section_update(
                actor=request.user, section=section, title=form.cleaned_data["title"], request=request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Section saved."))
            return redirect("surveys:questionnaire", pk=section.questionnaire_id)
    return render(request, "surveys/section_form.html", {"form": form, "section": section})


@login_required
@require_POST
def section_remove_view(request, pk: int):
    section = _section(request.user, pk)
    with reported(request, _("Section removed with its questions.")):
        services.section_delete(actor=request.user, section=section, request=request)
    return redirect("surveys:questionnaire", pk=section.questionnaire_id)


def _moved(request, questionnaire: Questionnaire):
    """After a move: the structure alone for htmx, else the whole builder page."""
    if is_htmx(request):
        questionnaire.refresh_from_db()
        return render(request, "surveys/partials/structure.html", _builder_context(questionnaire))
    return redirect("surveys:questionnaire", pk=questionnaire.pk)


STEPS = {"up": -1, "down": 1}


@login_required
@require_POST
def section_move_view(request, pk: int, direction: str):
    section = _section(request.user, pk)
    if direction not in STEPS:
        raise Http404
    with reported(request):
        services.section_move(actor=request.user, section=section, step=STEPS[direction], request=request)
    return _moved(request, section.questionnaire)


def _question_call(request, form: QuestionForm, call, **target):
    try:
        return call(
            actor=request.user,
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
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


@login_required
def question_add_view(request, pk: int):
    section = _section(request.user, pk)
    form = QuestionForm(request.POST or None)
    saved = request.method == "POST" and form.is_valid()
    if saved and _question_call(request, form, services.question_add, section=section) is not None:
        messages.success(request, _("Question added."))
        return redirect(f"{_builder_url(section.questionnaire_id)}#section-{section.pk}")
    context = {"form": form, "section": section, "questionnaire": section.questionnaire}
    return render(request, "surveys/question_form.html", context)


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
    return render(request, "surveys/question_form.html", context)


@login_required
@require_POST
def question_remove_view(request, pk: int):
    question = _question(request.user, pk)
    with reported(request, _("Question removed.")):
        services.question_delete(actor=request.user, question=question, request=request)
    return redirect("surveys:questionnaire", pk=question.questionnaire_id)


@login_required
@require_POST
def question_move_view(request, pk: int, direction: str):
    question = _question(request.user, pk)
    if direction not in STEPS:
        raise Http404
    with reported(request):
        services.question_move(actor=request.user, question=question, step=STEPS[direction], request=request)
    return _moved(request, question.questionnaire)


def _builder_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("surveys:questionnaire", kwargs={"pk": pk})
