from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from dangvu.lib.cleaning import control_character_error

# Dates typed and shown dd/mm/yyyy whatever the browser's own locale (a native date picker
# shows mm/dd/yyyy in many a browser set up in English); ISO yyyy-mm-dd is accepted too.
DATE = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                                 "autocomplete": "off", "class": "date", "size": "10"})

# Django's empty choice in a list (new in Django 6), which its own Vietnamese catalogue does
# not have yet: named here so that ours carries it.
BLANK_CHOICE = gettext_noop("- Select an option -")
# Django's own messages whose Vietnamese reads wrong ("số tổng thể", a space before the full
# stop): named here so that ours carries a better one.
DJANGO_MESSAGES = (gettext_noop("Enter a whole number."),
                   gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
                   gettext_noop("Ensure this value is less than or equal to %(limit_value)s."))


def apply_form_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError shown on the form: per field where the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class CleanTextMixin:
    """Every text field of the form refuses control characters (a test checks every form uses this)."""

    def _clean_fields(self):
        super()._clean_fields()
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if isinstance(field, forms.CharField) and isinstance(value, str):
                message = control_character_error(value, str(field.label or name))
                if message:
                    self.add_error(name, message)


class Form(CleanTextMixin, forms.Form):
    pass


class ModelForm(CleanTextMixin, forms.ModelForm):
    pass
