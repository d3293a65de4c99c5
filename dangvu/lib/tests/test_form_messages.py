"""Django's own form messages read as Vietnamese should: a whole number is 'số nguyên', and no
space before the full stop after a limit."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation


def test_a_number_field_refuses_in_plain_vietnamese():
    field = forms.IntegerField(min_value=0, max_value=100000)
    with translation.override("vi"):
        refusals = []
        for typed in ("mười", "-3", "100001"):
            try:
                field.clean(typed)
            except ValidationError as exc:
                refusals += exc.messages
    assert refusals == ["Nhập một số nguyên.", "Giá trị phải lớn hơn hoặc bằng 0.",
                        "Giá trị phải nhỏ hơn hoặc bằng 100000."]
