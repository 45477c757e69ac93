"""Pages: ladder and pay (see urls.py)."""

from django.urls import path

from ..views import ladder

urlpatterns = [
    path("proposals/", ladder.proposals_view, name="ladder-proposals"),
    path("proposals/<int:proposal_id>/decide/", ladder.decide_view, name="ladder-decide"),
    path("pay/", ladder.pay_sheet_view, name="pay-sheet"),
    path("pay/sheet.xlsx", ladder.pay_sheet_download, name="pay-sheet-download"),
    path("career/", ladder.my_career_view, name="my-career"),
    path("career/<int:staff_id>/", ladder.my_career_view, name="career"),
]
