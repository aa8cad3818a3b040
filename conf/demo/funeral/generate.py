#!/usr/bin/env python3
"""Generates application.csv: synthetic 殡葬减免 cases of 柳城县民政局
(office 450222) for 2021 H1, to be brought in with the plugin's `import`
action (historical cases, approved and paid).

Everything is invented: names are drawn from common characters, ID numbers
are built with valid GB 11643-1999 check characters for 4502xx divisions,
certificate numbers follow no real series.  Amounts are in fen and stay
under the caps of conf/minzheng.conf [plugin.funeral] (遗体接运 300 元,
遗体冷藏 200 元, 火化 600 元, 骨灰寄存 100 元, 1200 元 per case).

The output is deterministic (fixed seed):

    python3 conf/demo/funeral/generate.py > conf/demo/funeral/application.csv
"""

import csv
import datetime
import random
import sys

SEED = 450222
CASES = 126

# 柳州市 districts and counties (GB/T 2260), 柳城县 weighted most.
DIVISIONS = ["450222"] * 8 + ["450202", "450203", "450204", "450205", "450206", "450223"]
# Towns of 柳城县 are not division codes of their own; the household
# division of a 柳城 resident is the county's.
HOUSEHOLD = "450222"

CATEGORIES = ["dibao"] * 11 + ["tekun"] * 6 + ["youfu"] * 2 + ["unidentified"]
SURNAMES = "韦覃黄蓝莫梁廖陈李罗潘吴谢蒙卢周"
GIVEN = "秀兰桂英明华志强玉凤建国德福美丽春梅永金海燕文光荣"
RELATIONS = ["子", "女", "配偶", "孙子", "兄弟", "侄子"]
HOMES = ["柳州市殡仪馆"] * 5 + ["柳州市柳江区殡仪馆"]

CAPS = {"transport": 30000, "cold_storage": 20000, "cremation": 60000, "ash_storage": 10000}
# Typical charges in 元 (low, high) at 2021 prices.
CHARGES = {"transport": (180, 380), "cold_storage": (40, 260), "cremation": (480, 680),
           "ash_storage": (0, 150)}

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def id_number(rng, division, birth, male):
    seq = rng.randrange(0, 50) * 2 + (1 if male else 0)
    seq = max(seq, 2 if not male else 1)
    body = f"{division}{birth:%Y%m%d}{rng.randrange(0, 10)}{seq:02d}"
    total = sum(int(c) * w for c, w in zip(body, WEIGHTS))
    return body + CHECK[total % 11]


def name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def main():
    rng = random.Random(SEED)
    fields = ["deceased_name", "deceased_id", "deceased_sex", "death_date", "household_division",
              "death_certificate_no", "cremation_certificate_no", "funeral_home", "category",
              "policy_grant", "applicant_name", "applicant_id", "applicant_relation",
              "applicant_phone", "claim_transport", "claim_cold_storage", "claim_cremation",
              "claim_ash_storage", "previous_case_number", "submitted_on", "approved_on",
              "approved_transport", "approved_cold_storage", "approved_cremation",
              "approved_ash_storage", "payment_reference", "payment_date", "payment_amount"]
    out = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
    out.writeheader()
    start = datetime.date(2020, 12, 20)
    for n in range(1, CASES + 1):
        category = rng.choice(CATEGORIES)
        death = start + datetime.timedelta(days=rng.randrange(0, 180))
        submitted = death + datetime.timedelta(days=rng.randrange(1, 8))
        approved = submitted + datetime.timedelta(days=rng.randrange(2, 12))
        paid = approved + datetime.timedelta(days=rng.randrange(0, 9))
        male = rng.random() < 0.55
        row = {
            "death_date": death.isoformat(),
            "death_certificate_no": f"Q{450222}{death:%y}{n:05d}",
            "cremation_certificate_no": f"HH{death:%Y}{rng.randrange(100, 999)}{n:04d}",
            "funeral_home": rng.choice(HOMES),
            "category": category,
            "policy_grant": "false",
            "previous_case_number": f"LCMZ-BZ-{submitted:%Y}-{n:04d}",
            "submitted_on": submitted.isoformat(),
            "approved_on": approved.isoformat(),
            "payment_reference": f"LCCZ{paid:%Y%m%d}{n:04d}",
            "payment_date": paid.isoformat(),
        }
        if category == "unidentified":
            row.update(deceased_name="无名氏", deceased_id="", deceased_sex="male" if male else "unknown",
                       household_division="", applicant_name="柳城县公安局", applicant_id="",
                       applicant_relation="公安机关", applicant_phone="0772-7612110")
        else:
            age = rng.randrange(45, 96)
            birth = datetime.date(death.year - age, rng.randrange(1, 13), rng.randrange(1, 29))
            child_birth = datetime.date(birth.year + rng.randrange(20, 35), rng.randrange(1, 13),
                                        rng.randrange(1, 29))
            row.update(deceased_name=name(rng),
                       deceased_id=id_number(rng, rng.choice(DIVISIONS), birth, male),
                       deceased_sex="male" if male else "female",
                       household_division=HOUSEHOLD,
                       applicant_name=name(rng),
                       applicant_id=id_number(rng, "450222", child_birth, rng.random() < 0.5),
                       applicant_relation=rng.choice(RELATIONS),
                       applicant_phone=f"1{rng.choice(['38', '39', '58', '77', '80'])}0772{rng.randrange(0, 10000):04d}")
        total = 0
        for item, (low, high) in CHARGES.items():
            claim = rng.randrange(low, high + 1) * 100
            if item == "cold_storage" and rng.random() < 0.3:
                claim = 0
            granted = min(claim, CAPS[item])
            row["claim_" + item] = claim
            row["approved_" + item] = granted
            total += granted
        row["payment_amount"] = total
        out.writerow(row)


if __name__ == "__main__":
    main()
