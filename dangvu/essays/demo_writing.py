"""Reflection essays (bài thu hoạch) for the demo that read as members write them: what the
member took from the resolution, their year told with their own people, hamlets and
figures, what they fell short in and what they will do.

Thousands of essays come from these frames, so no five words in a row may be shared by many
of them: the copy check counts text found in more than 50 essays as nobody's own and would
call the essays thin. Each sentence is therefore short phrases with a choice every two or
three words, and most sentences carry the writer's own names and figures. A test scans a
campaign's worth and checks that none is thin and that no two are paired.

Notation: {a|b|c} one of the choices (nested braces allowed, an empty choice leaves it out);
<slot> a generated name, place or number.
"""

import datetime
import functools
import random
import re

RESOLUTIONS = [  # what members quote is in the text: the copy check leaves the studied text out
    (57, datetime.date(2024, 12, 22), "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và "
     "chuyển đổi số quốc gia",
     "Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là đột phá quan trọng hàng đầu, là động "
     "lực chính để phát triển nhanh lực lượng sản xuất hiện đại, hoàn thiện quan hệ sản xuất. Chuyển đổi số phải "
     "lấy người dân và doanh nghiệp làm trung tâm, làm chủ thể. Phát triển hạ tầng số và nhân lực số là điều kiện "
     "tiên quyết, phải đi trước một bước. Cán bộ, đảng viên phải đi đầu trong ứng dụng công nghệ số, sử dụng các "
     "dịch vụ công trực tuyến."),
    (59, datetime.date(2025, 1, 24), "Nghị quyết về hội nhập quốc tế trong tình hình mới",
     "Hội nhập quốc tế là sự nghiệp của toàn dân và của cả hệ thống chính trị dưới sự lãnh đạo của Đảng, "
     "quản lý của Nhà nước; nhân dân là chủ thể, là trung tâm. Hội nhập phải gắn với giữ vững độc lập, tự chủ. "
     "Cần tận dụng tốt các hiệp định thương mại để đưa nông sản, hàng hóa địa phương ra thị trường. Doanh nghiệp "
     "là lực lượng đi đầu, giữ vai trò trung tâm trong hội nhập kinh tế."),
    (66, datetime.date(2025, 4, 30), "Nghị quyết về đổi mới công tác xây dựng và thi hành pháp luật đáp ứng yêu cầu "
     "phát triển đất nước trong kỷ nguyên mới",
     "Pháp luật vừa là nền tảng vừa là động lực phát triển; đổi mới tư duy xây dựng pháp luật theo hướng vừa quản "
     "lý nhà nước hiệu quả vừa khuyến khích sáng tạo, giải phóng toàn bộ sức sản xuất. Thi hành pháp luật nghiêm "
     "minh là khâu then chốt. Phổ biến, giáo dục pháp luật phải sát với từng đối tượng, từng nhóm dân cư. Thủ tục "
     "hành chính phải công khai, minh bạch, rõ ràng, đơn giản."),
    (68, datetime.date(2025, 5, 4), "Nghị quyết về phát triển kinh tế tư nhân",
     "Kinh tế tư nhân là một động lực quan trọng nhất của nền kinh tế quốc gia, là lực lượng tiên phong thúc đẩy "
     "tăng trưởng, tạo việc làm, nâng cao năng suất lao động. Cần tạo môi trường thuận lợi, tạo điều kiện để hộ "
     "kinh doanh phát triển thành doanh nghiệp. Các thủ tục hành chính phải được cắt giảm, đơn giản hóa. Nhà nước "
     "phải bảo vệ, tôn trọng quyền tài sản, quyền tự do kinh doanh của người dân."),
]

FAMILY = ["Nông", "Hoàng", "Lục", "Ma", "Triệu", "Đặng", "Lý", "Hà", "Vi", "Ngô", "Trần", "Nguyễn", "Lê", "Phạm",
          "Bế", "Dương", "Quan", "Mạc", "Sầm", "Lành", "Chu", "Hứa", "Lường", "Đàm"]
MALE, FEMALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân"], ["Thị", "Thu", "Ngọc", "Kim", "Hồng"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Mạnh", "Nam", "Phong", "Sơn", "Thắng",
           "Tú", "Vinh", "Pụ", "Páo", "Sình"]
