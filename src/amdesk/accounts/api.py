from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.access import access_staff
from amdesk.orgs.api import StaffOutputSerializer

from .authentication import token_expired
from .forms import SignInForm


class TokenApi(APIView):
    """Exchange a username and password for an API token. Five failures in a row lock the account."""

    authentication_classes = []
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TokenRequest"

        username = serializers.CharField()
        password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "Token"

        token = serializers.CharField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer, auth=[])
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The plain HttpRequest: django-axes keeps its lockout flags on it for its middleware.
        user = authenticate(request._request, **data.validated_data)
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": [SignInForm.error_messages["invalid_login"]]}, code="authorization"
            )
        token, _created = Token.objects.get_or_create(user=user)
        if token_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
        audit_record(event=AuditEvent.TOKEN_ISSUED, actor=user, request=request._request)
        return Response(self.OutputSerializer({"token": token.key}).data)


class MeApi(APIView):
    """The caller: username, name, employee number, roles, org node, ladder grade and profile."""

    @extend_schema(responses=StaffOutputSerializer)
    def get(self, request):
        return Response(StaffOutputSerializer(access_staff(request.user, request.user.pk)).data)
