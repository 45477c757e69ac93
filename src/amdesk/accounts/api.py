from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.orgs.access import access_staff
from amdesk.orgs.api import StaffOutputSerializer

from .forms import PASSWORD_MAX_LENGTH, SignInForm
from .selectors import access_api_token, api_token_list
from .services import api_token_issue, api_token_revoke
from .throttle import sign_in_wait, throttled_message


class SignInThrottled(Throttled):
    """429 with Retry-After and our own message (DRF's would append an untranslated English sentence)."""

    def __init__(self, wait: int):
        super().__init__(detail=throttled_message(wait))
        self.wait = wait


class TokenApi(APIView):
    """Exchange a username and password for a new API token, shown this once (only its hash is kept).
    Five failures in a row lock the account; too many failures from one address answer 429."""

    authentication_classes = []
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TokenRequest"

        username = serializers.CharField(max_length=150)
        password = serializers.CharField(
            max_length=PASSWORD_MAX_LENGTH, style={"input_type": "password"}, trim_whitespace=False
        )
        name = serializers.CharField(
            max_length=60,
            required=False,
            allow_blank=True,
            help_text="what the token is for, to recognise it later",
        )

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "Token"

        token = serializers.CharField(help_text="the key: send it as `Authorization: Token <key>`")
        id = serializers.IntegerField()
        expires_at = serializers.DateTimeField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer, auth=[])
    def post(self, request):
        wait = sign_in_wait(request._request)
        if wait:
            raise SignInThrottled(wait)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        credentials = {key: data.validated_data[key] for key in ("username", "password")}
        # The plain HttpRequest: django-axes keeps its lockout flags on it for its middleware.
        user = authenticate(request._request, **credentials)
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": [SignInForm.error_messages["invalid_login"]]}, code="authorization"
            )
        token, key = api_token_issue(
            user=user, name=data.validated_data.get("name", ""), request=request._request
        )
        return Response(
            self.OutputSerializer({"token": key, "id": token.pk, "expires_at": token.expires_at}).data
        )


class TokenOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ApiToken"

    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="the key's first characters")
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    current = serializers.SerializerMethodField(help_text="the token of this request")

    def get_current(self, token) -> bool:
        request = self.context.get("request")
        return bool(request is not None and getattr(request.auth, "pk", None) == token.pk)


class TokenListApi(ListAPIView):
    """The caller's own live API tokens (never anyone else's, never a key)."""

    serializer_class = TokenOutputSerializer
    filter_backends = []

    def get_queryset(self):
        return api_token_list(viewer=self.request.user)


class TokenDetailApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        """Revoke one of the caller's own tokens (404 for anyone else's)."""
        api_token_revoke(
            actor=request.user, token=access_api_token(request.user, pk), request=request._request
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    """The caller: username, name, employee number, roles, org node, ladder grade and profile."""

    @extend_schema(responses=StaffOutputSerializer)
    def get(self, request):
        staff = access_staff(request.user, request.user.pk)
        return Response(StaffOutputSerializer(staff, context={"request": request}).data)