GIVEN_F = ["Chi", "Dung", "Giang", "Hoa", "Hương", "Lan", "Liên", "Mai", "Nga", "Nhung", "Thảo", "Thơm", "Vân",
           "Pằn", "Mỷ", "Sen"]
HAMLET_1 = ["Nà", "Cò", "Khuổi", "Lũng", "Pác", "Nặm", "Phiêng", "Cốc", "Khau", "Thẳm"]
HAMLET_2 = ["Lầu", "Ngoa", "Mới", "Nấng", "Cú", "Pản", "Hẩu", "Thuông", "Tồng", "Pục", "Vài", "Mạ", "Coóc", "Bó"]
CROPS = [("chè búp", "tạ"), ("quế vỏ", "tạ"), ("ngô", "tạ"), ("cam sành", "tấn"), ("mật ong", "lít"),
         ("măng khô", "kg"), ("thóc", "tạ"), ("thảo quả", "kg")]
WORK = ["giáo viên", "y sĩ", "công an viên", "cán bộ khuyến nông", "kế toán hợp tác xã", "bưu tá", "nông dân",
        "trưởng thôn", "thú y viên", "thợ xây", "chủ cửa hàng tạp hóa", "cô nuôi dạy trẻ", "người trồng chè",
        "cựu chiến binh", "kiểm lâm viên", "nhân viên bưu điện văn hóa xã"]


PROPER = ("Nhà nước", "Đảng", "Chính phủ", "Quốc hội")  # kept capitalised inside a sentence


@functools.cache
def points_of(number: str) -> list[str]:
    """What members quote of a resolution: its own sentences, word for word (the copy check
    leaves the studied text out, so quoting it is neither copying nor the member's own words)."""
    text = next((r[3] for r in RESOLUTIONS if str(r[0]) == number), RESOLUTIONS[0][3])
    sentences = [p.strip().rstrip(".") for p in re.split(r"[.;]\s+", text) if p.strip()]
    return [p if p.startswith(PROPER) else p[:1].lower() + p[1:] for p in sentences]


