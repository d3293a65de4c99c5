from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from dangvu.api import api
from dangvu.essays import urls as essays_urls
from dangvu.notebook.views import notebook
from dangvu.ops.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("login/", login_not_required(auth_views.LoginView.as_view(template_name="accounts/login.html",
                                                                   redirect_authenticated_user=True)),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("dangvu.accounts.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("dangvu.orgs.urls")),
    path("", include("dangvu.documents.urls")),
    path("", include("dangvu.study.urls")),
    # The sổ tay reads every area, so its view lives above them all (dangvu.notebook); its route
    # keeps its name, essays:notebook, beside the member's own essay page under /so-tay/.
    path("", include(([*essays_urls.urlpatterns, path("so-tay/", notebook, name="notebook")], essays_urls.app_name))),
    path("", include("dangvu.training.urls")),
    path("", include("dangvu.figures.urls")),
    path("", include("dangvu.targets.urls")),
    path("", include("dangvu.inspections.urls")),
    path("", include("dangvu.evaluation.urls")),
    path("", include("dangvu.meetings.urls")),
    path("", include("dangvu.reports.urls")),
    path("", include("dangvu.audit.urls")),
    path("", include("dangvu.ops.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
