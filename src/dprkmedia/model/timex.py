"""TIMEX3 (TimeML 1.2.1) value syntax, per ``type``."""

from __future__ import annotations

import re

_YEAR = r"(?:\d{4}|XXXX)"
_CALENDAR = rf"{_YEAR}(?:-(?:\d{{2}}|XX)(?:-(?:\d{{2}}|XX))?)?"
_COARSE = r"\d{2}|\d{3}"  # century ("20" = 2000-2099), decade ("199" = the 1990s)
_PARTS = rf"{_YEAR}-(?:W\d{{2}}|WXX|SP|SU|FA|WI|Q[1-4]|H[12])(?:-WE)?"
_REF = r"PRESENT_REF|PAST_REF|FUTURE_REF"
_DATE = rf"(?:{_CALENDAR}|{_COARSE}|{_PARTS}|{_REF})"
_TIME = rf"(?:{_CALENDAR})?T(?:\d{{2}}(?::\d{{2}}(?::\d{{2}})?)?|MO|AF|EV|NI|DT)"
_NUMBER = r"(?:\d+(?:\.\d+)?|X+)"
_DURATION = rf"P(?:(?:{_NUMBER}(?:Y|M|W|D|DE|CE|ML|Q|H))+(?:T(?:{_NUMBER}[HMS])+)?|T(?:{_NUMBER}[HMS])+)"

PATTERNS: dict[str, re.Pattern[str]] = {
    "DATE": re.compile(rf"^{_DATE}$"),
    "TIME": re.compile(rf"^{_TIME}$"),
    "DURATION": re.compile(rf"^{_DURATION}$"),
    "SET": re.compile(rf"^(?:{_DURATION}|{_DATE}|{_TIME})$"),
}

EXAMPLES = {
    "DATE": "2001-08-04, 2019-04, 2001, 20 (a century), XXXX-07-19 or PRESENT_REF",
    "TIME": "2024-04-25T10:00 or T10:30",
    "DURATION": "P20D, P3Y, PXY or PT2H",
    "SET": "P1Y, P1W or XXXX-07-19",
}


def timex_value_is_valid(timex_type: str, value: str) -> bool:
    """Whether ``value`` is a TIMEX3 value of ``timex_type`` (unknown types: False)."""
    pattern = PATTERNS.get(timex_type)
    return bool(pattern and pattern.match(value))
