"""/admin/ in Vietnamese: every model of dangvu has a name and a plural of its own, translated."""

from django.apps import apps
from django.utils import translation
from django.utils.text import camel_case_to_spaces


def test_every_model_has_a_vietnamese_name():
    missing = []
    with translation.override("vi"):
        for model in apps.get_models():
            if not model.__module__.startswith("dangvu."):
                continue
            auto = camel_case_to_spaces(model.__name__)
            name, plural = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
            with translation.override("en"):
                english = str(model._meta.verbose_name_plural)
            if name == auto or plural in (auto + "s", english) or plural.isascii():
                missing.append(f"{model._meta.label}: {name} / {plural}")
    assert not missing, missing
