from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.params import DateField, filter_parameters

from .access import access_staff
from .selectors import StaffFilter, org_node_list, staff_list, staff_phone_for


def node_ref(node) -> dict | None:
    return {"id": node.pk, "code": node.code, "name": node.name} if node else None


def staff_ref(staff) -> dict | None:
    return {"id": staff.pk, "name": staff.full_name, "employee_no": staff.employee_no} if staff else None


class StaffOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Staff"

    id = serializers.IntegerField()
    username = serializers.CharField()
    employee_no = serializers.CharField()
    name = serializers.CharField(source="full_name")
    phone = serializers.SerializerMethodField(
        help_text="masked unless the caller is this person or may see personal data"
    )
    status = serializers.CharField()
    hire_date = DateField(allow_null=True)
    org_node = serializers.SerializerMethodField()
    supervisor = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    ladder_grade = serializers.SerializerMethodField()

    def get_phone(self, staff) -> str:
        request = self.context.get("request")
        return staff_phone_for(viewer=getattr(request, "user", None), staff=staff)

    def get_org_node(self, staff) -> dict | None:
        return node_ref(staff.org_node)

    def get_supervisor(self, staff) -> dict | None:
        return staff_ref(staff.supervisor)

    def get_roles(self, staff) -> list[dict]:
        return [{"code": role.code, "name": role.label} for role in staff.roles.all()]

    def get_ladder_grade(self, staff) -> dict | None:
        grade = staff.grade
        return {"code": grade.code, "name": grade.label, "tier": grade.tier} if grade else None


# The filters as the client list publishes them: the role's codes listed from the database.
@extend_schema_view(get=extend_schema(parameters=filter_parameters(StaffFilter)))
class StaffListApi(ListAPIView):
    """Staff the caller may see: himself; everyone under the nodes he leads; everyone for admins."""

    serializer_class = StaffOutputSerializer
    filterset_class = StaffFilter

    def get_queryset(self):
        return staff_list(viewer=self.request.user)


class StaffDetailApi(APIView):
    @extend_schema(responses=StaffOutputSerializer)
    def get(self, request, pk: int):
        staff = access_staff(request.user, pk)
        return Response(StaffOutputSerializer(staff, context={"request": request}).data)


class OrgNodeListApi(ListAPIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "OrgNode"

        id = serializers.IntegerField()
        code = serializers.CharField()
        name = serializers.CharField()
        parent = serializers.IntegerField(source="parent_id", allow_null=True)
        depth = serializers.IntegerField()
        leader = serializers.IntegerField(source="leader_id", allow_null=True)
        active_staff = serializers.IntegerField()

    serializer_class = OutputSerializer
    filter_backends = []

    def get_queryset(self):
        return org_node_list(viewer=self.request.user)
