"""Reads of the org tree that other capabilities share."""

import pytest
from django.core.exceptions import ValidationError

from amdesk.orgs.models import OrgLevel
from amdesk.orgs.selectors import branch_level


def test_one_org_level_is_the_branch_level_of_the_reports(db):
    OrgLevel.objects.update_or_create(depth=1, defaults={"name": "分行"})
    assert branch_level() == (1, "分行")  # none marked: the level below the head office
    OrgLevel.objects.update_or_create(depth=2, defaults={"name": "支行", "reports_as_branch": True})
    assert branch_level() == (2, "支行")
    second = OrgLevel(depth=3, name="网点", reports_as_branch=True)
    with pytest.raises(ValidationError):
        second.full_clean()
