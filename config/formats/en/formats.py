# English dates as Attune writes them (config/formats/__init__.py): day before month, 24-hour times.
DATETIME_FORMAT = "l j F Y, H:i"  # Friday 10 May 2030, 18:00
SHORT_DATETIME_FORMAT = "D j M Y, H:i"  # Fri 10 May 2030, 18:00
DATE_FORMAT = "j F Y"  # 10 May 2030
SHORT_DATE_FORMAT = "j M Y"  # 10 May 2030
MONTH_DAY_FORMAT = "D j M"  # Sat 11 May
TIME_FORMAT = "H:i"  # 18:00
