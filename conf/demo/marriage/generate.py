#!/usr/bin/env python3
"""Generates the 婚姻登记 demo data of 柳城县 (office 450222), 2021-01-01..2021-06-30.

A development tool: its output is committed, so nothing runs at demo time.
Run from anywhere:  python3 conf/demo/marriage/generate.py

Importing the files (each row through the kind's `import` action) gives the
figures of the bureau's 2021 half-year report:
    结婚登记 1062 对, 离婚登记 278 对, 补发结婚证 249, 补发离婚证 57.

Every person is synthetic: names are drawn from lists of common characters,
ID numbers from random birth dates and sequence numbers with a correct
GB 11643-1999 check character.  They describe no real person; a number that
happens to coincide with a real one does so by chance.  The generator is
seeded, so the files are the same on every run.
"""

import csv
import datetime as dt
import os
import random

OFFICE = "450222"  # 柳城县
YEAR = 2021
FIRST = dt.date(YEAR, 1, 1)
LAST = dt.date(YEAR, 6, 30)

N_REGISTRATIONS = 1062
N_DIVORCES = 278
N_REISSUED_MARRIAGE = 249
N_REISSUED_DIVORCE = 57
# Replacements for marriages registered in the period itself (lost within
# months): they link to the imported registrations.
N_REISSUED_RECENT = 6

# Home divisions of the parties: mostly 柳城县, then the rest of 柳州市.
DIVISIONS = [
    ("450222", 60),  # 柳城县
    ("450221", 8),   # 柳江县 (before 2016)
    ("450206", 4),   # 柳江区
    ("450202", 4),   # 城中区
    ("450203", 5),   # 鱼峰区
    ("450204", 5),   # 柳南区
    ("450205", 6),   # 柳北区
    ("450223", 3),   # 鹿寨县
    ("450224", 2),   # 融安县
    ("450225", 2),   # 融水苗族自治县
    ("450226", 1),   # 三江侗族自治县
]

SURNAMES = ("韦 覃 黄 莫 蓝 梁 李 陈 廖 罗 潘 吴 刘 谭 卢 何 周 龙 唐 蒙 杨 张 王 赵 银 农 "
            "胡 邓 曾 欧 邹 施 余 甘 闭 苏 石 兰 钟 朱").split()
MALE_CHARS = list("伟强军华建明勇涛斌杰俊峰磊鹏宇浩志刚飞凯辉林文海东波亮晨旭鑫超永")
FEMALE_CHARS = list("丽娟芳燕敏静婷玲红霞艳梅琳莉倩雪娜颖慧佳欣秀兰萍瑶露晶月琴春桂")

# 2021 public holidays and the weekend days worked in their place.
HOLIDAYS = {
    dt.date(2021, 1, 1), dt.date(2021, 1, 2), dt.date(2021, 1, 3),
    *(dt.date(2021, 2, d) for d in range(11, 18)),
    dt.date(2021, 4, 3), dt.date(2021, 4, 4), dt.date(2021, 4, 5),
    *(dt.date(2021, 5, d) for d in range(1, 6)),
    dt.date(2021, 6, 12), dt.date(2021, 6, 13), dt.date(2021, 6, 14),
}
MAKEUP_DAYS = {dt.date(2021, 2, 7), dt.date(2021, 2, 20), dt.date(2021, 4, 25),
               dt.date(2021, 5, 8)}
# Days couples favour (5·20 "我爱你", the day before Valentine's makeup).
POPULAR = {dt.date(2021, 5, 20): 8, dt.date(2021, 2, 10): 4, dt.date(2021, 1, 4): 2}

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check(body):
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def working_days(first, last):
    day = first
    while day <= last:
        if (day.weekday() < 5 and day not in HOLIDAYS) or day in MAKEUP_DAYS:
            yield day
        day += dt.timedelta(days=1)


def spread(rng, n, days):
    """n events over days, weighted, sorted by date."""
    weights = [POPULAR.get(d, 1.0) * rng.uniform(0.6, 1.4) for d in days]
    return sorted(rng.choices(days, weights=weights, k=n))


class People:
    """Draws distinct synthetic people."""

    def __init__(self, rng):
        self.rng = rng
        self.ids = set()
        self.names = set()

    def name(self, male):
        chars = MALE_CHARS if male else FEMALE_CHARS
        while True:
            given = "".join(self.rng.sample(chars, self.rng.choice((1, 2, 2, 2))))
            name = self.rng.choice(SURNAMES) + given
            if (name, male) not in self.names:
                self.names.add((name, male))
                return name

    def person(self, male, on, min_age, max_age):
        rng = self.rng
        while True:
            age = min(max_age, min_age + int(rng.expovariate(1 / 5.0)))
            birth = on - dt.timedelta(days=int(age * 365.25) + rng.randrange(365))
            years = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
            if years < min_age:
                continue
            seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
            division = rng.choices([d for d, _ in DIVISIONS], [w for _, w in DIVISIONS])[0]
            body = f"{division}{birth:%Y%m%d}{seq:03d}"
            number = body + id_check(body)
            if number in self.ids:
                continue
            self.ids.add(number)
            return {"name": self.name(male), "id": number, "birth": birth.isoformat()}


