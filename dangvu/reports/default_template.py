"""The template that ships: the standard structure of a year-end summary on political
education and Party building (../DESIGN.md, the seeds). Committees copy it and edit it in
the browser; this is only the starting point, loaded as data."""

NAME = "Báo cáo tổng kết công tác xây dựng Đảng, giáo dục chính trị tư tưởng (mẫu chung)"
TITLE = ("Tổng kết công tác xây dựng Đảng, giáo dục chính trị, tư tưởng năm {year}; "
         "phương hướng, nhiệm vụ năm {next_year}")

SECTIONS = [
    {"key": "phan-1", "kind": "heading", "level": 1,
     "title": "Phần thứ nhất\nKẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM {year}"},
    {"key": "boi-canh", "kind": "narrative", "level": 2, "title": "Đặc điểm tình hình",
     "text": "Thuận lợi, khó khăn chủ yếu trong năm; những yếu tố tác động đến công tác xây dựng Đảng "
             "và giáo dục chính trị, tư tưởng của đảng bộ."},
    {"key": "ket-qua", "kind": "heading", "level": 2, "title": "I. KẾT QUẢ ĐẠT ĐƯỢC"},
    {"key": "to-chuc", "kind": "computed", "level": 3, "title": "1. Công tác tổ chức, đảng viên",
     "text": "{until}, {unit}{since} có {members.total} đảng viên[, trong đó {members.probationary} đảng viên dự bị]. "
             "[Trong kỳ, {list:members.admitted kết nạp # đảng viên mới; members.made_full công nhận đảng viên "
             "chính thức cho # đồng chí; members.transferred_in tiếp nhận # đảng viên chuyển sinh hoạt đến; "
             "members.transferred_out chuyển sinh hoạt đi # đảng viên; members.died # đồng chí từ trần; "
             "members.removed xóa tên, khai trừ # đảng viên}.] [Số đảng viên kết nạp mới {members.admitted|change} "
             "so với kỳ trước.] [Trong công tác phát triển đảng viên, {best:members.admitted đảng viên mới}.]\n\n"
             "[Kết quả đánh giá, xếp loại chất lượng: có {evaluation.members_rated} đảng viên được đánh giá, xếp "
             "loại[, trong đó [{evaluation.members_excellent} đồng chí "
             "({evaluation.members_excellent/evaluation.members_rated}) hoàn thành xuất sắc nhiệm vụ][; "
             "{evaluation.members_good} đồng chí ({evaluation.members_good/evaluation.members_rated}) hoàn thành "
             "tốt nhiệm vụ][; {evaluation.members_done} đồng chí ({evaluation.members_done/evaluation.members_rated}) "
             "hoàn thành nhiệm vụ][; {evaluation.members_not_done} đồng chí "
             "({evaluation.members_not_done/evaluation.members_rated}) không hoàn thành nhiệm vụ]]. "
             "[{evaluation.members_not_rated} đảng viên không đánh giá, xếp loại (miễn công tác và sinh hoạt đảng, "
             "đình chỉ sinh hoạt đảng hoặc mới kết nạp dưới 6 tháng).]] [Có {evaluation.units_rated} tổ chức đảng "
             "được đánh giá, xếp loại[, trong đó [{evaluation.units_excellent} tổ chức đảng "
             "({evaluation.units_excellent/evaluation.units_rated}) hoàn thành xuất sắc nhiệm vụ][; "
             "{evaluation.units_good} tổ chức đảng ({evaluation.units_good/evaluation.units_rated}) hoàn thành tốt "
             "nhiệm vụ][; {evaluation.units_done} tổ chức đảng hoàn thành nhiệm vụ][; {evaluation.units_not_done} "
             "tổ chức đảng không hoàn thành nhiệm vụ]].]\n\n"
             "[Duy trì sinh hoạt chi bộ: tổ chức {meetings.regular} buổi sinh hoạt thường kỳ[ và "
             "{meetings.thematic} buổi sinh hoạt chuyên đề][; tỷ lệ đảng viên dự sinh hoạt đạt {meetings.attendance}]"
             "[; {meetings.quality_met} buổi sinh hoạt đạt đầy đủ các tiêu chí chất lượng].] [Có "
             "{meetings.absent_unexcused} lượt đảng viên vắng sinh hoạt không có lý do.] [{cell:Chi bộ|Các chi bộ} thu "
             "đảng phí được {dues.collected} đồng[; {dues.members_in_arrears} đảng viên còn chậm nộp đảng phí].]"},
    {"key": "hoc-tap", "kind": "computed", "level": 3,
     "title": "2. Học tập, quán triệt, triển khai thực hiện chỉ thị, nghị quyết của Đảng",
     "text": "[Tổ chức {study.campaigns_held} đợt học tập, quán triệt chỉ thị, nghị quyết[ với "
             "{study.sessions_held} hội nghị].] [Các văn bản được học tập, quán triệt, triển khai thực hiện: "
             "{documents:studied}.] [Cán bộ, đảng viên dự {study.sessions} hội nghị học tập, quán "
             "triệt[, trong đó {study.online_sessions} hội nghị trực tuyến][ tại {study.points} điểm cầu][, với "
             "{study.attendances} lượt người tham dự].] [Có {study.participants|ratio} đảng viên thuộc diện học "
             "tập trong kỳ (kể cả đảng viên đã chuyển đi) tham gia học tập, đạt {study.participants}[; {best:study.participants}]"
             "[, {worst:study.participants}].]\n\n"
             "[Sau học tập, cán bộ, đảng viên viết {study.essays_submitted} bài thu hoạch[, đạt "
             "{study.essays_submitted/study.essays_required} kế hoạch][, trong đó có "
             "{study.essays_returned_thin+study.essays_returned_copied} bài phải làm lại do viết sơ sài, "
             "sao chép nhau][; {study.essays_not_submitted} bài chưa nộp].]"},
    {"key": "ly-luan", "kind": "computed", "level": 3, "title": "3. Giáo dục lý luận chính trị",
     "text": "[Mở {training.candidate_classes} lớp bồi dưỡng nhận thức về Đảng cho {training.candidates_enrolled} "
             "quần chúng ưu tú[, {training.candidates_completed} quần chúng hoàn thành chương trình].] [Mở "
             "{training.new_member_classes} lớp bồi dưỡng lý luận chính trị cho {training.new_members_enrolled} "
             "đảng viên mới[, {training.new_members_completed} đồng chí hoàn thành].] [Cử {list:"
             "training.theory_sent_so_cap # đồng chí học sơ cấp lý luận chính trị; training.theory_sent_trung_cap "
             "# đồng chí học trung cấp lý luận chính trị; training.theory_sent_cao_cap # đồng chí học cao cấp lý "
             "luận chính trị; training.theory_sent_cu_nhan # đồng chí học cử nhân chính trị}.]"},
    {"key": "kiem-tra", "kind": "computed", "level": 3, "title": "4. Công tác kiểm tra, giám sát",
     "text": "[{cell:Chi bộ|Các cấp ủy, tổ chức đảng} đã tiến hành {inspections.held} cuộc kiểm tra"
             "[{cell:|, trong đó} {list:"
             "inspections.held_by_cells chi bộ kiểm tra # cuộc; inspections.held_by_committees cấp ủy kiểm tra "
             "# cuộc; inspections.held_by_commissions ủy ban kiểm tra kiểm tra # cuộc}].] [Tiến hành "
             "{inspections.supervisions} cuộc giám sát.] [Đã kiểm tra {list:inspections.members_inspected # đảng "
             "viên; inspections.units_inspected # tổ chức đảng}.] [Đã giám sát {list:inspections.members_supervised "
             "# đảng viên; inspections.units_supervised # tổ chức đảng}.] [Qua kiểm tra, giám sát, phát hiện "
             "{inspections.violations} trường hợp có vi phạm.] [Thực hiện chương trình kiểm tra, giám sát đạt "
             "{inspections.plan_held} kế hoạch.] [Có {inspections.recommendations_done} kiến nghị sau kiểm tra, "
             "giám sát đã được thực hiện.] [Còn {inspections.recommendations_overdue} kiến nghị quá hạn chưa "
             "thực hiện.]"},
    {"key": "van-ban", "kind": "computed", "level": 3, "title": "5. Công tác văn phòng cấp ủy",
     "text": "[Ban hành {documents.issued} văn bản[, trong đó {list:documents.issued_nq nghị quyết; "
             "documents.issued_ct chỉ thị; documents.issued_qd quyết định, quy định; documents.issued_kh kế hoạch; "
             "documents.issued_hd hướng dẫn; documents.issued_bc báo cáo; documents.issued_tb thông báo}].] [Các văn "
             "bản lãnh đạo, chỉ đạo chủ yếu của {cell:chi bộ|cấp ủy}: {documents:issued NQ CT KL HD KH CTr ĐA}.]"},
    {"key": "tuyen-truyen", "kind": "narrative", "level": 3,
     "title": "6. Công tác tuyên truyền; học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
     "text": "Kết quả tuyên truyền các ngày lễ lớn, sự kiện chính trị; mô hình, điển hình học tập và làm theo "
             "Bác; các nội dung hệ thống chưa ghi nhận."},
    {"key": "chi-tieu", "kind": "targets", "level": 3, "title": "7. Thực hiện các chỉ tiêu đã giao"},
    {"key": "han-che", "kind": "narrative", "level": 2, "title": "II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN",
     "text": "Những hạn chế, khuyết điểm trong năm; nguyên nhân khách quan và chủ quan."},
    {"key": "bai-hoc", "kind": "narrative", "level": 2, "title": "III. BÀI HỌC KINH NGHIỆM",
     "text": "Những bài học rút ra từ thực tiễn lãnh đạo, chỉ đạo trong năm."},
    {"key": "phan-2", "kind": "heading", "level": 1,
     "title": "Phần thứ hai\nPHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM NĂM {next_year}"},
    {"key": "phuong-huong", "kind": "narrative", "level": 2, "title": "I. PHƯƠNG HƯỚNG, NHIỆM VỤ, CHỈ TIÊU",
     "text": "Phương hướng chung, nhiệm vụ trọng tâm và các chỉ tiêu chủ yếu năm tới."},
    {"key": "kien-nghi", "kind": "narrative", "level": 2, "title": "II. ĐỀ XUẤT, KIẾN NGHỊ",
     "text": "Đề xuất, kiến nghị với cấp ủy cấp trên."},
    {"key": "bieu-do", "kind": "chart", "level": 2, "title": "Biểu đồ: tỷ lệ đảng viên tham gia học tập",
     "measures": ["study.participants"]},
    {"key": "phu-luc-1", "kind": "table", "level": 2, "title": "Phụ lục 1: Đảng viên theo đơn vị trực thuộc",
     "measures": ["members.total", "members.admitted", "members.made_full"]},
    {"key": "phu-luc-2", "kind": "table", "level": 2, "title": "Phụ lục 2: Học tập và bài thu hoạch theo đơn vị",
     "measures": ["study.attendances", "study.essays_submitted", "study.participants"]},
    {"key": "phu-luc-3", "kind": "table", "level": 2, "title": "Phụ lục 3: Kiểm tra, giám sát theo đơn vị",
     "measures": ["inspections.held", "inspections.supervisions", "inspections.violations"]},
]