# Word banks: <@name> is one of them, itself a template. Dense choices keep any five syllables
# of the frame rare across thousands of essays.
BANK = {
    "i": "{tôi|bản thân tôi|cá nhân tôi|bản thân}",
    "after": "{Qua|Sau|Thông qua|Sau khi dự|Từ} {học tập|buổi học|hội nghị|đợt học tập|việc nghiên cứu|buổi quán triệt}",
    "grasp": "{nhận thức|hiểu|nắm|thấm nhuần|thấy|nhận ra} {rõ|sâu sắc|đầy đủ|cụ thể|kỹ|sâu} {hơn|thêm|}",
    "resolution": "{nghị quyết|Nghị quyết|văn kiện|nghị quyết lần này|Nghị quyết của Bộ Chính trị}",
    "says": "{nêu rõ|chỉ rõ|khẳng định|nhấn mạnh|xác định|yêu cầu|đặt ra}",
    "fits": "{rất sát|gắn liền|phù hợp|rất gần|liên quan trực tiếp} {với|tới|đến}",
    "life": "{thực tế|cuộc sống|đời sống|công việc|sản xuất|sinh hoạt} {ở|của|tại|nơi} "
            "{thôn|bản|tổ dân phố|xóm|khu dân cư|làng} <hamlet>",
    "must": "{cần|phải|sẽ|quyết tâm|nhất định phải}",
    "now": "{trong năm <year>|từ nay đến cuối năm|từ tháng <month>|trong quý tới|ở đơn vị mình|"
           "tại <hamlet>|trong thời gian tới}",
    "weak": "{chưa đều|chưa thường xuyên|còn hạn chế|còn chậm|chưa sâu|chưa tốt|còn lúng túng|còn ít}",
    "cell": "{chi bộ|chi ủy|tổ đảng|đồng chí bí thư|{các đồng chí|anh chị em|các anh chị} {trong chi bộ|đảng viên|trong tổ đảng}|cấp ủy}",
    "next_year": "{Năm <next>|Sang năm|Năm tới|Năm sau|Trong năm <next>|Từ đầu năm <next>}, {tôi|gia đình tôi|bản thân tôi|nhà tôi|cá nhân tôi}",
    "studied": "{nghị quyết|văn kiện này|Nghị quyết|tài liệu nghị quyết|những điểm mới|nội dung đã học|đề cương giới thiệu}",
}
OPENING = [
    "{Thực hiện|Theo|Căn cứ|Được sự chỉ đạo theo} {kế hoạch|hướng dẫn|thông báo|chương trình|lịch} của "
    "{Đảng ủy xã|Ban Thường vụ Đảng ủy|cấp ủy cấp trên|chi ủy|Đảng ủy|Ban Tuyên giáo}, {ngày <held>|sáng <held>|"
    "chiều <held>|trong tháng <held_month>|hôm <held>} {vừa qua|năm <year>|}, <@i> {đã tham dự|được dự|đã tham gia|"
    "có mặt tại|đã dự đủ} {hội nghị|buổi|lớp} {học tập, quán triệt|nghiên cứu, quán triệt|quán triệt, triển khai|"
    "học tập|triển khai} <doc> {tại <point>|ở điểm cầu <point>|{trực tuyến|qua màn hình} {tại|ở} <point>|cùng "
    "<n:12-60> đảng viên|cùng đảng viên {của|trong} <place>}.",
    "{Ngày <held>|Sáng <held>|Chiều <held>|Tối <held>}, {cùng <n:12-60> đồng chí|cùng các đồng chí|với <n:12-60> "
    "đảng viên} {trong chi bộ|của <place>|ở <hamlet>}, <@i> {đã nghe|được nghe|đã được nghe} {báo cáo viên|"
    "đồng chí <man>, báo cáo viên,|đồng chí bí thư|đồng chí phó bí thư|đồng chí <man>} {giới thiệu|truyền đạt|"
    "quán triệt|trình bày|phổ biến} {nội dung cơ bản của|những điểm mới của|nội dung cốt lõi của|tinh thần của|"
    "những nội dung chính của} <doc>.",
]
TOOK = [
    "<@after>, <@i> <@grasp> {rằng|là|:} <point_a>.",
    "<@i> {tâm đắc nhất|đặc biệt tâm đắc|thấy rõ nhất|tâm đắc|rất tâm đắc|thấm thía} {với|ở|về} {quan điểm|nội dung|"
    "ý|điểm} <point_b>, {vì|bởi|bởi vì|do} {điều đó|việc này|nội dung này|quan điểm ấy} <@fits> <@life>.",
    "<@resolution> {cũng|còn|đồng thời} <@says> <point_c>; {đây là|đó là|ấy là} {việc|điều|nhiệm vụ} "
    "{tôi|chi bộ tôi|gia đình tôi|tổ tôi|thôn tôi} <@must> {làm ngay|cụ thể hóa|thực hiện|bắt tay làm|đưa vào "
    "kế hoạch} <@now>.",
]
SELF = [
    "<@i> {là|hiện là|đang là|làm|hiện làm} <work> {ở|tại|thuộc} <hamlet>, "
    "{gia đình|nhà|nhà tôi|gia đình tôi} {có|gồm|hiện có} <n:3-8> {khẩu|người|nhân khẩu}, <spouse>.",
    "{Tôi đã|Tôi|Tôi cũng đã} {đến nhà|gặp|tới thăm} <household> và <household> "
    "{để|nhằm|với mục đích} {trao đổi|nói chuyện|bàn} {về|thêm về|kỹ về} {nghị quyết|nội dung nghị quyết|việc làm theo nghị quyết}.",
    "<@i> {đã|cũng đã|còn} {giúp|hướng dẫn|cùng} <n:2-12> hộ {làm hồ sơ vay vốn|đăng ký kinh doanh|"
    "làm thủ tục cấp sổ đỏ|làm hồ sơ bảo hiểm y tế} và <n:3-40> {người|bà con|thanh niên|hội viên} "
    "{cài ứng dụng VNeID|nộp hồ sơ trên mạng|thanh toán qua điện thoại|đăng ký tài khoản định danh}.",
    "{Trong năm|Năm <year>|Từ tháng <month> đến nay|Từ đầu năm|Mấy tháng qua}, {tôi|bản thân tôi|tôi cũng} "
    "{đã đến|đã tới|lần lượt đến|đi đến} {nhà|gia đình|từng nhà} {các hộ|} <households> "
    "{để tuyên truyền|để nói chuyện về|để trao đổi về|phổ biến|nói về} <@studied>.",
    "{{Chi bộ|Chi ủy|Tổ đảng|Đồng chí bí thư} {phân công|giao|cử} {tôi|cho tôi}|Tôi {nhận|được giao|đăng ký|xung phong}} {giúp đỡ|theo dõi|kèm cặp|giúp} <helps>.",
    "{Kết quả|Về kinh tế,|Riêng} {sản xuất|làm ăn|trồng trọt, chăn nuôi|} "
    "{năm <year>|năm nay|năm qua|cả năm} {của|ở} {gia đình tôi|nhà tôi|nhà mình}: <harvests>; {tổng thu|thu nhập|"
    "bán được|thu về} {khoảng|gần|hơn|chừng|trên} <n:40-380> triệu {đồng|}, {trừ chi phí còn|để dành được|"
    "lãi|còn lại|dư} <n:15-120> triệu.",
    "{Trong năm|Năm qua|Từ tháng <month>|Mùa khô vừa rồi}, {tôi|tôi đã|bản thân} {vận động|cùng tổ hội vận động|"
    "đứng ra vận động|đi vận động} <n:3-25> hộ {ở|tại|thuộc} <hamlet> {làm nhà tiêu|làm đường bê tông|"
    "hiến <n:20-300> m² đất làm đường|trồng <n:100-3000> cây quế|sửa <n:20-200> m kênh mương|xây bể nước}.",
    "{Là|Với vai trò|Ở cương vị|Làm} <role>, tôi {đã|luôn|thường xuyên|hằng tuần} {phối hợp với|cùng|đi với} "
    "{đồng chí|anh|chị} <man> {nắm tình hình|theo dõi|đến thăm} <n:12-80> hộ {ở|tại|thuộc} <hamlet> "
    "{và báo cáo chi bộ|hằng tháng|rồi báo cáo chi ủy|vào chiều thứ <n:2-7>}.",
]
SHORT = [
    "{Tuy vậy|Tuy nhiên|Song|Nhìn lại|Tự kiểm điểm}, <@i> {tự thấy|nhận thấy|thấy|nhận thức được} {việc tự học|"
    "việc nghiên cứu nghị quyết|việc đọc tài liệu|việc học tập|việc ghi sổ tay} {của mình||trong năm} <@weak>, "
    "{có lúc|đôi khi|nhiều khi|có khi} {còn ngại|ngại|chưa dám|còn né} {va chạm|góp ý|phê bình|nói thẳng} "
    "{khi|lúc|trong lúc|những lúc} {góp ý cho đồng chí|nhắc nhở đồng nghiệp|sinh hoạt chi bộ|họp thôn|"
    "họp tổ|bàn việc của <hamlet>}.",
    "{Việc|Khâu|Kỹ năng} {ứng dụng công nghệ|sử dụng điện thoại thông minh|dùng máy tính|dùng dịch vụ công "
    "trực tuyến|tra cứu tài liệu} {của tôi|của bản thân|} <@weak>; {có|đã có|năm qua có|còn} <n:2-5> {buổi|lần} "
    "<@i> {chưa|không|không thể} {tham gia|dự|có mặt} {sinh hoạt chi bộ|họp tổ|họp thôn|sinh hoạt định kỳ} "
    "{đầy đủ|đúng giờ|trọn buổi} {vì|do|bởi} {bận {làm nương|đi rừng|thu hoạch <crop1>}|con ốm|đi công tác|"
    "trời mưa lũ}.",
]
WILL = [
    "<@next_year> {đăng ký|phấn đấu|đặt chỉ tiêu|đặt mục tiêu|hứa với chi bộ|sẽ cố gắng}: <plans>.",
    "{<@i> {sẽ|đã}|Tôi} {giới thiệu|{đề nghị|xin} <@cell> {bồi dưỡng|quan tâm tới|giúp đỡ}} "
    "{quần chúng ưu tú|quần chúng|cháu|em} <man> {ở <hamlet>|, <n:19-30> tuổi,} để {chi bộ|đảng ủy|<@cell>} "
    "{xem xét kết nạp|bồi dưỡng, kết nạp|cho đi học lớp cảm tình Đảng|giới thiệu đi học lớp bồi dưỡng|theo dõi, giúp đỡ} "
    "{trong năm <next>|khi đủ điều kiện|trước tháng <month>|vào dịp <day>|sau vụ <crop1>|ngay trong quý <n:1-4>}.",
    "<@i> {sẽ|nguyện|hứa|xin hứa} {tự học|nghiên cứu|đọc|tìm hiểu} {thêm|lại|kỹ} <@studied> {mỗi tuần <n:1-3> buổi|"
    "{vào|trong} {các buổi tối|tối thứ <n:2-7>|lúc nông nhàn|giờ nghỉ trưa}|sau {mỗi|các} {buổi|kỳ} {sinh hoạt|họp}}, "
    "{ghi sổ tay|ghi chép|ghi lại|chép ra vở|đánh dấu} "
    "{những điều|nội dung|những ý|những việc} {liên quan đến|gắn với|sát với|cần cho} {công việc|nhiệm vụ} "
    "của <work>.",
]
CLOSING = [
    "{Rất mong|Kính mong|Đề nghị|Mong|Kính đề nghị|Tôi mong} <@cell> {góp ý|giúp đỡ|nhắc nhở|chỉ bảo} {để|cho} "
    "<@i> {tiến bộ hơn|làm tốt hơn|{hoàn thành|làm tròn} {tốt|} {nhiệm vụ|phần việc} {năm <next>|được giao}|sửa được khuyết điểm|học tập tốt hơn}.",
    "<@i> {kiến nghị|đề nghị|xin đề nghị|mong} {cấp trên|đảng ủy xã|<@cell>|{Ủy ban|chính quyền|Hội Nông dân} xã} {mở|tổ chức|"
    "hỗ trợ} {lớp tập huấn|buổi hướng dẫn|lớp học|buổi trao đổi} {về|cho bà con về|cho đảng viên về} "
    "{chuyển đổi số|kỹ năng số|thủ tục vay vốn|trồng <crop1>|bán hàng qua mạng} {tại|ở} <hamlet> "
    "{trong tháng <month>|trong năm <next>|trước vụ <crop1>}.",
]
HELP = ["{trồng|trồng mới|trồng thêm} <n:100-3000> cây {quế|hồi|mỡ}", "nuôi <n:5-60> con {lợn|lợn đen|dê}",
        "{làm|khai hoang|cải tạo} <n:2-12> sào ruộng", "{vay|được vay|làm hồ sơ vay} <n:20-100> triệu đồng",
        "{sửa|đào|làm lại} <n:10-80> m mương", "làm chuồng {trại|} cho <n:2-15> con {trâu|bò}",
        "trồng <n:1-9> ha {rừng|keo|quế}", "cho <n:1-4> {cháu|con} {đi học lại|ra lớp}",
        "bán <n:2-40> tạ {chè|măng|quế} {qua mạng|cho hợp tác xã|ở chợ phiên}",
        "nuôi <n:20-400> con {gà|vịt|gà đồi}", "{xây|làm} <n:1-3> bể nước <n:2-10> khối",
        "{đưa|cho} <n:1-3> {người|lao động|con} {đi làm ở khu công nghiệp|vào làm nhà máy|đi làm công ty ở <hamlet>}"]
