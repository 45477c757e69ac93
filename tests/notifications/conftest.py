from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

# A Tuesday morning in Shanghai, a working day.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
