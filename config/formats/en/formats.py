# English dates as Attune writes them (config/formats/__init__.py): day before month, 24-hour times.

# Django's names, for pages (|date:"DATETIME_FORMAT") and workshops/dates.py alike.
DATETIME_FORMAT = "l j F Y, H:i"  # Friday 10 May 2030, 18:00
SHORT_DATETIME_FORMAT = "D j M Y, H:i"  # Fri 10 May 2030, 18:00
DATE_FORMAT = "j F Y"  # 10 May 2030
SHORT_DATE_FORMAT = "j M Y"  # 10 May 2030
MONTH_DAY_FORMAT = "D j M"  # Sat 11 May
TIME_FORMAT = "H:i"  # 18:00

# Attune's own names, read through workshops/dates.py.
DAY_AND_TIME_FORMAT = "j F Y, H:i"  # 10 May 2030, 18:00
SHORT_DAY_AND_TIME_FORMAT = "j M Y, H:i"  # 10 May 2030, 18:00
SHORT_WEEKDAY_AND_TIME_FORMAT = "D j M Y, H:i"  # Fri 10 May 2030, 18:00
NUMERIC_DATETIME_FORMAT = "Y-m-d H:i"  # 2030-05-10 18:00
NUMERIC_DATE_FORMAT = "Y-m-d"  # 2030-05-10
