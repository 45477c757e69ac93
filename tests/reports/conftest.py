# The service KPI tests' hand-counted November tickets, shared by the SLA report's tests.
from tests.service.test_kpis import tickets  # noqa: F401
