"""Admin pages of the survey capability: the settings (one row, audited), questionnaires with their
sections and questions (editable while a draft), rounds, and a read-only look at improvement actions.

Questionnaires are normally built on the builder pages; the admin is for operators. A published
edition is read-only here too: change it by copying it (the builder's "new edition").
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from .models import (
    ImprovementAction,
    Option,
    Question,
    Questionnaire,
    Section,
    SurveyInvitation,
    SurveyRound,
    SurveySettings,
)
from .services import survey_round_close, survey_round_open


def _changes(form) -> dict[str, str]:
    return {field: str(form.cleaned_data.get(field)) for field in form.changed_data}


@admin.register(SurveySettings)
class SurveySettingsAdmin(admin.ModelAdmin):
    """One row: the list page goes straight to it, and it can be neither added twice nor deleted."""

    def has_add_permission(self, request):
        return not SurveySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        current = SurveySettings.current()
        return redirect(reverse("admin:surveys_surveysettings_change", args=[current.pk]))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            event=AuditEvent.SURVEY_SETTINGS_CHANGED,
            actor=request.user,
            request=request,
            detail=_changes(form),
        )


class _DraftOnly:
    """Inlines and pages that change a questionnaire only while it is a draft."""

    def _draft(self, obj) -> bool:
        questionnaire = obj if isinstance(obj, Questionnaire) else getattr(obj, "questionnaire", None)
        return questionnaire is None or questionnaire.state == Questionnaire.State.DRAFT

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._draft(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._draft(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._draft(obj)


class SectionInline(_DraftOnly, admin.TabularInline):
    model = Section
    extra = 0
    fields = ["order", "title"]


class QuestionInline(_DraftOnly, admin.TabularInline):
    model = Question
    extra = 0
    fields = ["section", "order", "text", "kind", "required", "weight", "dimension"]
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            questionnaire_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(questionnaire_id=questionnaire_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Questionnaire)
class QuestionnaireAdmin(_DraftOnly, admin.ModelAdmin):
    list_display = ["title", "code", "edition", "state", "published_at"]
    list_filter = ["state"]
    search_fields = ["title", "code"]
    fields = ["code", "edition", "title", "intro", "state", "published_at", "copied_from"]
    readonly_fields = ["state", "published_at", "copied_from"]
    inlines = [SectionInline, QuestionInline]

    def has_add_permission(self, request, obj=None):
        return admin.ModelAdmin.has_add_permission(self, request)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = [formset.model._meta.model_name for formset in formsets if formset.has_changed()]
        audit_record(
            event=AuditEvent.QUESTIONNAIRE_CHANGED,
            actor=request.user,
            request=request,
            target=form.instance,
            detail={"action": "admin", "fields": _changes(form), "inlines": changed},
        )


class OptionInline(_DraftOnly, admin.TabularInline):
    model = Option
    extra = 0
    fields = ["order", "label", "score"]

    def _draft(self, obj) -> bool:
        return obj is None or obj.questionnaire.state == Questionnaire.State.DRAFT


@admin.register(Question)
class QuestionAdmin(_DraftOnly, admin.ModelAdmin):
    """Reached from a questionnaire's question list, for the options of a choice question."""

    list_display = ["text", "questionnaire", "kind", "weight", "required"]
    list_filter = ["kind"]
    list_select_related = ["questionnaire"]
    search_fields = ["text"]
    fields = [
        "questionnaire",
        "section",
        "order",
        "text",
        "help_text",
        "kind",
        "required",
        "weight",
        "dimension",
    ]
    readonly_fields = ["questionnaire"]
    inlines = [OptionInline]

    def has_add_permission(self, request, obj=None):
        return False  # questions are added on their questionnaire

    def has_module_permission(self, request):
        return False  # not in the index: reached from the questionnaire

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            question = Question.objects.filter(pk=request.resolver_match.kwargs.get("object_id") or 0).first()
            kwargs["queryset"] = Section.objects.filter(
                questionnaire_id=question.questionnaire_id if question else 0
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        audit_record(
            event=AuditEvent.QUESTIONNAIRE_CHANGED,
            actor=request.user,
            request=request,
            target=form.instance.questionnaire,
            detail={"action": "admin_question", "question": form.instance.pk, "fields": _changes(form)},
        )


@admin.register(SurveyRound)
class SurveyRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "questionnaire", "state", "target", "opens_on", "closes_on", "org_node"]
    list_filter = ["state", "target"]
    list_select_related = ["questionnaire", "org_node"]
    search_fields = ["name"]
    date_hierarchy = "period_start"
    fields = [
        "name",
        "questionnaire",
        "period_start",
        "period_end",
        "opens_on",
        "closes_on",
        "target",
        "sample_size",
        "sample_seed",
        "org_node",
        "state",
        "opened_at",
        "closed_at",
    ]
    readonly_fields = ["state", "opened_at", "closed_at"]
    raw_id_fields = ["org_node"]
    actions = ["open_rounds", "close_rounds"]

    def has_change_permission(self, request, obj=None):
        # Opened rounds keep the targeting they were opened with.
        return super().has_change_permission(request, obj) and (
            obj is None or obj.state == SurveyRound.State.DRAFT
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.state == SurveyRound.State.DRAFT
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "questionnaire":
            kwargs["queryset"] = Questionnaire.objects.filter(state=Questionnaire.State.PUBLISHED)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        audit_record(
            event=AuditEvent.SURVEY_ROUND_CHANGED,
            actor=request.user,
            request=request,
            target=obj,
            detail={"action": "admin", "fields": _changes(form)},
        )

    def _run(self, request, queryset, service, done: str):
        for survey_round in queryset:
            try:
                service(actor=request.user, survey_round=survey_round, request=request)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(
                    request,
                    f"{survey_round}: {' '.join(getattr(error, 'messages', [str(error)]))}",
                    messages.ERROR,
                )
            else:
                self.message_user(request, f"{survey_round}: {done}", messages.SUCCESS)

    @admin.action(description=_("Open the selected rounds"))
    def open_rounds(self, request, queryset):
        self._run(request, queryset, survey_round_open, _("opened"))

    @admin.action(description=_("Close the selected rounds"))
    def close_rounds(self, request, queryset):
        self._run(request, queryset, survey_round_close, _("closed"))


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(_ReadOnly, admin.ModelAdmin):
    """Read only: invitations are made by opening a round and answered on the survey pages."""

    list_display = ["client", "round", "owner", "org_node", "state", "channel", "answered_at"]
    list_filter = ["state", "channel", "round"]
    list_select_related = ["client", "round", "owner", "org_node"]
    search_fields = ["client__name"]
    exclude = ["token_hash"]


@admin.register(ImprovementAction)
class ImprovementActionAdmin(_ReadOnly, admin.ModelAdmin):
    """Read only: recorded by the account manager and reviewed by the supervisor on the survey pages."""

    list_display = ["owner", "round", "index", "threshold", "responses", "state", "due_on", "reviewed_by"]
    list_filter = ["state", "round"]
    list_select_related = ["owner", "round", "reviewed_by"]
    search_fields = ["owner__full_name", "analysis", "measures"]
