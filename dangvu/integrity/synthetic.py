"""A realistic synthetic corpus of reflection essays with exact ground truth.

Essays of about 600 syllables built from Vietnamese sentences about a studied
resolution, with stock phrases that very many essays use, planted copies of
every kind (whole, a third lifted, sentences reordered with words changed,
groups copying one source), thin essays, and files in TCVN3, NFD, new-style
tone placement and .docx. With `template_share` a circulating text is built
into that share of the essays.
"""

import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from dangvu.integrity.vietnamese import TCVN3_TO_UNICODE

SUBJECTS = ["chi bộ", "đảng viên", "cán bộ", "cấp ủy", "đảng bộ", "mỗi cán bộ đảng viên", "tập thể chi ủy",
            "đồng chí bí thư", "người đứng đầu", "tổ chức cơ sở đảng", "đoàn viên thanh niên", "hội viên phụ nữ"]
VERBS = ["quán triệt", "thực hiện", "triển khai", "nâng cao", "phát huy", "tăng cường", "đẩy mạnh", "củng cố",
         "học tập", "làm theo", "kiểm tra", "giám sát", "tuyên truyền", "vận động", "đổi mới", "xây dựng",
         "chỉnh đốn", "rèn luyện", "tu dưỡng", "bảo vệ", "gắn kết", "lãnh đạo", "chỉ đạo", "đánh giá"]
OBJECTS = ["nghị quyết", "chất lượng sinh hoạt", "tinh thần trách nhiệm", "ý thức tổ chức kỷ luật",
           "đạo đức cách mạng", "phong cách làm việc", "năng lực lãnh đạo", "sức chiến đấu", "niềm tin của nhân dân",
           "khối đại đoàn kết", "kinh tế địa phương", "nông thôn mới", "chuyển đổi số", "cải cách hành chính",
           "an ninh trật tự", "quốc phòng toàn dân", "đời sống nhân dân", "văn hóa cơ sở", "công tác dân vận",
           "vai trò nêu gương", "nền tảng tư tưởng", "chỉ tiêu kế hoạch", "hiệu quả công việc", "môi trường sinh thái"]
PLACES = ["ở thôn bản", "tại cơ quan", "trong chi bộ", "ở khu dân cư", "tại trường học", "trong đơn vị",
          "ở xã vùng cao", "tại trạm y tế", "trong hợp tác xã", "ở tổ dân phố", "tại doanh nghiệp", "trên địa bàn"]
LINKS = ["vì vậy", "đồng thời", "bên cạnh đó", "mặt khác", "qua đó", "từ đó", "ngoài ra", "nhờ vậy",
         "trước hết", "cụ thể là", "tuy nhiên", "do đó", "hơn nữa", "nhất là"]
EXTRAS = ["một cách thường xuyên", "có hiệu quả thiết thực", "sát với thực tiễn", "theo đúng kế hoạch",
          "trong năm hai không hai sáu", "với quyết tâm cao", "gắn với nhiệm vụ chính trị", "hòa hợp với nhân dân",
          "khỏe mạnh về tư tưởng", "thủy chung son sắt", "giữ vững kỷ cương", "của từng người", "ngày càng tốt hơn",
          "bảo đảm dân chủ", "lấy dân làm gốc", "quý trọng thời gian", "già trẻ đều tham gia", "quyết liệt hơn"]
STOCK = [  # phrases that very many essays use: common sources, not copying
    "học tập và làm theo tư tưởng đạo đức phong cách hồ chí minh",
    "xây dựng chỉnh đốn đảng và hệ thống chính trị trong sạch vững mạnh",
    "nâng cao năng lực lãnh đạo và sức chiến đấu của tổ chức cơ sở đảng",
    "phát huy vai trò tiên phong gương mẫu của cán bộ đảng viên",
    "kiên quyết đấu tranh phòng chống tham nhũng lãng phí tiêu cực",
    "giữ vững ổn định chính trị bảo đảm quốc phòng an ninh",
]
NEW_STYLE = {"hòa": "hoà", "thủy": "thuỷ", "khỏe": "khoẻ", "hòa hợp": "hoà hợp", "quý": "qúy"}


