"""The grassroots programmes every committee runs and the titles of their lessons, as the Central
Propaganda Department's materials name them (data, in Vietnamese: the names of official
documents are not translated). The party-work programme's content is set locally: its lessons
stay numbered."""

AWARENESS_NAME = "Bồi dưỡng nhận thức về Đảng"
NEW_MEMBER_NAME = "Lý luận chính trị dành cho đảng viên mới"
PARTY_WORK_NAME = "Bồi dưỡng nghiệp vụ công tác đảng cho bí thư, phó bí thư chi bộ"
PARTY_WORK_LESSONS = 4

# Chương trình bồi dưỡng nhận thức về Đảng (for admission candidates): 5 lessons.
AWARENESS_LESSONS = [
    "Khái quát lịch sử Đảng Cộng sản Việt Nam",
    "Cương lĩnh xây dựng đất nước trong thời kỳ quá độ lên chủ nghĩa xã hội",
    "Nội dung cơ bản của Điều lệ Đảng Cộng sản Việt Nam",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Phấn đấu trở thành đảng viên Đảng Cộng sản Việt Nam",
]

# Chương trình bồi dưỡng lý luận chính trị dành cho đảng viên mới (the 2021 materials): 10 topics.
NEW_MEMBER_LESSONS = [
    "Chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh - nền tảng tư tưởng, kim chỉ nam cho hành động của Đảng "
    "và cách mạng Việt Nam",
    "Độc lập dân tộc gắn liền với chủ nghĩa xã hội và con đường đi lên chủ nghĩa xã hội ở Việt Nam",
    "Phát huy sức mạnh đại đoàn kết toàn dân tộc, dân chủ xã hội chủ nghĩa, xây dựng và hoàn thiện Nhà nước "
    "pháp quyền xã hội chủ nghĩa Việt Nam",
    "Đường lối phát triển kinh tế - xã hội của Đảng",
    "Phát triển giáo dục và đào tạo, khoa học và công nghệ; xây dựng và phát triển văn hóa, con người Việt Nam; "
    "quản lý phát triển xã hội, bảo vệ môi trường",
    "Tăng cường quốc phòng, an ninh, bảo vệ vững chắc Tổ quốc; giữ vững môi trường hòa bình, bảo đảm ổn định "
    "chính trị, trật tự, an toàn xã hội",
    "Chủ động và tích cực hội nhập quốc tế",
    "Nguyên tắc tổ chức và hoạt động của Đảng; công tác xây dựng Đảng ở cơ sở",
    "Tăng cường xây dựng, chỉnh đốn Đảng",
    "Phấn đấu, rèn luyện để xứng đáng là đảng viên Đảng Cộng sản Việt Nam",
]

# (kind, name) → the lessons' titles, for the programmes whose titles are set nationally
LESSON_TITLES = {
    ("nhan_thuc", AWARENESS_NAME): AWARENESS_LESSONS,
    ("dang_vien_moi", NEW_MEMBER_NAME): NEW_MEMBER_LESSONS,
}