def old_certificate(rng, prefix, used):
    while True:
        division = rng.choices([d for d, _ in DIVISIONS], [w for _, w in DIVISIONS])[0]
        number = f"{prefix}{division}-{rng.randrange(2003, 2021)}-{rng.randrange(1, 3000):06d}"
        if number not in used:
            used.add(number)
            return number


def write(path, fields, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        out.writeheader()
        out.writerows(rows)


def main():
    rng = random.Random(450222_2021)
    here = os.path.dirname(os.path.abspath(__file__))
    people = People(rng)
    days = list(working_days(FIRST, LAST))

    registrations = []
    for seq, day in enumerate(spread(rng, N_REGISTRATIONS, days), start=1):
        man = people.person(True, day, 22, 45)
        woman = people.person(False, day, 20, 40)
        registrations.append({
            "man_name": man["name"], "man_id_number": man["id"], "man_sex": "male",
            "man_birth_date": man["birth"], "man_nationality": "中国", "man_present": 1,
            "woman_name": woman["name"], "woman_id_number": woman["id"],
            "woman_sex": "female", "woman_birth_date": woman["birth"],
            "woman_nationality": "中国", "woman_present": 1,
            "declaration_signed": 1, "accepted_date": day.isoformat(),
            "registration_date": day.isoformat(),
            "certificate_number": f"J{OFFICE}-{YEAR}-{seq:06d}",
            "man_voluntary": 1, "woman_voluntary": 1, "prohibited_kinship": 0,
        })
    write(os.path.join(here, "10-registration.csv"), list(registrations[0]), registrations)

    # Divorces registered in the period: accepted from the first working day
    # of the Civil Code, registered on a working day 31–60 days later.
    used = set()
    divorces = []
    while len(divorces) < N_DIVORCES:
        accepted = rng.choice([d for d in days if d <= LAST - dt.timedelta(days=31)])
        window = [d for d in days
                  if 31 <= (d - accepted).days <= 60 and d <= LAST]
        if not window:
            continue
        registered = rng.choice(window)
        married_on = dt.date(rng.randrange(2003, 2020), rng.randrange(1, 13), 1)
        man = people.person(True, married_on, 22, 40)
        woman = people.person(False, married_on, 20, 36)
        divorces.append({
            "marriage_certificate_number": old_certificate(rng, "J", used),
            "registered_in_mainland": 1,
            "man_name": man["name"], "man_id_number": man["id"],
            "woman_name": woman["name"], "woman_id_number": woman["id"],
            "agreement_present": 1, "man_capacity": 1, "woman_capacity": 1,
            "man_present": 1, "woman_present": 1,
            "accepted_date": accepted.isoformat(), "registration_date": registered.isoformat(),
        })
    divorces.sort(key=lambda r: (r["registration_date"], r["accepted_date"]))
    for seq, row in enumerate(divorces, start=1):
        row["certificate_number"] = f"L{OFFICE}-{YEAR}-{seq:06d}"
    write(os.path.join(here, "20-divorce.csv"), list(divorces[0]), divorces)

    # Replacements: mostly of certificates from before the system (checked
    # against the paper archive), a few of this half-year's own marriages.
    replacements = []
    recent = rng.sample(registrations[:len(registrations) // 2], N_REISSUED_RECENT)
    for reg in recent:
        registered = dt.date.fromisoformat(reg["registration_date"])
        day = rng.choice([d for d in days if d > registered + dt.timedelta(days=30)])
        side = rng.choice(("man", "woman"))
        replacements.append({
            "certificate_type": "marriage", "original_certificate_number": reg["certificate_number"],
            "archive_verified": 0, "applicant_name": reg[f"{side}_name"],
            "applicant_id_number": reg[f"{side}_id_number"], "applicant_present": 1,
            "issue_date": day.isoformat(),
        })
    for kind, prefix, n in (("marriage", "J", N_REISSUED_MARRIAGE - N_REISSUED_RECENT),
                            ("divorce", "L", N_REISSUED_DIVORCE)):
        for day in spread(rng, n, days):
            male = rng.random() < 0.5
            person = people.person(male, day, 25 if male else 23, 60)
            replacements.append({
                "certificate_type": kind,
                "original_certificate_number": old_certificate(rng, prefix, used),
                "archive_verified": 1, "applicant_name": person["name"],
                "applicant_id_number": person["id"], "applicant_present": 1,
                "issue_date": day.isoformat(),
            })
    replacements.sort(key=lambda r: (r["issue_date"], r["certificate_type"]))
    counters = {"marriage": 0, "divorce": 0}
    for row in replacements:
        counters[row["certificate_type"]] += 1
        prefix = "BJ" if row["certificate_type"] == "marriage" else "BL"
        row["accepted_date"] = row["issue_date"]
        row["certificate_number"] = f"{prefix}{OFFICE}-{YEAR}-{counters[row['certificate_type']]:06d}"
    write(os.path.join(here, "30-replacement.csv"), list(replacements[0]), replacements)


if __name__ == "__main__":
    main()
