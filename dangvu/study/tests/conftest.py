import datetime

import pytest

from dangvu.documents import services as doc_services
from dangvu.orgs import services as org_services
from dangvu.study import services

TODAY = datetime.date.today()  # pages submit with the real date
DAY = datetime.timedelta(days=1)


@pytest.fixture
def studied_document(org):
    org.G = org_services.unit_update(actor=None, unit=org.G, symbol="ĐU")
    org_services.term_create(actor=None, unit=org.G, name="2025-2030", congress_closed_on=datetime.date(2025, 8, 20))
    return doc_services.document_receive(
        actor=None, unit=org.G, doc_type="NQ", number=66, issuer_symbol="TW", issued_on=datetime.date(2025, 4, 30),
        summary="Nghị quyết về đổi mới công tác xây dựng và thi hành pháp luật",
        text="Đổi mới công tác xây dựng và thi hành pháp luật đáp ứng yêu cầu phát triển đất nước trong kỷ nguyên mới.")


@pytest.fixture
def campaign(org, studied_document):
    return services.campaign_create(
        actor=None, unit=org.G, title="Học tập Nghị quyết 66-NQ/TW", documents=[studied_document], units=[org.G],
        start=TODAY - 9 * DAY, end=TODAY + 51 * DAY, essay_required=True,
        essay_deadline=TODAY + 21 * DAY, min_words=60)