@dataclass
class Corpus:
    root: Path
    files: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # the Unicode text of each essay, before encoding
    planted: list[tuple[str, str, str]] = field(default_factory=list)  # (a, b, kind)
    groups: list[list[str]] = field(default_factory=list)
    thin: list[str] = field(default_factory=list)
    template: str = ""
    template_users: list[str] = field(default_factory=list)
    styles: dict[str, str] = field(default_factory=dict)  # how each file was written: plain, tcvn3, utf16…


WORDS = sorted({w for group in (SUBJECTS, VERBS, OBJECTS, PLACES, LINKS, EXTRAS) for phrase in group
                 for w in phrase.split()} | set("""
    an toàn bình đẳng biên giới biển đảo bồi dưỡng bản lĩnh cộng đồng chăm lo chính sách chủ động cơ chế
    cương lĩnh dân chủ dân tộc doanh nghiệp dịch vụ điều kiện định hướng đoàn kết đột phá gia đình giải pháp
    hạn chế hạnh phúc hành động hiến pháp hội nhập khát vọng khó khăn khoa học kỷ niệm lao động lịch sử
    lợi ích mục tiêu năng suất nguồn lực nhiệm vụ nội dung phương châm quy định quyết định sản xuất sáng tạo
    tài nguyên thanh niên thành tựu thế hệ thu nhập tiềm năng tổ quốc trách nhiệm truyền thống tự hào
    ưu tiên vững chắc xã hội yêu nước bền vững cải thiện chất lượng di sản giảm nghèo hạ tầng học sinh
    kết quả khuyết điểm lãng phí minh bạch nguyên tắc nhận thức phê bình phòng chống sinh hoạt thiết thực
    tiêu cực tồn tại ứng dụng vận dụng việc làm xuất sắc bộ đội cựu chiến binh nông dân công nhân trí thức
    ruộng đồng mùa vụ chè cam quế rừng suối núi đèo bản làng chợ phiên lễ hội đường giao thông điện lưới
    nước sạch trường lớp bệnh viện sức khỏe bảo hiểm tín dụng hợp tác liên kết thị trường thương hiệu sản phẩm
    ocop du lịch cộng đồng homestay hướng dẫn viên cộng tác viên tổ trưởng trưởng thôn già làng người uy tín
    """.split()))


def sentence(rng: random.Random) -> str:
    """A sentence of the essay's own words: random enough that two writers rarely share five in a row."""
    if rng.random() < 0.05:
        parts = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(PLACES)]
        parts += rng.sample(WORDS, rng.randrange(3, 8))
    else:
        parts = rng.sample(WORDS, rng.randrange(8, 18))
    if rng.random() < 0.4:
        parts = [rng.choice(LINKS)] + parts
    text = " ".join(parts)
    return text[0].upper() + text[1:] + "."


def essay(rng: random.Random, syllables: int = 600) -> str:
    out, count = [], 0
    while count < syllables:
        s = sentence(rng) if rng.random() > 0.08 else rng.choice(STOCK).capitalize() + "."
        out.append(s)
        count += len(s.split())
    return " ".join(out)


