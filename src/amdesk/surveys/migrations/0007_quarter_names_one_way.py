"""Rounds named by the old default ("2026 年第四季度客户满意度调查") take the one way a quarter is written
(「2026年第4季度客户满意度调查」); names an operator typed himself are left as they are."""

import re

from django.db import migrations

OLD = re.compile(r"^(\d{4}) 年第([一二三四])季度客户满意度调查$")
NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4}


def rename(apps, schema_editor):
    SurveyRound = apps.get_model("surveys", "SurveyRound")
    for survey_round in SurveyRound.objects.filter(name__contains=" 年第").only("pk", "name"):
        match = OLD.match(survey_round.name)
        if match:
            year, quarter = match.group(1), NUMBERS[match.group(2)]
            survey_round.name = f"{year}年第{quarter}季度客户满意度调查"
            survey_round.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0006_free_text_limit")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
