from django.contrib.auth import views as auth_views
from django.urls import path

from dangvu.accounts import views

app_name = "accounts"
urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("units/<int:pk>/access/", views.unit_access, name="unit_access"),
    path("members/<int:pk>/erase/", views.erase_personal_data, name="erase_personal_data"),
    path("candidates/<int:pk>/erase/", views.erase_candidate, name="erase_candidate"),
    path("otp/", views.otp_verify, name="otp_verify"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("password/", auth_views.PasswordChangeView.as_view(
        template_name="accounts/password.html", success_url="/"), name="password"),
]