PLANS = ["{trồng thêm|trồng mới|trồng} <n:100-3000> cây {quế|hồi|mỡ} {ở|tại|trên đồi} <hamlet>",
         "{vận động|giúp|cùng} <n:3-25> hộ {ở|tại|thuộc} <hamlet> {làm nhà tiêu|xây bể nước|làm chuồng trại xa nhà}",
         "{làm|cùng bà con làm|góp công làm} <n:20-300> m đường {bê tông|liên thôn|nội đồng} {ở|vào|tới} <hamlet>",
         "{giúp|kèm} <n:2-9> hộ {ở|tại} <hamlet> {thoát nghèo|có nghề phụ|vay được vốn}",
         "{hướng dẫn|chỉ cho} <n:5-40> {người|bà con|hội viên} {ở|tại} <hamlet> {nộp hồ sơ trên mạng|dùng VNeID|"
         "bán hàng qua mạng}",
         "nuôi thêm <n:10-200> con {gà|vịt|lợn}", "{mở rộng|trồng thêm} <n:2-15> sào {chè|ngô|lúa}",
         "{giới thiệu|đề nghị kết nạp} {quần chúng|đoàn viên} <man> {ở|tại} <hamlet>",
         "{đóng góp|ủng hộ} <n:1-10> ngày công {làm|sửa} nhà văn hóa <hamlet>",
         "{tham gia|dự} đủ <n:10-12> {kỳ|buổi} sinh hoạt chi bộ"]
