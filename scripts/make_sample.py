"""Write the sample import file committed at dangvu/orgs/samples/ (run after changing the format)."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
import django  # noqa: E402

django.setup()
from dangvu.orgs.imports import build_template  # noqa: E402

UNITS = [
    ["TQ-0001-M01", "Chi bộ thôn Khuổi Nấng", "Chi bộ", "TQ-0001", "Không", "", "01/07/2025"],
    ["TQ-0001-M02", "Chi bộ Trường Mầm non Hùng An", "Chi bộ", "TQ-0001", "Có", "", "01/07/2025"],
]
MEMBERS = [
    ["Nguyễn Văn An", "12/03/1978", "Nam", "19/05/2001", "19/05/2002", "Chính thức", "", "0912345678", "", "TQ-0001-M01"],
    ["Hoàng Thị Bích", "02/09/1985", "Nữ", "03/02/2010", "03/02/2011", "Chính thức", "", "", "", "TQ-0001-M01"],
    ["Ma Văn Cường", "20/11/1990", "Nam", "07/11/2016", "07/11/2017", "Chính thức", "", "", "", "TQ-0001-M01"],
    ["Lý Thị Hòa", "15/06/1999", "Nữ", "26/03/2025", "", "Dự bị", "", "", "", "TQ-0001-M01"],
    ["Trần Thị Thu Hương", "08/08/1982", "Nữ", "19/12/2008", "19/12/2009", "Chính thức", "", "",
     "huong.mnhungan@example.vn", "TQ-0001-M02"],
    ["Nông Văn Đức", "30/04/1975", "Nam", "22/12/1998", "22/12/1999", "Chính thức", "", "", "", "TQ-0001-M02"],
]
CANDIDATES = [
    ["Hoàng Văn Dũng", "14/02/2003", "Nam", "Đang học lớp nhận thức về Đảng", "TQ-0001-M01"],
    ["Ma Thị Lan", "21/10/2001", "Nữ", "Đang xét kết nạp", "TQ-0001-M02"],
]

if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "dangvu/orgs/samples/mau-nhap-to-chuc.xlsx"
    with open(out, "wb") as f:
        f.write(build_template(examples=MEMBERS, unit_examples=UNITS, candidate_examples=CANDIDATES))
    print(out)
