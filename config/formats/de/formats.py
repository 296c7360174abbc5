# German dates as Attune writes them (config/formats/__init__.py).

# Django's names, for pages (|date:"DATETIME_FORMAT") and workshops/dates.py alike.
DATETIME_FORMAT = "l, j. F Y, H:i"  # Freitag, 10. Mai 2030, 18:00
SHORT_DATETIME_FORMAT = "D, d.m.Y, H:i"  # Fr, 10.05.2030, 18:00
DATE_FORMAT = "j. F Y"  # 10. Mai 2030
SHORT_DATE_FORMAT = "d.m.Y"  # 10.05.2030
MONTH_DAY_FORMAT = "D, d.m."  # Sa, 11.05.
TIME_FORMAT = "H:i"  # 18:00

# Attune's own names, read through workshops/dates.py.
DAY_AND_TIME_FORMAT = "j. F Y, H:i"  # 10. Mai 2030, 18:00
SHORT_DAY_AND_TIME_FORMAT = "j. M Y, H:i"  # 10. Mai 2030, 18:00
SHORT_WEEKDAY_AND_TIME_FORMAT = "D, j. M Y, H:i"  # Fr, 10. Mai 2030, 18:00
NUMERIC_DATETIME_FORMAT = "d.m.Y, H:i"  # 10.05.2030, 18:00
NUMERIC_DATE_FORMAT = "d.m.Y"  # 10.05.2030
