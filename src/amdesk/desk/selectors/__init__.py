from .desk import Desk, desk_chart, desk_for
from .person import access_person, person_chart, person_page

__all__ = ["Desk", "access_person", "desk_chart", "desk_for", "person_chart", "person_page"]
