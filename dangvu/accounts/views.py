from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.accounts import services
from dangvu.accounts.access import get_token_for_user
from dangvu.orgs.forms import TokenForm


def tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.token_create(user=request.user, name=form.cleaned_data["name"])
        messages.success(request, _("API token created. Copy it now: it is shown only once."))
    return render(request, "accounts/tokens.html",
                  {"form": form, "tokens": request.user.api_tokens.all(), "new_token": new_token})


@require_POST
def token_revoke(request, pk):
    services.token_revoke(actor=request.user, token=get_token_for_user(request, pk))
    messages.success(request, _("API token revoked."))
    return redirect("accounts:tokens")
