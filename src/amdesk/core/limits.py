"""The bounds every input is held to, in one place: ids and whole numbers the database can store,
dates the calendar arithmetic can reach, and the length of free text.

Past these an input is refused with a 400 naming the field, never stored and never passed to SQL or
to `date` arithmetic (which raise and answer 500). The text lengths are what a person writes in one
field of a form, with room to spare; a longer text is a paste gone wrong or an attack.
"""

from datetime import date

# Primary keys are 64-bit integers (bigint on PostgreSQL, INTEGER on SQLite).
ID_MAX = 2**63 - 1

# Dates an API parameter or a field may take: wide enough for birth dates and long plans, far enough
# from date.min/date.max that a week, a month or a year of arithmetic around them stays in range.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2199, 12, 31)

# Free text, in characters.
NAME_MAX = 200  # names, titles, subjects, short reasons
TEXT_MAX = 2000  # notes, opinions, descriptions, comments
