from django.core.exceptions import ValidationError


def apply_form_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError shown on the form: per field where the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