ROLES = ["tổ trưởng tổ dân cư", "chi hội trưởng hội nông dân", "công an viên", "trưởng ban công tác mặt trận",
         "bí thư chi đoàn", "phó trưởng thôn", "tổ viên tổ hòa giải"]
POINTS_WHERE = ["nhà văn hóa thôn", "hội trường Đảng ủy xã", "điểm cầu trường tiểu học", "điểm cầu trạm y tế",
                "nhà văn hóa tổ dân phố"]

_SLOT = re.compile(r"<(\w+)(?::(\d+)-(\d+))?>")
_BANK = re.compile(r"<@(\w+)>")


@functools.cache
def _parse(template: str) -> tuple:
    """The template as a tree, once: text, ("slot", name, low, high) and ("choice", alternatives)."""
    while "<@" in template:
        template = _BANK.sub(lambda m: BANK[m.group(1)], template)
    pos = 0

    def sequence(stops: str) -> tuple:
        nonlocal pos
        out, text = [], []
        while pos < len(template) and template[pos] not in stops:
            c = template[pos]
            if c == "{":
                pos += 1
                alternatives = [sequence("|}")]
                while template[pos] == "|":
                    pos += 1
                    alternatives.append(sequence("|}"))
                pos += 1
                out += ["".join(text), ("choice", tuple(alternatives))]
                text = []
            elif c == "<" and (slot := _SLOT.match(template, pos)):
                out += ["".join(text), ("slot", *slot.groups())]
                text, pos = [], slot.end()
            else:
                text.append(c)
                pos += 1
        out.append("".join(text))
        return tuple(part for part in out if part)

    return sequence("")


