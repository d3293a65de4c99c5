"""A readable reflection essay for the demo's planted copies, so that the side-by-side view of
a copied pair reads as Vietnamese: what the resolution means to the member, its points in
their words, their year told with their own people, hamlets and figures, what they will do.

Only the planted pairs use it (a handful in each campaign). Thousands of essays put
together from these frames would share too much wording: the copy check, rightly, counts
text used by more than 50 essays as nobody's own, and would call them all thin.
"""

import random

POINTS = {  # what each resolution the demo studies says, as members quote it
    "57": ["khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là đột phá quan trọng hàng đầu",
           "chuyển đổi số phải lấy người dân và doanh nghiệp làm trung tâm",
           "phát triển hạ tầng số và nguồn nhân lực số là điều kiện tiên quyết"],
    "59": ["hội nhập quốc tế là sự nghiệp của toàn dân, doanh nghiệp là lực lượng đi đầu",
           "hội nhập phải gắn với giữ vững độc lập, tự chủ",
           "cần tận dụng các hiệp định thương mại để đưa nông sản ra thị trường"],
    "66": ["pháp luật vừa là nền tảng vừa là động lực của sự phát triển",
           "thi hành pháp luật nghiêm minh là khâu then chốt",
           "phổ biến, giáo dục pháp luật phải sát với từng đối tượng"],
    "68": ["kinh tế tư nhân là một động lực quan trọng nhất của nền kinh tế",
           "cần tạo môi trường thuận lợi để hộ kinh doanh phát triển thành doanh nghiệp",
           "các thủ tục hành chính phải được cắt giảm, đơn giản hóa"],
}
FAMILY = ["Nông", "Hoàng", "Lục", "Ma", "Triệu", "Đặng", "Lý", "Hà", "Vi", "Ngô", "Trần", "Nguyễn", "Lê", "Phạm",
          "Bế", "Dương", "Quan", "Mạc", "Sầm", "Lành", "Chu", "Hứa", "Lường", "Đàm"]
MALE, FEMALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân"], ["Thị", "Thu", "Ngọc", "Kim", "Hồng"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Mạnh", "Nam", "Phong", "Sơn", "Thắng",
           "Tú", "Vinh", "Pụ", "Páo", "Sình"]
GIVEN_F = ["Chi", "Dung", "Giang", "Hoa", "Hương", "Lan", "Liên", "Mai", "Nga", "Nhung", "Thảo", "Thơm", "Vân",
           "Pằn", "Mỷ", "Sen"]
HAMLET_1 = ["Nà", "Bản", "Khuổi", "Lũng", "Pác", "Nặm", "Phiêng", "Cốc", "Khau", "Thẳm"]
HAMLET_2 = ["Lầu", "Ngoa", "Mới", "Nấng", "Cú", "Pản", "Hẩu", "Thuông", "Tồng", "Pục", "Vài", "Mạ", "Coóc", "Bó"]
CROPS = [("chè búp", "tạ"), ("quế vỏ", "tạ"), ("ngô", "tạ"), ("cam sành", "tấn"), ("mật ong", "lít"),
         ("măng khô", "kg"), ("thóc", "tạ"), ("thảo quả", "kg")]
WORK = ["giáo viên", "y sĩ", "công an viên", "cán bộ khuyến nông", "kế toán hợp tác xã", "bưu tá"]


def _man(rng):
    return f"{rng.choice(FAMILY)} {rng.choice(MALE)} {rng.choice(GIVEN_M)}"


def _woman(rng):
    return f"{rng.choice(FAMILY)} {rng.choice(FEMALE)} {rng.choice(GIVEN_F)}"


def _hamlet(rng):
    return f"{rng.choice(HAMLET_1)} {rng.choice(HAMLET_2)}"


def essay(rng: random.Random, *, doc: str, number: str, place: str, year: int) -> str:
    """One member's essay on the resolution `doc` (its number keys its points) from `place`."""
    n = rng.randrange
    first, second = rng.sample(POINTS.get(number, POINTS["57"]), 2)
    (a, ua), (b, ub) = rng.sample(CROPS, 2)
    paragraphs = [
        f"Qua học tập, quán triệt {doc}, tôi nhận thức rõ hơn trách nhiệm của mình trong việc đưa nghị quyết "
        f"vào cuộc sống. Tôi là đảng viên sinh hoạt tại {place[:1].lower() + place[1:]}.",
        f"Nghị quyết nêu rõ {first}. Tôi đặc biệt tâm đắc với quan điểm {second}, vì điều đó rất sát với "
        "thực tế ở thôn bản nơi tôi sinh sống.",
        f"Liên hệ bản thân: gia đình tôi có {n(3, 8)} khẩu, vợ tôi là {_woman(rng)}, làm {rng.choice(WORK)}. "
        f"Năm {year}, nhà tôi thu {n(2, 60)} {ua} {a} và {n(2, 40)} {ub} {b}, thu nhập khoảng {n(40, 380)} triệu "
        f"đồng. Tôi đã đến nhà ông {_man(rng)} ở {_hamlet(rng)} và bà {_woman(rng)} ở {_hamlet(rng)} để trao đổi về "
        f"nghị quyết, giúp {n(2, 9)} hộ làm hồ sơ vay vốn. Tôi cũng hướng dẫn {n(3, 40)} người trong thôn cài "
        "ứng dụng VNeID và nộp hồ sơ trực tuyến.",
        "Tuy vậy, tôi tự thấy việc tự học của mình chưa đều, có lúc còn ngại va chạm khi góp ý cho đồng chí, "
        "đồng nghiệp; đó là điều tôi phải khắc phục.",
        f"Năm {year + 1}, tôi phấn đấu trồng thêm {n(100, 3000)} cây quế, vận động {n(3, 25)} hộ ở "
        f"{_hamlet(rng)} làm nhà tiêu hợp vệ sinh và giới thiệu quần chúng ưu tú {_man(rng)} để chi bộ bồi dưỡng.",
        "Rất mong chi ủy, chi bộ góp ý để tôi tiến bộ hơn.",
    ]
    return "\n\n".join(paragraphs)
