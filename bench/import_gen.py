#!/usr/bin/env python3
"""Writes a 10,000-task (or N) plan as MS Project XML and as CSV for
bench/import.sh: summary tasks of 50 tasks, each task linked to one or two
earlier tasks (FS, some SS/FF with lags), a calendar with holidays."""
import random, sys
n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
out = sys.argv[2] if len(sys.argv) > 2 else "."
rng = random.Random(1)
links = {}
for t in range(1, n + 1):
    k = t % 50
    preds = []
    if k > 1:
        preds.append((t - 1, 1, 0))
    if k > 5 and rng.random() < 0.3:
        preds.append((t - rng.randint(2, 5), rng.choice([1, 3, 0]), rng.randint(-1, 3)))
    links[t] = preds
xml = ['<?xml version="1.0" encoding="UTF-8"?>\n<Project xmlns="http://schemas.microsoft.com/project">\n<Title>Bench</Title>\n<StartDate>2027-01-04T08:00:00</StartDate>\n<StatusDate>2027-02-01T17:00:00</StatusDate>\n<CalendarUID>1</CalendarUID>\n<MinutesPerDay>480</MinutesPerDay>\n<Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar><WeekDays>']
for d in range(1, 8):
    xml.append(f'<WeekDay><DayType>{d}</DayType><DayWorking>{0 if d in (1, 7) else 1}</DayWorking></WeekDay>')
xml.append('</WeekDays><Exceptions><Exception><TimePeriod><FromDate>2027-05-31T00:00:00</FromDate><ToDate>2027-05-31T23:59:00</ToDate></TimePeriod><DayWorking>0</DayWorking></Exception></Exceptions></Calendar></Calendars>\n<Tasks>\n')
csv = ["ID,Task,Team,Section,Predecessors,Duration,% Complete\n"]
uid = 100000
for t in range(1, n + 1):
    if t % 50 == 1:
        uid += 1
        xml.append(f'<Task><UID>{uid}</UID><Name>Area {t // 50}</Name><OutlineLevel>1</OutlineLevel><Summary>1</Summary></Task>\n')
    dur = rng.randint(1, 10)
    pct = rng.choice([0, 0, 0, 50, 100])
    xml.append(f'<Task><UID>{t}</UID><Name>Task {t}</Name><OutlineLevel>2</OutlineLevel><Duration>PT{dur * 8}H0M0S</Duration><PercentComplete>{pct}</PercentComplete>')
    for (p, ty, lag) in links[t]:
        xml.append(f'<PredecessorLink><PredecessorUID>{p}</PredecessorUID><Type>{ty}</Type><LinkLag>{lag * 4800}</LinkLag><LagFormat>7</LagFormat></PredecessorLink>')
    xml.append('</Task>\n')
    abbr = {1: "FS", 3: "SS", 0: "FF"}
    preds = ";".join(f"{p}{abbr[ty]}{lag:+d}d" if (ty, lag) != (1, 0) else str(p) for (p, ty, lag) in links[t])
    csv.append(f'{t},Task {t},Team {t % 7},Area {t // 50},"{preds}",{dur}d,{pct}%\n')
xml.append('</Tasks>\n</Project>\n')
open(f"{out}/plan.xml", "w").write("".join(xml))
open(f"{out}/plan.csv", "w").write("".join(csv))
