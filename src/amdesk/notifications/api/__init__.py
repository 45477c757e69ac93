"""The notification centre's API, under /api/v1/notifications/: the caller's own notifications
(another user's id answers 404), marking them read, his preferences, and his inbox."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.pagination import KeysetPagination
from amdesk.core.params import DateTimeField, IdField, bool_param

from ..inbox import inbox_sections
from ..kinds import KINDS
from ..selectors import access_notification, notifications_for
from ..services import notifications_mark_read, preference_of, preferences_save

TAG = "notifications"


class NotificationPagination(KeysetPagination):
    keys = ("-created_at", "-id")


class NotificationOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Notification"

    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="a code of the notification kinds (see preferences)")
    kind_label = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    url = serializers.CharField()
    created_at = DateTimeField()
    read_at = DateTimeField(allow_null=True)


class MarkedSerializer(serializers.Serializer):
    class Meta:
        ref_name = "NotificationsMarked"

    marked = serializers.IntegerField()


class NotificationListApi(APIView):
    pagination_class = NotificationPagination

    @extend_schema(
        tags=[TAG],
        summary="My notifications",
        description="The caller's own notifications, newest first.",
        parameters=[OpenApiParameter("unread", bool, description="only those not read yet")],
        responses=NotificationOutputSerializer(many=True),
    )
    def get(self, request):
        unread = bool(bool_param(request, "unread"))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            notifications_for(request.user, unread_only=unread), request, view=self
        )
        return paginator.get_paginated_response(NotificationOutputSerializer(page, many=True).data)


class NotificationReadApi(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Mark one of my notifications read",
        operation_id="notification_read",
        request=None,
        responses=NotificationOutputSerializer,
    )
    def post(self, request, pk: int):
        notification = access_notification(request.user, pk)
        notifications_mark_read(actor=request.user, ids=[notification.pk])
        notification.refresh_from_db()
        return Response(NotificationOutputSerializer(notification).data)


class NotificationReadAllApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "NotificationsReadInput"

        ids = serializers.ListField(
            child=IdField(), required=False, help_text="the notifications to mark; all unread when left out"
        )

    @extend_schema(
        tags=[TAG],
        summary="Mark my notifications read",
        operation_id="notifications_read_all",
        request=InputSerializer,
        responses=MarkedSerializer,
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = notifications_mark_read(actor=request.user, ids=data.validated_data.get("ids"))
        return Response({"marked": marked})


class PreferencesKindSerializer(serializers.Serializer):
    class Meta:
        ref_name = "NotificationKindPreference"

    code = serializers.CharField()
    label = serializers.CharField()
    enabled = serializers.BooleanField()


class PreferencesApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "NotificationPreferences"

        kinds = PreferencesKindSerializer(many=True)
        muted_kinds = serializers.ListField(child=serializers.CharField())
        digest = serializers.BooleanField()

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "NotificationPreferencesInput"

        muted_kinds = serializers.ListField(
            child=serializers.CharField(), help_text="codes of the kinds switched off"
        )
        digest = serializers.BooleanField()

    def _out(self, preference):
        muted = list(preference.muted_kinds or [])
        return {
            "kinds": [
                {"code": k.code, "label": str(k.label), "enabled": k.code not in muted}
                for k in KINDS.values()
            ],
            "muted_kinds": muted,
            "digest": preference.digest,
        }

    @extend_schema(tags=[TAG], summary="My notification preferences", responses=OutputSerializer)
    def get(self, request):
        return Response(self._out(preference_of(request.user)))

    @extend_schema(
        tags=[TAG],
        summary="Change my notification preferences",
        request=InputSerializer,
        responses=OutputSerializer,
    )
    def put(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preference = preferences_save(actor=request.user, **data.validated_data)
        return Response(self._out(preference))


class InboxItemSerializer(serializers.Serializer):
    class Meta:
        ref_name = "InboxItem"

    title = serializers.CharField()
    url = serializers.CharField()
    due = serializers.CharField(allow_null=True, help_text="a date or date-time (ISO 8601)")
    overdue = serializers.BooleanField()
    who = serializers.CharField()


class InboxSectionSerializer(serializers.Serializer):
    class Meta:
        ref_name = "InboxSection"

    code = serializers.CharField()
    label = serializers.CharField()
    group = serializers.CharField()
    count = serializers.IntegerField()
    items = InboxItemSerializer(many=True)


class InboxApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "Inbox"

        total = serializers.IntegerField()
        sections = InboxSectionSerializer(many=True)

    @extend_schema(
        tags=[TAG],
        summary="My inbox",
        description="Everything waiting for the caller's action, per source: the count and the first "
        "few items (title, url, due, overdue, who).",
        responses=OutputSerializer,
    )
    def get(self, request):
        sections = inbox_sections(request.user, today=timezone.localdate(), limit=5)
        return Response(
            {
                "total": sum(s.count for s in sections),
                "sections": [
                    {
                        "code": s.code,
                        "label": s.label,
                        "group": s.group,
                        "count": s.count,
                        "items": [
                            {
                                "title": item.title,
                                "url": item.url,
                                "due": item.due.isoformat() if item.due else None,
                                "overdue": item.overdue,
                                "who": item.who,
                            }
                            for item in s.items
                        ],
                    }
                    for s in sections
                ],
            }
        )
