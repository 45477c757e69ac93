"""What a new user meets on the planning pages."""

from tests.planning.test_followups import _plan


def test_the_follow_up_list_names_its_date_column_not_next_page(account_manager, client_for):
    _plan(account_manager)
    page = client_for(account_manager).get("/planning/followups/").content.decode()
    head = page.split('data-testid="followup-table"', 1)[1].split("</thead>", 1)[0]
    assert "下次行动日期" in head and "下一页" not in head
