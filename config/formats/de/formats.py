# German dates as Attune writes them (config/formats/__init__.py).
DATETIME_FORMAT = "l, j. F Y, H:i"  # Freitag, 10. Mai 2030, 18:00
SHORT_DATETIME_FORMAT = "D, d.m.Y, H:i"  # Fr, 10.05.2030, 18:00
DATE_FORMAT = "j. F Y"  # 10. Mai 2030
SHORT_DATE_FORMAT = "d.m.Y"  # 10.05.2030
MONTH_DAY_FORMAT = "D, d.m."  # Sa, 11.05.
TIME_FORMAT = "H:i"  # 18:00
