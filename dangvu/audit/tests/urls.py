"""The site's URLs with the audit pages, for these tests until dangvu/urls.py includes
dangvu.audit.urls itself (then this adds nothing)."""

from django.urls import include, path

from dangvu.urls import urlpatterns as site

urlpatterns = list(site)
if not any(getattr(p, "namespace", None) == "audit" for p in site):
    urlpatterns.append(path("", include("dangvu.audit.urls")))
