"""TIMEX3 (TimeML 1.2.1) values: their syntax per ``type``, and whether a value of the right
syntax names a real date, week or time.

The syntax is ISO 8601 with TimeML's extensions (``X`` for unknown digits, seasons, parts of
the day, ``PRESENT_REF`` and the like, and the duration units decade ``DE``, century ``CE``
and millennium ``ML``). A duration states each unit at most once, largest first, as ISO 8601
writes it (``P1Y2M``, ``PT1H30M``; not ``P1D1Y``). A value of the right form may still name
nothing real (``2001-13-45``, ``2001-02-29``, ``T25:99``, week 53 of a 52-week year):
:func:`timex_value_problem` says what."""

from __future__ import annotations

import calendar
import re

_YEAR = r"(?:\d{4}|XXXX)"
_CALENDAR = rf"{_YEAR}(?:-(?:\d{{2}}|XX)(?:-(?:\d{{2}}|XX))?)?"
_COARSE = r"\d{2}|\d{3}"  # century ("20" = 2000-2099), decade ("199" = the 1990s)
_PARTS = rf"{_YEAR}-(?:W\d{{2}}|WXX|SP|SU|FA|WI|Q[1-4]|H[12])(?:-WE)?"
_REF = r"PRESENT_REF|PAST_REF|FUTURE_REF"
_DATE = rf"(?:{_CALENDAR}|{_COARSE}|{_PARTS}|{_REF})"
_TIME = rf"(?:{_CALENDAR})?T(?:\d{{2}}(?::\d{{2}}(?::\d{{2}})?)?|MO|AF|EV|NI|DT)"
_NUMBER = r"(?:\d+(?:\.\d+)?|X+)"
DATE_UNITS = ("ML", "CE", "DE", "Y", "Q", "M", "W", "D")
"""Duration units before ``T``, largest first: millennium, century, decade, year, quarter,
month, week, day."""
TIME_UNITS = ("H", "M", "S")
_DATE_UNITS = "".join(rf"(?:{_NUMBER}{unit})?" for unit in DATE_UNITS)
_TIME_UNITS = "".join(rf"(?:{_NUMBER}{unit})?" for unit in TIME_UNITS)
_DURATION = rf"P(?=[\dXT]){_DATE_UNITS}(?:T(?=[\dX]){_TIME_UNITS})?"

PATTERNS: dict[str, re.Pattern[str]] = {
    "DATE": re.compile(rf"^{_DATE}$"),
    "TIME": re.compile(rf"^{_TIME}$"),
    "DURATION": re.compile(rf"^{_DURATION}$"),
    "SET": re.compile(rf"^(?:{_DURATION}|{_DATE}|{_TIME})$"),
}

EXAMPLES = {
    "DATE": "2001-08-04, 2019-04, 2001, 20 (a century), XXXX-07-19 or PRESENT_REF",
    "TIME": "2024-04-25T10:00 or T10:30",
    "DURATION": "P20D, P3Y, PXY or PT2H (each unit once, largest first)",
    "SET": "P1Y, P1W or XXXX-07-19",
}

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""English month names (not :data:`calendar.month_name`, which follows the locale)."""

_DAY = re.compile(r"^(?P<year>\d{4}|XXXX)-(?P<month>\d{2}|XX)(?:-(?P<day>\d{2}|XX))?(?:T|$)")
_WEEK = re.compile(r"^(?P<year>\d{4}|XXXX)-W(?P<week>\d{2})(?:-WE)?$")
_CLOCK = re.compile(r"T(?P<hour>\d{2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?$")


def timex_value_is_valid(timex_type: str, value: str) -> bool:
    """Whether ``value`` is a TIMEX3 value of ``timex_type`` (unknown types: False)."""
    pattern = PATTERNS.get(timex_type)
    return bool(pattern and pattern.match(value))


def iso_weeks(year: int) -> int:
    """The number of ISO 8601 weeks of ``year``: 53 when it starts on a Thursday, or is a leap
    year starting on a Wednesday; else 52."""

    def weekday_of_dec_31(y: int) -> int:  # 0 = Sunday ... 4 = Thursday (proleptic Gregorian)
        return (y + y // 4 - y // 100 + y // 400) % 7

    return 53 if weekday_of_dec_31(year) == 4 or weekday_of_dec_31(year - 1) == 3 else 52


def _day_problem(year: str, month: str, day: str | None) -> str | None:
    if month != "XX" and not 1 <= int(month) <= 12:
        return f"month {month} does not exist"
    if day is None or day == "XX":
        return None
    if int(day) == 0:
        return "day 00 does not exist"
    if month == "XX":
        return f"no month has {day} days" if int(day) > 31 else None
    name = MONTHS[int(month) - 1]
    if year == "XXXX":
        most = calendar.monthrange(2000, int(month))[1]  # 2000: a leap year
        if int(day) <= most:
            return None
        return f"{name} has at most {most} days" if month == "02" else f"{name} has {most} days"
    days = [31, 29 if calendar.isleap(int(year)) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][int(month) - 1]
    return None if int(day) <= days else f"{name} {year} has {days} days"


def _clock_problem(hour: str, minute: str | None, second: str | None) -> str | None:
    if int(hour) > 24:
        return f"hour {hour} does not exist"
    if int(hour) == 24 and int(minute or 0) + int(second or 0) > 0:
        return "24 is an hour only as 24:00 (the end of a day)"
    if minute is not None and int(minute) > 59:
        return f"minute {minute} does not exist"
    if second is not None and int(second) > 60:  # 60: a leap second
        return f"second {second} does not exist"
    return None


def timex_value_problem(timex_type: str, value: str) -> str | None:
    """Why a TIMEX3 value of the right form (see :func:`timex_value_is_valid`) names no real
    date, week or time, in a few words (``"month 13 does not exist"``); None when it names a
    real one. Unknown fields (``X``) are not checked, and ``XXXX-02-29`` is a real day."""
    if not timex_value_is_valid(timex_type, value) or value.startswith("P") or value.endswith("_REF"):
        return None
    day = _DAY.match(value)
    if day is not None:
        problem = _day_problem(day["year"], day["month"], day["day"])
        if problem is not None:
            return problem
    week = _WEEK.match(value)
    if week is not None:
        number = int(week["week"])
        if number == 0:
            return "week 00 does not exist"
        if number > 53:
            return f"no year has {number} ISO weeks"
        if number == 53 and week["year"] != "XXXX" and iso_weeks(int(week["year"])) == 52:
            return f"{week['year']} has 52 ISO weeks"
    clock = _CLOCK.search(value)
    if clock is not None:
        return _clock_problem(clock["hour"], clock["minute"], clock["second"])
    return None
