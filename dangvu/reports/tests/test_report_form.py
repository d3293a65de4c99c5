"""The new report's period on the page: a year typed and refused is told once, on the year."""

import pytest
from django.utils import translation

from dangvu.reports.forms import ReportForm
from dangvu.reports.models import ReportTemplate

pytestmark = pytest.mark.django_db


def test_a_year_out_of_range_is_refused_once_and_a_missing_period_asked_for():
    templates = ReportTemplate.objects.all()
    with translation.override("vi"):
        refused = ReportForm({"year": "1800"}, templates=templates)
        assert not refused.is_valid()
        assert refused.errors["year"] == ["Giá trị phải lớn hơn hoặc bằng 1930."]
        empty = ReportForm({"year": ""}, templates=templates)
        assert not empty.is_valid()
        assert empty.errors["year"] == ["Hãy chọn một năm, hoặc ghi ngày đầu và ngày cuối kỳ."]