class _Writer:
    """One member: their own people, places and figures for the slots."""

    def __init__(self, rng: random.Random, *, doc: str, number: str, place: str, year: int, held: datetime.date):
        self.rng, self.doc, self.place, self.year, self.held = rng, doc, place[:1].lower() + place[1:], year, held
        self.points = rng.sample(points_of(number), 3)
        self.crops = rng.sample(CROPS, 2)
        self.work = rng.choice(WORK)
        self.slots = {
            "doc": lambda: self.doc, "place": lambda: self.place, "year": lambda: str(self.year),
            "next": lambda: str(self.year + 1), "work": lambda: self.work, "role": lambda: rng.choice(ROLES),
            "day": lambda: f"{rng.randint(1, 28)}/{rng.randint(1, 12)}", "month": lambda: str(rng.randint(1, 12)),
            "point": lambda: rng.choice(POINTS_WHERE),
            "held": lambda: f"{self.held.day}/{self.held.month}", "held_month": lambda: str(self.held.month),
            "man": lambda: self.person(female=False), "woman": lambda: self.person(female=True),
            "hamlet": lambda: f"{rng.choice(HAMLET_1)} {rng.choice(HAMLET_2)}",
            "point_a": lambda: self.points[0], "point_b": lambda: self.points[1], "point_c": lambda: self.points[2],
            "households": lambda: self.listed("household", 8, 10, ", "),
            "helps": lambda: self.listed("help", 6, 8, "; "),
            "harvests": self.harvests,
            "plans": lambda: self.listed("plan", 5, 6, "; "),
            "household": lambda: f"{self.someone()} {rng.choice(('ở', 'tại', 'thôn', 'xóm'))} {self.hamlet()}",
            "help": lambda: f"{rng.choice(('hộ ', 'gia đình ', 'nhà ', ''))}{self.someone()} ({self.hamlet()}) "
                            f"{self.fill(rng.choice(HELP))}",
            "spouse": self.spouse,
            "plan": lambda: self.fill(rng.choice(PLANS)),
            "crop1": lambda: self.crops[0][0], "unit1": lambda: self.crops[0][1],
            "crop2": lambda: self.crops[1][0], "unit2": lambda: self.crops[1][1],
        }

    def slot(self, name: str, low: str | None, high: str | None) -> str:
        if name == "n":
            return f"{self.rng.randint(int(low), int(high)):,}".replace(",", ".")  # 2.651
        return self.slots[name]()


    def listed(self, slot: str, fewest: int, most: int, between: str) -> str:
        items, wanted = [], self.rng.randint(fewest, most)
        while len(items) < wanted:
            item = self.fill(f"<{slot}>")
            if item.split()[:2] not in [i.split()[:2] for i in items]:  # no two alike in one list
                items.append(item)
        return between.join(items[:-1]) + " và " + items[-1]

    def harvests(self) -> str:
        chosen = self.rng.sample(CROPS, self.rng.randint(4, 5))
        items = [f"{crop} {self.rng.randint(2, 60)} {unit}" for crop, unit in chosen]
        return ", ".join(items[:-1]) + " và " + items[-1]

    def spouse(self) -> str:
        wife = self.rng.random() < 0.7
        return f"{'vợ' if wife else 'chồng'} {self.rng.choice(('là', 'tên là'))} {self.person(female=wife)}"

    def person(self, female: bool) -> str:
        middle, given = (FEMALE, GIVEN_F) if female else (MALE, GIVEN_M)
        return f"{self.rng.choice(FAMILY)} {self.rng.choice(middle)} {self.rng.choice(given)}"

    def someone(self) -> str:
        """A villager named as one is: ông Nông Văn Pụ, chị Hà Thị Mai."""
        female = self.rng.random() < 0.5
        return f"{self.rng.choice(('bà', 'chị', 'cô') if female else ('ông', 'anh', 'chú'))} {self.person(female)}"

    def hamlet(self) -> str:
        return f"{self.rng.choice(HAMLET_1)} {self.rng.choice(HAMLET_2)}"

    def render(self, tree: tuple, out: list[str]) -> None:
        for part in tree:
            if isinstance(part, str):
                out.append(part)
            elif part[0] == "choice":
                self.render(self.rng.choice(part[1]), out)
            else:
                out.append(self.slot(*part[1:]))

    def fill(self, template: str) -> str:
        out: list[str] = []
        self.render(_parse(template), out)
        return "".join(out)

    def sentence(self, template: str) -> str:
        text = re.sub(r"\s+([,.;:])", r"\1", re.sub(r" {2,}", " ", self.fill(template))).strip()
        text = re.sub(r"([,:]){2,}|:,", r"\1", text)
        return text[:1].upper() + text[1:] if text[:1] != "," else text


def reflection_essay(rng: random.Random, *, doc: str, number: str, place: str, year: int,
                     held: datetime.date | None = None) -> str:
    """One member's essay on the resolution `doc` (its number keys its points) from `place`:
    four or five paragraphs, about 250 to 350 words."""
    writer = _Writer(rng, doc=doc, number=number, place=place, year=year,
                     held=held or datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)))
    stories = [t for t in SELF[1:] if "<households>" in t or "<helps>" in t or "<harvests>" in t]
    others = [t for t in SELF[1:] if t not in stories]
    paragraphs = [
        [rng.choice(OPENING)] + TOOK,
        [SELF[0]] + stories + rng.sample(others, 3),
        rng.sample(SHORT, rng.randint(1, 2)),
        [WILL[0]] + rng.sample(WILL[1:], rng.randint(1, 2)) + ([CLOSING[1]] if rng.random() < 0.5 else []),
        [CLOSING[0]],
    ]
    return "\n\n".join(" ".join(writer.sentence(t) for t in paragraph) for paragraph in paragraphs)
