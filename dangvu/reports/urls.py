from django.urls import path

from dangvu.reports import views

app_name = "reports"
urlpatterns = [
    path("units/<int:pk>/reports/", views.unit_reports, name="unit_reports"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/<str:fmt>/download/", views.report_download, name="download"),
    path("reports/<int:pk>/preview-<int:page>.png", views.report_preview, name="preview"),
    path("reports/<int:pk>/versions/<int:number>/", views.report_version, name="version"),
    path("report-templates/<int:pk>/", views.template_detail, name="template"),
]