def _edit(rng: random.Random, text: str) -> str:
    """Reorder sentences and change a few words in each: a disguised copy."""
    sentences = [s for s in text.split(". ") if s]
    rng.shuffle(sentences)
    edited = []
    for s in sentences:
        words = s.split()
        for _ in range(max(1, len(words) // 12)):
            words[rng.randrange(len(words))] = rng.choice(VERBS).split()[0]
        edited.append(" ".join(words))
    return ". ".join(edited)


def to_tcvn3(text: str) -> str:
    back = {v: k for k, v in TCVN3_TO_UNICODE.items()}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in back:
            out.append(back[ch])
        elif ch.lower() in back:
            out.append(back[ch.lower()])  # caps fonts reuse the lower-case codes
        else:
            out.append(ch)
    return "".join(out)


def _write(root: Path, rel: str, text: str, style: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if style == "tcvn3":
        path.write_bytes(to_tcvn3(text).encode("utf-8"))
    elif style == "nfd":
        path.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    elif style == "newtone":
        for old, new in NEW_STYLE.items():
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    elif style == "utf16":
        path.write_bytes(text.encode("utf-16"))
    elif style == "docx":
        import docx

        document = docx.Document()
        for paragraph in text.split(". "):
            document.add_paragraph(paragraph)
        document.save(str(path))
    else:
        path.write_text(text, encoding="utf-8")


def build(root: Path, n: int, seed: int = 1, template_share: float = 0.0, write: bool = True,
          docx_every: int = 0) -> Corpus:
    """n essays under root with planted copies; about 6% of essays are in copy relations."""
    rng = random.Random(seed)
    corpus = Corpus(Path(root))
    corpus.template = essay(random.Random(seed + 99), 260) if template_share else ""
    texts: dict[str, str] = {}
    names = [f"unit{i // 500:03d}/essay{i:06d}" for i in range(n)]
    i = 0
    while i < n:
        roll = rng.random()
        base = essay(rng)
        if roll < 0.012 and i + 1 < n:  # whole copy
            texts[names[i]], texts[names[i + 1]] = base, base
            corpus.planted.append((names[i], names[i + 1], "whole"))
            i += 2
        elif roll < 0.024 and i + 1 < n:  # a third lifted into another essay
            words = base.split()
            lifted = " ".join(words[200:420])
            other = essay(rng, 280)
            texts[names[i]], texts[names[i + 1]] = base, other + " " + lifted
            corpus.planted.append((names[i], names[i + 1], "third"))
            i += 2
        elif roll < 0.036 and i + 1 < n:  # reordered, words changed
            texts[names[i]], texts[names[i + 1]] = base, _edit(rng, base)
            corpus.planted.append((names[i], names[i + 1], "edited"))
            i += 2
        elif roll < 0.042 and i + 4 < n:  # a group copying one source, each changing a little
            size = rng.choice([3, 4, 5])
            group = names[i:i + size]
            for name in group:
                texts[name] = _edit(random.Random(rng.random()), base) if name != group[0] else base
            corpus.groups.append(group)
            for a in range(size):
                for b in range(a + 1, size):
                    corpus.planted.append((group[a], group[b], "group"))
            i += size
        elif roll < 0.052:
            texts[names[i]] = essay(rng, rng.randrange(40, 120))
            corpus.thin.append(names[i])
            i += 1
        else:
            texts[names[i]] = base
            i += 1
    if template_share:
        users = [name for name in names if rng.random() < template_share]
        for name in users:
            words = texts[name].split()
            cut = rng.randrange(len(words) + 1)
            texts[name] = " ".join(words[:cut] + corpus.template.split() + words[cut:])
        corpus.template_users = users
    styles = ["plain"] * 40 + ["tcvn3", "nfd", "newtone", "utf16"]
    rename = {}
    for k, name in enumerate(names):
        style = rng.choice(styles)
        if docx_every and k % docx_every == 0:
            style = "docx"
        suffix = ".docx" if style == "docx" else ".txt"
        rel = rename[name] = name + suffix
        corpus.files.append(rel)
        corpus.texts[rel] = texts[name]
        corpus.styles[rel] = style
        if write:
            _write(corpus.root, rel, texts[name], style)
    corpus.planted = [(rename[a], rename[b], kind) for a, b, kind in corpus.planted]
    corpus.groups = [[rename[x] for x in g] for g in corpus.groups]
    corpus.thin = [rename[x] for x in corpus.thin]
    corpus.template_users = [rename[x] for x in corpus.template_users]
    return corpus
